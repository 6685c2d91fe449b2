/* stream_int.h: internals shared by the audio stream source files.
 *
 * Per 20 ms tick (tick.c) the stream reads one source frame at the device
 * rate, resamples it to the encoder rate, overlays in-band DTMF or sends an
 * RFC 4733 event instead (tx.c), and adds it to the packet being filled;
 * a full packet (the negotiated ptime: 10 ms makes two per tick, 60 ms
 * one every third tick) is encoded and sent. Then it plays 20 ms from the
 * receive queue of decoded audio, refilled from the jitter buffer a packet
 * (10..120 ms) at a time, or by concealment for missing ones; resampled
 * to the device rate, played, and listened to for DTMF (rx.c).
 * Everything that depends on the negotiated codec lives in one refcounted
 * struct stream_media (media.c), rebuilt and swapped when stream_start()
 * changes codec, payload types or clock, so a handler running in the middle
 * of a tick can restart or close the stream safely.
 */
#ifndef PB_AUDIO_STREAM_INT_H
#define PB_AUDIO_STREAM_INT_H

#include "audio/codec.h"
#include "audio/dtmf.h"
#include "audio/jbuf.h"
#include "audio/rtp/rtp.h"
#include "audio/stream.h"
#include "base/loop.h"

enum {
	STRM_MAX_FRAME = 960, /**< 20 ms at 48 kHz                    */
	STRM_UNIT_MS = 10,    /**< jitter buffer unit                 */
	/* at 48 kHz: a packet being filled, decoded audio not played yet */
	STRM_TX_MAX = 48 * (CODEC_TX_MAX_MS + CODEC_PTIME_MS),
	STRM_RX_MAX = 48 * (CODEC_PKT_MAX_MS + CODEC_PTIME_MS),
	STRM_DQ_SIZE = 64,	   /**< queued DTMF digits                 */
	STRM_CONCEAL_MS = 100,	   /**< concealment before silence         */
	STRM_CATCHUP = 5,	   /**< frames one late tick may catch up  */
	STRM_DTMF_GAP_TICKS = 3,   /**< pause between RFC 4733 digits      */
	STRM_INBAND_HOLD_MS = 240, /**< in-band digit waits for its event */
	STRM_DUP_WINDOW_MS = 1000, /**< event then in-band: same press    */
	STRM_PENDING = 8,
	STRM_SINK_PREFILL = 2, /**< silent frames queued before start  */
	STRM_PORT_MIN = 16384, /**< port range when none is given      */
	STRM_PORT_MAX = 32767, /**< digits detected within one frame   */
};

/** Everything that belongs to the negotiated codec. */
struct stream_media {
	const struct codec_desc *desc;
	uint8_t pt;	/**< its payload type                  */
	int te_pt;	/**< telephone-event PT or -1          */
	uint32_t clock; /**< RTP clock                         */
	uint32_t step;	/**< RTP ticks per 20 ms frame         */
	uint32_t unit;	/**< RTP ticks per jitter buffer unit  */
	struct codec_enc *enc;
	struct codec_dec *dec;
	size_t enc_frame; /**< samples per frame at encoder rate */
	size_t dec_frame; /**< samples per frame at decoder rate */
	uint32_t dec_rate;
	struct codec_resamp *rs_tx;  /**< device -> encoder, NULL if same */
	struct codec_resamp *rs_rx;  /**< decoder -> device, NULL if same */
	struct codec_resamp *rs_det; /**< decoder -> 8 kHz detector       */
	struct codec_resamp *rs_gen; /**< 8 kHz generator -> encoder      */
	struct jbuf *jb;
	struct dtmf_ev_tx *evtx;
	struct dtmf_ev_rx *evrx;
	struct dtmf_det *det;
	struct dtmf_gen *gen;
	bool gen_busy; /**< in-band digit being generated     */
	/* sending: the packet being filled */
	unsigned ptime;	    /**< ms per packet we send             */
	size_t pkt_samples; /**< its samples at the encoder rate   */
	uint32_t pkt_ticks; /**< its RTP ticks                     */
	uint32_t tx_ts;	    /**< RTP time of its first sample      */
	size_t tx_n;	    /**< samples in it so far              */
	int16_t tx_pcm[STRM_TX_MAX];
	/* receiving: decoded audio not played yet */
	size_t rx_n;
	int16_t rx_pcm[STRM_RX_MAX];
};

