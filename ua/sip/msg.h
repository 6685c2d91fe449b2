/* msg.h: zero-copy SIP messages: decode, stream framing, header access. */
#ifndef PB_UA_SIP_MSG_H
#define PB_UA_SIP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/pl.h"
#include "ua/sip/addr.h"
#include "ua/sip/hdr.h"
#include "ua/sip/uri.h"

/** Limits applied to every decoded message. */
enum {
	SIP_MSG_MAX_SIZE = 65535, /**< bytes of one message (head + body) */
	SIP_MSG_MAX_HDRS = 256,   /**< header values per message          */
	SIP_MSG_HDRS_INLINE = 40, /**< values stored inside the msg block */
};

/** Request methods; SIP_METHOD_OTHER for extension methods. */
enum sip_method {
	SIP_METHOD_OTHER = 0,
	SIP_METHOD_INVITE,
	SIP_METHOD_ACK,
	SIP_METHOD_BYE,
	SIP_METHOD_CANCEL,
	SIP_METHOD_REGISTER,
	SIP_METHOD_OPTIONS,
	SIP_METHOD_PRACK,
	SIP_METHOD_UPDATE,
	SIP_METHOD_INFO,
	SIP_METHOD_REFER,
	SIP_METHOD_NOTIFY,
	SIP_METHOD_SUBSCRIBE,
	SIP_METHOD_MESSAGE,
};

/** Method id of a method token (case-sensitive, as RFC 3261 requires). */
enum sip_method sip_method_lookup(const struct pl *pl);
/** Name of a method id ("" for SIP_METHOD_OTHER). */
const char *sip_method_name(enum sip_method m);

/** A decoded Via value (RFC 3261 20.42). */
struct sip_via {
	struct pl val;       /**< the whole value                         */
	struct pl transport; /**< "UDP", "TCP", "TLS", "SCTP", "WS", ...  */
	struct pl sentby;    /**< host[:port] as written                  */
	struct pl host;      /**< host; IPv6 without brackets             */
	uint16_t port;       /**< 0 when absent                           */
	bool ipv6;           /**< host was [IPv6]                         */
	struct pl params;    /**< ";..." (leading ';'), may be empty      */
	struct pl branch;    /**< branch param value                      */
	struct pl received;  /**< received param (brackets removed)       */
	bool rport;          /**< rport param present                     */
	uint16_t rport_val;  /**< rport value, 0 when empty               */
	struct pl maddr;     /**< maddr param value                       */
};

/** Decode one Via value. @return 0 or EINVAL. */
int sip_via_decode(struct sip_via *v, const struct pl *pl);

/** A decoded CSeq (RFC 3261 20.16). */
struct sip_cseq {
	uint32_t num;           /**< sequence number (<= 2^32-1)  */
	struct pl met;          /**< method token                 */
	enum sip_method method; /**< method id                    */
};

/** Decode a CSeq value. @return 0 or EINVAL (overflow included). */
int sip_cseq_decode(struct sip_cseq *c, const struct pl *pl);

/** A decoded RAck (RFC 3262 7.2). */
struct sip_rack {
	uint32_t rseq;          /**< response number              */
	uint32_t cseq;          /**< CSeq number                  */
	struct pl met;          /**< CSeq method                  */
	enum sip_method method; /**< its id                       */
};

/** Decode a RAck value. @return 0 or EINVAL. */
int sip_rack_decode(struct sip_rack *r, const struct pl *pl);

/**
 * A decoded message. Refcounted (obj_ref/obj_deref); holds a reference to
 * the receive buffer and views into it. Decoding rewrites folded line
 * breaks (CRLF + WSP) to spaces inside that buffer.
 */
struct sip_msg {
	struct buf *mb;           /**< the receive buffer (referenced)     */
	struct pl raw;            /**< head + body of this message         */
	bool req;                 /**< request (true) or response          */

	/* start line */
	struct pl met;            /**< request: method token               */
	enum sip_method method;   /**< request: method id                  */
	struct pl ruri_pl;        /**< request: Request-URI text           */
	struct sip_uri ruri;      /**< request: decoded Request-URI        */
	struct pl ver;            /**< "SIP/2.0"                           */
	uint16_t scode;           /**< response: status code 100..699      */
	struct pl reason;         /**< response: reason phrase (may be "") */

	/* all header values in order */
	struct sip_hdr *hdrv;     /**< array of hdrc entries               */
	size_t hdrc;              /**< number of header values             */

