/* jbuf.c: adaptive jitter buffer.
 *
 * Packets sit in a ring of JB_SLOTS slots indexed by position (units of
 * opts.ptime ms); a packet covers `span` units from its position and sits
 * in the slot of its first one. Playout walks the positions, a packet at
 * a time, starting once the buffered time (the end of the newest packet
 * minus the next position) reaches the target delay. A packet for a place
 * already played is "late"; the same position twice is a duplicate. A
 * position with no packet is a gap as long as the packet played before it
 * (shorter when the next packet starts sooner).
 *
 * Delay adaptation: for every packet we compute its transit time
 * (arrival - RTP time) relative to the smallest transit seen lately; that
 * excess is how long this packet would have needed to wait. The peak excess
 * decays slowly (about 3 s half-life), so the target
 *   target = clamp(packet time + peak, min, max)  rounded up to whole units
 * rises at once under jitter and sinks back when the network calms. The
 * playout grows the delay by inserting a filler (EAGAIN) and shrinks it
 * by skipping a packet, at most once per JB_ADAPT_TICKS ticks, deciding
 * at the first take of a tick (jb_tick), while the buffer is fullest. When the
 * buffer runs dry playout stops advancing and buffers up again, so a
 * sender that paused (DTX) resumes without its packets counted as late.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "audio/jbuf.h"
#include "base/mem.h"

enum {
	JB_SLOTS = 64,
	JB_MAX_PAYLOAD = 1500,
	JB_ADAPT_TICKS = 10,
	JB_RESYNC = 3000, /**< position jump that means "new stream"   */
};

struct jb_slot {
	bool used;
	uint16_t seq;  /**< its position                      */
	uint16_t span; /**< units it covers                   */
	size_t len;
	uint8_t data[JB_MAX_PAYLOAD];
};

struct jbuf {
	struct jb_opts o;
	struct jb_slot slot[JB_SLOTS];
	struct jb_stats st;
	bool have_seq;	   /**< next_seq valid                  */
	bool playing;	   /**< playout started                 */
	uint16_t next_seq; /**< next position to hand out       */
	uint16_t end_seq;  /**< end of the newest packet        */
	uint16_t span;	   /**< units of the last packet put    */
	uint16_t played;   /**< units of the last packet taken  */
	double min_transit;
	double peak; /**< excess transit peak (ms)        */
	double prev_transit;
	bool have_transit;
	unsigned since_adapt;
	bool tick; /**< next take starts a playout tick */
};

void jb_opts_default(struct jb_opts *opts)
{
	if (!opts)
		return;
	opts->clock = 8000;
	opts->ptime = 20;
	opts->min_ms = 20;
	opts->max_ms = 200;
	opts->init_ms = 40;
}

int jb_alloc(struct jbuf **jbp, const struct jb_opts *opts)
{
	struct jb_opts def;
	struct jbuf *jb;

	if (!opts) {
		jb_opts_default(&def);
		opts = &def;
	}
	if (!jbp || !opts->clock || !opts->ptime ||
	    opts->min_ms > opts->max_ms ||
	    opts->max_ms > (JB_SLOTS - 4) * opts->ptime)
		return EINVAL;
	jb = obj_zalloc(sizeof(*jb), NULL);
	if (!jb)
		return ENOMEM;
	jb->o = *opts;
	jb->st.target_ms = opts->init_ms < opts->min_ms	  ? opts->min_ms
			   : opts->init_ms > opts->max_ms ? opts->max_ms
							  : opts->init_ms;
	*jbp = jb;
	return 0;
}

void jb_flush(struct jbuf *jb)
{
	if (!jb)
		return;
	for (size_t i = 0; i < JB_SLOTS; i++)
		jb->slot[i].used = false;
	jb->have_seq = jb->playing = jb->have_transit = false;
	jb->peak = 0;
}

/* Units buffered ahead of the playout. */
static unsigned depth(const struct jbuf *jb)
{
	int16_t d;
	if (!jb->have_seq)
		return 0;
	d = (int16_t)(jb->end_seq - jb->next_seq);
	return d < 0 ? 0 : (unsigned)d;
}

