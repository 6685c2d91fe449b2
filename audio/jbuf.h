/* jbuf.h: adaptive jitter buffer for RTP audio packets.
 *
 * Packets are placed by position, in units of opts.ptime ms (the caller
 * derives it from the RTP timestamp), and each covers one unit or more
 * (jb_put_span: a 60 ms packet spans six 10 ms units), so the delay is
 * measured in time, not in packets.
 */
#ifndef PB_AUDIO_JBUF_H
#define PB_AUDIO_JBUF_H

#include <stddef.h>
#include <stdint.h>

/** Options; fill with jb_opts_default(). */
struct jb_opts {
	uint32_t clock;	  /**< RTP clock rate (Hz)                   */
	unsigned ptime;	  /**< unit of positions and spans (ms)      */
	unsigned min_ms;  /**< smallest target delay                 */
	unsigned max_ms;  /**< largest target delay                  */
	unsigned init_ms; /**< delay before the first playout        */
};

/** Defaults: 8000 Hz clock, 20 ms, 20..200 ms, start at 40 ms. */
void jb_opts_default(struct jb_opts *opts);

/** Counters, all since allocation. */
struct jb_stats {
	uint64_t put;	    /**< packets accepted                     */
	uint64_t played;    /**< frames handed out                    */
	uint64_t lost;	    /**< gaps (packets never received) played */
	uint64_t late;	    /**< packets arriving after their turn    */
	uint64_t dup;	    /**< duplicates dropped                   */
	uint64_t skipped;   /**< frames dropped to shrink the delay   */
	uint64_t stretched; /**< filler frames inserted to grow it    */
	uint64_t underrun;  /**< ticks with nothing buffered          */
	unsigned delay_ms;  /**< units buffered now x ptime           */
	unsigned target_ms; /**< current target delay                 */
	double jitter_ms;   /**< RFC 3550 interarrival jitter         */
};

struct jbuf;

/** Allocate; @p opts may be NULL. 0, EINVAL, ENOMEM. */
int jb_alloc(struct jbuf **jbp, const struct jb_opts *opts);
/** Largest span of one packet (units). */
enum { JB_SPAN_MAX = 12 };

/** A packet for jb_put_span(). */
struct jb_pkt {
	uint16_t pos;  /**< where it starts (units)           */
	uint16_t span; /**< units it covers, 1..JB_SPAN_MAX   */
	uint32_t ts;   /**< its RTP timestamp (jitter figure) */
	const uint8_t *payload;
	size_t len;
};

/**
 * Insert a packet received at @p now_ms (caller's clock).
 * @return 0, EINVAL (bad args / payload too large / bad span), EALREADY
 *         (duplicate, dropped), ETIMEDOUT (too late, its place was already
 *         played).
 */
int jb_put_span(struct jbuf *jb, const struct jb_pkt *pkt, uint64_t now_ms);
/** jb_put_span() of a one-unit packet at position @p seq. */
int jb_put(struct jbuf *jb, uint16_t seq, uint32_t ts, const uint8_t *payload,
	   size_t len, uint64_t now_ms);

/** What jb_take() handed out. */
struct jb_out {
	uint16_t pos;  /**< where it starts                          */
	uint16_t span; /**< units it covers (missing ones included)  */
	size_t len;    /**< payload bytes, 0 when missing            */
};

/**
 * A playout tick begins: the delay is grown or shrunk (if due) at the
 * next jb_take(), not at the takes that follow it within the tick.
 */
void jb_tick(struct jbuf *jb);
/**
 * Take the next packet, or learn that the next units are missing.
 * @return 0 with the payload copied into @p buf; ENOENT when the next
 *         out->span units are missing (as many as the packet played
 *         before covered, fewer when a packet follows sooner: conceal them, or
 *         recover them via FEC from jb_peek()); EAGAIN when nothing is due
 *         (still buffering, ran dry, or stretching the delay: play comfort
 *         noise / concealment); ENOMEM buf too small.
 */
int jb_take(struct jbuf *jb, uint8_t *buf, size_t max, struct jb_out *out);
/**
 * jb_tick() and jb_take() for callers whose packets all span one unit and
 * who take one per tick: ENOENT means one unit is missing.
 */
int jb_get(struct jbuf *jb, uint8_t *buf, size_t max, size_t *len,
	   uint16_t *seq);
/** Look at the next packet to be played without taking it (for Opus FEC).
 *  @return 0 or ENOENT. */
int jb_peek(const struct jbuf *jb, const uint8_t **payload, size_t *len);
/** Copy the counters. */
void jb_stats_get(const struct jbuf *jb, struct jb_stats *st);
/** Drop everything buffered and start over (new SSRC). */
void jb_flush(struct jbuf *jb);

#endif
