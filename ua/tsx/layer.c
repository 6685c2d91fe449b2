/* layer.c: the transaction layer: matching, merged requests, dispatch. */
#include <errno.h>
#include <sys/random.h>

#include "base/mem.h"
#include "ua/tsx/priv.h"

void tsx_opts_default(struct tsx_opts *o)
{
	o->t1 = 500;
	o->t2 = 4000;
	o->t4 = 5000;
}

bool tsx_pl_eq(const struct pl *a, const struct pl *b, bool ic)
{
	if (a->l != b->l)
		return false;
	return ic ? !pl_casecmp(a, b) : !pl_cmp(a, b);
}

static void layer_destroy(void *data)
{
	struct tsx_layer *tl = data;

	list_flush(&tl->tsxl);
}

int tsx_layer_alloc(struct tsx_layer **tlp, struct loop *loop,
		    const struct tsx_opts *opts, tsx_send_h *sendh,
		    void *send_arg, const struct tsx_layer_handlers *h,
		    void *arg)
{
	struct tsx_layer *tl;

	if (!tlp || !loop || !sendh || !h || !h->reqh)
		return EINVAL;
	tl = obj_zalloc(sizeof(*tl), layer_destroy);
	if (!tl)
		return ENOMEM;
	tl->loop = loop;
	if (opts)
		tl->opts = *opts;
	else
		tsx_opts_default(&tl->opts);
	if (!tl->opts.t1 || tl->opts.t2 < tl->opts.t1)
		tsx_opts_default(&tl->opts);
	tl->sendh = sendh;
	tl->send_arg = send_arg;
	tl->h = h;
	tl->arg = arg;
	*tlp = tl;
	return 0;
}

size_t tsx_layer_count(const struct tsx_layer *tl)
{
	return tl ? list_count(&tl->tsxl) : 0;
}

struct loop *tsx_layer_loop(const struct tsx_layer *tl)
{
	return tl->loop;
}

const struct tsx_opts *tsx_layer_opts(const struct tsx_layer *tl)
{
	return &tl->opts;
}

int tsx_branch_new(char *buf, size_t size)
{
	static const char alpha[] = "abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	uint8_t rnd[22];
	size_t i;

	if (!buf || size < 30)
		return EINVAL;
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return EIO;
	memcpy(buf, "z9hG4bK", 7);
	for (i = 0; i < sizeof(rnd); i++)
		buf[7 + i] = alpha[rnd[i] % (sizeof(alpha) - 1)];
	buf[7 + sizeof(rnd)] = '\0';
	return 0;
}

static bool rfc3261_branch(const struct pl *b)
{
	return b->l > 7 && !memcmp(b->p, "z9hG4bK", 7);
}

/* RFC 3261 17.2.3; @p as_method is the method the transaction must have. */
static bool server_match(const struct tsx *t, const struct sip_msg *m,
			 enum sip_method as_method)
{
	const struct sip_msg *r = t->req;

	if (!t->server || t->method != as_method)
		return false;
	if (rfc3261_branch(&m->via.branch)) {
		return tsx_pl_eq(&r->via.branch, &m->via.branch, false) &&
		       tsx_pl_eq(&r->via.sentby, &m->via.sentby, true);
	}
	/* RFC 2543 fallback (17.2.3, last paragraphs), the cheap part */
	if (rfc3261_branch(&r->via.branch))
		return false;
	if (!tsx_pl_eq(&r->callid, &m->callid, false) ||
	    r->cseq.num != m->cseq.num ||
	    !tsx_pl_eq(&r->from.tag, &m->from.tag, false) ||
	    !tsx_pl_eq(&r->via.val, &m->via.val, true))
		return false;
	if (m->method == SIP_METHOD_ACK)
		return true;
	return tsx_pl_eq(&r->to.tag, &m->to.tag, false);
}

static struct tsx *server_find(struct tsx_layer *tl, const struct sip_msg *m,
			       enum sip_method as_method)
{
	struct le *le;

	LIST_FOREACH(&tl->tsxl, le)
	{
		struct tsx *t = le->data;
		if (server_match(t, m, as_method))
			return t;
	}
	return NULL;
}

struct tsx *tsx_cancel_target(struct tsx_layer *tl,
			      const struct sip_msg *cancel)
{
	struct tsx *t;

	if (!tl || !cancel || cancel->method != SIP_METHOD_CANCEL)
		return NULL;
	t = server_find(tl, cancel, SIP_METHOD_INVITE);
	if (t && !sip_uri_cmp(&t->req->ruri, &cancel->ruri))
		return NULL;
	return t;
}

