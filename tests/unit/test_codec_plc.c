/* test_codec_plc.c: G.711/G.722 loss concealment: a lost frame of a tone is
 * filled with the same tone, long gaps fade to silence, recovery is smooth. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "audio/codec.h"
#include "audio/tone.h"
#include "harness.h"

/* Decode 10 frames of 500 Hz, lose @p lost frames, then 3 good frames. */
static void run(const char *name, size_t lost, int16_t *out, size_t *fsp)
{
	const struct codec_desc *d = codec_find(name, 0);
	struct codec_enc *enc = NULL;
	struct codec_dec *dec = NULL;
	size_t fs, k = 0;
	double ph = 0;

	REQUIRE(!codec_enc_alloc(&enc, d, NULL));
	REQUIRE(!codec_dec_alloc(&dec, d, NULL));
	fs = codec_frame_samples(codec_enc_srate(enc));
	*fsp = fs;
	for (size_t f = 0; f < 13 + lost; f++) {
		int16_t pcm[320];
		uint8_t pay[320];
		size_t len, n;
		tone_sine(pcm, fs, codec_enc_srate(enc), 500, 8000, &ph);
		REQUIRE(!codec_encode(enc, pcm, fs, pay, sizeof(pay), &len));
		if (f >= 10 && f < 10 + lost) {
			CHECK_EQ_INT(codec_conceal(dec, out + k, fs), 0);
		} else {
			CHECK_EQ_INT(
			    codec_decode(dec, pay, len, out + k, fs, &n), 0);
			CHECK_EQ_INT(n, fs);
		}
		k += fs;
	}
	obj_deref(enc);
	obj_deref(dec);
}

static void test_one_lost_frame_keeps_tone(void)
{
	static const char *names[] = {"PCMU", "PCMA", "G722"};
	for (size_t i = 0; i < 3; i++) {
		int16_t out[320 * 20];
		size_t fs = 0;
		run(names[i], 1, out, &fs);
		REQUIRE(fs);
		const int16_t *gap = out + 10 * fs;
		uint32_t sr = (uint32_t)fs * 50;
		CHECK(fabs(tone_detect_freq(gap, fs, sr) - 500) < 15);
		CHECK(tone_rms(gap, fs) > 0.7 * 8000 / sqrt(2));
		/* no click at the joins: no step steeper than the sine's
		 * own slope allows (A * 2 pi f / rate), with 50 % margin */
		double lim = 1.5 * 8000 * 2 * M_PI * 500 / sr;
		size_t bad = 0;
		for (size_t j = 9 * fs; j < 12 * fs; j++)
			if (abs(out[j + 1] - out[j]) > lim && ++bad)
				fprintf(stderr, "  %s j=%zu %d %d\n", names[i],
					j - 10 * fs, out[j], out[j + 1]);
		CHECK_EQ_INT(bad, 0);
	}
}

static void test_long_gap_fades_to_silence(void)
{
	int16_t out[160 * 20];
	size_t fs = 0;
	run("PCMU", 5, out, &fs);
	REQUIRE(fs == 160);
	CHECK(tone_rms(out + 10 * fs, fs) > 3000);    /* 0-20 ms  */
	CHECK(tone_rms(out + 13 * fs, 2 * fs) < 200); /* 60-100 ms */
	CHECK(tone_rms(out + 16 * fs, fs) > 3000);    /* back      */
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_one_lost_frame_keeps_tone);
	RUN(test_long_gap_fades_to_silence);
	return harness_done();
}
