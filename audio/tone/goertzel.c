/* goertzel.c: tone measurement for tests and diagnostics (Goertzel, RMS). */
#include <math.h>

#include "audio/tone.h"

double tone_goertzel(const int16_t *pcm, size_t n, uint32_t srate, double freq)
{
	double w, coeff, s0, s1 = 0, s2 = 0, pw;

	if (!pcm || !n || !srate)
		return 0;
	w = 2.0 * M_PI * freq / srate;
	coeff = 2.0 * cos(w);
	for (size_t i = 0; i < n; i++) {
		/* Hann window keeps neighbouring tones from leaking in. */
		double win = 0.5 - 0.5 * cos(2.0 * M_PI * i / (double)n);
		s0 = pcm[i] * win + coeff * s1 - s2;
		s2 = s1;
		s1 = s0;
	}
	pw = s1 * s1 + s2 * s2 - coeff * s1 * s2;
	if (pw < 0)
		pw = 0;
	/* Amplitude A sine gives |X| = A * n / 4 with a Hann window. */
	return sqrt(pw) * 4.0 / n;
}

double tone_rms(const int16_t *pcm, size_t n)
{
	double acc = 0;
	if (!pcm || !n)
		return 0;
	for (size_t i = 0; i < n; i++)
		acc += (double)pcm[i] * pcm[i];
	return sqrt(acc / n);
}

double tone_detect_freq(const int16_t *pcm, size_t n, uint32_t srate)
{
	double best = 0, bestp = 0, f, p, step;

	if (!pcm || !n || !srate || tone_rms(pcm, n) < 1.0)
		return 0;
	for (f = 50; f < srate / 2.0 - 50; f += 5) {
		p = tone_goertzel(pcm, n, srate, f);
		if (p > bestp) {
			bestp = p;
			best = f;
		}
	}
	/* refine around the coarse peak */
	for (step = 1; step >= 0.25; step /= 2) {
		double c = best;
		for (f = c - 4 * step; f <= c + 4 * step; f += step) {
			p = tone_goertzel(pcm, n, srate, f);
			if (p > bestp) {
				bestp = p;
				best = f;
			}
		}
	}
	return best;
}

void tone_sine(int16_t *pcm, size_t n, uint32_t srate, double freq, double amp,
	       double *ph)
{
	double p = ph ? *ph : 0, inc = 2.0 * M_PI * freq / srate;
	for (size_t i = 0; i < n; i++) {
		pcm[i] = (int16_t)lrint(amp * sin(p));
		p += inc;
		if (p > 2.0 * M_PI)
			p -= 2.0 * M_PI;
	}
	if (ph)
		*ph = p;
}
