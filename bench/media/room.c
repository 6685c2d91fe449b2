/* room.c: bench/media part: 5-party Opus rooms, whole ticks.
 *
 * 1. Encoder complexity against quality: a speech-like signal (voiced
 *    harmonics of a gliding pitch through three formants, syllable envelope,
 *    noise bursts for fricatives) encoded at 48 kHz, 32 kbit/s, FEC on,
 *    at each complexity; quality = segmental SNR of the decoded signal
 *    after the codec delay (a crude waveform measure, only for comparing
 *    complexities with each other), cost = CPU per 20 ms frame.
 * 2. One room tick as the conference bridge runs it: decode the 5 legs'
 *    packets, mix_put x5, mix_tick, then encode each distinct outgoing mix
 *    once and send that packet to every participant hearing that mix (all
 *    silent participants hear the same N-1 mix: the sum of the talkers).
 *    Participants are grouped by comparing their mix_out() frames, so the
 *    sharing is measured, not assumed. Run with every leg encoding its own
 *    mix (no sharing) and with sharing, with 5 and with 1 talker.
 * Sharing one encoder among listeners changes the encoder state a listener
 * hears from when it moves between groups (it starts or stops talking);
 * Opus decoders take that like a packet from a fresh encoder: no error, at
 * worst a short transition.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "audio/codec.h"
#include "audio/mix.h"
#include "base/mem.h"
#include "media_bench.h"

enum {
	RATE = 48000,
	FS = 960, /* 20 ms at 48 kHz */
	SIG_FRAMES = 250,
	PARTS = 5,
	TICKS = 1000,
	MAXPKT = 1500,
};

/* Complexity picked for conference legs (see the figures printed). */
static const int room_complexity = 1;

static int16_t sig[SIG_FRAMES * FS];

static void speech_fill(void)
{
	uint32_t seed = 12345;
	double phase = 0;
	for (size_t i = 0; i < SIG_FRAMES * FS; i++) {
		double t = (double)i / RATE;
		double f0 = 140 + 40 * sin(2 * M_PI * 0.7 * t);
		phase += 2 * M_PI * f0 / RATE;
		double env = pow(fabs(sin(2 * M_PI * 2.2 * t)), 0.6);
		double v = 0;
		for (int h = 1; h * f0 < 7000; h++) {
			double f = h * f0;
			/* formants near 600, 1200, 2600 Hz */
			double g = exp(-pow((f - 600) / 150, 2)) +
				   0.6 * exp(-pow((f - 1200) / 200, 2)) +
				   0.3 * exp(-pow((f - 2600) / 300, 2)) + 0.02;
			v += g * sin(h * phase) / h;
		}
		seed = seed * 1103515245u + 12345u;
		double noise = ((double)(seed >> 16) / 32768.0 - 1.0);
		bool fric = fmod(t, 0.9) > 0.75;
		double x = fric ? 2500 * noise : 9000 * env * v + 60 * noise;
		sig[i] = (int16_t)fmax(-32768, fmin(32767, x));
	}
}

static int opus_pair(int complexity, struct codec_enc **enc,
		     struct codec_dec **dec)
{
	const struct codec_desc *d = codec_find("opus", 0);
	struct codec_opts o;
	codec_opts_default(&o);
	o.srate = RATE;
	o.complexity = complexity;
	int err = codec_enc_alloc(enc, d, &o);
	if (!err && dec)
		err = codec_dec_alloc(dec, d, &o);
	return err;
}

/* Segmental SNR (dB) of @p out against sig delayed by @p delay. */
static double seg_snr(const int16_t *out, size_t n, size_t delay)
{
	double sum = 0;
	int segs = 0;
	for (size_t f = 5; (f + 1) * FS + delay <= n; f++) {
		double e = 0, s = 0;
		for (size_t i = f * FS; i < (f + 1) * FS; i++) {
			double a = sig[i], b = out[i + delay];
			s += a * a;
			e += (a - b) * (a - b);
		}
		if (s < 1e6 * FS / 1000) /* skip near-silent frames */
			continue;
		double snr = 10 * log10(s / (e + 1));
		sum += fmax(-10, fmin(35, snr));
		segs++;
	}
	return segs ? sum / segs : 0;
}

