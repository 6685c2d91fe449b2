/* sess.h: INVITE sessions (RFC 3261 13-15, RFC 3262, RFC 3311, RFC 3515).
 *
 * A session is one INVITE dialog as caller (UAC) or callee (UAS): the
 * INVITE transaction with its provisional responses (reliable ones with
 * PRACK when 100rel is in use), CANCEL, ACK, BYE, re-INVITE and UPDATE,
 * INFO (DTMF relay), REFER/NOTIFY (blind and attended transfer, with
 * Replaces, RFC 3891 / RFC 5589), digest authentication of our requests,
 * and following 3xx redirects. Session descriptions are opaque bodies here:
 * the owner (the call object) makes offers and answers through handlers,
 * so this layer never parses SDP. The owner owns the stack's request
 * handler and passes requests on: new INVITEs to sess_incoming(), all
 * others to sess_layer_recv() first.
 */
#ifndef PB_UA_SESS_SESS_H
#define PB_UA_SESS_SESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/pl.h"
#include "ua/sip/msg.h"
#include "ua/stack/stack.h"
#include "ua/tsx/tsx.h"

struct sess_layer;
struct sess;

/** Reliable provisional responses, per account (DESIGN.md section 4). */
enum sess_rel100 {
	SESS_100REL_SUPPORTED = 0, /**< Supported: 100rel; PRACK when asked  */
	SESS_100REL_REQUIRED,	   /**< Require: 100rel on our INVITEs       */
	SESS_100REL_OFF,	   /**< never in Supported/Require; no PRACK */
};

/** Per-session settings (from the account); strings are copied. */
struct sess_opts {
	const char *from;	 /**< From value without tag, e.g.
				      "\"Alice\" <sip:alice@example.com>"  */
	const char *contact_user; /**< user part of our Contact          */
	const char *auth_user;	 /**< digest user (NULL: From's user)      */
	const char *auth_pass;	 /**< NULL: no credentials                 */
	const char *proxy;	 /**< outbound proxy URI (NULL: none); sent
				      as a preloaded Route with ;lr         */
	const char *hdrs;	 /**< extra header lines for the INVITE
				      (each ending CRLF), may be NULL       */
	enum sess_rel100 rel100;
	uint32_t max_redirects;	 /**< 3xx hops followed (default 5)        */
};

void sess_opts_default(struct sess_opts *o);

/** One 181 Call Is Being Forwarded hop (Call-Info purpose=forwarding). */
struct sess_fwd {
	const char *username; /**< who forwarded ("userb"), "" if absent */
	const char *contact;  /**< where to ("userc"), "" if absent       */
	const char *reason;   /**< reason phrase of the 181              */
};

/** How a session ended. */
enum sess_end {
	SESS_END_LOCAL = 0, /**< we hung up (BYE/CANCEL/reject sent)      */
	SESS_END_REMOTE,    /**< BYE or CANCEL received                   */
	SESS_END_REJECTED,  /**< final non-2xx to our INVITE (see scode)  */
	SESS_END_TIMEOUT,   /**< no answer to a request / no ACK / no PRACK */
	SESS_END_ERROR,	    /**< transport or protocol failure            */
};

