/* priv.h: session internals shared by the files of ua/sess/. */
#ifndef PB_UA_SESS_PRIV_H
#define PB_UA_SESS_PRIV_H

#include "base/list.h"
#include "base/loop.h"
#include "base/rand.h"
#include "ua/auth/auth.h"
#include "ua/dialog/dlg.h"
#include "ua/sess/sess.h"

/*
 * Session states:
 *
 *   caller: CALLING --1xx--> (early dialog) --2xx--> ESTABLISHED
 *   callee: INCOMING --200 sent--> ANSWERED --ACK--> ESTABLISHED
 *   both:   ESTABLISHED --BYE sent--> CLOSING --BYE answered--> CLOSED
 *
 * CLOSED sessions are off the layer's list; closeh was called once.
 */
enum sess_state {
	SESS_ST_CALLING = 0,
	SESS_ST_INCOMING,
	SESS_ST_ANSWERED,
	SESS_ST_ESTABLISHED,
	SESS_ST_CLOSING,
	SESS_ST_CLOSED,
};

/** Offer/answer state of the current exchange (RFC 3264). */
enum sess_oa {
	SESS_OA_NONE = 0, /**< no exchange in progress             */
	SESS_OA_LOCAL,	  /**< we offered, waiting for the answer  */
	SESS_OA_REMOTE,	  /**< they offered, we owe the answer     */
	SESS_OA_DONE,	  /**< the exchange completed              */
};

struct sess_layer {
	struct stack *st;  /**< the stack (not referenced)   */
	struct list sessl; /**< live sessions (list holds a ref) */
};

/** An in-dialog request in flight (auth retry needs its parts). */
struct sess_req;
typedef void(sess_req_h)(struct sess *s, int err, const struct sip_msg *msg,
			 struct sess_req *r);

struct sess_req {
	struct le le;	  /**< on sess.reql                 */
	struct sess *s;	  /**< owner (not referenced)       */
	struct tsx *tsx;  /**< client transaction (ref)     */
	struct dlg *dlg;  /**< dialog it belongs to (ref)   */
	char *method;	  /**< method name                  */
	char *hdrs;	  /**< extra header lines           */
	struct buf *body; /**< body or NULL                 */
	uint32_t cseq;	  /**< CSeq used                    */
	uint32_t nauth;	  /**< auth retries so far          */
	sess_req_h *h;	  /**< response handler            */
};

enum { SESS_PROV_QUEUE = 4, SESS_FORKS = 4 };

/** A provisional response waiting for the PRACK of the previous one. */
struct sess_prov {
	uint16_t scode; /**< 180, 181, 183 ...          */
	bool body;	/**< carries the session body   */
	char *hdrs;	/**< extra header lines or NULL */
};

struct sess {
	struct le le;		       /**< on sess_layer.sessl          */
	struct sess_layer *l;	       /**< layer (not referenced)       */
	struct stack *st;	       /**< stack (not referenced)       */
	const struct sess_handlers *h; /**< owner's handlers             */
	void *arg;		       /**< their argument               */
	enum sess_state state;	       /**< see above                    */
	enum sess_oa oa;	       /**< offer/answer state           */
	bool out;		       /**< we placed the call           */
	struct dlg *dlg;	       /**< the dialog (once known)      */
	struct tsx_addr dst;	       /**< next hop (caller: INVITE's)  */
	bool has_proxy;		       /**< dst is the outbound proxy    */
	bool srv_hop;		       /**< dst: a name without port, so
					    SRV may give another server  */
	struct stack_lookup *lookup;   /**< caller: next hop's name      */
	char *callid;		       /**< Call-ID                      */
	char *ltag;		       /**< our tag                      */
	char *from;		       /**< our name-addr without tag    */
	char *to;		       /**< caller: To value             */
	char *ruri;		       /**< caller: current Request-URI  */
	char *proxy;		       /**< outbound proxy URI or NULL   */
	char *hdrs;		       /**< extra INVITE headers or NULL */
	char *auth_user;	       /**< digest user                  */
	char *auth_pass;	       /**< digest password or NULL      */
	char *peer;		       /**< remote name-addr             */
	char *peer_uri;		       /**< remote URI                   */
	char *cuser;		       /**< user part of our Contact     */
	char contact[200];	       /**< our Contact URI              */
	enum sess_rel100 rel100;       /**< account setting              */
	uint32_t max_redirects;	       /**< 3xx hops allowed             */
	struct auth_client *ac;	       /**< digest state (lazily made)   */
	bool chall_proxy;	       /**< last challenge was a 407     */
	struct list reql;	       /**< in-dialog requests in flight */

