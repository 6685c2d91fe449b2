/* client.c: client transactions (RFC 3261 17.1).
 *
 * INVITE (figure 5):  Calling --1xx--> Proceeding --300-699--> Completed
 *   Calling: timer A retransmits (UDP; T1, doubling), timer B (64*T1)
 *   gives ETIMEDOUT. 2xx in Calling/Proceeding goes to the TU and ends the
 *   transaction. 300-699: ACK sent here, Completed for timer D (32 s UDP,
 *   0 reliable), where retransmitted finals get the ACK again.
 * non-INVITE (figure 6): Trying --1xx--> Proceeding --200-699--> Completed
 *   timer E retransmits (UDP; T1 doubling up to T2, T2 in Proceeding),
 *   timer F (64*T1) gives ETIMEDOUT, Completed lasts timer K (T4 UDP, 0).
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "base/mem.h"
#include "ua/tsx/priv.h"

static void report(struct tsx *t, int err, const struct sip_msg *msg)
{
	tsx_resp_h *h = t->resph;

	if (!h)
		return;
	if (err || (msg && msg->scode >= 200))
		t->resph = NULL; /* a final report is the last one */
	h(err, msg, t->arg);
}

static void retransmit(void *arg)
{
	struct tsx *t = arg;
	const struct tsx_opts *o = &t->tl->opts;

	if (tsx_send(t, t->req->mb)) {
		/* transport gone: let the timeout timer report it */
	}
	t->rt_iv *= 2;
	if (t->method != SIP_METHOD_INVITE && t->rt_iv > o->t2)
		t->rt_iv = o->t2;
	tmr_start(t->tl->loop, &t->tmr_rt, t->rt_iv, retransmit, t);
}

static void terminated(void *arg)
{
	tsx_terminate(arg);
}

static void timeout(void *arg)
{
	struct tsx *t = arg;

	obj_ref(t);
	tsx_terminate(t);
	report(t, ETIMEDOUT, NULL);
	obj_deref(t);
}

int tsx_request(struct tsx **tp, struct tsx_layer *tl, struct buf *mb,
		const struct tsx_addr *dst, tsx_resp_h *resph, void *arg)
{
	struct sip_msg *req = NULL;
	struct tsx *t = NULL;
	size_t pos;
	int err;

	if (!tl || !mb || !dst)
		return EINVAL;
	pos = mb->pos;
	err = sip_msg_decode(&req, mb);
	mb->pos = pos;
	if (err)
		return err;
	if (!req->req || req->method == SIP_METHOD_ACK ||
	    !pl_isset(&req->via.branch)) {
		err = EINVAL;
		goto out;
	}
	t = tsx_new(tl, false, req);
	if (!t) {
		err = ENOMEM;
		goto out;
	}
	t->peer = *dst;
	t->resph = resph;
	t->arg = arg;
	t->rt_iv = tl->opts.t1;
	err = tsx_send(t, mb);
	if (err) {
		tsx_terminate(t);
		goto out;
	}
	if (!tsx_tp_reliable(dst->tp))
		tmr_start(tl->loop, &t->tmr_rt, t->rt_iv, retransmit, t);
	tmr_start(tl->loop, &t->tmr_to, 64 * (uint64_t)tl->opts.t1, timeout, t);
	if (tp)
		*tp = t;
out:
	obj_deref(req);
	return err;
}

void tsx_abandon(struct tsx *t)
{
	if (t)
		t->resph = NULL;
}

/*
 * A request that reuses the INVITE's hop: same Request-URI, top Via (so the
 * same branch), Route set, From, Call-ID and CSeq number; only the method
 * and To differ. ACK for a non-2xx final response takes the response's To
 * (RFC 3261 17.1.1.3); CANCEL takes the request's (9.1).
 */
static int hop_print(struct buf *mb, const char *method,
		     const struct sip_msg *req, const struct pl *to)
{
	int err = buf_printf(mb, "%s %.*s SIP/2.0\r\nVia: %.*s\r\n", method,
			     PL_ARG(req->ruri_pl), PL_ARG(req->via.val));

	SIP_MSG_FOREACH(req, SIP_HDR_ROUTE, h)
	{
		if (!err)
			err = buf_printf(mb, "Route: %.*s\r\n", PL_ARG(h->val));
	}
	if (!err)
		err =
		    buf_printf(mb,
			       "Max-Forwards: 70\r\nFrom: %.*s\r\nTo: %.*s\r\n"
			       "Call-ID: %.*s\r\nCSeq: %u %s\r\n"
			       "Content-Length: 0\r\n\r\n",
			       PL_ARG(req->from.val), PL_ARG(*to),
			       PL_ARG(req->callid), req->cseq.num, method);
	return err;
}

