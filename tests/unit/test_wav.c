/* test_wav.c: WAV prompts: round trip, resampling on load, and every kind
 * of broken or unsupported file refused with the reason named. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include <sndfile.h>

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

/* Write a file with libsndfile in any format (for the unsupported ones). */
static void write_fmt(const char *path, int format, int channels, int rate,
		      size_t frames)
{
	SF_INFO fi = {
	    .samplerate = rate, .channels = channels, .format = format};
	SNDFILE *sf = sf_open(path, SFM_WRITE, &fi);
	short buf[256] = {0};

	if (!sf)
		return;
	for (size_t i = 0; i < frames; i += 128)
		sf_writef_short(sf, buf, 128 / channels);
	sf_close(sf);
}

static void write_bytes(const char *path, const void *b, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	if (n)
		fwrite(b, 1, n, f);
	fclose(f);
}

static size_t read_bytes(const char *path, uint8_t *b, size_t max)
{
	FILE *f = fopen(path, "rb");
	size_t n;
	if (!f)
		return 0;
	n = fread(b, 1, max, f);
	fclose(f);
	return n;
}

static void test_wav_roundtrip_8k_exact(void)
{
	int16_t tone[8000];
	struct wav_pcm *w = NULL;
	char err[WAV_ERRLEN] = "";

	au_tone(tone, 8000, 1000, 12000, 8000, 0);
	REQUIRE(wav_save(tpath("t8.wav"), tone, 8000, 8000, err, sizeof(err)) ==
		0);
	REQUIRE(wav_load(&w, tpath("t8.wav"), 8000, err, sizeof(err)) == 0);
	CHECK_EQ_INT(w->n, 8000);
	CHECK_EQ_INT(w->rate, 8000);
	CHECK(!memcmp(w->s, tone, sizeof(tone)));
	CHECK(au_goertzel(w->s, w->n, 1000, 8000) > 11500);
	obj_deref(w);
}

/* A 1 kHz tone stored at @p rate still measures 1 kHz after loading. */
static void check_resampled(uint32_t file_rate, uint32_t want_rate)
{
	size_t n = file_rate; /* one second */
	int16_t *tone = malloc(n * sizeof(int16_t));
	struct wav_pcm *w = NULL;
	char err[WAV_ERRLEN] = "", name[32];

	REQUIRE(tone);
	au_tone(tone, n, 1000, 10000, file_rate, 0);
	snprintf(name, sizeof(name), "r%u.wav", (unsigned)file_rate);
	REQUIRE(wav_save(tpath(name), tone, n, file_rate, err, 256) == 0);
	free(tone);
	REQUIRE(wav_load(&w, tpath(name), want_rate, err, sizeof(err)) == 0);
	CHECK_EQ_INT(w->n, want_rate);
	CHECK_EQ_INT(w->rate, want_rate);
	CHECK_EQ_INT(w->file_rate, file_rate);
	/* Skip the edges; the middle half carries the tone at full level. */
	double a1k = au_goertzel(w->s + w->n / 4, w->n / 2, 1000, want_rate);
	double a700 = au_goertzel(w->s + w->n / 4, w->n / 2, 700, want_rate);
	CHECK(a1k > 9000 && a1k < 11000);
	CHECK(a700 < 100);
	obj_deref(w);
}

static void test_wav_16k_loaded_at_8k_is_1khz(void)
{
	check_resampled(16000, 8000);
}

static void test_wav_48k_loaded_at_8k_is_1khz(void)
{
	check_resampled(48000, 8000);
}

static void test_wav_8k_loaded_at_48k_is_1khz(void)
{
	check_resampled(8000, 48000);
}

struct bad_case {
	const char *file;
	int err;
	const char *reason;
};

