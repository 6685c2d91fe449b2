/* test_rtp_session.c: two RTP sessions on one loop over loopback: delivery,
 * SRTP, loss and jitter statistics, RTCP SR/RR with RTT, bad input, BYE. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>

#include "audio/rtp/rtp.h"
#include "base/loop.h"
#include "harness.h"

struct rx {
	unsigned n;
	uint16_t last_seq;
	bool in_order;
	bool payload_ok;
	unsigned rtcp;
};

static void on_rtp(const struct rtp_hdr *h, void *arg)
{
	struct rx *r = arg;
	if (r->n && (uint16_t)(r->last_seq + 1) != h->seq)
		r->in_order = false;
	uint32_t idx = 0;
	if (h->payload_len >= 4)
		memcpy(&idx, h->payload, 4);
	if (h->payload_len != 160 || h->payload[159] != (uint8_t)idx)
		r->payload_ok = false;
	r->last_seq = h->seq;
	r->n++;
}

static void on_rtcp(const struct rtcp_info *info, void *arg)
{
	struct rx *r = arg;
	(void)info;
	r->rtcp++;
}

static const struct rtp_handlers handlers = {on_rtp, on_rtcp};

struct pair {
	struct loop *loop;
	struct rtp_session *a, *b;
	struct rx ra, rb;
};

static int pair_open(struct pair *p, bool fake, bool v6, bool mux)
{
	memset(p, 0, sizeof(*p));
	p->ra.in_order = p->rb.in_order = true;
	p->ra.payload_ok = p->rb.payload_ok = true;
	int err = loop_alloc(&p->loop);
	if (err)
		return err;
	if (fake)
		loop_clock_fake(p->loop, 1000);
	struct rtp_opts o;
	rtp_opts_default(&o);
	o.laddr = v6 ? "::1" : "127.0.0.1";
	o.rtcp_mux = mux;
	o.rtcp_interval_ms = 60000; /* tests drive RTCP themselves */
	err = rtp_session_alloc(&p->a, p->loop, &o, &handlers, &p->ra);
	if (!err)
		err = rtp_session_alloc(&p->b, p->loop, &o, &handlers, &p->rb);
	if (err)
		return err;
	struct sockaddr_storage a, b, ac, bc;
	rtp_session_local(p->a, false, &a);
	rtp_session_local(p->b, false, &b);
	rtp_session_local(p->a, true, &ac);
	rtp_session_local(p->b, true, &bc);
	err = rtp_session_set_peer(p->a, (struct sockaddr *)&b,
				   (struct sockaddr *)&bc);
	if (!err)
		err = rtp_session_set_peer(p->b, (struct sockaddr *)&a,
					   (struct sockaddr *)&ac);
	return err;
}

static void pair_close(struct pair *p)
{
	p->a = rtp_session_close(p->a);
	p->b = rtp_session_close(p->b);
	CHECK_EQ_INT(loop_fd_count(p->loop), 0);
	p->loop = obj_deref(p->loop);
}

/* Poll until nothing more arrives (loopback delivers synchronously). */
static void drain(struct loop *l)
{
	for (int i = 0; i < 8; i++)
		loop_poll(l, 0);
}

static int send_n(struct rtp_session *s, unsigned n, struct loop *l)
{
	for (uint32_t i = 0; i < n; i++) {
		uint8_t pl[160];
		memset(pl, (uint8_t)i, sizeof(pl));
		memcpy(pl, &i, 4);
		int err = rtp_send(s, 0, i == 0, i * 160, pl, sizeof(pl));
		if (err)
			return err;
		if (i % 32 == 31) /* keep socket buffers small */
			drain(l);
	}
	drain(l);
	return 0;
}

