/* digest.c: Digest challenge parsing and responses (MD5, SHA-256, qop=auth). */
#include <ctype.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <sys/random.h>

#include "ua/reg/digest.h"

/* next "name=value" of a challenge; quoted values keep their escapes */
static int next_param(struct pl *rest, struct pl *name, struct pl *val)
{
	const char *p = rest->p, *e = rest->p + rest->l, *s;

	while (p < e && (*p == ' ' || *p == '\t' || *p == ','))
		p++;
	if (p == e)
		return ENOENT;
	s = p;
	while (p < e && *p != '=' && *p != ' ' && *p != ',')
		p++;
	*name = (struct pl){s, (size_t)(p - s)};
	while (p < e && *p == ' ')
		p++;
	if (p == e || *p != '=')
		return EBADMSG;
	p++;
	while (p < e && *p == ' ')
		p++;
	if (p < e && *p == '"') {
		s = ++p;
		while (p < e && *p != '"')
			p += (*p == '\\' && p + 1 < e) ? 2 : 1;
		if (p >= e)
			return EBADMSG;
		*val = (struct pl){s, (size_t)(p - s)};
		p++;
	}
	else {
		s = p;
		while (p < e && *p != ',' && *p != ' ')
			p++;
		*val = (struct pl){s, (size_t)(p - s)};
	}
	rest->p = p;
	rest->l = (size_t)(e - p);
	return 0;
}

static bool list_has(const struct pl *l, const char *tok)
{
	size_t n = strlen(tok), i = 0;

	while (i < l->l) {
		size_t j = i;
		while (j < l->l && l->p[j] != ',')
			j++;
		struct pl t = {l->p + i, j - i};
		pl_trim(&t);
		if (t.l == n && !strncasecmp(t.p, tok, n))
			return true;
		i = j + 1;
	}
	return false;
}

int reg_chall_decode(struct reg_chall *c, const struct pl *val)
{
	struct pl rest = *val, name, v;
	int err;

	memset(c, 0, sizeof(*c));
	pl_trim(&rest);
	if (rest.l < 7 || strncasecmp(rest.p, "Digest", 6) ||
	    !isspace((unsigned char)rest.p[6]))
		return ENOTSUP;
	rest.p += 7;
	rest.l -= 7;
	while (!(err = next_param(&rest, &name, &v))) {
		if (!pl_strcasecmp(&name, "realm"))
			c->realm = v;
		else if (!pl_strcasecmp(&name, "nonce"))
			c->nonce = v;
		else if (!pl_strcasecmp(&name, "opaque"))
			c->opaque = v;
		else if (!pl_strcasecmp(&name, "algorithm"))
			c->algo = v;
		else if (!pl_strcasecmp(&name, "qop"))
			c->qop_auth = list_has(&v, "auth");
		else if (!pl_strcasecmp(&name, "stale"))
			c->stale = !pl_strcasecmp(&v, "true");
	}
	if (err != ENOENT)
		return err;
	if (!c->nonce.p || !c->realm.p)
		return EBADMSG;
	if (c->algo.l && pl_strcasecmp(&c->algo, "MD5") &&
	    pl_strcasecmp(&c->algo, "SHA-256"))
		return ENOTSUP;
	return 0;
}

/* hex digest of the concatenation of @p parts with ':' between them */
static int hash_hex(const EVP_MD *md, char *out, const struct pl *parts,
		    size_t n)
{
	static const char hx[] = "0123456789abcdef";
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int dl = 0, i;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;
	size_t k;

	if (!ctx)
		return ENOMEM;
	ok = EVP_DigestInit_ex(ctx, md, NULL);
	for (k = 0; ok && k < n; k++) {
		if (k)
			ok = EVP_DigestUpdate(ctx, ":", 1);
		if (ok && parts[k].l)
			ok = EVP_DigestUpdate(ctx, parts[k].p, parts[k].l);
	}
	if (ok)
		ok = EVP_DigestFinal_ex(ctx, d, &dl);
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return ENOMEM;
	for (i = 0; i < dl; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[2 * dl] = '\0';
	return 0;
}

int reg_digest_print(struct buf *mb, const char *hname,
		     const struct reg_chall *c, const char *user,
		     const char *password, const char *method,
		     const char *uri, uint32_t nc)
{
	bool sha = c->algo.l && !pl_strcasecmp(&c->algo, "SHA-256");
	const EVP_MD *md = sha ? EVP_sha256() : EVP_md5();
	char ha1[129], ha2[129], resp[129], ncs[9], cnonce[17];
	uint8_t rnd[8];
	int err, i;

	snprintf(ncs, sizeof(ncs), "%08x", nc);
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return EIO;
	for (i = 0; i < 8; i++)
		snprintf(cnonce + 2 * i, 3, "%02x", rnd[i]);
	struct pl p1[] = {pl_from_str(user), c->realm, pl_from_str(password)};
	struct pl p2[] = {pl_from_str(method), pl_from_str(uri)};
	err = hash_hex(md, ha1, p1, 3);
	if (!err)
		err = hash_hex(md, ha2, p2, 2);
	if (err)
		return err;
	if (c->qop_auth) {
		struct pl p3[] = {pl_from_str(ha1), c->nonce, pl_from_str(ncs),
				  pl_from_str(cnonce), PL("auth"),
				  pl_from_str(ha2)};
		err = hash_hex(md, resp, p3, 6);
	}
	else {
		struct pl p3[] = {pl_from_str(ha1), c->nonce,
				  pl_from_str(ha2)};
		err = hash_hex(md, resp, p3, 3);
	}
	if (err)
		return err;
	err = buf_printf(mb,
			 "%s: Digest username=\"%s\", realm=\"%.*s\", "
			 "nonce=\"%.*s\", uri=\"%s\", response=\"%s\", "
			 "algorithm=%s",
			 hname, user, PL_ARG(c->realm), PL_ARG(c->nonce), uri,
			 resp, sha ? "SHA-256" : "MD5");
	if (!err && c->opaque.p)
		err = buf_printf(mb, ", opaque=\"%.*s\"", PL_ARG(c->opaque));
	if (!err && c->qop_auth)
		err = buf_printf(mb, ", qop=auth, nc=%s, cnonce=\"%s\"", ncs,
				 cnonce);
	if (!err)
		err = buf_write_str(mb, "\r\n");
	return err;
}