static int ack_print(struct buf *mb, const struct sip_msg *req,
		     const struct sip_msg *resp)
{
	return hop_print(mb, "ACK", req, &resp->to.val);
}

int tsx_cancel_print(struct buf *mb, const struct tsx *t)
{
	if (!mb || !t || t->server || t->method != SIP_METHOD_INVITE)
		return EINVAL;
	return hop_print(mb, "CANCEL", t->req, &t->req->to.val);
}

static void invite_final(struct tsx *t, const struct sip_msg *msg)
{
	bool rel = tsx_tp_reliable(t->peer.tp);

	if (msg->scode < 300) {
		tsx_terminate(t);
		report(t, 0, msg);
		return;
	}
	if (t->state == TSX_ST_COMPLETED) {
		if (t->last)
			(void)tsx_send(t, t->last);
		return;
	}
	t->state = TSX_ST_COMPLETED;
	tmr_cancel(&t->tmr_rt);
	if (!buf_alloc(&t->last, 512) && !ack_print(t->last, t->req, msg))
		(void)tsx_send(t, t->last);
	tmr_start(t->tl->loop, &t->tmr_to, rel ? 0 : 32000, terminated, t);
	report(t, 0, msg);
}

static void noninvite_final(struct tsx *t, const struct sip_msg *msg)
{
	bool rel = tsx_tp_reliable(t->peer.tp);

	if (t->state == TSX_ST_COMPLETED)
		return;
	t->state = TSX_ST_COMPLETED;
	tmr_cancel(&t->tmr_rt);
	tmr_start(t->tl->loop, &t->tmr_to, rel ? 0 : t->tl->opts.t4, terminated,
		  t);
	report(t, 0, msg);
}

void tsx_client_recv(struct tsx *t, const struct sip_msg *msg)
{
	obj_ref(t);
	t->scode = msg->scode;
	if (msg->scode < 200) {
		if (t->state == TSX_ST_CALLING) {
			t->state = TSX_ST_PROCEEDING;
			if (t->method == SIP_METHOD_INVITE) {
				/* timer B runs in Calling only (17.1.1.2):
				   a ringing call may wait for minutes */
				tmr_cancel(&t->tmr_rt);
				tmr_cancel(&t->tmr_to);
			} else if (tmr_isrunning(&t->tmr_rt)) {
				t->rt_iv = t->tl->opts.t2;
				tmr_start(t->tl->loop, &t->tmr_rt, t->rt_iv,
					  retransmit, t);
			}
		}
		if (t->state == TSX_ST_PROCEEDING)
			report(t, 0, msg);
	} else if (t->method == SIP_METHOD_INVITE) {
		invite_final(t, msg);
	} else {
		noninvite_final(t, msg);
	}
	obj_deref(t);
}

static bool peer_same(const struct sockaddr_storage *a,
		      const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a;
		const struct sockaddr_in *y = (const void *)b;
		return x->sin_port == y->sin_port &&
		       x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a;
		const struct sockaddr_in6 *y = (const void *)b;
		return x->sin6_port == y->sin6_port &&
		       !memcmp(&x->sin6_addr, &y->sin6_addr, 16);
	}
	return false;
}

void tsx_layer_peer_failed(struct tsx_layer *tl, const struct tsx_addr *peer,
			   int err)
{
	struct tsx *lost[32];
	size_t n = 0, i;
	struct le *le;

	if (!tl || !peer)
		return;
	LIST_FOREACH(&tl->tsxl, le)
	{
		struct tsx *t = le->data;
		if (t->server || t->state != TSX_ST_CALLING ||
		    t->peer.tp != peer->tp || !peer_same(&t->peer.sa, &peer->sa))
			continue;
		lost[n++] = obj_ref(t);
		if (n == sizeof(lost) / sizeof(lost[0]))
			break;
	}
	for (i = 0; i < n; i++) {
		tsx_terminate(lost[i]);
		report(lost[i], err ? err : ECONNRESET, NULL);
		obj_deref(lost[i]);
	}
}
