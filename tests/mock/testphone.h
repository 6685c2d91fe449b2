/* testphone.h: a plain phone for command and script tests. */
#ifndef PB_TESTS_MOCK_TESTPHONE_H
#define PB_TESTS_MOCK_TESTPHONE_H

#include "base/loop.h"
#include "ua/phone/phone.h"

/**
 * Allocate a phone on @p loop listening on UDP 127.0.0.1 (port 0), with no
 * sound card (AUDEV_NULL); events go to @p h with @p arg. A refusal is
 * printed to stderr. @return 0 or the phone_alloc() errno.
 */
int testphone_alloc(struct phone **pp, struct loop *loop, phone_event_h *h,
		    void *arg);

#endif
