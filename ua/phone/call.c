/* call.c: the call object: creation, session events, the call list.
 *
 * A call lives in phone.calls from its INVITE until its session closes;
 * the list owns it. Events are reported in session order: INCOMING or
 * CALLING first, then RINGING / FORWARDED / REDIRECTED, ANSWERED once
 * the 2xx is acknowledged, HOLD / RESUMED / DTMF / TRANSFER while it
 * lasts, and exactly one ENDED.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#define LOG_TAG "phone"
#include "base/log.h"
#include "ua/phone/priv.h"

static void call_destroy(void *data)
{
	struct call *c = data;

	tmr_cancel(&c->answer_tmr);
	list_unlink(&c->le);
	c->strm = stream_close(c->strm);
	obj_deref(c->sess);
	obj_deref(c->acc);
	memset(&c->res, 0, sizeof(c->res));
	memset(&c->pend, 0, sizeof(c->pend));
}

struct call *call_new(struct phone *p, struct phone_acc *acc, bool incoming)
{
	struct call *c = obj_zalloc(sizeof(*c), call_destroy);

	if (!c)
		return NULL;
	c->p = p;
	c->acc = obj_ref(acc);
	c->id = ++p->next_call;
	c->incoming = incoming;
	list_append(&p->calls, &c->le, c);
	return c;
}

void call_drop(struct call *c)
{
	c->ended = true;
	list_unlink(&c->le);
	obj_deref(c);
}

void call_emit(struct call *c, struct phone_event *ev)
{
	ev->call = c->id;
	ev->account = c->acc->a.name;
	ev->peer = c->peer;
	ev->display = c->display;
	phone_emit(c->p, ev);
}

struct call *phone_call_find(const struct phone *p, unsigned id)
{
	struct le *le;

	if (!p)
		return NULL;
	if (!id) /* the current call: the newest one not ending */
		return p->calls.tail ? p->calls.tail->data : NULL;
	LIST_FOREACH(&p->calls, le)
	{
		struct call *c = le->data;

		if (c->id == id)
			return c;
	}
	return NULL;
}

size_t phone_call_count(const struct phone *p)
{
	return p ? list_count(&p->calls) : 0;
}

static struct call *sess_call(void *arg)
{
	return arg;
}

/* the referrer of call @p c, when c was placed for a REFER */
static struct call *referrer(const struct call *c)
{
	return c->refer_of ? phone_call_find(c->p, c->refer_of) : NULL;
}

static void refer_report(struct call *c, uint16_t scode, const char *reason)
{
	struct call *r = referrer(c);

	if (!r || !r->sess)
		return;
	(void)sess_refer_notify(r->sess, scode, reason);
	if (scode >= 200 && scode < 300)
		(void)sess_hangup(r->sess); /* transfer done: leave */
	if (scode >= 200)
		c->refer_of = 0;
}

static void progressh(struct sess *s, uint16_t scode, const char *reason,
		      void *arg)
{
	struct call *c = sess_call(arg);
	struct phone_event ev;

	(void)s;
	if (scode == 181 || c->state == CALL_ACTIVE)
		return; /* 181 is told by forwardh */
	c->state = scode == 183 && c->have_res ? CALL_EARLY : CALL_RINGING;
	memset(&ev, 0, sizeof(ev));
	ev.kind = PHONE_EV_RINGING;
	ev.scode = scode;
	ev.reason = reason;
	call_emit(c, &ev);
	if (c->refer_of && !c->refer_ringing) {
		c->refer_ringing = true;
		refer_report(c, 180, "Ringing");
	}
}

static void forwardh(struct sess *s, const struct sess_fwd *fwd, void *arg)
{
	struct call *c = sess_call(arg);
	struct phone_event ev;

	(void)s;
	memset(&ev, 0, sizeof(ev));
	ev.kind = PHONE_EV_FORWARDED;
	ev.scode = 181;
	ev.fwd_from = fwd->username;
	ev.fwd_to = fwd->contact;
	ev.reason = fwd->reason;
	call_emit(c, &ev);
}

static void redirecth(struct sess *s, uint16_t scode, const char *target,
		      uint32_t hop, void *arg)
{
	struct call *c = sess_call(arg);
	struct phone_event ev;

	(void)s;
	(void)hop;
	memset(&ev, 0, sizeof(ev));
	ev.kind = PHONE_EV_REDIRECTED;
	ev.scode = scode;
	ev.target = target;
	call_emit(c, &ev);
}

