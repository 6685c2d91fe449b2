/* test_stream_dtmf.c: DTMF between two streams on 127.0.0.1: RFC 4733
 * events and in-band tones arrive once each and in order; a peer that
 * sends both for each press is reported once per press; a peer that
 * negotiated events but sends tones is still heard. */
#include <errno.h>

#include "audio/codec.h"
#include "audio/dtmf.h"
#include "audio/rtp/rtp.h"
#include "audio_util.h"
#include "harness.h"
#include "stream_util.h"

static const struct stream_handlers hh = {au_digit, NULL};

/* A (source 1 kHz) sends all digits to B; @p te_a / @p te_b are the
 * telephone-event PTs each side was given (-1 = none). */
static void send_digits(const char *codec, int te_a, int te_b)
{
	struct au_digits ha = {0}, hb = {0};
	struct stream *a = NULL, *b = NULL;
	struct stream_params pa, pb;
	struct stream_stats st;
	struct loop *l = NULL;

	REQUIRE(!su_tone_wav("1k.wav", 1000, 2));
	REQUIRE(!loop_alloc(&l));
	loop_clock_fake(l, 1000);
	REQUIRE(!su_stream(&a, l, su_path("1k.wav"), NULL, &hh, &ha));
	REQUIRE(!su_stream(&b, l, NULL, NULL, &hh, &hb));
	su_params(&pa, codec, stream_port(b));
	su_params(&pb, codec, stream_port(a));
	pa.te_pt = te_a;
	pb.te_pt = te_b;
	REQUIRE(!stream_start(a, &pa));
	REQUIRE(!stream_start(b, &pb));
	su_pump(l, 300);
	for (const char *p = au_all_digits; *p; p++)
		CHECK_EQ_INT(stream_dtmf(a, *p), 0);
	for (int i = 0; i < 800 && hb.n < 16; i++)
		su_pump(l, 20);
	su_pump(l, 1000); /* nothing more comes */
	stream_stats(b, &st);
	printf("  %s te %d/%d: heard \"%s\"\n", codec, te_a, te_b, hb.s);
	CHECK_EQ_STR(hb.s, au_all_digits);
	CHECK_EQ_INT(st.dtmf_rx, 16);
	CHECK_EQ_INT(ha.n, 0);
	stream_close(a);
	stream_close(b);
	obj_deref(l);
}

static void test_stream_dtmf_rfc4733(void)
{
	send_digits("PCMU", 101, 101);
	send_digits("opus", 101, 101);
}

static void test_stream_dtmf_inband(void)
{
	send_digits("PCMU", -1, -1);
	send_digits("G722", -1, -1);
}

/* B negotiated telephone-event, A sends tones anyway: still heard. */
static void test_stream_dtmf_inband_when_events_negotiated(void)
{
	send_digits("PCMA", -1, 101);
}

/* A raw sender like phones that send each press both as RFC 4733 events
 * and as an in-band tone; the event starts @p ev_delay ticks after the
 * tone (0: together). */
static void both_ways(unsigned ev_delay)
{
	struct au_digits hb = {0};
	struct stream *b = NULL;
	struct rtp_session *x = NULL;
	struct codec_enc *enc = NULL;
	struct dtmf_gen *gen = NULL;
	struct dtmf_ev_tx *ev = NULL;
	struct stream_params pb;
	struct sockaddr_storage sb;
	struct loop *l = NULL;
	const char *next = au_all_digits;
	unsigned since = 0;
	bool tone = false, ev_on = false;

	REQUIRE(!loop_alloc(&l));
	loop_clock_fake(l, 1000);
	REQUIRE(!su_stream(&b, l, NULL, NULL, &hh, &hb));
	REQUIRE(!rtp_session_alloc(&x, l, NULL, NULL, NULL));
	su_params(&pb, "PCMU", 9);
	REQUIRE(!stream_start(b, &pb));
	memcpy(&sb, &pb.raddr, sizeof(sb));
	((struct sockaddr_in *)&sb)->sin_port = htons(stream_port(b));
	REQUIRE(!rtp_session_set_peer(x, (struct sockaddr *)&sb, NULL));
	REQUIRE(!codec_enc_alloc(&enc, codec_find("PCMU", 8000), NULL));
	REQUIRE(!dtmf_gen_alloc(&gen));
	REQUIRE(!dtmf_ev_tx_alloc(&ev, 8000));
	for (uint32_t k = 0; k < 400 && (*next || tone || ev_on); k++) {
		int16_t pcm[160];
		uint8_t out[200], e4[8];
		size_t len;
		bool mk;
		uint32_t ets;

		if (!tone && *next) {
			char d[2] = {*next, 0};
			CHECK(!dtmf_gen_put(gen, d));
			tone = true;
			since = 0;
		}
		if (tone && since++ == ev_delay && next[0]) {
			CHECK(!dtmf_ev_tx_start(ev, *next, k * 160, 60));
			ev_on = true;
			next++;
		}
		if (dtmf_gen_read(gen, pcm, 160) < 160)
			tone = false;
		REQUIRE(!codec_encode(enc, pcm, 160, out, sizeof(out), &len));
		REQUIRE(!rtp_send(x, 0, false, k * 160, out, len));
		if (ev_on &&
		    !dtmf_ev_tx_poll(ev, e4, sizeof(e4), &len, &mk, &ets))
			REQUIRE(!rtp_send(x, 101, mk, ets, e4, len));
		else
			ev_on = false;
		su_pump(l, 20);
	}
	su_pump(l, 1000);
	printf("  both, event %u ticks after tone: heard \"%s\"\n", ev_delay,
	       hb.s);
	CHECK_EQ_STR(hb.s, au_all_digits);
	obj_deref(ev);
	obj_deref(gen);
	obj_deref(enc);
	rtp_session_close(x);
	stream_close(b);
	obj_deref(l);
}

static void test_stream_dtmf_both_reported_once(void)
{
	both_ways(0);
	both_ways(3);
}

static void test_stream_dtmf_queue(void)
{
	struct stream *a = NULL;
	struct stream_params pa;
	struct loop *l = NULL;

	REQUIRE(!loop_alloc(&l));
	loop_clock_fake(l, 1000);
	REQUIRE(!su_stream(&a, l, NULL, NULL, NULL, NULL));
	su_params(&pa, "PCMU", 9);
	REQUIRE(!stream_start(a, &pa));
	for (int i = 0; i < 64; i++)
		CHECK_EQ_INT(stream_dtmf(a, "159d"[i % 4]), 0);
	CHECK_EQ_INT(stream_dtmf(a, '1'), ENOSPC);
	CHECK_EQ_INT(stream_dtmf(a, 'E'), EINVAL);
	CHECK_EQ_INT(stream_dtmf(a, '\0'), EINVAL);
	su_pump(l, 400); /* two digits gone: room again */
	CHECK_EQ_INT(stream_dtmf(a, '1'), 0);
	stream_close(a);
	obj_deref(l);
}

int main(void)
{
	harness_watchdog(100);
	RUN(test_stream_dtmf_rfc4733);
	RUN(test_stream_dtmf_inband);
	RUN(test_stream_dtmf_inband_when_events_negotiated);
	RUN(test_stream_dtmf_both_reported_once);
	RUN(test_stream_dtmf_queue);
	return harness_done();
}
