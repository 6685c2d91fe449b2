/* test_codec_tone.c: tones through encode -> packets -> jitter buffer ->
 * decode for every codec, clean and with seeded loss and jitter. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>

#include "audio/codec.h"
#include "audio/jbuf.h"
#include "audio/tone.h"
#include "harness.h"

enum { NFRAMES = 150, MAXF = 960 };

struct pipe_res {
	int16_t *out; /**< decoded PCM after playout start */
	size_t n;     /**< samples in out                  */
	uint32_t srate;
	size_t max_hole; /**< longest run of silent frames    */
	unsigned fec;	 /**< frames recovered by Opus FEC    */
	unsigned concealed;
	struct jb_stats st;
};

static uint32_t rng_next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Play the decoded frame or fill it in; returns 0 or an errno. */
static int play_tick(struct jbuf *jb, struct codec_dec *dec, int16_t *pcm,
		     size_t fs, struct pipe_res *r, bool *started)
{
	uint8_t pl[1500];
	const uint8_t *nx;
	size_t len, n = 0, nl;
	int err = jb_get(jb, pl, sizeof(pl), &len, NULL);

	if (err == 0) {
		*started = true;
		err = codec_decode(dec, pl, len, pcm, fs, &n);
		return err ? err : (n == fs ? 0 : EPROTO);
	}
	if (err == EAGAIN && !*started)
		return EAGAIN;
	*started = true;
	if (err == ENOENT && !jb_peek(jb, &nx, &nl) &&
	    codec_decode_fec(dec, nx, nl, pcm, fs) == 0) {
		r->fec++;
		return 0;
	}
	r->concealed++;
	return codec_conceal(dec, pcm, fs);
}

static int run_pipe(const char *name, uint32_t srate, const double *freqs,
		    size_t nf, unsigned loss_pct, unsigned jitter_ms,
		    struct pipe_res *r)
{
	const struct codec_desc *d = codec_find(name, 0);
	struct codec_opts o;
	struct codec_enc *enc = NULL;
	struct codec_dec *dec = NULL;
	struct jbuf *jb = NULL;
	struct jb_opts jo;
	static uint8_t pkt[NFRAMES][1500];
	size_t plen[NFRAMES];
	uint64_t arr[NFRAMES];
	bool lost[NFRAMES], done[NFRAMES] = {0}, started = false;
	double ph[2] = {0, 0};
	uint32_t seed = 12345, step;
	size_t fs, hole = 0;
	int err;

	memset(r, 0, sizeof(*r));
	if (!d)
		return ENOENT;
	codec_opts_default(&o);
	o.srate = srate;
	err = codec_enc_alloc(&enc, d, &o);
	if (!err)
		err = codec_dec_alloc(&dec, d, &o);
	jb_opts_default(&jo);
	jo.clock = d->clock;
	if (!err)
		err = jb_alloc(&jb, &jo);
	if (err)
		goto out;
	r->srate = codec_enc_srate(enc);
	fs = codec_frame_samples(r->srate);
	step = d->clock * CODEC_PTIME_MS / 1000;
	for (size_t i = 0; i < NFRAMES; i++) {
		int16_t pcm[MAXF] = {0}, tmp[MAXF];
		for (size_t k = 0; k < nf; k++) {
			tone_sine(tmp, fs, r->srate, freqs[k], 8000, &ph[k]);
			for (size_t j = 0; j < fs; j++)
				pcm[j] = (int16_t)(pcm[j] + tmp[j]);
		}
		err = codec_encode(enc, pcm, fs, pkt[i], sizeof(pkt[i]),
				   &plen[i]);
		if (err)
			goto out;
		lost[i] = rng_next(&seed) % 100 < loss_pct;
		arr[i] = i * 20 +
			 (jitter_ms ? rng_next(&seed) % (jitter_ms + 1) : 0);
	}
	r->out = calloc((NFRAMES + 40) * fs, sizeof(int16_t));
	if (!r->out) {
		err = ENOMEM;
		goto out;
	}
	for (size_t t = 0; t < NFRAMES + 20; t++) {
		uint64_t now = t * 20 + 10;
		int16_t *dst = r->out + r->n;
		for (size_t i = 0; i < NFRAMES; i++) {
			if (done[i] || lost[i] || arr[i] > now)
				continue;
			done[i] = true;
			jb_put(jb, (uint16_t)(60000 + i),
			       (uint32_t)(4000000000u + i * step), pkt[i],
			       plen[i], arr[i]);
		}
		if (t >= NFRAMES)
			break; /* stop at the end of the talk spurt */
		err = play_tick(jb, dec, dst, fs, r, &started);
		if (err == EAGAIN)
			continue;
		if (err)
			goto out;
		r->n += fs;
		if (tone_rms(dst, fs) < 200) {
			if (++hole > r->max_hole)
				r->max_hole = hole;
		} else {
			hole = 0;
		}
	}
	jb_stats_get(jb, &r->st);
	err = 0;
out:
	obj_deref(enc);
	obj_deref(dec);
	obj_deref(jb);
	return err;
}

