/* test_rtp_batch.c: RTP sessions on an rtp_batch (recvmmsg/sendmmsg) over
 * loopback: bursts arrive complete and in order in few system calls, the
 * queue goes out at the end of the loop turn, a refused datagram in a run
 * is skipped without losing the rest, SRTP and a two-leg relay through the
 * batch path, oversized datagrams, BYE on close. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>

#include "audio/rtp/rtp.h"
#include "audio/rtp/rtp_batch.h"
#include "base/loop.h"
#include "harness.h"

struct rx {
	unsigned n;    /**< packets delivered           */
	uint32_t next; /**< payload index expected next */
	bool in_order; /**< every index was next        */
	uint16_t last_seq;
	unsigned seq_gaps; /**< seq jumps > 1             */
	unsigned rtcp;
	struct rtp_session *fwd; /**< relay: forward here    */
	int fwd_err;
};

static void on_rtp(const struct rtp_hdr *h, void *arg)
{
	struct rx *r = arg;
	uint32_t idx = UINT32_MAX;
	if (h->payload_len == 160 && h->payload[159] == 0x5a)
		memcpy(&idx, h->payload, 4);
	if (idx < r->next)
		r->in_order = false;
	if (r->n && (uint16_t)(h->seq - r->last_seq) != 1)
		r->seq_gaps++;
	r->next = idx + 1;
	r->last_seq = h->seq;
	r->n++;
	if (r->fwd && !r->fwd_err)
		r->fwd_err = rtp_forward(r->fwd, h);
}

static void on_rtcp(const struct rtcp_info *info, void *arg)
{
	struct rx *r = arg;
	(void)info;
	r->rtcp++;
}

static const struct rtp_handlers handlers = {on_rtp, on_rtcp};

static struct rtp_session *sess_open(struct loop *l, struct rx *r)
{
	struct rtp_opts o;
	struct rtp_session *s = NULL;
	rtp_opts_default(&o);
	o.laddr = "127.0.0.1";
	o.rtcp_interval_ms = 60000; /* tests send RTCP themselves */
	memset(r, 0, sizeof(*r));
	r->in_order = true;
	return rtp_session_alloc(&s, l, &o, &handlers, r) ? NULL : s;
}

static int peer(struct rtp_session *from, struct rtp_session *to)
{
	struct sockaddr_storage a, c;
	rtp_session_local(to, false, &a);
	rtp_session_local(to, true, &c);
	return rtp_session_set_peer(from, (struct sockaddr *)&a,
				    (struct sockaddr *)&c);
}

static int send_idx(struct rtp_session *s, uint32_t i)
{
	uint8_t pl[160];
	memset(pl, 0x5a, sizeof(pl));
	memcpy(pl, &i, 4);
	return rtp_send(s, 0, false, i * 160, pl, sizeof(pl));
}

/* Poll until nothing more arrives (loopback delivers synchronously). */
static void drain(struct loop *l)
{
	for (int i = 0; i < 16; i++)
		loop_poll(l, 0);
}

struct two {
	struct loop *loop;
	struct rtp_batch *ba, *bb;
	struct rtp_session *a, *b;
	struct rx ra, rb;
};

static int two_open(struct two *t)
{
	memset(t, 0, sizeof(*t));
	int err = loop_alloc(&t->loop);
	if (!err)
		err = rtp_batch_alloc(&t->ba, t->loop, NULL);
	if (!err)
		err = rtp_batch_alloc(&t->bb, t->loop, NULL);
	if (err)
		return err;
	t->a = sess_open(t->loop, &t->ra);
	t->b = sess_open(t->loop, &t->rb);
	if (!t->a || !t->b)
		return ENOMEM;
	err = peer(t->a, t->b);
	if (!err)
		err = peer(t->b, t->a);
	if (!err)
		err = rtp_session_set_batch(t->a, t->ba);
	if (!err)
		err = rtp_session_set_batch(t->b, t->bb);
	return err;
}

