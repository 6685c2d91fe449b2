/* codec.c: codec table and the encoder/decoder objects behind codec.h.
 *
 * G.711 uses SpanDSP's table-free inline converters, G.722 SpanDSP's
 * g722_encode/g722_decode at 64 kbit/s (16 kHz PCM, 8000 Hz RTP clock per
 * RFC 3551), Opus libopus (RFC 7587: 48000/2 in SDP, any of 8/16/48 kHz
 * inside). Loss concealment: pitch repetition (plc.c) for G.711/G.722,
 * opus_decode(NULL) or in-band FEC for Opus.
 *
 * One codec_encode() call makes one RTP packet of 10..120 ms. G.711 and
 * G.722 code any length. Opus codes 10, 20, 40 and 60 ms as one frame;
 * other lengths are several 10 or 20 ms frames joined into one packet by
 * the repacketizer, which needs every frame to have the same TOC: the
 * frames after the first are held to its bandwidth (a frame that still
 * differs fails the packet with EPROTO).
 */
#include <errno.h>
#include <stdbool.h>
#include <strings.h>

#include <opus/opus.h>
#include <spandsp.h>

#include "audio/codec.h"
#include "audio/codec/plc.h"
#include "base/mem.h"

static const struct codec_desc codec_tab[CODEC_COUNT] = {
    {CODEC_PCMU, "PCMU", 0, 8000, 1, 8000, 160},
    {CODEC_PCMA, "PCMA", 8, 8000, 1, 8000, 160},
    {CODEC_G722, "G722", 9, 8000, 1, 16000, 160},
    {CODEC_OPUS, "opus", CODEC_PT_DYNAMIC, 48000, 2, 48000, 1275},
    {CODEC_TEL_EVENT, "telephone-event", CODEC_PT_DYNAMIC, 8000, 1, 8000, 4},
};

enum { OPUS_FRAME_MAX = 1275, OPUS_PKT_FRAMES = 12 };

struct codec_enc {
	const struct codec_desc *desc;
	uint32_t srate;
	g722_encode_state_t *g722;
	OpusEncoder *opus;
	OpusRepacketizer *rp; /**< joins frames of one packet   */
	uint8_t *frames;      /**< their bytes until joined     */
};

struct codec_dec {
	const struct codec_desc *desc;
	uint32_t srate;
	g722_decode_state_t *g722;
	struct codec_plc *plc;
	OpusDecoder *opus;
};

const struct codec_desc *codec_find(const char *name, uint32_t clock)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < CODEC_COUNT; i++) {
		if (strcasecmp(name, codec_tab[i].name))
			continue;
		if (clock && clock != codec_tab[i].clock)
			continue;
		return &codec_tab[i];
	}
	return NULL;
}

const struct codec_desc *codec_get(enum codec_id id)
{
	if ((unsigned)id >= CODEC_COUNT)
		return NULL;
	return &codec_tab[id];
}

size_t codec_frame_samples(uint32_t srate)
{
	return codec_ms_samples(srate, CODEC_PTIME_MS);
}

size_t codec_ms_samples(uint32_t srate, unsigned ms)
{
	return (size_t)srate * ms / 1000;
}

unsigned codec_tx_ptime(unsigned ptime, unsigned maxptime)
{
	unsigned t = ptime;

	if (t < CODEC_PKT_MIN_MS || t > CODEC_TX_MAX_MS || t % 10)
		t = CODEC_PTIME_MS;
	if (maxptime >= CODEC_PKT_MIN_MS && maxptime < t)
		t = maxptime - maxptime % 10;
	return t;
}

int codec_payload_ticks(const struct codec_desc *desc, const uint8_t *payload,
			size_t len, uint32_t *ticks)
{
	int n;

	if (!desc || !payload || !len || !ticks || len > INT32_MAX)
		return EINVAL;
	switch (desc->id) {
	case CODEC_PCMU:
	case CODEC_PCMA:
	case CODEC_G722:
		*ticks = (uint32_t)len;
		return 0;
	case CODEC_OPUS:
		n = opus_packet_get_nb_samples(payload, (opus_int32)len,
					       (opus_int32)desc->clock);
		if (n <= 0)
			return EBADMSG;
		*ticks = (uint32_t)n;
		return 0;
	default:
		return EINVAL;
	}
}

