/* test_media_loopback.c: a tone through each codec over real RTP sockets on
 * loopback, plain and SRTP, with 5 % loss (dropped by the sender) and 40 ms
 * of jitter (arrival times chosen for the jitter buffer), arrives with the
 * right frequency and level. */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>

#include "audio/codec.h"
#include "audio/jbuf.h"
#include "audio/rtp/rtp.h"
#include "audio/srtp/srtp.h"
#include "audio/srtp/srtp_sdes.h"
#include "audio/tone.h"
#include "base/base.h"
#include "harness.h"

enum { NFRAMES = 150, MAXF = 960 };

struct rx_pkt {
	uint16_t seq;
	uint32_t ts;
	size_t len;
	uint8_t data[400];
};

struct rx {
	struct rx_pkt pkt[NFRAMES];
	size_t n;
};

static void on_rtp(const struct rtp_hdr *h, void *arg)
{
	struct rx *rx = arg;
	if (rx->n >= NFRAMES || h->payload_len > sizeof(rx->pkt[0].data))
		return;
	struct rx_pkt *p = &rx->pkt[rx->n++];
	p->seq = h->seq;
	p->ts = h->ts;
	p->len = h->payload_len;
	memcpy(p->data, h->payload, h->payload_len);
}

static uint32_t rng(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* Two sessions on one loop, each sending to the other. */
static int open_pair(struct loop *l, struct rtp_session **a,
		     struct rtp_session **b, struct rx *rx, bool srtp)
{
	static const struct rtp_handlers none = {NULL, NULL};
	struct rtp_handlers h = {on_rtp, NULL};
	struct rtp_opts o;
	struct sockaddr_storage sa, sb;
	rtp_opts_default(&o);
	o.laddr = "127.0.0.1";
	int err = rtp_session_alloc(a, l, &o, &none, NULL);
	if (!err)
		err = rtp_session_alloc(b, l, &o, &h, rx);
	if (!err)
		err = rtp_session_local(*a, false, &sa);
	if (!err)
		err = rtp_session_local(*b, false, &sb);
	if (!err)
		err = rtp_session_set_peer(*a, (struct sockaddr *)&sb, NULL);
	if (!err)
		err = rtp_session_set_peer(*b, (struct sockaddr *)&sa, NULL);
	if (err || !srtp)
		return err;
	enum srtpx_suite s = SRTPX_AES_CM_128_HMAC_SHA1_80;
	uint8_t k1[SRTPX_MAX_KEY + SRTPX_MAX_SALT];
	uint8_t k2[SRTPX_MAX_KEY + SRTPX_MAX_SALT];
	size_t kl = srtpx_keysalt_len(s);
	err = srtpx_key_generate(s, k1, sizeof(k1));
	if (!err)
		err = srtpx_key_generate(s, k2, sizeof(k2));
	if (!err)
		err = rtp_session_set_srtp(*a, s, k1, kl, k2, kl);
	if (!err)
		err = rtp_session_set_srtp(*b, s, k2, kl, k1, kl);
	return err;
}

/* Encode and send NFRAMES of a 1 kHz tone; run the loop until delivered. */
static int send_tone(struct loop *l, struct rtp_session *a, struct rx *rx,
		     const struct codec_desc *d, struct codec_enc *enc)
{
	uint32_t srate = codec_enc_srate(enc);
	size_t fs = codec_frame_samples(srate);
	uint32_t step = d->clock * CODEC_PTIME_MS / 1000;
	double ph = 0;
	for (size_t i = 0; i < NFRAMES; i++) {
		int16_t pcm[MAXF];
		uint8_t out[1500];
		size_t len;
		tone_sine(pcm, fs, srate, 1000, 8000, &ph);
		int err = codec_encode(enc, pcm, fs, out, sizeof(out), &len);
		if (!err)
			err = rtp_send(a, (uint8_t)(d->pt >= 0 ? d->pt : 96),
				       i == 0, (uint32_t)(i * step), out, len);
		if (err)
			return err;
		/* drain as we go so the socket buffer never overflows */
		loop_poll(l, 0);
	}
	for (int idle = 0; idle < 20 && rx->n < NFRAMES; idle++) {
		size_t before = rx->n;
		loop_poll(l, 20);
		if (rx->n != before)
			idle = 0;
	}
	return 0;
}

/* Play what arrived through a jitter buffer with 0..40 ms of jitter. */
static int play(struct rx *rx, const struct codec_desc *d,
		struct codec_dec *dec, int16_t *out, size_t *nout)
{
	struct jb_opts jo;
	struct jbuf *jb = NULL;
	uint64_t arr[NFRAMES];
	bool done[NFRAMES] = {0}, started = false;
	uint32_t seed = 4242;
	size_t fs = codec_frame_samples(codec_dec_srate(dec));
	jb_opts_default(&jo);
	jo.clock = d->clock;
	int err = jb_alloc(&jb, &jo);
	if (err)
		return err;
	uint32_t step = d->clock * CODEC_PTIME_MS / 1000;
	for (size_t i = 0; i < rx->n; i++) {
		uint32_t idx = (rx->pkt[i].ts - rx->pkt[0].ts) / step;
		arr[i] = (uint64_t)idx * 20 + rng(&seed) % 41;
	}
	*nout = 0;
	for (size_t t = 0; t < NFRAMES; t++) {
		uint64_t now = t * 20 + 10;
		for (size_t i = 0; i < rx->n; i++) {
			if (done[i] || arr[i] > now)
				continue;
			done[i] = true;
			jb_put(jb, rx->pkt[i].seq, rx->pkt[i].ts,
			       rx->pkt[i].data, rx->pkt[i].len, arr[i]);
		}
		uint8_t pl[1500];
		size_t len, n = 0;
		int16_t *dst = out + *nout;
		int e = jb_get(jb, pl, sizeof(pl), &len, NULL);
		if (e == EAGAIN && !started)
			continue;
		started = true;
		if (e == 0)
			e = codec_decode(dec, pl, len, dst, fs, &n);
		else
			e = codec_conceal(dec, dst, fs);
		if (e)
			break;
		*nout += fs;
	}
	obj_deref(jb);
	return err;
}

static void run_case(const char *name, bool srtp, bool loss)
{
	const struct codec_desc *d = codec_find(name, 0);
	struct loop *l = NULL;
	struct rtp_session *a = NULL, *b = NULL;
	struct codec_enc *enc = NULL;
	struct codec_dec *dec = NULL;
	struct rx *rx = calloc(1, sizeof(*rx));
	int16_t *out = calloc((size_t)NFRAMES * MAXF, sizeof(int16_t));
	size_t nout = 0;
	REQUIRE(d && rx && out);
	REQUIRE(!loop_alloc(&l));
	REQUIRE(!open_pair(l, &a, &b, rx, srtp));
	if (loss)
		rtp_session_set_tx_loss(a, 50, 7);
	REQUIRE(!codec_enc_alloc(&enc, d, NULL));
	REQUIRE(!codec_dec_alloc(&dec, d, NULL));
	CHECK(!send_tone(l, a, rx, d, enc));
	struct rtp_stats st;
	rtp_session_stats(b, &st);
	/* every sent packet that was not dropped arrived and authenticated */
	CHECK_EQ_INT(st.rx_auth_fail, 0);
	if (loss)
		CHECK(rx->n >= NFRAMES * 85 / 100 && rx->n < NFRAMES);
	else
		CHECK_EQ_INT(rx->n, NFRAMES);
	CHECK(!play(rx, d, dec, out, &nout));
	uint32_t sr = codec_dec_srate(dec);
	size_t fs = codec_frame_samples(sr);
	CHECK(nout > 60 * fs);
	if (nout > 60 * fs) {
		/* skip the start-up frames; analyse one second of playout */
		const int16_t *w = out + 10 * fs;
		size_t wn = 50 * fs;
		double f = tone_detect_freq(w, wn, sr);
		double amp = tone_goertzel(w, wn, sr, 1000);
		printf("  %s srtp=%d loss=%d: rx %zu/%d, %.1f Hz, amplitude %.0f\n",
		       name, srtp, loss, rx->n, NFRAMES, f, amp);
		CHECK(f > 990 && f < 1010);
		CHECK(amp > 8000 * 0.6 && amp < 8000 * 1.3);
	}
	dec = obj_deref(dec);
	enc = obj_deref(enc);
	rtp_session_close(a);
	rtp_session_close(b);
	obj_deref(l);
	free(rx);
	free(out);
}

static void test_tone_pcmu(void)
{
	run_case("PCMU", false, false);
	run_case("PCMU", true, false);
	run_case("PCMU", true, true);
}

static void test_tone_pcma(void)
{
	run_case("PCMA", false, true);
	run_case("PCMA", true, true);
}

static void test_tone_g722(void)
{
	run_case("G722", false, false);
	run_case("G722", true, true);
}

static void test_tone_opus(void)
{
	run_case("opus", false, false);
	run_case("opus", true, true);
}

int main(void)
{
	harness_watchdog(60);
	RUN(test_tone_pcmu);
	RUN(test_tone_pcma);
	RUN(test_tone_g722);
	RUN(test_tone_opus);
	return harness_done();
}
