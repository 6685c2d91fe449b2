/* stack.h: the SIP stack object: transports + transactions + the TU hook. */
#ifndef PB_UA_STACK_STACK_H
#define PB_UA_STACK_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "base/buf.h"
#include "base/loop.h"
#include "base/pl.h"
#include "ua/sip/msg.h"
#include "ua/tsx/tsx.h"

struct stack;

/**
 * A request outside any transaction (new request, or ACK for a 2xx). The
 * TU answers it with tsx_server_alloc() + tsx_reply() on stack_tsx(), or
 * statelessly with stack_reply(). Without a handler the stack answers
 * 501 Not Implemented (and ignores ACK).
 */
typedef void(stack_req_h)(struct stack *st, const struct sip_msg *msg,
			  const struct tsx_addr *src, void *arg);

/**
 * A stream connection to @p peer broke (@p err: its cause). Registrations
 * over it should register again (reg_transport_lost()).
 */
typedef void(stack_conn_lost_h)(struct stack *st, const struct tsx_addr *peer,
				int err, const char *reason, void *arg);

/** Handlers of the UA core. */
struct stack_handlers {
	stack_req_h *reqh;	       /**< new requests (may be NULL)     */
	stack_conn_lost_h *conn_losth; /**< connection lost (may be NULL)  */
};

/** Stack options (stack_opts_default() fills them). */
struct stack_opts {
	const char *user_agent; /**< User-Agent / Server value          */
	const char *allow;	/**< Allow value                        */
	const char *supported;	/**< Supported value (may be NULL/"")   */
	struct tsx_opts tsx;	/**< transaction timers                 */
};

void stack_opts_default(struct stack_opts *o);

/**
 * Create a stack on @p loop (the strings in @p opts are copied).
 * @return 0, EINVAL, ENOMEM.
 */
int stack_alloc(struct stack **sp, struct loop *loop,
		const struct stack_opts *opts, const struct stack_handlers *h,
		void *arg);

/**
 * Register a transport of kind @p tp whose local address is @p laddr (used
 * in Via and Contact) and which sends with @p sendh. A kind can be added
 * once per address family (IPv4, IPv6), both with the same @p sendh and
 * @p arg: requests take the address of their destination's family.
 * @return 0, EINVAL, EALREADY.
 */
int stack_transport_add(struct stack *st, enum tsx_tp tp,
			const struct sockaddr_storage *laddr, tsx_send_h *sendh,
			void *arg);

/**
 * Open the stack's own UDP socket on @p ip:@p port (0 = any free port) and
 * register it as the UDP transport. @return 0 or an errno.
 */
int stack_udp_listen(struct stack *st, const char *ip, uint16_t port);

/**
 * Local address of transport @p tp (the IPv4 one when there are both), or
 * NULL when it is not there.
 */
const struct sockaddr_storage *stack_laddr(const struct stack *st,
					   enum tsx_tp tp);

/**
 * Local address of transport @p tp for family @p af (AF_INET, AF_INET6;
 * AF_UNSPEC: as stack_laddr()), or NULL when there is none.
 */
const struct sockaddr_storage *stack_laddr_af(const struct stack *st,
					      enum tsx_tp tp, int af);

/**
 * Entry point for transports: one whole message in @p mb (datagram or a
 * framed stream message) from @p src. Malformed requests get a stateless
 * 400 (or what the decoder says) when they carry enough to route a
 * response, otherwise they are dropped; nothing of @p mb is kept after
 * the call except through decoded messages.
 */
void stack_recv(struct stack *st, struct buf *mb, const struct tsx_addr *src);

/** The transaction layer. */
struct tsx_layer *stack_tsx(const struct stack *st);

/**
 * Write a Via value for a request to @p dst (its transport, and the local
 * address of its family) with a new branch and rport into @p buf.
 * @return 0, EINVAL (no such transport), EAFNOSUPPORT (no local address
 *         of that family), ENOSPC, EIO.
 */
int stack_via(const struct stack *st, const struct tsx_addr *dst, char *buf,
	      size_t size);

/**
 * Write a Contact URI "sip:@p user@ip:port[;transport=tcp|tls]" for
 * requests to @p dst (its transport and family; an unset family, as for
 * a name not looked up yet, takes the IPv4 address when there is one;
 * IPv6 addresses in brackets) into @p buf.
 * @return 0, EINVAL, EAFNOSUPPORT, ENOSPC.
 */
int stack_contact(const struct stack *st, const struct tsx_addr *dst,
		  const char *user, char *buf, size_t size);

/**
 * Send a request outside a dialog: "@p method @p ruri SIP/2.0", a Via for
 * @p dst's transport, Max-Forwards 70, User-Agent, Allow, Supported, the
 * lines of @p hdrs (From, To, Call-ID, CSeq, Contact, ...), @p body.
 * @return 0, EINVAL, ENOMEM, or the send errno.
 */
int stack_request(struct tsx **tp, struct stack *st, const char *method,
		  const char *ruri, const struct tsx_addr *dst,
		  const char *hdrs, const struct pl *body, tsx_resp_h *resph,
		  void *arg);

