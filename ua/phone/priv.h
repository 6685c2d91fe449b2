/* priv.h: internals shared by the phone core sources (ua/phone/). */
#ifndef PB_UA_PHONE_PRIV_H
#define PB_UA_PHONE_PRIV_H

#include "audio/stream.h"
#include "base/list.h"
#include "base/loop.h"
#include "ua/phone/phone.h"
#include "ua/reg/reg.h"
#include "ua/stack/stack.h"
#include "ua/tp/tp.h"

enum {
	PHONE_ERR_MAX = 192,
	PHONE_ADDR_MAX = 64,
	PHONE_TP_N = 3, /**< udp, tcp, tls (enum tsx_tp order) */
};

/** One account and its registration. */
struct phone_acc {
	struct le le;		/**< in phone.accounts                  */
	struct phone *p;	/**< owner (not referenced)             */
	struct phone_account a; /**< the settings (copy)                */
	struct reg *reg;	/**< registration, NULL without one     */
	const char *state;	/**< phone_account_info.state           */
	char reason[128];	/**< last registration reason           */
	char user[64];		/**< AOR user part (unescaped as written) */
	char domain[128];	/**< AOR host[:port] as written         */
	bool sips;		/**< AOR scheme is sips:                */
	char tpparam[16];	/**< ";transport=..." of the AOR or ""  */
	bool stopping;		/**< un-REGISTER under way              */
};

/** Copies of the strings in struct phone_opts (owned). */
struct phone_strs {
	char *listen[8];
	char *cert_dir, *audio_in, *audio_out, *play, *record;
	char *media_addr, *user_agent;
};

struct phone {
	struct loop *loop;	    /**< event loop (referenced)          */
	struct stack *st;	    /**< SIP stack                        */
	struct tp *tp;		    /**< transports                       */
	struct sess_layer *sl;	    /**< INVITE sessions                  */
	struct list accounts;	    /**< struct phone_acc                 */
	struct list calls;	    /**< struct call                      */
	struct phone_opts opts;	    /**< options; strings point to strs   */
	struct phone_strs strs;	    /**< owned copies                     */
	phone_event_h *h;	    /**< event handler                    */
	void *arg;		    /**< its argument                     */
	char err[PHONE_ERR_MAX];    /**< phone_error() text               */
	char addr[PHONE_ADDR_MAX];  /**< advertised IPv4 (Via, Contact,
					 SDP), "" without IPv4 listeners */
	char addr6[PHONE_ADDR_MAX]; /**< advertised IPv6 (no brackets), "" */
	char laddr[PHONE_TP_N][PHONE_ADDR_MAX];	 /**< "ip:port" per tp:
						      IPv4, else IPv6    */
	char laddr6[PHONE_TP_N][PHONE_ADDR_MAX]; /**< "[ip]:port", ""    */
	char tmpdir[64];     /**< cert dir we made ("" = none)     */
	unsigned next_call;  /**< last call number given           */
	struct tmr shut_tmr; /**< shutdown deadline / poll         */
	void (*shut_doneh)(void *arg);
	void *shut_arg;
	uint64_t shut_deadline; /**< loop time phone_shutdown gives up */
	struct phone_acc *anon; /**< account for calls when none fits  */
	bool shutting;		/**< phone_shutdown() ran             */
	bool tls_ca_warned;	/**< warned about shared TLS trust    */
};

/** Where a call is (phone_call_info.state). */
enum call_state {
	CALL_CALLING = 0, /**< our INVITE is out                     */
	CALL_RINGING,	  /**< 18x received                          */
	CALL_INCOMING,	  /**< ringing here                          */
	CALL_EARLY,	  /**< answered with early media (183)       */
	CALL_ACTIVE,	  /**< established                           */
	CALL_ENDING,	  /**< BYE/CANCEL sent                       */
};

/** One call: an INVITE session, its SDP state and its media stream. */
struct call {
	struct le le;		/**< in phone.calls                     */
	struct phone *p;	/**< owner (not referenced)             */
	struct phone_acc *acc;	/**< account (referenced)               */
	unsigned id;		/**< call number                        */
	struct sess *sess;	/**< session (our reference)            */
	struct stream *strm;	/**< media, NULL until opened           */
	bool incoming;		/**< they called us                     */
	enum call_state state;	/**< see enum                           */
	char peer[512];		/**< remote URI                         */
	char display[64];	/**< remote display name                */
	char target[512];	/**< what we dialled (outgoing)         */
	char xfer[512];		/**< target of our REFER               */
	char maddr[64];		/**< our media address                  */
	int af;			/**< its family (AF_UNSPEC: the phone's
				     first)                          */
	struct sdp_local sl;	/**< our SDP capabilities               */
	struct sdp_result res;	/**< negotiated media (valid: have_res) */
	struct sdp_result pend; /**< our last offer (keys), awaiting answer */
	bool have_res;		/**< res is valid                       */
	bool local_hold;	/**< we put it on hold                  */
	bool remote_hold;	/**< their offer is sendonly/inactive   */
	bool hold_reported;	/**< HOLD (local) event sent            */
	bool muted;		/**< source muted                       */
	bool ended;		/**< ENDED reported                     */
	bool answered;		/**< was established                    */
	uint64_t t_answer;	/**< loop ms when established           */
	struct tmr answer_tmr;	/**< auto-answer                        */
	char codec[16];		/**< negotiated codec                   */
	const char *suite;	/**< SRTP suite name or NULL            */
	unsigned refer_of;	/**< call whose REFER made this call (0) */
	bool refer_ringing;	/**< 18x already NOTIFYed to referrer  */
	unsigned xfer_with;	/**< our attended REFER: the call whose
				     dialog its Replaces names (0)    */
	bool replaced;		/**< ended by an INVITE with Replaces   */
};