/* Time of the last packet (ms): the least that must be buffered. */
static unsigned pkt_ms(const struct jbuf *jb)
{
	return (jb->span ? jb->span : 1u) * jb->o.ptime;
}

static void update_target(struct jbuf *jb, uint32_t ts, uint64_t now_ms)
{
	double transit = (double)now_ms - (double)ts * 1000.0 / jb->o.clock;
	double excess, t;
	unsigned frames;

	/* RTP time wraps every 2^32 ticks; anchor to the previous packet. */
	if (jb->have_transit) {
		double d = transit - jb->prev_transit;
		if (d > 1e6 || d < -1e6)
			jb->have_transit = false;
		else
			jb->st.jitter_ms +=
			    ((d < 0 ? -d : d) - jb->st.jitter_ms) / 16.0;
	}
	if (!jb->have_transit) {
		jb->min_transit = transit;
		jb->have_transit = true;
	}
	jb->prev_transit = transit;
	/* let the floor creep up so a changed path is learnt */
	jb->min_transit += 0.002;
	if (transit < jb->min_transit)
		jb->min_transit = transit;
	excess = transit - jb->min_transit;
	jb->peak *= 0.995;
	if (excess > jb->peak)
		jb->peak = excess;
	t = pkt_ms(jb) + jb->peak;
	frames = (unsigned)((t + jb->o.ptime - 1) / jb->o.ptime);
	t = (double)frames * jb->o.ptime;
	if (t < jb->o.min_ms)
		t = jb->o.min_ms;
	if (t > jb->o.max_ms)
		t = jb->o.max_ms;
	jb->st.target_ms = (unsigned)t;
}

/* Start over at position @p pos (first packet, or the sender jumped). */
static void restart(struct jbuf *jb, uint16_t pos)
{
	jb_flush(jb);
	jb->have_seq = true;
	jb->next_seq = jb->end_seq = pos;
}

int jb_put_span(struct jbuf *jb, const struct jb_pkt *pkt, uint64_t now_ms)
{
	struct jb_slot *s;
	int16_t ahead;
	uint16_t end;

	if (!jb || !pkt || !pkt->payload || !pkt->len ||
	    pkt->len > JB_MAX_PAYLOAD || !pkt->span || pkt->span > JB_SPAN_MAX)
		return EINVAL;
	if (!jb->have_seq)
		restart(jb, pkt->pos);
	ahead = (int16_t)(pkt->pos - jb->next_seq);
	if (ahead < 0 && -ahead < JB_RESYNC) {
		jb->st.late++;
		return ETIMEDOUT;
	}
	if (ahead < 0 || ahead + pkt->span > JB_SLOTS) {
		/* far ahead or behind: the sender restarted; follow it */
		restart(jb, pkt->pos);
	}
	s = &jb->slot[pkt->pos % JB_SLOTS];
	if (s->used && s->seq == pkt->pos) {
		jb->st.dup++;
		return EALREADY;
	}
	s->used = true;
	s->seq = pkt->pos;
	s->span = pkt->span;
	s->len = pkt->len;
	memcpy(s->data, pkt->payload, pkt->len);
	end = (uint16_t)(pkt->pos + pkt->span);
	if ((int16_t)(end - jb->end_seq) > 0)
		jb->end_seq = end;
	jb->span = pkt->span;
	jb->st.put++;
	update_target(jb, pkt->ts, now_ms);
	jb->st.delay_ms = depth(jb) * jb->o.ptime;
	return 0;
}

int jb_put(struct jbuf *jb, uint16_t seq, uint32_t ts, const uint8_t *payload,
	   size_t len, uint64_t now_ms)
{
	struct jb_pkt p = {seq, 1, ts, payload, len};

	return jb_put_span(jb, &p, now_ms);
}

static struct jb_slot *slot_of(const struct jbuf *jb, uint16_t seq)
{
	struct jb_slot *s = (struct jb_slot *)&jb->slot[seq % JB_SLOTS];
	return s->used && s->seq == seq ? s : NULL;
}

/* Units from the next position to the next packet buffered, at most
 * @p limit. */
