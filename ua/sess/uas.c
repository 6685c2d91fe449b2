/* uas.c: the callee side: new INVITE, 100 Trying, 18x, 2xx retransmitted
 * until the ACK (timer H ends the call with BYE), CANCEL, reject, BYE.
 *
 * The INVITE server transaction ends with the 2xx (RFC 3261 17.2.1), so
 * the 2xx is re-sent here at T1, 2*T1 ... T2 until the ACK arrives; the
 * same machinery answers re-INVITEs. A hang-up while waiting for that ACK
 * waits for it (13.3.1.4) and sends BYE then.
 */
#include <errno.h>
#include <stdio.h>

#include "base/mem.h"
#define LOG_TAG "sess"
#include "base/log.h"
#include "ua/sess/priv.h"
#include "ua/sip/print.h"

/* the first Require tag we do not support, if any */
static bool unsupported_tag(const struct sip_msg *msg, bool rel_ok,
			    struct pl *tag)
{
	SIP_MSG_FOREACH(msg, SIP_HDR_REQUIRE, h)
	{
		if (!pl_strcasecmp(&h->val, "100rel") && rel_ok)
			continue;
		if (!pl_strcasecmp(&h->val, "replaces"))
			continue; /* the owner checks it: sess_replaces_find */
		*tag = h->val;
		return true;
	}
	return false;
}

static int check_invite(struct sess *s, const struct sip_msg *msg,
			const struct tsx_addr *src)
{
	bool rel_ok = s->rel100 != SESS_100REL_OFF;
	char hdr[128];
	struct pl tag;

	if (unsupported_tag(msg, rel_ok, &tag)) {
		snprintf(hdr, sizeof(hdr), "Unsupported: %.*s\r\n",
			 (int)(tag.l < 64 ? tag.l : 64), tag.p);
		(void)tsx_reply(s->srv, 420, NULL, s->ltag, hdr, NULL);
		return EPROTO;
	}
	if (!msg->contactc || msg->contact.wildcard) {
		(void)tsx_reply(s->srv, 400, "Missing Contact", s->ltag, NULL,
				NULL);
		return EPROTO;
	}
	s->rel = rel_ok && (sip_msg_hdr_has(msg, SIP_HDR_SUPPORTED, "100rel") ||
			    sip_msg_hdr_has(msg, SIP_HDR_REQUIRE, "100rel"));
	(void)src;
	return 0;
}

static int uas_setup(struct sess *s, const struct sip_msg *msg,
		     const struct tsx_addr *src)
{
	int err;

	s->callid = pl_strdup(&msg->callid);
	s->peer = pl_strdup(&msg->from.val);
	s->peer_uri = pl_strdup(&msg->from.auri);
	if (!s->callid || !s->peer || !s->peer_uri)
		return ENOMEM;
	if (msg->from.tag.p) {
		/* sess_peer() shows the name-addr without the tag */
		char *t = strstr(s->peer, ";tag=");
		if (t)
			*t = '\0';
	}
	err = sess_contact_set(s, src, msg->ruri.scheme == SIP_URI_SIPS);
	if (err)
		return err;
	err = dlg_alloc_uas(&s->dlg, msg, s->ltag);
	if (err)
		return err;
	s->dst = *src;
	return 0;
}

int sess_incoming(struct sess **sp, struct sess_layer *l,
		  const struct sip_msg *msg, const struct tsx_addr *src,
		  const struct sess_opts *o, const struct sess_handlers *h,
		  void *arg)
{
	struct sess *s = NULL;
	struct tsx *t = NULL;
	int err;

	if (!sp || !l || !msg || !src || !o || !msg->req ||
	    msg->method != SIP_METHOD_INVITE || pl_isset(&msg->to.tag))
		return EINVAL;
	err = sess_new(&s, l, o, h, arg);
	if (err)
		return err;
	s->state = SESS_ST_INCOMING;
	s->invite = obj_ref((void *)msg);
	s->src = *src;
	err = tsx_server_alloc(&t, stack_tsx(l->st), msg, src);
	if (err)
		goto out;
	s->srv = obj_ref(t);
	err = check_invite(s, msg, src);
	if (err)
		goto out;
	err = uas_setup(s, msg, src);
	if (err) {
		(void)tsx_reply(s->srv, 500, NULL, s->ltag, NULL, NULL);
		goto out;
	}
	(void)tsx_reply(s->srv, 100, NULL, NULL, NULL, NULL);
	s->oa = msg->body.l ? SESS_OA_REMOTE : SESS_OA_NONE;
	sess_link(s);
	*sp = s;
	return 0;
out:
	obj_deref(s);
	return err;
}

