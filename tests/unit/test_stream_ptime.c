/* test_stream_ptime.c: packet times other than 20 ms, over real RTP sockets
 * on 127.0.0.1 with the fake clock. A far end (an RTP session and an
 * encoder of our codec module, like a phone or trunk) sends a 1 kHz tone
 * in packets of 10..120 ms with loss and jitter; our stream, playing
 * 20 ms frames, records it at the right frequency and level. Our stream
 * asked for ptime 10/30/40/60 sends packets of that length (payload size
 * and RTP timestamp step on the wire) that decode to the tone; absurd
 * ptime values give 20 ms. */
#include <errno.h>
#include <stdlib.h>

#include "audio/codec.h"
#include "audio/rtp/rtp.h"
#include "harness.h"
#include "stream_util.h"

enum {
	CAP_MAX = 256,
	FAR_MAX = 256,
	PKT_MAX = 1500,
	RX_MS = 1800, /**< audio the far end sends (a multiple of 120 ms) */
};

/* One packet on the wire. */
struct pkt {
	uint8_t pt;
	uint32_t ts;
	size_t len;
	uint8_t data[PKT_MAX];
};

/* The far end: its RTP session, what it received from us, what it sends. */
struct far {
	struct rtp_session *rs;
	const struct codec_desc *d;
	uint8_t pt;
	struct pkt *cap; /**< received, in arrival order */
	size_t ncap;
	struct pkt *out; /**< to send, in RTP time order */
	size_t nout;
};

static void far_recv(const struct rtp_hdr *h, void *arg)
{
	struct far *f = arg;
	struct pkt *p;

	if (f->ncap >= CAP_MAX || h->payload_len > PKT_MAX)
		return;
	p = &f->cap[f->ncap++];
	p->pt = h->pt;
	p->ts = h->ts;
	p->len = h->payload_len;
	memcpy(p->data, h->payload, h->payload_len);
}

static int far_open(struct far *f, struct loop *l, const char *codec)
{
	static const struct rtp_handlers h = {far_recv, NULL};
	struct stream_params sp;
	struct rtp_opts o;

	memset(f, 0, sizeof(*f));
	su_params(&sp, codec, 0);
	f->d = codec_find(codec, sp.clock);
	f->pt = (uint8_t)sp.pt;
	f->cap = calloc(CAP_MAX, sizeof(*f->cap));
	f->out = calloc(FAR_MAX, sizeof(*f->out));
	if (!f->d || !f->cap || !f->out)
		return ENOMEM;
	rtp_opts_default(&o);
	o.laddr = "127.0.0.1";
	o.clock_rate = f->d->clock;
	return rtp_session_alloc(&f->rs, l, &o, &h, f);
}