static void two_close(struct two *t)
{
	t->a = rtp_session_close(t->a);
	t->b = rtp_session_close(t->b);
	t->ba = obj_deref(t->ba);
	t->bb = obj_deref(t->bb);
	CHECK_EQ_INT(loop_fd_count(t->loop), 0);
	CHECK_EQ_INT(loop_tmr_count(t->loop), 0);
	t->loop = obj_deref(t->loop);
}

/* 10 bursts of 100 packets: each burst leaves in one sendmmsg and arrives
 * in ceil(100/32) recvmmsg calls, none lost or reordered. */
static void test_batch_bursts_arrive_complete_in_order(void)
{
	struct two t;
	REQUIRE(two_open(&t) == 0);
	for (uint32_t burst = 0; burst < 10; burst++) {
		for (uint32_t i = 0; i < 100; i++)
			REQUIRE(send_idx(t.a, burst * 100 + i) == 0);
		CHECK_EQ_INT(rtp_batch_pending(t.ba), 100);
		drain(t.loop);
		CHECK_EQ_INT(rtp_batch_pending(t.ba), 0);
	}
	CHECK_EQ_INT(t.rb.n, 1000);
	CHECK_EQ_INT(t.rb.next, 1000);
	CHECK(t.rb.in_order);
	CHECK_EQ_INT(t.rb.seq_gaps, 0);
	struct rtp_batch_stats sa, sb;
	rtp_batch_stats_get(t.ba, &sa);
	rtp_batch_stats_get(t.bb, &sb);
	CHECK_EQ_INT(sa.tx_pkts, 1000);
	CHECK_EQ_INT(sa.tx_calls, 10);
	CHECK_EQ_INT(sa.tx_err, 0);
	CHECK_EQ_INT(sb.rx_pkts, 1000);
	/* 32 + 32 + 32 + 4 per burst, plus at most one empty read each */
	CHECK(sb.rx_calls >= 40 && sb.rx_calls <= 50);
	struct rtp_stats st;
	rtp_session_stats(t.b, &st);
	CHECK_EQ_INT(st.lost, 0);
	CHECK_EQ_INT(st.rx_bad, 0);
	two_close(&t);
}

/* Queued datagrams stay queued until the loop turn ends, then go. */
static void test_batch_flushes_at_end_of_turn(void)
{
	struct two t;
	REQUIRE(two_open(&t) == 0);
	size_t timers = loop_tmr_count(t.loop); /* the RTCP timers */
	REQUIRE(send_idx(t.a, 0) == 0);
	REQUIRE(send_idx(t.a, 1) == 0);
	CHECK_EQ_INT(rtp_batch_pending(t.ba), 2);
	CHECK_EQ_INT(loop_tmr_count(t.loop), timers + 1);
	CHECK_EQ_INT(t.rb.n, 0);
	loop_poll(t.loop, 0); /* the flush timer fires after the fd events */
	CHECK_EQ_INT(rtp_batch_pending(t.ba), 0);
	drain(t.loop);
	CHECK_EQ_INT(t.rb.n, 2);
	/* an explicit flush sends at once */
	REQUIRE(send_idx(t.a, 2) == 0);
	CHECK_EQ_INT(rtp_batch_flush(t.ba), 0);
	CHECK_EQ_INT(rtp_batch_pending(t.ba), 0);
	drain(t.loop);
	CHECK_EQ_INT(t.rb.n, 3);
	CHECK(t.rb.in_order);
	two_close(&t);
}