/* call.c */
int phone_call_layer_alloc(struct phone *p);
/** Give a request to the sessions; true when taken. */
bool phone_call_recv(struct phone *p, const struct sip_msg *msg,
		     const struct tsx_addr *src);
/**
 * A new INVITE's Replaces (RFC 3891): 0 with *@p old the call it takes
 * over (0: no Replaces), else the status to refuse it with, and why.
 */
uint16_t call_replaces_find(struct phone *p, const struct sip_msg *msg,
			    unsigned *old, const char **why);
/** Incoming call @p c replaces call @p old: answer it without ringing,
 *  end the old one, report INCOMING (with what it replaces). */
void call_replace(struct call *c, unsigned old);
/** A new INVITE outside any dialog. */
void phone_call_incoming(struct phone *p, const struct sip_msg *msg,
			 const struct tsx_addr *src);
struct call *phone_call_find(const struct phone *p, unsigned id);
size_t phone_call_count(const struct phone *p);
void phone_call_hangup_all(struct phone *p);
void phone_call_close_all(struct phone *p);
/** Report call event @p kind with the call's identity filled in. */
void call_emit(struct call *c, struct phone_event *ev);
/** Sessions handlers (media.c and call.c). */
extern const struct sess_handlers call_sess_h;
void call_sess_opts(const struct call *c, struct sess_opts *o, char *from,
		    size_t fromlen);
struct call *call_new(struct phone *p, struct phone_acc *acc, bool incoming);
/** Remove a call that never reported anything (setup failed). */
void call_drop(struct call *c);
/** Place an outgoing call to Request-URI @p uri. */
int call_dial(struct phone *p, struct phone_acc *acc, const char *uri,
	      unsigned refer_of, const char *hdrs, unsigned *id);

/* media.c */
/**
 * Open the call's stream in family call.af (AF_UNSPEC: the phone's first)
 * and fill its sdp_local. @return 0, EAFNOSUPPORT (no address of that
 * family), or an errno.
 */
int call_media_open(struct call *c, char *err, size_t errlen);
/**
 * Family of the next hop of outgoing call @p c (proxy, else target) when
 * it is an IP literal or a name already looked up, else AF_UNSPEC.
 */
int call_dst_af(const struct call *c);
/**
 * Check an offer before taking a session: 0, or the response to send
 * (with *@p reason). *@p af is set to the family of the offer's c= line
 * (left alone without one); @p l gets our address of that family.
 */
uint16_t call_offer_check(const struct phone *p, struct sdp_local *l,
			  const struct pl *body, int *af, const char **reason);
int call_offerh(struct sess *s, struct buf *sdp, void *arg);
int call_answerh(struct sess *s, const struct pl *offer, struct buf *sdp,
		 uint16_t *scode, const char **reason, void *arg);
int call_remote_answerh(struct sess *s, const struct pl *answer, void *arg);
void call_dtmfh(char digit, void *arg);

/* dial.c */
/** Request-URI for @p target through account @p acc into @p uri. */
int phone_target_uri(const struct phone_acc *acc, const char *target, char *uri,
		     size_t size);

/** Report @p ev (account/call fields filled by the caller). */
void phone_emit(struct phone *p, struct phone_event *ev);
/** Set phone_error() text; returns @p err for chaining. */
int phone_fail(struct phone *p, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* transport.c */
int phone_tp_open(struct phone *p, char *err, size_t errlen);
/**
 * The advertised IP (no brackets) of family @p af, "" when the phone has
 * no listener of that family; AF_UNSPEC: IPv4 when there is one.
 */
const char *phone_addr_af(const struct phone *p, int af);
/** Report a message as PHONE_EV_TRACE (keys redacted). */
void phone_trace(struct phone *p, bool out, enum tsx_tp tp,
		 const struct sockaddr_storage *peer, const struct pl *msg);

/* account.c */
struct phone_acc *phone_acc_find(const struct phone *p, const char *name);
void phone_acc_stop_all(struct phone *p);
/** Make the account used when no configured one fits ("direct"). */
int phone_acc_anon(struct phone *p);
bool phone_acc_all_stopped(const struct phone *p);
void phone_acc_conn_lost(struct phone *p, enum tsx_tp tp);

/* request.c */
void phone_reqh(struct stack *st, const struct sip_msg *msg,
		const struct tsx_addr *src, void *arg);
/** Allow / Accept / Supported lines for OPTIONS and 405. */
extern const char phone_allow[];

#endif