/** Answer @p req statelessly (adds Server). */
int stack_reply(struct stack *st, const struct sip_msg *req,
		const struct tsx_addr *src, uint16_t scode, const char *reason);

/**
 * Destination for URI @p uri (sip/sips with an IP literal or "localhost"
 * host): port from the URI or 5060 (5061 for TLS); transport from sips:
 * (TLS) or ;transport=udp|tcp|tls. For a host name it fills the transport
 * and dst->host and returns ENOTSUP (stack_uri_resolve() looks names up).
 * @return 0, EINVAL, ENOTSUP.
 */
int stack_uri_dst(const struct sip_uri *uri, struct tsx_addr *dst);

struct stack_lookup;

/**
 * The answer of stack_uri_resolve(), on the loop: @p err 0 and the whole
 * @p dst, or an errno and a @p reason for the user such as "cannot
 * resolve pbx.example.com: Name or service not known".
 */
typedef void(stack_dst_h)(int err, const struct tsx_addr *dst,
			  const char *reason, void *arg);

/**
 * stack_uri_dst() that also handles host names, by RFC 3263 through the
 * stack's resolver (on a worker thread) and its host cache: a name
 * without a port looks up SRV records first (_sips._tcp for sips: or
 * ;transport=tls, _sip._tcp for ;transport=tcp, _sip._udp for
 * ;transport=udp; with no transport _sip._udp, then _sip._tcp when the
 * stack has TCP) and takes the transport and port of the service found;
 * without SRV records, or with a port in the URI, the A/AAAA address of
 * the name at the URI's port or 5060 (5061 for TLS). dst->host stays the
 * URI's name (TLS checks the server's certificate against it, RFC 5922).
 * Several SRV servers: the one in use, see stack_dst_failed().
 * @return 0 with @p dst set at once (IP literal, localhost, or a cached
 *         name), EINPROGRESS when @p h will be called (obj_deref() of
 *         *@p lp cancels), or EINVAL, ENOTSUP, ENOMEM, EBUSY.
 */
int stack_uri_resolve(struct stack_lookup **lp, struct stack *st,
		      const struct sip_uri *uri, struct tsx_addr *dst,
		      stack_dst_h *h, void *arg);

/**
 * stack_uri_dst() that also takes a name from the stack's host cache
 * (in-dialog requests to a proxy looked up for the dialog's first
 * request): the server in use for the same name, port and transport; a
 * URI with a port also takes the name's address from any other lookup
 * of it. @return 0, EINVAL, ENOTSUP (a name not in the cache).
 */
int stack_uri_dst_cached(struct stack *st, const struct sip_uri *uri,
			 struct tsx_addr *dst);

/** Drop @p host from the host cache (it stopped answering). */
void stack_host_forget(struct stack *st, const char *host);

/**
 * The server @p dst (as stack_uri_resolve() gave it) failed: no answer,
 * unreachable, connection refused. Lookups of its name now give the
 * next server of the SRV answer. @return 0 when there is a next one,
 * ENOENT when none is left (the name is then looked up again), EINVAL.
 */
int stack_dst_failed(struct stack *st, const struct tsx_addr *dst);

struct resolve_opts;

/**
 * Options of the resolver the stack creates on its first lookup (tests
 * give their own lookup function). Call before any lookup.
 * @return 0, EINVAL, EALREADY (resolver already made).
 */
int stack_set_resolve_opts(struct stack *st, const struct resolve_opts *o);

/**
 * A response that matched no client transaction (a retransmitted 2xx to
 * an INVITE whose transaction already ended, or a 2xx from another fork).
 */
typedef void(stack_resp_h)(struct stack *st, const struct sip_msg *msg,
			   const struct tsx_addr *src, void *arg);

/**
 * Set the handler of unmatched responses (one per stack: the session
 * layer uses it to ACK retransmitted 2xx). NULL removes it.
 */
void stack_set_stray_handler(struct stack *st, stack_resp_h *h, void *arg);

/**
 * Send the bytes of @p mb (pos to end) to @p dst outside any transaction
 * (ACK for a 2xx, retransmitted 2xx). @return 0, EINVAL, ENOTSUP (no such
 * transport), or the send errno.
 */
int stack_send(struct stack *st, const struct tsx_addr *dst, struct buf *mb);

/**
 * Every message the stack sends (@p tx true) or receives, as bytes on the
 * wire, for SIP traces and tests. Called before decoding on receive.
 */
typedef void(stack_trace_h)(bool tx, const struct tsx_addr *peer,
			    const struct pl *data, void *arg);

/** Set the trace handler (NULL removes it). */
void stack_set_trace(struct stack *st, stack_trace_h *h, void *arg);

/** The User-Agent / Server value ("" when none). */
const char *stack_user_agent(const struct stack *st);

/** Number of requests dropped or answered as malformed (statistics). */
uint64_t stack_bad_count(const struct stack *st);

#endif
