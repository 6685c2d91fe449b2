/* media.c: the per-codec part of a stream: encoder, decoder, resamplers
 * between device, codec and DTMF (8 kHz) rates, jitter buffer, DTMF, the
 * packet time we send and the queues of audio in and out. */
#include <errno.h>
#include <string.h>

#include "audio/stream/stream_int.h"
#include "base/mem.h"

enum { RESAMP_QUALITY = 5 };

void stream_resample(struct codec_resamp *rs, const int16_t *in, size_t n_in,
		     int16_t *out, size_t n_out)
{
	int16_t tmp[STRM_MAX_FRAME + 64];
	size_t got = sizeof(tmp) / sizeof(tmp[0]);

	if (!rs) {
		memcpy(out, in, n_out * sizeof(*out));
		return;
	}
	if (codec_resample(rs, in, n_in, tmp, &got))
		got = 0;
	if (got > n_out)
		got = n_out;
	memcpy(out, tmp, got * sizeof(*out));
	memset(out + got, 0, (n_out - got) * sizeof(*out));
}

static void media_destroy(void *data)
{
	struct stream_media *m = data;

	obj_deref(m->enc);
	obj_deref(m->dec);
	obj_deref(m->rs_tx);
	obj_deref(m->rs_rx);
	obj_deref(m->rs_det);
	obj_deref(m->rs_gen);
	obj_deref(m->jb);
	obj_deref(m->evtx);
	obj_deref(m->evrx);
	obj_deref(m->det);
	obj_deref(m->gen);
}

bool stream_media_same(const struct stream_media *m,
		       const struct codec_desc *desc,
		       const struct stream_params *p)
{
	return m->desc == desc && m->pt == p->pt && m->te_pt == p->te_pt &&
	       m->clock == desc->clock &&
	       m->ptime == codec_tx_ptime(p->ptime, p->maxptime);
}

/* A resampler from @p in to @p out, or none when the rates are equal. */
static int resamp(struct codec_resamp **rsp, uint32_t in, uint32_t out)
{
	if (in == out)
		return 0;
	return codec_resamp_alloc(rsp, in, out, RESAMP_QUALITY);
}

static int codecs_alloc(struct stream_media *m, const struct stream *s)
{
	struct codec_opts co;
	int e;

	codec_opts_default(&co);
	/* Opus runs at the device rate when it can: no resampling at all */
	if (m->desc->id == CODEC_OPUS)
		co.srate = s->rate;
	e = codec_enc_alloc(&m->enc, m->desc, &co);
	if (!e)
		e = codec_dec_alloc(&m->dec, m->desc, &co);
	if (e)
		return e;
	m->enc_frame = codec_frame_samples(codec_enc_srate(m->enc));
	m->pkt_samples = codec_ms_samples(codec_enc_srate(m->enc), m->ptime);
	m->dec_rate = codec_dec_srate(m->dec);
	m->dec_frame = codec_frame_samples(m->dec_rate);
	e = resamp(&m->rs_tx, s->rate, codec_enc_srate(m->enc));
	if (!e)
		e = resamp(&m->rs_rx, m->dec_rate, s->rate);
	if (!e)
		e = resamp(&m->rs_det, m->dec_rate, 8000);
	if (!e)
		e = resamp(&m->rs_gen, 8000, codec_enc_srate(m->enc));
	return e;
}

static int dtmf_alloc(struct stream_media *m, struct stream *s)
{
	int e = dtmf_det_alloc(&m->det, stream_dtmf_inband, s);

	if (!e)
		e = dtmf_gen_alloc(&m->gen);
	if (!e && m->te_pt >= 0)
		e = dtmf_ev_tx_alloc(&m->evtx, m->clock);
	if (!e && m->te_pt >= 0)
		e = dtmf_ev_rx_alloc(&m->evrx, stream_dtmf_event, s);
	return e;
}

int stream_media_alloc(struct stream_media **mp, struct stream *s,
		       const struct codec_desc *desc,
		       const struct stream_params *p)
{
	struct stream_media *m;
	struct jb_opts jo;
	int e;

	m = obj_zalloc(sizeof(*m), media_destroy);
	if (!m)
		return ENOMEM;
	m->desc = desc;
	m->pt = (uint8_t)p->pt;
	m->te_pt = p->te_pt;
	m->clock = desc->clock;
	m->step = desc->clock * CODEC_PTIME_MS / 1000;
	m->unit = desc->clock * STRM_UNIT_MS / 1000;
	m->ptime = codec_tx_ptime(p->ptime, p->maxptime);
	m->pkt_ticks = desc->clock * m->ptime / 1000;
	e = codecs_alloc(m, s);
	if (e)
		goto out;
	jb_opts_default(&jo);
	jo.clock = m->clock;
	jo.ptime = STRM_UNIT_MS;
	e = jb_alloc(&m->jb, &jo);
	if (!e)
		e = dtmf_alloc(m, s);
	if (e)
		goto out;
	*mp = m;
	m = NULL;
out:
	obj_deref(m);
	return e;
}
