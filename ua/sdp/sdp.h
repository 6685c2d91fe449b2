/* sdp.h: SDP (RFC 8866) decode/encode, SDES crypto (RFC 4568), offer/answer. */
#ifndef PB_UA_SDP_H
#define PB_UA_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/pl.h"

#define SDP_MAX_MEDIA 8
#define SDP_MAX_FMT 32
#define SDP_MAX_CRYPTO 8
#define SDP_KEY_MAX 46 /* AES-256 key + 112-bit salt */

enum sdp_dir {
	SDP_SENDRECV = 0,
	SDP_SENDONLY,
	SDP_RECVONLY,
	SDP_INACTIVE,
};

enum sdp_proto {
	SDP_PROTO_OTHER = 0,
	SDP_PROTO_RTP_AVP,
	SDP_PROTO_RTP_SAVP,
	SDP_PROTO_RTP_AVPF,
	SDP_PROTO_RTP_SAVPF,
	SDP_PROTO_UDP_TLS_RTP_SAVPF,
};

enum sdp_suite {
	SDP_SUITE_UNKNOWN = 0,
	SDP_SUITE_AES_CM_128_HMAC_SHA1_80,
	SDP_SUITE_AES_CM_128_HMAC_SHA1_32,
	SDP_SUITE_AES_256_CM_HMAC_SHA1_80,
	SDP_SUITE_AEAD_AES_128_GCM,
	SDP_SUITE_AEAD_AES_256_GCM,
};

/** One a=crypto line. Views point into the decoded text. */
struct sdp_crypto {
	uint32_t tag;
	struct pl suite_name;
	enum sdp_suite suite;
	uint8_t key[SDP_KEY_MAX]; /**< master key || salt (decoded)     */
	size_t keylen;
	struct pl lifetime;       /**< as written ("2^31" or decimal)   */
	uint64_t lifetime_v;      /**< packets (0 when absent)          */
	uint32_t mki, mki_len;    /**< MKI value and length (0: none)   */
	struct pl params;         /**< session params, kept verbatim    */
};

struct sdp_rtpmap {
	uint32_t pt;
	struct pl name;
	uint32_t rate;
	struct pl params; /**< encoding params (channels) */
	struct pl fmtp;
};

struct sdp_conn {
	bool set;
	bool ip6;
	struct pl addr;
};

struct sdp_media {
	struct pl type;
	uint32_t port;
	enum sdp_proto proto;
	struct pl proto_name;
	struct pl fmt[SDP_MAX_FMT];
	size_t nfmt;
	struct sdp_rtpmap map[SDP_MAX_FMT];
	size_t nmap;
	enum sdp_dir dir;
	bool dir_set;
	uint32_t ptime;    /**< a=ptime (ms), 0 when absent/invalid    */
	uint32_t maxptime; /**< a=maxptime (ms), 0 when absent/invalid */
	uint32_t rtcp_port;
	bool rtcp_mux;
	struct sdp_conn conn;
	struct sdp_crypto crypto[SDP_MAX_CRYPTO];
	size_t ncrypto;
};

struct sdp_session {
	struct pl o_user, o_id, o_ver;
	struct sdp_conn o_addr;
	struct pl name;
	struct sdp_conn conn;
	enum sdp_dir dir;
	bool dir_set;
	struct sdp_media media[SDP_MAX_MEDIA];
	size_t nmedia;
};

/**
 * Decode @p text into @p s (views into @p text, which must outlive @p s).
 * @param reason set to a static description on error (may be NULL)
 * @return 0 or EBADMSG.
 */
int sdp_decode(struct sdp_session *s, const struct pl *text,
	       const char **reason);

/** Effective direction of media @p i (media attribute, else session). */
enum sdp_dir sdp_media_dir(const struct sdp_session *s, size_t i);

/**
 * Print @p s (strict order v o s c t m, CRLF). Crypto keys are printed
 * as inline: base64 of key[0..keylen).
 */
int sdp_encode(struct buf *out, const struct sdp_session *s);

/**
 * Copy of SDP text with every inline: key replaced by "inline:<redacted>"
 * (for traces). @return a refcounted string, NULL on ENOMEM.
 */