static void run_delivery(bool v6, bool mux, bool srtp)
{
	struct pair p;
	int err = pair_open(&p, false, v6, mux);
	if (err == EADDRNOTAVAIL || err == EAFNOSUPPORT) {
		printf("     IPv6 loopback unavailable, skipped\n");
		pair_close(&p);
		return;
	}
	REQUIRE(err == 0);
	if (srtp) {
		uint8_t k1[30], k2[30];
		for (int i = 0; i < 30; i++)
			k1[i] = (uint8_t)i, k2[i] = (uint8_t)(100 + i);
		REQUIRE(rtp_session_set_srtp(p.a, SRTPX_AES_CM_128_HMAC_SHA1_80,
					     k1, 30, k2, 30) == 0);
		REQUIRE(rtp_session_set_srtp(p.b, SRTPX_AES_CM_128_HMAC_SHA1_80,
					     k2, 30, k1, 30) == 0);
	}
	CHECK_EQ_INT(send_n(p.a, 200, p.loop), 0);
	CHECK_EQ_INT(send_n(p.b, 50, p.loop), 0);
	CHECK_EQ_INT(p.rb.n, 200);
	CHECK_EQ_INT(p.ra.n, 50);
	CHECK(p.rb.in_order && p.rb.payload_ok);
	CHECK(p.ra.in_order && p.ra.payload_ok);
	CHECK_EQ_INT(rtp_rtcp_send(p.a, false), 0);
	drain(p.loop);
	CHECK_EQ_INT(p.rb.rtcp, 1);

	struct rtp_stats sa, sb;
	rtp_session_stats(p.a, &sa);
	rtp_session_stats(p.b, &sb);
	CHECK_EQ_INT(sa.tx_packets, 200);
	CHECK_EQ_INT(sa.tx_bytes, 200 * 160);
	CHECK_EQ_INT(sb.rx_packets, 200);
	CHECK_EQ_INT(sb.rx_bytes, 200 * 160);
	CHECK_EQ_INT(sb.remote_ssrc, sa.ssrc);
	CHECK_EQ_INT(sb.lost, 0);
	CHECK_EQ_INT(sb.rx_auth_fail + sb.rx_bad + sb.rx_replay, 0);
	CHECK_EQ_INT(sb.rtcp_rx, 1);
	pair_close(&p);
}

static void test_loopback_plain_ipv4(void)
{
	run_delivery(false, false, false);
}

static void test_loopback_ipv6_rtcp_mux(void)
{
	run_delivery(true, true, false);
}

static void test_loopback_srtp(void)
{
	run_delivery(false, false, true);
}

static void test_loopback_srtp_rtcp_mux(void)
{
	run_delivery(false, true, true);
}

/* A on the own OpenSSL backend, B on libsrtp2, RTCP timers on. */
static void test_loopback_srtp_mixed_backends(void)
{
	struct pair p;
	REQUIRE(pair_open(&p, false, false, false) == 0);
	uint8_t k1[30], k2[30];
	for (int i = 0; i < 30; i++)
		k1[i] = (uint8_t)(3 * i), k2[i] = (uint8_t)(200 - i);
	p.a = rtp_session_close(p.a);
	struct rtp_opts o;
	rtp_opts_default(&o);
	o.laddr = "127.0.0.1";
	o.srtp_backend = SRTPX_BACKEND_OPENSSL;
	REQUIRE(rtp_session_alloc(&p.a, p.loop, &o, &handlers, &p.ra) == 0);
	struct sockaddr_storage a, b;
	rtp_session_local(p.a, false, &a);
	rtp_session_local(p.b, false, &b);
	struct sockaddr_storage ac, bc;
	rtp_session_local(p.a, true, &ac);
	rtp_session_local(p.b, true, &bc);
	REQUIRE(rtp_session_set_peer(p.a, (struct sockaddr *)&b,
				     (struct sockaddr *)&bc) == 0);
	REQUIRE(rtp_session_set_peer(p.b, (struct sockaddr *)&a,
				     (struct sockaddr *)&ac) == 0);
	REQUIRE(rtp_session_set_srtp(p.a, SRTPX_AES_CM_128_HMAC_SHA1_32, k1, 30,
				     k2, 30) == 0);
	REQUIRE(rtp_session_set_srtp(p.b, SRTPX_AES_CM_128_HMAC_SHA1_32, k2, 30,
				     k1, 30) == 0);
	CHECK_EQ_INT(send_n(p.a, 100, p.loop), 0);
	CHECK_EQ_INT(send_n(p.b, 100, p.loop), 0);
	CHECK_EQ_INT(rtp_rtcp_send(p.a, false), 0);
	CHECK_EQ_INT(rtp_rtcp_send(p.b, false), 0);
	drain(p.loop);
	CHECK_EQ_INT(p.ra.n, 100);
	CHECK_EQ_INT(p.rb.n, 100);
	CHECK(p.ra.payload_ok && p.rb.payload_ok);
	CHECK_EQ_INT(p.ra.rtcp, 1);
	CHECK_EQ_INT(p.rb.rtcp, 1);
	pair_close(&p);
}