int sess_uas_hdrs(struct sess *s, struct buf *mb, const struct buf *body)
{
	int err = sess_common_hdrs(s, mb, true);

	if (!err && body)
		err = buf_write_str(mb, "Content-Type: application/sdp\r\n");
	return err;
}

static int uas_provisional(struct sess *s, uint16_t scode, bool body,
			   const char *hdrs)
{
	if (!s || s->state != SESS_ST_INCOMING || !s->srv)
		return EINVAL;
	sess_uas_18x(s, scode, body, hdrs);
	return s->state == SESS_ST_CLOSED ? EPROTO : 0;
}

int sess_ringing(struct sess *s)
{
	return uas_provisional(s, 180, false, NULL);
}

int sess_progress(struct sess *s)
{
	return uas_provisional(s, 183, true, NULL);
}

static bool fwd_field_ok(const char *v)
{
	return v && strlen(v) < 128 && !strpbrk(v, "\"\\\r\n");
}

int sess_forwarding(struct sess *s, const struct sess_fwd *fwd)
{
	char hdr[640];

	if (!s || !fwd || !fwd_field_ok(fwd->username) ||
	    !fwd_field_ok(fwd->contact))
		return EINVAL;
	snprintf(hdr, sizeof(hdr),
		 "Call-Info: <%s>;purpose=forwarding, username=\"%s\", "
		 "contact=\"%s\"\r\n",
		 s->contact, fwd->username, fwd->contact);
	return uas_provisional(s, 181, false, hdr);
}

int sess_answer(struct sess *s)
{
	if (!s || s->state != SESS_ST_INCOMING || !s->srv)
		return EINVAL;
	if (s->rel_scode && (s->rel_body || s->nqueued)) {
		s->queued_ok = true; /* after the PRACK (RFC 3262 3) */
		return 0;
	}
	sess_uas_send_2xx(s);
	return s->state == SESS_ST_CLOSED ? EPROTO : 0;
}

int sess_reject(struct sess *s, uint16_t scode, const char *reason)
{
	char why[64];

	if (!s || s->state != SESS_ST_INCOMING || !s->srv || scode < 300 ||
	    scode > 699)
		return EINVAL;
	tmr_cancel(&s->rel_tmr);
	(void)tsx_reply(s->srv, scode, reason, s->ltag, NULL, NULL);
	snprintf(why, sizeof(why), "%s", reason ? reason : sip_reason(scode));
	sess_close(s, SESS_END_LOCAL, scode, why);
	return 0;
}

/* ---- 2xx until ACK ---- */

static void ok_retransmit(void *arg)
{
	struct sess *s = arg;
	uint32_t t2 = sess_topts(s)->t2;

	(void)stack_send(s->st, &s->ok_dst, s->ok);
	s->ok_iv *= 2;
	if (s->ok_iv > t2)
		s->ok_iv = t2;
	tmr_start(sess_loop(s), &s->ok_tmr, s->ok_iv, ok_retransmit, s);
}

static void ack_timeout(void *arg)
{
	struct sess *s = arg;

	tmr_cancel(&s->ok_tmr);
	s->ok = obj_deref(s->ok);
	WARN("%s: no ACK for our 2xx\n", s->callid);
	obj_ref(s);
	(void)sess_bye(s, false);
	sess_close(s, SESS_END_TIMEOUT, 408, "no ACK");
	obj_deref(s);
}

