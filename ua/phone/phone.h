/* phone.h: the phone core: accounts, calls (session + SDP + media), events.
 *
 * This is what the terminal UI, script mode and `phonebox call` drive. It
 * owns the SIP stack and its transports, one registration per account
 * that has a registrar, and the calls: each call is an INVITE session
 * (ua/sess) whose SDP offer/answer (ua/sdp) sets up an audio stream
 * (audio/stream.h). Everything runs on one event loop. Calls are named by
 * small numbers (1, 2, ...) that are never reused within a run.
 */
#ifndef PB_UA_PHONE_PHONE_H
#define PB_UA_PHONE_PHONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audio/dev.h"
#include "ua/sdp/sdp.h"
#include "ua/sess/sess.h"

struct loop;
struct phone;

/** One account (a line of the accounts file, DESIGN.md section 7). */
struct phone_account {
	char name[64];	      /**< display name, else the AOR's user     */
	char display[64];     /**< display name ("" when none)          */
	char aor[256];	      /**< "sips:alice@pbx.example.com;transport=tls" */
	char auth_user[64];   /**< "" = the AOR's user                  */
	char auth_pass[128];  /**< "" = no credentials                  */
	char registrar[256];  /**< "" = AOR's domain; "none" = do not
				   register (direct calls only)         */
	char proxy[256];      /**< outbound proxy URI, "" = none        */
	char codecs[128];     /**< preference, e.g. "opus,G722,PCMU,PCMA" */
	char ca[256];	      /**< CA file for TLS, "" = system store   */
	char ruri_params[64]; /**< appended to Request-URIs ("user=phone") */
	enum sdp_enc mediaenc; /**< off | optional (default) | mandatory */
	enum sess_rel100 rel100; /**< supported (default) | required | off */
	uint32_t regint;      /**< registration interval, s (3600)      */
	bool answer_after;    /**< honour Call-Info answer-after=N      */
	bool tls_verify;      /**< verify the server certificate (yes)   */
};

/** Defaults for the fields an accounts line leaves out. */
void phone_account_default(struct phone_account *a);

/** Options of the whole phone (config file + command line). */
struct phone_opts {
	const char *listen[8];	    /**< "udp:127.0.0.1:5070", "tcp:...",
					 "tls:[::1]:5061"; one per transport
					 and family; none = UDP, TCP and
					 TLS on free ports of 0.0.0.0 and
					 [::] (IPv6 when the host has it) */
	size_t nlisten;
	const char *cert_dir;	    /**< where our TLS key/cert live     */
	enum audev_backend audio;   /**< PORTAUDIO (default) or NULL     */
	const char *audio_in;	    /**< device name substring, NULL=default */
	const char *audio_out;
	const char *play;	    /**< WAV played into every call, or NULL */
	const char *record;	    /**< WAV written from every call, or NULL;
					 call N>1 writes FILE-N.wav       */
	int auto_answer;	    /**< answer after N s; -1 = never    */
	bool sip_trace;		    /**< PHONE_EV_TRACE for every message */
	const char *media_addr;	    /**< RTP bind/SDP address for calls
					 of its family; NULL (or another
					 family) = the SIP listen address
					 of the call's family             */
	uint16_t rtp_min, rtp_max;  /**< RTP port range (0/0 = any)      */
	const char *user_agent;	    /**< NULL = "phonebox/VERSION"       */
};

void phone_opts_default(struct phone_opts *o);

enum phone_ev_kind {
	PHONE_EV_REGISTERED = 0, /**< account registered (expires)         */
	PHONE_EV_REG_FAILED,	 /**< account failed / retrying (reason)   */
	PHONE_EV_UNREGISTERED,
	PHONE_EV_INCOMING,	 /**< new incoming call (peer, display)    */
	PHONE_EV_CALLING,	 /**< our INVITE is out                    */
	PHONE_EV_RINGING,	 /**< 180/183 (scode; early media or not)  */
	PHONE_EV_FORWARDED,	 /**< 181 hop: fwd_from -> fwd_to          */
	PHONE_EV_REDIRECTED,	 /**< following a 3xx to target            */
	PHONE_EV_ANSWERED,	 /**< established (codec, suite)           */
	PHONE_EV_HOLD,		 /**< on hold (by whom: text "local"/"remote") */
	PHONE_EV_RESUMED,
	PHONE_EV_DTMF,		 /**< digit received                       */
	PHONE_EV_TRANSFER,	 /**< REFER progress (scode, target)       */
	PHONE_EV_ENDED,		 /**< ended: cause + scode                 */
	PHONE_EV_TRACE,		 /**< a SIP message (text, keys redacted)  */
};

/** Name of an event kind as used in script mode ("registered", ...). */
const char *phone_ev_name(enum phone_ev_kind k);

