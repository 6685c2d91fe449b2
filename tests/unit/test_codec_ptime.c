/* test_codec_ptime.c: one codec_encode() call per RTP packet of 10..120 ms:
 * every codec codes every length, the payload says how long it is
 * (codec_payload_ticks), it decodes to that many samples of the same
 * tone; Opus 30/50/120 ms packets hold several frames; lengths that are
 * not whole 10 ms are refused. */
#include <errno.h>
#include <opus/opus.h>

#include "audio/codec.h"
#include "audio/tone.h"
#include "harness.h"

enum { MAXS = 48 * 120 };

/* Code 4 packets of @p ms of a 1 kHz tone; check lengths and the tone. */
static void one(const char *name, unsigned ms)
{
	const struct codec_desc *d = codec_find(name, 0);
	struct codec_enc *enc = NULL;
	struct codec_dec *dec = NULL;
	static int16_t pcm[MAXS], out[4 * MAXS];
	uint8_t pkt[1500];
	size_t n, len, got, nout = 0, bad = 0;
	uint32_t ticks, rate;
	double ph = 0, amp;

	REQUIRE(d);
	REQUIRE(!codec_enc_alloc(&enc, d, NULL));
	REQUIRE(!codec_dec_alloc(&dec, d, NULL));
	rate = codec_enc_srate(enc);
	n = codec_ms_samples(rate, ms);
	for (int k = 0; k < 4; k++) {
		tone_sine(pcm, n, rate, 1000, 8000, &ph);
		REQUIRE(!codec_encode(enc, pcm, n, pkt, sizeof(pkt), &len));
		if (codec_payload_ticks(d, pkt, len, &ticks) ||
		    ticks != d->clock * ms / 1000)
			bad++;
		/* 30, 50, 70, 90, 110 ms: several 10 ms frames */
		if (d->id == CODEC_OPUS && ms % 20 &&
		    opus_packet_get_nb_frames(pkt, (opus_int32)len) !=
			(int)ms / 10)
			bad++;
		got = 0;
		CHECK_EQ_INT(
		    codec_decode(dec, pkt, len, out + nout, MAXS, &got), 0);
		if (got != codec_ms_samples(codec_dec_srate(dec), ms))
			bad++;
		nout += got;
	}
	/* the last three packets hold the tone */
	got = nout / 4 * 3;
	amp = tone_goertzel(out + nout - got, got, codec_dec_srate(dec), 1000);
	printf("  %s %u ms: %zu bytes, amplitude %.0f\n", name, ms, len, amp);
	CHECK_EQ_INT(bad, 0);
	CHECK(amp > 8000 * 0.7 && amp < 8000 * 1.3);
	obj_deref(enc);
	obj_deref(dec);
}

static void test_every_codec_every_length(void)
{
	static const char *names[] = {"PCMU", "PCMA", "G722", "opus"};

	for (size_t c = 0; c < 4; c++)
		for (unsigned ms = 10; ms <= 120; ms += 10)
			one(names[c], ms);
}

/* Opus 30 and 50 ms packets (several frames) are made whatever the
 * signal does: silence, tone, loud noise, swapping every packet (the
 * encoder would change bandwidth or mode between frames if let). */
static void test_opus_multiframe_any_signal(void)
{
	const struct codec_desc *d = codec_find("opus", 0);
	static int16_t pcm[MAXS];
	uint8_t pkt[1500];
	uint32_t seed = 1, ticks;
	size_t len, bad = 0;
	double ph = 0;

	for (unsigned ms = 30; ms <= 50; ms += 20) {
		struct codec_enc *enc = NULL;
		size_t n;

		REQUIRE(!codec_enc_alloc(&enc, d, NULL));
		n = codec_ms_samples(codec_enc_srate(enc), ms);
		for (int k = 0; k < 60; k++) {
			for (size_t i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				pcm[i] = k % 3 == 0   ? 0
					 : k % 3 == 1 ? (int16_t)(seed >> 16)
						      : 0;
			}
			if (k % 3 == 2)
				tone_sine(pcm, n, codec_enc_srate(enc), 300,
					  20000, &ph);
			if (codec_encode(enc, pcm, n, pkt, sizeof(pkt), &len) ||
			    codec_payload_ticks(d, pkt, len, &ticks) ||
			    ticks != 48 * ms)
				bad++;
		}
		obj_deref(enc);
	}
	CHECK_EQ_INT(bad, 0);
}

static void test_bad_lengths_and_payloads(void)
{
	static const char *names[] = {"PCMU", "PCMA", "G722", "opus"};
	static int16_t pcm[MAXS + 480];
	static const uint8_t garbage[] = {0x03, 0x00};
	uint8_t pkt[1500];
	uint32_t ticks;
	size_t len;

	for (size_t c = 0; c < 4; c++) {
		const struct codec_desc *d = codec_find(names[c], 0);
		struct codec_enc *enc = NULL;
		uint32_t r;

		REQUIRE(!codec_enc_alloc(&enc, d, NULL));
		r = codec_enc_srate(enc);
		/* 15 ms, 5 ms, 130 ms, 0 */
		CHECK_EQ_INT(codec_encode(enc, pcm, codec_ms_samples(r, 15),
					  pkt, sizeof(pkt), &len),
			     EINVAL);
		CHECK_EQ_INT(codec_encode(enc, pcm, codec_ms_samples(r, 5), pkt,
					  sizeof(pkt), &len),
			     EINVAL);
		CHECK_EQ_INT(codec_encode(enc, pcm, codec_ms_samples(r, 130),
					  pkt, sizeof(pkt), &len),
			     EINVAL);
		CHECK_EQ_INT(codec_encode(enc, pcm, 0, pkt, sizeof(pkt), &len),
			     EINVAL);
		/* 60 ms of G.711 does not fit in 100 bytes */
		if (d->id != CODEC_OPUS)
			CHECK_EQ_INT(codec_encode(enc, pcm,
						  codec_ms_samples(r, 60), pkt,
						  100, &len),
				     ENOMEM);
		CHECK_EQ_INT(codec_payload_ticks(d, pkt, 0, &ticks), EINVAL);
		CHECK_EQ_INT(codec_payload_ticks(d, NULL, 4, &ticks), EINVAL);
		obj_deref(enc);
	}
	CHECK_EQ_INT(codec_payload_ticks(codec_find("opus", 0), garbage,
					 sizeof(garbage), &ticks),
		     EBADMSG);
	CHECK_EQ_INT(codec_payload_ticks(codec_find("telephone-event", 0),
					 garbage, sizeof(garbage), &ticks),
		     EINVAL);
	CHECK_EQ_INT(codec_payload_ticks(NULL, garbage, 2, &ticks), EINVAL);
}

int main(void)
{
	harness_watchdog(60);
	RUN(test_every_codec_every_length);
	RUN(test_opus_multiframe_any_signal);
	RUN(test_bad_lengths_and_payloads);
	return harness_done();
}