/* A full queue is sent at once: nothing is dropped for lack of room. */
static void test_batch_full_queue_flushes(void)
{
	struct two t;
	REQUIRE(two_open(&t) == 0);
	struct rtp_batch *small = NULL;
	struct rtp_batch_opts o;
	rtp_batch_opts_default(&o);
	o.tx_max = 8;
	o.rx_max = 4;
	REQUIRE(rtp_batch_alloc(&small, t.loop, &o) == 0);
	REQUIRE(rtp_session_set_batch(t.a, small) == 0);
	REQUIRE(rtp_session_set_batch(t.b, small) == 0);
	for (uint32_t i = 0; i < 50; i++)
		REQUIRE(send_idx(t.a, i) == 0);
	CHECK_EQ_INT(rtp_batch_pending(small), 50 % 8);
	drain(t.loop);
	CHECK_EQ_INT(t.rb.n, 50);
	CHECK(t.rb.in_order);
	struct rtp_batch_stats st;
	rtp_batch_stats_get(small, &st);
	CHECK_EQ_INT(st.tx_calls, 7); /* 6 full runs of 8, then 2 */
	CHECK_EQ_INT(st.rx_pkts, 50);
	CHECK(st.rx_calls >= 13); /* at most 4 per call */
	small = obj_deref(small); /* the sessions still hold it */
	two_close(&t);
}

/* sendmmsg stops at a datagram the kernel refuses (an IPv6 destination on
 * an IPv4 socket): it is skipped and counted, the rest of the run goes. */
static void test_batch_partial_send_skips_refused(void)
{
	struct two t;
	REQUIRE(two_open(&t) == 0);
	struct sockaddr_in6 bad = {.sin6_family = AF_INET6,
				   .sin6_port = htons(9)};
	bad.sin6_addr = in6addr_loopback;
	for (uint32_t i = 0; i < 7; i++) {
		if (i == 3)
			REQUIRE(rtp_session_set_peer(
				    t.a, (struct sockaddr *)&bad, NULL) == 0);
		REQUIRE(send_idx(t.a, i) == 0);
		if (i == 3)
			REQUIRE(peer(t.a, t.b) == 0);
	}
	CHECK_EQ_INT(rtp_batch_flush(t.ba), EAFNOSUPPORT);
	drain(t.loop);
	struct rtp_batch_stats st;
	rtp_batch_stats_get(t.ba, &st);
	CHECK_EQ_INT(st.tx_pkts, 6);
	CHECK_EQ_INT(st.tx_err, 1);
	CHECK_EQ_INT(st.tx_calls, 3); /* 3 sent, 1 refused, 3 sent */
	CHECK_EQ_INT(t.rb.n, 6);
	CHECK(t.rb.in_order);
	CHECK_EQ_INT(t.rb.seq_gaps, 1); /* the refused one's number */
	two_close(&t);
}

static void keys(struct two *t, uint8_t salt_b)
{
	uint8_t k1[30], k2[30], k3[30];
	for (int i = 0; i < 30; i++) {
		k1[i] = (uint8_t)(7 * i + 1);
		k2[i] = (uint8_t)(200 - i);
		k3[i] = (uint8_t)(k1[i] ^ salt_b);
	}
	CHECK_EQ_INT(rtp_session_set_srtp(t->a, SRTPX_AES_CM_128_HMAC_SHA1_80,
					  k1, 30, k2, 30),
		     0);
	CHECK_EQ_INT(rtp_session_set_srtp(t->b, SRTPX_AES_CM_128_HMAC_SHA1_80,
					  k2, 30, k3, 30),
		     0);
}

/* SRTP through the batch path: all delivered; with a wrong key, none. */
static void test_batch_srtp(void)
{
	struct two t;
	REQUIRE(two_open(&t) == 0);
	keys(&t, 0);
	for (uint32_t i = 0; i < 300; i++) {
		REQUIRE(send_idx(t.a, i) == 0);
		if (i % 100 == 99)
			drain(t.loop);
	}
	CHECK_EQ_INT(t.rb.n, 300);
	CHECK(t.rb.in_order);
	CHECK_EQ_INT(rtp_rtcp_send(t.a, false), 0);
	drain(t.loop);
	CHECK_EQ_INT(t.rb.rtcp, 1);
	struct rtp_stats st;
	rtp_session_stats(t.b, &st);
	CHECK_EQ_INT(st.rx_auth_fail + st.rx_bad + st.rx_replay, 0);

	keys(&t, 0x11); /* B now expects another key */
	for (uint32_t i = 300; i < 350; i++)
		REQUIRE(send_idx(t.a, i) == 0);
	drain(t.loop);
	CHECK_EQ_INT(t.rb.n, 300);
	rtp_session_stats(t.b, &st);
	CHECK_EQ_INT(st.rx_auth_fail, 50);
	two_close(&t);
}

