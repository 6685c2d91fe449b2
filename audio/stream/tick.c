/* tick.c: the 20 ms media clock: one frame out and one frame in per tick.
 *
 * Ticks are due at fixed 20 ms steps from the first start, not 20 ms after
 * the previous one ran, so a loop that runs late catches up (a few frames
 * at once, bounded) instead of drifting; a longer stall is skipped.
 */
#include "audio/stream/stream_int.h"
#include "base/mem.h"

static void frame_once(struct stream *s)
{
	struct stream_media *m = obj_ref(s->m);

	stream_tx_frame(s, m);
	if (!s->closed)
		stream_rx_frame(s, m);
	obj_deref(m);
	s->tick++;
}

static void tick(void *arg)
{
	struct stream *s = obj_ref(arg);
	uint64_t now = loop_now(s->loop);

	for (int n = 0; n < STRM_CATCHUP && !s->closed && s->next_due <= now;
	     n++) {
		frame_once(s);
		s->next_due += CODEC_PTIME_MS;
	}
	if (!s->closed) {
		if (s->next_due <= now)
			s->next_due = now + CODEC_PTIME_MS;
		tmr_start(s->loop, &s->tmr, s->next_due - now, tick, s);
	}
	obj_deref(s);
}

void stream_tick_start(struct stream *s)
{
	s->next_due = loop_now(s->loop) + CODEC_PTIME_MS;
	tmr_start(s->loop, &s->tmr, CODEC_PTIME_MS, tick, s);
}
