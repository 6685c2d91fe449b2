/* srtp_sdes.c: RFC 4568 key-params grammar, base64 and key generation.
 *
 *   key-params = "inline:" key-info
 *   key-info   = key-salt ["|" lifetime] ["|" mki]
 *   lifetime   = ["2^"] 1*DIGIT
 *   mki        = mki-value ":" mki-length     (mki-length 1..128)
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include <openssl/rand.h>

#include "audio/srtp/srtp_sdes.h"

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t srtpx_b64_encode(char *out, size_t size, const uint8_t *in, size_t len)
{
	size_t need = (len + 2) / 3 * 4;
	if (!out || (!in && len) || size < need + 1)
		return 0;
	size_t o = 0;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		out[o++] = b64chars[v >> 18 & 63];
		out[o++] = b64chars[v >> 12 & 63];
		out[o++] = i + 1 < len ? b64chars[v >> 6 & 63] : '=';
		out[o++] = i + 2 < len ? b64chars[v & 63] : '=';
	}
	out[o] = '\0';
	return o;
}

static int b64val(char c)
{
	const char *p = c ? strchr(b64chars, c) : NULL;
	return p ? (int)(p - b64chars) : -1;
}

int srtpx_b64_decode(uint8_t *out, size_t size, size_t *outlen, const char *in,
		     size_t len)
{
	if (!out || !outlen || (!in && len))
		return EINVAL;
	if (len == 0 || len % 4)
		return EBADMSG;
	size_t o = 0;
	for (size_t i = 0; i < len; i += 4) {
		bool last = i + 4 == len;
		int v[4];
		unsigned pad = 0;
		for (unsigned j = 0; j < 4; j++) {
			char c = in[i + j];
			if (c == '=' && last && j >= 2) {
				v[j] = 0;
				pad++;
				continue;
			}
			v[j] = b64val(c);
			if (v[j] < 0 || pad) /* '=' only at the very end */
				return EBADMSG;
		}
		size_t n = 3 - pad;
		if (o + n > size)
			return ENOMEM;
		uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 |
			     (uint32_t)v[2] << 6 | (uint32_t)v[3];
		out[o++] = (uint8_t)(w >> 16);
		if (n > 1)
			out[o++] = (uint8_t)(w >> 8);
		if (n > 2)
			out[o++] = (uint8_t)w;
	}
	*outlen = o;
	return 0;
}

static int lifetime_decode(struct srtpx_keyparams *kp, struct pl f)
{
	uint64_t v;
	if (f.l > 2 && f.p[0] == '2' && f.p[1] == '^') {
		f.p += 2;
		f.l -= 2;
		if (pl_u64(&f, 63, &v))
			return EBADMSG;
		v = (uint64_t)1 << v;
	} else if (pl_u64(&f, UINT64_MAX, &v)) {
		return EBADMSG;
	}
	if (!v)
		return EBADMSG;
	kp->has_lifetime = true;
	kp->lifetime = v;
	return 0;
}

static int mki_decode(struct srtpx_keyparams *kp, const struct pl *f)
{
	const char *colon = pl_chr(f, ':');
	if (!colon)
		return EBADMSG;
	struct pl val = {f->p, (size_t)(colon - f->p)};
	struct pl len = {colon + 1, f->l - val.l - 1};
	uint64_t v, l;
	if (pl_u64(&val, UINT32_MAX, &v) || pl_u64(&len, 128, &l) || !l)
		return EBADMSG;
	if (l < 4 && v >> (8 * l))
		return EBADMSG; /* value does not fit its declared length */
	kp->has_mki = true;
	kp->mki = (uint32_t)v;
	kp->mki_len = (unsigned)l;
	return 0;
}

/* Split off the next '|'-separated field of @p rest into @p f. */
static bool next_field(struct pl *rest, struct pl *f)
{
	if (!rest->p)
		return false;
	const char *bar = pl_chr(rest, '|');
	f->p = rest->p;
	f->l = bar ? (size_t)(bar - rest->p) : rest->l;
	if (bar) {
		rest->l -= f->l + 1;
		rest->p = bar + 1;
	} else {
		rest->p = NULL;
		rest->l = 0;
	}
	return true;
}

int srtpx_keyparams_decode(struct srtpx_keyparams *kp, enum srtpx_suite suite,
			   const struct pl *s)
{
	if (!kp || !s || (unsigned)suite >= SRTPX_SUITE_COUNT)
		return EINVAL;
	memset(kp, 0, sizeof(*kp));
	static const char pfx[] = "inline:";
	if (!s->p || s->l < sizeof(pfx) - 1 ||
	    strncasecmp(s->p, pfx, sizeof(pfx) - 1))
		return EBADMSG;
	struct pl rest = {s->p + sizeof(pfx) - 1, s->l - (sizeof(pfx) - 1)};
	struct pl f;

	next_field(&rest, &f);
	int err =
	    srtpx_b64_decode(kp->key, sizeof(kp->key), &kp->keylen, f.p, f.l);
	if (err == ENOMEM)
		err = EINVAL; /* longer than any suite's key */
	if (err)
		goto out;
	if (kp->keylen != srtpx_keysalt_len(suite)) {
		err = EINVAL;
		goto out;
	}
	for (unsigned n = 0; next_field(&rest, &f); n++) {
		if (n == 2 || !f.l) {
			err = EBADMSG;
			goto out;
		}
		if (pl_chr(&f, ':'))
			err = kp->has_mki ? EBADMSG : mki_decode(kp, &f);
		else if (kp->has_lifetime || kp->has_mki)
			err = EBADMSG; /* lifetime must precede MKI */
		else
			err = lifetime_decode(kp, f);
		if (err)
			goto out;
	}
out:
	if (err)
		explicit_bzero(kp, sizeof(*kp));
	return err;
}

int srtpx_key_generate(enum srtpx_suite suite, uint8_t *key, size_t size)
{
	size_t n = srtpx_keysalt_len(suite);
	if (!key || !n || size < n)
		return EINVAL;
	return RAND_bytes(key, (int)n) == 1 ? 0 : EIO;
}

int srtpx_keyparams_encode(char *buf, size_t size, const uint8_t *key,
			   size_t keylen)
{
	static const char pfx[] = "inline:";
	if (!buf || !key || !keylen || keylen > SRTPX_MAX_KEYSALT)
		return EINVAL;
	if (size < sizeof(pfx))
		return ENOMEM;
	memcpy(buf, pfx, sizeof(pfx) - 1);
	if (!srtpx_b64_encode(buf + sizeof(pfx) - 1, size - sizeof(pfx) + 1,
			      key, keylen))
		return ENOMEM;
	return 0;
}
