/* wavtone.c: test tool: write a sine WAV, or find how long a tone lasts in one.
 *
 *   wavtone FILE FREQ [MIN_SECONDS]
 *       Cut FILE (16-bit mono WAV, 8/16/48 kHz) into 100 ms blocks and count
 *       the blocks where FREQ carries most of the signal: its Goertzel
 *       amplitude is at least 1000 (about -30 dBFS) and at least 70 % of
 *       the block's sine-equivalent RMS (a block of noise or of another
 *       frequency fails). Prints one line
 *         "FILE: 1100 Hz in 4.2 s of 6.0 s (level 7950)"
 *       and exits 0 when the tone lasts MIN_SECONDS (default 1.0) or more,
 *       1 when it does not, 2 on a usage or file error.
 *
 *   wavtone --write FILE FREQ SECONDS [RATE]
 *       Write a sine of FREQ Hz at half of full scale, RATE Hz (8000).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio/tone.h"
#include "audio/wav.h"
#include "base/mem.h"

enum {
	WT_MIN_LEVEL = 1000, /**< Goertzel amplitude that counts as a tone */
};

static int wt_number(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(*v) || *v < 0)
		return EINVAL;
	return 0;
}

static int wt_write(const char *path, double freq, double secs, double rate)
{
	char err[WAV_ERRLEN];
	double ph = 0;
	size_t n;
	int16_t *pcm;
	int e;

	if (!wav_rate_ok((uint32_t)rate) || secs > 600 || freq >= rate / 2) {
		fprintf(stderr, "wavtone: bad rate, length or frequency\n");
		return 2;
	}
	n = (size_t)(secs * rate);
	pcm = calloc(n ? n : 1, sizeof(*pcm));
	if (!pcm)
		return 2;
	tone_sine(pcm, n, (uint32_t)rate, freq, 16384, &ph);
	e = wav_save(path, pcm, n, (uint32_t)rate, err, sizeof(err));
	free(pcm);
	if (e) {
		fprintf(stderr, "wavtone: %s\n", err);
		return 2;
	}
	return 0;
}

/*
 * Linphone (mediastreamer2 5.1) counts the 44 header bytes in the data
 * chunk's size, so its recordings declare more samples than they hold;
 * wav_load() rightly refuses that. A measuring tool may be lenient: clip
 * the data chunk to what the file holds, then decode as usual.
 */
static void wt_clip_data(uint8_t *b, size_t len)
{
	size_t off = 12;

	while (len >= 12 && off + 8 <= len) {
		uint32_t sz = (uint32_t)b[off + 4] | (uint32_t)b[off + 5] << 8 |
			      (uint32_t)b[off + 6] << 16 |
			      (uint32_t)b[off + 7] << 24;

		if (!memcmp(b + off, "data", 4)) {
			if (sz > len - off - 8) {
				sz = (uint32_t)((len - off - 8) & ~(size_t)1);
				b[off + 4] = (uint8_t)sz;
				b[off + 5] = (uint8_t)(sz >> 8);
				b[off + 6] = (uint8_t)(sz >> 16);
				b[off + 7] = (uint8_t)(sz >> 24);
			}
			return;
		}
		off += 8 + (size_t)sz + (sz & 1);
	}
}

/* the file as mono PCM at its own rate (8, 16 or 48 kHz) */
static int wt_load(struct wav_pcm **wp, const char *path)
{
	char err[WAV_ERRLEN] = "";
	uint8_t *b = NULL;
	size_t len = 0;
	FILE *f;
	long sz;
	int e = EIO;

	f = fopen(path, "rb");
	if (!f) {
		e = errno;
		fprintf(stderr, "wavtone: %s: %s\n", path, strerror(e));
		return e;
	}
	if (fseek(f, 0, SEEK_END) || (sz = ftell(f)) < 0 ||
	    sz > WAV_MAX_BYTES || fseek(f, 0, SEEK_SET))
		goto out;
	len = (size_t)sz;
	b = malloc(len ? len : 1);
	if (!b || fread(b, 1, len, f) != len)
		goto out;
	wt_clip_data(b, len);
	/* decode once at 8 kHz to learn the file's rate, then at that rate */
	e = wav_decode(wp, b, len, path, 8000, err, sizeof(err));
	if (!e && (*wp)->file_rate != 8000) {
		uint32_t rate = (*wp)->file_rate;

		*wp = obj_deref(*wp);
		e = wav_decode(wp, b, len, path, rate, err, sizeof(err));
	}
out:
	if (e)
		fprintf(stderr, "wavtone: %s\n", err[0] ? err : "read error");
	free(b);
	fclose(f);
	return e;
}

static int wt_check(const char *path, double freq, double min_secs)
{
	struct wav_pcm *w = NULL;
	size_t blk, nblk = 0, hits = 0;
	double level = 0;
	uint32_t rate;
	int e;

	e = wt_load(&w, path);
	if (e)
		return 2;
	rate = w->file_rate;
	if (freq >= rate / 2.0) {
		fprintf(stderr, "wavtone: %g Hz is above Nyquist of %u Hz\n",
			freq, rate);
		w = obj_deref(w);
		return 2;
	}
	blk = rate / 10;
	for (size_t off = 0; off + blk <= w->n; off += blk, nblk++) {
		double g = tone_goertzel(w->s + off, blk, rate, freq);
		double rms = tone_rms(w->s + off, blk) * sqrt(2.0);

		if (g >= WT_MIN_LEVEL && g >= 0.7 * rms) {
			hits++;
			level += g;
		}
	}
	printf("%s: %g Hz in %.1f s of %.1f s (level %.0f)\n", path, freq,
	       (double)hits / 10, (double)w->n / rate,
	       hits ? level / (double)hits : 0.0);
	w = obj_deref(w);
	return (double)hits / 10 + 1e-9 >= min_secs ? 0 : 1;
}

int main(int argc, char **argv)
{
	double freq, secs, rate = 8000;

	if (argc >= 5 && argc <= 6 && !strcmp(argv[1], "--write")) {
		if (wt_number(argv[3], &freq) || wt_number(argv[4], &secs) ||
		    (argc == 6 && wt_number(argv[5], &rate)))
			goto usage;
		return wt_write(argv[2], freq, secs, rate);
	}
	if (argc >= 3 && argc <= 4 && argv[1][0] != '-') {
		secs = 1.0;
		if (wt_number(argv[2], &freq) ||
		    (argc == 4 && wt_number(argv[3], &secs)))
			goto usage;
		return wt_check(argv[1], freq, secs);
	}
usage:
	fprintf(stderr, "usage: wavtone FILE FREQ [MIN_SECONDS]\n"
			"       wavtone --write FILE FREQ SECONDS [RATE]\n");
	return 2;
}