/* phone A -SRTP k1-> relay leg RA =forward=> relay leg RB -SRTP k2->
 * phone B, both relay legs on one batch: payloads intact and in order,
 * the gaps A's loss made are still gaps at B. */
static void test_batch_relay_forward_srtp(void)
{
	struct loop *l = NULL;
	struct rtp_batch *b = NULL;
	struct rx rpa, rra, rrb, rpb;
	REQUIRE(loop_alloc(&l) == 0);
	REQUIRE(rtp_batch_alloc(&b, l, NULL) == 0);
	struct rtp_session *pa = sess_open(l, &rpa), *ra = sess_open(l, &rra),
			   *rb = sess_open(l, &rrb), *pb = sess_open(l, &rpb);
	REQUIRE(pa && ra && rb && pb);
	REQUIRE(peer(pa, ra) == 0 && peer(ra, pa) == 0);
	REQUIRE(peer(rb, pb) == 0 && peer(pb, rb) == 0);
	REQUIRE(rtp_session_set_batch(ra, b) == 0);
	REQUIRE(rtp_session_set_batch(rb, b) == 0);
	uint8_t k1[30], k2[30];
	for (int i = 0; i < 30; i++)
		k1[i] = (uint8_t)(i + 1), k2[i] = (uint8_t)(90 + i);
	const enum srtpx_suite s = SRTPX_AES_CM_128_HMAC_SHA1_80;
	REQUIRE(rtp_session_set_srtp(pa, s, k1, 30, k1, 30) == 0);
	REQUIRE(rtp_session_set_srtp(ra, s, k1, 30, k1, 30) == 0);
	REQUIRE(rtp_session_set_srtp(rb, s, k2, 30, k2, 30) == 0);
	REQUIRE(rtp_session_set_srtp(pb, s, k2, 30, k2, 30) == 0);
	rra.fwd = rb;
	rtp_session_set_tx_loss(pa, 100, 42); /* 10 % never leave A */
	for (uint32_t i = 0; i < 400; i++) {
		REQUIRE(send_idx(pa, i) == 0);
		if (i % 50 == 49)
			drain(l);
	}
	drain(l);
	struct rtp_stats s_ra, s_pb;
	rtp_session_stats(ra, &s_ra);
	rtp_session_stats(pb, &s_pb);
	CHECK(rra.n > 300 && rra.n < 400);
	CHECK_EQ_INT(rra.fwd_err, 0);
	CHECK_EQ_INT(rpb.n, rra.n);
	CHECK(rpb.in_order);
	CHECK_EQ_INT(rpb.seq_gaps, rra.seq_gaps);
	CHECK_EQ_INT(s_pb.lost, s_ra.lost);
	CHECK(s_pb.lost > 0);
	CHECK_EQ_INT(s_pb.rx_auth_fail + s_pb.rx_bad, 0);
	struct rtp_stats s_rb;
	rtp_session_stats(rb, &s_rb);
	CHECK_EQ_INT(s_pb.remote_ssrc, s_rb.ssrc);
	pa = rtp_session_close(pa);
	ra = rtp_session_close(ra);
	rb = rtp_session_close(rb);
	pb = rtp_session_close(pb);
	b = obj_deref(b);
	CHECK_EQ_INT(loop_fd_count(l), 0);
	l = obj_deref(l);
}

