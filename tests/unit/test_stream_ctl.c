/* test_stream_ctl.c: what a call does to its stream after the start:
 * hold (send=false, recv=false), a new peer, mute, wrong SRTP keys, BYE at
 * close, the end of a WAV source, and refusals of bad parameters. */
#include <errno.h>

#include "harness.h"
#include "stream_util.h"

struct trio {
	struct loop *l;
	struct stream *a, *b;
	struct stream_params pa, pb;
};

/* A plays 1 kHz to B, which records b.wav; G.722 with SRTP. */
static int trio_open(struct trio *t)
{
	int e = su_tone_wav("1k.wav", 1000, 2);

	if (!e)
		e = loop_alloc(&t->l);
	if (e)
		return e;
	loop_clock_fake(t->l, 1000);
	e = su_stream(&t->a, t->l, su_path("1k.wav"), NULL, NULL, NULL);
	if (!e)
		e = su_stream(&t->b, t->l, NULL, su_path("b.wav"), NULL, NULL);
	if (e)
		return e;
	su_params(&t->pa, "G722", stream_port(t->b));
	su_params(&t->pb, "G722", stream_port(t->a));
	e = su_keys(&t->pa, &t->pb, SRTPX_AES_CM_128_HMAC_SHA1_80);
	if (!e)
		e = stream_start(t->a, &t->pa);
	if (!e)
		e = stream_start(t->b, &t->pb);
	return e;
}

static void trio_close(struct trio *t)
{
	t->a = stream_close(t->a);
	t->b = stream_close(t->b);
	t->l = obj_deref(t->l);
}

/* what B recorded, after the call ended */
static struct wav_pcm *trio_end(struct trio *t)
{
	trio_close(t);
	return su_load("b.wav");
}

/* the 1 kHz tone is in [from, to) ms of @p w */
static bool tone_in(const struct wav_pcm *w, unsigned from, unsigned to)
{
	return su_amp(w, 1000, from, to) > SU_AMP * 0.7;
}

/* [from, to) ms of @p w exist and are silent */
static bool quiet_in(const struct wav_pcm *w, unsigned from, unsigned to)
{
	double rms = su_rms(w, from, to);

	return rms >= 0 && rms < 20;
}

static uint64_t rx_of(struct stream *s)
{
	struct stream_stats st;

	stream_stats(s, &st);
	return st.rx_packets;
}

static void test_stream_hold_send_false(void)
{
	struct trio t = {0};
	struct stream_stats st;
	struct wav_pcm *w;
	uint64_t rx1;

	REQUIRE(!trio_open(&t));
	su_pump(t.l, 1000);
	/* the same parameters again change nothing (no re-keying) */
	CHECK_EQ_INT(stream_start(t.a, &t.pa), 0);
	CHECK_EQ_INT(stream_start(t.b, &t.pb), 0);
	su_pump(t.l, 500);
	t.pa.send = false;
	CHECK_EQ_INT(stream_start(t.a, &t.pa), 0);
	stream_stats(t.a, &st);
	CHECK(!st.sending);
	su_pump(t.l, 100);
	rx1 = rx_of(t.b);
	su_pump(t.l, 1000);
	CHECK_EQ_INT(rx_of(t.b), rx1);
	stream_stats(t.b, &st);
	CHECK_EQ_INT(st.srtp_fail, 0);
	/* resume: the tone is back */
	t.pa.send = true;
	CHECK_EQ_INT(stream_start(t.a, &t.pa), 0);
	su_pump(t.l, 1000);
	CHECK(rx_of(t.b) >= rx1 + 45);
	w = trio_end(&t);
	REQUIRE(w);
	CHECK(tone_in(w, 1000, 1500));
	/* held: from 200 ms after the hold to its end, silence */
	CHECK(quiet_in(w, 1800, 2600));
	CHECK(tone_in(w, 3000, 3500));
	obj_deref(w);
}

static void test_stream_hold_recv_false(void)
{
	struct trio t = {0};
	struct wav_pcm *w;
	uint64_t rx1;

	REQUIRE(!trio_open(&t));
	su_pump(t.l, 600);
	t.pb.recv = false;
	CHECK_EQ_INT(stream_start(t.b, &t.pb), 0);
	rx1 = rx_of(t.b);
	su_pump(t.l, 600);
	CHECK(rx_of(t.b) >= rx1 + 25); /* still arriving, not played */
	w = trio_end(&t);
	REQUIRE(w);
	CHECK(tone_in(w, 200, 600));
	CHECK(quiet_in(w, 620, 1200));
	obj_deref(w);
}

