/* rtp_source.c: receiver statistics of the remote source: sequence
 * tracking (RFC 3550 A.1), loss and fraction lost (A.3), interarrival
 * jitter (A.8).
 */
#include "audio/rtp/rtp_int.h"

enum {
	MAX_DROPOUT = 3000,
	MAX_MISORDER = 100,
	SEQ_MOD = 1 << 16,
};

static void source_init(struct rtp_source *s, const struct rtp_hdr *h)
{
	s->valid = true;
	s->ssrc = h->ssrc;
	s->base_seq = h->seq;
	s->max_seq = h->seq;
	s->bad_seq = SEQ_MOD + 1; /* so seq == bad_seq is false */
	s->cycles = 0;
	s->received = 0;
	s->received_prior = 0;
	s->expected_prior = 0;
	s->transit_valid = false;
	s->jitter = 0;
}

/* A.1 update_seq without probation: returns false for a packet to drop */
static bool seq_update(struct rtp_source *s, const struct rtp_hdr *h)
{
	uint16_t udelta = (uint16_t)(h->seq - s->max_seq);
	if (udelta < MAX_DROPOUT) {
		if (h->seq < s->max_seq)
			s->cycles += SEQ_MOD;
		s->max_seq = h->seq;
	} else if (udelta <= SEQ_MOD - MAX_MISORDER) {
		/* a very large jump: believe it after two in a row */
		if (h->seq == s->bad_seq) {
			source_init(s, h);
		} else {
			s->bad_seq = (uint32_t)(h->seq + 1) & (SEQ_MOD - 1);
			return false;
		}
	}
	/* else: duplicate or reordered packet, accepted */
	s->received++;
	return true;
}

void rtp_source_update(struct rtp_session *rs, const struct rtp_hdr *h,
		       uint64_t arrival_us)
{
	struct rtp_source *s = &rs->src;
	if (!s->valid || s->ssrc != h->ssrc)
		source_init(s, h);
	if (!seq_update(s, h))
		return;

	/* A.8: J += (|D| - J) / 16, D from transit = arrival - ts */
	uint64_t arrival = arrival_us * rs->opts.clock_rate / 1000000u;
	int64_t transit = (int64_t)(uint32_t)((uint32_t)arrival - h->ts);
	if (s->transit_valid) {
		int64_t d = (int32_t)(uint32_t)(transit - s->transit);
		if (d < 0)
			d = -d;
		s->jitter += ((double)d - s->jitter) / 16.0;
	}
	s->transit = transit;
	s->transit_valid = true;
}

uint32_t rtp_source_ext_max(const struct rtp_source *s)
{
	return s->cycles + s->max_seq;
}

int64_t rtp_source_lost(const struct rtp_source *s)
{
	if (!s->valid)
		return 0;
	int64_t expected = (int64_t)rtp_source_ext_max(s) - s->base_seq + 1;
	return expected - (int64_t)s->received;
}

void rtp_source_report(struct rtp_session *rs, struct rtcp_rr *rr)
{
	struct rtp_source *s = &rs->src;
	uint32_t expected = rtp_source_ext_max(s) - s->base_seq + 1;
	uint32_t exp_int = expected - s->expected_prior;
	int64_t rec_int = (int64_t)(s->received - s->received_prior);
	int64_t lost_int = (int64_t)exp_int - rec_int;
	s->expected_prior = expected;
	s->received_prior = s->received;
	s->fraction = (exp_int == 0 || lost_int <= 0)
			  ? 0
			  : (uint8_t)((lost_int << 8) / exp_int > 255
					  ? 255
					  : (lost_int << 8) / exp_int);

	int64_t lost = rtp_source_lost(s);
	rr->ssrc = s->ssrc;
	rr->fraction = s->fraction;
	rr->lost = lost > 0x7fffff
		       ? 0x7fffff
		       : (lost < -0x800000 ? -0x800000 : (int32_t)lost);
	rr->ext_seq = rtp_source_ext_max(s);
	rr->jitter = (uint32_t)s->jitter;
	rr->lsr = s->lsr;
	rr->dlsr = 0;
	if (s->lsr) {
		uint64_t d = loop_now(rs->loop) - s->lsr_at_ms;
		rr->dlsr = (uint32_t)(d * 65536 / 1000);
	}
}