void codec_opts_default(struct codec_opts *opts)
{
	if (!opts)
		return;
	opts->srate = 0;
	opts->complexity = 5;
	opts->bitrate = 32000;
	opts->fec = 1;
	opts->dtx = 0;
	opts->loss_pct = 5;
}

static bool opus_rate_ok(uint32_t r)
{
	return r == 8000 || r == 12000 || r == 16000 || r == 24000 ||
	       r == 48000;
}

static uint32_t pick_rate(const struct codec_desc *desc,
			  const struct codec_opts *opts)
{
	if (desc->id == CODEC_OPUS && opts && opts->srate)
		return opts->srate;
	return desc->srate;
}

static void enc_destroy(void *data)
{
	struct codec_enc *enc = data;
	if (enc->g722)
		g722_encode_free(enc->g722);
	if (enc->opus)
		opus_encoder_destroy(enc->opus);
	if (enc->rp)
		opus_repacketizer_destroy(enc->rp);
	obj_deref(enc->frames);
}

static int opus_enc_setup(struct codec_enc *enc, const struct codec_opts *o)
{
	int oerr;
	enc->opus = opus_encoder_create((opus_int32)enc->srate, 1,
					OPUS_APPLICATION_VOIP, &oerr);
	if (!enc->opus)
		return oerr == OPUS_ALLOC_FAIL ? ENOMEM : EPROTO;
	enc->rp = opus_repacketizer_create();
	enc->frames = obj_zalloc(OPUS_PKT_FRAMES * OPUS_FRAME_MAX, NULL);
	if (!enc->rp || !enc->frames)
		return ENOMEM;
	if (opus_encoder_ctl(enc->opus, OPUS_SET_COMPLEXITY(o->complexity)) ||
	    opus_encoder_ctl(enc->opus, OPUS_SET_BITRATE(o->bitrate)) ||
	    opus_encoder_ctl(enc->opus, OPUS_SET_INBAND_FEC(o->fec ? 1 : 0)) ||
	    opus_encoder_ctl(enc->opus, OPUS_SET_DTX(o->dtx ? 1 : 0)) ||
	    opus_encoder_ctl(enc->opus, OPUS_SET_PACKET_LOSS_PERC(o->loss_pct)))
		return EINVAL;
	return 0;
}

int codec_enc_alloc(struct codec_enc **encp, const struct codec_desc *desc,
		    const struct codec_opts *opts)
{
	struct codec_opts def;
	struct codec_enc *enc;
	int err = 0;

	if (!encp || !desc || desc != codec_get(desc->id) ||
	    desc->id == CODEC_TEL_EVENT)
		return EINVAL;
	if (!opts) {
		codec_opts_default(&def);
		opts = &def;
	}
	if (desc->id == CODEC_OPUS && !opus_rate_ok(pick_rate(desc, opts)))
		return EINVAL;
	enc = obj_zalloc(sizeof(*enc), enc_destroy);
	if (!enc)
		return ENOMEM;
	enc->desc = desc;
	enc->srate = pick_rate(desc, opts);
	if (desc->id == CODEC_G722) {
		enc->g722 = g722_encode_init(NULL, 64000, 0);
		if (!enc->g722)
			err = ENOMEM;
	} else if (desc->id == CODEC_OPUS) {
		err = opus_enc_setup(enc, opts);
	}
	if (err)
		goto out;
	*encp = enc;
out:
	if (err)
		obj_deref(enc);
	return err;
}

uint32_t codec_enc_srate(const struct codec_enc *enc)
{
	return enc ? enc->srate : 0;
}

/* One Opus frame of 10, 20, 40 or 60 ms? */
static bool opus_one_frame(uint32_t srate, size_t n)
{
	return n == codec_ms_samples(srate, 10) ||
	       n == codec_ms_samples(srate, 20) ||
	       n == codec_ms_samples(srate, 40) ||
	       n == codec_ms_samples(srate, 60);
}