static void test_stream_new_peer(void)
{
	struct trio t = {0};
	struct stream *c = NULL;
	struct stream_params pc;
	struct wav_pcm *wb, *wc;
	uint64_t rx1;

	REQUIRE(!trio_open(&t));
	REQUIRE(!su_stream(&c, t.l, NULL, su_path("c.wav"), NULL, NULL));
	su_pump(t.l, 600);
	/* re-INVITE: A now talks to C (new port, new keys) */
	su_params(&t.pa, "G722", stream_port(c));
	su_params(&pc, "G722", stream_port(t.a));
	REQUIRE(!su_keys(&t.pa, &pc, SRTPX_AES_CM_128_HMAC_SHA1_80));
	CHECK_EQ_INT(stream_start(t.a, &t.pa), 0);
	CHECK_EQ_INT(stream_start(c, &pc), 0);
	su_pump(t.l, 100);
	rx1 = rx_of(t.b);
	su_pump(t.l, 900);
	CHECK_EQ_INT(rx_of(t.b), rx1);
	CHECK(rx_of(c) >= 45);
	c = stream_close(c);
	wb = trio_end(&t);
	wc = su_load("c.wav");
	REQUIRE(wb && wc);
	CHECK(tone_in(wb, 200, 600));
	CHECK(quiet_in(wb, 900, 1500));
	CHECK(tone_in(wc, 400, 900));
	obj_deref(wb);
	obj_deref(wc);
}

static void test_stream_mute(void)
{
	struct trio t = {0};
	struct stream_stats st;
	struct wav_pcm *w;
	uint64_t tx1;

	REQUIRE(!trio_open(&t));
	su_pump(t.l, 600);
	stream_mute(t.a, true);
	stream_stats(t.a, &st);
	CHECK(st.muted);
	tx1 = st.tx_packets;
	su_pump(t.l, 800);
	stream_stats(t.a, &st);
	CHECK(st.tx_packets >= tx1 + 38); /* silence is still sent */
	stream_mute(t.a, false);
	su_pump(t.l, 600);
	w = trio_end(&t);
	REQUIRE(w);
	CHECK(tone_in(w, 200, 600));
	CHECK(quiet_in(w, 750, 1350));
	CHECK(tone_in(w, 1600, 2000));
	obj_deref(w);
}

static void test_stream_wrong_srtp_key(void)
{
	struct trio t = {0};
	struct stream_stats st;
	struct wav_pcm *w;

	REQUIRE(!trio_open(&t));
	t.pb.rx_key[3] ^= 0x40;
	CHECK_EQ_INT(stream_start(t.b, &t.pb), 0);
	su_pump(t.l, 1000);
	stream_stats(t.b, &st);
	CHECK(st.srtp_fail >= 45);
	w = trio_end(&t);
	REQUIRE(w);
	/* at most the first frame (before the re-key) got through */
	CHECK(quiet_in(w, 100, su_ms(w)));
	obj_deref(w);
}

static void test_stream_close_sends_bye(void)
{
	struct trio t = {0};
	struct stream_stats st;

	REQUIRE(!trio_open(&t));
	su_pump(t.l, 200);
	stream_stats(t.b, &st);
	CHECK(!st.remote_bye);
	t.a = stream_close(t.a);
	loop_poll(t.l, 0);
	stream_stats(t.b, &st);
	CHECK(st.remote_bye);
	trio_close(&t);
}

struct ends {
	int n;
	uint64_t at;
	struct loop *l;
};

static void on_src_end(void *arg)
{
	struct ends *e = arg;

	e->n++;
	e->at = loop_now(e->l);
}

static void test_stream_wav_source_end(void)
{
	static const struct stream_handlers h = {NULL, on_src_end};
	struct stream_opts o;
	struct stream_params p;
	struct stream *s = NULL;
	struct ends ends = {0};

	REQUIRE(!su_tone_wav("short.wav", 1000, 1));
	REQUIRE(!loop_alloc(&ends.l));
	loop_clock_fake(ends.l, 1000);
	stream_opts_default(&o);
	o.laddr = "127.0.0.1";
	o.src_be = AUDEV_WAV;
	o.src_dev = su_path("short.wav");
	REQUIRE(!stream_alloc(&s, ends.l, &o, &h, &ends, NULL, 0));
	su_params(&p, "PCMU", 9); /* discard port: nothing listens */
	REQUIRE(!stream_start(s, &p));
	su_pump(ends.l, 1500);
	CHECK_EQ_INT(ends.n, 1);
	CHECK(ends.at >= 1990 && ends.at <= 2050);
	stream_close(s);
	obj_deref(ends.l);
}

