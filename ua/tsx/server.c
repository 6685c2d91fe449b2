/* server.c: server transactions (RFC 3261 17.2).
 *
 * INVITE (figure 7): Proceeding --2xx--> Terminated (2xx retransmission is
 *   the TU's job) ; --300-699--> Completed: timer G re-sends the response
 *   (UDP; T1 doubling up to T2), timer H (64*T1) ends it and tells the TU;
 *   an ACK moves to Confirmed for timer I (T4 UDP, 0 reliable), absorbing
 *   ACK retransmissions.
 * non-INVITE (figure 8): Trying --1xx--> Proceeding --final--> Completed
 *   for timer J (64*T1 UDP, 0 reliable).
 * In every state a retransmitted request gets the last response again.
 */
#include <errno.h>

#include "base/mem.h"
#include "ua/tsx/priv.h"

int tsx_server_alloc(struct tsx **tp, struct tsx_layer *tl,
		     const struct sip_msg *msg, const struct tsx_addr *src)
{
	struct tsx *t;

	if (!tp || !tl || !msg || !src || !msg->req ||
	    msg->method == SIP_METHOD_ACK)
		return EINVAL;
	t = tsx_new(tl, true, msg);
	if (!t)
		return ENOMEM;
	t->method = msg->method;
	tsx_response_dst(&t->peer, msg, src);
	*tp = t;
	return 0;
}

void tsx_server_set_handler(struct tsx *t, tsx_ack_timeout_h *h, void *arg)
{
	if (!t)
		return;
	t->ackh = h;
	t->ack_arg = arg;
}

static void terminated(void *arg)
{
	tsx_terminate(arg);
}

static void timer_g(void *arg)
{
	struct tsx *t = arg;

	(void)tsx_send(t, t->last);
	t->rt_iv *= 2;
	if (t->rt_iv > t->tl->opts.t2)
		t->rt_iv = t->tl->opts.t2;
	tmr_start(t->tl->loop, &t->tmr_rt, t->rt_iv, timer_g, t);
}

static void timer_h(void *arg)
{
	struct tsx *t = arg;
	tsx_ack_timeout_h *h = t->ackh;
	void *harg = t->ack_arg;

	obj_ref(t);
	tsx_terminate(t);
	if (h)
		h(t, harg);
	obj_deref(t);
}

static void enter_completed(struct tsx *t)
{
	const struct tsx_opts *o = &t->tl->opts;
	bool rel = tsx_tp_reliable(t->peer.tp);

	t->state = TSX_ST_COMPLETED;
	if (t->method != SIP_METHOD_INVITE) {
		tmr_start(t->tl->loop, &t->tmr_to,
			  rel ? 0 : 64 * (uint64_t)o->t1, terminated, t);
		return;
	}
	if (!rel) {
		t->rt_iv = o->t1;
		tmr_start(t->tl->loop, &t->tmr_rt, t->rt_iv, timer_g, t);
	}
	tmr_start(t->tl->loop, &t->tmr_to, 64 * (uint64_t)o->t1, timer_h, t);
}

int tsx_reply(struct tsx *t, uint16_t scode, const char *reason,
	      const char *totag, const char *hdrs, const struct pl *body)
{
	struct buf *mb;
	int err;

	if (!t || !t->server || scode < 100 || scode > 699 ||
	    t->state >= TSX_ST_COMPLETED)
		return EINVAL;
	err = buf_alloc(&mb, 512);
	if (err)
		return err;
	err = tsx_print_response(mb, t->req, &t->peer, scode, reason, totag,
				 hdrs, body);
	if (err) {
		obj_deref(mb);
		return err;
	}
	obj_deref(t->last);
	t->last = mb;
	t->scode = scode;
	err = tsx_send(t, mb);
	if (scode < 200) {
		t->state = TSX_ST_PROCEEDING;
		return err;
	}
	if (t->method == SIP_METHOD_INVITE && scode < 300)
		tsx_terminate(t);
	else
		enter_completed(t);
	return err;
}

void tsx_server_recv(struct tsx *t, const struct sip_msg *msg)
{
	const struct tsx_opts *o = &t->tl->opts;

	if (msg->method == SIP_METHOD_ACK) {
		if (t->state != TSX_ST_COMPLETED)
			return;
		t->state = TSX_ST_CONFIRMED;
		tmr_cancel(&t->tmr_rt);
		tmr_start(t->tl->loop, &t->tmr_to,
			  tsx_tp_reliable(t->peer.tp) ? 0 : o->t4, terminated,
			  t);
		return;
	}
	/* a retransmitted request: repeat the last response, if any */
	if (t->last && t->state != TSX_ST_CONFIRMED)
		(void)tsx_send(t, t->last);
}
