/* dial.c: what a dialled string means, and placing a call.
 *
 *   sip:... / sips:...   used as written
 *   tel:+123             sip:+123@DOMAIN (with the account's ruri_params,
 *                        e.g. ";user=phone")
 *   user@host            sip:user@host (sips: for a sips account)
 *   123, alice           sip:123@DOMAIN through the account's domain
 * Derived URIs carry the account's transport parameter and ruri_params.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "ua/phone/priv.h"

/* characters allowed in a dialled user part without escaping */
static bool user_ok(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (!isalnum(ch) && !strchr("-_.!~*'()&=+$,;?/#", ch))
			return false;
	}
	return true;
}

static int uri_check(const char *uri)
{
	struct sip_uri u;
	struct pl pl = pl_from_str(uri);

	if (sip_uri_decode(&u, &pl) ||
	    (u.scheme != SIP_URI_SIP && u.scheme != SIP_URI_SIPS))
		return EINVAL;
	return 0;
}

static int derive(const struct phone_acc *acc, const char *user, size_t ulen,
		  const char *host, char *uri, size_t size)
{
	const char *rp = acc->a.ruri_params;
	int n;

	if (!user_ok(user, ulen) || !host || !*host)
		return EINVAL;
	n = snprintf(uri, size, "%s:%.*s@%s%s%s%s", acc->sips ? "sips" : "sip",
		     (int)ulen, user, host, acc->tpparam, *rp ? ";" : "", rp);
	if (n < 0 || (size_t)n >= size)
		return EINVAL;
	return uri_check(uri);
}

int phone_target_uri(const struct phone_acc *acc, const char *target, char *uri,
		     size_t size)
{
	const char *at;
	char host[256];
	int n;

	if (!acc || !target || !*target)
		return EINVAL;
	if (!strncasecmp(target, "sip:", 4) ||
	    !strncasecmp(target, "sips:", 5)) {
		n = snprintf(uri, size, "%s", target);
		if (n < 0 || (size_t)n >= size)
			return EINVAL;
		return uri_check(uri);
	}
	if (!strncasecmp(target, "tel:", 4)) {
		const char *num = target + 4;
		size_t l = strcspn(num, ";");

		return derive(acc, num, l, acc->domain, uri, size);
	}
	at = strchr(target, '@');
	if (at) {
		snprintf(host, sizeof(host), "%s", at + 1);
		return derive(acc, target, (size_t)(at - target), host, uri,
			      size);
	}
	return derive(acc, target, strlen(target), acc->domain, uri, size);
}

int call_dial(struct phone *p, struct phone_acc *acc, const char *uri,
	      unsigned refer_of, const char *hdrs, unsigned *id)
{
	struct phone_event ev;
	struct sess_opts so;
	struct call *c;
	char from[400], err[160] = "";
	int e;

	c = call_new(p, acc, false);
	if (!c)
		return ENOMEM;
	c->refer_of = refer_of;
	snprintf(c->target, sizeof(c->target), "%s", uri);
	snprintf(c->peer, sizeof(c->peer), "%s", uri);
	c->af = call_dst_af(c); /* a name not looked up yet: a guess */
	if ((e = call_media_open(c, err, sizeof(err)))) {
		phone_fail(p, e, "cannot call %s: %s%s", uri, err,
			   e == EAFNOSUPPORT ? " (the phone does not listen "
					       "on that address family: add "
					       "a listen address)"
					     : "");
		call_drop(c);
		return e;
	}
	call_sess_opts(c, &so, from, sizeof(from));
	so.hdrs = hdrs;
	obj_ref(c); /* a synchronous close must not free it under us */
	e = sess_connect(&c->sess, p->sl, uri, &so, &call_sess_h, c);
	if (e) {
		phone_fail(p, e, "cannot call %s: %s", uri,
			   e == EINVAL ? "bad address" : strerror(e));
		if (!c->ended)
			call_drop(c);
		obj_deref(c);
		return e;
	}
	*id = c->id;
	if (!c->ended) {
		c->state = CALL_CALLING;
		memset(&ev, 0, sizeof(ev));
		ev.kind = PHONE_EV_CALLING;
		ev.target = c->target;
		call_emit(c, &ev);
	}
	obj_deref(c);
	return 0;
}

int phone_dial(struct phone *p, const char *account, const char *target,
	       unsigned *call)
{
	struct phone_acc *acc;
	unsigned id = 0;
	char uri[512];
	int e;

	if (!p || !target)
		return EINVAL;
	acc = phone_acc_find(p, account);
	if (!acc && account && *account)
		return phone_fail(p, ENOENT, "no account %s", account);
	if (!acc)
		acc = p->anon;
	if (p->shutting)
		return phone_fail(p, EPROTO, "shutting down");
	if (phone_target_uri(acc, target, uri, sizeof(uri)))
		return phone_fail(
		    p, EINVAL, "cannot dial '%s': not a SIP address%s", target,
		    acc->domain[0] ? "" : " (no account domain)");
	e = call_dial(p, acc, uri, 0, NULL, &id);
	if (!e && call)
		*call = id;
	return e;
}
