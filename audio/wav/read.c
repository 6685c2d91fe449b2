/* read.c: load a WAV prompt into memory, validate it, resample it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <sndfile.h>

#include "audio/wav.h"
#include "audio/wav/wav_int.h"
#include "base/mem.h"

/* libsndfile virtual I/O over a read-only memory image. */
struct vmem {
	const uint8_t *p;
	sf_count_t len;
	sf_count_t pos;
};

static sf_count_t vm_len(void *u)
{
	return ((struct vmem *)u)->len;
}

static sf_count_t vm_seek(sf_count_t off, int whence, void *u)
{
	struct vmem *m = u;
	sf_count_t base = whence == SEEK_CUR   ? m->pos
			  : whence == SEEK_END ? m->len
					       : 0;

	if (off < -base || off > m->len - base)
		return -1;
	m->pos = base + off;
	return m->pos;
}

static sf_count_t vm_read(void *ptr, sf_count_t count, void *u)
{
	struct vmem *m = u;
	sf_count_t n = m->len - m->pos;

	if (count < 0)
		return 0;
	if (n > count)
		n = count;
	memcpy(ptr, m->p + m->pos, (size_t)n);
	m->pos += n;
	return n;
}

static sf_count_t vm_write(const void *ptr, sf_count_t count, void *u)
{
	(void)ptr;
	(void)count;
	(void)u;
	return 0;
}

static sf_count_t vm_tell(void *u)
{
	return ((struct vmem *)u)->pos;
}

bool wav_rate_ok(uint32_t rate)
{
	return rate == 8000 || rate == 16000 || rate == 48000;
}

static const char *subtype_name(int sub, char *buf, size_t n)
{
	switch (sub) {
	case SF_FORMAT_PCM_S8:
	case SF_FORMAT_PCM_U8:
		return "8-bit PCM";
	case SF_FORMAT_PCM_24:
		return "24-bit PCM";
	case SF_FORMAT_PCM_32:
		return "32-bit PCM";
	case SF_FORMAT_FLOAT:
		return "32-bit float";
	case SF_FORMAT_DOUBLE:
		return "64-bit float";
	case SF_FORMAT_ULAW:
		return "u-law";
	case SF_FORMAT_ALAW:
		return "A-law";
	case SF_FORMAT_IMA_ADPCM:
		return "IMA ADPCM";
	case SF_FORMAT_MS_ADPCM:
		return "MS ADPCM";
	case SF_FORMAT_GSM610:
		return "GSM 6.10";
	default:
		snprintf(buf, n, "encoding 0x%04x", sub);
		return buf;
	}
}

/* The format rules; the first thing wrong is named. */
static int format_check(const SF_INFO *fi, const char *name, char *err,
			size_t errlen)
{
	int major = fi->format & SF_FORMAT_TYPEMASK;
	int sub = fi->format & SF_FORMAT_SUBMASK;
	char b[32];

	if (major != SF_FORMAT_WAV && major != SF_FORMAT_WAVEX) {
		au_errf(err, errlen, "%s: not a WAV file; " WAV_NEED, name);
		return EBADMSG;
	}
	if (sub != SF_FORMAT_PCM_16) {
		au_errf(err, errlen, "%s: %s; " WAV_NEED, name,
			subtype_name(sub, b, sizeof(b)));
		return ENOTSUP;
	}
	if (fi->channels != 1) {
		au_errf(err, errlen, "%s: %d channels; " WAV_NEED, name,
			fi->channels);
		return ENOTSUP;
	}
	if (fi->samplerate < 0 || !wav_rate_ok((uint32_t)fi->samplerate)) {
		au_errf(err, errlen, "%s: %d Hz; " WAV_NEED, name,
			fi->samplerate);
		return ENOTSUP;
	}
	if (fi->frames <= 0) {
		au_errf(err, errlen, "%s: no audio samples", name);
		return ENODATA;
	}
	return 0;
}

static void put32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* RIFF/WAVE image holding only the fmt and data chunks of @p d. */
static uint8_t *canonical(const uint8_t *d, const struct wav_chunks *ck,
			  size_t *lenp)
{
	size_t n = 12 + 8 + ck->fmt_len + 8 + ck->data_len;
	uint8_t *b = obj_alloc(n, NULL), *p = b;

	if (!b)
		return NULL;
	memcpy(p, "RIFF", 4);
	put32le(p + 4, (uint32_t)(n - 8));
	memcpy(p + 8, "WAVEfmt ", 8);
	put32le(p + 16, (uint32_t)ck->fmt_len);
	memcpy(p + 20, d + ck->fmt_off, ck->fmt_len);
	p += 20 + ck->fmt_len;
	memcpy(p, "data", 4);
	put32le(p + 4, (uint32_t)ck->data_len);
	memcpy(p + 8, d + ck->data_off, ck->data_len);
	*lenp = n;
	return b;
}