static void test_srtp_wrong_key_drops_all(void)
{
	struct pair p;
	REQUIRE(pair_open(&p, false, false, false) == 0);
	uint8_t k1[30] = {1}, k2[30] = {2};
	REQUIRE(rtp_session_set_srtp(p.a, SRTPX_AES_CM_128_HMAC_SHA1_80, k1, 30,
				     k1, 30) == 0);
	REQUIRE(rtp_session_set_srtp(p.b, SRTPX_AES_CM_128_HMAC_SHA1_80, k2, 30,
				     k2, 30) == 0);
	CHECK_EQ_INT(send_n(p.a, 40, p.loop), 0);
	CHECK_EQ_INT(rtp_rtcp_send(p.a, false), 0);
	drain(p.loop);
	struct rtp_stats sb;
	rtp_session_stats(p.b, &sb);
	CHECK_EQ_INT(p.rb.n, 0);
	CHECK_EQ_INT(p.rb.rtcp, 0);
	CHECK_EQ_INT(sb.rx_auth_fail, 41);
	CHECK_EQ_INT(sb.rx_packets, 0);
	pair_close(&p);
}

static void test_srtp_suite_mismatch_and_bad_key(void)
{
	struct pair p;
	REQUIRE(pair_open(&p, false, false, false) == 0);
	uint8_t k[30] = {9};
	CHECK_EQ_INT(rtp_session_set_srtp(p.a, SRTPX_AES_CM_128_HMAC_SHA1_80, k,
					  29, k, 30),
		     EINVAL);
	REQUIRE(rtp_session_set_srtp(p.a, SRTPX_AES_CM_128_HMAC_SHA1_80, k, 30,
				     k, 30) == 0);
	REQUIRE(rtp_session_set_srtp(p.b, SRTPX_AES_CM_128_HMAC_SHA1_32, k, 30,
				     k, 30) == 0);
	CHECK_EQ_INT(send_n(p.a, 10, p.loop), 0);
	struct rtp_stats sb;
	rtp_session_stats(p.b, &sb);
	CHECK_EQ_INT(p.rb.n, 0);
	CHECK_EQ_INT(sb.rx_auth_fail, 10);
	pair_close(&p);
}

static void test_loss_shows_in_receiver_stats(void)
{
	struct pair p;
	REQUIRE(pair_open(&p, false, false, false) == 0);
	rtp_session_set_tx_loss(p.a, 50, 12345);
	CHECK_EQ_INT(send_n(p.a, 1000, p.loop), 0);
	struct rtp_stats sb;
	rtp_session_stats(p.b, &sb);
	int64_t lost = 1000 - (int64_t)p.rb.n;
	CHECK(lost > 20 && lost < 90); /* ~5% */
	/* the last packet may be the lost one: lost counts to the highest */
	CHECK(sb.lost <= lost && sb.lost >= lost - 5);
	CHECK(sb.lost > 0);
	CHECK_EQ_INT(rtp_rtcp_send(p.b, false), 0); /* computes fraction */
	drain(p.loop);
	rtp_session_stats(p.b, &sb);
	CHECK(sb.fraction_lost >= 5 && sb.fraction_lost <= 23); /* 2-9% */
	struct rtp_stats sa;
	rtp_session_stats(p.a, &sa);
	CHECK(sa.remote_valid);
	CHECK_EQ_INT(sa.remote_lost, sb.lost);
	CHECK_EQ_INT(sa.remote_fraction_lost, sb.fraction_lost);
	pair_close(&p);
}

static void feed(struct rtp_session *s, uint16_t seq, uint32_t ts,
		 uint64_t arrival_us)
{
	uint8_t b[12 + 160] = {0x80, 0};
	b[2] = (uint8_t)(seq >> 8), b[3] = (uint8_t)seq;
	b[4] = (uint8_t)(ts >> 24), b[5] = (uint8_t)(ts >> 16);
	b[6] = (uint8_t)(ts >> 8), b[7] = (uint8_t)ts;
	b[11] = 5;
	rtp_session_input(s, b, sizeof(b), NULL, false, arrival_us);
}

static void test_jitter_from_arrival_times(void)
{
	struct pair p;
	REQUIRE(pair_open(&p, false, false, false) == 0);
	struct rtp_stats st;
	/* perfectly paced: jitter stays 0 */
	for (uint16_t i = 0; i < 50; i++)
		feed(p.b, i, i * 160u, 1000000u + i * 20000u);
	rtp_session_stats(p.b, &st);
	CHECK_EQ_INT(st.jitter_ts, 0);
	CHECK_EQ_INT(st.rx_packets, 50);
	/* every other packet 10 ms late: |D| = 80 ts units each time */
	for (uint16_t i = 50; i < 250; i++)
		feed(p.b, i, i * 160u,
		     1000000u + i * 20000u + (i % 2 ? 10000u : 0));
	rtp_session_stats(p.b, &st);
	CHECK(st.jitter_ts >= 75 && st.jitter_ts <= 80);
	CHECK(st.jitter_ms > 9.0 && st.jitter_ms <= 10.0);
	CHECK_EQ_INT(st.lost, 0);
	CHECK_EQ_INT(st.ext_max_seq, 249);
	pair_close(&p);
}

