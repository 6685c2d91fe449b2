/* test_audev.c: null and WAV devices through the common device interface
 * (the PortAudio backend is tested in test_audev_pulse.c). */
#include <errno.h>
#include <stdint.h>

#include "audio/dev.h"
#include "audio/wav.h"
#include "audio_util.h"
#include "harness.h"

static char dir[64];

static const char *tpath(const char *name)
{
	static char p[128];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static void test_audev_null_source_silence_sink_discards(void)
{
	struct audev *src, *sink;
	struct audev_opts o;
	int16_t f[160];

	audev_opts_default(&o);
	REQUIRE(audev_alloc(&src, AUDEV_NULL, AUDEV_SOURCE, &o, NULL, NULL,
			    NULL, 0) == 0);
	REQUIRE(audev_alloc(&sink, AUDEV_NULL, AUDEV_SINK, &o, NULL, NULL, NULL,
			    0) == 0);
	CHECK_EQ_INT(audev_start(src), 0);
	CHECK_EQ_INT(audev_start(sink), 0);
	for (int t = 0; t < 5; t++) {
		memset(f, 0x55, sizeof(f));
		CHECK_EQ_INT(audev_read(src, f), 0);
		CHECK_EQ_INT(au_peak(f, 160), 0);
		CHECK_EQ_INT(audev_write(sink, f), 0);
	}
	CHECK_EQ_INT(audev_read(sink, f), EINVAL);
	CHECK_EQ_INT(audev_write(src, f), EINVAL);
	audev_stop(src);
	obj_deref(src);
	obj_deref(sink);
}

struct ends {
	int n;
};

static void on_end(struct audev *d, void *arg)
{
	(void)d;
	((struct ends *)arg)->n++;
}

static void test_audev_wav_source_ends_once(void)
{
	static const struct audev_handlers h = {.end_h = on_end};
	struct ends ends = {0};
	int16_t s[400], f[160];
	struct audev_opts o;
	struct audev *d;

	for (int i = 0; i < 400; i++)
		s[i] = (int16_t)(i + 1);
	REQUIRE(wav_save(tpath("p.wav"), s, 400, 8000, NULL, 0) == 0);
	audev_opts_default(&o);
	o.device = tpath("p.wav");
	REQUIRE(audev_alloc(&d, AUDEV_WAV, AUDEV_SOURCE, &o, &h, &ends, NULL,
			    0) == 0);
	CHECK_EQ_INT(audev_read(d, f), 0);
	CHECK_EQ_INT(f[0], 1);
	CHECK_EQ_INT(audev_read(d, f), 0);
	CHECK_EQ_INT(f[0], 161);
	CHECK_EQ_INT(audev_read(d, f), 0);
	CHECK_EQ_INT(f[0], 321);
	CHECK_EQ_INT(f[79], 400);
	CHECK_EQ_INT(f[80], 0); /* padded with silence */
	CHECK_EQ_INT(ends.n, 0);
	CHECK_EQ_INT(audev_read(d, f), ENODATA);
	CHECK_EQ_INT(ends.n, 1);
	CHECK_EQ_INT(audev_read(d, f), ENODATA);
	CHECK_EQ_INT(ends.n, 1);
	obj_deref(d);
}

static void test_audev_wav_source_loops(void)
{
	static const struct audev_handlers h = {.end_h = on_end};
	struct ends ends = {0};
	int16_t f[160];
	struct audev_opts o;
	struct audev *d;
	int bad = 0;

	audev_opts_default(&o);
	o.device = tpath("p.wav");
	o.loop = true;
	REQUIRE(audev_alloc(&d, AUDEV_WAV, AUDEV_SOURCE, &o, &h, &ends, NULL,
			    0) == 0);
	for (int t = 0; t < 10; t++) {
		CHECK_EQ_INT(audev_read(d, f), 0);
		for (int i = 0; i < 160; i++)
			bad += f[i] != (int16_t)((t * 160 + i) % 400 + 1);
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(ends.n, 0);
	obj_deref(d);
}

static void test_audev_wav_source_resamples_to_16k(void)
{
	int16_t tone[8000], f[320], all[320 * 40];
	struct audev_opts o;
	struct audev *d;

	au_tone(tone, 8000, 1000, 10000, 8000, 0);
	REQUIRE(wav_save(tpath("t.wav"), tone, 8000, 8000, NULL, 0) == 0);
	audev_opts_default(&o);
	o.rate = 16000;
	o.frame = 320;
	o.device = tpath("t.wav");
	REQUIRE(audev_alloc(&d, AUDEV_WAV, AUDEV_SOURCE, &o, NULL, NULL, NULL,
			    0) == 0);
	for (int t = 0; t < 45; t++) {
		REQUIRE(audev_read(d, f) == 0);
		if (t >= 5)
			memcpy(all + (t - 5) * 320, f, sizeof(f));
	}
	double a = au_goertzel(all, 320 * 40, 1000, 16000);
	CHECK(a > 9000 && a < 11000);
	obj_deref(d);
}

static void test_audev_wav_source_bad_file_named(void)
{
	char err[256] = "";
	struct audev_opts o;
	struct audev *d = NULL;
	int16_t st[320] = {0};
	FILE *f;

	/* A stereo file written by hand through the sink would be mono, so
	 * make a non-WAV instead. */
	f = fopen(tpath("bad.wav"), "wb");
	REQUIRE(f);
	fwrite(st, 1, sizeof(st), f);
	fclose(f);
	audev_opts_default(&o);
	o.device = tpath("bad.wav");
	CHECK_EQ_INT(audev_alloc(&d, AUDEV_WAV, AUDEV_SOURCE, &o, NULL, NULL,
				 err, sizeof(err)),
		     EBADMSG);
	CHECK(d == NULL);
	CHECK(strstr(err, "bad.wav: not a WAV file") != NULL);
	o.device = NULL;
	CHECK_EQ_INT(audev_alloc(&d, AUDEV_WAV, AUDEV_SOURCE, &o, NULL, NULL,
				 err, sizeof(err)),
		     EINVAL);
}

static void test_audev_wav_sink_records(void)
{
	struct audev_opts o;
	struct audev *d;
	struct wav_pcm *w;
	int16_t f[160];

	audev_opts_default(&o);
	o.device = tpath("rec.wav");
	REQUIRE(audev_alloc(&d, AUDEV_WAV, AUDEV_SINK, &o, NULL, NULL, NULL,
			    0) == 0);
	for (int t = 0; t < 10; t++) {
		for (int i = 0; i < 160; i++)
			f[i] = (int16_t)(t * 160 + i);
		CHECK_EQ_INT(audev_write(d, f), 0);
	}
	obj_deref(d);
	REQUIRE(wav_load(&w, tpath("rec.wav"), 8000, NULL, 0) == 0);
	CHECK_EQ_INT(w->n, 1600);
	CHECK_EQ_INT(w->s[1599], 1599);
	obj_deref(w);
}

static void test_audev_bad_opts(void)
{
	struct audev_opts o;
	struct audev *d;
	char err[128];

	audev_opts_default(&o);
	o.rate = 44100;
	CHECK_EQ_INT(audev_alloc(&d, AUDEV_NULL, AUDEV_SOURCE, &o, NULL, NULL,
				 err, sizeof(err)),
		     EINVAL);
	CHECK(strstr(err, "44100") != NULL);
	CHECK_EQ_INT(audev_backend_parse("null"), AUDEV_NULL);
	CHECK_EQ_INT(audev_backend_parse("portaudio"), AUDEV_PORTAUDIO);
	CHECK_EQ_INT(audev_backend_parse("oss"), -1);
}

int main(void)
{
	harness_watchdog(60);
	snprintf(dir, sizeof(dir), "/tmp/pbaudev.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	RUN(test_audev_null_source_silence_sink_discards);
	RUN(test_audev_wav_source_ends_once);
	RUN(test_audev_wav_source_loops);
	RUN(test_audev_wav_source_resamples_to_16k);
	RUN(test_audev_wav_source_bad_file_named);
	RUN(test_audev_wav_sink_records);
	RUN(test_audev_bad_opts);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		return 1;
	return harness_done();
}