	/* caller */
	struct tsx *inv;		/**< INVITE client tsx (ref)      */
	struct buf *offer;		/**< body of our INVITE or NULL   */
	uint32_t cseq;			/**< our last CSeq                */
	uint32_t hops;			/**< 3xx followed so far          */
	uint32_t nauth;			/**< INVITE auth retries          */
	bool got_1xx;			/**< a provisional arrived        */
	bool got_18x;			/**< ... other than 100 Trying    */
	bool cancel_wanted;		/**< hang up before the answer    */
	bool cancel_sent;		/**< CANCEL on the wire           */
	enum sess_end pend_how;		/**< how to close after the final */
	struct tmr c_tmr;		/**< timer C, or CANCEL give-up   */
	const char *pend_reason;	/**< and why (static string)      */
	bool prack_seen;		/**< a reliable 18x arrived       */
	uint32_t prack_rseq;		/**< its highest RSeq             */
	struct dlg *forkv[SESS_FORKS];	/**< other early dialogs (forks)  */
	uint32_t fork_rseq[SESS_FORKS]; /**< their highest RSeq           */
	char *fork_ended;		/**< tag of a fork ACKed + BYEd   */
	struct buf *ack;		/**< last ACK for a 2xx           */
	uint32_t ack_cseq;		/**< its CSeq                     */
	struct tsx_addr dst_ack;	/**< where it went                */

	/* callee */
	struct sip_msg *invite; /**< the INVITE (ref)             */
	struct tsx *srv;	/**< INVITE server tsx (ref)      */
	struct tsx_addr src;	/**< where it came from           */
	bool rel;		/**< 100rel in use                */
	struct buf *ans;	/**< our answer (cached)          */
	uint32_t rseq;		/**< last RSeq sent               */
	uint16_t rel_scode;	/**< reliable 18x awaiting PRACK  */
	bool rel_body;		/**< it carried a body            */
	uint64_t rel_iv;	/**< its retransmit interval      */
	uint64_t rel_spent;	/**< time spent retransmitting    */
	struct tmr rel_tmr;	/**< its retransmit timer         */
	struct sess_prov queued[SESS_PROV_QUEUE]; /**< 18x waiting for the
						       PRACK, in order    */
	size_t nqueued;		/**< how many                     */
	char *rel_hdrs;		/**< extra lines of the reliable one */
	bool queued_ok;		/**< 200 waiting for the PRACK    */
	struct sip_msg *reinv;	/**< re-INVITE being answered     */
	struct buf *ok;		/**< 2xx we retransmit until ACK  */
	struct tsx_addr ok_dst; /**< where it goes                */
	uint32_t ok_cseq;	/**< its CSeq                     */
	uint64_t ok_iv;		/**< its retransmit interval      */
	struct tmr ok_tmr;	/**< 2xx retransmission           */
	struct tmr h_tmr;	/**< timer H (no ACK)             */
	bool bye_wanted;	/**< hang up once the ACK is in   */

	/* in-dialog offers we made */
	struct sess_req *oreq;	      /**< re-INVITE/UPDATE in flight   */
	struct tmr glare_tmr;	      /**< retry after 491              */
	enum sip_method glare_method; /**< what to retry                */
	bool refer_sub;		      /**< we accepted a REFER          */
	const char *refer_repl;	      /**< its Replaces, during referh  */
};

/* layer.c */
int sess_new(struct sess **sp, struct sess_layer *l, const struct sess_opts *o,
	     const struct sess_handlers *h, void *arg);
