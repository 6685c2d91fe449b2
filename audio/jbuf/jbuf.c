/* jbuf.c: adaptive jitter buffer.
 *
 * Packets sit in a ring of JB_SLOTS slots indexed by sequence number.
 * Playout walks the sequence numbers one frame per tick starting once the
 * buffered depth reaches the target delay. A packet for a frame already
 * played is "late"; the same sequence twice is a duplicate.
 *
 * Delay adaptation: for every packet we compute its transit time
 * (arrival - RTP time) relative to the smallest transit seen lately; that
 * excess is how long this packet would have needed to wait. The peak excess
 * decays slowly (about 3 s half-life), so the target
 *   target = clamp(ptime + peak, min, max)  rounded up to whole frames
 * rises at once under jitter and sinks back when the network calms. The
 * playout grows the delay by inserting a filler frame (EAGAIN) and shrinks
 * it by skipping a frame, at most once per JB_ADAPT_TICKS ticks. When
 * the buffer runs dry playout stops advancing and buffers up again, so a
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
	JB_RESYNC = 3000, /**< seq jump that means "new stream"   */
};

struct jb_slot {
	bool used;
	uint16_t seq;
	size_t len;
	uint8_t data[JB_MAX_PAYLOAD];
};

struct jbuf {
	struct jb_opts o;
	struct jb_slot slot[JB_SLOTS];
	struct jb_stats st;
	bool have_seq;	   /**< next_seq valid                  */
	bool playing;	   /**< playout started                 */
	uint16_t next_seq; /**< next frame to hand out          */
	uint16_t max_seq;  /**< highest sequence received       */
	double min_transit;
	double peak; /**< excess transit peak (ms)        */
	double prev_transit;
	bool have_transit;
	unsigned since_adapt;
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

static unsigned depth(const struct jbuf *jb)
{
	int16_t d;
	if (!jb->have_seq)
		return 0;
	d = (int16_t)(jb->max_seq - jb->next_seq);
	return d < 0 ? 0 : (unsigned)d + 1;
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
	t = jb->o.ptime + jb->peak;
	frames = (unsigned)((t + jb->o.ptime - 1) / jb->o.ptime);
	t = (double)frames * jb->o.ptime;
	if (t < jb->o.min_ms)
		t = jb->o.min_ms;
	if (t > jb->o.max_ms)
		t = jb->o.max_ms;
	jb->st.target_ms = (unsigned)t;
}

int jb_put(struct jbuf *jb, uint16_t seq, uint32_t ts, const uint8_t *payload,
	   size_t len, uint64_t now_ms)
{
	struct jb_slot *s;
	int16_t ahead;

	if (!jb || !payload || !len || len > JB_MAX_PAYLOAD)
		return EINVAL;
	if (!jb->have_seq) {
		jb->have_seq = true;
		jb->next_seq = seq;
		jb->max_seq = seq;
	}
	ahead = (int16_t)(seq - jb->next_seq);
	if (ahead < 0 && -ahead < JB_RESYNC) {
		jb->st.late++;
		return ETIMEDOUT;
	}
	if (ahead >= JB_SLOTS || ahead < 0) {
		/* far ahead or behind: the sender restarted; follow it */
		jb_flush(jb);
		jb->have_seq = true;
		jb->next_seq = jb->max_seq = seq;
		ahead = 0;
	}
	s = &jb->slot[seq % JB_SLOTS];
	if (s->used && s->seq == seq) {
		jb->st.dup++;
		return EALREADY;
	}
	s->used = true;
	s->seq = seq;
	s->len = len;
	memcpy(s->data, payload, len);
	if ((int16_t)(seq - jb->max_seq) > 0)
		jb->max_seq = seq;
	jb->st.put++;
	update_target(jb, ts, now_ms);
	jb->st.delay_ms = depth(jb) * jb->o.ptime;
	return 0;
}

static struct jb_slot *slot_of(const struct jbuf *jb, uint16_t seq)
{
	struct jb_slot *s = (struct jb_slot *)&jb->slot[seq % JB_SLOTS];
	return s->used && s->seq == seq ? s : NULL;
}

static void advance(struct jbuf *jb)
{
	struct jb_slot *s = slot_of(jb, jb->next_seq);
	if (s)
		s->used = false;
	jb->next_seq++;
	if ((int16_t)(jb->max_seq - jb->next_seq) < 0)
		jb->max_seq = (uint16_t)(jb->next_seq - 1);
}

/* Grow or shrink toward the target; true when this tick is a filler. */
static bool adapt(struct jbuf *jb)
{
	unsigned d = depth(jb) * jb->o.ptime;

	if (++jb->since_adapt < JB_ADAPT_TICKS)
		return false;
	if (d + jb->o.ptime <= jb->st.target_ms) {
		jb->since_adapt = 0;
		jb->st.stretched++;
		return true;
	}
	if (d > jb->st.target_ms + 2 * jb->o.ptime) {
		jb->since_adapt = 0;
		jb->st.skipped++;
		advance(jb);
	}
	return false;
}

int jb_get(struct jbuf *jb, uint8_t *buf, size_t max, size_t *len,
	   uint16_t *seq)
{
	struct jb_slot *s;

	if (!jb || !buf || !len)
		return EINVAL;
	if (!jb->playing) {
		if (!jb->have_seq || depth(jb) * jb->o.ptime < jb->st.target_ms)
			return EAGAIN;
		jb->playing = true;
	} else if (!depth(jb)) {
		/* ran dry (silence suppression, DTX, or a burst of loss):
		 * stand still and rebuild the target delay, so the next
		 * packets are played, not declared late */
		jb->playing = false;
		jb->st.underrun++;
		return EAGAIN;
	} else if (adapt(jb)) {
		return EAGAIN;
	}
	if (seq)
		*seq = jb->next_seq;
	s = slot_of(jb, jb->next_seq);
	if (!s) {
		jb->st.lost++;
		advance(jb);
		jb->st.delay_ms = depth(jb) * jb->o.ptime;
		return ENOENT;
	}
	if (max < s->len)
		return ENOMEM;
	memcpy(buf, s->data, s->len);
	*len = s->len;
	jb->st.played++;
	advance(jb);
	jb->st.delay_ms = depth(jb) * jb->o.ptime;
	return 0;
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
