/* test_mix.c: the N-1 conference mixer: who hears whom, caps, clamping,
 * silence skipping, mixed rates. */
#include <errno.h>
#include <stdint.h>

#include "audio/mix.h"
#include "audio_util.h"
#include "harness.h"

static const double freqs[5] = {300, 500, 700, 900, 1100};
static const uint32_t rates[5] = {8000, 16000, 48000, 8000, 48000};

enum { TICKS = 60, KEEP = 25, AMP = 4000 };

/* Five talkers at mixed rates; each hears the other four, never itself. */
static void test_mix_five_tones_n_minus_1(void)
{
	struct mix *m;
	struct mix_part *p[5];
	int16_t *rec[5];
	int16_t in[960];

	REQUIRE(mix_alloc(&m, NULL) == 0);
	for (int i = 0; i < 5; i++) {
		REQUIRE(mix_add(&p[i], m, rates[i]) == 0);
		rec[i] = calloc(KEEP * 960, sizeof(int16_t));
	}
	CHECK_EQ_INT(mix_count(m), 5);
	for (int t = 0; t < TICKS; t++) {
		for (int i = 0; i < 5; i++) {
			size_t fs = mix_part_frame(p[i]);
			au_tone(in, fs, freqs[i], AMP, rates[i], t * fs);
			CHECK_EQ_INT(mix_put(p[i], in, false), 0);
		}
		mix_tick(m);
		for (int i = 0; i < 5 && t >= TICKS - KEEP; i++) {
			size_t fs = mix_part_frame(p[i]);
			CHECK(!mix_out_silent(p[i]));
			memcpy(rec[i] + (t - (TICKS - KEEP)) * fs,
			       mix_out(p[i]), fs * sizeof(int16_t));
		}
	}
	for (int i = 0; i < 5; i++) {
		size_t n = KEEP * mix_part_frame(p[i]);
		for (int j = 0; j < 5; j++) {
			double a = au_goertzel(rec[i], n, freqs[j], rates[i]);
			if (i == j && a > 40) {
				fprintf(stderr, "part %d hears itself: %.0f\n",
					i, a);
				CHECK(0);
			}
			if (i != j && (a < 0.8 * AMP || a > 1.2 * AMP)) {
				fprintf(stderr,
					"part %d hears %0.f Hz at %.0f\n", i,
					freqs[j], a);
				CHECK(0);
			}
		}
		free(rec[i]);
		obj_deref(p[i]);
	}
	CHECK_EQ_INT(mix_count(m), 0);
	obj_deref(m);
}

static void test_mix_cap_default_5_and_configured_3(void)
{
	struct mix_opts o;
	struct mix *m;
	struct mix_part *p[6] = {0}, *x = (void *)1;

	REQUIRE(mix_alloc(&m, NULL) == 0);
	for (int i = 0; i < 5; i++)
		CHECK_EQ_INT(mix_add(&p[i], m, 8000), 0);
	CHECK_EQ_INT(mix_add(&p[5], m, 8000), ENOSPC);
	CHECK(p[5] == (void *)0);
	/* Someone leaves: a seat is free again. */
	p[2] = obj_deref(p[2]);
	CHECK_EQ_INT(mix_count(m), 4);
	CHECK_EQ_INT(mix_add(&p[2], m, 16000), 0);
	for (int i = 0; i < 6; i++)
		obj_deref(p[i]);
	obj_deref(m);

	mix_opts_default(&o);
	o.max_parts = 3;
	REQUIRE(mix_alloc(&m, &o) == 0);
	for (int i = 0; i < 3; i++)
		CHECK_EQ_INT(mix_add(&p[i], m, 48000), 0);
	CHECK_EQ_INT(mix_add(&x, m, 48000), ENOSPC);
	for (int i = 0; i < 3; i++)
		obj_deref(p[i]);
	obj_deref(m);

	o.max_parts = 0;
	CHECK_EQ_INT(mix_alloc(&m, &o), EINVAL);
	mix_opts_default(&o);
	o.rate = 44100;
	CHECK_EQ_INT(mix_alloc(&m, &o), EINVAL);
	REQUIRE(mix_alloc(&m, NULL) == 0);
	CHECK_EQ_INT(mix_add(&x, m, 44100), EINVAL);
	obj_deref(m);
}

/* Full-scale square waves from everyone: outputs clamp, never wrap. */
static void test_mix_saturation_clamps(void)
{
	struct mix *m;
	struct mix_part *p[5];
	int16_t in[320];

	REQUIRE(mix_alloc(&m, NULL) == 0);
	for (int i = 0; i < 5; i++)
		REQUIRE(mix_add(&p[i], m, 16000) == 0);
	for (int k = 0; k < 320; k++)
		in[k] = (k / 20) % 2 ? INT16_MIN : INT16_MAX;
	for (int i = 0; i < 5; i++)
		mix_put(p[i], in, false);
	mix_tick(m);
	for (int i = 0; i < 5; i++) {
		const int16_t *o = mix_out(p[i]);
		int bad = 0;
		for (int k = 0; k < 320; k++)
			bad += o[k] != (in[k] > 0 ? INT16_MAX : INT16_MIN);
		CHECK_EQ_INT(bad, 0);
		obj_deref(p[i]);
	}
	obj_deref(m);
}

/* Silent parts (flagged, below threshold, or absent) add nothing: the
 * output is exactly the sum of the talkers. */
