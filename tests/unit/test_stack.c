/* test_stack.c: the stack on a real UDP socket: bad input, 400, 501, 481. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/loop.h"
#include "harness.h"
#include "ua/dialog/dlg.h"
#include "ua/stack/stack.h"

struct sfix {
	struct loop *loop;
	struct stack *st;
	int fd;		       /* the peer's socket */
	struct sockaddr_in sa; /* the stack's address */
	struct list dlgs;      /* dialogs the TU knows */
	int nreq;
};

/* a tiny UA core: OPTIONS -> 200, in-dialog request without dialog -> 481 */
static void reqh(struct stack *st, const struct sip_msg *msg,
		 const struct tsx_addr *src, void *arg)
{
	struct sfix *f = arg;
	struct tsx *t;

	f->nreq++;
	if (pl_isset(&msg->to.tag) && !dlg_find(&f->dlgs, msg)) {
		stack_reply(st, msg, src, 481, NULL);
		return;
	}
	if (msg->method == SIP_METHOD_OPTIONS &&
	    !tsx_server_alloc(&t, stack_tsx(st), msg, src)) {
		tsx_reply(t, 200, NULL, "x1", NULL, NULL);
		return;
	}
	stack_reply(st, msg, src, 501, NULL);
}

static const struct stack_handlers sh = {reqh, NULL};

static int sfix_init(struct sfix *f)
{
	struct sockaddr_in me = {.sin_family = AF_INET};
	const struct sockaddr_storage *la;
	int err;

	memset(f, 0, sizeof(*f));
	err = loop_alloc(&f->loop);
	if (!err)
		err = stack_alloc(&f->st, f->loop, NULL, &sh, f);
	if (!err)
		err = stack_udp_listen(f->st, "127.0.0.1", 0);
	if (err)
		return err;
	la = stack_laddr(f->st, TSX_TP_UDP);
	memcpy(&f->sa, la, sizeof(f->sa));
	f->fd = socket(AF_INET, SOCK_DGRAM, 0);
	inet_pton(AF_INET, "127.0.0.1", &me.sin_addr);
	if (f->fd < 0 || bind(f->fd, (struct sockaddr *)&me, sizeof(me)))
		return errno;
	return 0;
}

static void sfix_close(struct sfix *f)
{
	close(f->fd);
	list_flush(&f->dlgs);
	f->st = obj_deref(f->st);
	f->loop = obj_deref(f->loop);
}

static void sendraw(struct sfix *f, const void *p, size_t n)
{
	ssize_t r =
	    sendto(f->fd, p, n, 0, (struct sockaddr *)&f->sa, sizeof(f->sa));
	(void)r;
}

/* run the loop until the peer has a datagram (or ~1 s passed) */
static int answer(struct sfix *f, char *buf, size_t size)
{
	struct pollfd pfd = {f->fd, POLLIN, 0};
	int i;

	for (i = 0; i < 100; i++) {
		loop_poll(f->loop, 10);
		if (poll(&pfd, 1, 0) == 1) {
			ssize_t n = recv(f->fd, buf, size - 1, 0);
			buf[n > 0 ? n : 0] = '\0';
			return (int)n;
		}
	}
	return 0;
}

static const char options_fmt[] =
    "OPTIONS sip:x@127.0.0.1 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bK%s;rport\r\n"
    "From: <sip:a@127.0.0.1>;tag=f1\r\nTo: <sip:x@127.0.0.1>%s\r\n"
    "Call-ID: %s\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
    "Content-Length: 0\r\n\r\n";

static void send_options(struct sfix *f, const char *branch, const char *totag,
			 const char *callid)
{
	char b[600];
	struct sockaddr_in me;
	socklen_t l = sizeof(me);
	int n;

	getsockname(f->fd, (struct sockaddr *)&me, &l);
	n = snprintf(b, sizeof(b), options_fmt, ntohs(me.sin_port), branch,
		     totag, callid);
	sendraw(f, b, (size_t)n);
}

