/* reinvite.c: offers inside a dialog: re-INVITE (RFC 3261 14) and UPDATE
 * (RFC 3311), both ways, with 491 on glare and the retry that follows.
 *
 * An offer of ours in flight (s->oreq) makes a crossing re-INVITE/UPDATE
 * get 491; our own 491 is retried after 2.1-4 s when we placed the call
 * (we own the Call-ID) and after 0-2 s otherwise (14.1). A re-INVITE
 * while we still wait for the ACK of an earlier 2xx gets 500 with
 * Retry-After (14.2).
 */
#include <errno.h>
#include <stdio.h>
#include <sys/random.h>

#include "base/mem.h"
#define LOG_TAG "sess"
#include "base/log.h"
#include "ua/sess/priv.h"

static int offer_send(struct sess *s, enum sip_method m);

static void glare_retry(void *arg)
{
	struct sess *s = arg;

	if (offer_send(s, s->glare_method))
		WARN("%s: retry after 491 failed\n", s->callid);
}

static void glare_schedule(struct sess *s, enum sip_method m)
{
	uint16_t r = 0;
	uint64_t ms;

	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		r = 0;
	ms = s->out ? 2100 + r % 1901 : r % 2001;
	s->glare_method = m;
	tmr_start(sess_loop(s), &s->glare_tmr, ms, glare_retry, s);
}

static void offer_resp_h(struct sess *s, int err, const struct sip_msg *msg,
			 struct sess_req *r)
{
	bool invite = !strcmp(r->method, "INVITE");
	enum sip_method m = invite ? SIP_METHOD_INVITE : SIP_METHOD_UPDATE;

	if (!err && msg->scode < 200)
		return;
	if (s->oa == SESS_OA_LOCAL)
		s->oa = SESS_OA_DONE;
	if (err || msg->scode == 481 || msg->scode == 408) {
		/* the dialog is gone (RFC 3261 12.2.1.2) */
		(void)sess_bye(s, false);
		sess_close(s, SESS_END_TIMEOUT, err ? 408 : msg->scode,
			   invite ? "re-INVITE failed" : "UPDATE failed");
		return;
	}
	if (msg->scode >= 300) {
		if (msg->scode == 491)
			glare_schedule(s, m);
		return;
	}
	(void)dlg_target_refresh(s->dlg, msg);
	if (invite)
		(void)sess_ack_send(s, r->cseq, NULL);
	if (!msg->body.l || !sess_remote_answer(s, &msg->body)) {
		(void)sess_bye(s, false);
		sess_close(s, SESS_END_ERROR, 0,
			   msg->body.l ? "unusable answer" : "no answer");
	}
}

static int offer_send(struct sess *s, enum sip_method m)
{
	struct buf *body = NULL, *hb = NULL;
	const char *name = m == SIP_METHOD_INVITE ? "INVITE" : "UPDATE";
	int err;

	err = sess_make_offer(s, &body);
	if (!err && !body)
		err = EINVAL;
	if (!err)
		err = buf_alloc(&hb, 512);
	if (!err)
		err = sess_common_hdrs(s, hb, true);
	if (!err)
		err = buf_printf(hb, "Content-Type: application/sdp\r\n%c", 0);
	if (!err)
		err = sess_request(s, name, (const char *)hb->b, body,
				   offer_resp_h);
	if (!err)
		s->oa = SESS_OA_LOCAL;
	obj_deref(body);
	obj_deref(hb);
	return err;
}

static int offer_check(const struct sess *s)
{
	if (s->oreq || s->ok || tmr_isrunning(&s->glare_tmr) ||
	    s->oa == SESS_OA_LOCAL || s->oa == SESS_OA_REMOTE)
		return EBUSY;
	return 0;
}

int sess_reinvite(struct sess *s)
{
	if (!s)
		return EINVAL;
	if (s->state != SESS_ST_ESTABLISHED)
		return ENOTCONN;
	if (offer_check(s))
		return EBUSY;
	return offer_send(s, SIP_METHOD_INVITE);
}

int sess_update(struct sess *s)
{
	if (!s)
		return EINVAL;
	if (!s->dlg || s->state >= SESS_ST_CLOSING ||
	    (s->out && !s->prack_seen && s->state == SESS_ST_CALLING))
		return ENOTCONN;
	if (offer_check(s))
		return EBUSY;
	return offer_send(s, SIP_METHOD_UPDATE);
}

