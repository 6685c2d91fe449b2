/* resolve.h: host name and SRV lookups on a worker thread, answered on
 * the loop. */
#ifndef PB_UA_STACK_RESOLVE_H
#define PB_UA_STACK_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "base/loop.h"
#include "ua/dns/srv.h"

struct resolver;
struct resolve_query;

enum {
	RESOLVE_HOST_MAX = 256,
	RESOLVE_REASON_MAX = 96,
	RESOLVE_SVC_MAX = 3,	/**< services of one query          */
	RESOLVE_ADDR_MAX = 8,	/**< addresses of one answer        */
	RESOLVE_TTL_MAX = 300,	/**< s: longest an answer is kept   */
	RESOLVE_TTL_ADDR = 300, /**< s: for getaddrinfo() answers   */
};

/**
 * A lookup function, run on the worker thread (it may block): the first
 * address of @p host into @p sa (port 0), or an errno with a text for
 * the user in @p reason (@p rsize bytes). It must not use the obj_
 * allocator nor touch loop state.
 */
typedef int(resolve_lookup_h)(const char *host, struct sockaddr_storage *sa,
			      char *reason, size_t rsize, void *arg);

/**
 * The answer, on the loop thread: @p err 0 and @p sa (port 0), or an
 * errno (ENOENT no such name, ETIMEDOUT, ...) and @p reason.
 */
typedef void(resolve_h)(int err, const struct sockaddr_storage *sa,
			const char *reason, void *arg);

/**
 * An SRV lookup, run on the worker thread (it may block): the records
 * of @p name into @p v (at most @p max), their number in *@p np (0: no
 * such records), or an errno and a text in @p reason. Same rules as
 * resolve_lookup_h.
 */
typedef int(resolve_srv_h)(const char *name, struct dns_srv *v, size_t max,
			   size_t *np, char *reason, size_t rsize, void *arg);

/** Resolver options (resolve_opts_default() fills them). */
struct resolve_opts {
	uint32_t timeout_ms;	 /**< give up after (default 5000)     */
	size_t max_queue;	 /**< pending lookups (default 64)     */
	resolve_lookup_h *lookh; /**< lookup (default getaddrinfo)     */
	void *look_arg;		 /**< its argument                     */
	resolve_srv_h *srvh;	 /**< SRV lookup (default DNS); NULL:
				      names resolve to A/AAAA only      */
	void *srv_arg;		 /**< its argument                     */
};

void resolve_opts_default(struct resolve_opts *o);

/** The getaddrinfo() lookup (A and AAAA, the system's order). */
int resolve_getaddrinfo(const char *host, struct sockaddr_storage *sa,
			char *reason, size_t rsize, void *arg);

/** The DNS SRV lookup (dns_srv_query(): resolv.conf's servers). */
int resolve_dns_srv(const char *name, struct dns_srv *v, size_t max, size_t *np,
		    char *reason, size_t rsize, void *arg);

/**
 * Blocking, for start-up code (not on the loop): the address (port 0)
 * of the first server of @p host's SIP SRV records (_sip._udp, then
 * _sip._tcp, _sips._tcp), for a domain without an address of its own.
 * @return 0, ENOENT (no such records), or the lookup's errno.
 */
int resolve_sip_srv_addr(const char *host, struct sockaddr_storage *sa);

/**
 * What to look up for a server (RFC 3263): the SRV records of the
 * services @p svcv in order of preference, the first that has records
 * wins; without any, the A/AAAA address of the host itself at @p port.
 */
struct resolve_req {
	const char *host;		   /**< domain or host name   */
	uint16_t port;			   /**< port without SRV      */
	const char *svcv[RESOLVE_SVC_MAX]; /**< "_sip._udp", ... (static) */
	size_t nsvc;			   /**< 0: A/AAAA only        */
};

/** One address of an answer: with its port, from service svcv[svc]. */
struct resolve_addr {
	struct sockaddr_storage sa; /**< address and port               */
	unsigned svc;		    /**< index in svcv (0 without SRV)  */
};

/** The answer to a resolve_req: addresses in the order to try them. */
struct resolve_answer {
	struct resolve_addr v[RESOLVE_ADDR_MAX]; /**< addresses        */
	size_t n;				 /**< how many (>= 1)  */
	uint32_t ttl;				 /**< s to keep it     */
	bool srv;				 /**< from SRV records */
};

/** The answer to resolve_query_srv(): @p err 0 and @p a, or an errno. */
typedef void(resolve_answer_h)(int err, const struct resolve_answer *a,
			       const char *reason, void *arg);

/**
 * Create a resolver with one worker thread; answers come on @p loop.
 * Freeing it waits for a lookup in progress to end. @return 0 or errno.
 */
int resolver_alloc(struct resolver **rp, struct loop *loop,
		   const struct resolve_opts *opts);

/**
 * Look @p host up. The handler is called once, on the loop, never from
 * inside this call. obj_deref() of *@p qp cancels (the handler is then
 * not called). @return 0, EINVAL, ENOMEM, EBUSY (queue full).
 */
int resolve_query(struct resolve_query **qp, struct resolver *res,
		  const char *host, resolve_h *h, void *arg);

/**
 * Look a server up by @p req (RFC 3263 SRV, then A/AAAA): the addresses
 * of the SRV targets of the first service that has records (ascending
 * priority, weighted random order within one; a target that does not
 * resolve is left out), else of the host itself. A lone "." target
 * (service not offered) answers ENOENT. Same rules as resolve_query().
 */
int resolve_query_srv(struct resolve_query **qp, struct resolver *res,
		      const struct resolve_req *req, resolve_answer_h *h,
		      void *arg);

#endif
