/* parse.c: Digest challenge and credentials parsers (auth-param lists). */
#include <errno.h>
#include <stddef.h>

#include "ua/auth/auth.h"

static bool is_lws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_tchar(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static const char *skip_lws(const char *p, const char *e)
{
	while (p < e && is_lws(*p))
		p++;
	return p;
}

static const char *token_end(const char *p, const char *e)
{
	while (p < e && is_tchar(*p))
		p++;
	return p;
}

/* One name=value pair; *quoted tells whether the value was a quoted-string.
 * Returns the position after it, NULL when malformed. */
static const char *param_next(const char *p, const char *e, struct pl *name,
			      struct pl *val, bool *quoted)
{
	const char *t = token_end(p, e);

	if (t == p)
		return NULL;
	*name = (struct pl){p, (size_t)(t - p)};
	p = skip_lws(t, e);
	if (p >= e || *p != '=')
		return NULL;
	p = skip_lws(p + 1, e);
	if (p < e && *p == '"') {
		const char *s = ++p;

		while (p < e && *p != '"') {
			if (*p == '\\') {
				if (++p >= e)
					return NULL;
			} else if ((unsigned char)*p < 0x20 && *p != '\t')
				return NULL;
			p++;
		}
		if (p >= e)
			return NULL;
		*val = (struct pl){s, (size_t)(p - s)};
		*quoted = true;
		return p + 1;
	}
	t = token_end(p, e);
	/* nonces from some servers carry '/', '=' unquoted; accept those */
	while (t < e && (*t == '/' || *t == '=' || *t == ':' || *t == '@'))
		t = token_end(t + 1, e);
	if (t == p)
		return NULL;
	*val = (struct pl){p, (size_t)(t - p)};
	*quoted = false;
	return t;
}

typedef int(param_h)(const struct pl *name, const struct pl *val, bool quoted,
		     void *arg);

/* "Digest" 1*LWS #auth-param */
static int parse_list(const struct pl *v, param_h *h, void *arg)
{
	const char *p, *e, *t;
	bool any = false;

	if (!v || !v->p)
		return EBADMSG;
	p = skip_lws(v->p, v->p + v->l);
	e = v->p + v->l;
	t = token_end(p, e);
	if (t == p)
		return EBADMSG;
	if (pl_strcasecmp(&(struct pl){p, (size_t)(t - p)}, "Digest"))
		return EPROTO;
	if (t >= e || !is_lws(*t))
		return EBADMSG;
	p = skip_lws(t, e);
	for (;;) {
		struct pl name, val;
		bool quoted;
		int err;

		while (p < e && (*p == ',' || is_lws(*p)))
			p++;
		if (p >= e)
			break;
		p = param_next(p, e, &name, &val, &quoted);
		if (!p)
			return EBADMSG;
		err = h(&name, &val, quoted, arg);
		if (err)
			return err;
		any = true;
		p = skip_lws(p, e);
		if (p < e && *p != ',')
			return EBADMSG;
	}
	return any ? 0 : EBADMSG;
}

enum auth_alg auth_alg_decode(const struct pl *pl)
{
	if (!pl || !pl->l || !pl_strcasecmp(pl, "MD5"))
		return AUTH_ALG_MD5;
	if (!pl_strcasecmp(pl, "MD5-sess"))
		return AUTH_ALG_MD5_SESS;
	if (!pl_strcasecmp(pl, "SHA-256"))
		return AUTH_ALG_SHA256;
	if (!pl_strcasecmp(pl, "SHA-256-sess"))
		return AUTH_ALG_SHA256_SESS;
	return AUTH_ALG_UNKNOWN;
}

const char *auth_alg_name(enum auth_alg alg)
{
	switch (alg) {
	case AUTH_ALG_MD5:
		return "MD5";
	case AUTH_ALG_MD5_SESS:
		return "MD5-sess";
	case AUTH_ALG_SHA256:
		return "SHA-256";
	case AUTH_ALG_SHA256_SESS:
		return "SHA-256-sess";
	default:
		return "unknown";
	}
}

/* qop-options: quoted comma list of tokens */
static int qop_list(struct auth_chal *ch, const struct pl *v)
{
	const char *p = v->p, *e = v->p + v->l;

	while (p < e) {
		const char *t;

		while (p < e && (*p == ',' || is_lws(*p)))
			p++;
		if (p >= e)
			break;
		t = token_end(p, e);
		if (t == p)
			return EBADMSG;
		struct pl q = {p, (size_t)(t - p)};
		if (!pl_strcasecmp(&q, "auth"))
			ch->qop_auth = true;
		else if (!pl_strcasecmp(&q, "auth-int"))
			ch->qop_auth_int = true;
		p = t;
	}
	return 0;
}

/* A parameter kept as a view: its name and the struct pl it fills. */
struct pl_field {
	const char *name;
	size_t off;
};

/* Store @p v in the field of @p obj named @p n; false when none is. */
static bool field_set(void *obj, const struct pl_field *f, size_t nf,
		      const struct pl *n, const struct pl *v)
{
	for (size_t i = 0; i < nf; i++) {
		if (!pl_strcasecmp(n, f[i].name)) {
			*(struct pl *)((char *)obj + f[i].off) = *v;
			return true;
		}
	}
	return false;
}

#define FIELD(type, name)                                                      \
	{                                                                      \
#name, offsetof(struct type, name)                             \
	}

static int chal_param(const struct pl *n, const struct pl *v, bool quoted,
		      void *arg)
{
	static const struct pl_field f[] = {
	    FIELD(auth_chal, realm),	 FIELD(auth_chal, nonce),
	    FIELD(auth_chal, opaque),	 FIELD(auth_chal, domain),
	    FIELD(auth_chal, algorithm),
	};
	struct auth_chal *ch = arg;

	(void)quoted;
	if (field_set(ch, f, sizeof(f) / sizeof(f[0]), n, v))
		return 0;
	if (!pl_strcasecmp(n, "stale"))
		ch->stale = !pl_strcasecmp(v, "true");
	else if (!pl_strcasecmp(n, "qop"))
		return qop_list(ch, v);
	return 0;
}

int auth_chal_decode(struct auth_chal *ch, const struct pl *val)
{
	int err;

	if (!ch)
		return EINVAL;
	memset(ch, 0, sizeof(*ch));
	err = parse_list(val, chal_param, ch);
	if (err)
		return err;
	ch->alg = auth_alg_decode(&ch->algorithm);
	if (!ch->realm.p || !pl_isset(&ch->nonce))
		return EBADMSG;
	return 0;
}

const struct auth_chal *auth_chal_best(const struct auth_chal *chv, size_t n)
{
	const struct auth_chal *best = NULL;

	for (size_t i = 0; chv && i < n; i++) {
		if (chv[i].alg == AUTH_ALG_UNKNOWN)
			continue;
		if (!best || chv[i].alg > best->alg)
			best = &chv[i];
	}
	return best;
}

static int cred_param(const struct pl *n, const struct pl *v, bool quoted,
		      void *arg)
{
	static const struct pl_field f[] = {
	    FIELD(auth_cred, username), FIELD(auth_cred, realm),
	    FIELD(auth_cred, nonce),	FIELD(auth_cred, uri),
	    FIELD(auth_cred, response), FIELD(auth_cred, algorithm),
	    FIELD(auth_cred, cnonce),	FIELD(auth_cred, opaque),
	    FIELD(auth_cred, qop),
	};
	struct auth_cred *cr = arg;

	(void)quoted;
	if (field_set(cr, f, sizeof(f) / sizeof(f[0]), n, v))
		return 0;
	if (!pl_strcasecmp(n, "nc")) {
		uint32_t x = 0;

		if (v->l != 8)
			return EBADMSG;
		for (size_t i = 0; i < 8; i++) {
			char c = v->p[i];
			int d = (c >= '0' && c <= '9')	 ? c - '0'
				: (c >= 'a' && c <= 'f') ? c - 'a' + 10
				: (c >= 'A' && c <= 'F') ? c - 'A' + 10
							 : -1;
			if (d < 0)
				return EBADMSG;
			x = x << 4 | (uint32_t)d;
		}
		cr->nc = *v;
		cr->ncv = x;
	}
	return 0;
}

int auth_cred_decode(struct auth_cred *cr, const struct pl *val)
{
	int err;

	if (!cr)
		return EINVAL;
	memset(cr, 0, sizeof(*cr));
	err = parse_list(val, cred_param, cr);
	if (err)
		return err;
	if (!cr->username.p || !cr->realm.p || !pl_isset(&cr->nonce) ||
	    !pl_isset(&cr->uri) || !pl_isset(&cr->response))
		return EBADMSG;
	cr->alg = auth_alg_decode(&cr->algorithm);
	if (cr->qop.l && (!cr->nc.l || !cr->cnonce.l))
		return EBADMSG;
	return 0;
}

int auth_unquote(char *buf, size_t size, const struct pl *qs)
{
	size_t o = 0;

	if (!buf || !size)
		return EINVAL;
	for (size_t i = 0; qs && qs->p && i < qs->l; i++) {
		char c = qs->p[i];

		if (c == '\\' && i + 1 < qs->l)
			c = qs->p[++i];
		if (o + 1 >= size) {
			buf[0] = '\0';
			return ERANGE;
		}
		buf[o++] = c;
	}
	buf[o] = '\0';
	return 0;
}
