/* sess_fix.h: fixture for session tests: user agents (stack + session
 * layer over real UDP on 127.0.0.1) in one loop, the test acting as the
 * owner of every session, with a wire trace of what each side sent. */
#ifndef PB_TESTS_SESS_FIX_H
#define PB_TESTS_SESS_FIX_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>

#include "base/loop.h"
#include "harness.h"
#include "ua/auth/auth.h"
#include "ua/sess/sess.h"
#include "ua/sip/print.h"
#include "ua/stack/stack.h"
#include "ua/stack/stacktp.h"

enum { FIX_UA_MAX = 3, FIX_WIRE_MAX = 96, FIX_REC = 8 };

/** What a callee does with a new INVITE. */
enum fix_act {
	FIX_NOTHING = 0,     /**< only sess_incoming (100 Trying)   */
	FIX_RING,	     /**< 180                               */
	FIX_PROGRESS,	     /**< 183 with the answer               */
	FIX_ANSWER,	     /**< 200 at once                       */
	FIX_RING_ANSWER,     /**< 180 then 200                      */
	FIX_BUSY,	     /**< 486                               */
	FIX_REDIRECT,	     /**< 302 to fix_ua.redirect (no sess)  */
	FIX_FWD181,	     /**< two 181 then 480 (no sess)        */
	FIX_PROGRESS_ANSWER, /**< 183 then 200 at once          */
	FIX_FORWARD_ANSWER,  /**< two sess_forwarding, 180, 200  */
};

struct fix;

struct fix_ua {
	struct fix *f;
	const char *name;
	struct stack *st;
	struct tp *tp; /**< ua/tp transports (or NULL: UDP only) */
	struct sess_layer *sl;
	struct sess *s;		  /**< newest session (owner ref)        */
	struct sess_opts o;	  /**< options for its sessions          */
	char uri[64];		  /**< "sip:NAME@127.0.0.1:PORT"         */
	enum fix_act act;	  /**< on a new INVITE                   */
	const char *offer;	  /**< what offerh writes (NULL: none)   */
	const char *answer;	  /**< what answerh writes               */
	const char *redirect;	  /**< Contact of FIX_REDIRECT           */
	struct auth_server *auth; /**< challenge new INVITEs (407)      */
	int incoming_err;	  /**< last sess_incoming() error        */
	bool drop_prack;	  /**< swallow PRACKs                    */
	bool prack_405;		  /**< answer PRACKs 405                 */
	bool drop_ack;		  /**< swallow ACKs                      */
	bool drop_cancel;	  /**< swallow CANCELs                   */
	bool auth_bye;		  /**< challenge BYE (401), not INVITE   */

	/* what the owner saw */
	int nincoming, nestablished, nclose, nprogress, ninfo, nrefer;
	int nfwd, nredirect, nrefer_status, nanswerh, nremote_answer;
	enum sess_end how;
	uint16_t close_scode;
	char close_reason[64];
	uint16_t progress[FIX_REC];
	char offer_got[128];  /**< last offer given to answerh          */
	char answer_got[128]; /**< last answer given to remote_answerh */
	char digits[16];
	char refer_target[128];
	uint16_t refer_status[FIX_REC];
	char fwd_user[FIX_REC][32], fwd_contact[FIX_REC][32];
	char redirect_target[FIX_REC][64];
	uint32_t redirect_hop[FIX_REC];

	/* every message sent (tx) by this side, as text */
	char *wire[FIX_WIRE_MAX];
	size_t nwire;
};

struct fix {
	struct loop *loop;
	struct fix_ua ua[FIX_UA_MAX];
	size_t n;
};

static inline void fix_offer_rec(char *dst, size_t size, const struct pl *pl)
{
	snprintf(dst, size, "%.*s", PL_ARG(*pl));
}

static inline int fix_offerh(struct sess *s, struct buf *sdp, void *arg)
{
	struct fix_ua *u = arg;

	(void)s;
	return u->offer ? buf_write_str(sdp, u->offer) : 0;
}

static inline int fix_answerh(struct sess *s, const struct pl *offer,
			      struct buf *sdp, uint16_t *scode,
			      const char **reason, void *arg)
{
	struct fix_ua *u = arg;

	(void)s;
	u->nanswerh++;
	fix_offer_rec(u->offer_got, sizeof(u->offer_got), offer);
	if (!u->answer) {
		*scode = 488;
		*reason = "No codec";
		return EPROTO;
	}
	return buf_write_str(sdp, u->answer);
}

