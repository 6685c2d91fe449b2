/* test_codec_bad.c: codec table lookups and clean errors on bad input. */
#include <errno.h>

#include "audio/codec.h"
#include "harness.h"

static void test_find_table(void)
{
	const struct codec_desc *d;
	d = codec_find("pcmu", 8000);
	REQUIRE(d);
	CHECK_EQ_INT(d->pt, 0);
	CHECK_EQ_INT(codec_find("PCMA", 0)->pt, 8);
	d = codec_find("G722", 8000);
	REQUIRE(d);
	CHECK_EQ_INT(d->pt, 9);
	CHECK_EQ_INT(d->srate, 16000);
	d = codec_find("opus", 48000);
	REQUIRE(d);
	CHECK_EQ_INT(d->pt, CODEC_PT_DYNAMIC);
	CHECK_EQ_INT(d->channels, 2);
	CHECK(codec_find("telephone-event", 8000) != NULL);
	CHECK(codec_find("opus", 8000) == NULL);
	CHECK(codec_find("G729", 8000) == NULL);
	CHECK(codec_find(NULL, 0) == NULL);
	CHECK(codec_get(CODEC_COUNT) == NULL);
	CHECK_EQ_INT(codec_frame_samples(48000), 960);
}

static void test_alloc_rejects(void)
{
	struct codec_enc *enc = NULL;
	struct codec_dec *dec = NULL;
	struct codec_opts o;
	struct codec_desc fake = *codec_find("PCMU", 0);

	codec_opts_default(&o);
	o.srate = 44100;
	CHECK_EQ_INT(codec_enc_alloc(&enc, codec_find("opus", 0), &o), EINVAL);
	CHECK_EQ_INT(codec_dec_alloc(&dec, codec_find("opus", 0), &o), EINVAL);
	CHECK_EQ_INT(codec_enc_alloc(&enc, &fake, NULL), EINVAL);
	CHECK_EQ_INT(
	    codec_enc_alloc(&enc, codec_find("telephone-event", 0), NULL),
	    EINVAL);
	CHECK_EQ_INT(codec_dec_alloc(&dec, NULL, NULL), EINVAL);
	/* allocation failure is reported, nothing leaks */
	for (size_t i = 1; i < 4; i++) {
		obj_fail_after(i);
		int err = codec_dec_alloc(&dec, codec_find("G722", 0), NULL);
		obj_fail_after(0);
		if (!err)
			dec = obj_deref(dec);
		else
			CHECK_EQ_INT(err, ENOMEM);
	}
}

static void test_bad_payloads_each_codec(void)
{
	static const char *names[] = {"PCMU", "PCMA", "G722", "opus"};
	for (size_t i = 0; i < 4; i++) {
		const struct codec_desc *d = codec_find(names[i], 0);
		struct codec_enc *enc = NULL;
		struct codec_dec *dec = NULL;
		static uint8_t big[8000];
		int16_t pcm[960] = {0}, small[10];
		uint8_t out[1500], tiny[2];
		size_t fs, len, n;

		REQUIRE(!codec_enc_alloc(&enc, d, NULL));
		REQUIRE(!codec_dec_alloc(&dec, d, NULL));
		fs = codec_frame_samples(codec_enc_srate(enc));
		CHECK_EQ_INT(
		    codec_encode(enc, pcm, fs - 1, out, sizeof(out), &len),
		    EINVAL);
		/* opus can squeeze a frame into 2 bytes, never into 0 */
		CHECK_EQ_INT(
		    codec_encode(enc, pcm, fs, tiny,
				 d->id == CODEC_OPUS ? 0 : sizeof(tiny), &len),
		    ENOMEM);
		CHECK_EQ_INT(codec_encode(enc, pcm, fs, out, sizeof(out), &len),
			     0);
		CHECK_EQ_INT(codec_decode(dec, out, 0, pcm, 960, &n), EINVAL);
		CHECK_EQ_INT(codec_decode(dec, big, sizeof(big), pcm, 960, &n),
			     EBADMSG);
		CHECK_EQ_INT(codec_decode(dec, out, len, small, 10, &n),
			     ENOMEM);
		CHECK_EQ_INT(codec_decode(dec, out, len, pcm, 960, &n), 0);
		CHECK_EQ_INT(n, fs);
		CHECK_EQ_INT(codec_conceal(dec, pcm, 0), EINVAL);
		CHECK_EQ_INT(codec_conceal(dec, pcm, fs), 0);
		if (d->id != CODEC_OPUS)
			CHECK_EQ_INT(codec_decode_fec(dec, out, len, pcm, fs),
				     ENOSYS);
		obj_deref(enc);
		obj_deref(dec);
	}
}

static void test_garbage_opus(void)
{
	struct codec_dec *dec = NULL;
	int16_t pcm[960];
	size_t n;
	/* code 3 packet with frame count 0 and inconsistent lengths */
	static const uint8_t g1[] = {0x03, 0x00};
	static const uint8_t g2[] = {0xff, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t g3[] = {0x0b, 0xfc}; /* code 3, 63 frames */

	REQUIRE(!codec_dec_alloc(&dec, codec_find("opus", 0), NULL));
	CHECK_EQ_INT(codec_decode(dec, g1, sizeof(g1), pcm, 960, &n), EBADMSG);
	CHECK_EQ_INT(codec_decode(dec, g2, sizeof(g2), pcm, 960, &n), EBADMSG);
	CHECK(codec_decode(dec, g3, sizeof(g3), pcm, 960, &n) != 0);
	CHECK_EQ_INT(codec_decode_fec(dec, g1, sizeof(g1), pcm, 960), EBADMSG);
	obj_deref(dec);
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_find_table);
	RUN(test_alloc_rejects);
	RUN(test_bad_payloads_each_codec);
	RUN(test_garbage_opus);
	return harness_done();
}
