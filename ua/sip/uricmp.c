/* uricmp.c: URI equality (RFC 3261 19.1.4, RFC 3966 4). */
#include <ctype.h>
#include <errno.h>
#include <strings.h>

#include "ua/sip/param.h"
#include "ua/sip/uri.h"

static bool is_special(const struct pl *n)
{
	static const char *const names[] = {"user", "ttl", "method", "maddr",
					    "transport"};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!pl_strcasecmp(n, names[i]))
			return true;
	return false;
}

/* Find param @p name (escaped, compared unescaped) in @p list. */
static int param_find(const struct pl *list, const struct pl *name,
		      struct pl *val)
{
	struct pl n, v;
	size_t pos = 0;
	int err;
	while (!(err = sip_param_next(list, &pos, &n, &v))) {
		if (sip_pl_esc_equal(&n, name, true)) {
			*val = v;
			return 0;
		}
	}
	return err;
}

/* Every param of @p a agrees with @p b per 19.1.4. */
static bool params_agree(const struct pl *a, const struct pl *b)
{
	struct pl n, v, bv;
	size_t pos = 0;
	int err;
	while (!(err = sip_param_next(a, &pos, &n, &v))) {
		/* a repeated name counts with its first value on both sides */
		(void)param_find(a, &n, &v);
		if (param_find(b, &n, &bv)) {
			if (is_special(&n))
				return false;
			continue;
		}
		if (!sip_pl_esc_equal(&v, &bv, true))
			return false;
	}
	return err == ENOENT;
}

/* Split "a=b&c=d" headers; find @p name in @p list. */
static bool hdr_next(const struct pl *list, size_t *pos, struct pl *n,
		     struct pl *v)
{
	if (*pos >= list->l)
		return false;
	const char *s = list->p + *pos, *e = list->p + list->l, *amp = s;
	while (amp < e && *amp != '&')
		amp++;
	const char *eq = s;
	while (eq < amp && *eq != '=')
		eq++;
	*n = (struct pl){s, (size_t)(eq - s)};
	*v = eq < amp ? (struct pl){eq + 1, (size_t)(amp - eq - 1)}
		      : (struct pl){s, 0};
	*pos = (size_t)(amp - list->p) + 1;
	return true;
}

static bool headers_subset(const struct pl *a, const struct pl *b)
{
	struct pl n, v, bn, bv;
	size_t pos = 0;
	while (hdr_next(a, &pos, &n, &v)) {
		size_t bp = 0;
		bool found = false;
		while (!found && hdr_next(b, &bp, &bn, &bv))
			found = sip_pl_esc_equal(&n, &bn, true) &&
				sip_pl_esc_equal(&v, &bv, false);
		if (!found)
			return false;
	}
	return true;
}

static bool tel_num_eq(const struct pl *a, const struct pl *b)
{
	size_t i = 0, j = 0;
	for (;;) {
		while (i < a->l && strchr("-.()", a->p[i]))
			i++;
		while (j < b->l && strchr("-.()", b->p[j]))
			j++;
		if (i == a->l || j == b->l)
			return i == a->l && j == b->l;
		if (tolower((unsigned char)a->p[i]) !=
		    tolower((unsigned char)b->p[j]))
			return false;
		i++;
		j++;
	}
}

static bool tel_params_subset(const struct pl *a, const struct pl *b)
{
	struct pl n, v, bv;
	size_t pos = 0;
	int err;
	while (!(err = sip_param_next(a, &pos, &n, &v))) {
		(void)param_find(a, &n, &v);
		if (param_find(b, &n, &bv) || !sip_pl_esc_equal(&v, &bv, true))
			return false;
	}
	return err == ENOENT;
}

bool sip_uri_cmp(const struct sip_uri *a, const struct sip_uri *b)
{
	if (!a || !b || a->scheme != b->scheme)
		return false;
	switch (a->scheme) {
	case SIP_URI_SIP:
	case SIP_URI_SIPS:
		if (a->has_user != b->has_user ||
		    !sip_pl_esc_equal(&a->user, &b->user, false) ||
		    !sip_pl_esc_equal(&a->password, &b->password, false))
			return false;
		if (a->port != b->port || a->ipv6 != b->ipv6 ||
		    pl_casecmp(&a->host, &b->host))
			return false;
		if (!params_agree(&a->params, &b->params) ||
		    !params_agree(&b->params, &a->params))
			return false;
		return headers_subset(&a->headers, &b->headers) &&
		       headers_subset(&b->headers, &a->headers);
	case SIP_URI_TEL:
		return tel_num_eq(&a->user, &b->user) &&
		       tel_params_subset(&a->params, &b->params) &&
		       tel_params_subset(&b->params, &a->params);
	default:
		return !pl_casecmp(&a->scheme_pl, &b->scheme_pl) &&
		       !pl_cmp(&a->opaque, &b->opaque);
	}
}
