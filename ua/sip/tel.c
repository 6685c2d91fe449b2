/* tel.c: tel URIs (RFC 3966): global +E.164 and local numbers. */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "ua/sip/param.h"
#include "ua/sip/uri.h"
#include "ua/sip/priv.h"

static bool is_visual(char c)
{
	return c == '-' || c == '.' || c == '(' || c == ')';
}

int sip_tel_decode(struct sip_uri *u, const struct pl *rest)
{
	const char *semi = pl_chr(rest, ';');
	size_t nl = semi ? (size_t)(semi - rest->p) : rest->l;
	bool global = nl && rest->p[0] == '+';
	size_t digits = 0;

	u->user = (struct pl){rest->p, nl};
	for (size_t i = global ? 1 : 0; i < nl; i++) {
		char c = rest->p[i];
		if (isdigit((unsigned char)c) ||
		    (!global && (isxdigit((unsigned char)c) || c == '*' ||
				 c == '#')))
			digits++;
		else if (!is_visual(c))
			return EINVAL;
	}
	if (!digits)
		return EINVAL;
	if (semi) {
		u->params = (struct pl){semi, rest->l - nl};
		for (size_t i = 0; i < u->params.l; i++) {
			unsigned char c = (unsigned char)u->params.p[i];
			if (c <= 0x20 || c >= 0x7f)
				return EINVAL;
		}
		if (!sip_param_valid(&u->params))
			return EINVAL;
	}
	if (!global && sip_param_get(&u->params, "phone-context", NULL))
		return EINVAL;
	return 0;
}

bool sip_uri_tel_global(const struct sip_uri *u)
{
	return u->scheme == SIP_URI_TEL && u->user.l && u->user.p[0] == '+';
}
