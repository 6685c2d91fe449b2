/* plc.c: packet-loss concealment by pitch-period repetition.
 *
 * The idea of ITU-T G.711 Appendix I, written for any rate: keep the last
 * HIST ms of output; when a frame is lost, find the pitch period of the
 * recent signal (smallest average magnitude difference over lags of
 * 2.5..15 ms), then repeat the last period (its wrap smoothed by a 1/4
 * period overlap-add) for as long as the gap lasts. The first 10 ms play at
 * full level, then the level falls by 20 % per 10 ms, reaching silence
 * after 60 ms. The first good frame after a gap is cross-faded over
 * 1/4 period with the continued synthetic signal, so no click.
 *
 * (SpanDSP's plc_fillin copies overlapping memory with memcpy in 0.0.6,
 * which AddressSanitizer rightly rejects; hence our own.)
 */
#include <errno.h>
#include <string.h>

#include "audio/codec/plc.h"
#include "base/mem.h"

enum {
	PLC_HIST_MS = 40,
	PLC_MAXRATE = 48000,
	PLC_HIST_MAX = PLC_MAXRATE * PLC_HIST_MS / 1000,
};

struct codec_plc {
	uint32_t srate;
	size_t hist_len; /**< samples kept                 */
	int16_t hist[PLC_HIST_MAX];
	int16_t cycle[PLC_MAXRATE * 15 / 1000 + 1]; /**< one pitch period */
	size_t pitch;	/**< period in samples            */
	size_t pos;	/**< read position in cycle       */
	size_t missing; /**< samples synthesised so far   */
};

int codec_plc_alloc(struct codec_plc **plcp, uint32_t srate)
{
	struct codec_plc *plc;
	if (!plcp || srate < 8000 || srate > PLC_MAXRATE)
		return EINVAL;
	plc = obj_zalloc(sizeof(*plc), NULL);
	if (!plc)
		return ENOMEM;
	plc->srate = srate;
	plc->hist_len = (size_t)srate * PLC_HIST_MS / 1000;
	*plcp = plc;
	return 0;
}

static void remember(struct codec_plc *plc, const int16_t *pcm, size_t n)
{
	size_t h = plc->hist_len;
	if (n >= h) {
		memcpy(plc->hist, pcm + n - h, h * sizeof(*pcm));
		return;
	}
	memmove(plc->hist, plc->hist + n, (h - n) * sizeof(*pcm));
	memcpy(plc->hist + h - n, pcm, n * sizeof(*pcm));
}

static size_t find_pitch(const struct codec_plc *plc)
{
	size_t pmin = plc->srate * 25 / 10000, pmax = plc->srate * 15 / 1000;
	size_t span = plc->hist_len - pmax, best = pmax;
	const int16_t *end = plc->hist + pmax; /* compare end[i], end[i-lag] */
	uint64_t bestd = UINT64_MAX;
	/* decimate the search at high rates to bound the cost */
	size_t stride = plc->srate / 8000;

	for (size_t lag = pmin; lag <= pmax; lag++) {
		uint64_t d = 0;
		for (size_t i = 0; i < span; i += stride) {
			int v = end[i] - plc->hist[pmax + i - lag];
			d += (uint64_t)(v < 0 ? -v : v);
		}
		if (d < bestd) {
			bestd = d;
			best = lag;
		}
	}
	return best;
}

static void start_gap(struct codec_plc *plc)
{
	size_t p = find_pitch(plc), q = p / 4, h = plc->hist_len;
	const int16_t *last = plc->hist + h - p;

	/* cycle = last period, which follows on from the real signal; its
	 * last quarter is faded into the samples that preceded its start, so
	 * the wrap from cycle end back to cycle start is smooth too */
	for (size_t i = 0; i < p; i++)
		plc->cycle[i] = last[i];
	for (size_t i = 0; i < q; i++) {
		double w = (double)(i + 1) / (q + 1);
		plc->cycle[p - q + i] = (int16_t)((1 - w) * last[p - q + i] +
						  w * plc->hist[h - p - q + i]);
	}
	plc->pitch = p;
	plc->pos = 0;
}

static double gain_at(const struct codec_plc *plc, size_t k)
{
	size_t ms10 = plc->srate / 100;
	size_t step = k / ms10;
	if (step < 1)
		return 1.0;
	if (step >= 6)
		return 0.0;
	return 1.0 - 0.2 * (double)(step - 1) -
	       0.2 * (double)(k % ms10) / (double)ms10;
}

void codec_plc_fill(struct codec_plc *plc, int16_t *pcm, size_t n)
{
	if (!plc->missing)
		start_gap(plc);
	for (size_t i = 0; i < n; i++) {
		double g = gain_at(plc, plc->missing + i);
		pcm[i] = (int16_t)(g * plc->cycle[plc->pos]);
		if (++plc->pos == plc->pitch)
			plc->pos = 0;
	}
	plc->missing += n;
	remember(plc, pcm, n);
}

void codec_plc_rx(struct codec_plc *plc, int16_t *pcm, size_t n)
{
	if (plc->missing) {
		size_t q = plc->pitch / 4;
		double g = gain_at(plc, plc->missing);
		if (q > n)
			q = n;
		for (size_t i = 0; i < q; i++) {
			double w = (double)(i + 1) / (q + 1);
			double syn = g * plc->cycle[plc->pos];
			pcm[i] = (int16_t)(w * pcm[i] + (1 - w) * syn);
			if (++plc->pos == plc->pitch)
				plc->pos = 0;
		}
		plc->missing = 0;
	}
	remember(plc, pcm, n);
}
