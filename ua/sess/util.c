/* util.c: shared session helpers: headers, next hop, replies, in-dialog
 * requests with one digest retry per challenge, ACK, offer/answer calls. */
#include <errno.h>
#include <stdio.h>

#include "base/mem.h"
#include "base/rand.h"
#include "ua/sess/priv.h"
#include "ua/sip/print.h"

enum { SESS_CHALL_MAX = 8, SESS_AUTH_RETRIES = 2 };

static const char sess_allow[] = "INVITE, ACK, CANCEL, BYE, OPTIONS, PRACK, "
				 "UPDATE, INFO, REFER, NOTIFY";

struct pl sess_buf_pl(const struct buf *b)
{
	if (!b)
		return (struct pl)PL_INIT;
	return (struct pl){(const char *)b->b, b->end};
}

int sess_common_hdrs(const struct sess *s, struct buf *mb, bool supported)
{
	const char *ua = stack_user_agent(s->st);
	int err = buf_printf(mb, "Contact: <%s>\r\nAllow: %s\r\n", s->contact,
			     sess_allow);

	if (!err && supported)
		err = buf_write_str(mb, s->rel100 != SESS_100REL_OFF
					    ? "Supported: 100rel, replaces\r\n"
					    : "Supported: replaces\r\n");
	if (!err && *ua)
		err = buf_printf(mb, "User-Agent: %s\r\n", ua);
	return err;
}

static int uri_str_dst(struct stack *st, const char *str, struct tsx_addr *dst)
{
	struct sip_addr a;
	struct sip_uri u;
	struct pl pl = pl_from_str(str);

	/* a route is a name-addr; a bare URI keeps its ;params (an
	   addr-spec would read them as header parameters) */
	if (str[0] == '<' || strchr(str, '<')) {
		if (sip_addr_decode(&a, &pl, false))
			return EINVAL;
		return stack_uri_dst_cached(st, &a.uri, dst);
	}
	if (sip_uri_decode(&u, &pl))
		return EINVAL;
	return stack_uri_dst_cached(st, &u, dst);
}

int sess_dlg_dst(const struct sess *s, const struct dlg *d,
		 struct tsx_addr *dst)
{
	if (!d)
		return ENOTCONN;
	if (d->routec)
		return uri_str_dst(s->st, d->routev[0], dst);
	if (s->has_proxy) {
		*dst = s->dst;
		return 0;
	}
	if (!s->out) {
		/* callee without a route set: over TCP/TLS back on the
		   connection the INVITE came in on (the caller's Contact port
		   is rarely reachable through NAT); over UDP to the Contact,
		   or the INVITE's source when that cannot be resolved here */
		if (tsx_tp_reliable(s->src.tp) ||
		    uri_str_dst(s->st, d->rtarget, dst))
			*dst = s->src;
		return 0;
	}
	return uri_str_dst(s->st, d->rtarget, dst);
}

int sess_reply(struct sess *s, const struct sip_msg *msg,
	       const struct tsx_addr *src, uint16_t scode, const char *reason,
	       const char *hdrs, const struct pl *body)
{
	struct tsx_layer *tl = stack_tsx(s->st);
	struct tsx *t = NULL;
	int err;

	if (msg->method == SIP_METHOD_ACK)
		return 0;
	err = tsx_server_alloc(&t, tl, msg, src);
	if (err)
		return tsx_reply_stateless(tl, msg, src, scode, reason, s->ltag,
					   hdrs);
	return tsx_reply(t, scode, reason, s->ltag, hdrs, body);
}

/* ---- in-dialog requests ---- */

static void req_destroy(void *data)
{
	struct sess_req *r = data;

	list_unlink(&r->le);
	tsx_abandon(r->tsx);
	obj_deref(r->tsx);
	obj_deref(r->dlg);
	obj_deref(r->method);
	obj_deref(r->hdrs);
	obj_deref(r->body);
}

static void req_resp_h(int err, const struct sip_msg *msg, void *arg);

