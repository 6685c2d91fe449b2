/* tone.c: call-progress tones with sample-accurate cadences.
 *
 * Cadences (ITU-T E.180 Supplement / CEPT recommendation, 425 Hz):
 *   ringback      1.0 s on, 4.0 s off, repeating
 *   busy          0.5 s on, 0.5 s off, repeating
 *   congestion    0.25 s on, 0.25 s off, repeating
 *   call waiting  0.2 s on, 0.2 s off, 0.2 s on, 5.0 s off, repeating
 *   join beep     800 Hz 0.1 s then 1200 Hz 0.1 s, once
 *   leave beep    1200 Hz 0.1 s then 800 Hz 0.1 s, once
 * Each step is counted in samples at the generator rate, so the cadence is
 * exact at any rate. Level is in dBm0 (0 dBm0 = 3.14 dB below clip for
 * A-law; we take full-scale sine = +3.14 dBm0).
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "audio/tone.h"
#include "base/mem.h"

struct tone_step {
	double freq; /**< Hz, 0 = silence */
	unsigned ms; /**< duration        */
};

struct tone_plan {
	struct tone_step steps[4];
	size_t nsteps;
	bool repeat;
};

static const struct tone_plan tone_plans[TONE_KIND_COUNT] = {
    [TONE_RINGBACK] = {{{425, 1000}, {0, 4000}}, 2, true},
    [TONE_BUSY] = {{{425, 500}, {0, 500}}, 2, true},
    [TONE_CONGESTION] = {{{425, 250}, {0, 250}}, 2, true},
    [TONE_CALL_WAITING] = {{{425, 200}, {0, 200}, {425, 200}, {0, 5000}},
			   4,
			   true},
    [TONE_JOIN] = {{{800, 100}, {1200, 100}}, 2, false},
    [TONE_LEAVE] = {{{1200, 100}, {800, 100}}, 2, false},
};

struct tone_gen {
	const struct tone_plan *plan;
	uint32_t srate;
	double amp;
	double phase;
	size_t step;
	uint64_t left; /**< samples left in the current step */
	bool done;
};

static uint64_t step_len(const struct tone_gen *tg, size_t i)
{
	return (uint64_t)tg->plan->steps[i].ms * tg->srate / 1000;
}

int tone_gen_alloc(struct tone_gen **tgp, enum tone_kind kind, uint32_t srate,
		   double dbm0)
{
	struct tone_gen *tg;

	if (!tgp || (unsigned)kind >= TONE_KIND_COUNT || srate < 4000 ||
	    srate > 192000 || dbm0 > 3.14)
		return EINVAL;
	tg = obj_zalloc(sizeof(*tg), NULL);
	if (!tg)
		return ENOMEM;
	tg->plan = &tone_plans[kind];
	tg->srate = srate;
	tg->amp = 32767.0 * pow(10.0, (dbm0 - 3.14) / 20.0);
	tg->left = step_len(tg, 0);
	*tgp = tg;
	return 0;
}

size_t tone_gen_read(struct tone_gen *tg, int16_t *pcm, size_t n)
{
	size_t done = 0;

	if (!tg || !pcm)
		return 0;
	while (done < n && !tg->done) {
		const struct tone_step *st = &tg->plan->steps[tg->step];
		size_t k = n - done;
		if (k > tg->left)
			k = (size_t)tg->left;
		if (st->freq > 0)
			tone_sine(pcm + done, k, tg->srate, st->freq, tg->amp,
				  &tg->phase);
		else
			memset(pcm + done, 0, k * sizeof(*pcm));
		done += k;
		tg->left -= k;
		if (tg->left)
			continue;
		tg->phase = 0;
		if (++tg->step == tg->plan->nsteps) {
			tg->step = 0;
			tg->done = !tg->plan->repeat;
		}
		tg->left = step_len(tg, tg->step);
	}
	if (done < n)
		memset(pcm + done, 0, (n - done) * sizeof(*pcm));
	return done;
}
