/* rtp_forward.c: send a packet received on another session (PBX relay leg).
 *
 * The relay re-originates the stream under this session's SSRC (it holds
 * other SRTP keys than the far end), but keeps the input's sequence and
 * timestamp spacing: out = in + offset, the offsets fixed when the first
 * packet of an input SSRC is forwarded so the output continues where this
 * session's numbering stood. Gaps, reordering and marker bits of the input
 * therefore reach the far end's jitter buffer and loss statistics.
 */
#include <errno.h>

#include "audio/rtp/rtp_int.h"

int rtp_forward(struct rtp_session *rs, const struct rtp_hdr *in)
{
	if (!rs || !in || in->pt > 127 || (in->payload_len && !in->payload))
		return EINVAL;
	if (!rs->has_peer)
		return ENOTCONN;
	if (!rs->fwd_valid || rs->fwd_ssrc != in->ssrc) {
		uint32_t next_ts = rs->st.tx_packets
				       ? rs->last_ts + rs->opts.clock_rate / 50
				       : rs->ts_offset;
		rs->fwd_seq_off = (uint16_t)(rs->seq - in->seq);
		rs->fwd_ts_off = next_ts - in->ts;
		rs->fwd_ssrc = in->ssrc;
		rs->fwd_valid = true;
	}
	struct rtp_hdr h = *in;
	h.ssrc = rs->ssrc;
	h.seq = (uint16_t)(in->seq + rs->fwd_seq_off);
	h.ts = in->ts + rs->fwd_ts_off;
	h.pad = 0;
	return rtp_send_hdr(rs, &h, in->payload, in->payload_len);
}
