/* srtp_ossl.c: SRTP/SRTCP with AES-CM + HMAC-SHA1 on libcrypto (RFC 3711),
 * an alternative to the NSS-backed libsrtp2 for AES_CM_128_HMAC_SHA1_80/32.
 *
 * SRTP:  header | AES-CM(payload) | tag = HMAC(k_a, header|payload|ROC)
 * SRTCP: 8-byte header | AES-CM(rest) | E|31-bit index | tag (80 bits)
 * AES-CM IV = k_s*2^16 ^ SSRC*2^64 ^ index*2^16. The receiver estimates the
 * rollover counter (RFC 3711 3.3.1) and keeps a 128-packet replay window.
 *
 * HMAC-SHA1 is computed from SHA-1 states precomputed over key^ipad and
 * key^opad, so a tag costs two struct copies and the SHA-1 blocks. The
 * SHA1_* functions are deprecated in OpenSSL 3.0 but shipped and use the
 * same assembly as EVP; EVP_MAC re-initialised per packet allocates and
 * frees (EVP_MD_CTX copies) and was a third of the relay's SRTP time.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "audio/srtp/srtp_ossl.h"
#include "base/mem.h"

enum { WINDOW = 128, RTCP_TAG = 10 };

struct keys {
	EVP_CIPHER_CTX *aes; /**< keyed AES-128-CTR                */
	SHA_CTX hi;	     /**< SHA-1 after key ^ ipad           */
	SHA_CTX ho;	     /**< SHA-1 after key ^ opad           */
	uint8_t salt[14];    /**< session salt                     */
};

struct replay {
	bool init;		/**< something received              */
	uint64_t max;		/**< highest index accepted          */
	unsigned __int128 bits; /**< bit i: max - i was received   */
};

struct srtpx_ossl {
	struct keys rtp, rtcp;
	size_t tag; /**< SRTP tag bytes: 10 or 4          */
	/* sender */
	bool tx_init;
	uint16_t tx_seq;
	uint32_t tx_roc;
	uint32_t rtcp_tx_index;
	/* receiver */
	bool rx_init;
	uint32_t roc; /**< rollover counter                 */
	uint16_t s_l; /**< highest seq in that ROC          */
	struct replay rw, rtcp_rw;
};

static void keys_free(struct keys *k)
{
	EVP_CIPHER_CTX_free(k->aes);
}

static void ossl_destroy(void *data)
{
	struct srtpx_ossl *o = data;
	keys_free(&o->rtp);
	keys_free(&o->rtcp);
	explicit_bzero(o, sizeof(*o));
}

/* RFC 2104 with a key shorter than the block: the pads' SHA-1 states. */
static bool hmac_keys(struct keys *k, const uint8_t *key, size_t len)
{
	uint8_t pad[SHA_CBLOCK];
	bool ok = true;
	for (int round = 0; round < 2; round++) {
		uint8_t x = round ? 0x5c : 0x36;
		SHA_CTX *c = round ? &k->ho : &k->hi;
		memset(pad, x, sizeof(pad));
		for (size_t i = 0; i < len; i++)
			pad[i] ^= key[i];
		ok = ok && SHA1_Init(c) && SHA1_Update(c, pad, sizeof(pad));
	}
	explicit_bzero(pad, sizeof(pad));
	return ok;
}

static int keys_init(struct keys *k, const uint8_t *key, enum srtpx_label l0)
{
	uint8_t ke[16], ka[20];
	int err = srtpx_kdf(key, 16, key + 16, l0, ke, sizeof(ke));
	if (!err)
		err = srtpx_kdf(key, 16, key + 16, l0 + 1, ka, sizeof(ka));
	if (!err)
		err = srtpx_kdf(key, 16, key + 16, l0 + 2, k->salt, 14);
	if (err)
		goto out;
	k->aes = EVP_CIPHER_CTX_new();
	if (!k->aes || !hmac_keys(k, ka, sizeof(ka)) ||
	    !EVP_EncryptInit_ex(k->aes, EVP_aes_128_ctr(), NULL, ke, NULL))
		err = ENOMEM;
out:
	explicit_bzero(ke, sizeof(ke));
	explicit_bzero(ka, sizeof(ka));
	return err;
}

