/* control.c: what the user does to a call: answer, hang up, hold,
 * transfer, DTMF, mute. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ua/phone/priv.h"

/* the call numbered @p id (0: the current one), or NULL with the error */
static struct call *lookup(struct phone *p, unsigned id)
{
	struct call *c = phone_call_find(p, id);

	if (!c || c->ended) {
		if (id)
			phone_fail(p, ENOENT, "no call %u", id);
		else
			phone_fail(p, ENOENT, "no call");
		return NULL;
	}
	return c;
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
	struct call *c;
	int e;

	if (!p)
		return EINVAL;
	c = call ? NULL : ringing_call(p);
	if (!c && !(c = lookup(p, call)))
		return ENOENT;
	if (!c->incoming || c->state != CALL_INCOMING)
		return phone_fail(p, EPROTO, "call %u is not ringing here",
				  c->id);
	tmr_cancel(&c->answer_tmr);
	e = sess_answer(c->sess);
	if (e)
		return phone_fail(p, EPROTO, "cannot answer call %u: %s", c->id,
				  strerror(e));
	return 0;
}

int phone_hangup(struct phone *p, unsigned call)
{
	struct call *c;
	int e;

	if (!p)
		return EINVAL;
	if (!(c = lookup(p, call)))
		return ENOENT;
	if (c->state == CALL_ENDING)
		return 0;
	tmr_cancel(&c->answer_tmr);
	c->state = CALL_ENDING;
	e = sess_hangup(c->sess);
	if (e)
		return phone_fail(p, EPROTO, "cannot hang up call %u: %s",
				  c->id, strerror(e));
	return 0;
}

int phone_hold(struct phone *p, unsigned call, bool hold)
{
	struct call *c;
	int e;

	if (!p)
		return EINVAL;
	if (!(c = lookup(p, call)))
		return ENOENT;
	if (c->state != CALL_ACTIVE)
		return phone_fail(p, EPROTO, "call %u is not established",
				  c->id);
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
	struct call *c;
	char uri[512];
	int e;

	if (!p || !target)
		return EINVAL;
	if (!(c = lookup(p, call)))
		return ENOENT;
	if (c->state != CALL_ACTIVE)
		return phone_fail(p, EPROTO, "call %u is not established",
				  c->id);
	if (phone_target_uri(c->acc, target, uri, sizeof(uri)))
		return phone_fail(p, EINVAL, "cannot transfer to '%s'", target);
	snprintf(c->xfer, sizeof(c->xfer), "%s", uri);
	e = sess_refer(c->sess, uri);
	if (e)
		return phone_fail(p, EPROTO, "cannot transfer call %u: %s",
				  c->id, strerror(e));
	return 0;
}

static bool digit_ok(char d)
{
	return (d >= '0' && d <= '9') || d == '*' || d == '#' ||
	       (d >= 'A' && d <= 'D') || (d >= 'a' && d <= 'd');
}

int phone_dtmf(struct phone *p, unsigned call, const char *digits)
{
	struct call *c;
	size_t i;
	int e = 0;

	if (!p || !digits)
		return EINVAL;
	if (!(c = lookup(p, call)))
		return ENOENT;
	if (c->state != CALL_ACTIVE && c->state != CALL_EARLY)
		return phone_fail(p, EPROTO, "call %u is not established",
				  c->id);
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
	if (e)
		return phone_fail(p, EPROTO, "cannot send DTMF on call %u: %s",
				  c->id, strerror(e));
	return 0;
}

int phone_mute(struct phone *p, unsigned call, bool mute)
{
	struct call *c;

	if (!p)
		return EINVAL;
	if (!(c = lookup(p, call)))
		return ENOENT;
	if (!c->strm)
		return phone_fail(p, EPROTO, "call %u has no media", c->id);
	stream_mute(c->strm, mute);
	c->muted = mute;
	return 0;
}
