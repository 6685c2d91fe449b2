/* wav_int.h: internals shared by the WAV reader's files. */
#ifndef PB_AUDIO_WAV_INT_H
#define PB_AUDIO_WAV_INT_H

#include <stddef.h>
#include <stdint.h>

#include "audio/errf.h"

/** The advice appended to every format complaint. */
#define WAV_NEED "need mono 16-bit PCM WAV (8, 16 or 48 kHz)"

/** Where the two chunks we use sit in the file image. */
struct wav_chunks {
	size_t fmt_off;	 /**< first byte of the fmt chunk body  */
	size_t fmt_len;	 /**< its size (16..64)                 */
	size_t data_off; /**< first byte of the samples         */
	size_t data_len; /**< declared and present sample bytes */
};

/**
 * Walk the RIFF chunks of @p data before libsndfile sees it: RIFF/WAVE
 * magic, every chunk inside the file, a fmt and a non-empty data chunk
 * whose declared size fits; their places go to @p ck. On failure writes "NAME:
 * reason" to @p err.
 * @return 0, EBADMSG or ENODATA.
 */
int wav_riff_check(const uint8_t *data, size_t len, const char *name,
		   struct wav_chunks *ck, char *err, size_t errlen);

#endif