static int opus_frame(struct codec_enc *enc, const int16_t *pcm, size_t n,
		      uint8_t *out, size_t max, size_t *len)
{
	opus_int32 r = opus_encode(
	    enc->opus, pcm, (int)n, out,
	    (opus_int32)(max > OPUS_FRAME_MAX ? OPUS_FRAME_MAX : max));

	if (r == OPUS_BUFFER_TOO_SMALL)
		return ENOMEM;
	if (r < 0)
		return EPROTO;
	*len = (size_t)r;
	return 0;
}

/* Pin (or free again) the audio bandwidth of the frames that follow
 * @p toc, so that they can share its packet. */
static void opus_pin(OpusEncoder *oe, const uint8_t *toc)
{
	int bw = toc ? opus_packet_get_bandwidth(toc) : OPUS_AUTO;

	opus_encoder_ctl(oe, OPUS_SET_BANDWIDTH(bw < 0 ? OPUS_AUTO : bw));
}

/* Several 10 or 20 ms frames in one packet (RFC 6716 code 3). */
static int opus_multi(struct codec_enc *enc, const int16_t *pcm, size_t n,
		      uint8_t *out, size_t max, size_t *len)
{
	size_t f = codec_ms_samples(enc->srate, 20), k, flen;
	opus_int32 r;
	int err = 0;

	if (n % f)
		f = codec_ms_samples(enc->srate, 10);
	k = n / f;
	opus_repacketizer_init(enc->rp);
	for (size_t i = 0; i < k && !err; i++) {
		uint8_t *fb = enc->frames + i * OPUS_FRAME_MAX;

		err =
		    opus_frame(enc, pcm + i * f, f, fb, OPUS_FRAME_MAX, &flen);
		if (!err && opus_repacketizer_cat(enc->rp, fb,
						  (opus_int32)flen) != OPUS_OK)
			err = EPROTO;
		if (!err && i == 0)
			opus_pin(enc->opus, fb);
	}
	opus_pin(enc->opus, NULL);
	if (err)
		return err;
	r = opus_repacketizer_out(enc->rp, out, (opus_int32)max);
	if (r == OPUS_BUFFER_TOO_SMALL)
		return ENOMEM;
	if (r < 0)
		return EPROTO;
	*len = (size_t)r;
	return 0;
}

/* A packet length we can code: 10..120 ms in steps of 10 ms. */
static bool enc_len_ok(const struct codec_enc *enc, size_t n)
{
	size_t ten = codec_ms_samples(enc->srate, 10);

	return n && !(n % ten) && n <= 12 * ten;
}

int codec_encode(struct codec_enc *enc, const int16_t *pcm, size_t n,
		 uint8_t *out, size_t max, size_t *len)
{
	size_t i, need;

	if (!enc || !pcm || !out || !len || !enc_len_ok(enc, n))
		return EINVAL;
	if (!max)
		return ENOMEM;
	switch (enc->desc->id) {
	case CODEC_PCMU:
	case CODEC_PCMA:
		if (max < n)
			return ENOMEM;
		for (i = 0; i < n; i++)
			out[i] = enc->desc->id == CODEC_PCMU
				     ? linear_to_ulaw(pcm[i])
				     : linear_to_alaw(pcm[i]);
		*len = n;
		return 0;
	case CODEC_G722:
		need = n / 2;
		if (max < need)
			return ENOMEM;
		*len = (size_t)g722_encode(enc->g722, out, pcm, (int)n);
		return 0;
	case CODEC_OPUS:
		if (opus_one_frame(enc->srate, n))
			return opus_frame(enc, pcm, n, out, max, len);
		return opus_multi(enc, pcm, n, out, max, len);
	default:
		return EINVAL;
	}
}

static void dec_destroy(void *data)
{
	struct codec_dec *dec = data;
	if (dec->g722)
		g722_decode_free(dec->g722);
	obj_deref(dec->plc);
	if (dec->opus)
		opus_decoder_destroy(dec->opus);
}

