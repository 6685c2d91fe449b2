/* tx.c: the sending half of a tick: source frame -> (resample) -> mute ->
 * in-band DTMF overlay or RFC 4733 event -> packet of the negotiated
 * ptime (a tick's frame fills part of one, one, or two) -> encode -> RTP.
 * A packet's RTP time is that of its first sample. */
#include <errno.h>
#include <string.h>

#include "audio/stream/stream_int.h"
#include "base/mem.h"

/* One frame from the source; silence when it has none. */
static void source_read(struct stream *s, int16_t *pcm)
{
	if (audev_read(s->src, pcm))
		memset(pcm, 0, s->frame * sizeof(*pcm));
	/* a sound card running faster than our clock: keep latency low */
	if (s->src_be == AUDEV_PORTAUDIO)
		while (audev_queued(s->src) > 2 && !audev_read(s->src, pcm))
			;
}

static char dq_pop(struct stream *s)
{
	char d;

	if (!s->dq_n)
		return 0;
	d = s->dq[s->dq_head];
	s->dq_head = (s->dq_head + 1) % STRM_DQ_SIZE;
	s->dq_n--;
	return d;
}

/* RFC 4733: while an event runs, its packets replace the audio.
 * @return true when this tick's packet was an event. */
static bool event_tick(struct stream *s, struct stream_media *m, uint32_t ts)
{
	uint8_t buf[8];
	size_t len;
	bool marker;
	uint32_t ets;

	if (!s->ev_active) {
		if (s->ev_gap) {
			s->ev_gap--;
			return false;
		}
		if (!s->dq_n ||
		    dtmf_ev_tx_start(m->evtx, dq_pop(s), ts, s->dtmf_ms))
			return false;
		s->ev_active = true;
	}
	if (dtmf_ev_tx_poll(m->evtx, buf, sizeof(buf), &len, &marker, &ets)) {
		s->ev_active = false;
		s->ev_gap = STRM_DTMF_GAP_TICKS;
		s->tx_marker = true;
		return false;
	}
	if (rtp_send(s->rtp, (uint8_t)m->te_pt, marker, ets, buf, len))
		s->tx_err++;
	return true;
}

/* In-band DTMF: the generator's output replaces the audio while it runs. */
static void inband_overlay(struct stream *s, struct stream_media *m,
			   int16_t *pcm)
{
	int16_t g[160];
	char d[2] = {0, 0};

	if (!m->gen_busy && s->dq_n) {
		d[0] = dq_pop(s);
		m->gen_busy = !dtmf_gen_put(m->gen, d);
	}
	if (!m->gen_busy)
		return;
	if (dtmf_gen_read(m->gen, g, 160) < 160)
		m->gen_busy = false;
	stream_resample(m->rs_gen, g, 160, pcm, m->enc_frame);
}

/* The packet is full: encode and send it, keep what is left over. */
static void packet_send(struct stream *s, struct stream_media *m)
{
	uint8_t out[1500];
	size_t len;

	if (codec_encode(m->enc, m->tx_pcm, m->pkt_samples, out, sizeof(out),
			 &len)) {
		s->tx_err++;
	} else {
		if (rtp_send(s->rtp, m->pt, s->tx_marker, m->tx_ts, out, len))
			s->tx_err++;
		s->tx_marker = false;
	}
	m->tx_ts += m->pkt_ticks;
	m->tx_n -= m->pkt_samples;
	memmove(m->tx_pcm, m->tx_pcm + m->pkt_samples,
		m->tx_n * sizeof(*m->tx_pcm));
}

void stream_tx_frame(struct stream *s, struct stream_media *m)
{
	int16_t dev[STRM_MAX_FRAME], *pcm;
	uint32_t ts;

	source_read(s, dev);
	if (!m)
		return;
	if (!s->tx_on || s->closed) {
		m->tx_n = 0;
		return;
	}
	ts = s->tick * m->step;
	if (m->te_pt >= 0 && event_tick(s, m, ts)) {
		m->tx_n = 0; /* the event replaced this audio */
		return;
	}
	if (!m->tx_n)
		m->tx_ts = ts;
	if (s->muted)
		memset(dev, 0, s->frame * sizeof(*dev));
	pcm = m->tx_pcm + m->tx_n;
	stream_resample(m->rs_tx, dev, s->frame, pcm, m->enc_frame);
	if (m->te_pt < 0)
		inband_overlay(s, m, pcm);
	m->tx_n += m->enc_frame;
	while (m->tx_n >= m->pkt_samples)
		packet_send(s, m);
}