/* Delay (samples) that best aligns @p out with sig. */
static size_t best_delay(const int16_t *out, size_t n)
{
	size_t best = 0;
	double bestc = -1e300;
	for (size_t d = 0; d < 1500; d += 1) {
		double c = 0;
		for (size_t i = 10 * FS; i < 30 * FS && i + d < n; i++)
			c += (double)sig[i] * out[i + d];
		if (c > bestc) {
			bestc = c;
			best = d;
		}
	}
	return best;
}

static int complexity_point(int cx, double *enc_ns, double *snr)
{
	static int16_t out[SIG_FRAMES * FS];
	static uint8_t pkt[SIG_FRAMES][MAXPKT];
	static size_t len[SIG_FRAMES];
	struct codec_enc *enc = NULL;
	struct codec_dec *dec = NULL;
	size_t n;
	int err = opus_pair(cx, &enc, &dec);
	uint64_t t0 = bench_cpu_ns();
	for (int f = 0; f < SIG_FRAMES && !err; f++)
		err = codec_encode(enc, sig + f * FS, FS, pkt[f], MAXPKT,
				   &len[f]);
	*enc_ns = (double)(bench_cpu_ns() - t0) / SIG_FRAMES;
	for (int f = 0; f < SIG_FRAMES && !err; f++)
		err = codec_decode(dec, pkt[f], len[f], out + f * FS, FS, &n);
	if (!err)
		*snr = seg_snr(out, SIG_FRAMES * FS,
			       best_delay(out, SIG_FRAMES * FS));
	obj_deref(enc);
	obj_deref(dec);
	return err;
}

struct room {
	struct mix *m;
	struct mix_part *p[PARTS];
	struct codec_enc *enc[PARTS];
	struct codec_dec *dec[PARTS];
	uint8_t (*in)[MAXPKT]; /**< talker packets, SIG_FRAMES */
	size_t *in_len;
	uint8_t silence[MAXPKT]; /**< a silent leg's packet      */
	size_t silence_len;
	uint64_t encodes, ticks;
};

static void room_free(struct room *r)
{
	for (int i = 0; i < PARTS; i++) {
		obj_deref(r->p[i]);
		obj_deref(r->enc[i]);
		obj_deref(r->dec[i]);
	}
	obj_deref(r->m);
}

static int room_open(struct room *r, int cx)
{
	int err = mix_alloc(&r->m, NULL);
	for (int i = 0; i < PARTS && !err; i++) {
		err = mix_add(&r->p[i], r->m, RATE);
		if (!err)
			err = opus_pair(cx, &r->enc[i], &r->dec[i]);
	}
	return err;
}

/* One tick: @p talkers legs talk; @p share encodes each distinct mix once. */
static int room_tick(struct room *r, int tick, int talkers, bool share)
{
	int16_t pcm[FS];
	uint8_t pkt[MAXPKT];
	size_t n, len;
	int err = 0;
	for (int i = 0; i < PARTS && !err; i++) {
		bool talk = i < talkers;
		int f = (tick + 37 * i) % SIG_FRAMES;
		err = talk ? codec_decode(r->dec[i], r->in[f], r->in_len[f],
					  pcm, FS, &n)
			   : codec_decode(r->dec[i], r->silence, r->silence_len,
					  pcm, FS, &n);
		if (!err)
			err = mix_put(r->p[i], pcm, false);
	}
	mix_tick(r->m);
	int group[PARTS]; /* leg whose encoded packet leg i is sent */
	for (int i = 0; i < PARTS && !err; i++) {
		group[i] = i;
		for (int j = 0; share && j < i; j++) {
			if (group[j] == j &&
			    !memcmp(mix_out(r->p[i]), mix_out(r->p[j]),
				    FS * sizeof(int16_t))) {
				group[i] = j;
				break;
			}
		}
		if (group[i] != i)
			continue; /* the same packet as leg group[i] gets */
		err = codec_encode(r->enc[i], mix_out(r->p[i]), FS, pkt,
				   sizeof(pkt), &len);
		r->encodes++;
	}
	r->ticks++;
	return err;
}

