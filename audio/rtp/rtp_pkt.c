/* rtp_pkt.c: RTP fixed header, CSRC list, extension and padding codec.
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *  |                           timestamp                           |
 *  |                             SSRC                              |
 *  |                 CSRC list (CC x 32 bits)                      |
 *  |  [X] profile (16)             |  length in 32-bit words (16)  |
 *  |  [X] extension body ...                                       |
 *  |  payload ...                  |  [P] padding, last byte = count |
 */
#include <errno.h>
#include <string.h>

#include "audio/rtp/rtp_pkt.h"

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

int rtp_hdr_decode(struct rtp_hdr *h, const uint8_t *buf, size_t len,
		   size_t max_len)
{
	if (!h || !buf)
		return EINVAL;
	if (!max_len)
		max_len = RTP_MAX_PACKET;
	if (len < RTP_HDR_SIZE || len > max_len)
		return EBADMSG;
	if (buf[0] >> 6 != RTP_VERSION)
		return EBADMSG;

	memset(h, 0, sizeof(*h));
	bool padding = buf[0] & 0x20;
	h->ext = buf[0] & 0x10;
	h->cc = buf[0] & 0x0f;
	h->marker = buf[1] & 0x80;
	h->pt = buf[1] & 0x7f;
	h->seq = rd16(buf + 2);
	h->ts = rd32(buf + 4);
	h->ssrc = rd32(buf + 8);

	size_t off = RTP_HDR_SIZE;
	if (len - off < 4u * h->cc)
		return EBADMSG;
	for (unsigned i = 0; i < h->cc; i++, off += 4)
		h->csrc[i] = rd32(buf + off);

	if (h->ext) {
		if (len - off < 4)
			return EBADMSG;
		h->ext_profile = rd16(buf + off);
		h->ext_len = 4u * rd16(buf + off + 2);
		off += 4;
		if (len - off < h->ext_len)
			return EBADMSG;
		h->ext_data = buf + off;
		off += h->ext_len;
	}

	size_t end = len;
	if (padding) {
		uint8_t n = buf[len - 1];
		if (n == 0 || n > end - off)
			return EBADMSG;
		h->pad = n;
		end -= n;
	}
	h->payload = buf + off;
	h->payload_len = end - off;
	return 0;
}

int rtp_encode(uint8_t *buf, size_t size, size_t *outlen,
	       const struct rtp_hdr *h, const uint8_t *payload,
	       size_t payload_len)
{
	if (!buf || !outlen || !h || h->pt > 127 || h->cc > RTP_MAX_CSRC ||
	    (payload_len && !payload) || (h->ext_len % 4) ||
	    h->ext_len > 4u * 0xffff)
		return EINVAL;

	size_t need = RTP_HDR_SIZE + 4u * h->cc +
		      (h->ext ? 4 + h->ext_len : 0) + payload_len;
	if (need > size)
		return ENOMEM;

	buf[0] = (uint8_t)(RTP_VERSION << 6 | (h->ext ? 0x10 : 0) | h->cc);
	buf[1] = (uint8_t)((h->marker ? 0x80 : 0) | h->pt);
	wr16(buf + 2, h->seq);
	wr32(buf + 4, h->ts);
	wr32(buf + 8, h->ssrc);
	size_t off = RTP_HDR_SIZE;
	for (unsigned i = 0; i < h->cc; i++, off += 4)
		wr32(buf + off, h->csrc[i]);
	if (h->ext) {
		wr16(buf + off, h->ext_profile);
		wr16(buf + off + 2, (uint16_t)(h->ext_len / 4));
		off += 4;
		if (h->ext_len)
			memcpy(buf + off, h->ext_data, h->ext_len);
		off += h->ext_len;
	}
	if (payload_len)
		memcpy(buf + off, payload, payload_len);
	*outlen = off + payload_len;
	return 0;
}

bool rtp_is_rtcp(const uint8_t *buf, size_t len)
{
	/* RFC 5761: RTCP packet types 192..223 land in PT 64..95 with M. */
	return buf && len >= 2 && buf[1] >= 192 && buf[1] <= 223;
}
