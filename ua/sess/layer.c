/* layer.c: the session layer: session list, request dispatch, closing. */
#include <errno.h>
#include <stdio.h>

#include "base/mem.h"
#define LOG_TAG "sess"
#include "base/log.h"
#include "ua/sess/priv.h"

void sess_opts_default(struct sess_opts *o)
{
	if (!o)
		return;
	memset(o, 0, sizeof(*o));
	o->rel100 = SESS_100REL_SUPPORTED;
	o->max_redirects = 5;
}

static void sess_quiet(struct sess *s);

static void layer_stray_h(struct stack *st, const struct sip_msg *msg,
			  const struct tsx_addr *src, void *arg)
{
	struct sess_layer *l = arg;
	struct le *le;

	(void)st;
	(void)src;
	LIST_FOREACH(&l->sessl, le)
	{
		struct sess *s = le->data;
		if (!pl_strcmp(&msg->callid, s->callid) &&
		    !pl_strcmp(&msg->from.tag, s->ltag)) {
			sess_uac_stray(s, msg);
			return;
		}
	}
}

static void layer_destroy(void *data)
{
	struct sess_layer *l = data;
	struct le *le;

	stack_set_stray_handler(l->st, NULL, NULL);
	/* sessions the owner still holds go quiet: no timer, no callback */
	LIST_FOREACH(&l->sessl, le)
	{
		struct sess *s = le->data;
		sess_quiet(s);
		s->l = NULL;
	}
	list_flush(&l->sessl);
}

int sess_layer_alloc(struct sess_layer **lp, struct stack *st)
{
	struct sess_layer *l;

	if (!lp || !st)
		return EINVAL;
	l = obj_zalloc(sizeof(*l), layer_destroy);
	if (!l)
		return ENOMEM;
	l->st = st;
	stack_set_stray_handler(st, layer_stray_h, l);
	*lp = l;
	return 0;
}

size_t sess_layer_count(const struct sess_layer *l)
{
	return l ? list_count(&l->sessl) : 0;
}

static struct sess *find_dialog(struct sess_layer *l, const struct sip_msg *m)
{
	struct le *le;

	LIST_FOREACH(&l->sessl, le)
	{
		struct sess *s = le->data;
		if (s->dlg && dlg_match(s->dlg, m))
			return s;
	}
	return NULL;
}

static struct sess *find_cancel(struct sess_layer *l, const struct sip_msg *m)
{
	struct tsx *t = tsx_cancel_target(stack_tsx(l->st), m);
	struct le *le;

	if (!t)
		return NULL;
	LIST_FOREACH(&l->sessl, le)
	{
		struct sess *s = le->data;
		if (!s->out && s->srv == t)
			return s;
	}
	return NULL;
}

/* Handlers of the requests a dialog takes (besides ACK and OPTIONS). */
static const struct {
	enum sip_method method;
	void (*h)(struct sess *s, const struct sip_msg *msg,
		  const struct tsx_addr *src);
} in_dialog[] = {
    {SIP_METHOD_INVITE, sess_reinvite_recv},
    {SIP_METHOD_UPDATE, sess_update_recv},
    {SIP_METHOD_PRACK, sess_prack_recv},
    {SIP_METHOD_BYE, sess_bye_recv},
    {SIP_METHOD_INFO, sess_info_recv},
    {SIP_METHOD_REFER, sess_refer_recv},
    {SIP_METHOD_NOTIFY, sess_notify_recv},
};

/* requests of another dialog state than the ones we handle get 405 */
static void dispatch(struct sess *s, const struct sip_msg *msg,
		     const struct tsx_addr *src)
{
	uint16_t scode = 0;

	if (msg->method == SIP_METHOD_ACK) {
		sess_uas_ack(s, msg);
		return;
	}
	if (dlg_recv_request(s->dlg, msg, &scode)) {
		(void)sess_reply(s, msg, src, scode, "CSeq out of order", NULL,
				 NULL);
		return;
	}
	for (size_t i = 0; i < sizeof(in_dialog) / sizeof(in_dialog[0]); i++) {
		if (in_dialog[i].method == msg->method) {
			in_dialog[i].h(s, msg, src);
			return;
		}
	}
	(void)sess_reply(s, msg, src,
			 msg->method == SIP_METHOD_OPTIONS ? 200 : 405, NULL,
			 NULL, NULL);
}

bool sess_layer_recv(struct sess_layer *l, const struct sip_msg *msg,
		     const struct tsx_addr *src)
{
	struct sess *s;

	if (!l || !msg || !src || !msg->req)
		return false;
	if (msg->method == SIP_METHOD_CANCEL) {
		s = find_cancel(l, msg);
		if (!s)
			return false;
		obj_ref(s);
		sess_uas_cancel(s, msg, src);
		obj_deref(s);
		return true;
	}
	if (!pl_isset(&msg->to.tag))
		return false;
	s = find_dialog(l, msg);
	if (!s)
		return false;
	obj_ref(s);
	dispatch(s, msg, src);
	obj_deref(s);
	return true;
}

struct loop *sess_loop(const struct sess *s)
{
	return tsx_layer_loop(stack_tsx(s->st));
}

const struct tsx_opts *sess_topts(const struct sess *s)
{
	return tsx_layer_opts(stack_tsx(s->st));
}

static void reqs_abandon(struct sess *s)
{
	struct le *le;

	while ((le = s->reql.head)) {
		struct sess_req *r = le->data;
		list_unlink(&r->le);
		obj_deref(r);
	}
	s->oreq = NULL;
}