int sess_ok_start(struct sess *s, const struct sip_msg *req, struct tsx *t,
		  const char *hdrs, const struct pl *body)
{
	const struct tsx_opts *o = sess_topts(s);
	struct tsx_addr src = *tsx_dst(t); /* t ends with the 2xx */
	struct buf *mb = NULL;
	int err;

	err = buf_alloc(&mb, 1024);
	if (!err)
		err = tsx_print_response(mb, req, &src, 200, NULL, s->ltag,
					 hdrs, body);
	if (!err)
		err = tsx_reply(t, 200, NULL, s->ltag, hdrs, body);
	if (err) {
		obj_deref(mb);
		return err;
	}
	obj_deref(s->ok);
	s->ok = mb;
	s->ok_dst = src;
	s->ok_cseq = req->cseq.num;
	s->ok_iv = o->t1;
	if (!tsx_tp_reliable(src.tp))
		tmr_start(sess_loop(s), &s->ok_tmr, s->ok_iv, ok_retransmit, s);
	tmr_start(sess_loop(s), &s->h_tmr, 64 * (uint64_t)o->t1, ack_timeout,
		  s);
	return 0;
}

void sess_uas_ack(struct sess *s, const struct sip_msg *msg)
{
	bool initial = s->state == SESS_ST_ANSWERED;

	if (!s->ok || msg->cseq.num != s->ok_cseq)
		return; /* a retransmission, or an ACK for nothing of ours */
	tmr_cancel(&s->ok_tmr);
	tmr_cancel(&s->h_tmr);
	s->ok = obj_deref(s->ok);
	s->reinv = obj_deref(s->reinv);
	if (s->oa == SESS_OA_LOCAL) {
		s->oa = SESS_OA_DONE;
		if (!msg->body.l || !sess_remote_answer(s, &msg->body)) {
			(void)sess_bye(s, false);
			sess_close(s, SESS_END_ERROR, 0,
				   msg->body.l ? "unusable answer in ACK"
					       : "ACK without an answer");
			return;
		}
	}
	if (!initial)
		return;
	s->state = SESS_ST_ESTABLISHED;
	if (s->bye_wanted) {
		(void)sess_bye(s, true);
		return;
	}
	if (s->h && s->h->establishedh)
		s->h->establishedh(s, s->arg);
}

void sess_uas_cancel(struct sess *s, const struct sip_msg *msg,
		     const struct tsx_addr *src)
{
	(void)sess_reply(s, msg, src, 200, NULL, NULL, NULL);
	if (s->state != SESS_ST_INCOMING)
		return; /* answered already: the call goes on (9.2) */
	tmr_cancel(&s->rel_tmr);
	(void)tsx_reply(s->srv, 487, NULL, s->ltag, NULL, NULL);
	sess_close(s, SESS_END_REMOTE, 487, "cancelled by caller");
}

/* ---- BYE ---- */

static void bye_resp_h(struct sess *s, int err, const struct sip_msg *msg,
		       struct sess_req *r)
{
	(void)r;
	if (!err && msg->scode < 200)
		return;
	sess_close(s, SESS_END_LOCAL, err ? 0 : msg->scode, "hung up");
}

int sess_bye(struct sess *s, bool wait)
{
	int err;

	err = sess_request(s, "BYE", NULL, NULL, bye_resp_h);
	if (err) {
		if (wait)
			sess_close(s, SESS_END_LOCAL, 0, "hung up");
		return err;
	}
	if (wait)
		s->state = SESS_ST_CLOSING;
	return 0;
}

void sess_bye_recv(struct sess *s, const struct sip_msg *msg,
		   const struct tsx_addr *src)
{
	(void)sess_reply(s, msg, src, 200, NULL, NULL, NULL);
	if (s->state == SESS_ST_INCOMING && s->srv)
		(void)tsx_reply(s->srv, 487, NULL, s->ltag, NULL, NULL);
	sess_close(s, SESS_END_REMOTE, 0, "BYE received");
}

int sess_hangup(struct sess *s)
{
	if (!s)
		return EINVAL;
	switch (s->state) {
	case SESS_ST_CALLING:
		sess_uac_hangup(s);
		return 0;
	case SESS_ST_INCOMING:
		return sess_reject(s, 603, "Decline");
	case SESS_ST_ANSWERED:
		s->bye_wanted = true;
		return 0;
	case SESS_ST_ESTABLISHED:
		return sess_bye(s, true);
	default:
		return 0;
	}
}
