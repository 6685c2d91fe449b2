/* rtp_batch.h: batched UDP I/O (recvmmsg/sendmmsg) for many RTP sessions.
 *
 * A PBX relay carries thousands of RTP sessions on one loop, and per packet
 * the UDP system calls cost more than the SRTP work. Sessions attached to one
 * struct rtp_batch:
 *  - read each readable socket with one recvmmsg() into the batch's receive
 *    slots (up to opts.rx_max datagrams), instead of one recvfrom() per
 *    datagram plus a last one that fails with EAGAIN; epoll is level
 *    triggered, so a socket with more waiting is served again next turn;
 *  - queue what rtp_send(), rtp_forward() and RTCP send, and send the queue
 *    with one sendmmsg() per socket, in the order queued: right after the
 *    handlers of one read have run (a relay's forwarded packets are not
 *    held while the turn's other sockets are served), else at the end of
 *    the loop turn (a 0 ms timer, e.g. for what a 20 ms media timer sent).
 *    A full queue is sent at once.
 * Datagrams the kernel refuses (sendmmsg stops at the first failing one) are
 * counted in tx_err and skipped; the rest of that socket's run is sent.
 * With a fake loop clock (loop_clock_fake) timers fire only on
 * loop_advance(): call rtp_batch_flush() or loop_advance(loop, 0).
 */
#ifndef PB_AUDIO_RTP_BATCH_H
#define PB_AUDIO_RTP_BATCH_H

#include <stdint.h>

struct loop;
struct rtp_batch;
struct rtp_session;

/** Batch sizes; fill with rtp_batch_opts_default(). */
struct rtp_batch_opts {
	unsigned rx_max; /**< datagrams per recvmmsg (32)           */
	unsigned tx_max; /**< datagrams queued before a forced flush
			      (256)                                  */
};

/** Counters since rtp_batch_alloc(). */
struct rtp_batch_stats {
	uint64_t rx_calls; /**< recvmmsg calls                        */
	uint64_t rx_pkts;  /**< datagrams received                    */
	uint64_t tx_calls; /**< sendmmsg calls                        */
	uint64_t tx_pkts;  /**< datagrams the kernel took             */
	uint64_t tx_err;   /**< datagrams refused (skipped)           */
	uint64_t flushes;  /**< non-empty queue flushes               */
};

enum {
	RTP_BATCH_MAX = 1024, /**< upper bound for rx_max and tx_max */
};

void rtp_batch_opts_default(struct rtp_batch_opts *o);

/**
 * Create a batch for sessions on @p loop; @p opts may be NULL.
 * @return 0, EINVAL (a size 0 or above RTP_BATCH_MAX), ENOMEM.
 */
int rtp_batch_alloc(struct rtp_batch **bp, struct loop *loop,
		    const struct rtp_batch_opts *opts);

/**
 * Attach @p rs to @p b (NULL detaches, sending what is queued first). The
 * session holds a reference to the batch; both must use the same loop.
 * @return 0 or EINVAL.
 */
int rtp_session_set_batch(struct rtp_session *rs, struct rtp_batch *b);

/**
 * Send everything queued now: one sendmmsg per socket (more when the
 * kernel takes part of a run or refuses a datagram).
 * @return 0, or the errno of the first refused datagram (the others are
 *         sent regardless).
 */
int rtp_batch_flush(struct rtp_batch *b);

/** Datagrams queued and not yet sent. */
unsigned rtp_batch_pending(const struct rtp_batch *b);

void rtp_batch_stats_get(const struct rtp_batch *b, struct rtp_batch_stats *st);

#endif
