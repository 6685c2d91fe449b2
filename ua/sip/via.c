/* via.c: Via header values (RFC 3261 20.42, RFC 5118 4.5, RFC 3581). */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "ua/sip/chars.h"
#include "ua/sip/msg.h"
#include "ua/sip/param.h"
#include "ua/sip/priv.h"

static inline bool is_lws(char c)
{
	return sip_ch(c, SIP_CH_LWS);
}

static inline bool is_tok(char c)
{
	return sip_ch(c, SIP_CH_TOKEN);
}

/* Case-insensitive equality of @p n with lower-case literal @p s. */
static bool name_is(const struct pl *n, const char *s, size_t l)
{
	if (n->l != l)
		return false;
	for (size_t i = 0; i < l; i++)
		if ((n->p[i] | 0x20) != s[i])
			return false;
	return true;
}

static const char *skip_lws(const char *p, const char *e)
{
	while (p < e && is_lws(*p))
		p++;
	return p;
}

/* token, then optional LWS; the token must be non-empty. */
static const char *token(const char *p, const char *e, struct pl *t)
{
	const char *s = p;
	while (p < e && is_tok(*p))
		p++;
	*t = (struct pl){s, (size_t)(p - s)};
	return p == s ? NULL : skip_lws(p, e);
}

int sip_via_decode(struct sip_via *v, const struct pl *pl)
{
	struct pl name, ver, n, val;
	memset(v, 0, sizeof(*v));
	v->val = *pl;
	const char *p = pl->p, *e = pl->p + pl->l;

	p = skip_lws(p, e);
	if (!(p = token(p, e, &name)) || p >= e || *p != '/')
		return EINVAL;
	p = skip_lws(p + 1, e);
	if (!(p = token(p, e, &ver)) || p >= e || *p != '/')
		return EINVAL;
	p = skip_lws(p + 1, e);
	if (!(p = token(p, e, &v->transport)))
		return EINVAL;
	if (pl_strcasecmp(&name, "SIP") || pl_strcmp(&ver, "2.0"))
		return EINVAL;

	/* sent-by: host [ SWS ":" SWS port ] ending at ';' or LWS/end */
	const char *hs = p, *he;
	if (p < e && *p == '[') {
		const char *rb = memchr(p, ']', (size_t)(e - p));
		if (!rb)
			return EINVAL;
		p = rb + 1;
	} else {
		while (p < e && *p != ';' && *p != ':' && !is_lws(*p))
			p++;
	}
	he = p;
	const char *q = skip_lws(p, e);
	struct pl portpl = {NULL, 0};
	if (q < e && *q == ':') {
		q = skip_lws(q + 1, e);
		const char *ps = q;
		while (q < e && isdigit((unsigned char)*q))
			q++;
		portpl = (struct pl){ps, (size_t)(q - ps)};
		if (!portpl.l)
			return EINVAL;
		p = q;
	}
	v->sentby = (struct pl){hs, (size_t)(p - hs)};
	struct pl hp = {hs, (size_t)(he - hs)};
	if (sip_hostport_decode(&hp, &v->host, &v->port, &v->ipv6))
		return EINVAL;
	if (portpl.l) {
		uint64_t port;
		if (pl_u64(&portpl, 65535, &port))
			return EINVAL;
		v->port = (uint16_t)port;
	}
	p = skip_lws(p, e);
	v->params = (struct pl){p, (size_t)(e - p)};
	if (v->params.l && *p != ';')
		return EINVAL;

	size_t pos = 0;
	int err;
	while (!(err = sip_param_next(&v->params, &pos, &n, &val))) {
		if (name_is(&n, "branch", 6)) {
			if (!val.l)
				return EINVAL;
			v->branch = val;
		} else if (name_is(&n, "received", 8)) {
			if (val.l >= 2 && val.p[0] == '[' &&
			    val.p[val.l - 1] == ']') {
				val.p++;
				val.l -= 2;
			}
			if (!val.l)
				return EINVAL;
			v->received = val;
		} else if (name_is(&n, "rport", 5)) {
			uint64_t rp = 0;
			v->rport = true;
			if (val.l && pl_u64(&val, 65535, &rp))
				return EINVAL;
			v->rport_val = (uint16_t)rp;
		} else if (name_is(&n, "maddr", 5)) {
			v->maddr = val;
		}
	}
	return err == ENOENT ? 0 : EINVAL;
}