static void establishedh(struct sess *s, void *arg)
{
	struct call *c = sess_call(arg);
	struct phone_event ev;

	if (c->state == CALL_ACTIVE)
		return;
	c->state = CALL_ACTIVE;
	c->answered = true;
	c->t_answer = loop_now(c->p->loop);
	snprintf(c->peer, sizeof(c->peer), "%s", sess_peer_uri(s));
	memset(&ev, 0, sizeof(ev));
	ev.kind = PHONE_EV_ANSWERED;
	ev.scode = 200;
	ev.codec = c->have_res ? c->codec : NULL;
	ev.suite = c->have_res ? c->suite : NULL;
	call_emit(c, &ev);
	if (c->refer_of)
		refer_report(c, 200, "OK");
}

static void infoh(struct sess *s, char digit, void *arg)
{
	(void)s;
	call_dtmfh(digit, arg);
}

static void transfer_event(struct call *c, uint16_t scode, const char *target,
			   const char *reason)
{
	struct phone_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = PHONE_EV_TRANSFER;
	ev.scode = scode;
	ev.target = target;
	ev.reason = reason;
	call_emit(c, &ev);
}

/* REFER received: call the target in a new call (with the Replaces of an
   attended transfer), report back by NOTIFY */
static void referh(struct sess *s, const char *target, void *arg)
{
	struct call *c = sess_call(arg);
	const char *repl = sess_refer_replaces_value(s);
	char hdrs[600];
	unsigned id;
	int e;

	if (repl)
		snprintf(hdrs, sizeof(hdrs),
			 "Replaces: %s\r\nRequire: replaces\r\n", repl);
	transfer_event(c, 0, target,
		       repl ? "attended transfer requested"
			    : "transfer requested");
	e = call_dial(c->p, c->acc, target, c->id, repl ? hdrs : NULL, &id);
	if (e) {
		(void)sess_refer_notify(s, 503, "Service Unavailable");
		transfer_event(c, 503, target, "cannot call the target");
	}
}

/* hang up call @p c unless it is ending already */
static void leave(struct call *c)
{
	if (!c || c->ended || c->state == CALL_ENDING)
		return;
	tmr_cancel(&c->answer_tmr);
	c->state = CALL_ENDING;
	(void)sess_hangup(c->sess);
}

static void refer_statush(struct sess *s, uint16_t scode, void *arg)
{
	struct call *c = sess_call(arg);
	unsigned with = c->xfer_with;

	(void)s;
	transfer_event(c, scode, c->xfer,
		       scode >= 300   ? "transfer failed"
		       : scode >= 200 ? "transferred"
				      : "transfer in progress");
	if (scode < 200 || !with)
		return;
	c->xfer_with = 0;
	if (scode >= 300)
		return; /* both calls stay, as they were */
	/* attended transfer done: the two parties talk, we leave both */
	obj_ref(c);
	leave(phone_call_find(c->p, with));
	leave(c);
	obj_deref(c);
}

static const char *end_cause(const struct call *c, enum sess_end how,
			     uint16_t scode)
{
	if (c->replaced)
		return "replaced";
	switch (how) {
	case SESS_END_LOCAL:
		return !c->incoming && !c->answered ? "cancelled" : "local";
	case SESS_END_REMOTE:
		return c->incoming && !c->answered ? "unanswered" : "remote";
	case SESS_END_REJECTED:
		if (scode == 486 || scode == 600)
			return "busy";
		if (scode == 487)
			return "cancelled";
		if (scode == 408)
			return "timeout";
		return "rejected";
	case SESS_END_TIMEOUT:
		return "timeout";
	case SESS_END_ERROR:
		return "failed";
	}
	return "failed";
}

static void closeh(struct sess *s, enum sess_end how, uint16_t scode,
		   const char *reason, void *arg)
{
	struct call *c = sess_call(arg);
	struct phone_event ev;

	(void)s;
	if (c->ended)
		return;
	c->ended = true;
	tmr_cancel(&c->answer_tmr);
	c->strm = stream_close(c->strm);
	memset(&ev, 0, sizeof(ev));
	ev.kind = PHONE_EV_ENDED;
	ev.scode = scode;
	ev.reason = reason ? reason : "";
	ev.cause = end_cause(c, how, scode);
	if (c->refer_of)
		refer_report(c, scode >= 300 ? scode : 487,
			     reason && *reason ? reason : "Failed");
	call_emit(c, &ev);
	list_unlink(&c->le);
	obj_deref(c);
}