static int dec_setup(struct codec_dec *dec)
{
	int oerr;

	switch (dec->desc->id) {
	case CODEC_G722:
		dec->g722 = g722_decode_init(NULL, 64000, 0);
		if (!dec->g722)
			return ENOMEM;
		/* fall through */
	case CODEC_PCMU:
	case CODEC_PCMA:
		return codec_plc_alloc(&dec->plc, dec->srate);
	case CODEC_OPUS:
		dec->opus =
		    opus_decoder_create((opus_int32)dec->srate, 1, &oerr);
		if (!dec->opus)
			return oerr == OPUS_ALLOC_FAIL ? ENOMEM : EPROTO;
		return 0;
	default:
		return EINVAL;
	}
}

int codec_dec_alloc(struct codec_dec **decp, const struct codec_desc *desc,
		    const struct codec_opts *opts)
{
	struct codec_dec *dec;
	int err;

	if (!decp || !desc || desc != codec_get(desc->id) ||
	    desc->id == CODEC_TEL_EVENT)
		return EINVAL;
	if (desc->id == CODEC_OPUS && !opus_rate_ok(pick_rate(desc, opts)))
		return EINVAL;
	dec = obj_zalloc(sizeof(*dec), dec_destroy);
	if (!dec)
		return ENOMEM;
	dec->desc = desc;
	dec->srate = pick_rate(desc, opts);
	err = dec_setup(dec);
	if (err)
		goto out;
	*decp = dec;
out:
	if (err)
		obj_deref(dec);
	return err;
}

uint32_t codec_dec_srate(const struct codec_dec *dec)
{
	return dec ? dec->srate : 0;
}

static int opus_err(int r)
{
	if (r == OPUS_BUFFER_TOO_SMALL)
		return ENOMEM;
	return EBADMSG;
}

int codec_decode(struct codec_dec *dec, const uint8_t *payload, size_t len,
		 int16_t *pcm, size_t max, size_t *n)
{
	size_t i, out;

	if (!dec || !payload || !pcm || !n || !len)
		return EINVAL;
	switch (dec->desc->id) {
	case CODEC_PCMU:
	case CODEC_PCMA:
		if (len > dec->desc->max_payload * 6)
			return EBADMSG;
		if (max < len)
			return ENOMEM;
		for (i = 0; i < len; i++)
			pcm[i] = dec->desc->id == CODEC_PCMU
				     ? ulaw_to_linear(payload[i])
				     : alaw_to_linear(payload[i]);
		out = len;
		break;
	case CODEC_G722:
		if (len > dec->desc->max_payload * 6)
			return EBADMSG;
		if (max < len * 2)
			return ENOMEM;
		out = (size_t)g722_decode(dec->g722, pcm, payload, (int)len);
		break;
	case CODEC_OPUS: {
		int r;
		if (len > 1275 * 3)
			return EBADMSG;
		r = opus_decode(dec->opus, payload, (opus_int32)len, pcm,
				(int)(max > 5760 ? 5760 : max), 0);
		if (r < 0)
			return opus_err(r);
		*n = (size_t)r;
		return 0;
	}
	default:
		return EINVAL;
	}
	codec_plc_rx(dec->plc, pcm, out);
	*n = out;
	return 0;
}

int codec_conceal(struct codec_dec *dec, int16_t *pcm, size_t n)
{
	if (!dec || !pcm || !n || n > 5760)
		return EINVAL;
	if (dec->opus) {
		int r = opus_decode(dec->opus, NULL, 0, pcm, (int)n, 0);
		return r < 0 ? opus_err(r) : 0;
	}
	codec_plc_fill(dec->plc, pcm, n);
	return 0;
}

int codec_decode_fec(struct codec_dec *dec, const uint8_t *payload, size_t len,
		     int16_t *pcm, size_t n)
{
	int r;

	if (!dec || !payload || !len || !pcm || !n || n > 5760)
		return EINVAL;
	if (!dec->opus)
		return ENOSYS;
	if (len > 1275 * 3)
		return EBADMSG;
	r = opus_decode(dec->opus, payload, (opus_int32)len, pcm, (int)n, 1);
	return r < 0 ? opus_err(r) : 0;
}
