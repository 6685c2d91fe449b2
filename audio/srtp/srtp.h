/* srtp.h: SRTP/SRTCP protection (RFC 3711) behind one small interface.
 *
 * Our names use the prefix `srtpx_` (not `srtp_`) because libsrtp2, the
 * backend, exports srtp_create, srtp_protect, srtp_t ... and a clash would
 * be a link error or, worse, a silent call into the wrong function.
 * Keys are never logged, at any level.
 */
#ifndef PB_AUDIO_SRTP_H
#define PB_AUDIO_SRTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/pl.h"

/** Crypto suites by their SDES (RFC 4568 / RFC 7714) names. */
enum srtpx_suite {
	SRTPX_AES_CM_128_HMAC_SHA1_80 = 0,
	SRTPX_AES_CM_128_HMAC_SHA1_32,
	SRTPX_AES_256_CM_HMAC_SHA1_80,
	SRTPX_AEAD_AES_128_GCM,
	SRTPX_AEAD_AES_256_GCM,
	SRTPX_SUITE_COUNT
};

enum srtpx_dir {
	SRTPX_TX = 0, /**< protect outgoing packets   */
	SRTPX_RX,     /**< unprotect incoming packets */
};

enum {
	SRTPX_MAX_KEY = 32,	 /**< longest master key            */
	SRTPX_MAX_SALT = 14,	 /**< longest master salt           */
	SRTPX_MAX_KEYSALT = 46,	 /**< key || salt                   */
	SRTPX_MAX_TRAILER = 148, /**< room needed after a packet    */
};

/** Counters of one context; rejected packets are never delivered. */
struct srtpx_stats {
	uint64_t ok;	    /**< packets protected / accepted        */
	uint64_t auth_fail; /**< authentication tag mismatch         */
	uint64_t replay;    /**< replayed or too old                 */
	uint64_t other;	    /**< malformed or other backend errors   */
};

struct srtpx;

/** SDES name of @p s ("AES_CM_128_HMAC_SHA1_80"), "?" when invalid. */
const char *srtpx_suite_name(enum srtpx_suite s);
/** Parse an SDES suite name (case-sensitive per RFC 4568); ENOENT. */
int srtpx_suite_parse(const struct pl *name, enum srtpx_suite *s);
/** Master key bytes of @p s (16 or 32), 0 when invalid. */
size_t srtpx_key_len(enum srtpx_suite s);
/** Master salt bytes of @p s (14 for AES-CM, 12 for GCM), 0 if invalid. */
size_t srtpx_salt_len(enum srtpx_suite s);
/** key_len + salt_len: the length of an SDES inline: key. */
size_t srtpx_keysalt_len(enum srtpx_suite s);
/** True when this build's backend can create a context for @p s (probed
 *  once per suite). */
bool srtpx_suite_supported(enum srtpx_suite s);

/**
 * Create a context for one direction of one RTP session (any SSRC), with
 * the default backend (SRTPX_BACKEND_AUTO).
 * @p key is master key || master salt of exactly srtpx_keysalt_len().
 * @return 0, EINVAL (bad length or suite), ENOSYS (suite not in this
 *         build), ENOMEM.
 */
int srtpx_ctx_alloc(struct srtpx **ctxp, enum srtpx_suite suite,
		    const uint8_t *key, size_t keylen, enum srtpx_dir dir);

/**
 * Implementations behind this interface. AUTO, the default (0), picks the
 * OpenSSL one for the suites it has (AES_CM_128_HMAC_SHA1_80/32, about 5x
 * cheaper per packet than Debian's NSS-based libsrtp2) and libsrtp2 for
 * the others.
 */
enum srtpx_backend {
	SRTPX_BACKEND_AUTO = 0, /**< OpenSSL if it has the suite      */
	SRTPX_BACKEND_LIBSRTP2, /**< Debian libsrtp2 (NSS): every suite */
	SRTPX_BACKEND_OPENSSL,	/**< own, libcrypto: AES_CM_128 only    */
};

/** The backend AUTO resolves to for @p suite. */
enum srtpx_backend srtpx_backend_for(enum srtpx_suite suite);

/**
 * srtpx_ctx_alloc() with a chosen backend (srtpx_ctx_alloc uses AUTO).
 * @return as srtpx_ctx_alloc(); ENOSYS when the backend lacks @p suite.
 */
int srtpx_ctx_alloc_be(struct srtpx **ctxp, enum srtpx_backend be,
		       enum srtpx_suite suite, const uint8_t *key,
		       size_t keylen, enum srtpx_dir dir);

/**
 * Protect the RTP packet in @p buf (*@p len bytes, buffer @p size bytes:
 * leave SRTPX_MAX_TRAILER spare). Updates *@p len.
 * @return 0, EINVAL (wrong direction), ENOMEM (no room), EBADMSG, EPROTO.
 */
int srtpx_protect(struct srtpx *ctx, uint8_t *buf, size_t *len, size_t size);
/**
 * Unprotect in place. @return 0, EBADMSG (malformed or authentication
 * failure), EALREADY (replay), EINVAL (wrong direction).
 */
int srtpx_unprotect(struct srtpx *ctx, uint8_t *buf, size_t *len);
/** SRTCP counterparts of srtpx_protect / srtpx_unprotect. */
int srtcpx_protect(struct srtpx *ctx, uint8_t *buf, size_t *len, size_t size);
int srtcpx_unprotect(struct srtpx *ctx, uint8_t *buf, size_t *len);

/** Counters for SRTP (@p rtcp false) or SRTCP. */
void srtpx_stats_get(const struct srtpx *ctx, bool rtcp,
		     struct srtpx_stats *st);
enum srtpx_suite srtpx_suite_of(const struct srtpx *ctx);

/* ---- key derivation (own implementation, RFC 3711 section 4.3) ---- */

/** SRTP KDF labels. */
enum srtpx_label {
	SRTPX_LABEL_RTP_ENC = 0,
	SRTPX_LABEL_RTP_AUTH = 1,
	SRTPX_LABEL_RTP_SALT = 2,
	SRTPX_LABEL_RTCP_ENC = 3,
	SRTPX_LABEL_RTCP_AUTH = 4,
	SRTPX_LABEL_RTCP_SALT = 5,
};

/**
 * AES-CM keystream (RFC 3711 4.1.1): AES_key(iv + i) for i = 0, 1, ...
 * with @p key of 16 or 32 bytes; XORed into @p data of @p len bytes
 * (pass zeros to read the keystream).
 * @return 0, EINVAL, ENOMEM (libcrypto failure).
 */
int srtpx_aes_cm(const uint8_t *key, size_t keylen, const uint8_t iv[16],
		 uint8_t *data, size_t len);

/**
 * Derive @p outlen bytes of session key material for @p label with key
 * derivation rate 0 (index/kdr = 0), from master @p mkey (16/32 bytes) and
 * a 14-byte master @p msalt.
 */
int srtpx_kdf(const uint8_t *mkey, size_t mklen, const uint8_t msalt[14],
	      enum srtpx_label label, uint8_t *out, size_t outlen);

#endif
