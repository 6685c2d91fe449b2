/* audio_util.h: tone generation and Goertzel measurement for audio tests. */
#ifndef PB_TESTS_AUDIO_UTIL_H
#define PB_TESTS_AUDIO_UTIL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

/** Fill @p n samples of a sine at @p hz, amplitude @p amp, phase from @p k0. */
static inline void au_tone(int16_t *s, size_t n, double hz, double amp,
			   uint32_t rate, size_t k0)
{
	for (size_t i = 0; i < n; i++)
		s[i] = (int16_t)lrint(
		    amp * sin(2 * M_PI * hz * (double)(k0 + i) / rate));
}

/**
 * Amplitude of the @p hz component of @p n samples (Goertzel); a pure
 * sine of amplitude A measures about A when n spans whole periods.
 */
static inline double au_goertzel(const int16_t *s, size_t n, double hz,
				 uint32_t rate)
{
	double w = 2 * M_PI * hz / rate, c = 2 * cos(w), s1 = 0, s2 = 0;

	for (size_t i = 0; i < n; i++) {
		double s0 = s[i] + c * s1 - s2;
		s2 = s1;
		s1 = s0;
	}
	return 2 * sqrt(s1 * s1 + s2 * s2 - c * s1 * s2) / (double)n;
}

/** Peak absolute sample. */
static inline int au_peak(const int16_t *s, size_t n)
{
	int pk = 0;
	for (size_t i = 0; i < n; i++) {
		int v = s[i] < 0 ? -s[i] : s[i];
		if (v > pk)
			pk = v;
	}
	return pk;
}

/** Every DTMF digit, in the order the tests send them. */
static const char au_all_digits[] __attribute__((unused)) = "0123456789*#ABCD";

/** Digits heard, in order, as a string (filled by au_digit()). */
struct au_digits {
	char s[64];
	size_t n;
};

/** A DTMF digit handler: append @p d to the struct au_digits @p arg. */
static inline void au_digit(char d, void *arg)
{
	struct au_digits *g = arg;

	if (g->n + 1 < sizeof(g->s))
		g->s[g->n++] = d;
}

#endif
