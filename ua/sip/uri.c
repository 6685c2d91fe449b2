/* uri.c: decode SIP/SIPS URIs (RFC 3261 19.1, RFC 5118 IPv6) and escapes. */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "ua/sip/chars.h"
#include "ua/sip/param.h"
#include "ua/sip/uri.h"
#include "ua/sip/priv.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* All bytes printable, no LWS, and every '%' starts a valid escape. */
static bool chars_ok(const struct pl *pl, bool escapes)
{
	for (size_t i = 0; i < pl->l; i++) {
		char c = pl->p[i];
		if (sip_ch(c, SIP_CH_URIBAD))
			return false;
		if (escapes && c == '%') {
			if (i + 2 >= pl->l)
				return false;
			if (hexval(pl->p[i + 1]) < 0 || hexval(pl->p[i + 2]) < 0)
				return false;
			i += 2;
		}
	}
	return true;
}

static bool host_ok(const struct pl *h, bool v6)
{
	if (!h->l)
		return false;
	for (size_t i = 0; i < h->l; i++) {
		char c = h->p[i];
		if (v6) {
			if (!sip_ch(c, SIP_CH_HEX) && c != ':' && c != '.')
				return false;
		} else if (!sip_ch(c, SIP_CH_HOST)) {
			return false;
		}
	}
	if (v6 && !memchr(h->p, ':', h->l))
		return false;
	return true;
}

static int port_decode(const char *p, size_t l, uint16_t *port)
{
	uint32_t v = 0;
	if (!l || l > 5)
		return EINVAL;
	for (size_t i = 0; i < l; i++) {
		if (!isdigit((unsigned char)p[i]))
			return EINVAL;
		v = v * 10 + (uint32_t)(p[i] - '0');
	}
	if (v > 65535)
		return EINVAL;
	*port = (uint16_t)v;
	return 0;
}

int sip_hostport_decode(const struct pl *hp, struct pl *host, uint16_t *port,
			bool *v6)
{
	const char *p = hp->p, *e = hp->p + hp->l, *c;

	*port = 0;
	*v6 = false;
	if (hp->l && p[0] == '[') {
		c = memchr(p, ']', hp->l);
		if (!c)
			return EINVAL;
		*host = (struct pl){p + 1, (size_t)(c - p - 1)};
		*v6 = true;
		c++;
		if (c < e && *c != ':')
			return EINVAL;
	} else {
		c = memchr(p, ':', hp->l);
		if (!c)
			c = e;
		*host = (struct pl){p, (size_t)(c - p)};
	}
	if (!host_ok(host, *v6))
		return EINVAL;
	if (c < e)
		return port_decode(c + 1, (size_t)(e - c - 1), port);
	return 0;
}

static int sip_decode(struct sip_uri *u, const struct pl *rest)
{
	const char *p = rest->p, *e = rest->p + rest->l;
	const char *at = memchr(p, '@', rest->l);

	if (!chars_ok(rest, true))
		return EINVAL;
	if (at) {
		struct pl ui = {p, (size_t)(at - p)};
		const char *c = memchr(ui.p, ':', ui.l);
		if (c) {
			u->user = (struct pl){p, (size_t)(c - p)};
			u->password = (struct pl){c + 1, (size_t)(at - c - 1)};
		} else {
			u->user = ui;
		}
		if (!u->user.l)
			return EINVAL;
		u->has_user = true;
		p = at + 1;
	}
	/* hostport ends at ';' or '?' (not inside an IPv6 reference) */
	const char *h = p;
	if (h < e && *h == '[') {
		const char *rb = memchr(h, ']', (size_t)(e - h));
		if (!rb)
			return EINVAL;
		h = rb;
	}
	while (h < e && *h != ';' && *h != '?')
		h++;
	struct pl hp = {p, (size_t)(h - p)};
	if (sip_hostport_decode(&hp, &u->host, &u->port, &u->ipv6))
		return EINVAL;
	p = h;
	if (p < e && *p == ';') {
		const char *q = memchr(p, '?', (size_t)(e - p));
		if (!q)
			q = e;
		u->params = (struct pl){p, (size_t)(q - p)};
		if (!sip_param_valid(&u->params))
			return EINVAL;
		p = q;
	}
	if (p < e && *p == '?') {
		u->headers = (struct pl){p + 1, (size_t)(e - p - 1)};
		if (!u->headers.l)
			return EINVAL;
	}
	return 0;
}