int srtpx_ossl_alloc(struct srtpx_ossl **op, enum srtpx_suite suite,
		     const uint8_t *key)
{
	if (suite != SRTPX_AES_CM_128_HMAC_SHA1_80 &&
	    suite != SRTPX_AES_CM_128_HMAC_SHA1_32)
		return ENOSYS;
	struct srtpx_ossl *o = obj_zalloc(sizeof(*o), ossl_destroy);
	if (!o)
		return ENOMEM;
	o->tag = suite == SRTPX_AES_CM_128_HMAC_SHA1_80 ? 10 : 4;
	int err = keys_init(&o->rtp, key, SRTPX_LABEL_RTP_ENC);
	if (!err)
		err = keys_init(&o->rtcp, key, SRTPX_LABEL_RTCP_ENC);
	if (err) {
		obj_deref(o);
		return err;
	}
	*op = o;
	return 0;
}

static bool crypt(struct keys *k, uint32_t ssrc, uint64_t index, uint8_t *p,
		  size_t n)
{
	uint8_t iv[16] = {0};
	memcpy(iv, k->salt, 14);
	for (int i = 0; i < 4; i++)
		iv[4 + i] ^= (uint8_t)(ssrc >> (24 - 8 * i));
	for (int i = 0; i < 6; i++)
		iv[8 + i] ^= (uint8_t)(index >> (40 - 8 * i));
	int outl;
	return EVP_EncryptInit_ex(k->aes, NULL, NULL, NULL, iv) &&
	       (!n || EVP_EncryptUpdate(k->aes, p, &outl, p, (int)n));
}

/* HMAC-SHA1 over p[0..n) || ext[0..4) when ext is given. */
static bool mac(const struct keys *k, const uint8_t *p, size_t n,
		const uint8_t *ext, uint8_t out[20])
{
	SHA_CTX c = k->hi;
	uint8_t inner[SHA_DIGEST_LENGTH];
	bool ok = SHA1_Update(&c, p, n) && (!ext || SHA1_Update(&c, ext, 4)) &&
		  SHA1_Final(inner, &c);
	c = k->ho;
	ok = ok && SHA1_Update(&c, inner, sizeof(inner)) && SHA1_Final(out, &c);
	explicit_bzero(&c, sizeof(c));
	return ok;
}

static void be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Length of the RTP header (CSRCs, extension) or 0 when malformed. */
static size_t hdr_len(const uint8_t *b, size_t len)
{
	if (len < 12 || b[0] >> 6 != 2)
		return 0;
	size_t h = 12 + 4u * (b[0] & 0x0f);
	if (h > len)
		return 0;
	if (b[0] & 0x10) {
		if (len - h < 4)
			return 0;
		h += 4 + 4u * ((size_t)b[h + 2] << 8 | b[h + 3]);
		if (h > len)
			return 0;
	}
	return h;
}

enum srtpx_res srtpx_ossl_protect(struct srtpx_ossl *o, uint8_t *buf,
				  size_t *len, size_t size)
{
	size_t h = hdr_len(buf, *len);
	if (!h)
		return SRTPX_RES_BAD;
	if (size < *len + o->tag)
		return SRTPX_RES_NOMEM;
	uint16_t seq = (uint16_t)(buf[2] << 8 | buf[3]);
	if (o->tx_init && seq < o->tx_seq && o->tx_seq - seq > 0x8000)
		o->tx_roc++;
	if (!o->tx_init || (uint16_t)(seq - o->tx_seq) < 0x8000)
		o->tx_seq = seq;
	o->tx_init = true;
	uint64_t index = (uint64_t)o->tx_roc << 16 | seq;
	uint8_t roc[4], tag[20];
	be32(roc, o->tx_roc);
	if (!crypt(&o->rtp, rd32(buf + 8), index, buf + h, *len - h) ||
	    !mac(&o->rtp, buf, *len, roc, tag))
		return SRTPX_RES_NOMEM;
	memcpy(buf + *len, tag, o->tag);
	*len += o->tag;
	return SRTPX_RES_OK;
}

static enum srtpx_res replay_check(const struct replay *r, uint64_t idx)
{
	if (!r->init || idx > r->max)
		return SRTPX_RES_OK;
	uint64_t d = r->max - idx;
	if (d >= WINDOW || (r->bits >> d & 1))
		return SRTPX_RES_REPLAY;
	return SRTPX_RES_OK;
}