/* A datagram larger than any packet is counted as bad; the next one that
 * came in the same recvmmsg is still delivered. */
static void test_batch_oversized_datagram(void)
{
	struct two t;
	REQUIRE(two_open(&t) == 0);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	REQUIRE(fd >= 0);
	struct sockaddr_storage to;
	rtp_session_local(t.b, false, &to);
	static uint8_t big[3000];
	memset(big, 0x80, sizeof(big));
	CHECK(sendto(fd, big, sizeof(big), 0, (struct sockaddr *)&to,
		     sizeof(struct sockaddr_in)) == (ssize_t)sizeof(big));
	REQUIRE(send_idx(t.a, 0) == 0);
	CHECK_EQ_INT(rtp_batch_flush(t.ba), 0);
	drain(t.loop);
	struct rtp_stats st;
	rtp_session_stats(t.b, &st);
	CHECK_EQ_INT(st.rx_bad, 1);
	CHECK_EQ_INT(t.rb.n, 1);
	struct rtp_batch_stats bs;
	rtp_batch_stats_get(t.bb, &bs);
	CHECK_EQ_INT(bs.rx_pkts, 2);
	CHECK_EQ_INT(bs.rx_calls, 1);
	close(fd);
	two_close(&t);
}

/* Closing a session sends its queued RTCP BYE before the socket goes. */
static void test_batch_close_sends_bye(void)
{
	struct two t;
	REQUIRE(two_open(&t) == 0);
	REQUIRE(send_idx(t.a, 0) == 0);
	t.a = rtp_session_close(t.a);
	CHECK_EQ_INT(rtp_batch_pending(t.ba), 0);
	drain(t.loop);
	CHECK_EQ_INT(t.rb.n, 1);
	struct rtp_stats st;
	rtp_session_stats(t.b, &st);
	CHECK(st.bye);
	two_close(&t);
}

struct seen {
	unsigned n;
	uint16_t seq[16];
	uint32_t ts[16];
	bool marker[16];
};

static void record(const struct rtp_hdr *h, void *arg)
{
	struct seen *s = arg;
	if (s->n < 16) {
		s->seq[s->n] = h->seq;
		s->ts[s->n] = h->ts;
		s->marker[s->n] = h->marker;
		s->n++;
	}
}

/* rtp_forward keeps the input's seq/ts spacing (reordering included) and
 * marker; a new input SSRC continues from where the output stood. */
static void test_forward_keeps_spacing_and_order(void)
{
	struct loop *l = NULL;
	struct rtp_session *x = NULL, *y = NULL;
	struct seen got = {0};
	struct rtp_opts o;
	const struct rtp_handlers h = {record, NULL};
	rtp_opts_default(&o);
	o.laddr = "127.0.0.1";
	REQUIRE(loop_alloc(&l) == 0);
	REQUIRE(rtp_session_alloc(&x, l, &o, NULL, NULL) == 0);
	REQUIRE(rtp_session_alloc(&y, l, &o, &h, &got) == 0);
	REQUIRE(peer(x, y) == 0);
	static const uint16_t in_seq[] = {10, 11, 13, 12, 14, 2000};
	static const uint32_t in_ssrc[] = {7, 7, 7, 7, 7, 8};
	uint8_t pl[20] = {0};
	for (unsigned i = 0; i < 6; i++) {
		struct rtp_hdr in = {.pt = 8,
				     .marker = i == 2,
				     .seq = in_seq[i],
				     .ts = 1000u + 160u * in_seq[i],
				     .ssrc = in_ssrc[i],
				     .payload = pl,
				     .payload_len = sizeof(pl)};
		CHECK_EQ_INT(rtp_forward(x, &in), 0);
	}
	drain(l);
	REQUIRE(got.n == 6);
	for (unsigned i = 1; i < 5; i++) {
		CHECK_EQ_INT((uint16_t)(got.seq[i] - got.seq[0]),
			     in_seq[i] - in_seq[0]);
		CHECK_EQ_INT(got.ts[i] - got.ts[0],
			     160u * (in_seq[i] - in_seq[0]));
	}
	CHECK(got.marker[2] && !got.marker[1]);
	/* the new SSRC goes on right after the highest number sent */
	CHECK_EQ_INT((uint16_t)(got.seq[5] - got.seq[0]), 5);
	CHECK_EQ_INT(got.ts[5] - got.ts[4], 160);
	x = rtp_session_close(x);
	y = rtp_session_close(y);
	l = obj_deref(l);
}