static void test_rtcp_rtt_with_fake_clock(void)
{
	struct pair p;
	REQUIRE(pair_open(&p, true, false, false) == 0);
	CHECK_EQ_INT(send_n(p.a, 5, p.loop), 0);
	CHECK_EQ_INT(send_n(p.b, 5, p.loop), 0);
	CHECK_EQ_INT(rtp_rtcp_send(p.a, false), 0); /* SR at t */
	loop_advance(p.loop, 40);
	drain(p.loop); /* B: SR arrives at t+40 */
	loop_advance(p.loop, 10);
	CHECK_EQ_INT(rtp_rtcp_send(p.b, false), 0); /* DLSR = 10 ms */
	loop_advance(p.loop, 30);
	drain(p.loop); /* A: at t+80, RTT = 80 - 10 */
	struct rtp_stats sa;
	rtp_session_stats(p.a, &sa);
	CHECK(sa.rtt_valid);
	CHECK(sa.rtt_ms > 69.0 && sa.rtt_ms < 71.0);
	CHECK(sa.remote_valid);
	CHECK_EQ_INT(sa.remote_lost, 0);
	pair_close(&p);
}

static void test_rtcp_timer_exchanges_reports(void)
{
	struct pair p;
	REQUIRE(loop_alloc(&p.loop) == 0);
	memset(&p.ra, 0, sizeof(p.ra));
	memset(&p.rb, 0, sizeof(p.rb));
	loop_clock_fake(p.loop, 5000);
	struct rtp_opts o;
	rtp_opts_default(&o);
	o.laddr = "127.0.0.1";
	REQUIRE(rtp_session_alloc(&p.a, p.loop, &o, &handlers, &p.ra) == 0);
	o.symmetric = true; /* B learns A's address from A's packets */
	REQUIRE(rtp_session_alloc(&p.b, p.loop, &o, &handlers, &p.rb) == 0);
	struct sockaddr_storage b, bc;
	rtp_session_local(p.b, false, &b);
	rtp_session_local(p.b, true, &bc);
	REQUIRE(rtp_session_set_peer(p.a, (struct sockaddr *)&b,
				     (struct sockaddr *)&bc) == 0);
	/* 30 s of a call: 20 ms packets both ways, the loop's timers do RTCP */
	for (uint32_t t = 0; t < 1500; t++) {
		uint8_t pl[160] = {0};
		memcpy(pl, &t, 4);
		pl[159] = (uint8_t)t;
		CHECK_EQ_INT(rtp_send(p.a, 0, false, t * 160, pl, 160), 0);
		if (t > 0) /* B answers once it has latched */
			CHECK_EQ_INT(rtp_send(p.b, 0, false, t * 160, pl, 160),
				     0);
		loop_advance(p.loop, 20);
		drain(p.loop);
	}
	struct rtp_stats sa, sb;
	rtp_session_stats(p.a, &sa);
	rtp_session_stats(p.b, &sb);
	/* interval 5 s x [0.5, 1.5]: 4..12 reports in 30 s */
	CHECK(sa.rtcp_tx >= 4 && sa.rtcp_tx <= 12);
	CHECK(sb.rtcp_tx >= 4 && sb.rtcp_tx <= 12);
	CHECK_EQ_INT(sb.rtcp_rx, sa.rtcp_tx);
	CHECK(sa.rtt_valid && sb.rtt_valid);
	CHECK(sa.rtt_ms >= 0 && sa.rtt_ms < 50);
	CHECK_EQ_INT(p.rb.n, 1500);
	CHECK_EQ_INT(p.ra.n, 1499);
	pair_close(&p);
}