/* Check frequency (dominant), level of each tone, and that nothing else
 * is loud, over a 100 ms block in the middle of the call. */
static void check_tones(const struct pipe_res *r, const double *freqs,
			size_t nf, double tol_db)
{
	size_t blk = r->srate / 10, at = r->n / 2;
	const int16_t *p = r->out + at;
	double f;

	REQUIRE(r->n > 100 * (size_t)r->srate / 50);
	f = tone_detect_freq(p, blk, r->srate);
	if (nf == 1)
		CHECK(fabs(f - freqs[0]) < 5);
	else
		CHECK(fabs(f - freqs[0]) < 5 || fabs(f - freqs[1]) < 5);
	for (size_t k = 0; k < nf; k++) {
		double a =
		    tone_goertzel(r->out + r->srate / 5, r->n - r->srate / 5,
				  r->srate, freqs[k]);
		double db = 20 * log10(a / 8000);
		if (fabs(db) > tol_db)
			fprintf(stderr, "  %g Hz level %.2f dB\n", freqs[k],
				db);
		CHECK(fabs(db) < tol_db);
	}
	/* 1500 Hz is in neither test signal */
	CHECK(tone_goertzel(p, blk, r->srate, 1500) < 800);
}

struct tcase {
	const char *name;
	uint32_t srate;
};

static const struct tcase cases[] = {
    {"PCMU", 0}, {"PCMA", 0}, {"G722", 0}, {"opus", 48000}, {"opus", 16000},
};

static void test_clean_tone_each_codec(void)
{
	static const double f1[] = {1000}, f2[] = {697, 1209};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pipe_res r;
		REQUIRE(
		    !run_pipe(cases[i].name, cases[i].srate, f1, 1, 0, 0, &r));
		check_tones(&r, f1, 1, 1.5);
		CHECK_EQ_INT(r.st.lost, 0);
		CHECK_EQ_INT(r.max_hole, 0);
		free(r.out);
		REQUIRE(
		    !run_pipe(cases[i].name, cases[i].srate, f2, 2, 0, 0, &r));
		check_tones(&r, f2, 2, 1.5);
		free(r.out);
	}
}

static void test_loss_and_jitter_each_codec(void)
{
	static const double f1[] = {1000}, f2[] = {440, 1000};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pipe_res r;
		bool opus = !strcmp(cases[i].name, "opus");
		REQUIRE(
		    !run_pipe(cases[i].name, cases[i].srate, f1, 1, 5, 40, &r));
		check_tones(&r, f1, 1, 3);
		CHECK(r.st.lost > 0);
		CHECK(r.max_hole <= 1);
		if (opus)
			CHECK(r.fec > 0);
		printf("  %s/%u: lost=%llu late=%llu fec=%u concealed=%u "
		       "target=%ums\n",
		       cases[i].name, r.srate, (unsigned long long)r.st.lost,
		       (unsigned long long)r.st.late, r.fec, r.concealed,
		       r.st.target_ms);
		free(r.out);
		REQUIRE(
		    !run_pipe(cases[i].name, cases[i].srate, f2, 2, 5, 40, &r));
		check_tones(&r, f2, 2, 3);
		free(r.out);
	}
}

static void test_resample_8k_48k_8k_keeps_tone(void)
{
	struct codec_resamp *up = NULL, *down = NULL;
	int16_t in[8000], mid[48000], back[8000];
	size_t nm = 0, nb = 0;
	double ph = 0;

	tone_sine(in, 8000, 8000, 1000, 8000, &ph);
	REQUIRE(!codec_resamp_alloc(&up, 8000, 48000, 5));
	REQUIRE(!codec_resamp_alloc(&down, 48000, 8000, 5));
	for (size_t i = 0; i < 8000; i += 160) {
		size_t n = sizeof(mid) / 2 - nm;
		CHECK_EQ_INT(codec_resample(up, in + i, 160, mid + nm, &n), 0);
		nm += n;
	}
	CHECK(nm > 47000 && nm <= 48000);
	CHECK(fabs(tone_detect_freq(mid + 4800, 4800, 48000) - 1000) < 3);
	for (size_t i = 0; i + 960 <= nm; i += 960) {
		size_t n = sizeof(back) / 2 - nb;
		CHECK_EQ_INT(codec_resample(down, mid + i, 960, back + nb, &n),
			     0);
		nb += n;
	}
	CHECK(nb > 7600);
	CHECK(fabs(tone_detect_freq(back + 800, 1600, 8000) - 1000) < 3);
	CHECK(fabs(20 * log10(tone_goertzel(back + 800, 4000, 8000, 1000) /
			      8000)) < 1);
	{
		size_t n = 10;
		CHECK_EQ_INT(codec_resample(up, in, 160, mid, &n), ENOMEM);
	}
	obj_deref(up);
	obj_deref(down);
}

int main(void)
{
	harness_watchdog(100);
	RUN(test_clean_tone_each_codec);
	RUN(test_loss_and_jitter_each_codec);
	RUN(test_resample_8k_48k_8k_keeps_tone);
	return harness_done();
}