static void close_on_rtp(const struct rtp_hdr *h, void *arg)
{
	struct rtp_session **sp = arg;
	(void)h;
	*sp = rtp_session_close(*sp);
}

/* A handler closes its session, which held the last reference to the
 * batch, in the middle of a recvmmsg batch: the rest is dropped safely. */
static void test_batch_handler_closes_session(void)
{
	struct two t;
	REQUIRE(two_open(&t) == 0);
	struct rtp_session *victim = NULL;
	struct rtp_opts o;
	rtp_opts_default(&o);
	o.laddr = "127.0.0.1";
	const struct rtp_handlers h = {close_on_rtp, NULL};
	REQUIRE(rtp_session_alloc(&victim, t.loop, &o, &h, &victim) == 0);
	struct rtp_batch *b = NULL;
	REQUIRE(rtp_batch_alloc(&b, t.loop, NULL) == 0);
	REQUIRE(rtp_session_set_batch(victim, b) == 0);
	b = obj_deref(b); /* only the session holds it now */
	REQUIRE(peer(t.a, victim) == 0);
	for (uint32_t i = 0; i < 5; i++)
		REQUIRE(send_idx(t.a, i) == 0);
	drain(t.loop);
	CHECK(victim == NULL);
	two_close(&t);
}

static void test_batch_bad_args(void)
{
	struct loop *l = NULL, *l2 = NULL;
	struct rtp_batch *b = NULL;
	struct rtp_batch_opts o;
	struct rx r;
	REQUIRE(loop_alloc(&l) == 0);
	REQUIRE(loop_alloc(&l2) == 0);
	rtp_batch_opts_default(&o);
	o.rx_max = 0;
	CHECK_EQ_INT(rtp_batch_alloc(&b, l, &o), EINVAL);
	o.rx_max = RTP_BATCH_MAX + 1;
	CHECK_EQ_INT(rtp_batch_alloc(&b, l, &o), EINVAL);
	CHECK_EQ_INT(rtp_batch_alloc(&b, NULL, NULL), EINVAL);
	REQUIRE(rtp_batch_alloc(&b, l2, NULL) == 0);
	struct rtp_session *s = sess_open(l, &r);
	REQUIRE(s);
	CHECK_EQ_INT(rtp_session_set_batch(s, b), EINVAL); /* other loop */
	CHECK_EQ_INT(rtp_session_set_batch(NULL, b), EINVAL);
	CHECK_EQ_INT(rtp_session_set_batch(s, NULL), 0);
	CHECK_EQ_INT(rtp_batch_flush(b), 0);
	CHECK_EQ_INT(rtp_batch_pending(NULL), 0);
	s = rtp_session_close(s);
	b = obj_deref(b);
	l = obj_deref(l);
	l2 = obj_deref(l2);
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_batch_bursts_arrive_complete_in_order);
	RUN(test_batch_flushes_at_end_of_turn);
	RUN(test_batch_full_queue_flushes);
	RUN(test_batch_partial_send_skips_refused);
	RUN(test_batch_srtp);
	RUN(test_batch_relay_forward_srtp);
	RUN(test_batch_oversized_datagram);
	RUN(test_batch_close_sends_bye);
	RUN(test_batch_handler_closes_session);
	RUN(test_forward_keeps_spacing_and_order);
	RUN(test_batch_bad_args);
	return harness_done();
}
