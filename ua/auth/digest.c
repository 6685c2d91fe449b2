/* digest.c: Digest hash computations (HA1, HA2, request-digest). */
#include <errno.h>
#include <stdio.h>

#include <openssl/evp.h>

#include "ua/auth/auth.h"

static const EVP_MD *alg_md(enum auth_alg alg)
{
	switch (alg) {
	case AUTH_ALG_MD5:
	case AUTH_ALG_MD5_SESS: return EVP_md5();
	case AUTH_ALG_SHA256:
	case AUTH_ALG_SHA256_SESS: return EVP_sha256();
	default: return NULL;
	}
}

static bool alg_sess(enum auth_alg alg)
{
	return alg == AUTH_ALG_MD5_SESS || alg == AUTH_ALG_SHA256_SESS;
}

/* Hash the NULL-terminated list of (ptr, len) parts joined with ':'. */
static int hash_hex(char hex[AUTH_HEX_MAX], const EVP_MD *md,
		    const struct pl *parts, size_t n)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int dl = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	if (!ctx)
		return ENOMEM;
	ok = EVP_DigestInit_ex(ctx, md, NULL);
	for (size_t i = 0; ok && i < n; i++) {
		if (i)
			ok = EVP_DigestUpdate(ctx, ":", 1);
		if (ok && parts[i].l)
			ok = EVP_DigestUpdate(ctx, parts[i].p, parts[i].l);
	}
	if (ok)
		ok = EVP_DigestFinal_ex(ctx, d, &dl);
	EVP_MD_CTX_free(ctx);
	if (!ok || dl * 2 >= AUTH_HEX_MAX)
		return EINVAL;
	for (unsigned i = 0; i < dl; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	hex[2 * dl] = '\0';
	return 0;
}

int auth_ha1(char hex[AUTH_HEX_MAX], enum auth_alg alg, const char *user,
	     const char *realm, const char *password)
{
	const EVP_MD *md = alg_md(alg);

	if (!md || !hex || !user || !realm || !password)
		return EINVAL;
	struct pl p[3] = {pl_from_str(user), pl_from_str(realm),
			  pl_from_str(password)};
	return hash_hex(hex, md, p, 3);
}

int auth_response(char hex[AUTH_HEX_MAX], const struct auth_calc *c)
{
	char ha1[AUTH_HEX_MAX], ha2[AUTH_HEX_MAX], hb[AUTH_HEX_MAX];
	const EVP_MD *md;
	bool qint;
	int err;

	if (!hex || !c || !c->ha1 || !c->nonce || !c->method || !c->uri)
		return EINVAL;
	md = alg_md(c->alg);
	if (!md)
		return EINVAL;
	if ((c->qop || alg_sess(c->alg)) && !c->cnonce)
		return EINVAL;
	if (c->qop && (!c->nc || (strcmp(c->qop, "auth") &&
				  strcmp(c->qop, "auth-int"))))
		return EINVAL;
	qint = c->qop && !strcmp(c->qop, "auth-int");

	if (alg_sess(c->alg)) {
		struct pl p[3] = {pl_from_str(c->ha1), pl_from_str(c->nonce),
				  pl_from_str(c->cnonce)};
		err = hash_hex(ha1, md, p, 3);
		if (err)
			return err;
	}
	else {
		if (strlen(c->ha1) >= sizeof(ha1))
			return EINVAL;
		strcpy(ha1, c->ha1);
	}

	if (qint) {
		struct pl b = c->body ? *c->body : (struct pl)PL_INIT;
		err = hash_hex(hb, md, &b, 1);
		if (err)
			return err;
		struct pl p[3] = {pl_from_str(c->method), pl_from_str(c->uri),
				  pl_from_str(hb)};
		err = hash_hex(ha2, md, p, 3);
	}
	else {
		struct pl p[2] = {pl_from_str(c->method),
				  pl_from_str(c->uri)};
		err = hash_hex(ha2, md, p, 2);
	}
	if (err)
		return err;

	if (c->qop) {
		struct pl p[6] = {pl_from_str(ha1),	  pl_from_str(c->nonce),
				  pl_from_str(c->nc),	  pl_from_str(c->cnonce),
				  pl_from_str(c->qop),	  pl_from_str(ha2)};
		return hash_hex(hex, md, p, 6);
	}
	struct pl p[3] = {pl_from_str(ha1), pl_from_str(c->nonce),
			  pl_from_str(ha2)};
	return hash_hex(hex, md, p, 3);
}
