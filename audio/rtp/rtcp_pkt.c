/* rtcp_pkt.c: compound RTCP (SR, RR, SDES CNAME, BYE) codec, RFC 3550 6.4.
 *
 * Every RTCP packet starts with V=2, P, a 5-bit count, an 8-bit type and a
 * 16-bit length in 32-bit words minus one. A compound packet is a sequence
 * of them; the first must be SR or RR and the lengths must add up exactly.
 * SR = header, sender SSRC, NTP (64), RTP ts, packet and octet counts, then
 * count x 24-byte report blocks; RR = header, SSRC, report blocks.
 */
#include <errno.h>
#include <string.h>

#include "audio/rtp/rtp_pkt.h"

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void rr_decode(struct rtcp_rr *rr, const uint8_t *p)
{
	rr->ssrc = rd32(p);
	rr->fraction = p[4];
	uint32_t lost = (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
	rr->lost =
	    (lost & 0x800000) ? (int32_t)lost - 0x1000000 : (int32_t)lost;
	rr->ext_seq = rd32(p + 8);
	rr->jitter = rd32(p + 12);
	rr->lsr = rd32(p + 16);
	rr->dlsr = rd32(p + 20);
}

static int reports_decode(struct rtcp_info *info, const uint8_t *p, size_t len,
			  unsigned count)
{
	if (len < 24u * count)
		return EBADMSG;
	for (unsigned i = 0; i < count; i++) {
		if (info->n_rr < RTCP_MAX_RR)
			rr_decode(&info->rr[info->n_rr++], p + 24 * i);
	}
	return 0;
}

static int sdes_decode(struct rtcp_info *info, const uint8_t *p, size_t len,
		       unsigned count)
{
	size_t off = 0;
	for (unsigned c = 0; c < count; c++) {
		if (len - off < 4)
			return EBADMSG;
		uint32_t ssrc = rd32(p + off);
		off += 4;
		for (;;) {
			if (off >= len)
				return EBADMSG;
			uint8_t type = p[off];
			if (type == 0) {
				/* end of list, pad to a 32-bit boundary */
				off = (off + 4) & ~(size_t)3;
				if (off > len)
					return EBADMSG;
				break;
			}
			if (len - off < 2 || len - off - 2 < p[off + 1])
				return EBADMSG;
			uint8_t n = p[off + 1];
			if (type == 1 && ssrc == info->ssrc) {
				memcpy(info->cname, p + off + 2, n);
				info->cname[n] = '\0';
			}
			off += 2u + n;
		}
	}
	return 0;
}

static int one_decode(struct rtcp_info *info, const uint8_t *p, size_t len,
		      bool first)
{
	unsigned count = p[0] & 0x1f;
	uint8_t type = p[1];
	const uint8_t *body = p + 4;
	size_t blen = len - 4;

	if (p[0] & 0x20) { /* padding: only legal in the last packet */
		if (!blen || p[len - 1] == 0 || p[len - 1] > blen)
			return EBADMSG;
		blen -= p[len - 1];
	}
	if (first && type != RTCP_SR && type != RTCP_RR)
		return EBADMSG;

	switch (type) {
	case RTCP_SR:
		if (blen < 24)
			return EBADMSG;
		if (first) {
			info->ssrc = rd32(body);
			info->has_sr = true;
			info->ntp =
			    (uint64_t)rd32(body + 4) << 32 | rd32(body + 8);
			info->rtp_ts = rd32(body + 12);
			info->pkt_count = rd32(body + 16);
			info->octet_count = rd32(body + 20);
		}
		return reports_decode(info, body + 24, blen - 24, count);
	case RTCP_RR:
		if (blen < 4)
			return EBADMSG;
		if (first)
			info->ssrc = rd32(body);
		return reports_decode(info, body + 4, blen - 4, count);
	case RTCP_SDES:
		return sdes_decode(info, body, blen, count);
	case RTCP_BYE:
		if (blen < 4u * count)
			return EBADMSG;
		info->bye = true;
		return 0;
	default:
		return 0; /* APP, feedback, XR: skipped */
	}
}

int rtcp_decode(struct rtcp_info *info, const uint8_t *buf, size_t len)
{
	if (!info || !buf)
		return EINVAL;
	memset(info, 0, sizeof(*info));
	if (len < 8)
		return EBADMSG;

	size_t off = 0;
	bool first = true;
	while (off < len) {
		const uint8_t *p = buf + off;
		if (len - off < 4 || p[0] >> 6 != RTP_VERSION)
			return EBADMSG;
		size_t plen = 4u * ((size_t)(p[2] << 8 | p[3]) + 1);
		if (plen > len - off)
			return EBADMSG;
		if ((p[0] & 0x20) && off + plen != len)
			return EBADMSG;
		int err = one_decode(info, p, plen, first);
		if (err)
			return err;
		first = false;
		off += plen;
	}
	return 0;
}

static void hdr_put(uint8_t *p, unsigned count, uint8_t type, size_t bytes)
{
	p[0] = (uint8_t)(RTP_VERSION << 6 | count);
	p[1] = type;
	size_t words = bytes / 4 - 1;
	p[2] = (uint8_t)(words >> 8);
	p[3] = (uint8_t)words;
}

static void rr_put(uint8_t *p, const struct rtcp_rr *rr)
{
	wr32(p, rr->ssrc);
	uint32_t lost = (uint32_t)rr->lost & 0xffffff;
	if (rr->lost > 0x7fffff)
		lost = 0x7fffff;
	else if (rr->lost < -0x800000)
		lost = 0x800000;
	wr32(p + 4, (uint32_t)rr->fraction << 24 | lost);
	wr32(p + 8, rr->ext_seq);
	wr32(p + 12, rr->jitter);
	wr32(p + 16, rr->lsr);
	wr32(p + 20, rr->dlsr);
}

int rtcp_encode(uint8_t *buf, size_t size, size_t *outlen,
		const struct rtcp_out *o)
{
	if (!buf || !outlen || !o || !o->cname || o->n_rr > RTCP_MAX_RR ||
	    (o->n_rr && !o->rr))
		return EINVAL;
	size_t cl = strlen(o->cname);
	if (cl > 255)
		return EINVAL;

	size_t rlen = 8 + (o->sr ? 20 : 0) + 24u * o->n_rr;
	size_t slen = (4 + 4 + 2 + cl + 1 + 3) & ~(size_t)3;
	size_t blen = o->bye ? 8 : 0;
	if (rlen + slen + blen > size)
		return ENOMEM;

	uint8_t *p = buf;
	hdr_put(p, o->n_rr, o->sr ? RTCP_SR : RTCP_RR, rlen);
	wr32(p + 4, o->ssrc);
	size_t off = 8;
	if (o->sr) {
		wr32(p + 8, (uint32_t)(o->ntp >> 32));
		wr32(p + 12, (uint32_t)o->ntp);
		wr32(p + 16, o->rtp_ts);
		wr32(p + 20, o->pkt_count);
		wr32(p + 24, o->octet_count);
		off = 28;
	}
	for (unsigned i = 0; i < o->n_rr; i++, off += 24)
		rr_put(p + off, &o->rr[i]);

	p = buf + rlen;
	memset(p, 0, slen);
	hdr_put(p, 1, RTCP_SDES, slen);
	wr32(p + 4, o->ssrc);
	p[8] = 1; /* CNAME */
	p[9] = (uint8_t)cl;
	memcpy(p + 10, o->cname, cl);

	if (o->bye) {
		p = buf + rlen + slen;
		hdr_put(p, 1, RTCP_BYE, 8);
		wr32(p + 4, o->ssrc);
	}
	*outlen = rlen + slen + blen;
	return 0;
}