static void make_bad_files(void)
{
	uint8_t b[4096];
	int16_t tone[800];
	size_t n;

	write_fmt(tpath("stereo.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 2,
		  8000, 800);
	write_fmt(tpath("u8.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_U8, 1, 8000,
		  800);
	write_fmt(tpath("float.wav"), SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, 8000,
		  800);
	write_fmt(tpath("cd.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 44100,
		  800);
	write_fmt(tpath("ulaw.wav"), SF_FORMAT_WAV | SF_FORMAT_ULAW, 1, 8000,
		  800);
	write_fmt(tpath("empty_data.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1,
		  8000, 0);
	write_fmt(tpath("aiff.wav"), SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 1, 8000,
		  800);
	au_tone(tone, 800, 1000, 8000, 8000, 0);
	wav_save(tpath("good.wav"), tone, 800, 8000, NULL, 0);
	n = read_bytes(tpath("good.wav"), b, sizeof(b));
	write_bytes(tpath("trunc_hdr.wav"), b, 20);
	write_bytes(tpath("short.wav"), b, 8);
	write_bytes(tpath("zero.wav"), b, 0);
	/* huge declared data size: the data chunk header is at byte 36 */
	if (n > 44 && !memcmp(b + 36, "data", 4)) {
		b[40] = 0xf0;
		b[41] = 0xff;
		b[42] = 0xff;
		b[43] = 0x7f;
	}
	write_bytes(tpath("huge.wav"), b, n);
	/* truncated data: same header, half the samples */
	n = read_bytes(tpath("good.wav"), b, sizeof(b));
	write_bytes(tpath("trunc_data.wav"), b, n / 2);
	/* a fmt chunk with garbage inside (libsndfile refuses it) */
	n = read_bytes(tpath("good.wav"), b, sizeof(b));
	memset(b + 20, 0xee, 16);
	write_bytes(tpath("bad_fmt.wav"), b, n);
	n = read_bytes(tpath("good.wav"), b, sizeof(b));
	b[32] = b[33] = 0; /* fmt block align */
	write_bytes(tpath("bad_align.wav"), b, n);
	srand(7);
	for (size_t i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)rand();
	write_bytes(tpath("random.wav"), b, sizeof(b));
}

static void test_wav_bad_files_refused_with_reason(void)
{
	static const struct bad_case cases[] = {
	    {"stereo.wav", ENOTSUP, "2 channels; need mono 16-bit PCM"},
	    {"u8.wav", ENOTSUP, "8-bit PCM; need mono"},
	    {"float.wav", ENOTSUP, "32-bit float; need"},
	    {"cd.wav", ENOTSUP,
	     "44100 Hz; need mono 16-bit PCM WAV "
	     "(8, 16 or 48 kHz)"},
	    {"ulaw.wav", ENOTSUP, "u-law"},
	    {"empty_data.wav", ENODATA, "no audio samples"},
	    {"aiff.wav", EBADMSG, "not a WAV file"},
	    {"trunc_hdr.wav", EBADMSG, "truncated header"},
	    {"short.wav", EBADMSG, "truncated header (8 bytes)"},
	    {"zero.wav", ENODATA, "empty file"},
	    {"huge.wav", EBADMSG, "data chunk declares 2147483632 bytes"},
	    {"trunc_data.wav", EBADMSG, "truncated or corrupt"},
	    {"bad_fmt.wav", ENOTSUP, "encoding 0xeeee; need mono"},
	    {"bad_align.wav", EBADMSG,
	     "broken WAV header (fmt: 1 channels, 16 bits, block align 0)"},
	    {"random.wav", EBADMSG, "not a WAV file"},
	    {"missing.wav", ENOENT, "No such file"},
	};

	make_bad_files();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct wav_pcm *w = (void *)1;
		char err[WAV_ERRLEN] = "";
		const char *p = tpath(cases[i].file);
		int e = wav_load(&w, p, 8000, err, sizeof(err));

		if (e != cases[i].err || !strstr(err, cases[i].reason) ||
		    strncmp(err, p, strlen(p)) || w) {
			fprintf(stderr, "%s: got %d '%s', want %d '%s'\n",
				cases[i].file, e, err, cases[i].err,
				cases[i].reason);
			CHECK(0);
		}
	}
}

/* Extra chunks (LIST, fact, odd-sized with a pad byte) before and after
 * the data are skipped; the samples come through unchanged. */
static void test_wav_extra_chunks_skipped(void)
{
	static const uint8_t hdr[] = {
	    'R', 'I', 'F',  'F',  0,   0,   0,	  0,	'W', 'A', 'V', 'E',
	    'L', 'I', 'S',  'T',  5,   0,   0,	  0,	'I', 'N', 'F', 'O',
	    'x', 0,   'f',  'm',  't', ' ', 16,	  0,	0,   0,	  1,   0,
	    1,	 0,   0x40, 0x1f, 0,   0,   0x80, 0x3e, 0,   0,	  2,   0,
	    16,	 0,   'f',  'a',  'c', 't', 4,	  0,	0,   0,	  8,   0,
	    0,	 0,   'd',  'a',  't', 'a', 16,	  0,	0,   0};
	static const int16_t smp[8] = {1,    -2,    300,   -400,
				       5000, -6000, 32767, -32768};
	static const uint8_t tail[] = {'L', 'I', 'S', 'T', 0xff, 0xff, 0, 0};
	uint8_t b[sizeof(hdr) + sizeof(smp) + sizeof(tail)];
	struct wav_pcm *w = NULL;
	char err[WAV_ERRLEN] = "";

	memcpy(b, hdr, sizeof(hdr));
	memcpy(b + sizeof(hdr), smp, sizeof(smp)); /* little-endian host */
	memcpy(b + sizeof(hdr) + sizeof(smp), tail, sizeof(tail));
	REQUIRE(wav_decode(&w, b, sizeof(b), "x.wav", 8000, err, sizeof(err)) ==
		0);
	CHECK_EQ_INT(w->n, 8);
	CHECK(!memcmp(w->s, smp, sizeof(smp)));
	obj_deref(w);
}

static void test_wav_directory_refused(void)
{
	struct wav_pcm *w;
	char err[WAV_ERRLEN] = "";

	CHECK_EQ_INT(wav_load(&w, dir, 8000, err, sizeof(err)), EISDIR);
	CHECK(strstr(err, "not a regular file") != NULL);
	CHECK_EQ_INT(wav_load(&w, tpath("good.wav"), 44100, err, 256), EINVAL);
}

static void test_wav_writer_appends(void)
{
	struct wav_writer *wr;
	struct wav_pcm *w;
	int16_t f[160];
	char err[WAV_ERRLEN] = "";

	REQUIRE(wav_writer_open(&wr, tpath("rec.wav"), 16000, err, 256) == 0);
	for (int k = 0; k < 10; k++) {
		for (int i = 0; i < 160; i++)
			f[i] = (int16_t)(k * 160 + i);
		CHECK_EQ_INT(wav_writer_write(wr, f, 160), 0);
	}
	CHECK_EQ_INT(wav_writer_count(wr), 1600);
	obj_deref(wr);
	REQUIRE(wav_load(&w, tpath("rec.wav"), 16000, err, sizeof(err)) == 0);
	CHECK_EQ_INT(w->n, 1600);
	for (size_t i = 0; i < w->n; i++)
		if (w->s[i] != (int16_t)i) {
			CHECK_EQ_INT(w->s[i], i);
			break;
		}
	obj_deref(w);
	CHECK_EQ_INT(wav_writer_open(&wr, "/nonexistent/dir/x.wav", 8000, err,
				     sizeof(err)),
		     EIO);
	CHECK(strstr(err, "cannot create") != NULL);
}

/* Every allocation failure path returns ENOMEM and leaks nothing. */
static void test_wav_load_alloc_failures(void)
{
	for (size_t k = 1; k < 10; k++) {
		struct wav_pcm *w = NULL;
		obj_fail_after(k);
		int e = wav_load(&w, tpath("r16000.wav"), 8000, NULL, 0);
		obj_fail_after(0);
		CHECK(e == 0 || e == ENOMEM);
		obj_deref(w);
	}
}

static void cleanup(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		fprintf(stderr, "cleanup of %s failed\n", dir);
}

int main(void)
{
	harness_watchdog(60);
	snprintf(dir, sizeof(dir), "/tmp/pbwav.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	RUN(test_wav_roundtrip_8k_exact);
	RUN(test_wav_16k_loaded_at_8k_is_1khz);
	RUN(test_wav_48k_loaded_at_8k_is_1khz);
	RUN(test_wav_8k_loaded_at_48k_is_1khz);
	RUN(test_wav_bad_files_refused_with_reason);
	RUN(test_wav_extra_chunks_skipped);
	RUN(test_wav_directory_refused);
	RUN(test_wav_writer_appends);
	RUN(test_wav_load_alloc_failures);
	cleanup();
	return harness_done();
}