static inline int fix_remote_answerh(struct sess *s, const struct pl *answer,
				     void *arg)
{
	struct fix_ua *u = arg;

	(void)s;
	u->nremote_answer++;
	fix_offer_rec(u->answer_got, sizeof(u->answer_got), answer);
	return 0;
}

static inline void fix_progressh(struct sess *s, uint16_t scode,
				 const char *reason, void *arg)
{
	struct fix_ua *u = arg;

	(void)s;
	(void)reason;
	if (u->nprogress < FIX_REC)
		u->progress[u->nprogress] = scode;
	u->nprogress++;
}

static inline void fix_forwardh(struct sess *s, const struct sess_fwd *fwd,
				void *arg)
{
	struct fix_ua *u = arg;

	(void)s;
	if (u->nfwd < FIX_REC) {
		snprintf(u->fwd_user[u->nfwd], 32, "%s", fwd->username);
		snprintf(u->fwd_contact[u->nfwd], 32, "%s", fwd->contact);
	}
	u->nfwd++;
}

static inline void fix_redirecth(struct sess *s, uint16_t scode,
				 const char *target, uint32_t hop, void *arg)
{
	struct fix_ua *u = arg;

	(void)s;
	(void)scode;
	if (u->nredirect < FIX_REC) {
		snprintf(u->redirect_target[u->nredirect], 64, "%s", target);
		u->redirect_hop[u->nredirect] = hop;
	}
	u->nredirect++;
}

static inline void fix_establishedh(struct sess *s, void *arg)
{
	struct fix_ua *u = arg;

	(void)s;
	u->nestablished++;
}

static inline void fix_infoh(struct sess *s, char digit, void *arg)
{
	struct fix_ua *u = arg;
	size_t n = strlen(u->digits);

	(void)s;
	if (n + 1 < sizeof(u->digits))
		u->digits[n] = digit;
	u->ninfo++;
}

static inline void fix_referh(struct sess *s, const char *target, void *arg)
{
	struct fix_ua *u = arg;

	(void)s;
	snprintf(u->refer_target, sizeof(u->refer_target), "%s", target);
	u->nrefer++;
}

static inline void fix_refer_statush(struct sess *s, uint16_t scode, void *arg)
{
	struct fix_ua *u = arg;

	(void)s;
	if (u->nrefer_status < FIX_REC)
		u->refer_status[u->nrefer_status] = scode;
	u->nrefer_status++;
}

static inline void fix_closeh(struct sess *s, enum sess_end how, uint16_t scode,
			      const char *reason, void *arg)
{
	struct fix_ua *u = arg;

	(void)s;
	u->nclose++;
	u->how = how;
	u->close_scode = scode;
	snprintf(u->close_reason, sizeof(u->close_reason), "%s", reason);
}

static const struct sess_handlers fix_h = {
    .offerh = fix_offerh,
    .answerh = fix_answerh,
    .remote_answerh = fix_remote_answerh,
    .progressh = fix_progressh,
    .forwardh = fix_forwardh,
    .redirecth = fix_redirecth,
    .establishedh = fix_establishedh,
    .infoh = fix_infoh,
    .referh = fix_referh,
    .refer_statush = fix_refer_statush,
    .closeh = fix_closeh,
};

static inline void fix_trace(bool tx, const struct tsx_addr *peer,
			     const struct pl *data, void *arg)
{
	struct fix_ua *u = arg;

	(void)peer;
	if (!tx && getenv("FIX_DUMP_RX"))
		fprintf(stderr, "--- %s got:\n%.*s\n", u->name, PL_ARG(*data));
	if (!tx || u->nwire >= FIX_WIRE_MAX)
		return;
	u->wire[u->nwire++] = obj_strndup(data->p, data->l);
}

/* a 407 (or 401 when !@p proxy) challenge unless @p msg carries good
   credentials of alice/secret */
static inline bool fix_auth_ok(struct fix_ua *u, const struct sip_msg *msg,
			       const struct tsx_addr *src, bool proxy)
{
	const struct sip_hdr *h = sip_msg_hdr(
	    msg, proxy ? SIP_HDR_PROXY_AUTHORIZATION : SIP_HDR_AUTHORIZATION);
	struct auth_cred cr;
	struct buf *hb;
	char ha1[AUTH_HEX_MAX], user[32];

	if (h && !auth_cred_decode(&cr, &h->val)) {
		auth_unquote(user, sizeof(user), &cr.username);
		auth_ha1(ha1, cr.alg, user, "test", "secret");
		if (!strcmp(user, "alice") &&
		    !auth_server_verify(u->auth, &cr, &msg->met, ha1, 1, NULL))
			return true;
	}
	if (buf_alloc(&hb, 256))
		return false;
	buf_write_str(hb,
		      proxy ? "Proxy-Authenticate: " : "WWW-Authenticate: ");
	auth_server_challenge(u->auth, hb, AUTH_ALG_MD5, false, 1, NULL);
	buf_write(hb, "\r\n", 3);
	tsx_reply_stateless(stack_tsx(u->st), msg, src, proxy ? 407 : 401, NULL,
			    NULL, (const char *)hb->b);
	obj_deref(hb);
	return false;
}

