/* srtp_kdf.c: AES-CM keystream and the SRTP key derivation function
 * (RFC 3711 sections 4.1.1 and 4.3), on libcrypto; used to check vectors
 * and to cross-check the libsrtp2 backend.
 *
 * KDF with kdr = 0: x = label << 48 XOR master_salt (both as 112-bit
 * numbers), IV = x * 2^16, output = AES-CM keystream under the master key.
 * AES-CM with a 128-bit big-endian counter is exactly AES-CTR.
 */
#include <errno.h>
#include <string.h>

#include <openssl/evp.h>

#include "audio/srtp/srtp.h"

int srtpx_aes_cm(const uint8_t *key, size_t keylen, const uint8_t iv[16],
		 uint8_t *data, size_t len)
{
	if (!key || !iv || (!data && len) || (keylen != 16 && keylen != 32))
		return EINVAL;
	const EVP_CIPHER *c =
	    keylen == 16 ? EVP_aes_128_ctr() : EVP_aes_256_ctr();
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return ENOMEM;
	int err = 0, outl = 0;
	if (!EVP_EncryptInit_ex(ctx, c, NULL, key, iv)) {
		err = ENOMEM;
		goto out;
	}
	while (len) {
		int chunk = len > 1u << 20 ? 1 << 20 : (int)len;
		if (!EVP_EncryptUpdate(ctx, data, &outl, data, chunk)) {
			err = ENOMEM;
			goto out;
		}
		data += chunk;
		len -= (size_t)chunk;
	}
out:
	EVP_CIPHER_CTX_free(ctx);
	return err;
}

int srtpx_kdf(const uint8_t *mkey, size_t mklen, const uint8_t msalt[14],
	      enum srtpx_label label, uint8_t *out, size_t outlen)
{
	if (!mkey || !msalt || !out || label > SRTPX_LABEL_RTCP_SALT)
		return EINVAL;
	uint8_t iv[16] = {0};
	memcpy(iv, msalt, 14);
	/* label sits at bit 48 of the 112-bit value: byte 7 of 14 */
	iv[7] ^= (uint8_t)label;
	memset(out, 0, outlen);
	return srtpx_aes_cm(mkey, mklen, iv, out, outlen);
}
