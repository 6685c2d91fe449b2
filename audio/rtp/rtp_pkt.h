/* rtp_pkt.h: RTP (RFC 3550 section 5) and RTCP packet encode/decode. */
#ifndef PB_AUDIO_RTP_PKT_H
#define PB_AUDIO_RTP_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	RTP_HDR_SIZE = 12,     /**< fixed header                        */
	RTP_MAX_CSRC = 15,     /**< CC is 4 bits                        */
	RTP_MAX_PACKET = 1500, /**< default largest packet accepted     */
	RTP_VERSION = 2,
};

/** A decoded RTP header; pointers are views into the decoded buffer. */
struct rtp_hdr {
	bool marker;		     /**< M bit                              */
	uint8_t pt;		     /**< payload type 0..127                */
	uint16_t seq;		     /**< sequence number                    */
	uint32_t ts;		     /**< timestamp                          */
	uint32_t ssrc;		     /**< synchronisation source             */
	uint8_t cc;		     /**< number of CSRCs                    */
	uint32_t csrc[RTP_MAX_CSRC]; /**< contributing sources         */
	bool ext;		     /**< X bit: extension present           */
	uint16_t ext_profile;	     /**< extension "defined by profile"     */
	const uint8_t *ext_data;     /**< extension body                   */
	size_t ext_len;		     /**< extension body bytes (4*length)    */
	uint8_t pad;		     /**< padding bytes removed (P bit)      */
	const uint8_t *payload;	     /**< payload view                      */
	size_t payload_len;	     /**< payload bytes                      */
};

/**
 * Decode an RTP packet of @p len bytes, at most @p max_len (0 means
 * RTP_MAX_PACKET).
 * @return 0, or EBADMSG when truncated, version != 2, CSRC list or
 *         extension longer than the packet, bad padding, or too large.
 */
int rtp_hdr_decode(struct rtp_hdr *h, const uint8_t *buf, size_t len,
		   size_t max_len);

/**
 * Encode the header of @p h (CSRCs and extension included, no padding)
 * followed by @p payload into @p buf of @p size bytes.
 * @return 0 and *@p outlen, or EINVAL (bad field) / ENOMEM (too small).
 */
int rtp_encode(uint8_t *buf, size_t size, size_t *outlen,
	       const struct rtp_hdr *h, const uint8_t *payload,
	       size_t payload_len);

/** RTCP packet types (RFC 3550 section 12.1). */
enum rtcp_type {
	RTCP_SR = 200,
	RTCP_RR = 201,
	RTCP_SDES = 202,
	RTCP_BYE = 203,
	RTCP_APP = 204,
};

/** One report block of an SR or RR. */
struct rtcp_rr {
	uint32_t ssrc;	  /**< source reported on                 */
	uint8_t fraction; /**< fraction lost, 8-bit fixed point    */
	int32_t lost;	  /**< cumulative lost (24-bit signed)     */
	uint32_t ext_seq; /**< extended highest sequence received  */
	uint32_t jitter;  /**< interarrival jitter, ts units       */
	uint32_t lsr;	  /**< middle 32 bits of last SR NTP time  */
	uint32_t dlsr;	  /**< delay since last SR, 1/65536 s      */
};

enum { RTCP_MAX_RR = 31 };

/** What a compound RTCP packet said (the parts we use). */
struct rtcp_info {
	uint32_t ssrc;	      /**< sender of the first SR/RR          */
	bool has_sr;	      /**< an SR was present                  */
	uint64_t ntp;	      /**< SR NTP timestamp                   */
	uint32_t rtp_ts;      /**< SR RTP timestamp                   */
	uint32_t pkt_count;   /**< SR sender's packet count           */
	uint32_t octet_count; /**< SR sender's octet count            */
	unsigned n_rr;	      /**< report blocks below                */
	struct rtcp_rr rr[RTCP_MAX_RR];
	char cname[256]; /**< SDES CNAME of the sender, or ""    */
	bool bye;	 /**< a BYE was present                  */
};

/**
 * Decode a compound RTCP packet (RFC 3550 6.1 validity checks: version 2,
 * first packet SR or RR, lengths add up to @p len exactly).
 * @return 0 or EBADMSG.
 */
int rtcp_decode(struct rtcp_info *info, const uint8_t *buf, size_t len);

/** What to put in a compound RTCP packet. */
struct rtcp_out {
	uint32_t ssrc;		  /**< our SSRC                           */
	bool sr;		  /**< send an SR (we sent media)         */
	uint64_t ntp;		  /**< SR: NTP time now                   */
	uint32_t rtp_ts;	  /**< SR: RTP timestamp matching ntp     */
	uint32_t pkt_count;	  /**< SR: packets sent                   */
	uint32_t octet_count;	  /**< SR: payload octets sent            */
	unsigned n_rr;		  /**< report blocks (0 or 1 in practice) */
	const struct rtcp_rr *rr; /**< the report blocks                */
	const char *cname;	  /**< SDES CNAME (required)              */
	bool bye;		  /**< append a BYE                       */
};

/**
 * Encode SR or RR + SDES CNAME (+ BYE) into @p buf.
 * @return 0 and *@p outlen, EINVAL or ENOMEM (buffer too small).
 */
int rtcp_encode(uint8_t *buf, size_t size, size_t *outlen,
		const struct rtcp_out *o);

/** True when a packet on a muxed port is RTCP (RFC 5761 section 4). */
bool rtp_is_rtcp(const uint8_t *buf, size_t len);

#endif
