/* sipfeed.h: the harness the SIP stack fuzz targets share: a fake-clock
 * loop and a stack with one UDP transport on 127.0.0.1:5060, fed the
 * messages of an input separated by "\n--\n". Header-only, since every
 * fuzz target is built from its one source file. */
#ifndef PB_TESTS_FUZZ_SIPFEED_H
#define PB_TESTS_FUZZ_SIPFEED_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/buf.h"
#include "base/loop.h"
#include "base/mem.h"
#include "ua/stack/stack.h"

struct sipfeed {
	struct loop *loop;
	struct stack *st;
	struct tsx_addr src; /**< 127.0.0.1:5060 UDP: ours, and the sender's */
};

/** The buffer to feed for one message of the input (NULL: none). */
typedef struct buf *(sipfeed_msg_h)(const uint8_t *p, size_t n);

/**
 * Set up f: the loop (fake clock at 0) and the stack with handlers h, its
 * UDP transport sending through sendh. Returns 0 or an errno; either way
 * sipfeed_close() frees what was made.
 */
static inline int sipfeed_open(struct sipfeed *f,
			       const struct stack_handlers *h,
			       tsx_send_h *sendh)
{
	struct sockaddr_in *s4;
	int err;

	memset(f, 0, sizeof(*f));
	s4 = (struct sockaddr_in *)&f->src.sa;
	s4->sin_family = AF_INET;
	s4->sin_port = htons(5060);
	s4->sin_addr.s_addr = htonl(0x7f000001);
	err = loop_alloc(&f->loop);
	if (err)
		return err;
	loop_clock_fake(f->loop, 0);
	err = stack_alloc(&f->st, f->loop, NULL, h, NULL);
	if (err)
		return err;
	return stack_transport_add(f->st, TSX_TP_UDP, &f->src.sa, sendh, NULL);
}

/** A message as it is in the input. */
static inline struct buf *sipfeed_copy(const uint8_t *p, size_t n)
{
	struct buf *mb;

	if (buf_alloc(&mb, n + 1))
		return NULL;
	buf_write(mb, p, n);
	return mb;
}

/**
 * Feed each message of data (separated by "\n--\n"), as made by mk, to
 * the stack as if from f->src, 100 ms of fake time apart.
 */
static inline void sipfeed_run(struct sipfeed *f, const uint8_t *data,
			       size_t size, sipfeed_msg_h *mk)
{
	const uint8_t *p = data, *end = data + size;

	while (p < end) {
		const uint8_t *q = memmem(p, (size_t)(end - p), "\n--\n", 4);
		size_t n = q ? (size_t)(q - p) : (size_t)(end - p);
		struct buf *mb = mk(p, n);

		if (mb) {
			stack_recv(f->st, mb, &f->src);
			obj_deref(mb);
		}
		loop_advance(f->loop, 100);
		p += n + (q ? 4 : 0);
	}
}

/** Free the stack, then the loop. */
static inline void sipfeed_close(struct sipfeed *f)
{
	f->st = obj_deref(f->st);
	f->loop = obj_deref(f->loop);
}

#endif
