/* tp_util.h: shared helpers for the transport tests: recorders, loop runs. */
#ifndef PB_TESTS_TP_UTIL_H
#define PB_TESTS_TP_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/base.h"
#include "harness.h"
#include "ua/tp/tp.h"

enum { REC_MAX = 32 };

/** What one transport saw: messages and closes. */
struct rec {
	int n;			       /**< messages received */
	struct buf *mb[REC_MAX];       /**< their bytes       */
	struct sa src[REC_MAX];	       /**< sources           */
	struct sa local[REC_MAX];      /**< local addresses   */
	enum tp_type type[REC_MAX];    /**< transports        */
	struct tp_conn *conn[REC_MAX]; /**< conns (referenced) */
	int closes;		       /**< close events      */
	int close_err;		       /**< last close errno  */
	bool close_queued;	       /**< last had queued   */
	char reason[200];	       /**< last close reason */
};

static void rec_recv(const struct tp_recv *rx, void *arg)
{
	struct rec *r = arg;
	if (r->n >= REC_MAX)
		return;
	r->mb[r->n] = obj_ref(rx->mb);
	r->src[r->n] = rx->src;
	r->local[r->n] = rx->local;
	r->type[r->n] = rx->type;
	r->conn[r->n] = obj_ref(rx->conn);
	r->n++;
}

static void rec_close(struct tp_conn *c, int err, const char *reason,
		      bool queued, void *arg)
{
	struct rec *r = arg;
	(void)c;
	r->closes++;
	r->close_err = err;
	r->close_queued = queued;
	snprintf(r->reason, sizeof(r->reason), "%s", reason);
}

static const struct tp_handlers rec_handlers = {rec_recv, rec_close, NULL};

static void rec_clear(struct rec *r)
{
	for (int i = 0; i < r->n; i++) {
		obj_deref(r->mb[i]);
		obj_deref(r->conn[i]);
	}
	memset(r, 0, sizeof(*r));
}

/** Message @p i as a string view. */
static inline struct pl rec_pl(const struct rec *r, int i)
{
	return buf_pl(r->mb[i]);
}

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/** Poll the loop until *@p v >= @p want or 5 s of real time passed. */
static bool run_until(struct loop *l, const int *v, int want)
{
	uint64_t end = mono_ms() + 5000;
	while (*v < want && mono_ms() < end)
		loop_poll(l, 10);
	return *v >= want;
}

/** Poll the loop for a few rounds (lets in-flight bytes settle). */
static void run_rounds(struct loop *l, int n)
{
	for (int i = 0; i < n; i++)
		loop_poll(l, 5);
}

/** A SIP request with a body of @p blen bytes 'x' (and a tag). */
static struct buf *make_msg(const char *tag, size_t blen)
{
	struct buf *b;
	if (buf_alloc(&b, 256 + blen))
		return NULL;
	buf_printf(b,
		   "OPTIONS sip:bob@example.com SIP/2.0\r\n"
		   "Via: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bK%s\r\n"
		   "From: <sip:alice@example.com>;tag=1\r\n"
		   "To: <sip:bob@example.com>\r\n"
		   "Call-ID: %s\r\n"
		   "CSeq: 1 OPTIONS\r\n"
		   "Max-Forwards: 70\r\n"
		   "Content-Length: %zu\r\n\r\n",
		   tag, tag, blen);
	for (size_t i = 0; i < blen; i++)
		buf_write(b, "x", 1);
	return b;
}

/** True when the recorded message @p i equals @p b byte for byte. */
static bool rec_is(const struct rec *r, int i, const struct buf *b)
{
	struct pl a = rec_pl(r, i), e = buf_pl(b);
	return a.l == e.l && !memcmp(a.p, e.p, a.l);
}

/** A server and a client transport on one loop. */
struct pair {
	struct loop *loop;
	struct tp *srv, *cli;
	struct rec rs, rc;
	struct sa saddr; /**< server listener of the tested type */
};

/** Free @p p; the loop must have no fd and no timer left. */
static inline void pair_close(struct pair *p)
{
	rec_clear(&p->rs);
	rec_clear(&p->rc);
	p->cli = obj_deref(p->cli);
	p->srv = obj_deref(p->srv);
	if (p->loop) {
		CHECK_EQ_INT(loop_fd_count(p->loop), 0);
		CHECK_EQ_INT(loop_tmr_count(p->loop), 0);
	}
	p->loop = obj_deref(p->loop);
}

/** The client sends one message (tagged @p tag) over @p type; the server
 *  must get exactly it as its first message. */
static inline void pair_send_one(struct pair *p, enum tp_type type,
				 const char *tag)
{
	struct buf *m = make_msg(tag, 3);

	CHECK_EQ_INT(tp_send(p->cli, type, &p->saddr, m, NULL), 0);
	CHECK(run_until(p->loop, &p->rs.n, 1));
	CHECK(p->rs.n == 1 && rec_is(&p->rs, 0, m));
	obj_deref(m);
}

#endif