struct sess_handlers {
	/**
	 * We must make an offer (our INVITE, our re-INVITE/UPDATE, or our
	 * 200 to an INVITE without a body). Write the SDP to @p sdp.
	 * @return 0 or an errno (the request is not sent).
	 */
	int (*offerh)(struct sess *s, struct buf *sdp, void *arg);
	/**
	 * The far end made an offer (INVITE, re-INVITE, UPDATE, or in a
	 * reliable 18x/200 answering our body-less INVITE). Write our answer
	 * to @p sdp and return 0, or return EPROTO with *@p scode (488) and
	 * *@p reason set to refuse it.
	 */
	int (*answerh)(struct sess *s, const struct pl *offer, struct buf *sdp,
		       uint16_t *scode, const char **reason, void *arg);
	/**
	 * The answer to our offer arrived (18x, 200, or ACK). A non-zero
	 * return means it cannot be used: the session is ended with BYE (or
	 * CANCEL) and closeh tells why.
	 */
	int (*remote_answerh)(struct sess *s, const struct pl *answer,
			      void *arg);
	/** Caller side: a provisional response (180, 181, 182, 183). */
	void (*progressh)(struct sess *s, uint16_t scode, const char *reason,
			  void *arg);
	/** Caller side: a 181 with its forwarding hop, in order. */
	void (*forwardh)(struct sess *s, const struct sess_fwd *fwd, void *arg);
	/** Caller side: following a 3xx to @p target (after hop @p hop). */
	void (*redirecth)(struct sess *s, uint16_t scode, const char *target,
			  uint32_t hop, void *arg);
	/** 2xx sent/received and (for our answer) the ACK arrived. */
	void (*establishedh)(struct sess *s, void *arg);
	/** INFO with application/dtmf-relay (or dtmf) received: one digit. */
	void (*infoh)(struct sess *s, char digit, void *arg);
	/**
	 * REFER received and accepted with 202: the owner should call
	 * @p target (a URI, Refer-To without its headers) and report with
	 * sess_refer_notify(). For an attended transfer
	 * sess_refer_replaces_value() gives the Replaces to send in that
	 * INVITE. May be NULL: REFER is then refused with 603.
	 */
	void (*referh)(struct sess *s, const char *target, void *arg);
	/** Our REFER: a NOTIFY told the transfer target's status. */
	void (*refer_statush)(struct sess *s, uint16_t scode, void *arg);
	/**
	 * The session ended. @p scode: the final status when there was one
	 * (486 busy, 603 decline, 487 cancelled, 408 timeout ...), else 0.
	 * The layer drops its reference after this call.
	 */
	void (*closeh)(struct sess *s, enum sess_end how, uint16_t scode,
		       const char *reason, void *arg);
};

/** The session layer of one stack. @return 0, ENOMEM. */
int sess_layer_alloc(struct sess_layer **lp, struct stack *st);

/**
 * Give a request to the layer: in-dialog requests (re-INVITE, ACK, BYE,
 * PRACK, UPDATE, INFO, REFER, NOTIFY) and CANCEL of our sessions are
 * handled (answered) here. @return true when the request was taken;
 * false when it belongs to no session (the owner answers it: 481 for
 * in-dialog requests, its own handling for OPTIONS and new INVITEs).
 */
bool sess_layer_recv(struct sess_layer *l, const struct sip_msg *msg,
		     const struct tsx_addr *src);

/** Number of live sessions. */
size_t sess_layer_count(const struct sess_layer *l);

/**
 * Call @p target (sip:/sips:/tel: URI string) with a new INVITE carrying
 * the offer from offerh (or no body when offerh writes nothing).
 * The session holds a reference for the layer; the owner gets its own in
 * *@p sp (obj_deref when done). @return 0, EINVAL (bad target), ENOMEM,
 * or the send errno.
 */
int sess_connect(struct sess **sp, struct sess_layer *l, const char *target,
		 const struct sess_opts *o, const struct sess_handlers *h,
		 void *arg);

/**
 * Take new INVITE @p msg from @p src as a callee session (server
 * transaction, 100 Trying, dialog). 100rel is used when @p o->rel100 is
 * not OFF and the INVITE supports or requires it; an INVITE requiring it
 * with rel100 OFF is answered 420 and an error returned. The offer (if any)
 * goes to answerh when the owner first sends a response with a body.
 * @return 0, EPROTO (answered with an error), ENOMEM.
 */
int sess_incoming(struct sess **sp, struct sess_layer *l,
		  const struct sip_msg *msg, const struct tsx_addr *src,
		  const struct sess_opts *o, const struct sess_handlers *h,
		  void *arg);

/** Callee: 180 Ringing (reliable when 100rel is in use). */
int sess_ringing(struct sess *s);
/** Callee: 183 Session Progress with our answer (early media). */
int sess_progress(struct sess *s);
/**
 * Callee that forwards the call (a PBX): 181 Call Is Being Forwarded with
 * "Call-Info: <our contact>;purpose=forwarding, username=\"@p
 * fwd->username\", contact=\"@p fwd->contact\"" (reason ignored); one
 * per hop, in order (reliable ones wait for the previous PRACK).
 * @return 0, EINVAL (bad state, or a quote/CR/LF in a field).
 */
