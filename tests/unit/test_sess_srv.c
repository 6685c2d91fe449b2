/* test_sess_srv.c: a call to a name with two SRV servers (RFC 3263 4.3):
 * when the first gives no answer (timer B), is unreachable (ICMP) or
 * answers 503, the INVITE goes to the second; a 486 ends the call there. */
#include <unistd.h>

#include "mock/fakedns.h"
#include "sess_fix.h"
#include "ua/dns/srv.h"
#include "ua/stack/resolve.h"

static uint16_t srv_port[2]; /* _sip._udp.call.test: prio 10, prio 20 */

static void srv_set(struct dns_srv *s, unsigned prio, uint16_t port)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->target, "pbx.test"); /* 127.0.0.1 (fakedns) */
	s->prio = (uint16_t)prio;
	s->port = port;
	s->ttl = 300;
}

static int fake_srv(const char *name, struct dns_srv *v, size_t max, size_t *np,
		    char *reason, size_t rsize, void *arg)
{
	(void)reason;
	(void)rsize;
	(void)arg;
	*np = 0;
	if (max < 2)
		return EINVAL;
	if (!strcmp(name, "_sip._udp.call.test")) {
		srv_set(&v[0], 10, srv_port[0]);
		srv_set(&v[1], 20, srv_port[1]);
		*np = 2;
	}
	return 0;
}

static int dns_set(struct fix_ua *u)
{
	struct resolve_opts ro;

	resolve_opts_default(&ro);
	ro.lookh = fakedns_lookup;
	ro.srvh = fake_srv;
	return stack_set_resolve_opts(u->st, &ro);
}

static uint16_t ua_port(const struct fix_ua *u)
{
	return (uint16_t)fix_port(stack_laddr(u->st, TSX_TP_UDP));
}

/* a UDP socket on 127.0.0.1 (its port into *@p port) */
static int udp_open(uint16_t *port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(sa.sin_port);
	return fd;
}

static struct sess *call(struct fix_ua *a)
{
	struct sess *s = NULL;

	CHECK_EQ_INT(
	    sess_connect(&s, a->sl, "sip:bob@call.test", &a->o, &fix_h, a), 0);
	a->s = s;
	return s;
}

/* the INVITE to the second server: same Call-ID and From tag, next CSeq */
static void check_second_invite(const struct fix_ua *a)
{
	const char *i1 = fix_sent(a, "INVITE ", 0), *i2 = NULL, *m;
	char h1[128], h2[128];
	int n;

	for (n = 0; (m = fix_sent(a, "INVITE ", n)); n++)
		if (strstr(m, "\r\nCSeq: 2 INVITE"))
			i2 = m;
	REQUIRE(i1 && i2);
	CHECK(strstr(i1, "\r\nCSeq: 1 INVITE") != NULL);
	CHECK_EQ_STR(fix_hdr(i1, "Call-ID", h1, sizeof(h1)),
		     fix_hdr(i2, "Call-ID", h2, sizeof(h2)));
	CHECK_EQ_STR(fix_hdr(i1, "From", h1, sizeof(h1)),
		     fix_hdr(i2, "From", h2, sizeof(h2)));
	CHECK(strcmp(fix_hdr(i1, "Via", h1, sizeof(h1)),
		     fix_hdr(i2, "Via", h2, sizeof(h2))) != 0);
}

static void test_no_answer_goes_to_next_server(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	int fd, i;

	REQUIRE(!fix_open(&f, 2, true));
	REQUIRE(!dns_set(a));
	fd = udp_open(&srv_port[0]); /* takes the INVITE, never answers */
	REQUIRE(fd >= 0);
	srv_port[1] = ua_port(b);
	b->act = FIX_RING_ANSWER;
	REQUIRE(call(a));
	/* the lookups (worker thread) on the real clock */
	for (i = 0; i < 1000 && !fix_count(a, "INVITE "); i++)
		loop_poll(f.loop, 5);
	REQUIRE(fix_count(a, "INVITE ") == 1);
	/* timer B (64*T1 = 32 s) on the fake clock */
	for (i = 0; i < 400 && !a->nestablished; i++) {
		loop_poll(f.loop, 5);
		loop_advance(f.loop, 100);
	}
	CHECK_EQ_INT(a->nestablished, 1);
	CHECK_EQ_INT(b->nincoming, 1);
	CHECK_EQ_INT(a->nclose, 0);
	check_second_invite(a);
	fix_hangup(&f, a, b);
	close(fd);
	fix_close(&f);
}

static void test_unreachable_goes_to_next_server_at_once(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	int fd;

	REQUIRE(!fix_open(&f, 2, false));
	REQUIRE(!fix_ua_tcp(&f, a)); /* ua/tp: ICMP errors (IP_RECVERR) */
	REQUIRE(!dns_set(a));
	fd = udp_open(&srv_port[0]);
	REQUIRE(fd >= 0);
	close(fd); /* nothing listens there now: port unreachable */
	srv_port[1] = ua_port(b);
	b->act = FIX_ANSWER;
	REQUIRE(call(a));
	/* at most ~5 s of polling: well before timer B (32 s) */
	CHECK(fix_run(&f, &a->nestablished, 1));
	CHECK_EQ_INT(b->nincoming, 1);
	CHECK_EQ_INT(a->nclose, 0);
	check_second_invite(a);
	fix_hangup(&f, a, b);
	fix_close(&f);
}

/* alice calls call.test: first server bob (doing @p first), then carol
   (answers) */
static int call_two(struct fix *f, enum fix_act first)
{
	int err = fix_open(f, 3, false);

	if (!err)
		err = dns_set(&f->ua[0]);
	if (err)
		return err;
	srv_port[0] = ua_port(&f->ua[1]);
	srv_port[1] = ua_port(&f->ua[2]);
	f->ua[1].act = first;
	f->ua[2].act = FIX_ANSWER;
	return call(&f->ua[0]) ? 0 : EINVAL;
}

static void test_503_goes_to_next_server(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1], *c = &f.ua[2];

	REQUIRE(!call_two(&f, FIX_NOTHING)); /* 100 Trying, then 503 */
	REQUIRE(fix_run(&f, &b->nincoming, 1));
	CHECK_EQ_INT(sess_reject(b->s, 503, NULL), 0);
	CHECK(fix_run(&f, &a->nestablished, 1));
	CHECK_EQ_INT(c->nincoming, 1);
	check_second_invite(a);
	fix_hangup(&f, a, c);
	fix_close(&f);
}

static void test_busy_does_not_fail_over(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *c = &f.ua[2];

	REQUIRE(!call_two(&f, FIX_BUSY));
	CHECK(fix_run(&f, &a->nclose, 1));
	CHECK_EQ_INT(a->how, SESS_END_REJECTED);
	CHECK_EQ_INT(a->close_scode, 486);
	fix_settle(&f, 10);
	CHECK_EQ_INT(c->nincoming, 0);
	CHECK_EQ_INT(fix_count(a, "INVITE "), 1);
	fix_close(&f);
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_no_answer_goes_to_next_server);
	RUN(test_unreachable_goes_to_next_server_at_once);
	RUN(test_503_goes_to_next_server);
	RUN(test_busy_does_not_fail_over);
	return harness_done();
}
