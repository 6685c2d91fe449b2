/* srtp_libsrtp.c: the srtpx_ interface: backend choice (AUTO) and the
 * implementation with Debian's libsrtp2 (NSS-backed). One srtp_t per
 * direction with a wildcard-SSRC stream; replay protection on (window 1024).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include <srtp2/srtp.h>

#define LOG_TAG "srtp"
#include "audio/srtp/srtp.h"
#include "audio/srtp/srtp_ossl.h"
#include "base/log.h"
#include "base/mem.h"

struct srtpx {
	srtp_t sess;		 /**< libsrtp2 session, or NULL  */
	struct srtpx_ossl *ossl; /**< own backend, or NULL       */
	enum srtpx_suite suite;	 /**< crypto suite               */
	enum srtpx_dir dir;	 /**< TX or RX                   */
	struct srtpx_stats rtp;	 /**< SRTP counters              */
	struct srtpx_stats rtcp; /**< SRTCP counters             */
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static srtp_err_status_t init_status;

static void lib_init(void)
{
	init_status = srtp_init();
}

static int policy_set(srtp_policy_t *p, enum srtpx_suite s)
{
	switch (s) {
	case SRTPX_AES_CM_128_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p->rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p->rtcp);
		return 0;
	case SRTPX_AES_CM_128_HMAC_SHA1_32:
		/* RFC 4568: SRTCP keeps the 80-bit tag with the _32 suite */
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&p->rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p->rtcp);
		return 0;
	case SRTPX_AES_256_CM_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p->rtp);
		srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p->rtcp);
		return 0;
	case SRTPX_AEAD_AES_128_GCM:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&p->rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&p->rtcp);
		return 0;
	case SRTPX_AEAD_AES_256_GCM:
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&p->rtp);
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&p->rtcp);
		return 0;
	default:
		return EINVAL;
	}
}

static void srtpx_destroy(void *data)
{
	struct srtpx *ctx = data;
	if (ctx->sess)
		srtp_dealloc(ctx->sess);
	obj_deref(ctx->ossl);
}

static int ossl_ctx_alloc(struct srtpx **ctxp, enum srtpx_suite suite,
			  const uint8_t *key, enum srtpx_dir dir)
{
	struct srtpx *ctx = obj_zalloc(sizeof(*ctx), srtpx_destroy);
	if (!ctx)
		return ENOMEM;
	ctx->suite = suite;
	ctx->dir = dir;
	int err = srtpx_ossl_alloc(&ctx->ossl, suite, key);
	if (err) {
		obj_deref(ctx);
		return err;
	}
	*ctxp = ctx;
	return 0;
}

int srtpx_ctx_alloc(struct srtpx **ctxp, enum srtpx_suite suite,
		    const uint8_t *key, size_t keylen, enum srtpx_dir dir)
{
	return srtpx_ctx_alloc_be(ctxp, SRTPX_BACKEND_AUTO, suite, key, keylen,
				  dir);
}

enum srtpx_backend srtpx_backend_for(enum srtpx_suite suite)
{
	return suite == SRTPX_AES_CM_128_HMAC_SHA1_80 ||
		       suite == SRTPX_AES_CM_128_HMAC_SHA1_32
		   ? SRTPX_BACKEND_OPENSSL
		   : SRTPX_BACKEND_LIBSRTP2;
}

int srtpx_ctx_alloc_be(struct srtpx **ctxp, enum srtpx_backend be,
		       enum srtpx_suite suite, const uint8_t *key,
		       size_t keylen, enum srtpx_dir dir)
{
	if (!ctxp || !key || (unsigned)suite >= SRTPX_SUITE_COUNT ||
	    keylen != srtpx_keysalt_len(suite) ||
	    (dir != SRTPX_TX && dir != SRTPX_RX))
		return EINVAL;
	if (be == SRTPX_BACKEND_AUTO)
		be = srtpx_backend_for(suite);
	if (be == SRTPX_BACKEND_OPENSSL)
		return ossl_ctx_alloc(ctxp, suite, key, dir);
	if (be != SRTPX_BACKEND_LIBSRTP2)
		return EINVAL;
	pthread_once(&init_once, lib_init);
	if (init_status != srtp_err_status_ok)
		return ENOSYS;

	srtp_policy_t pol;
	memset(&pol, 0, sizeof(pol));
	policy_set(&pol, suite);
	uint8_t k[SRTPX_MAX_KEYSALT];
	memcpy(k, key, keylen);
	pol.key = k;
	pol.ssrc.type = dir == SRTPX_TX ? ssrc_any_outbound : ssrc_any_inbound;
	pol.window_size = 1024;
	pol.allow_repeat_tx = 0;

	int err = 0;
	struct srtpx *ctx = obj_zalloc(sizeof(*ctx), srtpx_destroy);
	if (!ctx) {
		err = ENOMEM;
		goto out;
	}
	ctx->suite = suite;
	ctx->dir = dir;
	srtp_err_status_t st = srtp_create(&ctx->sess, &pol);
	if (st != srtp_err_status_ok) {
		ctx->sess = NULL;
		err = st == srtp_err_status_alloc_fail ? ENOMEM : ENOSYS;
		DEBUG("srtp_create(%s) failed: %d", srtpx_suite_name(suite),
		      (int)st);
		goto out;
	}
	*ctxp = ctx;
	ctx = NULL;
out:
	explicit_bzero(k, sizeof(k));
	obj_deref(ctx);
	return err;
}