char *sdp_redact(const struct pl *text);

/** Suite from name; key+salt length in bytes (0 for unknown). */
enum sdp_suite sdp_suite_decode(const struct pl *name);
const char *sdp_suite_name(enum sdp_suite s);
size_t sdp_suite_keylen(enum sdp_suite s);

/** Strict base64 (with padding). @return 0, EBADMSG, ERANGE. */
int sdp_base64_decode(uint8_t *out, size_t size, size_t *n,
		      const struct pl *in);
/** Base64 encode with padding; @p out needs 4*ceil(n/3)+1. */
void sdp_base64_encode(char *out, const uint8_t *in, size_t n);

/* ---- offer/answer (RFC 3264) ---- */

enum sdp_enc {
	SDP_ENC_OFF = 0,
	SDP_ENC_OPTIONAL,
	SDP_ENC_MANDATORY,
};

/** Our side's capabilities. */
struct sdp_local {
	enum sdp_enc enc;
	bool srtp_gcm;    /**< backend has AEAD_AES_128/256_GCM     */
	bool srtp_aes256; /**< backend has AES_256_CM_HMAC_SHA1_80
			       (both asked of audio/srtp by
			       sdp_local_default())                 */
	const char *addr; /**< our media address                    */
	bool ip6;
	uint16_t port;    /**< our RTP port                         */
	uint64_t sess_id; /**< o= session id and version            */
	uint64_t sess_ver;
	enum sdp_dir dir; /**< what we want (sendrecv unless holding) */
	uint32_t opus_pt; /**< dynamic PT we offer for opus (111)   */
	uint32_t te_pt;   /**< dynamic PT for telephone-event (101) */
	const char *codecs; /**< preference, e.g. "opus,G722,PCMU,PCMA";
			       only the codecs named are used; NULL or
			       none known: PCMU,PCMA,G722,opus        */
};

/**
 * Defaults: optional SRTP with the suites the SRTP layer runs here,
 * 127.0.0.1:4000, sendrecv, opus PT 111, telephone-event PT 101.
 */
void sdp_local_default(struct sdp_local *l);

/** What the media layer needs after negotiation. */
struct sdp_result {
	uint32_t pt;
	char codec[16];
	uint32_t rate;
	uint32_t channels;
	int te_pt; /**< -1 when none */
	uint32_t ptime, maxptime; /**< the far end's a=ptime/a=maxptime for
				       what we send (0: not given)  */
	char raddr[64];
	uint16_t rport;
	uint16_t rrtcp_port; /**< 0: rport+1 unless rtcp_mux */
	bool rtcp_mux;
	enum sdp_dir dir; /**< our direction */
	bool srtp;
	enum sdp_suite suite;
	uint8_t rkey[SDP_KEY_MAX];
	size_t rkeylen;
	uint8_t lkey[SDP_KEY_MAX];
	size_t lkeylen;
	uint32_t tag;
};

/**
 * Answer an offer: pick the first acceptable audio stream, codecs in OUR
 * preference order (keeping the offerer's dynamic PT numbers), one crypto
 * line with the offer line's tag and a fresh key. Other streams are
 * answered with port 0.
 * @return 0; EPROTO when nothing is acceptable (send 488) with @p reason;
 *         ENOMEM.
 */
int sdp_answer(struct buf *out, struct sdp_result *res,
	       const struct sdp_session *offer, const struct sdp_local *l,
	       const char **reason);

/**
 * Build an offer: one audio stream with all our codecs; off -> RTP/AVP,
 * optional -> RTP/AVP + crypto, mandatory -> RTP/SAVP + crypto. Keys go to
 * res->lkey (tag 1 = AES_CM_128_HMAC_SHA1_80, tag 2 = _32).
 */
int sdp_offer(struct buf *out, struct sdp_result *res,
	      const struct sdp_local *l);

/**
 * Apply the answer to our offer in @p res (which holds our keys).
 * @return 0, EPROTO when unacceptable (reason set).
 */
int sdp_apply_answer(struct sdp_result *res, const struct sdp_session *ans,
		     const struct sdp_local *l, const char **reason);

#endif