int sess_forwarding(struct sess *s, const struct sess_fwd *fwd);
/** Callee: 200 OK with our answer (or offer for a body-less INVITE). */
int sess_answer(struct sess *s);
/** Callee: final error response (486, 603, 480 ...), session ends. */
int sess_reject(struct sess *s, uint16_t scode, const char *reason);

/**
 * End the session the right way for its state: CANCEL before a final
 * response, BYE after 2xx (also for a 2xx that crosses our CANCEL),
 * 487/603 for an unanswered incoming one. closeh follows.
 */
int sess_hangup(struct sess *s);

/** Send a re-INVITE with a new offer (hold/resume). @return 0, EBUSY
 *  (an offer/answer exchange is pending), ENOTCONN (not established). */
int sess_reinvite(struct sess *s);
/** Send UPDATE with a new offer (RFC 3311; also in early dialogs). */
int sess_update(struct sess *s);
/** Send INFO application/dtmf-relay "Signal=d\r\nDuration=160". */
int sess_info_dtmf(struct sess *s, char digit);
/** Send REFER with Refer-To @p target (blind transfer). */
int sess_refer(struct sess *s, const char *target);
/** Transferee: NOTIFY the referrer with a sipfrag "SIP/2.0 @p scode". */
int sess_refer_notify(struct sess *s, uint16_t scode, const char *reason);

/** The dialog an INVITE with Replaces takes over (RFC 3891 6.1). */
struct sess_replaces {
	struct pl callid;   /**< its Call-ID                             */
	struct pl to_tag;   /**< its tag at the receiver of the Replaces */
	struct pl from_tag; /**< its tag at the other end                */
	bool early_only;    /**< only while it is still early           */
};

/**
 * Parse a Replaces value "callid;to-tag=x;from-tag=y[;early-only]" (both
 * tags required, other parameters ignored). @p r points into @p val.
 * @return 0, EINVAL, EBADMSG (malformed).
 */
int sess_replaces_decode(struct sess_replaces *r, const struct pl *val);

/**
 * Print the Replaces value naming @p s's dialog as its peer sees it
 * (to-tag = the peer's tag, from-tag = ours), %-escaped for a URI header
 * when @p escaped ("id%40h%3Bto-tag%3Db%3Bfrom-tag%3Da").
 * @return 0, EINVAL (no dialog yet), ENOMEM.
 */
int sess_replaces_print(struct buf *mb, const struct sess *s, bool escaped);

/**
 * The session a new INVITE's Replaces header names (RFC 3891 3).
 * @return 0 with *@p sp (NULL when the INVITE has no Replaces), or the
 * status to refuse the INVITE with: 400 (malformed, or more than one),
 * 481 (no such dialog, or an early one we did not originate), 486
 * (early-only and confirmed), 603 (already ending).
 */
uint16_t sess_replaces_find(struct sess_layer *l, const struct sip_msg *msg,
			    struct sess **sp);

/**
 * Attended transfer: send REFER on @p s with Refer-To <@p target
 * ?Replaces=...> naming @p other's dialog (both established).
 * @return 0, EINVAL (same session, bad target), ENOTCONN, ENOMEM.
 */
int sess_refer_replaces(struct sess *s, const struct sess *other,
			const char *target);

/**
 * During referh: the unescaped Replaces of the Refer-To, or NULL for a
 * blind transfer.
 */
const char *sess_refer_replaces_value(const struct sess *s);

/** True for a session we placed. */
bool sess_is_outgoing(const struct sess *s);
/** True after 2xx + ACK. */
bool sess_is_established(const struct sess *s);
/** Remote party's name-addr as in From/To ("\"Bob\" <sip:bob@h>"). */
const char *sess_peer(const struct sess *s);
/** Remote party's URI only ("sip:bob@h"). */
const char *sess_peer_uri(const struct sess *s);
/** The Call-ID. */
const char *sess_callid(const struct sess *s);
/** True when reliable provisionals (100rel) are in use for this INVITE. */
bool sess_rel100_active(const struct sess *s);
/** Callee: the INVITE that created the session (for Call-Info etc.). */
const struct sip_msg *sess_invite(const struct sess *s);

#endif
