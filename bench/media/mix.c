/* mix.c: bench/media part: cost of one 5-party mix tick (all talking). */
#include <math.h>
#include <stdio.h>

#include "audio/mix.h"
#include "base/mem.h"
#include "media_bench.h"

enum { WARM = 200, ITER = 20000 };

/* ns of CPU for mix_put x5 + mix_tick with 5 talkers; participant i runs
 * at @p rate, or at 48 kHz when i < @p wide. */
static double tick_ns(uint32_t rate, int wide)
{
	static int16_t in[5][960];
	struct mix_part *p[5] = {0};
	struct mix *m = NULL;
	uint64_t t0;
	double ns = 0;

	if (mix_alloc(&m, NULL))
		return 0;
	for (int i = 0; i < 5; i++) {
		uint32_t r = i < wide ? 48000 : rate;
		if (mix_add(&p[i], m, r))
			goto out;
		for (size_t k = 0; k < r / 50; k++)
			in[i][k] = (int16_t)lrint(
			    6000 * sin(2 * M_PI * (300 + 200 * i) * k / r));
	}
	for (int t = 0; t < WARM; t++) {
		for (int i = 0; i < 5; i++)
			mix_put(p[i], in[i], false);
		mix_tick(m);
	}
	const int iter = bench_quick() ? 500 : ITER;
	t0 = bench_cpu_ns();
	for (int t = 0; t < iter; t++) {
		for (int i = 0; i < 5; i++)
			mix_put(p[i], in[i], false);
		mix_tick(m);
	}
	ns = (double)(bench_cpu_ns() - t0) / iter;
out:
	for (int i = 0; i < 5; i++)
		obj_deref(p[i]);
	obj_deref(m);
	return ns;
}

void bench_mix(struct media_bench *mb)
{
	/* Budget per tick for a room if mixing alone took the whole core at
	 * the DESIGN.md targets (150 G.711 or 25 Opus rooms per core). */
	const double g711_budget = 20e6 / 150, opus_budget = 20e6 / 25;
	double t8 = tick_ns(8000, 0), t48 = tick_ns(48000, 0);
	double tmixed = tick_ns(8000, 2);

	printf("mix5_tick_8k=%.0f ns budget=%.0f ratio=%.3f\n", t8, g711_budget,
	       t8 / g711_budget);
	printf("mix5_tick_48k=%.0f ns budget=%.0f ratio=%.3f\n", t48,
	       opus_budget, t48 / opus_budget);
	/* 3 G.711 legs + 2 Opus legs: the room mixes at 48 kHz and
	 * resamples the narrowband legs both ways. */
	printf("mix5_tick_3x8k_2x48k=%.0f ns budget=%.0f ratio=%.3f\n", tmixed,
	       g711_budget, tmixed / g711_budget);
	mb->mix5_tick_ns = t8;
	mb->mix5_48k_tick_ns = t48;
}