static void sess_quiet(struct sess *s)
{
	s->state = SESS_ST_CLOSED;
	tmr_cancel(&s->rel_tmr);
	tmr_cancel(&s->ok_tmr);
	tmr_cancel(&s->h_tmr);
	tmr_cancel(&s->glare_tmr);
	tmr_cancel(&s->c_tmr);
	tsx_abandon(s->inv);
	reqs_abandon(s);
	s->lookup = obj_deref(s->lookup);
}

void sess_close(struct sess *s, enum sess_end how, uint16_t scode,
		const char *reason)
{
	if (!s || s->state == SESS_ST_CLOSED)
		return;
	sess_quiet(s);
	obj_ref(s);
	DEBUG("%s closed: %d %u %s\n", s->callid, how, scode,
	      reason ? reason : "");
	if (s->h && s->h->closeh)
		s->h->closeh(s, how, scode, reason ? reason : "", s->arg);
	if (s->le.list) {
		list_unlink(&s->le);
		obj_deref(s);
	}
	obj_deref(s);
}

bool sess_is_outgoing(const struct sess *s)
{
	return s && s->out;
}

bool sess_is_established(const struct sess *s)
{
	return s && (s->state == SESS_ST_ESTABLISHED);
}

const char *sess_peer(const struct sess *s)
{
	return s && s->peer ? s->peer : "";
}

const char *sess_peer_uri(const struct sess *s)
{
	return s && s->peer_uri ? s->peer_uri : "";
}

const char *sess_callid(const struct sess *s)
{
	return s && s->callid ? s->callid : "";
}

bool sess_rel100_active(const struct sess *s)
{
	return s && s->rel;
}

const struct sip_msg *sess_invite(const struct sess *s)
{
	return s ? s->invite : NULL;
}

static void sess_destroy(void *data)
{
	struct sess *s = data;
	struct le *le;

	tmr_cancel(&s->rel_tmr);
	tmr_cancel(&s->ok_tmr);
	tmr_cancel(&s->h_tmr);
	tmr_cancel(&s->glare_tmr);
	tmr_cancel(&s->c_tmr);
	obj_deref(s->lookup);
	while ((le = s->reql.head))
		obj_deref(le->data); /* unlinks itself */
	list_unlink(&s->le);
	tsx_abandon(s->inv);
	obj_deref(s->inv);
	obj_deref(s->srv);
	obj_deref(s->dlg);
	obj_deref(s->callid);
	obj_deref(s->ltag);
	obj_deref(s->from);
	obj_deref(s->to);
	obj_deref(s->ruri);
	obj_deref(s->proxy);
	obj_deref(s->hdrs);
	obj_deref(s->auth_user);
	obj_deref(s->auth_pass);
	obj_deref(s->peer);
	obj_deref(s->peer_uri);
	obj_deref(s->cuser);
	obj_deref(s->ac);
	obj_deref(s->offer);
	obj_deref(s->ack);
	obj_deref(s->invite);
	obj_deref(s->ans);
	obj_deref(s->reinv);
	obj_deref(s->ok);
	obj_deref(s->rel_hdrs);
	obj_deref(s->fork_ended);
	sess_prov_flush(s);
	sess_forks_free(s);
}

static char *dup_opt(const char *str, bool *fail)
{
	char *d;

	if (!str)
		return NULL;
	d = obj_strdup(str);
	if (!d)
		*fail = true;
	return d;
}

/* the user part of a From value ("\"A\" <sip:alice@h>" -> "alice") */
static char *from_user(const char *from)
{
	struct sip_addr a;
	struct pl pl = pl_from_str(from);

	if (!from || sip_addr_decode(&a, &pl, false) || !a.uri.user.l)
		return obj_strdup("");
	return pl_strdup(&a.uri.user);
}

int sess_new(struct sess **sp, struct sess_layer *l, const struct sess_opts *o,
	     const struct sess_handlers *h, void *arg)
{
	struct sess *s;
	bool fail = false;

	s = obj_zalloc(sizeof(*s), sess_destroy);
	if (!s)
		return ENOMEM;
	s->l = l;
	s->st = l->st;
	s->h = h;
	s->arg = arg;
	s->rel100 = o->rel100;
	s->max_redirects = o->max_redirects;
	s->from = dup_opt(o->from, &fail);
	s->proxy = o->proxy && *o->proxy ? dup_opt(o->proxy, &fail) : NULL;
	s->hdrs = o->hdrs && *o->hdrs ? dup_opt(o->hdrs, &fail) : NULL;
	s->auth_pass = dup_opt(o->auth_pass, &fail);
	s->auth_user =
	    o->auth_user ? dup_opt(o->auth_user, &fail) : from_user(o->from);
	s->cuser = dup_opt(o->contact_user ? o->contact_user : "", &fail);
	s->ltag = rand_token(12);
	if (fail || !s->auth_user || !s->ltag) {
		obj_deref(s);
		return ENOMEM;
	}
	*sp = s;
	return 0;
}

void sess_link(struct sess *s)
{
	list_append(&s->l->sessl, &s->le, obj_ref(s));
}

int sess_contact_set(struct sess *s, const struct tsx_addr *dst, bool sips)
{
	char buf[sizeof(s->contact) - 1];
	int err = stack_contact(s->st, dst, s->cuser, buf, sizeof(buf));
	char *p;

	if (err)
		return err;
	if (dst->tp == TSX_TP_TLS && sips && !strncmp(buf, "sip:", 4)) {
		/* RFC 5630 3.1.3: a sips: Contact only in a sips: exchange;
		   a sip: request over TLS gets sip:...;transport=tls (which
		   is also what peers that cannot do sips: need) */
		p = strstr(buf, ";transport=tls");
		if (p)
			*p = '\0';
		snprintf(s->contact, sizeof(s->contact), "sips:%s", buf + 4);
		return 0;
	}
	memcpy(s->contact, buf, sizeof(buf));
	return 0;
}