/* ---- offers from the peer ---- */

static int answer_body(struct sess *s, const struct sip_msg *msg,
		       struct buf **bp, uint16_t *scode, const char **reason)
{
	int err;

	if (msg->body.l) {
		err = sess_make_answer(s, &msg->body, bp, scode, reason);
		if (!err)
			s->oa = SESS_OA_DONE;
		return err;
	}
	err = sess_make_offer(s, bp);
	if (!err && !*bp)
		err = EPROTO;
	if (err) {
		*scode = 500;
		*reason = "No offer";
		return EPROTO;
	}
	s->oa = SESS_OA_LOCAL; /* the answer comes in the ACK */
	return 0;
}

static int resp_hdrs(struct sess *s, struct buf **hbp, bool body)
{
	struct buf *hb;
	int err = buf_alloc(&hb, 512);

	if (err)
		return err;
	err = sess_common_hdrs(s, hb, true);
	if (!err && body)
		err = buf_write_str(hb, "Content-Type: application/sdp\r\n");
	if (!err)
		err = buf_write(hb, "", 1);
	if (err)
		obj_deref(hb);
	else
		*hbp = hb;
	return err;
}

void sess_reinvite_recv(struct sess *s, const struct sip_msg *msg,
			const struct tsx_addr *src)
{
	struct buf *body = NULL, *hb = NULL;
	struct tsx *t = NULL;
	const char *reason = NULL;
	uint16_t scode = 0;
	struct pl b;

	if (s->state != SESS_ST_ESTABLISHED || s->ok) {
		(void)sess_reply(s, msg, src, 500, NULL, "Retry-After: 1\r\n",
				 NULL);
		return;
	}
	if (s->oreq || s->oa == SESS_OA_LOCAL) {
		(void)sess_reply(s, msg, src, 491, NULL, NULL, NULL);
		return;
	}
	if (tsx_server_alloc(&t, stack_tsx(s->st), msg, src))
		return;
	if (answer_body(s, msg, &body, &scode, &reason)) {
		(void)tsx_reply(t, scode, reason, NULL, NULL, NULL);
		return;
	}
	b = sess_buf_pl(body);
	if (resp_hdrs(s, &hb, true) ||
	    sess_ok_start(s, msg, t, (const char *)hb->b, &b)) {
		(void)tsx_reply(t, 500, NULL, NULL, NULL, NULL);
		s->oa = SESS_OA_DONE;
	} else {
		obj_deref(s->reinv);
		s->reinv = obj_ref((void *)msg);
	}
	obj_deref(hb);
	obj_deref(body);
}

void sess_update_recv(struct sess *s, const struct sip_msg *msg,
		      const struct tsx_addr *src)
{
	struct buf *body = NULL, *hb = NULL;
	const char *reason = NULL;
	uint16_t scode = 0;
	struct pl b;

	if (!msg->body.l) {
		/* a target refresh only */
		if (!resp_hdrs(s, &hb, false))
			(void)sess_reply(s, msg, src, 200, NULL,
					 (const char *)hb->b, NULL);
		obj_deref(hb);
		return;
	}
	if (s->oreq || s->oa == SESS_OA_LOCAL) {
		(void)sess_reply(s, msg, src, 491, NULL, NULL, NULL);
		return;
	}
	if (s->oa == SESS_OA_REMOTE || s->ok) {
		/* RFC 3311 5.2: our answer to an earlier offer is pending */
		(void)sess_reply(s, msg, src, 500, NULL, "Retry-After: 1\r\n",
				 NULL);
		return;
	}
	if (sess_make_answer(s, &msg->body, &body, &scode, &reason)) {
		(void)sess_reply(s, msg, src, scode, reason, NULL, NULL);
		return;
	}
	s->oa = SESS_OA_DONE;
	b = sess_buf_pl(body);
	if (!resp_hdrs(s, &hb, true))
		(void)sess_reply(s, msg, src, 200, NULL, (const char *)hb->b,
				 &b);
	obj_deref(hb);
	obj_deref(body);
}
