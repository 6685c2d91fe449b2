/* codec.h: audio codec table and encoder/decoder objects (G.711, G.722, Opus).
 */
#ifndef PB_AUDIO_CODEC_H
#define PB_AUDIO_CODEC_H

#include <stddef.h>
#include <stdint.h>

/** Codec identifiers. */
enum codec_id {
	CODEC_PCMU = 0,
	CODEC_PCMA,
	CODEC_G722,
	CODEC_OPUS,
	CODEC_TEL_EVENT,
	CODEC_COUNT,
};

/**
 * Packet times. The stream's clock and the sound card run in 20 ms frames
 * (CODEC_PTIME_MS, also what we send unless the far end asks otherwise);
 * an RTP packet carries 10..120 ms in steps of 10 ms (CODEC_PKT_MIN_MS ..
 * CODEC_PKT_MAX_MS) when decoded, and we send at most CODEC_TX_MAX_MS.
 */
enum {
	CODEC_PTIME_MS = 20,
	CODEC_PKT_MIN_MS = 10,
	CODEC_PKT_MAX_MS = 120,
	CODEC_TX_MAX_MS = 60,
	CODEC_PT_DYNAMIC = -1,
};

/** Static description of one codec, as named in SDP rtpmap. */
struct codec_desc {
	enum codec_id id;   /**< identifier                           */
	const char *name;   /**< rtpmap encoding name ("PCMU")        */
	int pt;		    /**< static payload type or -1 (dynamic)  */
	uint32_t clock;	    /**< RTP clock rate (G722: 8000)          */
	uint8_t channels;   /**< rtpmap channels (opus: 2)            */
	uint32_t srate;	    /**< native sample rate of the PCM        */
	size_t max_payload; /**< largest payload of one 20 ms frame   */
};

/** Look a codec up by rtpmap name (case-insensitive) and clock rate
 *  (0 matches any); NULL if unknown. */
const struct codec_desc *codec_find(const char *name, uint32_t clock);
/** Descriptor by id; NULL if out of range. */
const struct codec_desc *codec_get(enum codec_id id);
/** Samples in one 20 ms frame at @p srate. */
size_t codec_frame_samples(uint32_t srate);
/** Samples in @p ms milliseconds at @p srate. */
size_t codec_ms_samples(uint32_t srate, unsigned ms);
/**
 * The packet time to send, from the far end's a=ptime and a=maxptime
 * (0 = not given): its ptime when that is 10..60 ms in steps of 10,
 * else 20 ms; then no more than its maxptime (rounded down to 10 ms)
 * when that is 10 ms or more. Anything else (0, 7, 1000) gives 20 ms.
 */
unsigned codec_tx_ptime(unsigned ptime, unsigned maxptime);
/**
 * Duration of one RTP payload of codec @p desc in RTP clock ticks (G.711:
 * one per byte, G.722: one per byte at its 8000 Hz clock, Opus: from the
 * TOC byte and frame count, at 48000 Hz).
 * @return 0, EINVAL (no payload / not an audio codec), EBADMSG (malformed
 *         Opus packet).
 */
int codec_payload_ticks(const struct codec_desc *desc, const uint8_t *payload,
			size_t len, uint32_t *ticks);

/** Encoder options (Opus only; others ignore them). */
struct codec_opts {
	uint32_t srate; /**< PCM rate for opus: 8000/16000/48000  */
	int complexity; /**< opus complexity 0..10                */
	int bitrate;	/**< opus bits/s                          */
	int fec;	/**< opus in-band FEC on                  */
	int dtx;	/**< opus DTX on                          */
	int loss_pct;	/**< expected loss (tunes opus FEC)       */
};

/** Defaults: srate = native, complexity 5, 32 kbit/s, FEC on, 5 % loss. */
void codec_opts_default(struct codec_opts *opts);

struct codec_enc;
struct codec_dec;

/**
 * Allocate an encoder. @p opts may be NULL (defaults).
 * @return 0, EINVAL (bad codec/rate), ENOMEM, EPROTO (library failed).
 */
int codec_enc_alloc(struct codec_enc **encp, const struct codec_desc *desc,
		    const struct codec_opts *opts);
/** PCM sample rate the encoder expects. */
uint32_t codec_enc_srate(const struct codec_enc *enc);
/**
 * Encode @p n samples, one RTP packet's worth: 10..120 ms in steps of
 * 10 ms (Opus packets of 30, 50, 70.. ms hold several 10 or 20 ms frames,
 * RFC 6716 code 3), into @p out (@p max bytes).
 * @return 0, EINVAL (wrong frame size / args), ENOMEM (out too small),
 *         EPROTO (codec error).
 */
int codec_encode(struct codec_enc *enc, const int16_t *pcm, size_t n,
		 uint8_t *out, size_t max, size_t *len);

/** Allocate a decoder; @p opts may be NULL (only srate is used). */
int codec_dec_alloc(struct codec_dec **decp, const struct codec_desc *desc,
		    const struct codec_opts *opts);
/** PCM sample rate the decoder produces. */
uint32_t codec_dec_srate(const struct codec_dec *dec);
/**
 * Decode one payload into @p pcm (@p max samples), *@p n = samples out.
 * @return 0, EINVAL, EBADMSG (bad payload), ENOMEM (pcm too small).
 */
int codec_decode(struct codec_dec *dec, const uint8_t *payload, size_t len,
		 int16_t *pcm, size_t max, size_t *n);
/**
 * Fill @p n samples (one 20 ms frame) for a missing packet: pitch-repetition
 * PLC for G.711 and G.722 (plc.c), Opus PLC.
 */
int codec_conceal(struct codec_dec *dec, int16_t *pcm, size_t n);
/**
 * Opus only: recover the missing frame before @p payload from its in-band
 * FEC data. @return 0, ENOSYS for other codecs, EBADMSG.
 */
int codec_decode_fec(struct codec_dec *dec, const uint8_t *payload, size_t len,
		     int16_t *pcm, size_t n);

/** Resampler between two rates (speexdsp). */
struct codec_resamp;
/** @p quality 0..10 (speex); 0, EINVAL, ENOMEM, EPROTO. */
int codec_resamp_alloc(struct codec_resamp **rsp, uint32_t in_rate,
		       uint32_t out_rate, int quality);
/**
 * Convert @p n_in samples; *@p n_out in: room in @p out, out: written.
 * @return 0, EINVAL, ENOMEM (out too small for the whole input).
 */
int codec_resample(struct codec_resamp *rs, const int16_t *in, size_t n_in,
		   int16_t *out, size_t *n_out);

#endif
