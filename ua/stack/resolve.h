/* resolve.h: host name lookups on a worker thread, answered on the loop. */
#ifndef PB_UA_STACK_RESOLVE_H
#define PB_UA_STACK_RESOLVE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "base/loop.h"

struct resolver;
struct resolve_query;

enum { RESOLVE_HOST_MAX = 256, RESOLVE_REASON_MAX = 96 };

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

/** Resolver options (resolve_opts_default() fills them). */
struct resolve_opts {
	uint32_t timeout_ms;	 /**< give up after (default 5000)     */
	size_t max_queue;	 /**< pending lookups (default 64)     */
	resolve_lookup_h *lookh; /**< lookup (default getaddrinfo)     */
	void *look_arg;		 /**< its argument                     */
};

void resolve_opts_default(struct resolve_opts *o);

/** The getaddrinfo() lookup (A and AAAA, the system's order). */
int resolve_getaddrinfo(const char *host, struct sockaddr_storage *sa,
			char *reason, size_t rsize, void *arg);

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

#endif
