/* test_stack_tcp.c: the stack over ua/tp sockets: bad input, service, dead peers. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/loop.h"
#include "harness.h"
#include "ua/stack/stack.h"
#include "ua/stack/stacktp.h"

struct tfix {
	struct loop *loop;
	struct stack *st;
	struct tp *tp;
	struct sockaddr_in tcp; /* the stack's TCP listener */
	int nreq;
};

static void reqh(struct stack *st, const struct sip_msg *msg,
		 const struct tsx_addr *src, void *arg)
{
	struct tfix *f = arg;
	struct tsx *t;

	f->nreq++;
	if (!tsx_server_alloc(&t, stack_tsx(st), msg, src))
		tsx_reply(t, 200, NULL, "x", NULL, NULL);
}

static const struct stack_handlers sh = {reqh, NULL};

static int tfix_init(struct tfix *f)
{
	struct tp_opts to;
	struct sa la;
	int err;

	memset(f, 0, sizeof(*f));
	tp_opts_default(&to);
	err = loop_alloc(&f->loop);
	if (!err)
		err = stack_alloc(&f->st, f->loop, NULL, &sh, f);
	if (!err)
		err = tp_alloc(&f->tp, f->loop, &to, &stack_tp_handlers, f->st);
	if (!err)
		err = sa_set(&la, "127.0.0.1", 0);
	if (!err)
		err = tp_listen(f->tp, TP_UDP | TP_TCP, &la);
	if (!err)
		err = stack_tp_attach(f->st, f->tp);
	if (!err)
		err = tp_laddr(f->tp, TP_TCP, AF_INET, &la);
	if (!err)
		memcpy(&f->tcp, &la.u.in, sizeof(f->tcp));
	return err;
}

static void tfix_close(struct tfix *f)
{
	f->tp = obj_deref(f->tp);
	f->st = obj_deref(f->st);
	f->loop = obj_deref(f->loop);
}

static int dial(struct tfix *f)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd >= 0 &&
	    connect(fd, (struct sockaddr *)&f->tcp, sizeof(f->tcp))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* run the loop until @p fd has bytes (>0), EOF (0) or ~2 s passed (-1) */
static int answer(struct tfix *f, int fd, char *buf, size_t size)
{
	struct pollfd pfd = {fd, POLLIN, 0};
	int i;

	for (i = 0; i < 200; i++) {
		loop_poll(f->loop, 10);
		if (poll(&pfd, 1, 0) == 1) {
			ssize_t n = recv(fd, buf, size - 1, 0);
			buf[n > 0 ? n : 0] = '\0';
			return n > 0 ? (int)n : 0;
		}
	}
	return -1;
}

static const char good[] =
    "OPTIONS sip:x@127.0.0.1 SIP/2.0\r\n"
    "Via: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKt%d\r\n"
    "From: <sip:a@h>;tag=1\r\nTo: <sip:x@h>\r\nCall-ID: t%d\r\n"
    "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

static void send_good(int fd, int id)
{
	char b[400];
	int n = snprintf(b, sizeof(b), good, id, id);
	ssize_t r = send(fd, b, (size_t)n, 0);
	(void)r;
}

static void test_malformed_gets_400_on_same_connection(void)
{
	struct tfix f;
	char buf[2048];
	static const char bad[] =
	    "OPTIONS sip:x@127.0.0.1 SIP/2.0\r\n"
	    "Via: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKbad\r\n"
	    "From: <sip:a@h>;tag=1\r\nTo: <sip:x@h>\r\nCall-ID: b\r\n"
	    "CSeq: x OPTIONS\r\nContent-Length: 0\r\n\r\n";
	int fd;
	ssize_t r;

	REQUIRE(!tfix_init(&f));
	fd = dial(&f);
	REQUIRE(fd >= 0);
	r = send(fd, bad, sizeof(bad) - 1, 0);
	(void)r;
	REQUIRE(answer(&f, fd, buf, sizeof(buf)) > 0);
	CHECK(!strncmp(buf, "SIP/2.0 400 ", 12));
	send_good(fd, 1);
	REQUIRE(answer(&f, fd, buf, sizeof(buf)) > 0);
	CHECK(!strncmp(buf, "SIP/2.0 200 OK\r\n", 16));
	close(fd);
	tfix_close(&f);
}

