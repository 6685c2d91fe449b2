/* regsock.h: a UA stack and the mock registrar on a second stack, over
 * real loopback sockets (ua/tp) in one loop, for registration tests. */
#ifndef PB_TESTS_MOCK_REGSOCK_H
#define PB_TESTS_MOCK_REGSOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "base/loop.h"
#include "mock/registrar.h"
#include "ua/reg/reg.h"
#include "ua/stack/resolve.h"
#include "ua/stack/stack.h"
#include "ua/tp/tp.h"

/** One side: a stack on its own transports. */
struct regsock_side {
	struct stack *st;
	struct tp *tp;
};

/** The fixture; registrations made with regsock_reg_h count into it. */
struct regsock {
	struct loop *loop;
	struct regsock_side ua, srv; /**< srv answers with mr        */
	struct mockreg mr;
	char dir[64];		 /**< temporary directory (removed) */
	int nreg, nfail, nretry; /**< REGISTERED/FAILED/RETRYING seen */
	uint32_t expires;	 /**< of the last REGISTERED event  */
	char reason[160];	 /**< of the last event             */
};

/**
 * Zero @p f, make its temporary directory /tmp/PREFIX.XXXXXX, set up the
 * registrar with @p mo and the loop. @return 0 or an errno.
 */
int regsock_init(struct regsock *f, const char *prefix,
		 const struct mockreg_opts *mo);

/**
 * Open side @p s on @p loop listening on 127.0.0.1, port 0, for the
 * transports @p types (TP_UDP | ...), with transport options @p to (NULL:
 * defaults); with @p mr its requests go to that mock registrar; @p lookh
 * (or NULL for the system's) looks up host names. @return 0 or an errno.
 */
int regsock_side_open(struct regsock_side *s, struct loop *loop,
		      struct mockreg *mr, int types, const struct tp_opts *to,
		      resolve_lookup_h *lookh);

/** Free what regsock_side_open() made. */
void regsock_side_close(struct regsock_side *s);

/** Free both sides and the loop, and remove the directory. */
void regsock_close(struct regsock *f);

/** reg_event_h for reg_alloc(): @p arg is the struct regsock. */
void regsock_reg_h(const struct reg_event *ev, void *arg);

/** Poll the loop (10 ms at a time, 3 s at most) until *@p c >= @p want. */
bool regsock_run(struct regsock *f, const int *c, int want);

#endif