struct stream {
	struct loop *loop;
	struct stream_handlers h;
	void *arg;
	struct rtp_session *rtp;
	struct audev *src, *sink;
	enum audev_backend src_be, sink_be;
	uint32_t rate; /**< device rate                            */
	size_t frame;  /**< samples per device frame               */
	unsigned dtmf_ms;
	struct stream_media *m; /**< NULL before stream_start()    */
	bool started, closed, muted;
	bool tx_on, rx_on, has_peer;
	bool tx_marker; /**< next audio packet starts a talkspurt   */
	/* SRTP in force (to skip re-keying with the same keys) */
	bool srtp_on;
	enum srtpx_suite suite;
	uint8_t tx_key[SRTPX_MAX_KEYSALT], rx_key[SRTPX_MAX_KEYSALT];
	size_t tx_keylen, rx_keylen;
	/* timing */
	struct tmr tmr;
	uint64_t next_due; /**< loop ms of the next frame          */
	uint32_t tick;	   /**< frames since the first start       */
	/* DTMF sending */
	char dq[STRM_DQ_SIZE];
	unsigned dq_head, dq_n;
	unsigned ev_gap; /**< ticks to wait before the next event  */
	bool ev_active;
	/* DTMF receiving */
	char ib_pend;	    /**< in-band digit held back, 0 = none */
	uint64_t ib_at;	    /**< when it was detected              */
	char ev_last;	    /**< last RFC 4733 digit               */
	uint64_t ev_pkt_at; /**< last telephone-event packet       */
	char det_new[STRM_PENDING];
	unsigned det_n;
	/* receiving */
	bool rx_have; /**< rx_ssrc / rx_base valid            */
	uint32_t rx_ssrc;
	uint32_t rx_base;    /**< RTP ts that maps to position 0     */
	uint16_t rx_next;    /**< position after the newest packet   */
	bool playing;	     /**< a frame has been played            */
	unsigned conceal_ms; /**< concealed since the last packet   */
	bool rx_concealing;  /**< this tick used concealment        */
	/* figures */
	uint64_t dtmf_rx, concealed, tx_err;
};

/* media.c */
int stream_media_alloc(struct stream_media **mp, struct stream *s,
		       const struct codec_desc *desc,
		       const struct stream_params *p);
bool stream_media_same(const struct stream_media *m,
		       const struct codec_desc *desc,
		       const struct stream_params *p);
/** Resample one frame of @p n_in samples to exactly @p n_out (copy when
 *  @p rs is NULL: then n_in == n_out). */
void stream_resample(struct codec_resamp *rs, const int16_t *in, size_t n_in,
		     int16_t *out, size_t n_out);

/* tx.c */
void stream_tx_frame(struct stream *s, struct stream_media *m);

/* rx.c */
void stream_rx_frame(struct stream *s, struct stream_media *m);
void stream_rtp_recv(const struct rtp_hdr *hdr, void *arg);
void stream_rx_reset(struct stream *s);

/* dtmf.c */
void stream_dtmf_event(char digit, void *arg);
void stream_dtmf_inband(char digit, void *arg);
/** Handle the digits the detector reported during the last frame. */
void stream_dtmf_detected(struct stream *s, int te_pt);
/** Report an in-band digit held back for its event (@p all: now). */
void stream_dtmf_flush(struct stream *s, bool all);

/* tick.c */
void stream_tick_start(struct stream *s);

#endif
