/* priv.h: stack internals shared by the files of ua/stack/. */
#ifndef PB_UA_STACK_PRIV_H
#define PB_UA_STACK_PRIV_H

#include "ua/stack/resolve.h"
#include "ua/stack/stack.h"

enum { STACK_TP_N = 3, STACK_HOSTS_N = 16 };

/** One server address of a name: where to send, and how. */
struct stack_target {
	struct sockaddr_storage sa; /**< address and port  */
	enum tsx_tp tp;		    /**< transport         */
};

/**
 * One remembered lookup (the stack's host cache): a name as a URI gave
 * it (with its port and transport, which decide whether SRV is used)
 * and its servers in the order to try; cur is the one in use.
 */
struct stack_host {
	char name[RESOLVE_HOST_MAX];		  /**< "" = free        */
	uint16_t port;				  /**< URI port or 0    */
	uint8_t choice;				  /**< URI tp + 1, or 0 */
	struct stack_target tv[RESOLVE_ADDR_MAX]; /**< servers          */
	size_t n;				  /**< how many         */
	size_t cur;				  /**< the one in use   */
	uint64_t expires;			  /**< loop time        */
};

/** One registered transport kind: an IPv4 and/or an IPv6 address. */
struct stack_tp {
	bool set;			  /**< registered (any family)  */
	struct sockaddr_storage laddr[2]; /**< local address: [0] IPv4,
					       [1] IPv6; family 0 = none */
	tsx_send_h *sendh;		  /**< send                     */
	void *arg;			  /**< its argument             */
};

struct stack {
	struct loop *loop;			/**< event loop           */
	struct tsx_layer *tl;			/**< transactions         */
	struct stack_tp tpv[STACK_TP_N];	/**< transports by kind   */
	char *user_agent;			/**< User-Agent value     */
	char *allow;				/**< Allow value          */
	char *supported;			/**< Supported value      */
	const struct stack_handlers *h;		/**< TU handlers          */
	void *arg;				/**< TU argument          */
	struct stack_udp *udp;			/**< own UDP socket       */
	uint64_t nbad;				/**< malformed input      */
	stack_resp_h *strayh;			/**< unmatched responses  */
	void *stray_arg;			/**< its argument         */
	stack_trace_h *traceh;			/**< wire trace           */
	void *trace_arg;			/**< its argument         */
	struct resolver *res;			/**< made on first lookup */
	struct resolve_opts res_opts;		/**< its options          */
	struct stack_host hostv[STACK_HOSTS_N]; /**< host cache    */
};

/** Format @p sa as "ip:port" ([v6]:port) into @p buf. */
int stack_sa_hostport(const struct sockaddr_storage *sa, char *buf,
		      size_t size);

/** Release the stack's own UDP socket. */
void stack_udp_close(struct stack *st);

#endif