/** One event. Strings are valid during the handler call only. */
struct phone_event {
	enum phone_ev_kind kind;
	unsigned call;	       /**< call number, 0 for account events     */
	const char *account;   /**< account name                          */
	const char *peer;      /**< remote URI                            */
	const char *display;   /**< remote display name ("" if none)      */
	uint16_t scode;	       /**< status code where one applies         */
	const char *reason;    /**< reason phrase / human text            */
	const char *cause;     /**< ENDED: "local", "remote", "busy",
				    "rejected", "cancelled", "timeout",
				    "failed", "unanswered", "replaced"   */
	const char *fwd_from;  /**< FORWARDED: Call-Info username         */
	const char *fwd_to;    /**< FORWARDED: Call-Info contact          */
	const char *target;    /**< REDIRECTED/TRANSFER: the new target;
				    INCOMING: number of the call it
				    replaces (attended transfer), or NULL */
	char digit;	       /**< DTMF                                  */
	const char *codec;     /**< ANSWERED: codec name                  */
	const char *suite;     /**< ANSWERED: SRTP suite, NULL when plain */
	uint32_t expires;      /**< REGISTERED                            */
	const char *text;      /**< TRACE: "<- 127.0.0.1:5060 udp\n" + msg */
	bool outgoing;	       /**< TRACE: sent (true) or received        */
};

typedef void(phone_event_h)(const struct phone_event *ev, void *arg);

/**
 * Create the phone: open the listeners, make the TLS identity if needed.
 * On failure a one-line reason goes to @p err.
 * @return 0, EINVAL (bad listen spec), EADDRINUSE, ENOMEM, or an errno.
 */
int phone_alloc(struct phone **pp, struct loop *loop,
		const struct phone_opts *o, phone_event_h *h, void *arg,
		char *err, size_t errlen);

/** Add an account (copied); starts registering when it has a registrar.
 *  @return 0, EINVAL (bad AOR: reason in @p err), EEXIST, ENOMEM. */
int phone_account_add(struct phone *p, const struct phone_account *a,
		      char *err, size_t errlen);

/**
 * Call @p target: a sip:/sips:/tel: URI, "user@host", or a plain number
 * or name dialled through the account's domain. @p account: account
 * name, NULL = the first. *@p call gets the call number.
 * @return 0, EINVAL (bad target), ENOENT (no such account), ENOMEM.
 */
int phone_dial(struct phone *p, const char *account, const char *target,
	       unsigned *call);

/* The call functions take a call number; 0 means "the current call" (the
 * only one, else the newest). They return 0, ENOENT (no such call) or
 * EPROTO (not in a state where this works: reason via phone_error()). */
int phone_answer(struct phone *p, unsigned call);
int phone_hangup(struct phone *p, unsigned call);
int phone_hold(struct phone *p, unsigned call, bool hold);
int phone_transfer(struct phone *p, unsigned call, const char *target);
/**
 * Attended transfer: connect the party of @p call to the party of
 * @p other (both established; @p other is usually the consultation
 * call): REFER on @p call with Refer-To <other's URI?Replaces=other's
 * dialog>. TRANSFER events follow; on success both calls end.
 */
int phone_transfer_attended(struct phone *p, unsigned call, unsigned other);
int phone_dtmf(struct phone *p, unsigned call, const char *digits);
int phone_mute(struct phone *p, unsigned call, bool mute);

/** Human text for the last failed phone_* call ("no call 3", ...). */
const char *phone_error(const struct phone *p);

/** A call, for the UI's call list. Strings valid until the next loop turn. */
struct phone_call_info {
	unsigned id;
	bool incoming;
	const char *peer;    /**< remote URI                         */
	const char *display;
	const char *state;   /**< "calling", "ringing", "incoming",
				  "early", "active", "held", "ending" */
	uint32_t duration;   /**< seconds since answer (0 before)    */
	const char *codec;   /**< NULL before media                  */
	const char *suite;   /**< SRTP suite, NULL when plain        */
	bool muted;
	bool held;	     /**< on hold, by either side            */
	bool held_here;	     /**< on hold because we put it there    */
	const char *account;
};

/** Fill up to @p max entries; @return the number of calls. */
size_t phone_calls(const struct phone *p, struct phone_call_info *v,
		   size_t max);

struct phone_account_info {
	const char *name;
	const char *aor;
	const char *state; /**< "registered", "registering", "failed",
				"unregistered", "no registrar"        */
	const char *reason;
};

size_t phone_accounts(const struct phone *p, struct phone_account_info *v,
		      size_t max);

/**
 * Check one listen spec ("udp:IP:PORT", "tcp:[IPv6]:PORT", "tls:IP"; port
 * 0 or none = any free port) as phone_alloc() reads it.
 * @return 0, or EINVAL with a message for the user in @p err.
 */
int phone_listen_check(const char *spec, char *err, size_t errlen);

/**
 * Local SIP address of transport "udp"/"tcp"/"tls" as "ip:port" (the IPv4
 * listener when there are both), or of "udp6"/"tcp6"/"tls6" as
 * "[ip]:port" (the IPv6 listener), or NULL.
 */
const char *phone_listen_addr(const struct phone *p, const char *tp);

/** Unregister, end calls (BYE/CANCEL), then free when done; NULL-safe.
 *  Use phone_shutdown() first to let BYEs/un-REGISTERs go out. */
struct phone *phone_free(struct phone *p);

/**
 * Start a clean shutdown: hang up every call, unregister every account.
 * @p doneh is called once all finished (or after 4 s).
 */
void phone_shutdown(struct phone *p, void (*doneh)(void *arg), void *arg);

#endif
