/* netsim.h: an in-memory lossy network between transaction layers. */
#ifndef PB_TESTS_MOCK_NETSIM_H
#define PB_TESTS_MOCK_NETSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/loop.h"
#include "ua/tsx/tsx.h"

enum { NETSIM_LOG_MAX = 128 };

/** One sent packet as seen on the wire (for assertions). */
struct netsim_rec {
	uint64_t t;    /**< loop time it was sent  */
	char line[80]; /**< its first line         */
	bool dropped;  /**< it never arrived       */
};

/**
 * One host on the simulated network: an address, a transaction layer that
 * receives what is sent to that address, and loss/delay/duplication rules
 * applied to what it sends.
 */
struct netsim_ep {
	struct sockaddr_storage addr; /**< its address                  */
	enum tsx_tp tp;		      /**< transport it uses            */
	struct tsx_layer *tl;	      /**< receiver (set by the test)   */
	struct netsim *ns;	      /**< network                      */
	uint32_t drop_next;	      /**< drop this many next packets  */
	uint32_t drop_all;	      /**< drop everything if nonzero   */
	uint32_t delay_ms;	      /**< delivery delay               */
	bool dup;		      /**< deliver every packet twice   */
	struct netsim_rec log[NETSIM_LOG_MAX]; /**< sent packets         */
	size_t nlog;	      /**< entries in log               */
	struct buf *raw_last; /**< copy of the last packet sent */
};

/** The network: delivers packets through loop timers. */
struct netsim;

int netsim_alloc(struct netsim **nsp, struct loop *loop);
/** Set up @p ep with address @p ip:@p port on @p ns. */
void netsim_ep_init(struct netsim_ep *ep, struct netsim *ns, const char *ip,
		    uint16_t port, enum tsx_tp tp);
/** Release what an endpoint holds. */
void netsim_ep_close(struct netsim_ep *ep);
/** The tsx_send_h of endpoint @p arg (a struct netsim_ep *). */
int netsim_send(const struct tsx_addr *dst, struct buf *mb, void *arg);
/** Inject raw bytes from @p from to the endpoint at @p to. */
int netsim_inject(struct netsim_ep *from, struct netsim_ep *to, const void *p,
		  size_t n);
/** Number of log entries of @p ep whose first line starts with @p prefix. */
size_t netsim_count(const struct netsim_ep *ep, const char *prefix);
/** Source address of @p ep as a tsx_addr. */
void netsim_ep_addr(const struct netsim_ep *ep, struct tsx_addr *a);

#endif