static void test_bad_packets_counted_then_good_delivered(void)
{
	struct pair p;
	REQUIRE(pair_open(&p, false, false, false) == 0);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	REQUIRE(fd >= 0);
	struct sockaddr_storage b;
	rtp_session_local(p.b, false, &b);
	static uint8_t big[2000];
	big[0] = 0x80;
	uint8_t bad[][16] = {
	    {0x80, 0, 0, 1, 0, 0},			   /* truncated */
	    {0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1},	   /* version 1 */
	    {0x8f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2}, /* CSRC > len */
	};
	size_t lens[] = {6, 13, 14};
	for (int i = 0; i < 3; i++)
		sendto(fd, bad[i], lens[i], 0, (struct sockaddr *)&b,
		       sizeof(struct sockaddr_in));
	sendto(fd, big, 1501, 0, (struct sockaddr *)&b,
	       sizeof(struct sockaddr_in));
	sendto(fd, big, sizeof(big), 0, (struct sockaddr *)&b,
	       sizeof(struct sockaddr_in));
	drain(p.loop);
	CHECK_EQ_INT(send_n(p.a, 1, p.loop), 0);
	struct rtp_stats sb;
	rtp_session_stats(p.b, &sb);
	CHECK_EQ_INT(sb.rx_bad, 5);
	CHECK_EQ_INT(sb.rx_packets, 1);
	CHECK_EQ_INT(p.rb.n, 1);
	close(fd);
	pair_close(&p);
}

static void test_bye_on_close(void)
{
	struct pair p;
	REQUIRE(pair_open(&p, false, false, false) == 0);
	p.a = rtp_session_close(p.a);
	drain(p.loop);
	struct rtp_stats sb;
	rtp_session_stats(p.b, &sb);
	CHECK(sb.bye);
	pair_close(&p);
}

static void test_port_range_even_rtp_rtcp_next(void)
{
	struct loop *l = NULL;
	REQUIRE(loop_alloc(&l) == 0);
	struct rtp_opts o;
	rtp_opts_default(&o);
	o.laddr = "127.0.0.1";
	o.port_min = 20000;
	o.port_max = 60999;
	struct rtp_session *s = NULL;
	REQUIRE(rtp_session_alloc(&s, l, &o, NULL, NULL) == 0);
	struct sockaddr_storage a, c;
	rtp_session_local(s, false, &a);
	rtp_session_local(s, true, &c);
	uint16_t pa = ntohs(((struct sockaddr_in *)&a)->sin_port);
	uint16_t pc = ntohs(((struct sockaddr_in *)&c)->sin_port);
	CHECK(pa >= 20000 && pa <= 60998);
	CHECK_EQ_INT(pa % 2, 0);
	CHECK_EQ_INT(pc, pa + 1);
	s = rtp_session_close(s);
	o.port_min = 30001;
	o.port_max = 30001; /* no even port in range */
	CHECK_EQ_INT(rtp_session_alloc(&s, l, &o, NULL, NULL), EINVAL);
	CHECK(s == NULL);
	obj_deref(l);
}

/* Every allocation failure during setup fails cleanly, leaking nothing. */
static void test_alloc_failures_clean(void)
{
	struct loop *l = NULL;
	REQUIRE(loop_alloc(&l) == 0);
	struct rtp_opts o;
	rtp_opts_default(&o);
	o.laddr = "127.0.0.1";
	uint8_t k[30] = {1};
	bool done = false;
	for (size_t n = 1; n < 40 && !done; n++) {
		struct rtp_session *s = NULL;
		obj_fail_after(n);
		int err = rtp_session_alloc(&s, l, &o, NULL, NULL);
		if (!err)
			err = rtp_session_set_srtp(
			    s, SRTPX_AES_CM_128_HMAC_SHA1_80, k, 30, k, 30);
		obj_fail_after(0);
		if (!err)
			done = true;
		else
			CHECK(err == ENOMEM);
		s = rtp_session_close(s);
		CHECK_EQ_INT(loop_fd_count(l), 0);
		CHECK_EQ_INT(loop_tmr_count(l), 0);
	}
	CHECK(done);
	obj_deref(l);
}

int main(void)
{
	harness_watchdog(60);
	RUN(test_loopback_plain_ipv4);
	RUN(test_loopback_ipv6_rtcp_mux);
	RUN(test_loopback_srtp);
	RUN(test_loopback_srtp_rtcp_mux);
	RUN(test_loopback_srtp_mixed_backends);
	RUN(test_srtp_wrong_key_drops_all);
	RUN(test_srtp_suite_mismatch_and_bad_key);
	RUN(test_loss_shows_in_receiver_stats);
	RUN(test_jitter_from_arrival_times);
	RUN(test_rtcp_rtt_with_fake_clock);
	RUN(test_rtcp_timer_exchanges_reports);
	RUN(test_bad_packets_counted_then_good_delivered);
	RUN(test_bye_on_close);
	RUN(test_port_range_even_rtp_rtcp_next);
	RUN(test_alloc_failures_clean);
	return harness_done();
}
