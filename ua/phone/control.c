/* control.c: what the user does to a call: answer, hang up, hold,
 * transfer, DTMF, mute. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ua/phone/priv.h"

/* States a control may want its call in (masks of 1 << enum call_state). */
enum {
	CTL_ANY = 0,
	CTL_ACTIVE = 1u << CALL_ACTIVE,
	CTL_MEDIA = (1u << CALL_ACTIVE) | (1u << CALL_EARLY),
};

/* The call numbered @p id (0: the current one) into *@p cp, in one of the
 * states of @p need (CTL_ANY: any). 0, EINVAL, or ENOENT / EPROTO with the
 * phone's error text set. */
static int lookup(struct phone *p, unsigned id, unsigned need, struct call **cp)
{
	struct call *c;

	if (!p)
		return EINVAL;
	c = phone_call_find(p, id);
	if (!c || c->ended) {
		if (id)
			return phone_fail(p, ENOENT, "no call %u", id);
		return phone_fail(p, ENOENT, "no call");
	}
	if (need && !(need & (1u << c->state)))
		return phone_fail(p, EPROTO, "call %u is not established",
				  c->id);
	*cp = c;
	return 0;
}

/* 0, or EPROTO with "cannot @p what call N: why" for the session error. */
static int done(struct phone *p, const struct call *c, const char *what, int e)
{
	if (!e)
		return 0;
	return phone_fail(p, EPROTO, "cannot %s call %u: %s", what, c->id,
			  strerror(e));
}

/* the newest call ringing here, or NULL */
static struct call *ringing_call(struct phone *p)
{
	struct le *le;

	for (le = p->calls.tail; le; le = le->prev) {
		struct call *c = le->data;

		if (c->incoming && c->state == CALL_INCOMING && !c->ended)
			return c;
	}
	return NULL;
}

int phone_answer(struct phone *p, unsigned call)
{
	struct call *c = p && !call ? ringing_call(p) : NULL;
	int e;

	if (!c && (e = lookup(p, call, CTL_ANY, &c)))
		return e;
	if (!c->incoming || c->state != CALL_INCOMING)
		return phone_fail(p, EPROTO, "call %u is not ringing here",
				  c->id);
	tmr_cancel(&c->answer_tmr);
	return done(p, c, "answer", sess_answer(c->sess));
}

int phone_hangup(struct phone *p, unsigned call)
{
	struct call *c = NULL;
	int e = lookup(p, call, CTL_ANY, &c);

	if (e)
		return e;
	if (c->state == CALL_ENDING)
		return 0;
	tmr_cancel(&c->answer_tmr);
	c->state = CALL_ENDING;
	return done(p, c, "hang up", sess_hangup(c->sess));
}

int phone_hold(struct phone *p, unsigned call, bool hold)
{
	struct call *c = NULL;
	int e = lookup(p, call, CTL_ACTIVE, &c);

	if (e)
		return e;
	if (c->local_hold == hold)
		return 0;
	c->local_hold = hold;
	e = sess_reinvite(c->sess);
	if (e) {
		c->local_hold = !hold;
		return phone_fail(p, EPROTO, "cannot %s call %u: %s",
				  hold ? "hold" : "resume", c->id,
				  e == EBUSY ? "an offer is pending, try again"
					     : strerror(e));
	}
	return 0;
}

int phone_transfer(struct phone *p, unsigned call, const char *target)
{
	struct call *c = NULL;
	char uri[512];
	int e;

	if (!target)
		return EINVAL;
	if ((e = lookup(p, call, CTL_ACTIVE, &c)))
		return e;
	if (phone_target_uri(c->acc, target, uri, sizeof(uri)))
		return phone_fail(p, EINVAL, "cannot transfer to '%s'", target);
	snprintf(c->xfer, sizeof(c->xfer), "%s", uri);
	return done(p, c, "transfer", sess_refer(c->sess, uri));
}

int phone_transfer_attended(struct phone *p, unsigned call, unsigned other)
{
	struct call *c = NULL, *o = NULL;
	int e;

	if (!call || !other)
		return p ? phone_fail(p, EINVAL, "name both calls") : EINVAL;
	if ((e = lookup(p, call, CTL_ACTIVE, &c)) ||
	    (e = lookup(p, other, CTL_ACTIVE, &o)))
		return e;
	if (c == o)
		return phone_fail(p, EINVAL,
				  "cannot transfer call %u to itself", c->id);
	snprintf(c->xfer, sizeof(c->xfer), "%s", sess_peer_uri(o->sess));
	e = sess_refer_replaces(c->sess, o->sess, c->xfer);
	if (!e)
		c->xfer_with = o->id;
	return done(p, c, "transfer", e);
}

static bool digit_ok(char d)
{
	return (d >= '0' && d <= '9') || d == '*' || d == '#' ||
	       (d >= 'A' && d <= 'D') || (d >= 'a' && d <= 'd');
}

int phone_dtmf(struct phone *p, unsigned call, const char *digits)
{
	struct call *c = NULL;
	size_t i;
	int e;

	if (!digits)
		return EINVAL;
	if ((e = lookup(p, call, CTL_MEDIA, &c)))
		return e;
	for (i = 0; digits[i]; i++)
		if (!digit_ok(digits[i]))
			return phone_fail(p, EINVAL,
					  "bad DTMF digit '%c' (0-9 * # A-D)",
					  digits[i]);
	for (i = 0; digits[i] && !e; i++) {
		char d = digits[i];

		if (d >= 'a' && d <= 'd')
			d = (char)(d - 'a' + 'A');
		if (c->have_res && c->res.te_pt >= 0 && c->strm) {
			e = stream_dtmf(c->strm, d);
			if (e == EBUSY) /* queued behind the previous digit */
				e = 0;
		} else {
			e = sess_info_dtmf(c->sess, d);
		}
	}
	return done(p, c, "send DTMF on", e);
}

int phone_mute(struct phone *p, unsigned call, bool mute)
{
	struct call *c = NULL;
	int e = lookup(p, call, CTL_ANY, &c);

	if (e)
		return e;
	if (!c->strm)
		return phone_fail(p, EPROTO, "call %u has no media", c->id);
	stream_mute(c->strm, mute);
	c->muted = mute;
	return 0;
}
