/* jbuf.h: adaptive jitter buffer for RTP audio frames (one packet = one frame).
 */
#ifndef PB_AUDIO_JBUF_H
#define PB_AUDIO_JBUF_H

#include <stddef.h>
#include <stdint.h>

/** Options; fill with jb_opts_default(). */
struct jb_opts {
	uint32_t clock;	  /**< RTP clock rate (Hz)                   */
	unsigned ptime;	  /**< frame length (ms)                     */
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
	uint64_t lost;	    /**< frames never received (gap played)   */
	uint64_t late;	    /**< packets arriving after their turn    */
	uint64_t dup;	    /**< duplicates dropped                   */
	uint64_t skipped;   /**< frames dropped to shrink the delay   */
	uint64_t stretched; /**< filler frames inserted to grow it    */
	uint64_t underrun;  /**< ticks with nothing buffered          */
	unsigned delay_ms;  /**< frames buffered now x ptime          */
	unsigned target_ms; /**< current target delay                 */
	double jitter_ms;   /**< RFC 3550 interarrival jitter         */
};

struct jbuf;

/** Allocate; @p opts may be NULL. 0, EINVAL, ENOMEM. */
int jb_alloc(struct jbuf **jbp, const struct jb_opts *opts);
/**
 * Insert a packet received at @p now_ms (caller's clock).
 * @return 0, EINVAL (bad args / payload too large), EALREADY (duplicate,
 *         dropped), ETIMEDOUT (too late, its frame was already played).
 */
int jb_put(struct jbuf *jb, uint16_t seq, uint32_t ts, const uint8_t *payload,
	   size_t len, uint64_t now_ms);
/**
 * Take the frame for this 20 ms tick.
 * @return 0 with the payload copied into @p buf; ENOENT when this frame is
 *         missing (conceal it, or recover it via FEC from jb_peek());
 *         EAGAIN when no frame is due (still buffering, ran dry, or
 *         stretching the delay: play comfort noise / concealment); ENOMEM buf
 * too small.
 */
int jb_get(struct jbuf *jb, uint8_t *buf, size_t max, size_t *len,
	   uint16_t *seq);
/** Look at the next frame to be played without taking it (for Opus FEC).
 *  @return 0 or ENOENT. */
int jb_peek(const struct jbuf *jb, const uint8_t **payload, size_t *len);
/** Copy the counters. */
void jb_stats_get(const struct jbuf *jb, struct jb_stats *st);
/** Drop everything buffered and start over (new SSRC). */
void jb_flush(struct jbuf *jb);

#endif
