/* rtp.h: an RTP/RTCP session on the event loop (RFC 3550), with SRTP. */
#ifndef PB_AUDIO_RTP_H
#define PB_AUDIO_RTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "audio/rtp/rtp_pkt.h"
#include "audio/srtp/srtp.h"

struct loop;
struct rtp_session;

/** Session options; fill with rtp_opts_default() then adjust. */
struct rtp_opts {
	const char *laddr;	   /**< local address, NULL = any of af   */
	int af;			   /**< AF_INET/AF_INET6 when laddr NULL  */
	uint16_t port_min;	   /**< even RTP port range; 0 = any port */
	uint16_t port_max;	   /**< last port of the range            */
	bool rtcp_mux;		   /**< RTCP on the RTP port (RFC 5761)   */
	bool symmetric;		   /**< latch: send to where packets come */
	uint32_t clock_rate;	   /**< RTP clock for jitter (8000)       */
	size_t max_packet;	   /**< largest packet accepted (1500)    */
	uint32_t rtcp_interval_ms; /**< mean RTCP interval (5000)     */
	const char *cname;	   /**< SDES CNAME, NULL = generated      */
	enum srtpx_backend srtp_backend; /**< SRTP implementation
					      (AUTO: OpenSSL when it has
					      the suite)                   */
};

/** A received, valid (and authenticated) RTP packet. */
typedef void(rtp_recv_h)(const struct rtp_hdr *hdr, void *arg);
/** A received RTCP compound packet. */
typedef void(rtp_rtcp_h)(const struct rtcp_info *info, void *arg);

struct rtp_handlers {
	rtp_recv_h *recvh; /**< media packet (payload view in hdr) */
	rtp_rtcp_h *rtcph; /**< RTCP packet, may be NULL           */
};

/** What the UI shows; counters since the session started. */
struct rtp_stats {
	uint64_t tx_packets;   /**< RTP packets sent                   */
	uint64_t tx_bytes;     /**< RTP payload bytes sent             */
	uint64_t rx_packets;   /**< RTP packets delivered              */
	uint64_t rx_bytes;     /**< RTP payload bytes delivered        */
	uint64_t rx_bad;       /**< malformed packets (EBADMSG) dropped */
	uint64_t rx_auth_fail; /**< SRTP/SRTCP authentication failures */
	uint64_t rx_replay;    /**< SRTP/SRTCP replays dropped         */
	uint32_t ssrc;	       /**< our SSRC                           */
	uint32_t remote_ssrc;  /**< peer's SSRC (0 before any packet)  */
	uint32_t ext_max_seq;  /**< extended highest seq received      */
	int64_t lost;	       /**< cumulative packets lost            */
	uint8_t fraction_lost; /**< last RTCP interval, /256           */
	uint32_t jitter_ts;    /**< interarrival jitter, ts units      */
	double jitter_ms;      /**< same in milliseconds               */
	uint64_t rtcp_tx;      /**< RTCP packets sent                  */
	uint64_t rtcp_rx;      /**< RTCP packets accepted              */
	bool rtt_valid;	       /**< an RTT has been measured           */
	double rtt_ms;	       /**< last round-trip time               */
	bool remote_valid;     /**< peer has reported on our stream    */
	uint8_t remote_fraction_lost; /**< peer's view of our stream    */
	int32_t remote_lost;	      /**< peer's cumulative lost             */
	uint32_t remote_jitter_ts;    /**< peer's jitter, ts units         */
	bool bye;		      /**< peer sent BYE                      */
};

void rtp_opts_default(struct rtp_opts *o);

/**
 * Open the sockets (even RTP port from the range, RTCP on port+1 unless
 * rtcp_mux; with port_min 0 each socket gets any free port), random SSRC,
 * sequence number and timestamp from the CSPRNG, and start the RTCP timer.
 * @return 0, EINVAL, EADDRINUSE (range exhausted), ENOMEM or a socket errno.
 */
int rtp_session_alloc(struct rtp_session **rsp, struct loop *loop,
		      const struct rtp_opts *opts, const struct rtp_handlers *h,
		      void *arg);
/** Stop: send RTCP BYE to the peer (if any) then release (deref). */
struct rtp_session *rtp_session_close(struct rtp_session *rs);

/** Where to send RTP and RTCP (@p rtcp NULL = RTP port + 1 or mux). */
int rtp_session_set_peer(struct rtp_session *rs, const struct sockaddr *rtp,
			 const struct sockaddr *rtcp);
/** Local RTP / RTCP addresses (port read back from the kernel). */
int rtp_session_local(const struct rtp_session *rs, bool rtcp,
		      struct sockaddr_storage *ss);

/**
 * Turn on SRTP and SRTCP: @p tx_key / @p rx_key are master key || salt of
 * srtpx_keysalt_len(@p suite) bytes. Keys are copied, never logged.
 * @return 0 or the srtpx_ctx_alloc() error (EINVAL for a wrong length).
 */
int rtp_session_set_srtp(struct rtp_session *rs, enum srtpx_suite suite,
			 const uint8_t *tx_key, size_t tx_len,
			 const uint8_t *rx_key, size_t rx_len);

/**
 * Send one RTP packet. @p ts is the media timestamp counted from 0; the
 * session adds its random offset; the sequence number increments.
 * @return 0, ENOTCONN (no peer), EINVAL, EMSGSIZE, or a send errno.
 * With an rtp_batch (rtp_batch.h) the datagram is queued and 0 returned;
 * the kernel's refusals are counted in the batch's tx_err.
 */
int rtp_send(struct rtp_session *rs, uint8_t pt, bool marker, uint32_t ts,
	     const uint8_t *payload, size_t len);

/**
 * Forward @p h (a packet delivered by another session's recvh, e.g. the
 * other leg of a PBX relay): payload type, marker, CSRCs, extension and
 * payload as received, under this session's SSRC; sequence number and
 * timestamp keep the input's spacing (gaps and reordering stay visible),
 * offset to continue this session's numbering. Protected with this
 * session's SRTP keys; queued when the session has an rtp_batch.
 * @return as rtp_send().
 */
int rtp_forward(struct rtp_session *rs, const struct rtp_hdr *h);

/** Send an RTCP report (SR or RR + SDES) now. */
int rtp_rtcp_send(struct rtp_session *rs, bool bye);

void rtp_session_stats(const struct rtp_session *rs, struct rtp_stats *st);

/**
 * Feed one datagram as if it arrived from @p src at @p arrival_us
 * (microseconds on any monotonic clock). The socket path uses this with
 * the real clock; tests use it to choose arrival times.
 */
void rtp_session_input(struct rtp_session *rs, uint8_t *buf, size_t len,
		       const struct sockaddr *src, bool rtcp_port,
		       uint64_t arrival_us);

/**
 * Test hook: drop each outgoing RTP packet with probability
 * @p permille / 1000 (deterministic sequence from @p seed); 0 disables.
 */
void rtp_session_set_tx_loss(struct rtp_session *rs, unsigned permille,
			     uint32_t seed);

#endif
