/* prack.c: reliable provisional responses (RFC 3262) on both sides, and
 * the bodies of the callee's responses.
 *
 * Callee: one reliable 18x at a time, numbered by RSeq (first one random
 * below 2^31, then +1), re-sent at T1, 2*T1, 4*T1 ... until a PRACK with
 * the matching RAck; after 64*T1 without one the INVITE gets 500 and the
 * session ends. An 18x or a 200 asked for meanwhile waits for the PRACK
 * (a 200 must not overtake an unacknowledged 18x that carried SDP).
 * Caller: each new RSeq of the dialog gets one PRACK; repeated RSeqs are
 * retransmissions and ignored.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/random.h>

#include "base/mem.h"
#define LOG_TAG "sess"
#include "base/log.h"
#include "ua/sess/priv.h"

/*
 * The body of a callee response that may carry one: the answer to the
 * INVITE's offer (made once, then repeated), or for an INVITE without
 * offer our offer (in a reliable 18x or the 200). @return 0, or EPROTO
 * when the offer was refused (the INVITE is answered and the session
 * closed).
 */
static int uas_body(struct sess *s, bool want, bool final,
		    const struct buf **bp)
{
	uint16_t scode;
	const char *reason;
	int err = 0;

	*bp = NULL;
	if (!want)
		return 0;
	if (s->oa == SESS_OA_REMOTE) {
		err = sess_make_answer(s, &s->invite->body, &s->ans, &scode,
				       &reason);
		if (err) {
			tmr_cancel(&s->rel_tmr);
			(void)tsx_reply(s->srv, scode, reason, s->ltag, NULL,
					NULL);
			sess_close(s, SESS_END_LOCAL, scode, reason);
			return EPROTO;
		}
		s->oa = SESS_OA_DONE;
	} else if (s->oa == SESS_OA_NONE && !s->ans && (final || s->rel)) {
		err = sess_make_offer(s, &s->ans);
		if (err || !s->ans) {
			(void)tsx_reply(s->srv, 500, "No offer", s->ltag, NULL,
					NULL);
			sess_close(s, SESS_END_ERROR, 500, "no offer");
			return EPROTO;
		}
		s->oa = SESS_OA_LOCAL;
	}
	*bp = s->ans;
	return 0;
}

static int rel_print_send(struct sess *s)
{
	const struct buf *body = NULL;
	struct buf *hb = NULL;
	struct pl b;
	int err;

	err = uas_body(s, s->rel_body, false, &body);
	if (err)
		return err;
	b = sess_buf_pl(body);
	err = buf_alloc(&hb, 512);
	if (!err)
		err = sess_uas_hdrs(s, hb, body);
	if (!err && s->rel_hdrs)
		err = buf_write_str(hb, s->rel_hdrs);
	if (!err)
		err =
		    buf_printf(hb, "Require: 100rel\r\nRSeq: %u\r\n", s->rseq);
	if (!err)
		err = buf_write(hb, "", 1);
	if (!err)
		err = tsx_reply(s->srv, s->rel_scode, NULL, s->ltag,
				(const char *)hb->b, body ? &b : NULL);
	obj_deref(hb);
	return err;
}

static void rel_timer(void *arg)
{
	struct sess *s = arg;
	uint64_t limit = 64 * (uint64_t)sess_topts(s)->t1;

	s->rel_spent += s->rel_iv;
	if (s->rel_spent >= limit) {
		WARN("%s: no PRACK for %u\n", s->callid, s->rel_scode);
		obj_ref(s);
		(void)tsx_reply(s->srv, 500, "No PRACK", s->ltag, NULL, NULL);
		sess_close(s, SESS_END_TIMEOUT, 500, "no PRACK");
		obj_deref(s);
		return;
	}
	if (rel_print_send(s))
		return;
	s->rel_iv *= 2;
	if (s->rel_iv > limit - s->rel_spent)
		s->rel_iv = limit - s->rel_spent; /* stop at 64*T1 sharp */
	tmr_start(sess_loop(s), &s->rel_tmr, s->rel_iv, rel_timer, s);
}

int sess_rel_send(struct sess *s, uint16_t scode, bool body, const char *hdrs)
{
	uint32_t r;
	int err;

	obj_deref(s->rel_hdrs);
	s->rel_hdrs = hdrs ? obj_strdup(hdrs) : NULL;
	if (hdrs && !s->rel_hdrs)
		return ENOMEM;

	if (!s->rseq) {
		if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
			r = 1;
		s->rseq = (r & 0x7fffffff) % 100000 + 1;
	} else {
		s->rseq++;
	}
	s->rel_scode = scode;
	s->rel_body = body;
	err = rel_print_send(s);
	if (err)
		return err;
	s->rel_iv = sess_topts(s)->t1;
	s->rel_spent = 0;
	tmr_start(sess_loop(s), &s->rel_tmr, s->rel_iv, rel_timer, s);
	return 0;
}

void sess_prov_flush(struct sess *s)
{
	size_t i;

	for (i = 0; i < s->nqueued; i++)
		s->queued[i].hdrs = obj_deref(s->queued[i].hdrs);
	s->nqueued = 0;
}

