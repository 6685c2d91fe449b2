/* dtmf.c: received DTMF, reported once per key press.
 *
 * RFC 4733 events are reported as they arrive. In-band tones are reported
 * at once when no telephone-event was negotiated. When it was, a peer may
 * send both the event and the tone for one press, in either order: an
 * in-band digit equal to the event digit seen within the last second is
 * dropped, and any other in-band digit is held for STRM_INBAND_HOLD_MS,
 * dropped if its event arrives meanwhile, reported otherwise (a peer that
 * negotiated events but sends tones only).
 */
#include "audio/stream/stream_int.h"

static void deliver(struct stream *s, char digit)
{
	if (s->closed)
		return;
	s->dtmf_rx++;
	if (s->h.dtmfh)
		s->h.dtmfh(digit, s->arg);
}

void stream_dtmf_flush(struct stream *s, bool all)
{
	char d = s->ib_pend;

	if (!d || (!all && loop_now(s->loop) - s->ib_at < STRM_INBAND_HOLD_MS))
		return;
	s->ib_pend = 0;
	deliver(s, d);
}

void stream_dtmf_event(char digit, void *arg)
{
	struct stream *s = arg;

	if (s->ib_pend == digit)
		s->ib_pend = 0; /* the tone of this very press */
	else
		stream_dtmf_flush(s, true);
	s->ev_last = digit;
	deliver(s, digit);
}

void stream_dtmf_inband(char digit, void *arg)
{
	struct stream *s = arg;

	if (s->det_n < STRM_PENDING)
		s->det_new[s->det_n++] = digit;
}

static void inband_one(struct stream *s, int te_pt, char digit)
{
	uint64_t now = loop_now(s->loop);

	if (te_pt < 0) {
		deliver(s, digit);
		return;
	}
	if (s->ev_last == digit && now - s->ev_pkt_at < STRM_DUP_WINDOW_MS)
		return;
	stream_dtmf_flush(s, true);
	s->ib_pend = digit;
	s->ib_at = now;
}

void stream_dtmf_detected(struct stream *s, int te_pt)
{
	char d[STRM_PENDING];
	unsigned n = s->det_n;

	/* copy first: a handler may restart the stream */
	for (unsigned i = 0; i < n; i++)
		d[i] = s->det_new[i];
	s->det_n = 0;
	for (unsigned i = 0; i < n && !s->closed; i++)
		inband_one(s, te_pt, d[i]);
}
