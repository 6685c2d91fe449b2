/* resamp.c: sample-rate conversion between device and codec rates (speexdsp).
 */
#include <errno.h>

#include <speex/speex_resampler.h>

#include "audio/codec.h"
#include "base/mem.h"

struct codec_resamp {
	SpeexResamplerState *st;
	uint32_t in_rate, out_rate;
};

static void resamp_destroy(void *data)
{
	struct codec_resamp *rs = data;
	if (rs->st)
		speex_resampler_destroy(rs->st);
}

int codec_resamp_alloc(struct codec_resamp **rsp, uint32_t in_rate,
		       uint32_t out_rate, int quality)
{
	struct codec_resamp *rs;
	int serr = 0, err = 0;

	if (!rsp || !in_rate || !out_rate || in_rate > 192000 ||
	    out_rate > 192000 || quality < 0 || quality > 10)
		return EINVAL;
	rs = obj_zalloc(sizeof(*rs), resamp_destroy);
	if (!rs)
		return ENOMEM;
	rs->in_rate = in_rate;
	rs->out_rate = out_rate;
	rs->st = speex_resampler_init(1, in_rate, out_rate, quality, &serr);
	if (!rs->st) {
		err = serr == RESAMPLER_ERR_ALLOC_FAILED ? ENOMEM : EPROTO;
		goto out;
	}
	speex_resampler_skip_zeros(rs->st);
	*rsp = rs;
out:
	if (err)
		obj_deref(rs);
	return err;
}

int codec_resample(struct codec_resamp *rs, const int16_t *in, size_t n_in,
		   int16_t *out, size_t *n_out)
{
	spx_uint32_t il, ol;

	if (!rs || !in || !out || !n_out || n_in > UINT32_MAX ||
	    *n_out > UINT32_MAX)
		return EINVAL;
	il = (spx_uint32_t)n_in;
	ol = (spx_uint32_t)*n_out;
	if (speex_resampler_process_int(rs->st, 0, in, &il, out, &ol))
		return EPROTO;
	*n_out = ol;
	return il == n_in ? 0 : ENOMEM;
}
