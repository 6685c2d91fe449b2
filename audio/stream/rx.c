/* rx.c: the receiving half: RTP packets into the jitter buffer (or the
 * RFC 4733 receiver), and per tick one frame decoded or concealed,
 * resampled to the device rate, played, and listened to for DTMF.
 *
 * The jitter buffer is indexed by frame number, not by the RTP sequence
 * number: frame = (ts - ts of the first packet) / samples per frame. The
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
	s->conceal_run = 0;
	if (s->m)
		jb_flush(s->m->jb);
}

static uint16_t frame_index(const struct stream *s,
			    const struct stream_media *m, uint32_t ts)
{
	int64_t d = (int32_t)(ts - s->rx_base);
	int64_t half = m->step / 2;

	d = d >= 0 ? (d + half) / m->step : -((-d + half) / m->step);
	return (uint16_t)d;
}

static void audio_in(struct stream *s, struct stream_media *m,
		     const struct rtp_hdr *h)
{
	struct jb_stats js;
	bool fresh = false;
	uint16_t idx;

	if (!s->rx_on)
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
			    (uint32_t)(uint16_t)(idx - s->rx_next) * m->step;
			idx = s->rx_next;
		}
	}
	if ((int16_t)(idx - s->rx_next) >= 0)
		s->rx_next = (uint16_t)(idx + 1);
	jb_put(m->jb, idx, h->ts, h->payload, h->payload_len,
	       loop_now(s->loop));
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

/* Fill @p pcm (dec_frame samples) with this tick's audio. */
static void frame_get(struct stream *s, struct stream_media *m, int16_t *pcm)
{
	uint8_t pl[1500];
	const uint8_t *next;
	size_t len, n = 0, nlen;
	int e;

	e = jb_get(m->jb, pl, sizeof(pl), &len, NULL);
	if (!e && !codec_decode(m->dec, pl, len, pcm, m->dec_frame, &n)) {
		if (n < m->dec_frame)
			memset(pcm + n, 0, (m->dec_frame - n) * sizeof(*pcm));
		s->playing = true;
		s->conceal_run = 0;
		return;
	}
	if (e == EAGAIN && !s->playing)
		goto silence;
	if (s->conceal_run >= STRM_CONCEAL_MAX)
		goto silence;
	s->conceal_run++;
	s->concealed++;
	if (e == ENOENT && !jb_peek(m->jb, &next, &nlen) &&
	    !codec_decode_fec(m->dec, next, nlen, pcm, m->dec_frame))
		return;
	if (!codec_conceal(m->dec, pcm, m->dec_frame))
		return;
silence:
	memset(pcm, 0, m->dec_frame * sizeof(*pcm));
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
