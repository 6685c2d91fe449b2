/* wav.h: WAV prompt files: validated loading (with resampling) and writing. */
#ifndef PB_AUDIO_WAV_H
#define PB_AUDIO_WAV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Accepted input: RIFF/WAVE, 16-bit signed PCM, mono, at 8 kHz (the
 * reference), 16 kHz or 48 kHz; 16 and 48 kHz are resampled on load to the
 * rate asked for. Anything else is refused with a message that names what
 * is wrong, e.g.
 *   "prompt.wav: 2 channels; need mono 16-bit PCM WAV (8, 16 or 48 kHz)".
 *
 * Error values: ENOENT/EACCES/EISDIR (cannot open), EFBIG (larger than
 * WAV_MAX_BYTES), EBADMSG (not a WAV file, broken or truncated header, data
 * chunk larger than the file), ENOTSUP (a valid WAV in a format we do not
 * take), ENODATA (no samples), EINVAL (bad arguments), ENOMEM.
 */

enum {
	WAV_MAX_BYTES = 64 * 1024 * 1024, /**< largest file we load      */
	WAV_ERRLEN = 256,		  /**< a big enough message size */
};

/** Decoded mono PCM (an obj_ block; obj_deref() frees the samples too). */
struct wav_pcm {
	int16_t *s;	    /**< samples                        */
	size_t n;	    /**< number of samples              */
	uint32_t rate;	    /**< sample rate of @p s (the one asked for) */
	uint32_t file_rate; /**< rate stored in the file   */
};

/** True when @p rate is one we read (8000, 16000, 48000). */
bool wav_rate_ok(uint32_t rate);

/**
 * Load the WAV file at @p path as mono PCM at @p rate (8000, 16000 or
 * 48000), resampling when the file's rate differs.
 * @param err    receives a one-line message on failure (may be NULL)
 * @param errlen size of @p err (WAV_ERRLEN is enough)
 * @return 0 or an errno listed above.
 */
int wav_load(struct wav_pcm **wp, const char *path, uint32_t rate, char *err,
	     size_t errlen);

/**
 * Like wav_load() but from @p len bytes in memory; @p name is used in the
 * message.
 */
int wav_decode(struct wav_pcm **wp, const uint8_t *data, size_t len,
	       const char *name, uint32_t rate, char *err, size_t errlen);

/** A WAV file being written (16-bit PCM mono); obj_deref() closes it. */
struct wav_writer;

/**
 * Create (or truncate) @p path as a 16-bit mono PCM WAV at @p rate.
 * @return 0, EINVAL, ENOMEM, or EIO with the reason in @p err.
 */
int wav_writer_open(struct wav_writer **wp, const char *path, uint32_t rate,
		    char *err, size_t errlen);

/** Append @p n samples. @return 0 or EIO. */
int wav_writer_write(struct wav_writer *w, const int16_t *s, size_t n);

/** Samples written so far. */
uint64_t wav_writer_count(const struct wav_writer *w);

/** Write @p n samples to a new WAV file at @p path in one go. */
int wav_save(const char *path, const int16_t *s, size_t n, uint32_t rate,
	     char *err, size_t errlen);

/**
 * Resample mono PCM from @p in_rate to @p out_rate into a new obj_ array
 * of about n * out_rate / in_rate samples (returned in @p outn), aligned
 * in time with the input (the filter delay is removed).
 * @return 0, EINVAL or ENOMEM.
 */
int wav_resample(int16_t **outp, size_t *outn, const int16_t *in, size_t n,
		 uint32_t in_rate, uint32_t out_rate);

#endif
