/* client.c: per-account Digest client state (challenge memory, nc, cnonce). */
#include <errno.h>
#include <stdio.h>

#include <openssl/rand.h>

#include "base/mem.h"
#include "ua/auth/auth.h"

#define AUTH_STR_MAX 512

struct auth_client {
	char *user;
	char *password;
	char ha1[2][AUTH_HEX_MAX]; /* precomputed: [0] MD5, [1] SHA-256 */
	/* remembered challenge (raw, still-escaped quoted bodies) */
	bool have;
	char realm[AUTH_STR_MAX];
	char nonce[AUTH_STR_MAX];
	char opaque[AUTH_STR_MAX];
	bool has_opaque;
	enum auth_alg alg;
	bool qop_auth, qop_auth_int;
	uint32_t nc;
	bool answered; /* the last credentials were a challenge's first use
			  and no success came since */
};

static void client_destroy(void *arg)
{
	struct auth_client *c = arg;

	if (c->password)
		memset(c->password, 0, strlen(c->password));
	obj_deref(c->user);
	obj_deref(c->password);
	memset(c->ha1, 0, sizeof(c->ha1));
}

int auth_client_alloc(struct auth_client **cp, const char *user,
		      const char *password)
{
	struct auth_client *c;
	int err = ENOMEM;

	if (!cp || !user)
		return EINVAL;
	c = obj_zalloc(sizeof(*c), client_destroy);
	if (!c)
		return ENOMEM;
	c->user = obj_strdup(user);
	if (!c->user)
		goto out;
	if (password) {
		c->password = obj_strdup(password);
		if (!c->password)
			goto out;
	}
	err = 0;
out:
	if (err)
		c = obj_deref(c);
	*cp = c;
	return err;
}

static int ha1_slot(enum auth_alg alg)
{
	return (alg == AUTH_ALG_SHA256 || alg == AUTH_ALG_SHA256_SESS) ? 1 : 0;
}

int auth_client_set_ha1(struct auth_client *c, enum auth_alg alg,
			const char *ha1hex)
{
	size_t want;

	if (!c || !ha1hex || alg == AUTH_ALG_UNKNOWN)
		return EINVAL;
	want = ha1_slot(alg) ? 64 : 32;
	if (strlen(ha1hex) != want)
		return EINVAL;
	strcpy(c->ha1[ha1_slot(alg)], ha1hex);
	return 0;
}

static bool can_do(const struct auth_client *c, enum auth_alg alg)
{
	return alg != AUTH_ALG_UNKNOWN &&
	       (c->password || c->ha1[ha1_slot(alg)][0]);
}

static int pl_save(char *dst, const struct pl *pl)
{
	if (pl->l >= AUTH_STR_MAX)
		return EBADMSG;
	pl_copy(pl, dst, AUTH_STR_MAX);
	return 0;
}

int auth_client_challenge(struct auth_client *c, const struct auth_chal *chv,
			  size_t n)
{
	const struct auth_chal *ch = NULL;

	if (!c || !chv)
		return EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!can_do(c, chv[i].alg))
			continue;
		if (!ch || chv[i].alg > ch->alg)
			ch = &chv[i];
	}
	if (!ch)
		return ENOSYS;

	/* only the refusal of a challenge's first use is a verdict on the
	 * credentials: reused ones (a refresh, a retry after a 423 or a
	 * lost request) may just be outdated, so start over with this */
	if (!ch->stale && c->answered)
		return EACCES;

	if (pl_save(c->realm, &ch->realm) || pl_save(c->nonce, &ch->nonce) ||
	    pl_save(c->opaque, &ch->opaque)) {
		c->have = false;
		return EBADMSG;
	}
	c->has_opaque = ch->opaque.p != NULL;
	c->alg = ch->alg;
	c->qop_auth = ch->qop_auth;
	c->qop_auth_int = ch->qop_auth_int;
	c->nc = 0;
	c->have = true;
	c->answered = false;
	return 0;
}

void auth_client_ok(struct auth_client *c)
{
	if (c)
		c->answered = false;
}

bool auth_client_ready(const struct auth_client *c)
{
	return c && c->have;
}

/* Write a quoted-string body escaping '"' and '\'. */
static int put_quoted(struct buf *b, const char *s)
{
	int err = buf_write(b, "\"", 1);

	for (; !err && *s; s++) {
		if (*s == '"' || *s == '\\')
			err = buf_write(b, "\\", 1);
		if (!err)
			err = buf_write(b, s, 1);
	}
	return err ? err : buf_write(b, "\"", 1);
}

int auth_client_authorize(struct auth_client *c, struct buf *out,
			  const struct pl *method, const struct pl *uri,
			  const struct pl *body)
{
	char realm[AUTH_STR_MAX], nonce[AUTH_STR_MAX];
	char ha1[AUTH_HEX_MAX], resp[AUTH_HEX_MAX], nc[9], cnonce[33];
	char *m = NULL, *u = NULL;
	unsigned char rnd[16];
	const char *qop = NULL;
	int err;

	if (!c || !out || !method || !uri)
		return EINVAL;
	if (!c->have)
		return ENOENT;
	if (c->qop_auth)
		qop = "auth";
	else if (c->qop_auth_int)
		qop = "auth-int";

	struct pl rp = pl_from_str(c->realm), np = pl_from_str(c->nonce);

	auth_unquote(realm, sizeof(realm), &rp);
	auth_unquote(nonce, sizeof(nonce), &np);
	if (c->ha1[ha1_slot(c->alg)][0])
		strcpy(ha1, c->ha1[ha1_slot(c->alg)]);
	else {
		err = auth_ha1(ha1, c->alg, c->user, realm, c->password);
		if (err)
			return err;
	}
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return EIO;
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(cnonce + 2 * i, 3, "%02x", rnd[i]);
	snprintf(nc, sizeof(nc), "%08x", c->nc + 1);

	m = pl_strdup(method);
	u = pl_strdup(uri);
	if (!m || !u) {
		err = ENOMEM;
		goto out;
	}
	struct auth_calc calc = {
		.alg = c->alg, .ha1 = ha1, .nonce = nonce, .cnonce = cnonce,
		.nc = nc, .qop = qop, .method = m, .uri = u, .body = body,
	};
	err = auth_response(resp, &calc);
	if (err)
		goto out;

	err = buf_write_str(out, "Digest username=");
	err |= put_quoted(out, c->user);
	err |= buf_printf(out, ", realm=\"%s\", nonce=\"%s\", uri=", c->realm,
			  c->nonce);
	err |= put_quoted(out, u);
	err |= buf_printf(out, ", response=\"%s\", algorithm=%s", resp,
			  auth_alg_name(c->alg));
	if (qop || calc.alg == AUTH_ALG_MD5_SESS ||
	    calc.alg == AUTH_ALG_SHA256_SESS)
		err |= buf_printf(out, ", cnonce=\"%s\"", cnonce);
	if (c->has_opaque)
		err |= buf_printf(out, ", opaque=\"%s\"", c->opaque);
	if (qop)
		err |= buf_printf(out, ", qop=%s, nc=%s", qop, nc);
	if (err) {
		err = ENOMEM;
		goto out;
	}
	/* the first use of a challenge is the one whose rejection means
	 * wrong credentials; later pre-authorized uses may just be stale */
	c->answered = c->nc == 0;
	if (qop)
		c->nc++;
	else
		c->nc = 1; /* RFC 2069: no nc, but remember it was used */
out:
	memset(ha1, 0, sizeof(ha1));
	obj_deref(m);
	obj_deref(u);
	return err;
}