static void test_binary_oversized_and_slow_input(void)
{
	struct tfix f;
	char buf[2048], big[200];
	static const uint8_t bin[] = {0x16, 0x03, 0x01, 0x00, 0xff, 0x00,
				      0x00, '\r', '\n', '\r', '\n'};
	int fd, n, i;
	ssize_t r;

	REQUIRE(!tfix_init(&f));
	/* binary junk: the connection is dropped, nothing answered */
	fd = dial(&f);
	REQUIRE(fd >= 0);
	r = send(fd, bin, sizeof(bin), 0);
	CHECK(answer(&f, fd, buf, sizeof(buf)) <= 0);
	close(fd);
	/* a Content-Length beyond the limit: refused, no crash */
	fd = dial(&f);
	REQUIRE(fd >= 0);
	n = snprintf(big, sizeof(big),
		     "OPTIONS sip:x SIP/2.0\r\nContent-Length: 999999\r\n\r\n");
	r = send(fd, big, (size_t)n, 0);
	CHECK(answer(&f, fd, buf, sizeof(buf)) <= 0);
	close(fd);
	/* slow: a good request one byte per loop turn is still served */
	fd = dial(&f);
	REQUIRE(fd >= 0);
	n = snprintf(buf, sizeof(buf), good, 7, 7);
	for (i = 0; i < n; i++) {
		r = send(fd, buf + i, 1, 0);
		loop_poll(f.loop, 0);
	}
	(void)r;
	REQUIRE(answer(&f, fd, buf, sizeof(buf)) > 0);
	CHECK(!strncmp(buf, "SIP/2.0 200 OK\r\n", 16));
	CHECK_EQ_INT(f.nreq, 1);
	close(fd);
	tfix_close(&f);
}

struct lostreq {
	int err;
	bool done;
};

static void lost_resph(int err, const struct sip_msg *msg, void *arg)
{
	struct lostreq *r = arg;

	r->err = msg ? 0 : err;
	r->done = true;
}

/* A request to a TCP port nobody listens on ends at once with the
 * connection's error, not after timer F's 32 s. */
/* a request to a free port of 127.0.0.1 over @p tp must end at once with
 * the transport's error, not after timer F's 32 s */
static void refused_case(enum tsx_tp tp)
{
	struct tfix f;
	struct tsx_addr dst;
	struct sockaddr_in *in = (struct sockaddr_in *)&dst.sa;
	struct lostreq r = {0, false};
	struct tsx *t;
	int fd, i;
	socklen_t len = sizeof(*in);

	REQUIRE(!tfix_init(&f));
	/* a free port: bind one, read it back, close it */
	memset(&dst, 0, sizeof(dst));
	fd = socket(AF_INET, tp == TSX_TP_UDP ? SOCK_DGRAM : SOCK_STREAM, 0);
	in->sin_family = AF_INET;
	in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	REQUIRE(fd >= 0 && !bind(fd, (struct sockaddr *)in, sizeof(*in)));
	REQUIRE(!getsockname(fd, (struct sockaddr *)in, &len));
	close(fd);
	dst.tp = tp;
	CHECK_EQ_INT(stack_request(&t, f.st, "OPTIONS", "sip:x@127.0.0.1",
				   &dst,
				   "From: <sip:a@127.0.0.1>;tag=1\r\n"
				   "To: <sip:x@127.0.0.1>\r\n"
				   "Call-ID: lost1\r\nCSeq: 1 OPTIONS\r\n",
				   NULL, lost_resph, &r),
		     0);
	for (i = 0; i < 200 && !r.done; i++)
		loop_poll(f.loop, 10);
	CHECK(r.done);
	CHECK(r.err != 0 && r.err != ETIMEDOUT);
	tfix_close(&f);
}

static void test_refused_connection_ends_request(void)
{
	refused_case(TSX_TP_TCP);
}

static void test_icmp_unreachable_ends_udp_request(void)
{
	refused_case(TSX_TP_UDP);
}

int main(void)
{
	harness_watchdog(20);
	RUN(test_malformed_gets_400_on_same_connection);
	RUN(test_binary_oversized_and_slow_input);
	RUN(test_refused_connection_ends_request);
	RUN(test_icmp_unreachable_ends_udp_request);
	return harness_done();
}
