/* rx.c: the receiving half: RTP packets into the jitter buffer (or the
 * RFC 4733 receiver), and per tick one 20 ms frame played from the queue
 * of decoded audio, resampled to the device rate, and listened to for
 * DTMF. The queue is refilled a packet at a time: a packet of 10..120 ms
 * decodes whole into it; a missing one is concealed (or recovered by Opus
 * FEC from the packet after it) for as long as it lasted.
 *
 * The jitter buffer is indexed by time, not by the RTP sequence number:
 * position = (ts - ts of the first packet) / 10 ms, and a packet spans its
 * duration (from its length, or its Opus TOC) in 10 ms units. The
 * sender's telephone-event and comfort-noise packets share its sequence
 * numbers; counting them as lost audio would add delay each time.
 * When the sender pauses (hold, DTX, RFC 4733 events) the buffer runs dry;
 * a packet that then comes with a jump in time is moved back to the next
 * frame, so the pause is not played again as a gap after it ended.
 */
#include <errno.h>
#include <string.h>

#include "audio/stream/stream_int.h"
#include "base/mem.h"

void stream_rx_reset(struct stream *s)
{
	s->rx_have = false;
	s->playing = false;
	s->conceal_ms = 0;
	if (s->m) {
		jb_flush(s->m->jb);
		s->m->rx_n = 0;
	}
}

static uint16_t frame_index(const struct stream *s,
			    const struct stream_media *m, uint32_t ts)
{
	int64_t d = (int32_t)(ts - s->rx_base);
	int64_t half = m->unit / 2;

	d = d >= 0 ? (d + half) / m->unit : -((-d + half) / m->unit);
	return (uint16_t)d;
}

static void audio_in(struct stream *s, struct stream_media *m,
		     const struct rtp_hdr *h)
{
	struct jb_stats js;
	struct jb_pkt pkt;
	bool fresh = false;
	uint32_t ticks;
	uint16_t idx, span;

	if (!s->rx_on ||
	    codec_payload_ticks(m->desc, h->payload, h->payload_len, &ticks))
		return;
	/* shorter than 10 ms (Opus 2.5 and 5 ms frames) or longer than
	 * 120 ms: not ours to play */
	span = (uint16_t)((ticks + m->unit / 2) / m->unit);
	if (ticks < m->unit || span > JB_SPAN_MAX)
		return;
	if (!s->rx_have || h->ssrc != s->rx_ssrc) {
		fresh = true;
		jb_flush(m->jb);
		s->rx_have = true;
		s->rx_ssrc = h->ssrc;
		s->rx_base = h->ts;
	}
	idx = frame_index(s, m, h->ts);
	if (fresh) {
		s->rx_next = idx;
	} else if ((int16_t)(idx - s->rx_next) > 0) {
		jb_stats_get(m->jb, &js);
		if (!js.delay_ms) { /* ran dry: a new talkspurt */
			s->rx_base +=
			    (uint32_t)(uint16_t)(idx - s->rx_next) * m->unit;
			idx = s->rx_next;
		}
	}
	if ((int16_t)(idx + span - s->rx_next) > 0)
		s->rx_next = (uint16_t)(idx + span);
	pkt = (struct jb_pkt){idx, span, h->ts, h->payload, h->payload_len};
	jb_put_span(m->jb, &pkt, loop_now(s->loop));
}

void stream_rtp_recv(const struct rtp_hdr *h, void *arg)
{
	struct stream *s = arg;
	struct stream_media *m = s->m;

	if (!m || s->closed)
		return;
	obj_ref(s);
	obj_ref(m);
	if (m->te_pt >= 0 && h->pt == m->te_pt) {
		s->ev_pkt_at = loop_now(s->loop);
		dtmf_ev_rx_put(m->evrx, h->ts, h->marker, h->payload,
			       h->payload_len);
	} else if (h->pt == m->pt) {
		audio_in(s, m, h);
	}
	obj_deref(m);
	obj_deref(s);
}

/* Conceal @p n samples at @p pcm, from Opus FEC in the packet after a
 * gap when @p fec; silence before the first packet and after
 * STRM_CONCEAL_MS. */
static void conceal(struct stream *s, struct stream_media *m, int16_t *pcm,
		    size_t n, bool fec)
{
	const uint8_t *next;
	size_t nlen;

	if (!s->playing || s->conceal_ms >= STRM_CONCEAL_MS)
		goto silence;
	s->conceal_ms += (unsigned)(n * 1000 / m->dec_rate);
	s->rx_concealing = true;
	if (fec && !jb_peek(m->jb, &next, &nlen) &&
	    !codec_decode_fec(m->dec, next, nlen, pcm, n))
		return;
	if (!codec_conceal(m->dec, pcm, n))
		return;
silence:
	memset(pcm, 0, n * sizeof(*pcm));
}

/* Samples of @p units jitter buffer units at the decoder rate. */
static size_t unit_samples(const struct stream_media *m, unsigned units)
{
	return codec_ms_samples(m->dec_rate, units * STRM_UNIT_MS);
}

/* Decode (or conceal) the next packet into the queue.
 * @return false when none is due. */
static bool queue_packet(struct stream *s, struct stream_media *m)
{
	uint8_t pl[1500];
	int16_t *dst = m->rx_pcm + m->rx_n;
	size_t room = STRM_RX_MAX - m->rx_n, n = 0;
	struct jb_out o;
	int e;

	e = jb_take(m->jb, pl, sizeof(pl), &o);
	if (e == EAGAIN || e == EINVAL || e == ENOMEM)
		return false;
	if (!e && !codec_decode(m->dec, pl, o.len, dst, room, &n) && n) {
		m->rx_n += n;
		s->playing = true;
		s->conceal_ms = 0;
		return true;
	}
	n = unit_samples(m, o.span);
	if (n > room)
		n = room;
	conceal(s, m, dst, n, e == ENOENT);
	m->rx_n += n;
	return true;
}

/* Fill @p pcm (dec_frame samples) with this tick's audio. */
static void frame_get(struct stream *s, struct stream_media *m, int16_t *pcm)
{
	size_t f = m->dec_frame;

	s->rx_concealing = false;
	jb_tick(m->jb);
	while (m->rx_n < f && queue_packet(s, m))
		;
	if (m->rx_n < f) {
		/* nothing due: conceal what is missing from this tick */
		conceal(s, m, m->rx_pcm + m->rx_n, f - m->rx_n, false);
		m->rx_n = f;
	}
	if (s->rx_concealing)
		s->concealed++;
	memcpy(pcm, m->rx_pcm, f * sizeof(*pcm));
	m->rx_n -= f;
	memmove(m->rx_pcm, m->rx_pcm + f, m->rx_n * sizeof(*pcm));
}

static void detect(struct stream *s, struct stream_media *m, const int16_t *pcm)
{
	int16_t n8[160];

	stream_resample(m->rs_det, pcm, m->dec_frame, n8, 160);
	s->det_n = 0;
	dtmf_det_put(m->det, n8, 160);
	stream_dtmf_detected(s, m->te_pt);
}

void stream_rx_frame(struct stream *s, struct stream_media *m)
{
	int16_t pcm[STRM_MAX_FRAME], dev[STRM_MAX_FRAME];

	if (!m || !s->rx_on) {
		memset(dev, 0, s->frame * sizeof(*dev));
		audev_write(s->sink, dev);
		return;
	}
	frame_get(s, m, pcm);
	stream_resample(m->rs_rx, pcm, m->dec_frame, dev, s->frame);
	audev_write(s->sink, dev);
	detect(s, m, pcm);
	stream_dtmf_flush(s, false);
}