int sip_uri_decode(struct sip_uri *u, const struct pl *pl)
{
	if (!u || !pl || !pl->p)
		return EINVAL;
	memset(u, 0, sizeof(*u));
	u->full = *pl;
	const char *c = pl_chr(pl, ':');
	if (!c || c == pl->p || !isalpha((unsigned char)pl->p[0]))
		return EINVAL;
	u->scheme_pl = (struct pl){pl->p, (size_t)(c - pl->p)};
	for (size_t i = 0; i < u->scheme_pl.l; i++) {
		char ch = u->scheme_pl.p[i];
		if (!isalnum((unsigned char)ch) && ch != '+' && ch != '-' &&
		    ch != '.')
			return EINVAL;
	}
	struct pl rest = {c + 1, pl->l - u->scheme_pl.l - 1};
	const char *s = u->scheme_pl.p;
	size_t sl = u->scheme_pl.l;
	if (sl >= 3 && (s[0] | 0x20) == 's' && (s[1] | 0x20) == 'i' &&
	    (s[2] | 0x20) == 'p' && (sl == 3 || (sl == 4 && (s[3] | 0x20) == 's'))) {
		u->scheme = sl == 3 ? SIP_URI_SIP : SIP_URI_SIPS;
		return sip_decode(u, &rest);
	}
	if (!pl_strcasecmp(&u->scheme_pl, "tel")) {
		u->scheme = SIP_URI_TEL;
		return sip_tel_decode(u, &rest);
	}
	u->scheme = SIP_URI_OTHER;
	u->opaque = rest;
	if (!rest.l || !chars_ok(&rest, false))
		return EINVAL;
	return 0;
}

int sip_uri_param(const struct sip_uri *u, const char *name, struct pl *val)
{
	return sip_param_get(&u->params, name, val) ? ENOENT : 0;
}

int sip_uri_unescape(const struct pl *src, char *dst, size_t size,
		     size_t *len)
{
	size_t n = 0;
	for (size_t i = 0; i < src->l; i++) {
		char c = src->p[i];
		if (c == '%') {
			if (i + 2 >= src->l)
				return EINVAL;
			int h = hexval(src->p[i + 1]), l = hexval(src->p[i + 2]);
			if (h < 0 || l < 0)
				return EINVAL;
			c = (char)(h << 4 | l);
			i += 2;
		}
		if (n >= size)
			return E2BIG;
		dst[n++] = c;
	}
	*len = n;
	return 0;
}

/* Next unescaped byte of @p s at *@p i; -1 at end, -2 on a bad escape. */
static int esc_next(const struct pl *s, size_t *i)
{
	if (*i >= s->l)
		return -1;
	unsigned char c = (unsigned char)s->p[*i];
	if (c != '%') {
		(*i)++;
		return c;
	}
	if (*i + 2 >= s->l)
		return -2;
	int h = hexval(s->p[*i + 1]), l = hexval(s->p[*i + 2]);
	if (h < 0 || l < 0)
		return -2;
	*i += 3;
	return h << 4 | l;
}

bool sip_pl_esc_equal(const struct pl *a, const struct pl *b, bool icase)
{
	size_t i = 0, j = 0;
	for (;;) {
		int x = esc_next(a, &i), y = esc_next(b, &j);
		if (x == -2 || y == -2)
			return false;
		if (x == -1 || y == -1)
			return x == y;
		if (icase) {
			x = tolower(x);
			y = tolower(y);
		}
		if (x != y)
			return false;
	}
}
