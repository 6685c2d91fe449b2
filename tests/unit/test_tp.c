/* test_tp.c: UDP and TCP transports over loopback: delivery, framing,
 * connection reuse, limits, timers and keep-alives. */
#include <fcntl.h>
#include <unistd.h>

#include "harness.h"
#include "tp_util.h"

static int pair_open(struct pair *p, const char *ip, int types,
		     const struct tp_opts *so)
{
	struct sa any;
	struct tp_opts co;
	int err;
	memset(p, 0, sizeof(*p));
	tp_opts_default(&co);
	if ((err = loop_alloc(&p->loop)))
		return err;
	if ((err = tp_alloc(&p->srv, p->loop, so, &rec_handlers, &p->rs)) ||
	    (err = tp_alloc(&p->cli, p->loop, &co, &rec_handlers, &p->rc)))
		return err;
	if ((err = sa_set(&any, ip, 0)) ||
	    (err = tp_listen(p->srv, types, &any)))
		return err;
	if (types & TP_UDP)
		err = tp_listen(p->cli, TP_UDP, &any);
	return err;
}

static void test_sa(void)
{
	struct sa a, b;
	char s[SA_STR_MAX];
	CHECK_EQ_INT(sa_from_str(&a, "127.0.0.1:5060"), 0);
	CHECK_EQ_STR(sa_print(&a, s, sizeof(s)), "127.0.0.1:5060");
	CHECK_EQ_INT(sa_port(&a), 5060);
	CHECK_EQ_INT(sa_from_str(&b, "[::1]:5061"), 0);
	CHECK_EQ_INT(sa_af(&b), AF_INET6);
	CHECK_EQ_STR(sa_print(&b, s, sizeof(s)), "[::1]:5061");
	CHECK(!sa_cmp(&a, &b));
	CHECK_EQ_INT(sa_from_str(&b, "127.0.0.1"), 0);
	CHECK_EQ_INT(sa_port(&b), 0);
	sa_set_port(&b, 5060);
	CHECK(sa_cmp(&a, &b));
	CHECK_EQ_INT(sa_hash(&a), sa_hash(&b));
	CHECK_EQ_INT(sa_from_str(&b, "::1"), 0);
	CHECK_EQ_STR(sa_print_ip(&b, s, sizeof(s)), "::1");
	const char *bad[] = {"",
			     "1.2.3",
			     "127.0.0.1:",
			     "127.0.0.1:65536",
			     "[::1",
			     "[::1]x",
			     "[::1]:",
			     "host.example:5060",
			     "1.2.3.4:50a",
			     "[1.2.3.4]:5"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ_INT(sa_from_str(&a, bad[i]), EINVAL);
	CHECK(sa_is_ip_literal("::1"));
	CHECK(!sa_is_ip_literal("localhost"));
}

static void test_type_names(void)
{
	CHECK_EQ_INT(tp_type_from_name("udp"), TP_UDP);
	CHECK_EQ_INT(tp_type_from_name("TCP"), TP_TCP);
	CHECK_EQ_INT(tp_type_from_name("tls"), TP_TLS);
	CHECK_EQ_INT(tp_type_from_name("sctp"), TP_NONE);
	CHECK_EQ_STR(tp_type_name(TP_TLS), "TLS");
	CHECK(tp_type_stream(TP_TCP) && !tp_type_stream(TP_UDP));
}

static void udp_roundtrip(const char *ip, int af)
{
	struct pair p;
	struct sa cl;
	REQUIRE(pair_open(&p, ip, TP_UDP, NULL) == 0);
	REQUIRE(tp_laddr(p.srv, TP_UDP, af, &p.saddr) == 0);
	REQUIRE(tp_laddr(p.cli, TP_UDP, af, &cl) == 0);
	CHECK(sa_port(&p.saddr) != 0);
	struct buf *m = make_msg("udp1", 10);
	CHECK_EQ_INT(tp_send(p.cli, TP_UDP, &p.saddr, m, NULL), 0);
	CHECK(run_until(p.loop, &p.rs.n, 1));
	if (p.rs.n == 1) {
		CHECK(rec_is(&p.rs, 0, m));
		CHECK(sa_cmp(&p.rs.src[0], &cl));
		CHECK(sa_cmp(&p.rs.local[0], &p.saddr));
		CHECK_EQ_INT(p.rs.type[0], TP_UDP);
		CHECK(p.rs.conn[0] == NULL);
		/* reply to the source address */
		CHECK_EQ_INT(tp_send(p.srv, TP_UDP, &p.rs.src[0], m, NULL), 0);
		CHECK(run_until(p.loop, &p.rc.n, 1));
		CHECK(p.rc.n == 1 && sa_cmp(&p.rc.src[0], &p.saddr));
	}
	obj_deref(m);
	pair_close(&p);
}

static void test_udp_v4(void)
{
	udp_roundtrip("127.0.0.1", AF_INET);
}

static void test_udp_v6(void)
{
	udp_roundtrip("::1", AF_INET6);
}

static void test_udp_oversize_dropped(void)
{
	struct pair p;
	struct tp_opts so;
	tp_opts_default(&so);
	so.max_msg = 1000;
	REQUIRE(pair_open(&p, "127.0.0.1", TP_UDP, &so) == 0);
	REQUIRE(tp_laddr(p.srv, TP_UDP, AF_INET, &p.saddr) == 0);
	struct buf *big = make_msg("big", 1500), *ok = make_msg("ok", 5);
	CHECK_EQ_INT(tp_send(p.cli, TP_UDP, &p.saddr, big, NULL), 0);
	CHECK_EQ_INT(tp_send(p.cli, TP_UDP, &p.saddr, ok, NULL), 0);
	CHECK(run_until(p.loop, &p.rs.n, 1));
	run_rounds(p.loop, 3);
	CHECK_EQ_INT(p.rs.n, 1);
	CHECK(p.rs.n == 1 && rec_is(&p.rs, 0, ok));
	/* and our own send refuses it too */
	CHECK_EQ_INT(tp_send(p.srv, TP_UDP, &p.saddr, big, NULL), EMSGSIZE);
	obj_deref(big);
	obj_deref(ok);
	pair_close(&p);
}

static void tcp_reuse(const char *ip, int af)
{
	struct pair p;
	REQUIRE(pair_open(&p, ip, TP_TCP, NULL) == 0);
	REQUIRE(tp_laddr(p.srv, TP_TCP, af, &p.saddr) == 0);
	struct buf *m1 = make_msg("req1", 3), *m2 = make_msg("resp1", 0);
	struct buf *m3 = make_msg("req2", 7);
	CHECK_EQ_INT(tp_send(p.cli, TP_TCP, &p.saddr, m1, NULL), 0);
	CHECK(run_until(p.loop, &p.rs.n, 1));
	REQUIRE(p.rs.n == 1);
	CHECK(rec_is(&p.rs, 0, m1));
	CHECK(sa_cmp(&p.rs.local[0], &p.saddr));
	REQUIRE(p.rs.conn[0] != NULL);
	CHECK(sa_cmp(&p.rs.src[0], tp_conn_peer(p.rs.conn[0])));
	CHECK(!tp_conn_outgoing(p.rs.conn[0]));
	/* reply over the connection it came on */
	CHECK_EQ_INT(tp_send(p.srv, TP_TCP, NULL, m2, p.rs.conn[0]), 0);
	CHECK(run_until(p.loop, &p.rc.n, 1));
	CHECK(p.rc.n == 1 && rec_is(&p.rc, 0, m2));
	CHECK(p.rc.n == 1 && sa_cmp(&p.rc.src[0], &p.saddr));
	CHECK(p.rc.n == 1 && sa_cmp(&p.rc.local[0], &p.rs.src[0]));
	/* a new request back to the peer's address reuses its connection */
	CHECK_EQ_INT(tp_send(p.srv, TP_TCP, &p.rs.src[0], m3, NULL), 0);
	CHECK(run_until(p.loop, &p.rc.n, 2));
	CHECK(p.rc.n == 2 && rec_is(&p.rc, 1, m3));
	CHECK_EQ_INT(tp_conn_count(p.srv), 1);
	CHECK_EQ_INT(tp_conn_count(p.cli), 1);
	/* and the client's second request reuses its connection too */
	CHECK_EQ_INT(tp_send(p.cli, TP_TCP, &p.saddr, m1, NULL), 0);
	CHECK(run_until(p.loop, &p.rs.n, 2));
	CHECK(p.rs.n == 2 && p.rs.conn[1] == p.rs.conn[0]);
	CHECK_EQ_INT(tp_conn_count(p.srv), 1);
	/* a pinned connection that closes refuses further sends */
	tp_conn_close(p.rs.conn[0]);
	CHECK(!tp_conn_isopen(p.rs.conn[0]));
	CHECK_EQ_INT(p.rs.closes, 1);
	CHECK_EQ_INT(p.rs.close_err, 0); /* our own close */
	CHECK_EQ_INT(tp_send(p.srv, TP_TCP, NULL, m2, p.rs.conn[0]), ENOTCONN);
	CHECK(run_until(p.loop, &p.rc.closes, 1));
	CHECK_EQ_INT(p.rc.close_err, ECONNRESET); /* closed by the peer */
	CHECK_EQ_INT(tp_conn_count(p.cli), 0);
	obj_deref(m1);
	obj_deref(m2);
	obj_deref(m3);
	pair_close(&p);
}

static void test_tcp_v4_reuse(void)
{
	tcp_reuse("127.0.0.1", AF_INET);
}

static void test_tcp_v6_reuse(void)
{
	tcp_reuse("::1", AF_INET6);
}

/* A plain blocking socket connected to @p to (the raw peer in tests). */
static int raw_connect(const struct sa *to)
{
	int fd = socket(sa_af(to), SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, &to->u.sa, to->len) < 0) {
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

static void raw_write(int fd, const void *p, size_t n)
{
	ssize_t w = write(fd, p, n);
	CHECK(w == (ssize_t)n);
}

/* Read what arrives while the loop runs; returns bytes, -1 on EOF. */
static ssize_t raw_read(struct loop *l, int fd, char *buf, size_t n,
			size_t want)
{
	size_t got = 0;
	uint64_t end = mono_ms() + 5000;
	while (got < want && mono_ms() < end) {
		loop_poll(l, 5);
		ssize_t r = read(fd, buf + got, n - got);
		if (r == 0)
			return -1;
		if (r > 0)
			got += (size_t)r;
	}
	return (ssize_t)got;
}

static bool raw_eof(struct loop *l, int fd)
{
	char b[256];
	uint64_t end = mono_ms() + 5000;
	while (mono_ms() < end) {
		loop_poll(l, 5);
		ssize_t r = read(fd, b, sizeof(b));
		if (r == 0 || (r < 0 && errno == ECONNRESET))
			return true;
	}
	return false;
}

static void test_tcp_many_in_one_segment(void)
{
	struct pair p;
	REQUIRE(pair_open(&p, "127.0.0.1", TP_TCP, NULL) == 0);
	REQUIRE(tp_laddr(p.srv, TP_TCP, AF_INET, &p.saddr) == 0);
	struct buf *all, *m[3];
	REQUIRE(buf_alloc(&all, 1024) == 0);
	for (int i = 0; i < 3; i++) {
		char tag[8];
		snprintf(tag, sizeof(tag), "m%d", i);
		m[i] = make_msg(tag, (size_t)i * 20);
		buf_write(all, m[i]->b, m[i]->end);
	}
	int fd = raw_connect(&p.saddr);
	REQUIRE(fd >= 0);
	raw_write(fd, all->b, all->end);
	CHECK(run_until(p.loop, &p.rs.n, 3));
	for (int i = 0; i < 3 && i < p.rs.n; i++)
		CHECK(rec_is(&p.rs, i, m[i]));
	CHECK(p.rs.n == 3 && p.rs.conn[0] == p.rs.conn[2]);
	/* then one message byte by byte */
	for (size_t i = 0; i < m[2]->end; i++) {
		raw_write(fd, m[2]->b + i, 1);
		loop_poll(p.loop, 1);
	}
	CHECK(run_until(p.loop, &p.rs.n, 4));
	CHECK(p.rs.n == 4 && rec_is(&p.rs, 3, m[2]));
	close(fd);
	CHECK(run_until(p.loop, &p.rs.closes, 1));
	CHECK_EQ_INT(p.rs.close_err, ECONNRESET); /* the peer closed */
	for (int i = 0; i < 3; i++)
		obj_deref(m[i]);
	obj_deref(all);
	pair_close(&p);
}

static void test_tcp_oversize_and_garbage(void)
{
	struct pair p;
	struct tp_opts so;
	tp_opts_default(&so);
	so.max_msg = 1000;
	REQUIRE(pair_open(&p, "127.0.0.1", TP_TCP, &so) == 0);
	REQUIRE(tp_laddr(p.srv, TP_TCP, AF_INET, &p.saddr) == 0);
	struct buf *ok = make_msg("live", 4), *big = make_msg("big", 2000);
	/* a live connection from the client transport */
	CHECK_EQ_INT(tp_send(p.cli, TP_TCP, &p.saddr, ok, NULL), 0);
	CHECK(run_until(p.loop, &p.rs.n, 1));
	/* an oversized message closes its connection */
	int fd = raw_connect(&p.saddr);
	REQUIRE(fd >= 0);
	raw_write(fd, big->b, big->end);
	CHECK(raw_eof(p.loop, fd));
	close(fd);
	CHECK_EQ_INT(p.rs.close_err, EBADMSG);
	/* binary garbage closes its connection */
	uint8_t junk[600];
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 37 + 11);
	fd = raw_connect(&p.saddr);
	REQUIRE(fd >= 0);
	raw_write(fd, junk, sizeof(junk));
	raw_write(fd, "\r\n\r\n\0\0\r\n\r\n", 10);
	CHECK(raw_eof(p.loop, fd));
	close(fd);
	CHECK_EQ_INT(p.rs.closes, 2);
	/* the live connection still works both ways */
	CHECK_EQ_INT(tp_send(p.cli, TP_TCP, &p.saddr, ok, NULL), 0);
	CHECK(run_until(p.loop, &p.rs.n, 2));
	CHECK(p.rs.n == 2 && rec_is(&p.rs, 1, ok));
	CHECK(p.rs.n == 2 && p.rs.conn[1] == p.rs.conn[0]);
	CHECK_EQ_INT(tp_send(p.srv, TP_TCP, NULL, ok, p.rs.conn[0]), 0);
	CHECK(run_until(p.loop, &p.rc.n, 1));
	CHECK_EQ_INT(tp_send(p.srv, TP_TCP, NULL, big, p.rs.conn[0]), EMSGSIZE);
	obj_deref(ok);
	obj_deref(big);
	pair_close(&p);
}

static void test_tcp_stalled_half_message(void)
{
	struct pair p;
	struct tp_opts so;
	tp_opts_default(&so);
	so.read_ms = 2000;
	REQUIRE(pair_open(&p, "127.0.0.1", TP_TCP, &so) == 0);
	loop_clock_fake(p.loop, 1000);
	REQUIRE(tp_laddr(p.srv, TP_TCP, AF_INET, &p.saddr) == 0);
	struct buf *m = make_msg("half", 50);
	int fd = raw_connect(&p.saddr);
	REQUIRE(fd >= 0);
	raw_write(fd, m->b, m->end - 10);
	run_rounds(p.loop, 5);
	CHECK_EQ_INT(tp_conn_count(p.srv), 1);
	loop_advance(p.loop, 1999);
	CHECK_EQ_INT(p.rs.closes, 0);
	loop_advance(p.loop, 1);
	CHECK_EQ_INT(p.rs.closes, 1);
	CHECK_EQ_INT(p.rs.close_err, ETIMEDOUT);
	CHECK_EQ_INT(p.rs.n, 0);
	CHECK(raw_eof(p.loop, fd));
	close(fd);
	obj_deref(m);
	pair_close(&p);
}

static void test_tcp_keepalive_ping_pong(void)
{
	struct pair p;
	char b[16];
	REQUIRE(pair_open(&p, "127.0.0.1", TP_TCP, NULL) == 0);
	REQUIRE(tp_laddr(p.srv, TP_TCP, AF_INET, &p.saddr) == 0);
	int fd = raw_connect(&p.saddr);
	REQUIRE(fd >= 0);
	raw_write(fd, "\r\n\r\n", 4);
	CHECK_EQ_INT(raw_read(p.loop, fd, b, sizeof(b), 2), 2);
	CHECK(!memcmp(b, "\r\n", 2));
	/* a ping right before a message: pong, then the message */
	struct buf *m = make_msg("after-ping", 0);
	raw_write(fd, "\r\n\r\n", 4);
	raw_write(fd, m->b, m->end);
	CHECK(run_until(p.loop, &p.rs.n, 1));
	CHECK(p.rs.n == 1 && rec_is(&p.rs, 0, m));
	CHECK_EQ_INT(raw_read(p.loop, fd, b, sizeof(b), 2), 2);
	CHECK_EQ_INT(p.rs.closes, 0);
	close(fd);
	obj_deref(m);
	pair_close(&p);
}

static void test_tcp_client_pings(void)
{
	struct pair p;
	struct tp_opts co;
	REQUIRE(pair_open(&p, "127.0.0.1", TP_TCP, NULL) == 0);
	REQUIRE(tp_laddr(p.srv, TP_TCP, AF_INET, &p.saddr) == 0);
	/* a client transport that pings every 30 s on the fake clock */
	struct tp *cli;
	struct rec rc;
	memset(&rc, 0, sizeof(rc));
	tp_opts_default(&co);
	co.keepalive_ms = 30000;
	co.idle_ms = 40000;
	REQUIRE(tp_alloc(&cli, p.loop, &co, &rec_handlers, &rc) == 0);
	loop_clock_fake(p.loop, 0);
	struct buf *m = make_msg("ka", 0);
	CHECK_EQ_INT(tp_send(cli, TP_TCP, &p.saddr, m, NULL), 0);
	CHECK(run_until(p.loop, &p.rs.n, 1));
	/* pings and pongs keep the client's idle timer from firing */
	for (int i = 0; i < 4; i++) {
		loop_advance(p.loop, 30000);
		run_rounds(p.loop, 4);
	}
	CHECK_EQ_INT(rc.closes, 0);
	CHECK_EQ_INT(tp_conn_count(cli), 1);
	CHECK_EQ_INT(p.rs.n, 1); /* pings are not messages */
	rec_clear(&rc);
	obj_deref(cli);
	obj_deref(m);
	pair_close(&p);
}

static void test_tcp_ping_without_pong_fails(void)
{
	struct loop *l;
	struct tp *cli;
	struct rec rc;
	struct tp_opts co;
	struct sa a;
	char b[1024];
	memset(&rc, 0, sizeof(rc));
	REQUIRE(loop_alloc(&l) == 0);
	loop_clock_fake(l, 0);
	/* a peer that accepts and reads but never answers pings */
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	sa_set(&a, "127.0.0.1", 0);
	REQUIRE(bind(lfd, &a.u.sa, a.len) == 0 && listen(lfd, 4) == 0);
	socklen_t sl = sizeof(a.u);
	getsockname(lfd, &a.u.sa, &sl);
	tp_opts_default(&co);
	co.keepalive_ms = 30000;
	REQUIRE(tp_alloc(&cli, l, &co, &rec_handlers, &rc) == 0);
	struct buf *m = make_msg("silent", 0);
	CHECK_EQ_INT(tp_send(cli, TP_TCP, &a, m, NULL), 0);
	int fd = accept(lfd, NULL, NULL);
	REQUIRE(fd >= 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	CHECK(raw_read(l, fd, b, sizeof(b), m->end) > 0);
	loop_advance(l, 30000); /* ping */
	run_rounds(l, 3);
	CHECK_EQ_INT(raw_read(l, fd, b, sizeof(b), 4), 4);
	CHECK(!memcmp(b, "\r\n\r\n", 4));
	loop_advance(l, 9999);
	CHECK_EQ_INT(rc.closes, 0);
	loop_advance(l, 1);
	CHECK_EQ_INT(rc.closes, 1);
	CHECK_EQ_INT(rc.close_err, ETIMEDOUT);
	CHECK(strstr(rc.reason, "pong") != NULL);
	close(fd);
	close(lfd);
	obj_deref(m);
	rec_clear(&rc);
	obj_deref(cli);
	CHECK_EQ_INT(loop_tmr_count(l), 0);
	obj_deref(l);
}

static void test_tcp_idle_timeout(void)
{
	struct pair p;
	struct tp_opts so;
	tp_opts_default(&so);
	so.idle_ms = 5000;
	REQUIRE(pair_open(&p, "127.0.0.1", TP_TCP, &so) == 0);
	loop_clock_fake(p.loop, 0);
	REQUIRE(tp_laddr(p.srv, TP_TCP, AF_INET, &p.saddr) == 0);
	struct buf *m = make_msg("idle", 0);
	CHECK_EQ_INT(tp_send(p.cli, TP_TCP, &p.saddr, m, NULL), 0);
	CHECK(run_until(p.loop, &p.rs.n, 1));
	loop_advance(p.loop, 4000);
	CHECK_EQ_INT(p.rs.closes, 0);
	loop_advance(p.loop, 1000);
	CHECK_EQ_INT(p.rs.closes, 1);
	CHECK_EQ_INT(p.rs.close_err, ETIMEDOUT);
	/* the client sees the close and reports it */
	CHECK(run_until(p.loop, &p.rc.closes, 1));
	CHECK_EQ_INT(tp_conn_count(p.cli), 0);
	obj_deref(m);
	pair_close(&p);
}

static void test_tcp_connect_refused(void)
{
	struct pair p;
	struct sa dead;
	REQUIRE(pair_open(&p, "127.0.0.1", TP_TCP, NULL) == 0);
	/* a port that was just free: bind, read it, close */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	sa_set(&dead, "127.0.0.1", 0);
	REQUIRE(bind(fd, &dead.u.sa, dead.len) == 0);
	socklen_t sl = sizeof(dead.u);
	getsockname(fd, &dead.u.sa, &sl);
	close(fd);
	struct buf *m = make_msg("nobody", 0);
	CHECK_EQ_INT(tp_send(p.cli, TP_TCP, &dead, m, NULL), 0);
	CHECK(run_until(p.loop, &p.rc.closes, 1));
	CHECK_EQ_INT(p.rc.close_err, ECONNREFUSED);
	CHECK(p.rc.close_queued);
	CHECK(strstr(p.rc.reason, "refused") != NULL);
	obj_deref(m);
	pair_close(&p);
}

static void test_tcp_max_conns(void)
{
	struct pair p;
	struct tp_opts so;
	tp_opts_default(&so);
	so.max_conns = 1;
	REQUIRE(pair_open(&p, "127.0.0.1", TP_TCP, &so) == 0);
	REQUIRE(tp_laddr(p.srv, TP_TCP, AF_INET, &p.saddr) == 0);
	int a = raw_connect(&p.saddr), b;
	REQUIRE(a >= 0);
	run_rounds(p.loop, 5);
	CHECK_EQ_INT(tp_conn_count(p.srv), 1);
	b = raw_connect(&p.saddr);
	REQUIRE(b >= 0);
	CHECK(raw_eof(p.loop, b));
	CHECK_EQ_INT(tp_conn_count(p.srv), 1);
	close(a);
	close(b);
	pair_close(&p);
}

/* Pseudo-random mixes of SIP pieces, line ends and bytes never crash the
 * framer and never stop the listener. */
static void test_tcp_random_garbage(void)
{
	static const char *const piece[] = {"\r\n",
					    "\r\n\r\n",
					    "\n",
					    "INVITE sip:a@b SIP/2.0\r\n",
					    "Content-Length: 5\r\n",
					    "Content-Length: 99999999999\r\n",
					    "l: 3\r\n",
					    "Content-Length:\r\n",
					    "\r\n\r\nabc",
					    "\0\0",
					    "SIP/2.0 200 OK\r\n",
					    " folded\r\n",
					    "Content-Length: 0\r\n"};
	struct pair p;
	struct tp_opts so;
	uint32_t x = 12345;
	tp_opts_default(&so);
	so.max_msg = 2000;
	REQUIRE(pair_open(&p, "127.0.0.1", TP_TCP, &so) == 0);
	REQUIRE(tp_laddr(p.srv, TP_TCP, AF_INET, &p.saddr) == 0);
	for (int round = 0; round < 40; round++) {
		int fd = raw_connect(&p.saddr);
		REQUIRE(fd >= 0);
		for (int k = 0; k < 30; k++) {
			x = x * 1103515245u + 12345u;
			if ((x >> 16) % 4 == 0) {
				uint8_t r[8];
				for (int i = 0; i < 8; i++)
					r[i] = (uint8_t)(x >> (i * 3));
				(void)!write(fd, r, sizeof(r));
			} else {
				const char *pc =
				    piece[(x >> 8) %
					  (sizeof(piece) / sizeof(piece[0]))];
				(void)!write(fd, pc, strlen(pc));
			}
		}
		run_rounds(p.loop, 2);
		close(fd);
	}
	run_rounds(p.loop, 10);
	struct buf *m = make_msg("after", 2);
	CHECK_EQ_INT(tp_send(p.cli, TP_TCP, &p.saddr, m, NULL), 0);
	int before = p.rs.n;
	CHECK(run_until(p.loop, &p.rs.n, before + 1));
	CHECK(rec_is(&p.rs, p.rs.n - 1, m));
	obj_deref(m);
	pair_close(&p);
}

static void test_alloc_failures(void)
{
	for (size_t n = 1; n < 200; n++) {
		struct loop *l = NULL;
		struct tp *tp = NULL;
		struct sa any;
		struct rec r;
		memset(&r, 0, sizeof(r));
		sa_set(&any, "127.0.0.1", 0);
		if (loop_alloc(&l))
			break;
		obj_fail_after(n);
		int err = tp_alloc(&tp, l, NULL, &rec_handlers, &r);
		if (!err)
			err = tp_listen(tp, TP_UDP | TP_TCP, &any);
		obj_fail_after(0);
		obj_deref(tp);
		CHECK_EQ_INT(loop_fd_count(l), 0);
		obj_deref(l);
		if (!err)
			break;
		CHECK_EQ_INT(err, ENOMEM);
	}
}

int main(void)
{
	harness_watchdog(60);
	RUN(test_sa);
	RUN(test_type_names);
	RUN(test_udp_v4);
	RUN(test_udp_v6);
	RUN(test_udp_oversize_dropped);
	RUN(test_tcp_v4_reuse);
	RUN(test_tcp_v6_reuse);
	RUN(test_tcp_many_in_one_segment);
	RUN(test_tcp_oversize_and_garbage);
	RUN(test_tcp_stalled_half_message);
	RUN(test_tcp_keepalive_ping_pong);
	RUN(test_tcp_client_pings);
	RUN(test_tcp_ping_without_pong_fails);
	RUN(test_tcp_idle_timeout);
	RUN(test_tcp_connect_refused);
	RUN(test_tcp_max_conns);
	RUN(test_tcp_random_garbage);
	RUN(test_alloc_failures);
	return harness_done();
}
