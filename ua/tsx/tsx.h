/* tsx.h: RFC 3261 section 17 transactions over a pluggable send function. */
#ifndef PB_UA_TSX_TSX_H
#define PB_UA_TSX_TSX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "base/buf.h"
#include "base/loop.h"
#include "base/pl.h"
#include "ua/sip/msg.h"

/** Transport kinds; only UDP is unreliable. */
enum tsx_tp {
	TSX_TP_UDP = 0,
	TSX_TP_TCP,
	TSX_TP_TLS,
};

/** Where a message came from or goes to. */
struct tsx_addr {
	struct sockaddr_storage sa; /**< peer address (IPv4 or IPv6)      */
	enum tsx_tp tp;		    /**< transport                        */
	void *conn;		    /**< connection for TCP/TLS, or NULL  */
	char host[256];		    /**< server name for TLS, "" literal  */
};

/** Whether @p tp is reliable (no retransmissions, zero wait timers). */
static inline bool tsx_tp_reliable(enum tsx_tp tp)
{
	return tp != TSX_TP_UDP;
}

/**
 * Send the bytes of @p mb (from mb->pos to mb->end) to @p dst.
 * @return 0 or an errno (the transaction then reports a transport error).
 */
typedef int(tsx_send_h)(const struct tsx_addr *dst, struct buf *mb, void *arg);

struct tsx_layer;
struct tsx;

/**
 * A request that matched no server transaction (nor an ACK to a 2xx, which
 * is also passed here). The TU creates a server transaction with
 * tsx_server_alloc() or answers statelessly with tsx_reply_stateless().
 */
typedef void(tsx_req_h)(struct tsx_layer *tl, const struct sip_msg *msg,
			const struct tsx_addr *src, void *arg);
/** A response that matched no client transaction (e.g. 2xx retransmits). */
typedef void(tsx_stray_resp_h)(struct tsx_layer *tl, const struct sip_msg *msg,
			       const struct tsx_addr *src, void *arg);

/** Handlers of the transaction user (UA core). */
struct tsx_layer_handlers {
	tsx_req_h *reqh;	       /**< new requests (required)       */
	tsx_stray_resp_h *stray_resph; /**< unmatched responses (or NULL) */
};

/** Timer values (RFC 3261 17.1.1.1, table 4). */
struct tsx_opts {
	uint32_t t1; /**< RTT estimate, ms (default 500)             */
	uint32_t t2; /**< max non-INVITE retransmit interval (4000)  */
	uint32_t t4; /**< max time a message stays in network (5000) */
};

/** Fill @p o with the RFC 3261 defaults. */
void tsx_opts_default(struct tsx_opts *o);

/**
 * Create the transaction layer on @p loop; messages leave through @p sendh.
 * @return 0, EINVAL, ENOMEM.
 */
int tsx_layer_alloc(struct tsx_layer **tlp, struct loop *loop,
		    const struct tsx_opts *opts, tsx_send_h *sendh,
		    void *send_arg, const struct tsx_layer_handlers *h,
		    void *arg);

/**
 * Feed a received message. Retransmitted requests are absorbed, responses
 * go to their client transaction, ACKs for non-2xx stay inside their
 * INVITE server transaction, merged requests get 482, the rest goes to the
 * TU. Always consumes nothing of @p msg (the caller keeps its reference).
 */
void tsx_layer_recv(struct tsx_layer *tl, const struct sip_msg *msg,
		    const struct tsx_addr *src);

/** Number of live transactions (for tests and statistics). */
size_t tsx_layer_count(const struct tsx_layer *tl);
/** The loop the layer runs on. */
struct loop *tsx_layer_loop(const struct tsx_layer *tl);
/** Timer values in use. */
const struct tsx_opts *tsx_layer_opts(const struct tsx_layer *tl);

/**
 * Write a new branch value ("z9hG4bK" + 22 random characters from the
 * system CSPRNG) into @p buf (@p size >= 32). @return 0 or EIO.
 */
int tsx_branch_new(char *buf, size_t size);

/* ---- client transactions ---- */

/**
 * A response for a client transaction, or its end without one: @p msg is
 * NULL and @p err is ETIMEDOUT (timer B/F: treat as 408) or the errno of
 * the transport.
 */
typedef void(tsx_resp_h)(int err, const struct sip_msg *msg, void *arg);