static void pcm_destroy(void *data)
{
	struct wav_pcm *w = data;
	obj_deref(w->s);
}

/* Read all samples (at most what the data chunk can hold). */
static int read_samples(struct wav_pcm *w, SNDFILE *sf, const SF_INFO *fi,
			size_t len, const char *name, char *err, size_t errlen)
{
	sf_count_t want = fi->frames;
	sf_count_t got;

	if ((uint64_t)want > len / 2)
		want = (sf_count_t)(len / 2);
	w->s = obj_alloc((size_t)want * sizeof(int16_t), NULL);
	if (!w->s)
		return ENOMEM;
	got = sf_readf_short(sf, w->s, want);
	if (got <= 0) {
		au_errf(err, errlen, "%s: no audio samples could be read",
			name);
		return ENODATA;
	}
	w->n = (size_t)got;
	return 0;
}

static int to_rate(struct wav_pcm *w, uint32_t rate)
{
	int16_t *out;
	size_t n;
	int e;

	if (w->rate == rate)
		return 0;
	e = wav_resample(&out, &n, w->s, w->n, w->rate, rate);
	if (e)
		return e;
	obj_deref(w->s);
	w->s = out;
	w->n = n;
	w->rate = rate;
	return 0;
}

int wav_decode(struct wav_pcm **wp, const uint8_t *data, size_t len,
	       const char *name, uint32_t rate, char *err, size_t errlen)
{
	struct vmem vm = {NULL, 0, 0};
	struct wav_chunks ck = {0};
	uint8_t *img = NULL;
	size_t imglen = 0;
	SF_VIRTUAL_IO io = {vm_len, vm_seek, vm_read, vm_write, vm_tell};
	struct wav_pcm *w = NULL;
	SF_INFO fi = {0};
	SNDFILE *sf = NULL;
	int e;

	if (!wp || (!data && len) || !wav_rate_ok(rate))
		return EINVAL;
	if (!name)
		name = "(memory)";
	e = wav_riff_check(data, len, name, &ck, err, errlen);
	if (e)
		goto out;
	img = canonical(data, &ck, &imglen);
	if (!img) {
		e = ENOMEM;
		goto out;
	}
	vm.p = img;
	vm.len = (sf_count_t)imglen;
	sf = sf_open_virtual(&io, SFM_READ, &fi, &vm);
	if (!sf) {
		au_errf(err, errlen, "%s: broken WAV header (%s); " WAV_NEED,
			name, sf_strerror(NULL));
		e = EBADMSG;
		goto out;
	}
	e = format_check(&fi, name, err, errlen);
	if (e)
		goto out;
	w = obj_zalloc(sizeof(*w), pcm_destroy);
	if (!w) {
		e = ENOMEM;
		goto out;
	}
	w->rate = w->file_rate = (uint32_t)fi.samplerate;
	e = read_samples(w, sf, &fi, ck.data_len, name, err, errlen);
	if (!e)
		e = to_rate(w, rate);
	if (e == ENOMEM)
		au_errf(err, errlen, "%s: out of memory", name);
out:
	if (sf)
		sf_close(sf);
	obj_deref(img);
	if (e)
		w = obj_deref(w);
	*wp = w;
	return e;
}

static int slurp(uint8_t **bufp, size_t *lenp, const char *path, char *err,
		 size_t errlen)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	uint8_t *b = NULL;
	int e = 0;

	if (!f) {
		e = errno;
		au_errf(err, errlen, "%s: %s", path, strerror(e));
		return e;
	}
	if (fstat(fileno(f), &st)) {
		e = errno;
		au_errf(err, errlen, "%s: %s", path, strerror(e));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		e = S_ISDIR(st.st_mode) ? EISDIR : EBADMSG;
		au_errf(err, errlen, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_size > WAV_MAX_BYTES) {
		e = EFBIG;
		au_errf(err, errlen, "%s: %lld bytes is too large (limit %d)",
			path, (long long)st.st_size, WAV_MAX_BYTES);
		goto out;
	}
	b = obj_alloc((size_t)st.st_size + 1, NULL);
	if (!b) {
		e = ENOMEM;
		goto out;
	}
	*lenp = fread(b, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		e = EIO;
		au_errf(err, errlen, "%s: read error", path);
	}
out:
	fclose(f);
	if (e)
		b = obj_deref(b);
	*bufp = b;
	return e;
}

int wav_load(struct wav_pcm **wp, const char *path, uint32_t rate, char *err,
	     size_t errlen)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int e;

	if (!wp || !path || !wav_rate_ok(rate))
		return EINVAL;
	*wp = NULL;
	e = slurp(&buf, &len, path, err, errlen);
	if (e)
		return e;
	e = wav_decode(wp, buf, len, path, rate, err, errlen);
	obj_deref(buf);
	return e;
}