static void test_good_request_served(void)
{
	struct sfix f;
	char buf[2048];

	REQUIRE(!sfix_init(&f));
	send_options(&f, "g1", "", "c1");
	REQUIRE(answer(&f, buf, sizeof(buf)) > 0);
	CHECK(!strncmp(buf, "SIP/2.0 200 OK\r\n", 16));
	CHECK(strstr(buf, ";received=127.0.0.1") != NULL);
	CHECK(strstr(buf, ";rport=") != NULL);
	sfix_close(&f);
}

static void test_malformed_request_gets_400_then_next_served(void)
{
	struct sfix f;
	char buf[2048];
	static const char bad[] =
	    "OPTIONS sip:x@127.0.0.1 SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKb1;rport\r\n"
	    "From: <sip:a@127.0.0.1>;tag=f1\r\nTo: <sip:x@127.0.0.1>\r\n"
	    "Call-ID: b1\r\nCSeq: one OPTIONS\r\nMax-Forwards: 70\r\n"
	    "Content-Length: 0\r\n\r\n";

	REQUIRE(!sfix_init(&f));
	sendraw(&f, bad, sizeof(bad) - 1);
	REQUIRE(answer(&f, buf, sizeof(buf)) > 0);
	CHECK(!strncmp(buf, "SIP/2.0 400 ", 12));
	CHECK_EQ_INT(f.nreq, 0);
	send_options(&f, "g2", "", "c2");
	REQUIRE(answer(&f, buf, sizeof(buf)) > 0);
	CHECK(!strncmp(buf, "SIP/2.0 200 OK\r\n", 16));
	CHECK(stack_bad_count(f.st) >= 1);
	sfix_close(&f);
}

static void test_garbage_is_dropped_silently(void)
{
	struct sfix f;
	char buf[2048];
	static const uint8_t binary[] = {0x00, 0xff, 0x13, 0x37, 0x80, 0x0a};
	static const char truncated[] = "INVITE sip:x@127.0.0.1 SIP/2.0\r\nVi";
	static const char noVia[] =
	    "OPTIONS sip:x@h SIP/2.0\r\nFrom: <sip:a@h>;tag=1\r\n"
	    "To: <sip:x@h>\r\nCall-ID: z\r\nCSeq: 1 OPTIONS\r\n\r\n";
	static char big[70000];

	REQUIRE(!sfix_init(&f));
	memset(big, 'A', sizeof(big));
	sendraw(&f, binary, sizeof(binary));
	sendraw(&f, truncated, sizeof(truncated) - 1);
	sendraw(&f, noVia, sizeof(noVia) - 1);
	sendraw(&f, big, 65000);
	sendraw(&f, "\r\n\r\n", 4);
	/* the good one after all that is answered, and first */
	send_options(&f, "g3", "", "c3");
	REQUIRE(answer(&f, buf, sizeof(buf)) > 0);
	CHECK(!strncmp(buf, "SIP/2.0 200 OK\r\n", 16));
	CHECK_EQ_INT(f.nreq, 1);
	sfix_close(&f);
}

static void test_unknown_dialog_gets_481_and_unknown_method_501(void)
{
	struct sfix f;
	char buf[2048];
	struct sockaddr_in me;
	socklen_t l = sizeof(me);
	char b[600];
	int n;

	REQUIRE(!sfix_init(&f));
	send_options(&f, "d1", ";tag=nobody", "c4");
	REQUIRE(answer(&f, buf, sizeof(buf)) > 0);
	CHECK(!strncmp(buf, "SIP/2.0 481 ", 12));
	getsockname(f.fd, (struct sockaddr *)&me, &l);
	n = snprintf(b, sizeof(b),
		     "FOO sip:x@127.0.0.1 SIP/2.0\r\n"
		     "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bKu1;rport\r\n"
		     "From: <sip:a@h>;tag=1\r\nTo: <sip:x@h>\r\nCall-ID: u\r\n"
		     "CSeq: 1 FOO\r\nContent-Length: 0\r\n\r\n",
		     ntohs(me.sin_port));
	sendraw(&f, b, (size_t)n);
	REQUIRE(answer(&f, buf, sizeof(buf)) > 0);
	CHECK(!strncmp(buf, "SIP/2.0 501 ", 12));
	CHECK(strstr(buf, "Server: phonebox\r\n") != NULL);
	sfix_close(&f);
}

