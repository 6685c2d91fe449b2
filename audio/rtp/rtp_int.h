/* rtp_int.h: internals shared by the RTP session source files. */
#ifndef PB_AUDIO_RTP_INT_H
#define PB_AUDIO_RTP_INT_H

#include <netinet/in.h>

#include "audio/rtp/rtp.h"
#include "base/loop.h"

/** Receive-side state of the remote source (RFC 3550 A.1, A.3, A.8). */
struct rtp_source {
	bool valid;		 /**< first packet seen              */
	uint32_t ssrc;		 /**< remote SSRC                    */
	uint16_t max_seq;	 /**< highest seq seen               */
	uint32_t cycles;	 /**< seq wraps << 16                */
	uint32_t base_seq;	 /**< first seq                      */
	uint32_t bad_seq;	 /**< last 'bad' seq + 1             */
	uint64_t received;	 /**< packets received               */
	uint32_t expected_prior; /**< at last report                */
	uint64_t received_prior; /**< at last report                */
	bool transit_valid;	 /**< transit holds a value          */
	int64_t transit;	 /**< last relative transit time     */
	double jitter;		 /**< J, in ts units (A.8)           */
	uint8_t fraction;	 /**< fraction lost at last report   */
	uint32_t lsr;		 /**< middle 32 bits of last SR NTP  */
	uint64_t lsr_at_ms;	 /**< when that SR arrived           */
};

struct rtp_session {
	struct loop *loop;
	struct rtp_opts opts;
	char cname[64];
	struct rtp_handlers h;
	void *arg;
	int fd_rtp;
	int fd_rtcp; /**< -1 with rtcp_mux                */
	struct sockaddr_storage peer_rtp;
	struct sockaddr_storage peer_rtcp;
	bool has_peer;
	uint32_t ssrc;
	uint16_t seq;
	uint32_t ts_offset;
	uint32_t last_ts;    /**< last RTP ts sent (with offset)  */
	uint64_t last_ts_ms; /**< loop time of that packet        */
	bool sent_since_report;
	struct rtp_source src;
	struct rtp_stats st;
	struct tmr rtcp_tmr;
	struct srtpx *srtp_tx;
	struct srtpx *srtp_rx;
	uint64_t ntp_base;	/**< NTP time (32.32) at loop time 0 */
	unsigned loss_permille; /**< test hook                       */
	uint32_t loss_state;
	struct rtp_batch *batch; /**< batched I/O, or NULL          */
	bool fwd_valid;		 /**< rtp_forward() mapping is set  */
	uint32_t fwd_ssrc;	 /**< input SSRC it maps            */
	uint16_t fwd_seq_off;	 /**< out seq = in seq + this       */
	uint32_t fwd_ts_off;	 /**< out ts = in ts + this         */
};

enum { RTP_BUF = 2048 }; /**< one datagram buffer: packet + SRTP trailer */

void rtp_source_update(struct rtp_session *rs, const struct rtp_hdr *h,
		       uint64_t arrival_us);
void rtp_source_report(struct rtp_session *rs, struct rtcp_rr *rr);
int64_t rtp_source_lost(const struct rtp_source *s);
uint32_t rtp_source_ext_max(const struct rtp_source *s);

uint64_t rtp_ntp_now(const struct rtp_session *rs);
void rtp_rtcp_start(struct rtp_session *rs);
/** Handle a (decrypted) RTCP packet; EBADMSG when malformed. */
int rtp_rtcp_input(struct rtp_session *rs, uint8_t *buf, size_t len);
int rtp_sendto(struct rtp_session *rs, bool rtcp, const uint8_t *buf,
	       size_t len);
uint32_t rtp_random32(void);
/** Encode @p h + payload, protect, count and send (or queue). */
int rtp_send_hdr(struct rtp_session *rs, const struct rtp_hdr *h,
		 const uint8_t *payload, size_t len);
uint64_t rtp_mono_us(void);
socklen_t rtp_sa_len(const struct sockaddr *sa);

/** Queue one datagram from @p fd to @p to (copied); 0 or EMSGSIZE. */
int rtp_batch_queue(struct rtp_batch *b, int fd,
		    const struct sockaddr_storage *to, const uint8_t *buf,
		    size_t len);
/** Read @p fd with one recvmmsg and feed each datagram to @p rs. */
void rtp_batch_read(struct rtp_batch *b, struct rtp_session *rs, int fd);

#endif