	/* hot headers, decoded eagerly */
	struct sip_via via;       /**< top Via                             */
	size_t viac;              /**< number of Via values                */
	struct sip_addr from;     /**< From                                */
	struct sip_addr to;       /**< To                                  */
	struct pl callid;         /**< Call-ID                             */
	struct sip_cseq cseq;     /**< CSeq                                */
	struct sip_addr contact;  /**< first Contact (if contactc > 0)     */
	size_t contactc;          /**< number of Contact values            */
	int32_t max_fwd;          /**< Max-Forwards 0..255, -1 if absent   */
	uint32_t clen;            /**< Content-Length (body length)        */
	bool has_clen;            /**< Content-Length header present       */
	struct pl ctype;          /**< Content-Type value (may be empty)   */
	int64_t expires;          /**< Expires seconds, -1 if absent       */
	int64_t rseq;             /**< RSeq, -1 if absent                  */
	struct sip_rack rack;     /**< RAck (valid when has_rack)          */
	bool has_rack;            /**< RAck present                        */
	const struct sip_hdr *require;   /**< first Require value or NULL  */
	const struct sip_hdr *supported; /**< first Supported value / NULL */
	const struct sip_hdr *call_info; /**< first Call-Info value / NULL */

	struct pl body;           /**< message body (Content-Length bytes) */

	struct sip_hdr hdrs_inline[SIP_MSG_HDRS_INLINE]; /**< storage      */
};

/** Why decoding failed and what an element should answer. */
struct sip_decode_err {
	uint16_t scode;    /**< 400, 505, 501 ...; 0 = drop silently
				(bad response, or not SIP at all)          */
	char reason[96];   /**< short human explanation                */
	/**
	 * When a request's start line and header lines parsed but a header
	 * value is wrong or missing, a reference to the partially decoded
	 * message (Vias, CSeq, ... whatever decoded) so an error response can
	 * be built from it; the caller must obj_deref() it. NULL otherwise.
	 */
	struct sip_msg *partial;
};

/**
 * Decode one message starting at b->pos with datagram semantics: bytes
 * after Content-Length are ignored (RFC 3261 18.3); without Content-Length
 * the body is the rest of the buffer. b->pos is advanced past the message.
 * For streams, find the length with sip_msg_frame() first: decoding then
 * stops at Content-Length and later bytes stay for the next call.
 * A message (head + body) larger than SIP_MSG_MAX_SIZE gives 513.
 * @return 0 and a new message in *@p mp, EBADMSG, ENOMEM.
 */
int sip_msg_decode(struct sip_msg **mp, struct buf *b);

/**
 * sip_msg_decode() that also explains errors (@p err may be NULL).
 *
 * Policy where RFC 4475 leaves a choice: extra SP in the Request-Line
 * (lwsstart, trws), LWS or <> in the Request-URI (lwsruri, ltgtruri),
 * headers in the Request-URI (escruri), an addr-spec needing <> (regbadct),
 * spaces inside <> (badaspec) and unquoted non-token display names (baddn)
 * give 400. Date is not interpreted (baddate accepted); a bare "z9hG4bK"
 * branch is left to the transaction layer (badbranch accepted). CSeq
 * method != request method gives 400, or 501 for an unknown method.
 * Max-Forwards > 255 and integers beyond 2^32-1 give 400; an Expires value
 * beyond 2^32-1 is read as 3600. Responses that fail are dropped (scode 0).
 */
int sip_msg_decode_ex(struct sip_msg **mp, struct buf *b,
		      struct sip_decode_err *err);

/**
 * Stream framing (TCP/TLS): find the length of the first message in
 * [p, p+len). Leading CRLFs (keep-alives) are part of it: the caller
 * should skip *@p msg_len bytes; if only CRLFs were present, returns 0 with
 * *@p msg_len equal to their count (see sip_msg_frame_ex()).
 * @return 0, ENODATA (need more bytes), EBADMSG (bad, missing or
 *         duplicate Content-Length, or larger than @p max_size).
 */
int sip_msg_frame(const char *p, size_t len, size_t max_size,
		  size_t *msg_len);
/** sip_msg_frame() also reporting the leading CRLF bytes in @p skipped. */
int sip_msg_frame_ex(const char *p, size_t len, size_t max_size,
		     size_t *msg_len, size_t *skipped);

/** First value of header @p id, or NULL. */
const struct sip_hdr *sip_msg_hdr(const struct sip_msg *m,
				  enum sip_hdr_id id);
/** First value of header named @p name (any form, case-insensitive). */
const struct sip_hdr *sip_msg_hdr_name(const struct sip_msg *m,
				       const char *name);
/**
 * Next value with the same id (and, for SIP_HDR_OTHER, the same name)
 * after @p prev; NULL at the end.
 */
const struct sip_hdr *sip_msg_hdr_next(const struct sip_msg *m,
				       const struct sip_hdr *prev);
/** Number of values of header @p id. */
size_t sip_msg_hdr_count(const struct sip_msg *m, enum sip_hdr_id id);
/** Whether list header @p id has option tag/token @p tag (case-insens.). */
bool sip_msg_hdr_has(const struct sip_msg *m, enum sip_hdr_id id,
		     const char *tag);

/** Iterate every value of header @p id: for (h = first; h; h = next). */
#define SIP_MSG_FOREACH(m, id, h)                                            \
	for (const struct sip_hdr *h = sip_msg_hdr((m), (id)); h;             \
	     h = sip_msg_hdr_next((m), h))

#endif