/* RFC 3261 8.2.2.2: same From tag, Call-ID and CSeq, other transaction */
static bool is_merged(struct tsx_layer *tl, const struct sip_msg *m)
{
	struct le *le;

	if (pl_isset(&m->to.tag) || m->method == SIP_METHOD_ACK ||
	    m->method == SIP_METHOD_CANCEL)
		return false;
	LIST_FOREACH(&tl->tsxl, le)
	{
		const struct tsx *t = le->data;
		const struct sip_msg *r = t->req;
		if (!t->server || r->cseq.num != m->cseq.num ||
		    r->cseq.method != m->cseq.method ||
		    !tsx_pl_eq(&r->callid, &m->callid, false) ||
		    !tsx_pl_eq(&r->from.tag, &m->from.tag, false))
			continue;
		return true;
	}
	return false;
}

static struct tsx *client_find(struct tsx_layer *tl, const struct sip_msg *m)
{
	struct le *le;

	LIST_FOREACH(&tl->tsxl, le)
	{
		struct tsx *t = le->data;
		if (t->server || t->method != m->cseq.method)
			continue;
		if (tsx_pl_eq(&t->req->via.branch, &m->via.branch, false))
			return t;
	}
	return NULL;
}

static void recv_response(struct tsx_layer *tl, const struct sip_msg *msg,
			  const struct tsx_addr *src)
{
	struct tsx *t = client_find(tl, msg);

	if (t) {
		tsx_client_recv(t, msg);
		return;
	}
	if (tl->h->stray_resph)
		tl->h->stray_resph(tl, msg, src, tl->arg);
}

void tsx_layer_recv(struct tsx_layer *tl, const struct sip_msg *msg,
		    const struct tsx_addr *src)
{
	struct tsx *t;

	if (!tl || !msg || !src)
		return;
	if (!msg->req) {
		recv_response(tl, msg, src);
		return;
	}
	if (msg->method == SIP_METHOD_ACK)
		t = server_find(tl, msg, SIP_METHOD_INVITE);
	else
		t = server_find(tl, msg, msg->cseq.method);
	if (t) {
		/* an ACK for a 2xx is the TU's (it ended the transaction) */
		if (msg->method != SIP_METHOD_ACK || t->scode >= 300) {
			tsx_server_recv(t, msg);
			return;
		}
	} else if (is_merged(tl, msg)) {
		(void)tsx_reply_stateless(tl, msg, src, 482, NULL, NULL, NULL);
		return;
	}
	tl->h->reqh(tl, msg, src, tl->arg);
}

/* ---- transaction objects ---- */

static void tsx_destroy(void *data)
{
	struct tsx *t = data;

	tmr_cancel(&t->tmr_rt);
	tmr_cancel(&t->tmr_to);
	list_unlink(&t->le);
	obj_deref(t->req);
	obj_deref(t->last);
}

struct tsx *tsx_new(struct tsx_layer *tl, bool server,
		    const struct sip_msg *req)
{
	struct tsx *t = obj_zalloc(sizeof(*t), tsx_destroy);

	if (!t)
		return NULL;
	t->tl = tl;
	t->server = server;
	t->req = obj_ref((void *)req);
	t->method = req->method;
	list_append(&tl->tsxl, &t->le, t);
	return t;
}

void tsx_terminate(struct tsx *t)
{
	t->state = TSX_ST_TERMINATED;
	tmr_cancel(&t->tmr_rt);
	tmr_cancel(&t->tmr_to);
	if (t->le.list) {
		list_unlink(&t->le);
		obj_deref(t);
	}
}

int tsx_send(struct tsx *t, struct buf *mb)
{
	size_t pos = mb->pos;
	int err = t->tl->sendh(&t->peer, mb, t->tl->send_arg);

	mb->pos = pos;
	return err;
}

const struct sip_msg *tsx_msg(const struct tsx *t)
{
	return t ? t->req : NULL;
}

uint16_t tsx_final_scode(const struct tsx *t)
{
	return t && t->scode >= 200 ? t->scode : 0;
}

const struct tsx_addr *tsx_dst(const struct tsx *t)
{
	return t ? &t->peer : NULL;
}