static uint16_t far_port(const struct far *f)
{
	struct sockaddr_storage ss;

	if (rtp_session_local(f->rs, false, &ss))
		return 0;
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static int far_peer(struct far *f, uint16_t port)
{
	struct sockaddr_in in = {.sin_family = AF_INET};

	in.sin_port = htons(port);
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return rtp_session_set_peer(f->rs, (struct sockaddr *)&in, NULL);
}

static void far_close(struct far *f)
{
	f->rs = rtp_session_close(f->rs);
	free(f->cap);
	free(f->out);
}

/* Encode @p ms of the 1 kHz tone into packets of @p ptime ms, as a far
 * end at the codec's own rate (Opus: 48 kHz) would. */
static int far_encode(struct far *f, unsigned ptime, unsigned ms)
{
	struct codec_enc *enc = NULL;
	uint32_t rate;
	size_t n;
	int16_t *pcm;
	double ph = 0;
	int e = codec_enc_alloc(&enc, f->d, NULL);

	if (e)
		return e;
	rate = codec_enc_srate(enc);
	n = codec_ms_samples(rate, ptime);
	pcm = calloc(n, sizeof(*pcm));
	for (f->nout = 0; !e && pcm && f->nout < ms / ptime; f->nout++) {
		struct pkt *p = &f->out[f->nout];

		tone_sine(pcm, n, rate, 1000, SU_AMP, &ph);
		p->pt = f->pt;
		p->ts = (uint32_t)(f->nout * f->d->clock * ptime / 1000);
		e = codec_encode(enc, pcm, n, p->data, PKT_MAX, &p->len);
	}
	if (!pcm)
		e = ENOMEM;
	free(pcm);
	obj_deref(enc);
	return e;
}

static uint32_t rng(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* Send packet k when its @p ptime ms are complete plus 0..@p jitter ms;
 * move the fake clock in 10 ms steps until @p ms. */
static void far_play(struct far *f, struct loop *l, unsigned ptime,
		     unsigned jitter, unsigned ms)
{
	uint64_t due[FAR_MAX];
	bool sent[FAR_MAX] = {false};
	uint32_t seed = 4242;

	for (size_t k = 0; k < f->nout; k++)
		due[k] =
		    (k + 1) * ptime + (jitter ? rng(&seed) % (jitter + 1) : 0);
	for (unsigned t = 0; t < ms; t += 10) {
		for (size_t k = 0; k < f->nout; k++) {
			struct pkt *p = &f->out[k];

			if (sent[k] || due[k] > t)
				continue;
			sent[k] = true;
			rtp_send(f->rs, p->pt, k == 0, p->ts, p->data, p->len);
		}
		loop_advance(l, 10);
		loop_poll(l, 0);
	}
}

/* The far end sends @p ptime ms packets (with 5 % loss and 0..40 ms of
 * jitter when @p rough); our 20 ms stream records the tone. */
static void rx_case(const char *codec, unsigned ptime, bool rough)
{
	struct loop *l = NULL;
	struct stream *b = NULL;
	struct stream_params pb;
	struct stream_stats sb;
	struct far f;
	struct wav_pcm *w;
	double amp, fq;

	REQUIRE(!su_tone_wav("1k.wav", 1000, 1)); /* makes the temp dir */
	REQUIRE(!loop_alloc(&l));
	loop_clock_fake(l, 1000);
	REQUIRE(!far_open(&f, l, codec));
	REQUIRE(!far_encode(&f, ptime, RX_MS));
	REQUIRE(!su_stream(&b, l, NULL, su_path("b.wav"), NULL, NULL));
	su_params(&pb, codec, far_port(&f));
	REQUIRE(!stream_start(b, &pb));
	REQUIRE(!far_peer(&f, stream_port(b)));
	if (rough)
		rtp_session_set_tx_loss(f.rs, 50, 7);
	/* until the last packet is sent; B still plays what it holds */
	far_play(&f, l, ptime, rough ? 40 : 0, RX_MS + (rough ? 50 : 10));
	stream_stats(b, &sb);
	su_pump(l, 100);
	stream_close(b);
	far_close(&f);
	obj_deref(l);
	w = su_load("b.wav");
	REQUIRE(w);
	REQUIRE(su_ms(w) >= RX_MS);
	/* after the start-up, 800 ms */
	amp = su_amp(w, 1000, 700, 1500);
	fq = tone_detect_freq(w->s + 700 * 16, 800 * 16, SU_RATE);
	printf("  %s %u ms%s: rx %llu pkts, %.1f Hz, amplitude %.0f (sent "
	       "%d), concealed %llu, delay %u ms\n",
	       codec, ptime, rough ? " +loss +jitter" : "",
	       (unsigned long long)sb.rx_packets, fq, amp, SU_AMP,
	       (unsigned long long)sb.concealed, sb.jb_delay_ms);
	if (rough)
		CHECK(sb.rx_packets * 100 >= RX_MS / ptime * 85);
	else
		CHECK_EQ_INT(sb.rx_packets, RX_MS / ptime);
	CHECK(fq > 990 && fq < 1010);
	CHECK(amp > SU_AMP * (rough ? 0.6 : 0.7) && amp < SU_AMP * 1.3);
	if (!rough)
		CHECK_EQ_INT(sb.concealed, 0);
	obj_deref(w);
}

static void test_rx_g711_10_30_40_60_ms(void)
{
	static const unsigned pt[] = {10, 30, 40, 60};

	for (size_t i = 0; i < 4; i++) {
		rx_case("PCMU", pt[i], false);
		rx_case("PCMA", pt[i], true);
	}
}

static void test_rx_g722_10_30_40_60_ms(void)
{
	static const unsigned pt[] = {10, 30, 40, 60};

	for (size_t i = 0; i < 4; i++) {
		rx_case("G722", pt[i], false);
		rx_case("G722", pt[i], true);
	}
}

/* Opus: one frame of 10, 40, 60 ms; 30 ms (3 x 10) and 120 ms (6 x 20)
 * are several frames in one packet */
static void test_rx_opus_10_to_120_ms(void)
{
	static const unsigned pt[] = {10, 30, 40, 60, 120};

	for (size_t i = 0; i < 5; i++) {
		rx_case("opus", pt[i], false);
		rx_case("opus", pt[i], true);
	}
}

/* Our stream sends to the far end with @p ptime / @p maxptime from its
 * SDP; packets on the wire must hold @p want ms each, RTP time advancing
 * by as much, and decode to the tone. */
static void tx_case(const char *codec, unsigned ptime, unsigned maxptime,
		    unsigned want)
{
	struct loop *l = NULL;
	struct stream *a = NULL;
	struct stream_params pa;
	struct stream_stats sa;
	struct codec_dec *dec = NULL;
	struct far f;
	uint32_t ticks, step;
	size_t bad_len = 0, bad_step = 0, nout = 0, naudio = 0, n;
	int16_t *pcm;

	REQUIRE(!su_tone_wav("1k.wav", 1000, 2));
	REQUIRE(!loop_alloc(&l));
	loop_clock_fake(l, 1000);
	REQUIRE(!far_open(&f, l, codec));
	REQUIRE(!su_stream(&a, l, su_path("1k.wav"), NULL, NULL, NULL));
	su_params(&pa, codec, far_port(&f));
	pa.ptime = ptime;
	pa.maxptime = maxptime;
	REQUIRE(!stream_start(a, &pa));
	REQUIRE(!far_peer(&f, stream_port(a)));
	su_pump(l, 1200);
	stream_stats(a, &sa);
	stream_close(a);
	CHECK_EQ_INT(sa.tx_ptime, want);
	step = f.d->clock * want / 1000;
	REQUIRE(!codec_dec_alloc(&dec, f.d, NULL));
	pcm = calloc(CAP_MAX * 5760, sizeof(*pcm));
	REQUIRE(pcm);
	for (size_t i = 0; i < f.ncap; i++) {
		const struct pkt *p = &f.cap[i];

		if (p->pt != f.pt)
			continue;
		naudio++;
		if (codec_payload_ticks(f.d, p->data, p->len, &ticks) ||
		    ticks != step)
			bad_len++;
		if (naudio > 1 && p->ts - f.cap[i - 1].ts != step)
			bad_step++;
		if (!codec_decode(dec, p->data, p->len, pcm + nout, 5760, &n))
			nout += n;
	}
	printf("  %s ptime=%u maxptime=%u: %zu packets of %u ms, first %zu "
	       "bytes\n",
	       codec, ptime, maxptime, naudio, sa.tx_ptime,
	       f.ncap ? f.cap[0].len : 0);
	/* 1.2 s less the first tick: one packet per ptime */
	CHECK(naudio + 2 >= 1180 / want && naudio <= 1200 / want);
	CHECK_EQ_INT(bad_len, 0);
	CHECK_EQ_INT(bad_step, 0);
	if (!strcmp(codec, "PCMU") || !strcmp(codec, "PCMA"))
		CHECK_EQ_INT(f.cap[0].len, 8 * want);
	/* what went out is the tone */
	n = codec_ms_samples(codec_dec_srate(dec), 500);
	REQUIRE(nout > 2 * n);
	CHECK(tone_goertzel(pcm + n, n, codec_dec_srate(dec), 1000) >
	      SU_AMP * 0.7);
	free(pcm);
	obj_deref(dec);
	far_close(&f);
	obj_deref(l);
}

static void test_tx_honours_ptime_each_codec(void)
{
	static const char *codecs[] = {"PCMU", "PCMA", "G722", "opus"};
	static const unsigned pt[] = {10, 30, 40, 60};

	for (size_t c = 0; c < 4; c++)
		for (size_t i = 0; i < 4; i++)
			tx_case(codecs[c], pt[i], 0, pt[i]);
}

static void test_tx_maxptime_and_absurd_values(void)
{
	tx_case("PCMU", 0, 0, 20);
	tx_case("PCMU", 7, 0, 20);
	tx_case("PCMA", 1000, 0, 20);
	tx_case("G722", 60, 40, 40);
	tx_case("opus", 0, 10, 10);
	tx_case("PCMU", 40, 5, 40);
}

static void test_tx_ptime_rule(void)
{
	static const struct {
		unsigned ptime, maxptime, want;
	} t[] = {
	    {0, 0, 20},	    {10, 0, 10},  {20, 0, 20}, {30, 0, 30},
	    {40, 0, 40},    {50, 0, 50},  {60, 0, 60}, {0, 0, 20},
	    {7, 0, 20},	    {25, 0, 20},  {70, 0, 20}, {1000, 0, 20},
	    {60, 40, 40},   {40, 35, 30}, {30, 9, 30}, {0, 10, 10},
	    {20, 1000, 20}, {60, 60, 60}, {0, 15, 10}, {30, 30, 30},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		unsigned got = codec_tx_ptime(t[i].ptime, t[i].maxptime);

		if (got != t[i].want)
			printf("  ptime %u maxptime %u: %u, want %u\n",
			       t[i].ptime, t[i].maxptime, got, t[i].want);
		CHECK_EQ_INT(got, t[i].want);
	}
}

/* Both ends ours: A sends 30/40/60 ms packets, B plays 20 ms frames; a
 * re-INVITE changing the ptime mid-call keeps the tone flowing. */
static void test_ours_to_ours_and_change(void)
{
	static const struct {
		const char *codec;
		unsigned ptime, then;
	} t[] = {{"PCMA", 30, 60}, {"G722", 60, 10}, {"opus", 40, 20}};

	REQUIRE(!su_tone_wav("1k.wav", 1000, 2));
	for (size_t i = 0; i < 3; i++) {
		struct loop *l = NULL;
		struct stream *a = NULL, *b = NULL;
		struct stream_params pa, pb;
		struct stream_stats sa, sb;
		struct wav_pcm *w;

		REQUIRE(!loop_alloc(&l));
		loop_clock_fake(l, 1000);
		REQUIRE(!su_stream(&a, l, su_path("1k.wav"), NULL, NULL, NULL));
		REQUIRE(!su_stream(&b, l, NULL, su_path("b.wav"), NULL, NULL));
		su_params(&pa, t[i].codec, stream_port(b));
		su_params(&pb, t[i].codec, stream_port(a));
		pa.ptime = t[i].ptime;
		REQUIRE(!stream_start(a, &pa));
		REQUIRE(!stream_start(b, &pb));
		su_pump(l, 1000);
		stream_stats(a, &sa);
		CHECK_EQ_INT(sa.tx_ptime, t[i].ptime);
		pa.ptime = t[i].then;
		REQUIRE(!stream_start(a, &pa));
		su_pump(l, 1000);
		stream_stats(a, &sa);
		stream_stats(b, &sb);
		stream_close(a);
		stream_close(b);
		obj_deref(l);
		CHECK_EQ_INT(sa.tx_ptime, t[i].then);
		w = su_load("b.wav");
		REQUIRE(w);
		printf("  %s %u then %u ms: %.0f / %.0f, concealed %llu\n",
		       t[i].codec, t[i].ptime, t[i].then,
		       su_amp(w, 1000, 400, 950), su_amp(w, 1000, 1400, 1950),
		       (unsigned long long)sb.concealed);
		CHECK(su_amp(w, 1000, 400, 950) > SU_AMP * 0.7);
		CHECK(su_amp(w, 1000, 1400, 1950) > SU_AMP * 0.7);
		obj_deref(w);
	}
}

struct heard {
	char d[32];
	size_t n;
};

static void on_dtmf(char digit, void *arg)
{
	struct heard *h = arg;

	if (h->n + 1 < sizeof(h->d))
		h->d[h->n++] = digit;
}

/* DTMF from a stream sending @p ptime ms packets, as RFC 4733 events
 * (@p te) or in-band tones: each digit heard once, in order, and the
 * audio goes on after them. */
static void dtmf_case(const char *codec, unsigned ptime, int te)
{
	static const struct stream_handlers hh = {on_dtmf, NULL};
	static const char digits[] = "1590#";
	struct heard hb = {0};
	struct stream *a = NULL, *b = NULL;
	struct stream_params pa, pb;
	struct loop *l = NULL;
	struct wav_pcm *w;
	double amp;

	REQUIRE(!su_tone_wav("1k.wav", 1000, 4));
	REQUIRE(!loop_alloc(&l));
	loop_clock_fake(l, 1000);
	REQUIRE(!su_stream(&a, l, su_path("1k.wav"), NULL, NULL, NULL));
	REQUIRE(!su_stream(&b, l, NULL, su_path("b.wav"), &hh, &hb));
	su_params(&pa, codec, stream_port(b));
	su_params(&pb, codec, stream_port(a));
	pa.te_pt = pb.te_pt = te;
	pa.ptime = ptime;
	REQUIRE(!stream_start(a, &pa));
	REQUIRE(!stream_start(b, &pb));
	su_pump(l, 300);
	for (const char *p = digits; *p; p++)
		CHECK_EQ_INT(stream_dtmf(a, *p), 0);
	for (int i = 0; i < 300 && hb.n < 5; i++)
		su_pump(l, 20);
	su_pump(l, 1000);
	stream_close(a);
	stream_close(b);
	obj_deref(l);
	w = su_load("b.wav");
	REQUIRE(w);
	amp = su_amp(w, 1000, su_ms(w) - 600, su_ms(w) - 100);
	printf("  %s %u ms, %s: heard \"%s\", then tone %.0f\n", codec, ptime,
	       te >= 0 ? "RFC 4733" : "in-band", hb.d, amp);
	CHECK_EQ_STR(hb.d, digits);
	CHECK(amp > SU_AMP * 0.7);
	obj_deref(w);
}

static void test_dtmf_with_long_packets(void)
{
	dtmf_case("PCMU", 40, 101);
	dtmf_case("opus", 30, 101);
	dtmf_case("PCMA", 60, -1);
	dtmf_case("G722", 10, -1);
}

int main(void)
{
	harness_watchdog(120);
	RUN(test_tx_ptime_rule);
	RUN(test_rx_g711_10_30_40_60_ms);
	RUN(test_rx_g722_10_30_40_60_ms);
	RUN(test_rx_opus_10_to_120_ms);
	RUN(test_tx_honours_ptime_each_codec);
	RUN(test_tx_maxptime_and_absurd_values);
	RUN(test_ours_to_ours_and_change);
	RUN(test_dtmf_with_long_packets);
	return harness_done();
}
