/* tp.h: SIP transports (UDP, TCP, TLS) on the event loop. */
#ifndef PB_UA_TP_TP_H
#define PB_UA_TP_TP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/loop.h"
#include "ua/tls/tls.h"
#include "ua/tp/sa.h"

struct tp;
struct tp_conn;

enum tp_type {
	TP_NONE = 0,
	TP_UDP = 1 << 0,
	TP_TCP = 1 << 1,
	TP_TLS = 1 << 2,
};

/** A received message: exactly one SIP message (or datagram) in @p mb. */
struct tp_recv {
	enum tp_type type;    /**< transport it came over              */
	struct sa src;	      /**< sender (for received/rport)         */
	struct sa local;      /**< our address it was sent to (UDP: the
				 datagram destination, right also for
				 wildcard listeners)                */
	struct buf *mb;	      /**< the bytes; take a ref to keep them  */
	struct tp_conn *conn; /**< stream connection, NULL for UDP     */
};

typedef void(tp_recv_h)(const struct tp_recv *rx, void *arg);
/**
 * A connection closed. @p err is 0 for an orderly close by us
 * (tp_conn_close()), else the cause (ECONNRESET when the peer closed or
 * reset it, ETIMEDOUT, ECONNREFUSED, EPROTO for TLS, EBADMSG, ...);
 * @p reason is a human-readable line; @p queued tells that messages given
 * to tp_send() were still unsent (a send failure to report upward).
 */
typedef void(tp_close_h)(struct tp_conn *conn, int err, const char *reason,
			 bool queued, void *arg);

/**
 * A datagram we sent to @p dst was refused by the network (ICMP port or
 * host unreachable): @p err is ECONNREFUSED, EHOSTUNREACH or ENETUNREACH.
 */
typedef void(tp_unreach_h)(const struct sa *dst, int err, void *arg);

struct tp_handlers {
	tp_recv_h *recvh;	/**< every received message          */
	tp_close_h *closeh;	/**< connection closed (may be NULL)  */
	tp_unreach_h *unreachh; /**< UDP peer unreachable (may be NULL) */
};

/** Transport options; fill with tp_opts_default(). */
struct tp_opts {
	size_t max_msg;	       /**< bytes per message (65535)           */
	uint32_t max_conns;    /**< stream connections (1024)           */
	uint32_t idle_ms;      /**< close a silent connection (600000)  */
	uint32_t read_ms;      /**< close after a half message (32000)  */
	uint32_t connect_ms;   /**< connect + handshake limit (32000)   */
	uint32_t keepalive_ms; /**< CRLFCRLF ping on our outgoing
				    connections (0 = off); no CRLF pong
				    within 10 s closes with ETIMEDOUT   */
	uint32_t udp_burst;    /**< datagrams read per wakeup (64)      */
	int udp_rcvbuf;	       /**< SO_RCVBUF attempt (4 MB)            */
	struct tls_opts tls;   /**< TLS settings                        */
};

void tp_opts_default(struct tp_opts *o);

/** Create the transport on loop @p loop (referenced). */
int tp_alloc(struct tp **tpp, struct loop *loop, const struct tp_opts *opts,
	     const struct tp_handlers *h, void *arg);
/**
 * Listen on @p addr (port 0: any) for each type in @p types (a mask of
 * TP_UDP | TP_TCP | TP_TLS). @return 0, EINVAL, EADDRINUSE, ...
 */
int tp_listen(struct tp *tp, int types, const struct sa *addr);
/** Local address of the listener of @p type for family @p af. */
int tp_laddr(const struct tp *tp, enum tp_type type, int af, struct sa *addr);
/**
 * Send one message. Over UDP from the listener of the same family. Over
 * TCP/TLS over @p conn when given, else over an existing connection to
 * @p dst, else over a new one (connected in the background; the message
 * is queued; failures go to the close handler).
 * @return 0, EINVAL, ENOTCONN (@p conn closed), EMSGSIZE, ENOMEM, EMFILE
 *         (too many connections), or the socket error.
 */
int tp_send(struct tp *tp, enum tp_type type, const struct sa *dst,
	    struct buf *msg, struct tp_conn *conn);
/** tp_send() naming the server for TLS SNI and certificate checks. */
int tp_send_host(struct tp *tp, enum tp_type type, const struct sa *dst,
		 const char *host, struct buf *msg, struct tp_conn *conn);
/** Existing open connection of @p type to @p peer, or NULL (no ref). */
struct tp_conn *tp_conn_find(struct tp *tp, enum tp_type type,
			     const struct sa *peer);
/** Open stream connections. */
uint32_t tp_conn_count(const struct tp *tp);
/** The TLS context (fingerprint etc.), or NULL. */
struct tls *tp_tls(const struct tp *tp);

/* Connections are refcounted: obj_ref()/obj_deref() pin them. */
const struct sa *tp_conn_peer(const struct tp_conn *c);
const struct sa *tp_conn_local(const struct tp_conn *c);
enum tp_type tp_conn_type(const struct tp_conn *c);
/** False once closed (then tp_send() over it gives ENOTCONN). */
bool tp_conn_isopen(const struct tp_conn *c);
/** True when we opened it (an outgoing connection). */
bool tp_conn_outgoing(const struct tp_conn *c);
/** Close now (close handler runs with err 0). */
void tp_conn_close(struct tp_conn *c);

/** "udp", "tcp", "tls" (case-insensitive) to a type; TP_NONE if unknown. */
enum tp_type tp_type_from_name(const char *name);
/** "UDP", "TCP", "TLS" (as written in Via), "" for others. */
const char *tp_type_name(enum tp_type type);
/** True for TCP and TLS. */
bool tp_type_stream(enum tp_type type);

#endif