static int room_cost(struct room *r, int talkers, bool share, double *ns,
		     double *enc_per_tick)
{
	int err = 0;
	r->encodes = r->ticks = 0;
	for (int t = 0; t < 50 && !err; t++)
		err = room_tick(r, t, talkers, share);
	r->encodes = r->ticks = 0;
	int ticks = bench_quick() ? 50 : TICKS;
	uint64_t t0 = bench_cpu_ns();
	for (int t = 0; t < ticks && !err; t++)
		err = room_tick(r, t, talkers, share);
	*ns = (double)(bench_cpu_ns() - t0) / ticks;
	*enc_per_tick = (double)r->encodes / (double)r->ticks;
	return err;
}

static int talker_packets(struct room *r, int cx)
{
	static uint8_t in[SIG_FRAMES][MAXPKT];
	static size_t in_len[SIG_FRAMES];
	static const int16_t zero[FS];
	struct codec_enc *enc = NULL;
	int err = opus_pair(cx, &enc, NULL);
	for (int f = 0; f < SIG_FRAMES && !err; f++)
		err = codec_encode(enc, sig + f * FS, FS, in[f], MAXPKT,
				   &in_len[f]);
	for (int f = 0; f < 10 && !err; f++) /* settle on silence */
		err = codec_encode(enc, zero, FS, r->silence, MAXPKT,
				   &r->silence_len);
	obj_deref(enc);
	r->in = in;
	r->in_len = in_len;
	return err;
}

static void rooms_print(const char *name, double ns, double encodes)
{
	printf("%s=%.0f rooms/core target=25 ratio=%.2f (tick %.0f ns, "
	       "%.1f encodes/tick)\n",
	       name, 20e6 / ns, 20e6 / ns / 25, ns, encodes);
}

static int room_scenarios(int cx, const char *tag, struct media_bench *mb)
{
	struct room r = {0};
	double ns, enc;
	char name[96];
	int err = room_open(&r, cx);
	if (!err)
		err = talker_packets(&r, 10);
	const struct {
		int talkers;
		bool share;
		const char *what;
	} sc[] = {{5, false, "all5talk"},
		  {1, false, "1talk"},
		  {1, true, "1talk_shared"},
		  {2, true, "2talk_shared"}};
	for (size_t i = 0; i < sizeof(sc) / sizeof(sc[0]) && !err; i++) {
		err = room_cost(&r, sc[i].talkers, sc[i].share, &ns, &enc);
		if (err)
			break;
		snprintf(name, sizeof(name), "opus_rooms_%s_%s", tag,
			 sc[i].what);
		rooms_print(name, ns, enc);
		if (cx == room_complexity && sc[i].share && sc[i].talkers == 1)
			mb->opus_room_1talk_ns = ns;
		if (cx == room_complexity && sc[i].talkers == 5)
			mb->opus_room_all_ns = ns;
	}
	room_free(&r);
	return err;
}

void bench_room(struct media_bench *mb)
{
	static const int cxs[] = {0, 1, 2, 3, 5, 8, 10};
	enum { NCX = sizeof(cxs) / sizeof(cxs[0]) };
	const int PASSES = bench_quick() ? 1 : 3;
	double best[NCX], snr[NCX];
	int bad[NCX] = {0};
	speech_fill();
	/* passes interleave the complexities so noise hits them alike; the
	 * least CPU of the passes is kept */
	for (int pass = 0; pass < PASSES; pass++) {
		for (size_t i = 0; i < NCX; i++) {
			double ns = 0;
			bad[i] |= complexity_point(cxs[i], &ns, &snr[i]);
			if (!pass || ns < best[i])
				best[i] = ns;
		}
	}
	for (size_t i = 0; i < NCX; i++) {
		if (bad[i]) {
			printf("opus48_c%d=error\n", cxs[i]);
			continue;
		}
		printf("opus48_c%d_enc_frame=%.0f ns ref=80000 ratio=%.2f "
		       "segsnr=%.2f dB\n",
		       cxs[i], best[i], best[i] / 80000, snr[i]);
	}
	printf("opus_room_complexity=%d (chosen for conference legs; the "
	       "default for calls stays 5)\n",
	       room_complexity);
	if (room_scenarios(5, "c5", mb) ||
	    room_scenarios(room_complexity, "chosen", mb))
		printf("opus_rooms=error\n");
}