static inline void fix_act(struct fix_ua *u)
{
	switch (u->act) {
	case FIX_RING:
		CHECK(!sess_ringing(u->s));
		break;
	case FIX_PROGRESS:
		CHECK(!sess_progress(u->s));
		break;
	case FIX_ANSWER:
		CHECK(!sess_answer(u->s));
		break;
	case FIX_RING_ANSWER:
		CHECK(!sess_ringing(u->s));
		CHECK(!sess_answer(u->s));
		break;
	case FIX_PROGRESS_ANSWER:
		CHECK(!sess_progress(u->s));
		CHECK(!sess_answer(u->s));
		break;
	case FIX_FORWARD_ANSWER: {
		struct sess_fwd f1 = {"userb", "userc", ""};
		struct sess_fwd f2 = {"userc", "userd", ""};
		struct sess_fwd bad = {"us\"er", "x", ""};
		CHECK(!sess_forwarding(u->s, &f1));
		CHECK(!sess_forwarding(u->s, &f2));
		CHECK_EQ_INT(sess_forwarding(u->s, &bad), EINVAL);
		CHECK(!sess_ringing(u->s));
		CHECK(!sess_answer(u->s));
		break;
	}
	case FIX_BUSY:
		CHECK(!sess_reject(u->s, 486, NULL));
		break;
	default:
		break;
	}
}

static inline void fix_reqh(struct stack *st, const struct sip_msg *msg,
			    const struct tsx_addr *src, void *arg)
{
	struct fix_ua *u = arg;
	struct sess *s = NULL;

	if (msg->method == SIP_METHOD_INVITE && !pl_isset(&msg->to.tag)) {
		if (u->act == FIX_REDIRECT) {
			char hdr[128];
			struct tsx *t;
			snprintf(hdr, sizeof(hdr), "Contact: <%s>\r\n",
				 u->redirect);
			u->nincoming++;
			if (!tsx_server_alloc(&t, stack_tsx(st), msg, src))
				tsx_reply(t, 302, NULL, "rdr", hdr, NULL);
			return;
		}
		if (u->act == FIX_FWD181) {
			struct tsx *t;
			u->nincoming++;
			if (tsx_server_alloc(&t, stack_tsx(st), msg, src))
				return;
			tsx_reply(t, 181, NULL, "fwd",
				  "Contact: <sip:pbx@127.0.0.1>\r\n"
				  "Call-Info: <sip:pbx@127.0.0.1>;"
				  "purpose=forwarding, username=\"userb\", "
				  "contact=\"userc\"\r\n",
				  NULL);
			tsx_reply(t, 181, "Forwarded again", "fwd",
				  "Contact: <sip:pbx@127.0.0.1>\r\n"
				  "Call-Info: <sip:pbx@127.0.0.1>;"
				  "purpose=forwarding;username=\"userc\";"
				  "contact=\"userd\"\r\n",
				  NULL);
			tsx_reply(t, 480, NULL, "fwd", NULL, NULL);
			return;
		}
		if (u->auth && !u->auth_bye && !fix_auth_ok(u, msg, src, true))
			return;
		u->incoming_err =
		    sess_incoming(&s, u->sl, msg, src, &u->o, &fix_h, u);
		if (u->incoming_err)
			return;
		obj_deref(u->s);
		u->s = s;
		u->nincoming++;
		fix_act(u);
		return;
	}
	if (msg->method == SIP_METHOD_PRACK && u->drop_prack)
		return;
	if (msg->method == SIP_METHOD_PRACK && u->prack_405) {
		stack_reply(st, msg, src, 405, NULL);
		return;
	}
	if (msg->method == SIP_METHOD_ACK && u->drop_ack)
		return;
	if (msg->method == SIP_METHOD_CANCEL && u->drop_cancel)
		return;
	if (msg->method == SIP_METHOD_BYE && u->auth_bye &&
	    !fix_auth_ok(u, msg, src, false))
		return;
	if (sess_layer_recv(u->sl, msg, src))
		return;
	stack_reply(st, msg, src, 481, NULL);
}

