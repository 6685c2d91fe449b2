/* param.c: ";name=value" parameter lists (RFC 3261 generic-param). */
#include <errno.h>
#include <strings.h>

#include "ua/sip/chars.h"
#include "ua/sip/param.h"

static inline bool is_lws(char c)
{
	return sip_ch(c, SIP_CH_LWS);
}

/* Characters that end a bare parameter name or value. */
static inline bool is_stop(char c)
{
	return sip_ch(c, SIP_CH_PSTOP);
}

int sip_param_next(const struct pl *params, size_t *pos, struct pl *name,
		   struct pl *val)
{
	const char *p = params->p;
	size_t l = params->l, i = *pos;

	while (i < l && is_lws(p[i]))
		i++;
	if (i >= l)
		return ENOENT;
	if (p[i] == ';')
		i++;
	else if (i != 0)
		return EINVAL;
	while (i < l && is_lws(p[i]))
		i++;
	size_t ns = i;
	while (i < l && !is_stop(p[i]))
		i++;
	if (i == ns)
		return EINVAL;
	*name = (struct pl){p + ns, i - ns};
	*val = (struct pl){NULL, 0};
	while (i < l && is_lws(p[i]))
		i++;
	if (i < l && p[i] == '=') {
		i++;
		while (i < l && is_lws(p[i]))
			i++;
		size_t vs = i;
		if (i < l && p[i] == '"') {
			i++;
			while (i < l && p[i] != '"') {
				if (p[i] == '\\')
					i++;
				i++;
			}
			if (i >= l)
				return EINVAL;
			i++;
		} else if (i < l && p[i] == '[') {
			while (i < l && p[i] != ']')
				i++;
			if (i >= l)
				return EINVAL;
			i++;
		} else {
			while (i < l && !is_stop(p[i]))
				i++;
		}
		if (i == vs)
			return EINVAL;
		*val = (struct pl){p + vs, i - vs};
		while (i < l && is_lws(p[i]))
			i++;
	}
	if (i < l && p[i] != ';')
		return EINVAL;
	*pos = i;
	return 0;
}

int sip_param_get(const struct pl *params, const char *name, struct pl *val)
{
	struct pl n, v;
	size_t pos = 0, nl = strlen(name);
	int err;

	while (!(err = sip_param_next(params, &pos, &n, &v))) {
		if (n.l == nl && (n.p[0] | 0x20) == (name[0] | 0x20) &&
		    !strncasecmp(n.p, name, nl)) {
			if (val)
				*val = v;
			return 0;
		}
	}
	return err;
}

bool sip_param_valid(const struct pl *params)
{
	struct pl n, v;
	size_t pos = 0;
	int err;

	while (!(err = sip_param_next(params, &pos, &n, &v)))
		;
	return err == ENOENT;
}