bool srtpx_suite_supported(enum srtpx_suite s)
{
	/* per suite: 0 not probed, 1 runs, 2 does not; a probe that ran
	 * out of memory says nothing and is not remembered */
	static _Atomic unsigned char known[SRTPX_SUITE_COUNT];
	static const uint8_t zero[SRTPX_MAX_KEYSALT] = {1};
	struct srtpx *ctx = NULL;
	if ((unsigned)s >= SRTPX_SUITE_COUNT)
		return false;
	unsigned char k = atomic_load(&known[s]);
	if (k)
		return k == 1;
	int err =
	    srtpx_ctx_alloc(&ctx, s, zero, srtpx_keysalt_len(s), SRTPX_TX);
	obj_deref(ctx);
	if (err != ENOMEM)
		atomic_store(&known[s], err ? 2 : 1);
	return err == 0;
}

static int map_err(srtp_err_status_t st, struct srtpx_stats *c)
{
	switch (st) {
	case srtp_err_status_ok:
		c->ok++;
		return 0;
	case srtp_err_status_auth_fail:
		c->auth_fail++;
		return EBADMSG;
	case srtp_err_status_replay_fail:
	case srtp_err_status_replay_old:
		c->replay++;
		return EALREADY;
	default:
		c->other++;
		return EBADMSG;
	}
}

static int res_map(enum srtpx_res r, struct srtpx_stats *c)
{
	switch (r) {
	case SRTPX_RES_OK:
		c->ok++;
		return 0;
	case SRTPX_RES_AUTH:
		c->auth_fail++;
		return EBADMSG;
	case SRTPX_RES_REPLAY:
		c->replay++;
		return EALREADY;
	case SRTPX_RES_NOMEM:
		return ENOMEM;
	default:
		c->other++;
		return EBADMSG;
	}
}

static int lenck(size_t len, size_t size, size_t min)
{
	if (len < min || len > 65535)
		return EBADMSG;
	if (size < len + SRTPX_MAX_TRAILER)
		return ENOMEM;
	return 0;
}

/* The own backend's call for one of the four operations. */
static enum srtpx_res ossl_run(struct srtpx_ossl *o, bool rtcp, bool tx,
			       uint8_t *buf, size_t *len, size_t size)
{
	if (tx)
		return rtcp ? srtcpx_ossl_protect(o, buf, len, size)
			    : srtpx_ossl_protect(o, buf, len, size);
	return rtcp ? srtcpx_ossl_unprotect(o, buf, len)
		    : srtpx_ossl_unprotect(o, buf, len);
}

typedef srtp_err_status_t(lib_op)(srtp_t, void *, int *);

/* Protect (@p dir TX, room for the trailer in @p size) or unprotect (RX)
 * one RTP or RTCP packet in place, counting the outcome. */
static int xform(struct srtpx *ctx, bool rtcp, enum srtpx_dir dir, uint8_t *buf,
		 size_t *len, size_t size)
{
	static lib_op *const lib[2][2] = {
	    {srtp_protect, srtp_unprotect},
	    {srtp_protect_rtcp, srtp_unprotect_rtcp},
	};
	size_t min = rtcp ? 8 : 12; /* fixed RTP / RTCP header */
	bool tx = dir == SRTPX_TX;
	int err;
	if (!ctx || !buf || !len || ctx->dir != dir)
		return EINVAL;
	struct srtpx_stats *c = rtcp ? &ctx->rtcp : &ctx->rtp;
	if (tx && (err = lenck(*len, size, min)))
		return err;
	if (!tx && (*len < min || *len > 65535)) {
		c->other++;
		return EBADMSG;
	}
	if (ctx->ossl)
		return res_map(ossl_run(ctx->ossl, rtcp, tx, buf, len, size),
			       c);
	int l = (int)*len;
	err = map_err(lib[rtcp][!tx](ctx->sess, buf, &l), c);
	if (!err)
		*len = (size_t)l;
	return err;
}

int srtpx_protect(struct srtpx *ctx, uint8_t *buf, size_t *len, size_t size)
{
	return xform(ctx, false, SRTPX_TX, buf, len, size);
}

int srtpx_unprotect(struct srtpx *ctx, uint8_t *buf, size_t *len)
{
	return xform(ctx, false, SRTPX_RX, buf, len, 0);
}

int srtcpx_protect(struct srtpx *ctx, uint8_t *buf, size_t *len, size_t size)
{
	return xform(ctx, true, SRTPX_TX, buf, len, size);
}

int srtcpx_unprotect(struct srtpx *ctx, uint8_t *buf, size_t *len)
{
	return xform(ctx, true, SRTPX_RX, buf, len, 0);
}

void srtpx_stats_get(const struct srtpx *ctx, bool rtcp, struct srtpx_stats *st)
{
	if (!st)
		return;
	memset(st, 0, sizeof(*st));
	if (ctx)
		*st = rtcp ? ctx->rtcp : ctx->rtp;
}

enum srtpx_suite srtpx_suite_of(const struct srtpx *ctx)
{
	return ctx ? ctx->suite : SRTPX_SUITE_COUNT;
}