static int req_send(struct sess_req *r)
{
	struct sess *s = r->s;
	struct tsx_addr dst;
	struct buf *mb = NULL, *hb = NULL;
	char via[160];
	struct tsx *t = NULL;
	struct pl body = sess_buf_pl(r->body);
	int err;

	err = sess_dlg_dst(s, r->dlg, &dst);
	if (!err)
		err = stack_via(s->st, &dst, via, sizeof(via));
	if (!err)
		err = buf_alloc(&hb, 256);
	if (!err)
		err = buf_alloc(&mb, 1024);
	if (!err && r->hdrs)
		err = buf_write_str(hb, r->hdrs);
	if (!err && r->nauth)
		err =
		    sess_auth_print(s, hb, r->method, s->dlg->rtarget, r->body);
	if (!err)
		err = buf_write(hb, "", 1);
	if (!err)
		err = dlg_request_print(mb, r->dlg, r->method, via, 0,
					(const char *)hb->b,
					r->body ? &body : NULL);
	if (!err) {
		r->cseq = r->dlg->lseq;
		err =
		    tsx_request(&t, stack_tsx(s->st), mb, &dst, req_resp_h, r);
	}
	if (!err) {
		tsx_abandon(r->tsx);
		obj_deref(r->tsx);
		r->tsx = obj_ref(t);
	}
	obj_deref(hb);
	obj_deref(mb);
	return err;
}

static void req_resp_h(int err, const struct sip_msg *msg, void *arg)
{
	struct sess_req *r = arg;
	struct sess *s = r->s;

	if (!err && msg->scode < 200) {
		if (r->h)
			r->h(s, 0, msg, r);
		return;
	}
	obj_ref(s);
	obj_ref(r);
	if (!err && (msg->scode == 401 || msg->scode == 407) &&
	    r->nauth < SESS_AUTH_RETRIES && !sess_auth_challenge(s, msg)) {
		r->nauth++;
		if (!req_send(r))
			goto out;
	}
	if (!err && msg->scode < 300 && r->nauth && s->ac)
		auth_client_ok(s->ac);
	if (r->le.list) {
		list_unlink(&r->le);
		obj_deref(r);
	}
	if (s->oreq == r)
		s->oreq = NULL;
	if (r->h)
		r->h(s, err, msg, r);
out:
	obj_deref(r);
	obj_deref(s);
}

int sess_request(struct sess *s, const char *method, const char *hdrs,
		 const struct buf *body, sess_req_h *h)
{
	return sess_request_dlg(s, s->dlg, method, hdrs, body, h);
}

int sess_request_dlg(struct sess *s, struct dlg *d, const char *method,
		     const char *hdrs, const struct buf *body, sess_req_h *h)
{
	struct sess_req *r;
	int err;

	if (!d)
		return ENOTCONN;
	r = obj_zalloc(sizeof(*r), req_destroy);
	if (!r)
		return ENOMEM;
	r->s = s;
	r->h = h;
	r->dlg = obj_ref(d);
	r->method = obj_strdup(method);
	r->hdrs = hdrs ? obj_strdup(hdrs) : NULL;
	r->body = obj_ref((void *)body);
	if (!r->method || (hdrs && !r->hdrs)) {
		obj_deref(r);
		return ENOMEM;
	}
	err = req_send(r);
	if (err) {
		obj_deref(r);
		return err;
	}
	list_append(&s->reql, &r->le, r);
	if (!strcmp(method, "INVITE") || !strcmp(method, "UPDATE"))
		s->oreq = r;
	return 0;
}

int sess_ack_send(struct sess *s, uint32_t cseq, const struct buf *body)
{
	return sess_ack_dlg(s, s->dlg, cseq, body, true);
}