void sess_link(struct sess *s);
/** Our Contact for requests to @p dst (its transport and family). */
int sess_contact_set(struct sess *s, const struct tsx_addr *dst, bool sips);
void sess_close(struct sess *s, enum sess_end how, uint16_t scode,
		const char *reason);
struct loop *sess_loop(const struct sess *s);
const struct tsx_opts *sess_topts(const struct sess *s);

/* util.c */
int sess_common_hdrs(const struct sess *s, struct buf *mb, bool supported);
int sess_dlg_dst(const struct sess *s, const struct dlg *d,
		 struct tsx_addr *dst);
int sess_reply(struct sess *s, const struct sip_msg *msg,
	       const struct tsx_addr *src, uint16_t scode, const char *reason,
	       const char *hdrs, const struct pl *body);
int sess_request(struct sess *s, const char *method, const char *hdrs,
		 const struct buf *body, sess_req_h *h);
int sess_request_dlg(struct sess *s, struct dlg *d, const char *method,
		     const char *hdrs, const struct buf *body, sess_req_h *h);
int sess_ack_send(struct sess *s, uint32_t cseq, const struct buf *body);
int sess_ack_dlg(struct sess *s, struct dlg *d, uint32_t cseq,
		 const struct buf *body, bool keep);
void sess_forks_free(struct sess *s);
int sess_auth_challenge(struct sess *s, const struct sip_msg *msg);
int sess_auth_print(struct sess *s, struct buf *mb, const char *method,
		    const char *uri, const struct buf *body);
int sess_make_offer(struct sess *s, struct buf **bp);
int sess_make_answer(struct sess *s, const struct pl *offer, struct buf **bp,
		     uint16_t *scode, const char **reason);
bool sess_remote_answer(struct sess *s, const struct pl *body);
struct pl sess_buf_pl(const struct buf *b);

/* uac.c */
void sess_uac_stray(struct sess *s, const struct sip_msg *msg);
void sess_uac_hangup(struct sess *s);

/* fwd.c */
void sess_fwd_report(struct sess *s, const struct sip_msg *msg);

/* uas.c */
void sess_uas_ack(struct sess *s, const struct sip_msg *msg);
void sess_uas_cancel(struct sess *s, const struct sip_msg *msg,
		     const struct tsx_addr *src);
int sess_ok_start(struct sess *s, const struct sip_msg *req, struct tsx *t,
		  const char *hdrs, const struct pl *body);
int sess_uas_hdrs(struct sess *s, struct buf *mb, const struct buf *body);
int sess_bye(struct sess *s, bool wait);

/* prack.c */
int sess_rel_send(struct sess *s, uint16_t scode, bool body, const char *hdrs);
void sess_prack_recv(struct sess *s, const struct sip_msg *msg,
		     const struct tsx_addr *src);
void sess_uac_reliable(struct sess *s, struct dlg *d, const struct sip_msg *msg,
		       const struct buf *answer);
bool sess_uac_is_reliable(const struct sess *s, const struct sip_msg *msg);
void sess_uas_18x(struct sess *s, uint16_t scode, bool body, const char *hdrs);
void sess_prov_flush(struct sess *s);
void sess_uas_send_2xx(struct sess *s);

/* reinvite.c */
void sess_reinvite_recv(struct sess *s, const struct sip_msg *msg,
			const struct tsx_addr *src);
void sess_update_recv(struct sess *s, const struct sip_msg *msg,
		      const struct tsx_addr *src);
void sess_bye_recv(struct sess *s, const struct sip_msg *msg,
		   const struct tsx_addr *src);

/* refer.c */
bool sess_in_dialog(const struct sess *s);
/** Send REFER with header lines @p hb (Refer-To ...) plus ours. */
int sess_refer_send(struct sess *s, struct buf *hb);
void sess_info_recv(struct sess *s, const struct sip_msg *msg,
		    const struct tsx_addr *src);
void sess_refer_recv(struct sess *s, const struct sip_msg *msg,
		     const struct tsx_addr *src);
void sess_notify_recv(struct sess *s, const struct sip_msg *msg,
		      const struct tsx_addr *src);

#endif