static void test_stream_bad_params(void)
{
	struct trio t = {0};
	struct stream_params p;
	struct stream *s = NULL;
	struct stream_opts o;
	struct loop *l;
	char err[256] = "";

	REQUIRE(!trio_open(&t));
	p = t.pa;
	p.codec = "G729";
	CHECK_EQ_INT(stream_start(t.a, &p), EINVAL);
	p.codec = NULL;
	CHECK_EQ_INT(stream_start(t.a, &p), EINVAL);
	p.codec = "telephone-event";
	CHECK_EQ_INT(stream_start(t.a, &p), EINVAL);
	p = t.pa;
	p.clock = 16000; /* G722's rtpmap clock is 8000 */
	CHECK_EQ_INT(stream_start(t.a, &p), EINVAL);
	p = t.pa;
	p.pt = 128;
	CHECK_EQ_INT(stream_start(t.a, &p), EINVAL);
	p = t.pa;
	p.te_pt = (int)p.pt;
	CHECK_EQ_INT(stream_start(t.a, &p), EINVAL);
	p = t.pa;
	p.tx_keylen = 16;
	CHECK_EQ_INT(stream_start(t.a, &p), EINVAL);
	p = t.pa;
	p.rx_keylen = 31;
	CHECK_EQ_INT(stream_start(t.a, &p), EINVAL);
	p = t.pa;
	p.suite = SRTPX_SUITE_COUNT;
	CHECK_EQ_INT(stream_start(t.a, &p), EINVAL);
	p = t.pa;
	p.raddr.ss_family = AF_INET6; /* our socket is IPv4 */
	CHECK_EQ_INT(stream_start(t.a, &p), EINVAL);
	p = t.pa;
	p.srtp = false; /* no downgrade to plain RTP */
	CHECK_EQ_INT(stream_start(t.a, &p), ENOTSUP);
	CHECK_EQ_INT(stream_start(NULL, &p), EINVAL);
	CHECK_EQ_INT(stream_start(t.a, NULL), EINVAL);
	CHECK_EQ_INT(stream_dtmf(t.a, 'x'), EINVAL);
	CHECK_EQ_INT(stream_dtmf(NULL, '1'), EINVAL);
	/* after all that the call still carries the tone */
	su_pump(t.l, 800);
	struct wav_pcm *w = trio_end(&t);
	REQUIRE(w);
	CHECK(tone_in(w, 300, 800));
	obj_deref(w);

	REQUIRE(!loop_alloc(&l));
	stream_opts_default(&o);
	o.src_be = AUDEV_WAV;
	o.src_dev = "/nonexistent/prompt.wav";
	CHECK_EQ_INT(stream_alloc(&s, l, &o, NULL, NULL, err, sizeof(err)),
		     ENOENT);
	CHECK(strstr(err, "/nonexistent/prompt.wav") != NULL);
	CHECK(s == NULL);
	stream_opts_default(&o);
	o.rate = 11025;
	CHECK_EQ_INT(stream_alloc(&s, l, &o, NULL, NULL, err, sizeof(err)),
		     EINVAL);
	o.rate = 16000;
	o.laddr = "not-an-address";
	CHECK(stream_alloc(&s, l, &o, NULL, NULL, err, sizeof(err)) != 0);
	CHECK(strstr(err, "not-an-address") != NULL);
	CHECK_EQ_INT(stream_alloc(&s, NULL, NULL, NULL, NULL, NULL, 0), EINVAL);
	/* not started: no DTMF */
	REQUIRE(!stream_alloc(&s, l, NULL, NULL, NULL, NULL, 0));
	CHECK(stream_port(s) != 0);
	CHECK_EQ_INT(stream_dtmf(s, '1'), ENOTCONN);
	s = stream_close(s);
	CHECK(stream_close(NULL) == NULL);
	obj_deref(l);
}

/* Every allocation of stream_alloc() and stream_start() failing in turn:
 * ENOMEM (or the error of whatever failed), nothing leaked, and a stream
 * that did start works. */
static void test_stream_alloc_failures(void)
{
	struct stream_params p;
	struct loop *l = NULL;
	int e = ENOMEM, n;

	REQUIRE(!su_tone_wav("1k.wav", 1000, 1));
	REQUIRE(!loop_alloc(&l));
	loop_clock_fake(l, 1000);
	for (n = 1; n < 500 && e; n++) {
		struct stream *s = NULL;

		obj_fail_after((size_t)n);
		e = su_stream(&s, l, su_path("1k.wav"), su_path("f.wav"), NULL,
			      NULL);
		if (!e) {
			su_params(&p, "opus", 9);
			p.te_pt = -1;
			e = stream_start(s, &p);
		}
		obj_fail_after(0);
		if (e)
			CHECK(s == NULL || e == ENOMEM);
		else
			su_pump(l, 100);
		stream_close(s);
	}
	printf("  %d allocations, each one failed once\n", n - 2);
	CHECK_EQ_INT(e, 0);
	CHECK(n > 5);
	obj_deref(l);
}

int main(void)
{
	harness_watchdog(100);
	RUN(test_stream_hold_send_false);
	RUN(test_stream_hold_recv_false);
	RUN(test_stream_new_peer);
	RUN(test_stream_mute);
	RUN(test_stream_wrong_srtp_key);
	RUN(test_stream_close_sends_bye);
	RUN(test_stream_wav_source_end);
	RUN(test_stream_bad_params);
	RUN(test_stream_alloc_failures);
	return harness_done();
}