uint16_t call_replaces_find(struct phone *p, const struct sip_msg *msg,
			    unsigned *old, const char **why)
{
	struct sess *s = NULL;
	uint16_t sc = sess_replaces_find(p->sl, msg, &s);
	struct le *le;

	*old = 0;
	*why = NULL;
	switch (sc) {
	case 0:
		break;
	case 400:
		*why = "malformed Replaces";
		return sc;
	case 486:
		*why = "the call to replace is no longer early";
		return sc;
	case 603:
		*why = "the call to replace is ending";
		return sc;
	default:
		*why = "no call matches the Replaces header";
		return sc;
	}
	LIST_FOREACH(&p->calls, le)
	{
		struct call *c = le->data;

		if (s && c->sess == s && !c->ended) {
			*old = c->id;
			return 0;
		}
	}
	if (s) {
		*why = "no call matches the Replaces header";
		return 481;
	}
	return 0;
}

void call_replace(struct call *c, unsigned old)
{
	struct call *o = phone_call_find(c->p, old);
	struct phone_event ev;
	char num[16];

	snprintf(num, sizeof(num), "%u", old);
	memset(&ev, 0, sizeof(ev));
	ev.kind = PHONE_EV_INCOMING;
	ev.target = num;
	call_emit(c, &ev);
	if (o && !o->ended) {
		o->replaced = true;
		leave(o);
	}
	if (!c->ended)
		(void)phone_answer(c->p, c->id);
}

const struct sess_handlers call_sess_h = {
    .offerh = call_offerh,
    .answerh = call_answerh,
    .remote_answerh = call_remote_answerh,
    .progressh = progressh,
    .forwardh = forwardh,
    .redirecth = redirecth,
    .establishedh = establishedh,
    .infoh = infoh,
    .referh = referh,
    .refer_statush = refer_statush,
    .closeh = closeh,
};

void call_sess_opts(const struct call *c, struct sess_opts *o, char *from,
		    size_t fromlen)
{
	const struct phone_account *a = &c->acc->a;

	sess_opts_default(o);
	if (a->display[0])
		snprintf(from, fromlen, "\"%s\" <%s>", a->display, a->aor);
	else
		snprintf(from, fromlen, "<%s>", a->aor);
	o->from = from;
	o->contact_user = c->acc->user;
	o->auth_user = a->auth_user[0] ? a->auth_user : NULL;
	o->auth_pass = a->auth_pass[0] ? a->auth_pass : NULL;
	o->proxy = a->proxy[0] ? a->proxy : NULL;
	o->rel100 = a->rel100;
}

int phone_call_layer_alloc(struct phone *p)
{
	return sess_layer_alloc(&p->sl, p->st);
}

bool phone_call_recv(struct phone *p, const struct sip_msg *msg,
		     const struct tsx_addr *src)
{
	return p->sl && sess_layer_recv(p->sl, msg, src);
}

void phone_call_hangup_all(struct phone *p)
{
	struct le *le = p->calls.head;

	while (le) {
		struct call *c = le->data;

		le = le->next;
		if (!c->ended && c->sess && c->state != CALL_ENDING) {
			c->state = CALL_ENDING;
			(void)sess_hangup(c->sess);
		}
	}
}

void phone_call_close_all(struct phone *p)
{
	struct le *le;

	LIST_FOREACH(&p->calls, le)
	{
		struct call *c = le->data;

		c->ended = true;
	}
	list_flush(&p->calls);
}

static const char *state_name(const struct call *c)
{
	switch (c->state) {
	case CALL_CALLING:
		return "calling";
	case CALL_RINGING:
		return "ringing";
	case CALL_INCOMING:
		return "incoming";
	case CALL_EARLY:
		return "early";
	case CALL_ACTIVE:
		return c->local_hold || c->remote_hold ? "held" : "active";
	case CALL_ENDING:
		return "ending";
	}
	return "ending";
}

size_t phone_calls(const struct phone *p, struct phone_call_info *v, size_t max)
{
	struct le *le;
	size_t n = 0;

	if (!p)
		return 0;
	LIST_FOREACH(&p->calls, le)
	{
		const struct call *c = le->data;

		if (v && n < max) {
			struct phone_call_info *i = &v[n];

			memset(i, 0, sizeof(*i));
			i->id = c->id;
			i->incoming = c->incoming;
			i->peer = c->peer;
			i->display = c->display;
			i->state = state_name(c);
			if (c->state == CALL_ACTIVE)
				i->duration = (uint32_t)((loop_now(p->loop) -
							  c->t_answer) /
							 1000);
			i->codec = c->have_res ? c->codec : NULL;
			i->suite = c->have_res ? c->suite : NULL;
			i->muted = c->muted;
			i->held = c->local_hold || c->remote_hold;
			i->held_here = c->local_hold;
			i->account = c->acc->a.name;
		}
		n++;
	}
	return n;
}