static uint16_t gap(const struct jbuf *jb, uint16_t limit)
{
	uint16_t n = 1;

	while (n < limit && !slot_of(jb, (uint16_t)(jb->next_seq + n)))
		n++;
	return n;
}

/* Move the playout @p n units on, dropping what it passes. */
static void advance(struct jbuf *jb, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		struct jb_slot *s = slot_of(jb, jb->next_seq);
		if (s)
			s->used = false;
		jb->next_seq++;
	}
	if ((int16_t)(jb->end_seq - jb->next_seq) < 0)
		jb->end_seq = jb->next_seq;
	jb->st.delay_ms = depth(jb) * jb->o.ptime;
}

/* Units the next packet covers (1 when it is missing). */
static uint16_t next_span(const struct jbuf *jb)
{
	const struct jb_slot *s = slot_of(jb, jb->next_seq);
	return s ? s->span : 1;
}

/* Grow or shrink toward the target; true when this take is a filler. */
static bool adapt(struct jbuf *jb)
{
	unsigned d = depth(jb) * jb->o.ptime;

	if (!jb->tick)
		return false;
	jb->tick = false;
	if (++jb->since_adapt < JB_ADAPT_TICKS)
		return false;
	if (d + jb->o.ptime <= jb->st.target_ms) {
		jb->since_adapt = 0;
		jb->st.stretched++;
		return true;
	}
	if (d > jb->st.target_ms + 2 * pkt_ms(jb)) {
		jb->since_adapt = 0;
		jb->st.skipped++;
		advance(jb, next_span(jb));
	}
	return false;
}

/* Is a packet due now? (false: EAGAIN) */
static bool due(struct jbuf *jb)
{
	if (!jb->playing) {
		if (!jb->have_seq || depth(jb) * jb->o.ptime < jb->st.target_ms)
			return false;
		jb->playing = true;
		return true;
	}
	if (!depth(jb)) {
		/* ran dry (silence suppression, DTX, or a burst of loss):
		 * stand still and rebuild the target delay, so the next
		 * packets are played, not declared late */
		jb->playing = false;
		jb->st.underrun++;
		return false;
	}
	return !adapt(jb);
}

int jb_take(struct jbuf *jb, uint8_t *buf, size_t max, struct jb_out *out)
{
	struct jb_slot *s;

	if (!jb || !buf || !out)
		return EINVAL;
	if (!due(jb))
		return EAGAIN;
	out->pos = jb->next_seq;
	s = slot_of(jb, jb->next_seq);
	if (!s) {
		out->span = gap(jb, jb->played ? jb->played
				    : jb->span ? jb->span
					       : 1);
		out->len = 0;
		jb->st.lost++;
		advance(jb, out->span);
		return ENOENT;
	}
	if (max < s->len)
		return ENOMEM;
	memcpy(buf, s->data, s->len);
	out->span = jb->played = s->span;
	out->len = s->len;
	jb->st.played++;
	advance(jb, s->span);
	return 0;
}

void jb_tick(struct jbuf *jb)
{
	if (jb)
		jb->tick = true;
}

int jb_get(struct jbuf *jb, uint8_t *buf, size_t max, size_t *len,
	   uint16_t *seq)
{
	struct jb_out o;
	int e;

	if (!len)
		return EINVAL;
	jb_tick(jb);
	e = jb_take(jb, buf, max, &o);
	if (e == EAGAIN || e == ENOMEM || e == EINVAL)
		return e;
	if (seq)
		*seq = o.pos;
	if (!e)
		*len = o.len;
	return e;
}

int jb_peek(const struct jbuf *jb, const uint8_t **payload, size_t *len)
{
	const struct jb_slot *s;

	if (!jb || !payload || !len || !jb->have_seq)
		return ENOENT;
	s = slot_of(jb, jb->next_seq);
	if (!s)
		return ENOENT;
	*payload = s->data;
	*len = s->len;
	return 0;
}

void jb_stats_get(const struct jbuf *jb, struct jb_stats *st)
{
	if (jb && st)
		*st = jb->st;
}
