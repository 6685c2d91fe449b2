/* rtp_rtcp.c: RTCP for an RTP session: SR/RR + SDES CNAME at a randomised
 * interval (RFC 3550 6.2/6.3, simplified: mean interval fixed, x[0.5,1.5]),
 * parsing of the peer's reports (RTT from LSR/DLSR, 6.4.1) and BYE.
 */
#include <errno.h>
#include <string.h>

#define LOG_TAG "rtcp"
#include "audio/rtp/rtp_int.h"
#include "base/log.h"

enum { RTCP_BUF = 1500 };

uint64_t rtp_ntp_now(const struct rtp_session *rs)
{
	return rs->ntp_base + (loop_now(rs->loop) << 32) / 1000;
}

static void rtcp_timeout(void *arg);

static void timer_arm(struct rtp_session *rs, bool first)
{
	uint32_t mean = rs->opts.rtcp_interval_ms;
	if (first)
		mean /= 2; /* RFC 3550 6.2: half the minimum at start */
	uint64_t delay = mean / 2 + rtp_random32() % (mean + 1);
	tmr_start(rs->loop, &rs->rtcp_tmr, delay, rtcp_timeout, rs);
}

void rtp_rtcp_start(struct rtp_session *rs)
{
	timer_arm(rs, true);
}

static void rtcp_timeout(void *arg)
{
	struct rtp_session *rs = arg;
	if (rs->has_peer) {
		int err = rtp_rtcp_send(rs, false);
		if (err)
			DEBUG("RTCP send failed: %s", strerror(err));
	}
	timer_arm(rs, false);
}

int rtp_rtcp_send(struct rtp_session *rs, bool bye)
{
	if (!rs)
		return EINVAL;
	if (!rs->has_peer)
		return ENOTCONN;
	uint8_t buf[RTCP_BUF + SRTPX_MAX_TRAILER];
	struct rtcp_rr rr;
	uint64_t ntp = rtp_ntp_now(rs);
	uint64_t ms_since = loop_now(rs->loop) - rs->last_ts_ms;
	struct rtcp_out o = {
	    .ssrc = rs->ssrc,
	    .sr = rs->sent_since_report,
	    .ntp = ntp,
	    .rtp_ts =
		rs->last_ts + (uint32_t)(ms_since * rs->opts.clock_rate / 1000),
	    .pkt_count = (uint32_t)rs->st.tx_packets,
	    .octet_count = (uint32_t)rs->st.tx_bytes,
	    .cname = rs->cname,
	    .bye = bye,
	};
	if (rs->src.valid) {
		rtp_source_report(rs, &rr);
		o.n_rr = 1;
		o.rr = &rr;
	}
	size_t n;
	int err = rtcp_encode(buf, RTCP_BUF, &n, &o);
	if (err)
		return err;
	if (rs->srtp_tx) {
		err = srtcpx_protect(rs->srtp_tx, buf, &n, sizeof(buf));
		if (err)
			return err;
	}
	rs->sent_since_report = false;
	err = rtp_sendto(rs, true, buf, n);
	if (!err)
		rs->st.rtcp_tx++;
	return err;
}

static void report_apply(struct rtp_session *rs, const struct rtcp_rr *rr)
{
	rs->st.remote_valid = true;
	rs->st.remote_fraction_lost = rr->fraction;
	rs->st.remote_lost = rr->lost;
	rs->st.remote_jitter_ts = rr->jitter;
	if (!rr->lsr)
		return;
	/* RTT = A - LSR - DLSR, all in 1/65536 s (middle 32 bits of NTP) */
	uint32_t a = (uint32_t)(rtp_ntp_now(rs) >> 16);
	uint32_t rtt = a - rr->lsr - rr->dlsr;
	if (rtt > 0x7fffffff)
		return; /* clocks disagree: negative RTT, ignore */
	rs->st.rtt_valid = true;
	rs->st.rtt_ms = rtt * 1000.0 / 65536.0;
}

int rtp_rtcp_input(struct rtp_session *rs, uint8_t *buf, size_t len)
{
	struct rtcp_info info;
	if (rtcp_decode(&info, buf, len)) {
		rs->st.rx_bad++;
		return EBADMSG;
	}
	rs->st.rtcp_rx++;
	if (info.has_sr && (!rs->src.valid || info.ssrc == rs->src.ssrc)) {
		rs->src.lsr = (uint32_t)(info.ntp >> 16);
		rs->src.lsr_at_ms = loop_now(rs->loop);
	}
	for (unsigned i = 0; i < info.n_rr; i++) {
		if (info.rr[i].ssrc == rs->ssrc)
			report_apply(rs, &info.rr[i]);
	}
	if (info.bye)
		rs->st.bye = true;
	if (rs->h.rtcph)
		rs->h.rtcph(&info, rs->arg);
	return 0;
}
