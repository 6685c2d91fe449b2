/* tone.h: call-progress tone generation and tone detection (Goertzel). */
#ifndef PB_AUDIO_TONE_H
#define PB_AUDIO_TONE_H

#include <stddef.h>
#include <stdint.h>

/** Call-progress tones (ITU-T E.180 / European 425 Hz defaults). */
enum tone_kind {
	TONE_RINGBACK = 0, /**< 425 Hz, 1 s on / 4 s off               */
	TONE_BUSY,	   /**< 425 Hz, 0.5 s on / 0.5 s off           */
	TONE_CONGESTION,   /**< 425 Hz, 0.25 s on / 0.25 s off         */
	TONE_CALL_WAITING, /**< 425 Hz, 0.2 on, 0.2 off, 0.2 on, 5 s off */
	TONE_JOIN,	   /**< 800 Hz then 1200 Hz, 0.1 s each, once  */
	TONE_LEAVE,	   /**< 1200 Hz then 800 Hz, 0.1 s each, once  */
	TONE_KIND_COUNT,
};

struct tone_gen;

/** Allocate a generator of @p kind at @p srate, level @p dbm0 (e.g. -13).
 *  @return 0, EINVAL, ENOMEM. */
int tone_gen_alloc(struct tone_gen **tgp, enum tone_kind kind, uint32_t srate,
		   double dbm0);
/** Write @p n samples; returns the number written (less than @p n only when
 *  a one-shot tone has ended; the rest is zero-filled). */
size_t tone_gen_read(struct tone_gen *tg, int16_t *pcm, size_t n);

/** Goertzel power of @p freq in @p pcm, as the amplitude of a sine
 *  (full scale 32767) at that frequency. */
double tone_goertzel(const int16_t *pcm, size_t n, uint32_t srate, double freq);
/** RMS level of @p pcm (linear, full-scale sine = 23170). */
double tone_rms(const int16_t *pcm, size_t n);
/** Dominant frequency of the block (Hz), scanning 50 Hz..srate/2 in 5 Hz
 *  steps with a Goertzel filter and refining; 0 for silence. */
double tone_detect_freq(const int16_t *pcm, size_t n, uint32_t srate);
/** Write a sine of @p freq and peak @p amp, phase continuing from *@p ph. */
void tone_sine(int16_t *pcm, size_t n, uint32_t srate, double freq, double amp,
	       double *ph);

#endif
