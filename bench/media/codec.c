/* codec.c: bench/media codec part: CPU per 20 ms frame for Opus and G.711. */
#include <math.h>
#include <stdio.h>

#include "audio/codec.h"
#include "base/mem.h"
#include "media_bench.h"

enum { BENCH_FRAMES = 2000 };

/* A speech-like test signal: two tones with a slow amplitude wobble and a
 * little noise, so the encoders do real work. */
static void fill(int16_t *pcm, size_t n, uint32_t srate, size_t frame)
{
	uint32_t seed = 1 + (uint32_t)frame;
	for (size_t i = 0; i < n; i++) {
		double t = (double)(frame * n + i) / srate;
		double a = 6000 * (1.2 + sin(2 * M_PI * 3 * t));
		seed = seed * 1103515245u + 12345u;
		pcm[i] = (int16_t)(a * sin(2 * M_PI * 220 * t) +
				   0.4 * a * sin(2 * M_PI * 1400 * t) +
				   (int)(seed >> 24) - 128);
	}
}

struct cost {
	double enc_ns, dec_ns;
	size_t bytes;
};

static int measure(const char *name, uint32_t srate, struct cost *c)
{
	const struct codec_desc *d = codec_find(name, 0);
	struct codec_opts o;
	struct codec_enc *enc = NULL;
	struct codec_dec *dec = NULL;
	static int16_t pcm[BENCH_FRAMES][960];
	static uint8_t pkt[BENCH_FRAMES][1500];
	static size_t len[BENCH_FRAMES];
	int16_t out[960];
	size_t fs, n, total = 0;
	uint64_t t0;
	int err;

	codec_opts_default(&o);
	o.srate = srate;
	err = codec_enc_alloc(&enc, d, &o);
	if (!err)
		err = codec_dec_alloc(&dec, d, &o);
	if (err)
		goto out;
	fs = codec_frame_samples(codec_enc_srate(enc));
	const size_t frames = bench_quick() ? 100 : BENCH_FRAMES;
	for (size_t i = 0; i < frames; i++)
		fill(pcm[i], fs, codec_enc_srate(enc), i);
	t0 = bench_cpu_ns();
	for (size_t i = 0; i < frames && !err; i++)
		err = codec_encode(enc, pcm[i], fs, pkt[i], sizeof(pkt[i]),
				   &len[i]);
	c->enc_ns = (double)(bench_cpu_ns() - t0) / frames;
	t0 = bench_cpu_ns();
	for (size_t i = 0; i < frames && !err; i++) {
		err = codec_decode(dec, pkt[i], len[i], out, 960, &n);
		total += len[i];
	}
	c->dec_ns = (double)(bench_cpu_ns() - t0) / frames;
	c->bytes = total / frames;
out:
	obj_deref(enc);
	obj_deref(dec);
	return err;
}

static void print(const char *what, double ns, double ref)
{
	printf("%s=%.0f ns ref=%.0f ratio=%.2f\n", what, ns, ref, ns / ref);
}

void bench_codec(struct media_bench *mb)
{
	struct cost c;

	/* refs: budget per frame that keeps 25 five-party Opus rooms on one
	 * core (20 ms / (25*5*2) = 80 us), 150 G.711 rooms (~13 us). */
	if (!measure("opus", 48000, &c)) {
		print("opus48_enc_frame", c.enc_ns, 80000);
		print("opus48_dec_frame", c.dec_ns, 80000);
		printf("opus48_payload=%zu bytes\n", c.bytes);
		mb->opus_enc_ns = c.enc_ns;
		mb->opus_dec_ns = c.dec_ns;
	}
	if (!measure("opus", 16000, &c)) {
		print("opus16_enc_frame", c.enc_ns, 80000);
		print("opus16_dec_frame", c.dec_ns, 80000);
	}
	if (!measure("PCMU", 0, &c)) {
		print("g711_enc_frame", c.enc_ns, 13000);
		print("g711_dec_frame", c.dec_ns, 13000);
		mb->g711_enc_ns = c.enc_ns;
		mb->g711_dec_ns = c.dec_ns;
	}
	if (!measure("G722", 0, &c)) {
		print("g722_enc_frame", c.enc_ns, 13000);
		print("g722_dec_frame", c.dec_ns, 13000);
	}
}
