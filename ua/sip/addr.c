/* addr.c: name-addr / addr-spec (RFC 3261 20.10, 25.1). */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "ua/sip/addr.h"
#include "ua/sip/chars.h"
#include "ua/sip/param.h"

static inline bool is_lws(char c)
{
	return sip_ch(c, SIP_CH_LWS);
}

/* token characters of RFC 3261 25.1, plus UTF-8 (liberal display names) */
static inline bool is_dn_char(char c)
{
	return sip_ch(c, SIP_CH_DN);
}

int sip_addr_decode(struct sip_addr *a, const struct pl *pl, bool wildcard_ok)
{
	if (!a || !pl)
		return EINVAL;
	memset(a, 0, sizeof(*a));
	struct pl v = *pl;
	pl_trim(&v);
	a->val = v;
	if (!v.l)
		return EINVAL;
	const char *p = v.p, *e = v.p + v.l;

	if (wildcard_ok && v.l == 1 && p[0] == '*') {
		a->wildcard = true;
		return 0;
	}

	const char *lt = NULL;
	if (*p == '"') {
		const char *q = p + 1;
		while (q < e && *q != '"') {
			if (*q == '\\') {
				q++;
				if (q >= e)
					return EINVAL;
			}
			q++;
		}
		if (q >= e)
			return EINVAL;
		a->dname = (struct pl){p + 1, (size_t)(q - p - 1)};
		a->dname_quoted = true;
		q++;
		while (q < e && is_lws(*q))
			q++;
		if (q >= e || *q != '<')
			return EINVAL;
		lt = q;
	} else {
		const char *q = p;
		while (q < e && (is_dn_char(*q) || is_lws(*q)))
			q++;
		if (q < e && *q == '<') {
			lt = q;
			struct pl dn = {p, (size_t)(q - p)};
			pl_trim(&dn);
			a->dname = dn;
		}
	}

	const char *rest;
	if (lt) {
		const char *gt = memchr(lt, '>', (size_t)(e - lt));
		if (!gt)
			return EINVAL;
		a->angle = true;
		a->auri = (struct pl){lt + 1, (size_t)(gt - lt - 1)};
		rest = gt + 1;
	} else {
		const char *q = p;
		while (q < e && *q != ';' && !is_lws(*q))
			q++;
		a->auri = (struct pl){p, (size_t)(q - p)};
		rest = q;
		/* an addr-spec URI may not carry '?' headers or ',' */
		if (pl_chr(&a->auri, '?') || pl_chr(&a->auri, ','))
			return EINVAL;
	}
	if (sip_uri_decode(&a->uri, &a->auri))
		return EINVAL;
	while (rest < e && is_lws(*rest))
		rest++;
	a->params = (struct pl){rest, (size_t)(e - rest)};
	if (a->params.l && a->params.p[0] != ';')
		return EINVAL;
	/* one pass: validate the params and pick the tag */
	struct pl n, pv;
	size_t pos = 0;
	int err;
	while (!(err = sip_param_next(&a->params, &pos, &n, &pv))) {
		if (n.l == 3 && (n.p[0] | 0x20) == 't' &&
		    (n.p[1] | 0x20) == 'a' && (n.p[2] | 0x20) == 'g') {
			if (!pv.l)
				return EINVAL;
			if (!a->tag.p)
				a->tag = pv;
		}
	}
	return err == ENOENT ? 0 : EINVAL;
}

int sip_addr_param(const struct sip_addr *a, const char *name,
		   struct pl *val)
{
	return sip_param_get(&a->params, name, val) ? ENOENT : 0;
}
