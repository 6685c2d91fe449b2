/* riff.c: structural check of a RIFF/WAVE byte image.
 *
 * A WAV file is "RIFF" size32 "WAVE" followed by chunks, each a four-byte
 * id, a little-endian size32 and that many bytes (plus one pad byte when
 * the size is odd). We need a "fmt " chunk and a "data" chunk. libsndfile
 * is forgiving about a data chunk that claims more bytes than the file
 * holds (it quietly reads less); for a prompt that is a broken file, so it
 * is refused here with the sizes in the message. The RIFF size field is
 * often wrong in files written by streaming tools and is not checked.
 *
 * libsndfile is then given a canonical image rebuilt from just the fmt and
 * data chunks (see read.c): fuzzing found inputs (odd-sized LIST chunks,
 * nested RIFF headers after the data) on which libsndfile 1.2.0's header
 * parser never returns, and other chunks carry nothing a prompt needs.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "audio/wav/wav_int.h"

static uint32_t rd32le(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Printable copy of a four-byte id for messages. */
static void fourcc(char out[5], const uint8_t *p)
{
	for (int i = 0; i < 4; i++)
		out[i] = isprint(p[i]) ? (char)p[i] : '?';
	out[4] = '\0';
}

static int magic_check(const uint8_t *d, size_t len, const char *name,
		       char *err, size_t errlen)
{
	char id[5];

	if (len == 0) {
		au_errf(err, errlen, "%s: empty file; " WAV_NEED, name);
		return ENODATA;
	}
	if (len < 12) {
		au_errf(err, errlen,
			"%s: truncated header (%zu bytes); " WAV_NEED, name,
			len);
		return EBADMSG;
	}
	if (!memcmp(d, "RIFX", 4) || !memcmp(d, "RF64", 4)) {
		fourcc(id, d);
		au_errf(err, errlen, "%s: %s container; " WAV_NEED, name, id);
		return EBADMSG;
	}
	if (memcmp(d, "RIFF", 4) || memcmp(d + 8, "WAVE", 4)) {
		au_errf(err, errlen, "%s: not a WAV file; " WAV_NEED, name);
		return EBADMSG;
	}
	return 0;
}

static uint16_t rd16le(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static const char *tag_name(uint16_t tag, uint16_t bits, char *b, size_t n)
{
	switch (tag) {
	case 2:
		return "MS ADPCM";
	case 3:
		return bits == 64 ? "64-bit float" : "32-bit float";
	case 6:
		return "A-law";
	case 7:
		return "u-law";
	case 0x11:
		return "IMA ADPCM";
	case 0x31:
		return "GSM 6.10";
	default:
		snprintf(b, n, "encoding 0x%04x", tag);
		return b;
	}
}

/*
 * Only PCM (tag 1, or WAVE_FORMAT_EXTENSIBLE) with consistent fields goes
 * on to libsndfile: fuzzing found fmt chunks (a G.721 tag with block align
 * 0) on which libsndfile 1.2.0 loops forever, and we refuse every non-PCM
 * encoding anyway.
 */
static int fmt_check(const uint8_t *f, const char *name, char *err,
		     size_t errlen)
{
	uint16_t tag = rd16le(f), ch = rd16le(f + 2), align = rd16le(f + 12);
	uint16_t bits = rd16le(f + 14);
	char b[32];

	if (tag != 1 && tag != 0xfffe) {
		au_errf(err, errlen, "%s: %s; " WAV_NEED, name,
			tag_name(tag, bits, b, sizeof(b)));
		return ENOTSUP;
	}
	if (!ch || !bits || align != ch * ((bits + 7) / 8)) {
		au_errf(err, errlen,
			"%s: broken WAV header (fmt: %u channels, %u bits, "
			"block align %u)",
			name, ch, bits, align);
		return EBADMSG;
	}
	return 0;
}

int wav_riff_check(const uint8_t *d, size_t len, const char *name,
		   struct wav_chunks *ck, char *err, size_t errlen)
{
	size_t pos = 12;
	int have_fmt = 0;
	char id[5];
	int e = magic_check(d, len, name, err, errlen);

	if (e)
		return e;
	while (len - pos >= 8) {
		uint32_t sz = rd32le(d + pos + 4);
		size_t left = len - pos - 8;

		fourcc(id, d + pos);
		if (!memcmp(d + pos, "data", 4)) {
			if (!have_fmt)
				break;
			if (sz == 0) {
				au_errf(err, errlen,
					"%s: no audio samples (empty data "
					"chunk)",
					name);
				return ENODATA;
			}
			if (sz > left) {
				au_errf(err, errlen,
					"%s: data chunk declares %lu bytes "
					"but only %zu follow (truncated or "
					"corrupt file)",
					name, (unsigned long)sz, left);
				return EBADMSG;
			}
			/* Whole frames only: libsndfile 1.2.0 never returns
			 * on a data chunk with a partial frame at the end
			 * (found by fuzzing). */
			ck->data_off = pos + 8;
			ck->data_len = sz - sz % rd16le(d + ck->fmt_off + 12);
			if (!ck->data_len) {
				au_errf(err, errlen,
					"%s: no audio samples (data chunk of "
					"%lu bytes)",
					name, (unsigned long)sz);
				return ENODATA;
			}
			return 0;
		}
		if (sz > left) {
			au_errf(err, errlen,
				"%s: truncated header (chunk '%s' of %lu bytes "
				"runs past the end)",
				name, id, (unsigned long)sz);
			return EBADMSG;
		}
		if (!memcmp(d + pos, "fmt ", 4)) {
			if (sz < 16 || sz > 64) {
				au_errf(err, errlen,
					"%s: broken WAV header (fmt chunk of "
					"%lu bytes)",
					name, (unsigned long)sz);
				return EBADMSG;
			}
			e = fmt_check(d + pos + 8, name, err, errlen);
			if (e)
				return e;
			have_fmt = 1;
			ck->fmt_off = pos + 8;
			ck->fmt_len = sz;
		}
		pos += 8 + (size_t)sz + (sz & 1);
		if (pos > len)
			break;
	}
	au_errf(err, errlen, "%s: truncated header (no %s chunk)", name,
		have_fmt ? "data" : "fmt");
	return EBADMSG;
}