/**
 * Start a client transaction that sends the complete request in @p mb
 * (whose top Via carries a z9hG4bK branch) to @p dst. Transactions belong
 * to the layer; *@p tp is a borrowed pointer valid until @p resph was
 * called with a final response or error; use tsx_abandon() to stop
 * callbacks earlier. @return 0, EINVAL, EBADMSG, ENOMEM, or the send errno.
 */
int tsx_request(struct tsx **tp, struct tsx_layer *tl, struct buf *mb,
		const struct tsx_addr *dst, tsx_resp_h *resph, void *arg);

/**
 * Peer @p peer cannot be reached: its TCP/TLS connection failed or closed
 * (connect refused, reset), or an ICMP unreachable came back for a UDP
 * datagram to it. Client transactions to it that have had no response
 * yet end now with @p err (RFC 3261 8.1.3.1: a transport error, seen by
 * the TU as 503) instead of waiting for timer B/F.
 */
void tsx_layer_peer_failed(struct tsx_layer *tl, const struct tsx_addr *peer,
			   int err);

/** Stop calling the TU for this client transaction; timers still run. */
void tsx_abandon(struct tsx *t);

/**
 * Print a CANCEL for the INVITE of client transaction @p t into @p mb
 * (RFC 3261 9.1: same Request-URI, Call-ID, From, To, CSeq number, top Via
 * and Route). @return 0, EINVAL (not an INVITE), ENOMEM.
 */
int tsx_cancel_print(struct buf *mb, const struct tsx *t);

/** Destination of a client transaction's request. */
const struct tsx_addr *tsx_dst(const struct tsx *t);

/* ---- server transactions ---- */

/**
 * Create a server transaction for request @p msg from @p src (not for
 * ACK). The layer owns it; *@p tp stays valid until a final response was
 * sent and the transaction ended, or the layer is freed. The layer keeps
 * a reference to @p msg. @return 0, EINVAL, EALREADY (exists), ENOMEM.
 */
int tsx_server_alloc(struct tsx **tp, struct tsx_layer *tl,
		     const struct sip_msg *msg, const struct tsx_addr *src);

/**
 * Send a response built from the server transaction's request: status,
 * reason (NULL: default), To tag added when the request has none (@p totag
 * may be NULL), extra header lines @p hdrs (may be NULL) and @p body.
 * @return 0, EINVAL (bad state/code), ENOMEM, or the send errno.
 */
int tsx_reply(struct tsx *t, uint16_t scode, const char *reason,
	      const char *totag, const char *hdrs, const struct pl *body);

/** Called when an INVITE server transaction saw no ACK before timer H. */
typedef void(tsx_ack_timeout_h)(struct tsx *t, void *arg);
/** Set the TU's handler for timer H expiry (may be NULL). */
void tsx_server_set_handler(struct tsx *t, tsx_ack_timeout_h *h, void *arg);

/** The request of a (client or server) transaction. */
const struct sip_msg *tsx_msg(const struct tsx *t);

/**
 * The INVITE server transaction a CANCEL request refers to (RFC 3261
 * 9.2: same branch, sent-by and Request-URI, method INVITE) or NULL.
 */
struct tsx *tsx_cancel_target(struct tsx_layer *tl,
			      const struct sip_msg *cancel);

/** Final status sent/received so far (0 before any final response). */
uint16_t tsx_final_scode(const struct tsx *t);

/**
 * Answer request @p req statelessly (RFC 3261 8.2.6 / 17.2 routing with
 * RFC 3581 received/rport). Does nothing for ACK.
 * @return 0, EINVAL, ENOMEM, or the send errno.
 */
int tsx_reply_stateless(struct tsx_layer *tl, const struct sip_msg *req,
			const struct tsx_addr *src, uint16_t scode,
			const char *reason, const char *totag,
			const char *hdrs);

/**
 * Print a response to @p req into @p mb: top Via with received= when the
 * sent-by host differs from @p src's address and rport= filled when the
 * request asked for it (RFC 3581), the other Vias, From, To (plus tag),
 * Call-ID, CSeq, @p hdrs, Content-Length and @p body.
 */
int tsx_print_response(struct buf *mb, const struct sip_msg *req,
		       const struct tsx_addr *src, uint16_t scode,
		       const char *reason, const char *totag, const char *hdrs,
		       const struct pl *body);

/**
 * Where a response to @p req received from @p src goes (RFC 3261 18.2.2,
 * RFC 3581 4): the same connection when reliable, else the source address
 * with the source port when rport was asked for, the Via port (or 5060)
 * otherwise.
 */
void tsx_response_dst(struct tsx_addr *dst, const struct sip_msg *req,
		      const struct tsx_addr *src);

#endif
