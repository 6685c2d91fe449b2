/* server.c: Digest server side: stateless HMAC nonces, nc replay, verify. */
#include <errno.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "base/mem.h"
#include "ua/auth/auth.h"

#define NONCE_TS 8
#define NONCE_MAC 32
#define NONCE_RAW (NONCE_TS + NONCE_MAC)
#define NONCE_B64 54 /* base64url of 40 bytes, no padding */

struct replay_slot {
	uint8_t mac[16]; /* identifies the nonce */
	uint64_t ts;
	uint32_t nc;
	bool used;
};

struct auth_server {
	struct auth_server_opts opts;
	char *realm;
	uint8_t secret[32];
	struct replay_slot *slots;
	size_t next;        /* round-robin eviction cursor */
	uint64_t evict_ts;  /* newest timestamp ever evicted */
};

void auth_server_opts_default(struct auth_server_opts *o)
{
	if (!o)
		return;
	memset(o, 0, sizeof(*o));
	o->nonce_ttl = 300;
	o->replay_slots = 1024;
}

static void server_destroy(void *arg)
{
	struct auth_server *s = arg;

	OPENSSL_cleanse(s->secret, sizeof(s->secret));
	obj_deref(s->realm);
	obj_deref(s->slots);
}

int auth_server_alloc(struct auth_server **sp,
		      const struct auth_server_opts *opts, const char *realm,
		      const uint8_t *secret, size_t len)
{
	struct auth_server *s;
	int err = ENOMEM;

	if (!sp || !realm || (secret && !len))
		return EINVAL;
	s = obj_zalloc(sizeof(*s), server_destroy);
	if (!s)
		return ENOMEM;
	if (opts)
		s->opts = *opts;
	else
		auth_server_opts_default(&s->opts);
	if (!s->opts.replay_slots)
		s->opts.replay_slots = 1;
	s->realm = obj_strdup(realm);
	s->slots = obj_zalloc(s->opts.replay_slots * sizeof(*s->slots), NULL);
	if (!s->realm || !s->slots)
		goto out;
	if (secret) {
		/* derive a fixed-size key from any secret */
		unsigned int dl = 0;
		if (!EVP_Digest(secret, len, s->secret, &dl, EVP_sha256(),
				NULL)) {
			err = EIO;
			goto out;
		}
	}
	else if (RAND_bytes(s->secret, sizeof(s->secret)) != 1) {
		err = EIO;
		goto out;
	}
	err = 0;
out:
	if (err)
		s = obj_deref(s);
	*sp = s;
	return err;
}

static const char b64u[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void b64u_encode(char *out, const uint8_t *in, size_t n)
{
	size_t o = 0, i;

	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | in[i + 1] << 8 | in[i + 2];
		out[o++] = b64u[v >> 18 & 63];
		out[o++] = b64u[v >> 12 & 63];
		out[o++] = b64u[v >> 6 & 63];
		out[o++] = b64u[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;
		out[o++] = b64u[v >> 18 & 63];
		out[o++] = b64u[v >> 12 & 63];
	}
	else if (n - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | in[i + 1] << 8;
		out[o++] = b64u[v >> 18 & 63];
		out[o++] = b64u[v >> 12 & 63];
		out[o++] = b64u[v >> 6 & 63];
	}
	out[o] = '\0';
}

static int b64u_val(char c)
{
	const char *p = c ? strchr(b64u, c) : NULL;
	return p ? (int)(p - b64u) : -1;
}

/* Decode exactly NONCE_B64 chars into NONCE_RAW bytes. */
static int nonce_decode(uint8_t raw[NONCE_RAW], const struct pl *pl)
{
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;

	if (pl->l != NONCE_B64)
		return EBADMSG;
	for (size_t i = 0; i < pl->l; i++) {
		int v = b64u_val(pl->p[i]);
		if (v < 0)
			return EBADMSG;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o < NONCE_RAW)
				raw[o++] = (uint8_t)(acc >> bits);
		}
	}
	return o == NONCE_RAW ? 0 : EBADMSG;
}

static int nonce_mac(const struct auth_server *s, uint8_t mac[NONCE_MAC],
		     const uint8_t ts[NONCE_TS], const struct pl *src)
{
	unsigned int ml = 0;
	uint8_t in[NONCE_TS + 512 + 1 + 128];
	size_t n = 0, rl = strlen(s->realm);

	memcpy(in, ts, NONCE_TS);
	n = NONCE_TS;
	if (rl > 512)
		rl = 512;
	memcpy(in + n, s->realm, rl);
	n += rl;
	if (s->opts.bind_source && src && src->p) {
		size_t sl = src->l > 128 ? 128 : src->l;
		in[n++] = '|';
		memcpy(in + n, src->p, sl);
		n += sl;
	}
	if (!HMAC(EVP_sha256(), s->secret, sizeof(s->secret), in, n, mac, &ml))
		return EIO;
	return ml == NONCE_MAC ? 0 : EIO;
}

