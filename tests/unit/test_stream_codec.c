/* test_stream_codec.c: a 1 kHz tone from stream A's WAV source, over real
 * RTP sockets on 127.0.0.1, lands in stream B's WAV recording at the
 * right frequency and level, for every codec, plain and with SRTP (the
 * OpenSSL backend for AES_CM_128, libsrtp2 for AES-256 and GCM); both
 * directions at once; and the same on the real clock. */
#include <errno.h>

#include "harness.h"
#include "stream_util.h"

struct pair {
	struct loop *l;
	struct stream *a, *b;
	struct stream_params pa, pb;
};

static int pair_open(struct pair *p, const char *codec, int suite,
		     const char *a_src, const char *a_sink, const char *b_src,
		     const char *b_sink)
{
	int e = loop_alloc(&p->l);

	if (e)
		return e;
	loop_clock_fake(p->l, 1000);
	e = su_stream(&p->a, p->l, a_src ? su_path(a_src) : NULL,
		      a_sink ? su_path(a_sink) : NULL, NULL, NULL);
	if (!e)
		e = su_stream(&p->b, p->l, b_src ? su_path(b_src) : NULL,
			      b_sink ? su_path(b_sink) : NULL, NULL, NULL);
	if (e)
		return e;
	su_params(&p->pa, codec, stream_port(p->b));
	su_params(&p->pb, codec, stream_port(p->a));
	if (suite >= 0)
		e = su_keys(&p->pa, &p->pb, (enum srtpx_suite)suite);
	if (!e)
		e = stream_start(p->a, &p->pa);
	if (!e)
		e = stream_start(p->b, &p->pb);
	return e;
}

static void pair_close(struct pair *p)
{
	p->a = stream_close(p->a);
	p->b = stream_close(p->b);
	p->l = obj_deref(p->l);
}

/* @p suite: an enum srtpx_suite, or -1 for plain RTP */
static void one_way(const char *codec, int suite)
{
	struct pair p = {0};
	struct stream_stats sa, sb;
	struct wav_pcm *w;
	double amp, f;

	REQUIRE(!su_tone_wav("1k.wav", 1000, 2));
	REQUIRE(!pair_open(&p, codec, suite, "1k.wav", NULL, NULL, "b.wav"));
	su_pump(p.l, 1200);
	stream_stats(p.a, &sa);
	stream_stats(p.b, &sb);
	pair_close(&p);
	CHECK_EQ_STR(sb.codec, codec);
	if (suite >= 0)
		CHECK_EQ_STR(sb.suite,
			     srtpx_suite_name((enum srtpx_suite)suite));
	else
		CHECK(sb.suite == NULL);
	/* 60 frames in 1.2 s; every one sent arrived and authenticated */
	CHECK(sa.tx_packets >= 58 && sa.tx_packets <= 61);
	CHECK(sb.rx_packets + 1 >= sa.tx_packets);
	CHECK_EQ_INT(sb.srtp_fail, 0);
	CHECK_EQ_INT(sb.rx_lost, 0);
	w = su_load("b.wav");
	REQUIRE(w);
	CHECK(su_ms(w) >= 1150);
	amp = su_amp(w, 1000, 600, 1100);
	f = tone_detect_freq(w->s + 600 * 16, 500 * 16, SU_RATE);
	printf("  %s %s: %.1f Hz, amplitude %.0f (sent %d), %llu pkts\n", codec,
	       sb.suite ? sb.suite : "plain", f, amp, SU_AMP,
	       (unsigned long long)sb.rx_packets);
	CHECK(f > 990 && f < 1010);
	CHECK(amp > SU_AMP * 0.7 && amp < SU_AMP * 1.3);
	/* the first frames are silence while the jitter buffer fills */
	CHECK(su_rms(w, 0, 20) < 50);
	obj_deref(w);
}

static void test_stream_tone_pcmu(void)
{
	one_way("PCMU", -1);
	one_way("PCMU", SRTPX_AES_CM_128_HMAC_SHA1_80);
}

static void test_stream_tone_pcma(void)
{
	one_way("PCMA", -1);
	one_way("PCMA", SRTPX_AES_CM_128_HMAC_SHA1_32);
}

static void test_stream_tone_g722(void)
{
	one_way("G722", -1);
	one_way("G722", SRTPX_AES_256_CM_HMAC_SHA1_80);
}

static void test_stream_tone_opus(void)
{
	one_way("opus", -1);
	one_way("opus", SRTPX_AEAD_AES_128_GCM);
}

/* Each side hears the other's tone and not its own. */
static void test_stream_both_directions(void)
{
	struct pair p = {0};
	struct wav_pcm *wa, *wb;

	REQUIRE(!su_tone_wav("1k.wav", 1000, 2));
	REQUIRE(!su_tone_wav("1k5.wav", 1500, 2));
	REQUIRE(!pair_open(&p, "G722", SRTPX_AES_CM_128_HMAC_SHA1_80, "1k.wav",
			   "a.wav", "1k5.wav", "b.wav"));
	su_pump(p.l, 1200);
	pair_close(&p);
	wa = su_load("a.wav");
	wb = su_load("b.wav");
	REQUIRE(wa && wb);
	CHECK(su_amp(wa, 1500, 600, 1100) > SU_AMP * 0.7);
	CHECK(su_amp(wa, 1000, 600, 1100) < SU_AMP * 0.05);
	CHECK(su_amp(wb, 1000, 600, 1100) > SU_AMP * 0.7);
	CHECK(su_amp(wb, 1500, 600, 1100) < SU_AMP * 0.05);
	obj_deref(wa);
	obj_deref(wb);
}

/* The same on the real clock: the 20 ms timers pace the stream. The
 * loop runs until B has played 40 frames (bounded), whatever the speed. */
static void test_stream_real_clock(void)
{
	struct pair p = {0};
	struct stream_stats sb;
	struct wav_pcm *w;
	uint64_t end;

	REQUIRE(!su_tone_wav("1k.wav", 1000, 2));
	REQUIRE(!loop_alloc(&p.l));
	REQUIRE(!su_stream(&p.a, p.l, su_path("1k.wav"), NULL, NULL, NULL));
	REQUIRE(!su_stream(&p.b, p.l, NULL, su_path("b.wav"), NULL, NULL));
	su_params(&p.pa, "opus", stream_port(p.b));
	su_params(&p.pb, "opus", stream_port(p.a));
	REQUIRE(!su_keys(&p.pa, &p.pb, SRTPX_AES_CM_128_HMAC_SHA1_32));
	REQUIRE(!stream_start(p.a, &p.pa));
	REQUIRE(!stream_start(p.b, &p.pb));
	end = loop_now(p.l) + 20000;
	do {
		loop_poll(p.l, 50);
		stream_stats(p.b, &sb);
	} while (sb.rx_packets < 50 && loop_now(p.l) < end);
	pair_close(&p);
	CHECK(sb.rx_packets >= 50);
	CHECK_EQ_INT(sb.srtp_fail, 0);
	w = su_load("b.wav");
	REQUIRE(w);
	/* the start waits for the jitter buffer; the last 400 ms hold tone */
	REQUIRE(su_ms(w) >= 700);
	CHECK(su_amp(w, 1000, su_ms(w) - 450, su_ms(w) - 50) > SU_AMP * 0.6);
	obj_deref(w);
}

int main(void)
{
	harness_watchdog(100);
	RUN(test_stream_tone_pcmu);
	RUN(test_stream_tone_pcma);
	RUN(test_stream_tone_g722);
	RUN(test_stream_tone_opus);
	RUN(test_stream_both_directions);
	RUN(test_stream_real_clock);
	return harness_done();
}
