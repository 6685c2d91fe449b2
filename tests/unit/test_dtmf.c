/* test_dtmf.c: DTMF via RFC 4733 events (loss, duplicates, retransmitted
 * ends) and in-band through PCMU: each digit exactly once, in order. */
#include <errno.h>
#include <stdbool.h>

#include "audio/codec.h"
#include "audio/dtmf.h"
#include "audio_util.h"
#include "harness.h"

static void test_event_codec_roundtrip(void)
{
	struct dtmf_ev ev = {11, true, 10, 1280}, back;
	uint8_t b[4];
	CHECK_EQ_INT(dtmf_ev_encode(b, sizeof(b), &ev), 0);
	CHECK_EQ_INT(b[0], 11);
	CHECK_EQ_INT(b[1], 0x8a);
	CHECK_EQ_INT(b[2], 0x05);
	CHECK_EQ_INT(b[3], 0x00);
	CHECK_EQ_INT(dtmf_ev_decode(&back, b, 4), 0);
	CHECK_EQ_INT(back.event, 11);
	CHECK(back.end);
	CHECK_EQ_INT(back.duration, 1280);
	CHECK_EQ_INT(dtmf_ev_decode(&back, b, 3), EBADMSG);
	CHECK_EQ_INT(dtmf_ev_encode(b, 3, &ev), ENOMEM);
	CHECK_EQ_INT(dtmf_ev_code('#'), 11);
	CHECK_EQ_INT(dtmf_ev_code('x'), -1);
	CHECK_EQ_INT(dtmf_ev_digit(15), 'D');
}

struct evpkt {
	uint8_t b[4];
	bool m, end;
	uint32_t ts;
};

/* Send every digit, dropping/duplicating packets by a rule. */
static void send_all(int mode, struct au_digits *g)
{
	struct dtmf_ev_tx *tx = NULL;
	struct dtmf_ev_rx *rx = NULL;
	uint32_t ts = 1000;

	REQUIRE(!dtmf_ev_tx_alloc(&tx, 8000));
	REQUIRE(!dtmf_ev_rx_alloc(&rx, au_digit, g));
	for (const char *d = au_all_digits; *d; d++) {
		struct evpkt p[32];
		size_t np = 0, len;
		CHECK_EQ_INT(dtmf_ev_tx_start(tx, *d, ts, 100), 0);
		CHECK_EQ_INT(dtmf_ev_tx_start(tx, '1', ts, 100), EBUSY);
		while (np < 32 && !dtmf_ev_tx_poll(tx, p[np].b, 4, &len,
						   &p[np].m, &p[np].ts)) {
			p[np].end = p[np].b[1] & 0x80;
			np++;
		}
		CHECK_EQ_INT(np, 4 + 3); /* 100 ms: 4 updates, 3 ends */
		CHECK(p[0].m);
		CHECK(!p[1].m);
		CHECK(p[np - 1].end && p[np - 2].end && p[np - 3].end);
		CHECK_EQ_INT(p[np - 1].b[2] << 8 | p[np - 1].b[3], 800);
		for (size_t i = 0; i < np; i++) {
			if (mode == 1 && i < 2)
				continue; /* start and first update lost */
			if (mode == 2 && i < np - 1)
				continue; /* only the last end arrives */
			dtmf_ev_rx_put(rx, p[i].ts, p[i].m, p[i].b, 4);
			if (mode == 3 || p[i].end) /* duplicated packets */
				dtmf_ev_rx_put(rx, p[i].ts, p[i].m, p[i].b, 4);
		}
		/* a late retransmission of the previous end arrives */
		dtmf_ev_rx_put(rx, p[np - 1].ts, false, p[np - 1].b, 4);
		ts += 8000;
	}
	obj_deref(tx);
	obj_deref(rx);
}

static void test_rfc4733_every_digit_once(void)
{
	for (int mode = 0; mode < 4; mode++) {
		struct au_digits g = {0};
		send_all(mode, &g);
		CHECK_EQ_STR(g.s, au_all_digits);
	}
}

static void test_rfc4733_same_digit_twice_and_long_tone(void)
{
	struct au_digits g = {0};
	struct dtmf_ev_rx *rx = NULL;
	struct dtmf_ev e5 = {5, false, 10, 160}, e5end = {5, true, 10, 800};
	uint8_t a[4], b[4];

	REQUIRE(!dtmf_ev_rx_alloc(&rx, au_digit, &g));
	dtmf_ev_encode(a, 4, &e5);
	dtmf_ev_encode(b, 4, &e5end);
	dtmf_ev_rx_put(rx, 100, true, a, 4);
	dtmf_ev_rx_put(rx, 100, false, b, 4);
	dtmf_ev_rx_put(rx, 2000, true, a, 4); /* pressed again */
	/* long tone continued in a new segment (new ts, no marker) */
	dtmf_ev_rx_put(rx, 67535, false, a, 4);
	dtmf_ev_rx_put(rx, 67535, false, b, 4);
	CHECK_EQ_STR(g.s, "55");
	uint8_t bad[4] = {200, 0, 0, 1};
	CHECK_EQ_INT(dtmf_ev_rx_put(rx, 9, true, bad, 4), 0);
	CHECK_EQ_INT(dtmf_ev_rx_put(rx, 9, true, bad, 2), EBADMSG);
	CHECK_EQ_STR(g.s, "55");
	obj_deref(rx);
}

static void test_inband_through_pcmu(void)
{
	struct dtmf_gen *gen = NULL;
	struct dtmf_det *det = NULL;
	struct codec_enc *enc = NULL;
	struct codec_dec *dec = NULL;
	const struct codec_desc *d = codec_find("PCMU", 8000);
	struct au_digits g = {0};

	REQUIRE(!dtmf_gen_alloc(&gen));
	REQUIRE(!dtmf_det_alloc(&det, au_digit, &g));
	REQUIRE(!codec_enc_alloc(&enc, d, NULL));
	REQUIRE(!codec_dec_alloc(&dec, d, NULL));
	CHECK_EQ_INT(dtmf_gen_put(gen, "12x"), EINVAL);
	CHECK_EQ_INT(dtmf_gen_put(gen, au_all_digits), 0);
	for (int i = 0; i < 150; i++) { /* 3 s */
		int16_t pcm[160], out[160];
		uint8_t pay[160];
		size_t len, n;
		dtmf_gen_read(gen, pcm, 160);
		CHECK_EQ_INT(codec_encode(enc, pcm, 160, pay, 160, &len), 0);
		CHECK_EQ_INT(codec_decode(dec, pay, len, out, 160, &n), 0);
		dtmf_det_put(det, out, n);
	}
	CHECK_EQ_STR(g.s, au_all_digits);
	obj_deref(gen);
	obj_deref(det);
	obj_deref(enc);
	obj_deref(dec);
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_event_codec_roundtrip);
	RUN(test_rfc4733_every_digit_once);
	RUN(test_rfc4733_same_digit_twice_and_long_tone);
	RUN(test_inband_through_pcmu);
	return harness_done();
}
