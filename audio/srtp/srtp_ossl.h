/* srtp_ossl.h: private: the OpenSSL (libcrypto) SRTP backend. */
#ifndef PB_AUDIO_SRTP_OSSL_H
#define PB_AUDIO_SRTP_OSSL_H

#include "audio/srtp/srtp.h"

/** Results of the backend, mapped onto counters by the caller. */
enum srtpx_res {
	SRTPX_RES_OK = 0,
	SRTPX_RES_AUTH,	  /**< tag mismatch           */
	SRTPX_RES_REPLAY, /**< replayed or too old    */
	SRTPX_RES_BAD,	  /**< malformed              */
	SRTPX_RES_NOMEM,  /**< no room or libcrypto   */
};

struct srtpx_ossl;

int srtpx_ossl_alloc(struct srtpx_ossl **op, enum srtpx_suite suite,
		     const uint8_t *key);
enum srtpx_res srtpx_ossl_protect(struct srtpx_ossl *o, uint8_t *buf,
				  size_t *len, size_t size);
enum srtpx_res srtpx_ossl_unprotect(struct srtpx_ossl *o, uint8_t *buf,
				    size_t *len);
enum srtpx_res srtcpx_ossl_protect(struct srtpx_ossl *o, uint8_t *buf,
				   size_t *len, size_t size);
enum srtpx_res srtcpx_ossl_unprotect(struct srtpx_ossl *o, uint8_t *buf,
				     size_t *len);

#endif