static void test_mix_silent_parts_skipped(void)
{
	struct mix *m;
	struct mix_part *p[5];
	int16_t a[320], b[320], noise[320], loud[320];

	REQUIRE(mix_alloc(&m, NULL) == 0);
	for (int i = 0; i < 5; i++)
		REQUIRE(mix_add(&p[i], m, 16000) == 0);
	au_tone(a, 320, 500, 3000, 16000, 0);
	au_tone(b, 320, 900, 3000, 16000, 0);
	au_tone(loud, 320, 700, 9000, 16000, 0);
	for (int k = 0; k < 320; k++)
		noise[k] = (int16_t)((k * 7) % 17 - 8); /* |x| <= 8 */
	for (int t = 0; t < 3; t++) {
		mix_put(p[0], a, false);
		mix_put(p[1], b, false);
		mix_put(p[2], noise, false); /* below the threshold */
		mix_put(p[3], loud, true);   /* flagged silent (DTX) */
		/* p[4] gives no frame this tick */
		mix_tick(m);
	}
	int bad = 0;
	for (int k = 0; k < 320; k++) {
		bad += mix_out(p[0])[k] != b[k];
		bad += mix_out(p[1])[k] != a[k];
		bad += mix_out(p[2])[k] != a[k] + b[k];
		bad += mix_out(p[3])[k] != a[k] + b[k];
		bad += mix_out(p[4])[k] != a[k] + b[k];
	}
	CHECK_EQ_INT(bad, 0);
	/* Only one talker: that talker hears silence. */
	mix_put(p[0], a, false);
	mix_tick(m);
	CHECK(mix_out_silent(p[0]));
	CHECK_EQ_INT(au_peak(mix_out(p[0]), 320), 0);
	CHECK(!mix_out_silent(p[1]));
	CHECK(!memcmp(mix_out(p[1]), a, sizeof(a)));
	/* Nobody talks: everyone gets silence. */
	mix_tick(m);
	for (int i = 0; i < 5; i++) {
		CHECK(mix_out_silent(p[i]));
		CHECK_EQ_INT(au_peak(mix_out(p[i]), 320), 0);
	}
	for (int i = 0; i < 5; i++)
		obj_deref(p[i]);
	obj_deref(m);
}

/* The internal rate follows the widest participant, and N-1 still holds
 * across a rate change; a fixed rate stays put. */
static void test_mix_rate_follows_participants(void)
{
	struct mix_opts o;
	struct mix *m;
	struct mix_part *a, *b, *c;
	int16_t fa[160], fb[160], fc[960], rec[160 * 20];

	REQUIRE(mix_alloc(&m, NULL) == 0);
	CHECK_EQ_INT(mix_rate(m), 8000);
	REQUIRE(mix_add(&a, m, 8000) == 0);
	REQUIRE(mix_add(&b, m, 8000) == 0);
	CHECK_EQ_INT(mix_rate(m), 8000);
	REQUIRE(mix_add(&c, m, 48000) == 0);
	CHECK_EQ_INT(mix_rate(m), 48000);
	for (int t = 0; t < 40; t++) {
		au_tone(fa, 160, 400, AMP, 8000, t * 160);
		au_tone(fb, 160, 1000, AMP, 8000, t * 160);
		au_tone(fc, 960, 2500, AMP, 48000, t * 960);
		mix_put(a, fa, false);
		mix_put(b, fb, false);
		mix_put(c, fc, false);
		mix_tick(m);
		if (t >= 20)
			memcpy(rec + (t - 20) * 160, mix_out(a), sizeof(fa));
		if (t == 29) {
			c = obj_deref(c); /* the wideband leg leaves */
			CHECK_EQ_INT(mix_rate(m), 8000);
		}
	}
	/* a heard b throughout, c only in the first half, itself never. */
	CHECK(au_goertzel(rec, 160 * 20, 1000, 8000) > 0.8 * AMP);
	CHECK(au_goertzel(rec, 160 * 10, 400, 8000) < 40);
	CHECK(au_goertzel(rec + 1600, 160 * 10, 1000, 8000) > 0.8 * AMP);
	CHECK(!memcmp(rec + 1600 + 160 * 9, fb, sizeof(fb)));
	obj_deref(a);
	obj_deref(b);
	obj_deref(m);

	mix_opts_default(&o);
	o.rate = 16000;
	REQUIRE(mix_alloc(&m, &o) == 0);
	REQUIRE(mix_add(&c, m, 48000) == 0);
	CHECK_EQ_INT(mix_rate(m), 16000);
	obj_deref(c);
	obj_deref(m);
}

static void test_mix_part_outlives_room(void)
{
	struct mix *m;
	struct mix_part *p;
	int16_t f[160] = {0};

	REQUIRE(mix_alloc(&m, NULL) == 0);
	REQUIRE(mix_add(&p, m, 8000) == 0);
	obj_deref(m);
	CHECK_EQ_INT(mix_put(p, f, false), ENOENT);
	obj_deref(p);
}

static void test_mix_alloc_failures(void)
{
	for (size_t k = 1; k < 12; k++) {
		struct mix *m = NULL;
		struct mix_part *p = NULL;
		obj_fail_after(k);
		int e = mix_alloc(&m, NULL);
		if (!e)
			e = mix_add(&p, m, 8000);
		obj_fail_after(0);
		CHECK(e == 0 || e == ENOMEM);
		obj_deref(p);
		obj_deref(m);
	}
}

int main(void)
{
	harness_watchdog(60);
	RUN(test_mix_five_tones_n_minus_1);
	RUN(test_mix_cap_default_5_and_configured_3);
	RUN(test_mix_saturation_clamps);
	RUN(test_mix_silent_parts_skipped);
	RUN(test_mix_rate_follows_participants);
	RUN(test_mix_part_outlives_room);
	RUN(test_mix_alloc_failures);
	return harness_done();
}