int sess_ack_dlg(struct sess *s, struct dlg *d, uint32_t cseq,
		 const struct buf *body, bool keep)
{
	struct tsx_addr dst;
	struct buf *mb = NULL;
	struct pl b = sess_buf_pl(body);
	char via[160];
	int err;

	err = sess_dlg_dst(s, d, &dst);
	if (!err)
		err = stack_via(s->st, &dst, via, sizeof(via));
	if (!err)
		err = buf_alloc(&mb, 512);
	if (!err)
		err = dlg_request_print(mb, d, "ACK", via, cseq,
					body ? "Content-Type: application/sdp"
					     : NULL,
					body ? &b : NULL);
	if (!err && keep) {
		obj_deref(s->ack);
		s->ack = obj_ref(mb);
		s->ack_cseq = cseq;
		s->dst_ack = dst;
	}
	if (!err)
		err = stack_send(s->st, &dst, mb);
	obj_deref(mb);
	return err;
}

void sess_forks_free(struct sess *s)
{
	size_t i;

	for (i = 0; i < SESS_FORKS; i++)
		s->forkv[i] = obj_deref(s->forkv[i]);
}

/* ---- digest ---- */

int sess_auth_challenge(struct sess *s, const struct sip_msg *msg)
{
	bool proxy = msg->scode == 407;
	enum sip_hdr_id id =
	    proxy ? SIP_HDR_PROXY_AUTHENTICATE : SIP_HDR_WWW_AUTHENTICATE;
	struct auth_chal chv[SESS_CHALL_MAX];
	size_t n = 0;
	int err;

	if (!s->auth_pass)
		return EACCES;
	if (!s->ac) {
		err = auth_client_alloc(&s->ac, s->auth_user, s->auth_pass);
		if (err)
			return err;
	}
	SIP_MSG_FOREACH(msg, id, h)
	{
		if (n < SESS_CHALL_MAX && !auth_chal_decode(&chv[n], &h->val))
			n++;
	}
	if (!n)
		return ENOSYS;
	err = auth_client_challenge(s->ac, chv, n);
	if (!err)
		s->chall_proxy = proxy;
	return err;
}

int sess_auth_print(struct sess *s, struct buf *mb, const char *method,
		    const char *uri, const struct buf *body)
{
	struct pl m = pl_from_str(method), u = pl_from_str(uri);
	struct pl b = sess_buf_pl(body);
	int err;

	if (!s->ac || !auth_client_ready(s->ac))
		return 0;
	err = buf_write_str(mb, s->chall_proxy ? "Proxy-Authorization: "
					       : "Authorization: ");
	if (!err)
		err = auth_client_authorize(s->ac, mb, &m, &u, &b);
	if (!err)
		err = buf_write_str(mb, "\r\n");
	return err;
}

/* ---- offer/answer through the owner ---- */

int sess_make_offer(struct sess *s, struct buf **bp)
{
	struct buf *b;
	int err;

	*bp = NULL;
	if (!s->h || !s->h->offerh)
		return 0;
	err = buf_alloc(&b, 512);
	if (err)
		return err;
	err = s->h->offerh(s, b, s->arg);
	if (err || !b->end) {
		obj_deref(b);
		return err;
	}
	*bp = b;
	return 0;
}

int sess_make_answer(struct sess *s, const struct pl *offer, struct buf **bp,
		     uint16_t *scode, const char **reason)
{
	struct buf *b;
	int err;

	*bp = NULL;
	*scode = 488;
	*reason = "Not Acceptable Here";
	if (!s->h || !s->h->answerh)
		return EPROTO;
	err = buf_alloc(&b, 512);
	if (err)
		return err;
	err = s->h->answerh(s, offer, b, scode, reason, s->arg);
	if (!err && !b->end)
		err = EPROTO;
	if (err) {
		obj_deref(b);
		if (*scode < 300 || *scode > 699)
			*scode = 488;
		if (!*reason)
			*reason = sip_reason(*scode);
		return EPROTO;
	}
	*bp = b;
	return 0;
}

bool sess_remote_answer(struct sess *s, const struct pl *body)
{
	if (!s->h || !s->h->remote_answerh)
		return true;
	return s->h->remote_answerh(s, body, s->arg) == 0;
}
