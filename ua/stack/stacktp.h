/* stacktp.h: binding the SIP transports (ua/tp) to the stack. */
#ifndef PB_UA_STACK_STACKTP_H
#define PB_UA_STACK_STACKTP_H

#include "ua/stack/stack.h"
#include "ua/tp/tp.h"

/**
 * Handlers to give tp_alloc() with the stack as argument: received
 * messages go to stack_recv(), closed connections to the stack's
 * conn_losth.
 */
extern const struct tp_handlers stack_tp_handlers;

/**
 * Register every listener of @p tp (UDP, TCP, TLS; IPv4, IPv6) as a stack
 * transport. The stack does not reference @p tp: free the stack first.
 * @return 0, ENOENT (no listener), EALREADY.
 */
int stack_tp_attach(struct stack *st, struct tp *tp);

#endif