static int g_stray, g_tx, g_rx;

static void stray_h(struct stack *st, const struct sip_msg *msg,
		    const struct tsx_addr *src, void *arg)
{
	(void)st;
	(void)src;
	(void)arg;
	if (msg->scode == 200 && msg->cseq.method == SIP_METHOD_INVITE)
		g_stray++;
}

static void trace_h(bool tx, const struct tsx_addr *peer, const struct pl *data,
		    void *arg)
{
	(void)peer;
	(void)arg;
	if (tx && data->l > 7 && !memcmp(data->p, "SIP/2.0", 7))
		g_tx++;
	else if (!tx && data->l)
		g_rx++;
}

static void test_stray_response_hook_trace_and_raw_send(void)
{
	static const char resp[] =
	    "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP "
	    "127.0.0.1:9;branch=z9hG4bKno\r\n"
	    "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>;tag=2\r\nCall-ID: s1\r\n"
	    "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
	struct sfix f;
	struct tsx_addr dst = {.tp = TSX_TP_UDP};
	struct buf *mb;
	char buf[2048];
	struct sockaddr_in peer;
	socklen_t l = sizeof(peer);

	REQUIRE(!sfix_init(&f));
	g_stray = g_tx = g_rx = 0;
	stack_set_stray_handler(f.st, stray_h, NULL);
	stack_set_trace(f.st, trace_h, NULL);
	sendraw(&f, resp, sizeof(resp) - 1);
	send_options(&f, "tr1", "", "s2");
	CHECK(answer(&f, buf, sizeof(buf)) > 0);
	CHECK(!strncmp(buf, "SIP/2.0 200", 11));
	CHECK_EQ_INT(g_stray, 1);
	CHECK_EQ_INT(g_rx, 2);
	CHECK_EQ_INT(g_tx, 1);
	/* stack_send: bytes out of any transaction, pos left alone */
	getsockname(f.fd, (struct sockaddr *)&peer, &l);
	memcpy(&dst.sa, &peer, sizeof(peer));
	REQUIRE(!buf_alloc(&mb, 64));
	buf_write_str(mb, "hello");
	CHECK_EQ_INT(stack_send(f.st, &dst, mb), 0);
	CHECK_EQ_INT(mb->pos, 0);
	CHECK_EQ_INT(answer(&f, buf, sizeof(buf)), 5);
	CHECK_EQ_STR(buf, "hello");
	dst.tp = TSX_TP_TLS;
	CHECK_EQ_INT(stack_send(f.st, &dst, mb), ENOTSUP);
	obj_deref(mb);
	CHECK_EQ_STR(stack_user_agent(f.st), "phonebox");
	stack_set_stray_handler(f.st, NULL, NULL);
	sendraw(&f, resp, sizeof(resp) - 1);
	send_options(&f, "tr2", "", "s3");
	CHECK(answer(&f, buf, sizeof(buf)) > 0);
	CHECK_EQ_INT(g_stray, 1);
	sfix_close(&f);
}

int main(void)
{
	harness_watchdog(20);
	RUN(test_good_request_served);
	RUN(test_malformed_request_gets_400_then_next_served);
	RUN(test_garbage_is_dropped_silently);
	RUN(test_unknown_dialog_gets_481_and_unknown_method_501);
	RUN(test_stray_response_hook_trace_and_raw_send);
	return harness_done();
}