static const struct stack_handlers fix_stack_h = {fix_reqh, NULL};

static inline int fix_port(const struct sockaddr_storage *sa)
{
	return ntohs(((const struct sockaddr_in *)sa)->sin_port);
}

static inline int fix_ua_open(struct fix *f, struct fix_ua *u, const char *name)
{
	int err;

	memset(u, 0, sizeof(*u));
	u->f = f;
	u->name = name;
	err = stack_alloc(&u->st, f->loop, NULL, &fix_stack_h, u);
	if (!err)
		err = stack_udp_listen(u->st, "127.0.0.1", 0);
	if (!err)
		err = sess_layer_alloc(&u->sl, u->st);
	if (err)
		return err;
	stack_set_trace(u->st, fix_trace, u);
	snprintf(u->uri, sizeof(u->uri), "sip:%s@127.0.0.1:%d", name,
		 fix_port(stack_laddr(u->st, TSX_TP_UDP)));
	sess_opts_default(&u->o);
	u->o.from = u->uri;
	u->o.contact_user = name;
	u->offer = "v=0 offer-of-";
	u->answer = "v=0 answer";
	return 0;
}

/** Re-open @p u over ua/tp with UDP and TCP; its URI asks for TCP. */
static inline int fix_ua_tcp(struct fix *f, struct fix_ua *u)
{
	struct tp_opts to;
	struct sa la;
	char hp[SA_STR_MAX];
	int err;

	u->sl = obj_deref(u->sl);
	u->st = obj_deref(u->st);
	tp_opts_default(&to);
	err = stack_alloc(&u->st, f->loop, NULL, &fix_stack_h, u);
	if (!err)
		err = tp_alloc(&u->tp, f->loop, &to, &stack_tp_handlers, u->st);
	if (!err)
		err = sa_set(&la, "127.0.0.1", 0);
	if (!err)
		err = tp_listen(u->tp, TP_UDP | TP_TCP, &la);
	if (!err)
		err = stack_tp_attach(u->st, u->tp);
	if (!err)
		err = sess_layer_alloc(&u->sl, u->st);
	if (!err)
		err = tp_laddr(u->tp, TP_TCP, AF_INET, &la);
	if (err)
		return err;
	stack_set_trace(u->st, fix_trace, u);
	snprintf(u->uri, sizeof(u->uri), "sip:%s@%s;transport=tcp", u->name,
		 sa_print(&la, hp, sizeof(hp)));
	return 0;
}

/** Open @p n user agents "a", "b", "c" on one loop. */
static inline int fix_open(struct fix *f, size_t n, bool fake_clock)
{
	static const char *const names[FIX_UA_MAX] = {"alice", "bob", "carol"};
	size_t i;
	int err;

	memset(f, 0, sizeof(*f));
	err = loop_alloc(&f->loop);
	if (err)
		return err;
	if (fake_clock)
		loop_clock_fake(f->loop, 1000);
	for (i = 0; i < n && !err; i++) {
		err = fix_ua_open(f, &f->ua[i], names[i]);
		f->n = i + 1;
	}
	return err;
}

static inline void fix_close(struct fix *f)
{
	size_t i, k;

	for (i = 0; i < f->n; i++) {
		struct fix_ua *u = &f->ua[i];
		u->s = obj_deref(u->s);
		u->sl = obj_deref(u->sl);
		u->st = obj_deref(u->st);
		u->tp = obj_deref(u->tp);
		u->auth = obj_deref(u->auth);
		for (k = 0; k < u->nwire; k++)
			obj_deref(u->wire[k]);
	}
	f->loop = obj_deref(f->loop);
}

/** Poll (and on a fake clock advance 10 ms per round) until *@p c >= want. */
static inline bool fix_run(struct fix *f, const int *c, int want)
{
	int i;

	for (i = 0; i < 1000 && *c < want; i++) {
		loop_poll(f->loop, 5);
		if (*c < want)
			loop_advance(f->loop, 10);
	}
	return *c >= want;
}

/** Let messages in flight settle: poll @p rounds times. */
static inline void fix_settle(struct fix *f, int rounds)
{
	int i;

	for (i = 0; i < rounds; i++)
		loop_poll(f->loop, 5);
}