int auth_server_challenge(struct auth_server *s, struct buf *out,
			  enum auth_alg alg, bool stale, uint64_t now,
			  const struct pl *src)
{
	uint8_t raw[NONCE_RAW];
	char nonce[NONCE_B64 + 4];
	int err;

	if (!s || !out || alg == AUTH_ALG_UNKNOWN)
		return EINVAL;
	for (int i = 0; i < NONCE_TS; i++)
		raw[i] = (uint8_t)(now >> (56 - 8 * i));
	err = nonce_mac(s, raw + NONCE_TS, raw, src);
	if (err)
		return err;
	b64u_encode(nonce, raw, NONCE_RAW);
	err = buf_printf(out,
			 "Digest realm=\"%s\", nonce=\"%s\", algorithm=%s, "
			 "qop=\"auth\"%s",
			 s->realm, nonce, auth_alg_name(alg),
			 stale ? ", stale=true" : "");
	return err ? ENOMEM : 0;
}

/* nc replay: 0 when @p nc is new for this nonce, EACCES on replay,
 * ETIMEDOUT when the nonce could have been evicted (ask for a fresh one). */
static int replay_check(struct auth_server *s, const uint8_t *mac,
			uint64_t ts, uint32_t nc)
{
	struct replay_slot *sl;

	for (size_t i = 0; i < s->opts.replay_slots; i++) {
		sl = &s->slots[i];
		if (!sl->used || memcmp(sl->mac, mac, sizeof(sl->mac)))
			continue;
		if (nc <= sl->nc)
			return EACCES;
		sl->nc = nc;
		return 0;
	}
	if (s->evict_ts && ts <= s->evict_ts)
		return ETIMEDOUT;
	sl = &s->slots[s->next];
	if (sl->used && sl->ts > s->evict_ts)
		s->evict_ts = sl->ts;
	s->next = (s->next + 1) % s->opts.replay_slots;
	memcpy(sl->mac, mac, sizeof(sl->mac));
	sl->ts = ts;
	sl->nc = nc;
	sl->used = true;
	return 0;
}

static bool hex_eq(const char *a, const struct pl *b)
{
	size_t n = strlen(a);
	char lb[AUTH_HEX_MAX];

	if (b->l != n || n >= sizeof(lb))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = b->p[i];
		lb[i] = (c >= 'A' && c <= 'F') ? (char)(c + 32) : c;
	}
	return CRYPTO_memcmp(a, lb, n) == 0;
}

int auth_server_verify(struct auth_server *s, const struct auth_cred *cr,
		       const struct pl *method, const char *ha1hex,
		       uint64_t now, const struct pl *src)
{
	uint8_t raw[NONCE_RAW], mac[NONCE_MAC];
	char realm[512], uri[1024], cnonce[256], nonce[NONCE_B64 + 1];
	char user[256], meth[64], qop[16], nc[9];
	char ha1[AUTH_HEX_MAX], resp[AUTH_HEX_MAX];
	uint64_t ts = 0;
	bool ok_user = ha1hex != NULL;
	int err;

	if (!s || !cr || !method)
		return EINVAL;
	if (cr->alg == AUTH_ALG_UNKNOWN)
		return EACCES;
	if (auth_unquote(realm, sizeof(realm), &cr->realm) ||
	    strcmp(realm, s->realm))
		return EACCES;
	/* nonce authenticity */
	if (nonce_decode(raw, &cr->nonce))
		return EACCES;
	err = nonce_mac(s, mac, raw, src);
	if (err)
		return err;
	if (CRYPTO_memcmp(mac, raw + NONCE_TS, NONCE_MAC))
		return EACCES;
	for (int i = 0; i < NONCE_TS; i++)
		ts = ts << 8 | raw[i];
	/* only qop=auth is offered by us; require it for replay protection */
	if (pl_strcasecmp(&cr->qop, "auth") || !cr->ncv)
		return EACCES;
	if (auth_unquote(uri, sizeof(uri), &cr->uri) ||
	    auth_unquote(cnonce, sizeof(cnonce), &cr->cnonce) ||
	    auth_unquote(user, sizeof(user), &cr->username) ||
	    method->l >= sizeof(meth))
		return EACCES;
	pl_copy(method, meth, sizeof(meth));
	pl_copy(&cr->nonce, nonce, sizeof(nonce));
	pl_copy(&cr->nc, nc, sizeof(nc));
	strcpy(qop, "auth");

	if (!ok_user) {
		/* same work as a real user: HA1 from a secret-derived dummy */
		char dummy[AUTH_HEX_MAX];
		err = auth_ha1(dummy, cr->alg, user, realm, (const char *)"\x01");
		if (err)
			return EACCES;
		strcpy(ha1, dummy);
	}
	else {
		size_t want = (cr->alg == AUTH_ALG_SHA256 ||
			       cr->alg == AUTH_ALG_SHA256_SESS)
				      ? 64
				      : 32;
		if (strlen(ha1hex) != want)
			return EACCES;
		strcpy(ha1, ha1hex);
	}
	struct auth_calc calc = {
		.alg = cr->alg, .ha1 = ha1, .nonce = nonce, .cnonce = cnonce,
		.nc = nc, .qop = qop, .method = meth, .uri = uri,
	};
	err = auth_response(resp, &calc);
	OPENSSL_cleanse(ha1, sizeof(ha1));
	if (err)
		return EACCES;
	if (!hex_eq(resp, &cr->response) || !ok_user)
		return EACCES;
	/* correct response: now freshness, then replay */
	if (now > ts + s->opts.nonce_ttl || ts > now + 60)
		return ETIMEDOUT;
	return replay_check(s, raw + NONCE_TS, ts, cr->ncv);
}
