/* via.c: Via header values (RFC 3261 20.42, RFC 5118 4.5, RFC 3581). */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "ua/sip/msg.h"
#include "ua/sip/param.h"

int sip_hostport_decode(const struct pl *hp, struct pl *host, uint16_t *port,
			bool *v6);

static bool is_lws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_tok(unsigned char c)
{
	return isalnum(c) || strchr("-.!%*_+`'~", c);
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
	while (p < e && is_tok((unsigned char)*p))
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
		if (!pl_strcasecmp(&n, "branch")) {
			if (!val.l)
				return EINVAL;
			v->branch = val;
		} else if (!pl_strcasecmp(&n, "received")) {
			if (val.l >= 2 && val.p[0] == '[' &&
			    val.p[val.l - 1] == ']') {
				val.p++;
				val.l -= 2;
			}
			if (!val.l)
				return EINVAL;
			v->received = val;
		} else if (!pl_strcasecmp(&n, "rport")) {
			uint64_t rp = 0;
			v->rport = true;
			if (val.l && pl_u64(&val, 65535, &rp))
				return EINVAL;
			v->rport_val = (uint16_t)rp;
		} else if (!pl_strcasecmp(&n, "maddr")) {
			v->maddr = val;
		}
	}
	return err == ENOENT ? 0 : EINVAL;
}
