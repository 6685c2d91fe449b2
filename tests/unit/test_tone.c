/* test_tone.c: call-progress tone cadences and frequencies at several rates,
 * and the Goertzel/frequency detector itself. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>

#include "audio/tone.h"
#include "harness.h"

/* Measure on/off run lengths (ms) of the first @p ms of a tone. */
static size_t cadence(enum tone_kind k, uint32_t srate, unsigned ms,
		      unsigned *runs, size_t max, double *freq)
{
	struct tone_gen *tg = NULL;
	size_t n = (size_t)srate * ms / 1000, nr = 0, run = 0;
	int16_t *pcm = calloc(n, sizeof(*pcm));
	bool on = true;

	if (!pcm || tone_gen_alloc(&tg, k, srate, -13)) {
		free(pcm);
		return 0;
	}
	tone_gen_read(tg, pcm, n);
	*freq = tone_detect_freq(pcm, srate / 20, srate);
	for (size_t i = 0; i < n; i++) {
		/* a sine may hit 0 for one sample (each burst starts at
		 * phase 0): a sample is "on" if it or the next is non-zero */
		bool s = pcm[i] != 0 || (i + 1 < n && pcm[i + 1] != 0);
		if (s != on && nr < max) {
			runs[nr++] = (unsigned)(run * 1000 / srate);
			run = 0;
			on = s;
		}
		run++;
	}
	obj_deref(tg);
	free(pcm);
	return nr;
}

static void test_cadences_at_8k_and_48k(void)
{
	static const uint32_t rates[] = {8000, 16000, 48000};
	for (size_t r = 0; r < 3; r++) {
		unsigned runs[16];
		double f;
		size_t nr;

		nr = cadence(TONE_RINGBACK, rates[r], 10500, runs, 16, &f);
		REQUIRE(nr >= 4);
		CHECK_EQ_INT(runs[0], 1000);
		CHECK_EQ_INT(runs[1], 4000);
		CHECK_EQ_INT(runs[2], 1000);
		CHECK(fabs(f - 425) < 2);
		nr = cadence(TONE_BUSY, rates[r], 2100, runs, 16, &f);
		REQUIRE(nr >= 4);
		CHECK_EQ_INT(runs[0], 500);
		CHECK_EQ_INT(runs[1], 500);
		nr = cadence(TONE_CONGESTION, rates[r], 1100, runs, 16, &f);
		REQUIRE(nr >= 4);
		CHECK_EQ_INT(runs[0], 250);
		CHECK_EQ_INT(runs[3], 250);
		nr = cadence(TONE_CALL_WAITING, rates[r], 5700, runs, 16, &f);
		REQUIRE(nr >= 4);
		CHECK_EQ_INT(runs[0], 200);
		CHECK_EQ_INT(runs[1], 200);
		CHECK_EQ_INT(runs[2], 200);
		CHECK_EQ_INT(runs[3], 5000);
	}
}

static void test_join_leave_beeps(void)
{
	struct tone_gen *tg = NULL;
	int16_t pcm[4000];

	REQUIRE(!tone_gen_alloc(&tg, TONE_JOIN, 16000, -10));
	CHECK_EQ_INT(tone_gen_read(tg, pcm, 4000), 3200);
	CHECK(fabs(tone_detect_freq(pcm, 1600, 16000) - 800) < 2);
	CHECK(fabs(tone_detect_freq(pcm + 1600, 1600, 16000) - 1200) < 2);
	CHECK(tone_rms(pcm + 3200, 800) == 0);
	CHECK_EQ_INT(tone_gen_read(tg, pcm, 100), 0);
	obj_deref(tg);
	REQUIRE(!tone_gen_alloc(&tg, TONE_LEAVE, 8000, -10));
	tone_gen_read(tg, pcm, 1600);
	CHECK(fabs(tone_detect_freq(pcm, 800, 8000) - 1200) < 2);
	CHECK(fabs(tone_detect_freq(pcm + 800, 800, 8000) - 800) < 2);
	obj_deref(tg);
	CHECK_EQ_INT(tone_gen_alloc(&tg, TONE_KIND_COUNT, 8000, -10), EINVAL);
	CHECK_EQ_INT(tone_gen_alloc(&tg, TONE_BUSY, 100, -10), EINVAL);
}

static void test_level_dbm0(void)
{
	struct tone_gen *tg = NULL;
	int16_t pcm[8000];
	REQUIRE(!tone_gen_alloc(&tg, TONE_RINGBACK, 8000, -13));
	tone_gen_read(tg, pcm, 8000);
	/* -13 dBm0 = 16.14 dB below a full-scale sine */
	CHECK(fabs(20 * log10(tone_rms(pcm, 8000) / 23170) + 16.14) < 0.1);
	obj_deref(tg);
}

static void test_detector_finds_freq_and_level(void)
{
	int16_t a[1600], b[1600];
	double ph = 0, ph2 = 0;
	tone_sine(a, 1600, 8000, 1234, 5000, &ph);
	CHECK(fabs(tone_detect_freq(a, 1600, 8000) - 1234) < 1);
	CHECK(fabs(tone_goertzel(a, 1600, 8000, 1234) - 5000) < 100);
	CHECK(tone_goertzel(a, 1600, 8000, 1500) < 50);
	tone_sine(b, 1600, 8000, 697, 3000, &ph2);
	for (int i = 0; i < 1600; i++)
		a[i] = (int16_t)(a[i] + b[i]);
	CHECK(fabs(tone_goertzel(a, 1600, 8000, 697) - 3000) < 100);
	memset(a, 0, sizeof(a));
	CHECK(tone_detect_freq(a, 1600, 8000) == 0);
	CHECK(tone_rms(a, 1600) == 0);
}

int main(void)
{
	harness_watchdog(60);
	RUN(test_cadences_at_8k_and_48k);
	RUN(test_join_leave_beeps);
	RUN(test_level_dbm0);
	RUN(test_detector_finds_freq_and_level);
	return harness_done();
}