static void replay_add(struct replay *r, uint64_t idx)
{
	if (!r->init) {
		r->init = true;
		r->max = idx;
		r->bits = 1;
	} else if (idx > r->max) {
		uint64_t d = idx - r->max;
		r->bits = d >= WINDOW ? 0 : r->bits << d;
		r->bits |= 1;
		r->max = idx;
	} else {
		r->bits |= (unsigned __int128)1 << (r->max - idx);
	}
}

/* RFC 3711 3.3.1: the ROC value v most likely used for seq */
static uint32_t roc_guess(const struct srtpx_ossl *o, uint16_t seq)
{
	if (!o->rx_init)
		return 0;
	if (o->s_l < 0x8000)
		return (seq - o->s_l > 0x8000 && o->roc) ? o->roc - 1 : o->roc;
	return (o->s_l - 0x8000 > seq) ? o->roc + 1 : o->roc;
}

enum srtpx_res srtpx_ossl_unprotect(struct srtpx_ossl *o, uint8_t *buf,
				    size_t *len)
{
	if (*len < 12 + o->tag)
		return SRTPX_RES_BAD;
	size_t n = *len - o->tag;
	size_t h = hdr_len(buf, n);
	if (!h)
		return SRTPX_RES_BAD;
	uint16_t seq = (uint16_t)(buf[2] << 8 | buf[3]);
	uint32_t v = roc_guess(o, seq);
	uint64_t index = (uint64_t)v << 16 | seq;
	enum srtpx_res r = replay_check(&o->rw, index);
	if (r)
		return r;
	uint8_t roc[4], tag[20];
	be32(roc, v);
	if (!mac(&o->rtp, buf, n, roc, tag))
		return SRTPX_RES_NOMEM;
	if (CRYPTO_memcmp(tag, buf + n, o->tag))
		return SRTPX_RES_AUTH;
	if (!crypt(&o->rtp, rd32(buf + 8), index, buf + h, n - h))
		return SRTPX_RES_NOMEM;
	replay_add(&o->rw, index);
	if (!o->rx_init || v > o->roc) {
		o->roc = v;
		o->s_l = seq;
	} else if (v == o->roc && seq > o->s_l) {
		o->s_l = seq;
	}
	o->rx_init = true;
	*len = n;
	return SRTPX_RES_OK;
}

enum srtpx_res srtcpx_ossl_protect(struct srtpx_ossl *o, uint8_t *buf,
				   size_t *len, size_t size)
{
	if (*len < 8 || buf[0] >> 6 != 2)
		return SRTPX_RES_BAD;
	if (size < *len + 4 + RTCP_TAG)
		return SRTPX_RES_NOMEM;
	uint32_t index = o->rtcp_tx_index++ & 0x7fffffff;
	uint8_t tag[20];
	if (!crypt(&o->rtcp, rd32(buf + 4), index, buf + 8, *len - 8))
		return SRTPX_RES_NOMEM;
	be32(buf + *len, 0x80000000u | index);
	*len += 4;
	if (!mac(&o->rtcp, buf, *len, NULL, tag))
		return SRTPX_RES_NOMEM;
	memcpy(buf + *len, tag, RTCP_TAG);
	*len += RTCP_TAG;
	return SRTPX_RES_OK;
}

enum srtpx_res srtcpx_ossl_unprotect(struct srtpx_ossl *o, uint8_t *buf,
				     size_t *len)
{
	if (*len < 8 + 4 + RTCP_TAG || buf[0] >> 6 != 2)
		return SRTPX_RES_BAD;
	size_t n = *len - RTCP_TAG;
	uint8_t tag[20];
	if (!mac(&o->rtcp, buf, n, NULL, tag))
		return SRTPX_RES_NOMEM;
	if (CRYPTO_memcmp(tag, buf + n, RTCP_TAG))
		return SRTPX_RES_AUTH;
	uint32_t ei = rd32(buf + n - 4);
	uint32_t index = ei & 0x7fffffff;
	enum srtpx_res r = replay_check(&o->rtcp_rw, index);
	if (r)
		return r;
	if ((ei & 0x80000000u) &&
	    !crypt(&o->rtcp, rd32(buf + 4), index, buf + 8, n - 4 - 8))
		return SRTPX_RES_NOMEM;
	replay_add(&o->rtcp_rw, index);
	*len = n - 4;
	return SRTPX_RES_OK;
}
