/* resample.c: whole-buffer sample-rate conversion for loaded prompts. */
#include <errno.h>
#include <string.h>

#include <speex/speex_resampler.h>

#include "audio/wav.h"
#include "base/mem.h"

enum { WAV_RS_QUALITY = SPEEX_RESAMPLER_QUALITY_DESKTOP };

int wav_resample(int16_t **outp, size_t *outn, const int16_t *in, size_t n,
		 uint32_t in_rate, uint32_t out_rate)
{
	static const int16_t zeros[256];
	SpeexResamplerState *st;
	uint64_t total;
	int16_t *out;
	size_t done = 0;
	int e = 0;

	if (!outp || !outn || (!in && n) || !in_rate || !out_rate ||
	    n > (size_t)UINT32_MAX)
		return EINVAL;
	total = (uint64_t)n * out_rate / in_rate;
	if (total > (uint64_t)UINT32_MAX)
		return EINVAL;
	out = obj_zalloc((size_t)total * sizeof(int16_t) + 1, NULL);
	if (!out)
		return ENOMEM;
	st = speex_resampler_init(1, in_rate, out_rate, WAV_RS_QUALITY, &e);
	if (!st) {
		obj_deref(out);
		return e == RESAMPLER_ERR_ALLOC_FAILED ? ENOMEM : EINVAL;
	}
	/* Drop the filter delay so output sample k lines up with input. */
	speex_resampler_skip_zeros(st);
	for (size_t pos = 0; pos < n && done < total;) {
		spx_uint32_t il = (spx_uint32_t)(n - pos);
		spx_uint32_t ol = (spx_uint32_t)(total - done);
		speex_resampler_process_int(st, 0, in + pos, &il, out + done,
					    &ol);
		pos += il;
		done += ol;
		if (!il && !ol)
			break;
	}
	/* Flush the tail through the filter with silence. */
	for (int guard = 0; done < total && guard < 64; guard++) {
		spx_uint32_t il = sizeof(zeros) / sizeof(zeros[0]);
		spx_uint32_t ol = (spx_uint32_t)(total - done);
		speex_resampler_process_int(st, 0, zeros, &il, out + done, &ol);
		done += ol;
	}
	speex_resampler_destroy(st);
	*outp = out;
	*outn = (size_t)total;
	return 0;
}