/* keep an 18x for after the PRACK; a full queue keeps the newest last */
static void prov_queue(struct sess *s, uint16_t scode, bool body,
		       const char *hdrs)
{
	struct sess_prov *q;

	if (s->nqueued == SESS_PROV_QUEUE) {
		q = &s->queued[SESS_PROV_QUEUE - 1];
		q->hdrs = obj_deref(q->hdrs);
	} else {
		q = &s->queued[s->nqueued++];
	}
	q->scode = scode;
	q->body = body;
	q->hdrs = hdrs ? obj_strdup(hdrs) : NULL;
}

void sess_uas_18x(struct sess *s, uint16_t scode, bool body, const char *hdrs)
{
	const struct buf *b = NULL;
	struct buf *hb = NULL;
	struct pl pl;

	if (s->rel) {
		if (s->rel_scode) {
			prov_queue(s, scode, body, hdrs);
			return;
		}
		(void)sess_rel_send(s, scode, body, hdrs);
		return;
	}
	if (uas_body(s, body, false, &b))
		return;
	pl = sess_buf_pl(b);
	if (buf_alloc(&hb, 512))
		return;
	if (!sess_uas_hdrs(s, hb, b) && (!hdrs || !buf_write_str(hb, hdrs)) &&
	    !buf_write(hb, "", 1))
		(void)tsx_reply(s->srv, scode, NULL, s->ltag,
				(const char *)hb->b, b ? &pl : NULL);
	obj_deref(hb);
}

void sess_uas_send_2xx(struct sess *s)
{
	const struct buf *b = NULL;
	struct buf *hb = NULL;
	struct pl pl;
	int err;

	if (uas_body(s, true, true, &b))
		return;
	pl = sess_buf_pl(b);
	tmr_cancel(&s->rel_tmr);
	s->rel_scode = 0;
	sess_prov_flush(s);
	err = buf_alloc(&hb, 512);
	if (!err)
		err = sess_uas_hdrs(s, hb, b);
	if (!err)
		err = buf_write(hb, "", 1);
	if (!err)
		err = sess_ok_start(s, s->invite, s->srv, (const char *)hb->b,
				    b ? &pl : NULL);
	obj_deref(hb);
	if (err) {
		sess_close(s, SESS_END_ERROR, 500, "2xx not sent");
		return;
	}
	s->state = SESS_ST_ANSWERED;
}

static bool rack_matches(const struct sess *s, const struct sip_msg *msg)
{
	return s->invite && msg->rack.rseq == s->rseq &&
	       msg->rack.cseq == s->invite->cseq.num &&
	       msg->rack.method == SIP_METHOD_INVITE;
}

void sess_prack_recv(struct sess *s, const struct sip_msg *msg,
		     const struct tsx_addr *src)
{
	if (!msg->has_rack) {
		(void)sess_reply(s, msg, src, 400, "Missing RAck", NULL, NULL);
		return;
	}
	if (!s->rseq || !rack_matches(s, msg)) {
		(void)sess_reply(s, msg, src, 481, NULL, NULL, NULL);
		return;
	}
	if (!s->rel_scode) {
		/* that one was acknowledged already */
		(void)sess_reply(s, msg, src, 200, NULL, NULL, NULL);
		return;
	}
	tmr_cancel(&s->rel_tmr);
	s->rel_scode = 0;
	(void)sess_reply(s, msg, src, 200, NULL, NULL, NULL);
	if (s->oa == SESS_OA_LOCAL && msg->body.l) {
		s->oa = SESS_OA_DONE;
		if (!sess_remote_answer(s, &msg->body)) {
			(void)tsx_reply(s->srv, 488, NULL, s->ltag, NULL, NULL);
			sess_close(s, SESS_END_ERROR, 488, "unusable answer");
			return;
		}
	}
	if (s->state != SESS_ST_INCOMING)
		return;
	if (s->nqueued) {
		/* the next 18x in order; a waiting 200 follows its PRACK */
		struct sess_prov q = s->queued[0];
		memmove(&s->queued[0], &s->queued[1],
			--s->nqueued * sizeof(s->queued[0]));
		sess_uas_18x(s, q.scode, q.body, q.hdrs);
		obj_deref(q.hdrs);
	} else if (s->queued_ok) {
		s->queued_ok = false;
		sess_uas_send_2xx(s);
	}
}

/* ---- caller ---- */

bool sess_uac_is_reliable(const struct sess *s, const struct sip_msg *msg)
{
	return s->rel100 != SESS_100REL_OFF && msg->scode > 100 &&
	       msg->rseq > 0 && sip_msg_hdr_has(msg, SIP_HDR_REQUIRE, "100rel");
}

static void prack_resp_h(struct sess *s, int err, const struct sip_msg *msg,
			 struct sess_req *r)
{
	(void)r;
	if (err)
		WARN("%s: PRACK failed (%d)\n", s->callid, err);
	else if (msg->scode >= 300)
		INFO("%s: PRACK answered %u\n", s->callid, msg->scode);
}

void sess_uac_reliable(struct sess *s, struct dlg *d, const struct sip_msg *msg,
		       const struct buf *answer)
{
	char hdrs[128];
	int err;

	snprintf(hdrs, sizeof(hdrs), "RAck: %u %u INVITE\r\n%s",
		 (uint32_t)msg->rseq, msg->cseq.num,
		 answer ? "Content-Type: application/sdp\r\n" : "");
	err = sess_request_dlg(s, d, "PRACK", hdrs, answer, prack_resp_h);
	if (err)
		WARN("%s: PRACK not sent (%d)\n", s->callid, err);
}