/** @p a calls @p b with the fixture's handlers; the session is a->s. */
static inline struct sess *fix_call(struct fix_ua *a, struct fix_ua *b)
{
	struct sess *s = NULL;

	CHECK_EQ_INT(sess_connect(&s, a->sl, b->uri, &a->o, &fix_h, a), 0);
	a->s = s;
	return s;
}

/** @p a calls @p b, which rings (180); wait until @p a has heard it. */
static inline void fix_ringing(struct fix *f, struct fix_ua *a,
			       struct fix_ua *b)
{
	b->act = FIX_RING;
	fix_call(a, b);
	CHECK(fix_run(f, &a->nprogress, 1));
}

/** @p a calls @p b, which answers at once; wait until both are in the call. */
static inline void fix_established(struct fix *f, struct fix_ua *a,
				   struct fix_ua *b)
{
	b->act = FIX_ANSWER;
	fix_call(a, b);
	CHECK(fix_run(f, &b->nestablished, 1));
	CHECK(fix_run(f, &a->nestablished, 1));
}

/** @p a calls @p b, which sends 183 with its answer; wait for the answer. */
static inline void fix_early_media(struct fix *f, struct fix_ua *a,
				   struct fix_ua *b)
{
	b->act = FIX_PROGRESS;
	fix_call(a, b);
	CHECK(fix_run(f, &a->nremote_answer, 1));
}

/** Late offer: caller @p a sends no offer, callee @p b offers, a answers. */
static inline void fix_late_offer(struct fix_ua *a, struct fix_ua *b)
{
	a->offer = NULL;
	a->answer = "v=0 alice-answer";
	b->offer = "v=0 bob-offer";
}

/** Callee @p b answers @p a's call; wait until both are in the call. */
static inline void fix_answer(struct fix *f, struct fix_ua *b, struct fix_ua *a)
{
	CHECK_EQ_INT(sess_answer(b->s), 0);
	CHECK(fix_run(f, &a->nestablished, 1));
	CHECK(fix_run(f, &b->nestablished, 1));
}

/** @p x hangs up; wait until @p y has seen its session close. */
static inline void fix_hangup(struct fix *f, struct fix_ua *x, struct fix_ua *y)
{
	CHECK_EQ_INT(sess_hangup(x->s), 0);
	CHECK(fix_run(f, &y->nclose, 1));
}

/** The @p nth (0-based) message sent by @p u that starts with @p start. */
static inline const char *fix_sent(const struct fix_ua *u, const char *start,
				   int nth)
{
	size_t i;

	for (i = 0; i < u->nwire; i++) {
		if (!strncmp(u->wire[i], start, strlen(start)) && nth-- == 0)
			return u->wire[i];
	}
	return NULL;
}

/** The first response sent by @p u starting @p start for method @p m. */
static inline const char *fix_resp(const struct fix_ua *u, const char *start,
				   const char *m)
{
	char cs[32];
	const char *x;
	int n;

	for (n = 0; (x = fix_sent(u, start, n)); n++) {
		const char *p = strstr(x, "\r\nCSeq:");
		if (p && sscanf(p + 7, "%*u %31s", cs) == 1 && !strcmp(cs, m))
			return x;
	}
	return NULL;
}

/** Print what @p u sent (for failing tests). */
static inline void fix_dump(const struct fix_ua *u)
{
	size_t i;

	for (i = 0; i < u->nwire; i++)
		fprintf(stderr, "--- %s sent:\n%s\n", u->name, u->wire[i]);
}

/** Index in @p u's wire log of message @p m (-1 when absent). */
static inline int fix_index(const struct fix_ua *u, const char *m)
{
	size_t i;

	for (i = 0; m && i < u->nwire; i++)
		if (u->wire[i] == m)
			return (int)i;
	return -1;
}

/** How many messages sent by @p u start with @p start. */
static inline int fix_count(const struct fix_ua *u, const char *start)
{
	int n = 0;

	while (fix_sent(u, start, n))
		n++;
	return n;
}

/** Value of header @p name in message text @p m ("" when absent). */
static inline const char *fix_hdr(const char *m, const char *name, char *buf,
				  size_t size)
{
	char key[64];
	const char *p, *e;

	snprintf(key, sizeof(key), "\r\n%s:", name);
	buf[0] = '\0';
	if (!m || !(p = strstr(m, key)))
		return buf;
	p += strlen(key);
	while (*p == ' ')
		p++;
	e = strstr(p, "\r\n");
	snprintf(buf, size, "%.*s", (int)(e ? e - p : (long)strlen(p)), p);
	return buf;
}

#endif
