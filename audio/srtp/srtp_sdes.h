/* srtp_sdes.h: SDES key material (RFC 4568 key-params, "inline:" keys). */
#ifndef PB_AUDIO_SRTP_SDES_H
#define PB_AUDIO_SRTP_SDES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audio/srtp/srtp.h"
#include "base/pl.h"

/** One parsed key-params: inline:<key||salt b64>[|lifetime][|MKI:len]. */
struct srtpx_keyparams {
	uint8_t key[SRTPX_MAX_KEYSALT]; /**< master key || master salt    */
	size_t keylen;			/**< bytes in key                 */
	bool has_lifetime;		/**< lifetime given               */
	uint64_t lifetime;		/**< packets (2^n expanded)       */
	bool has_mki;			/**< MKI given                    */
	uint32_t mki;			/**< MKI value                    */
	unsigned mki_len;		/**< MKI length in bytes (1..128) */
};

/**
 * Parse @p s as key-params for @p suite and check the key length.
 * @return 0, EBADMSG (syntax, bad base64, bad lifetime/MKI) or EINVAL
 *         (key||salt length does not match the suite).
 */
int srtpx_keyparams_decode(struct srtpx_keyparams *kp, enum srtpx_suite suite,
			   const struct pl *s);

/**
 * Fill @p key with srtpx_keysalt_len(@p suite) bytes from the CSPRNG.
 * @return 0, EINVAL (@p size too small) or EIO (CSPRNG failure).
 */
int srtpx_key_generate(enum srtpx_suite suite, uint8_t *key, size_t size);

/**
 * Write "inline:<base64>" for @p key into @p buf (NUL-terminated).
 * @return 0, EINVAL, ENOMEM (buffer too small).
 */
int srtpx_keyparams_encode(char *buf, size_t size, const uint8_t *key,
			   size_t keylen);

/** Base64 (RFC 4648, padded) encode; returns chars written or 0 if short. */
size_t srtpx_b64_encode(char *out, size_t size, const uint8_t *in, size_t len);
/**
 * Strict base64 decode (padding required, no whitespace).
 * @return 0 and *@p outlen, EBADMSG, or ENOMEM (output too small).
 */
int srtpx_b64_decode(uint8_t *out, size_t size, size_t *outlen, const char *in,
		     size_t len);

#endif
