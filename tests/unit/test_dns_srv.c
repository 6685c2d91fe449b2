/* test_dns_srv.c: SRV answers parsed (and malformed ones refused), ordered
 * by priority and weight, and the stack's RFC 3263 lookups: which
 * service a URI asks for, fail-over to the next server, TTL of the cache,
 * a port in the URI skipping SRV. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "base/loop.h"
#include "harness.h"
#include "ua/dns/srv.h"
#include "ua/sip/uri.h"
#include "ua/stack/resolve.h"
#include "ua/stack/stack.h"

/* ---- a DNS response written byte by byte ---- */

struct wmsg {
	uint8_t b[512];
	size_t n;
};

static void put(struct wmsg *m, const void *p, size_t n)
{
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void put16(struct wmsg *m, unsigned v)
{
	uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};

	put(m, x, 2);
}

static void put32(struct wmsg *m, uint32_t v)
{
	put16(m, v >> 16);
	put16(m, v & 0xffff);
}

/* a name as labels ("a.b" -> 1a1b0) */
static void put_name(struct wmsg *m, const char *name)
{
	const char *dot;
	uint8_t len;

	while (*name) {
		dot = strchr(name, '.');
		len = (uint8_t)(dot ? (size_t)(dot - name) : strlen(name));
		put(m, &len, 1);
		put(m, name, len);
		name += len + (dot ? 1 : 0);
	}
	put(m, "", 1);
}

/* header and the question "_sip._udp.x.test SRV IN" (at offset 12) */
static void msg_start(struct wmsg *m, unsigned nans)
{
	m->n = 0;
	put16(m, 0x1234);
	put16(m, 0x8180); /* response, RD RA, no error */
	put16(m, 1);
	put16(m, nans);
	put16(m, 0);
	put16(m, 0);
	put_name(m, "_sip._udp.x.test");
	put16(m, 33);
	put16(m, 1);
}

/* an SRV answer (owner: pointer to the question); @p ptr_target: the
   target is "pbx" + a pointer to "x.test" in the question */
static void put_srv(struct wmsg *m, unsigned prio, unsigned weight,
		    unsigned port, const char *target, bool ptr_target)
{
	size_t rdlen_at;

	put16(m, 0xc00c);
	put16(m, 33);
	put16(m, 1);
	put32(m, 120);
	rdlen_at = m->n;
	put16(m, 0);
	put16(m, prio);
	put16(m, weight);
	put16(m, port);
	if (ptr_target) {
		put(m, "\3pbx", 4);
		put16(m, 0xc000 | (12 + 10)); /* "x.test" of the question */
	} else {
		put_name(m, target);
	}
	m->b[rdlen_at] = (uint8_t)((m->n - rdlen_at - 2) >> 8);
	m->b[rdlen_at + 1] = (uint8_t)(m->n - rdlen_at - 2);
}

static void test_parse(void)
{
	struct dns_srv v[4];
	struct wmsg m;
	size_t n = 99;

	msg_start(&m, 3);
	put_srv(&m, 10, 60, 5070, "a.x.test", false);
	/* an A record in between is skipped */
	put16(&m, 0xc00c);
	put16(&m, 1);
	put16(&m, 1);
	put32(&m, 60);
	put16(&m, 4);
	put32(&m, 0x7f000001);
	put_srv(&m, 20, 0, 5080, NULL, true);
	REQUIRE(!dns_srv_parse(m.b, m.n, v, 4, &n));
	REQUIRE(n == 2);
	CHECK_EQ_STR(v[0].target, "a.x.test");
	CHECK_EQ_INT(v[0].prio, 10);
	CHECK_EQ_INT(v[0].weight, 60);
	CHECK_EQ_INT(v[0].port, 5070);
	CHECK_EQ_INT(v[0].ttl, 120);
	CHECK_EQ_STR(v[1].target, "pbx.x.test"); /* compressed target */
	CHECK_EQ_INT(v[1].port, 5080);

	/* at most max records */
	REQUIRE(!dns_srv_parse(m.b, m.n, v, 1, &n));
	CHECK_EQ_INT(n, 1);

	/* "." target: service not offered */
	msg_start(&m, 1);
	put_srv(&m, 0, 0, 0, "", false);
	REQUIRE(!dns_srv_parse(m.b, m.n, v, 4, &n));
	REQUIRE(n == 1);
	CHECK_EQ_STR(v[0].target, "");

	/* no answers (NODATA) */
	msg_start(&m, 0);
	REQUIRE(!dns_srv_parse(m.b, m.n, v, 4, &n));
	CHECK_EQ_INT(n, 0);
}

static void test_parse_bad(void)
{
	struct dns_srv v[4];
	struct wmsg m, t;
	size_t n, cut;

	msg_start(&m, 1);
	put_srv(&m, 10, 10, 5060, "a.x.test", false);
	/* every truncation is refused, never read past */
	for (cut = 0; cut < m.n; cut++)
		CHECK_EQ_INT(dns_srv_parse(m.b, cut, v, 4, &n), EBADMSG);

	/* rdata shorter than the fixed part */
	msg_start(&t, 1);
	put16(&t, 0xc00c);
	put16(&t, 33);
	put16(&t, 1);
	put32(&t, 1);
	put16(&t, 3);
	put(&t, "\0\0\0", 3);
	CHECK_EQ_INT(dns_srv_parse(t.b, t.n, v, 4, &n), EBADMSG);

	/* a target pointing to itself (a loop) */
	msg_start(&t, 1);
	put16(&t, 0xc00c);
	put16(&t, 33);
	put16(&t, 1);
	put32(&t, 1);
	put16(&t, 8);
	put16(&t, 1);
	put16(&t, 1);
	put16(&t, 1);
	put16(&t, 0xc000 | (unsigned)t.n);
	CHECK_EQ_INT(dns_srv_parse(t.b, t.n, v, 4, &n), EBADMSG);

	/* more answers announced than there are */
	m.b[7] = 2;
	CHECK_EQ_INT(dns_srv_parse(m.b, m.n, v, 4, &n), EBADMSG);
	CHECK_EQ_INT(dns_srv_parse(NULL, 0, v, 4, &n), EINVAL);
}

static void test_order(void)
{
	struct dns_srv v[4];
	unsigned seed = 7, first90 = 0, zero_first = 0;
	int i;

	for (i = 0; i < 1000; i++) {
		memset(v, 0, sizeof(v));
		strcpy(v[0].target, "low");
		v[0].prio = 30;
		strcpy(v[1].target, "w10");
		v[1].prio = 10;
		v[1].weight = 10;
		strcpy(v[2].target, "w90");
		v[2].prio = 10;
		v[2].weight = 90;
		strcpy(v[3].target, "w0");
		v[3].prio = 10;
		dns_srv_order(v, 4, &seed);
		REQUIRE(!strcmp(v[3].target, "low")); /* priority 30 last */
		first90 += !strcmp(v[0].target, "w90");
		zero_first += !strcmp(v[0].target, "w0");
	}
	/* w90 first about 90 % of the time, the weight-0 one rarely */
	CHECK(first90 > 820 && first90 < 960);
	CHECK(zero_first < 40);
}

/* ---- the stack's lookups, with a test DNS ---- */

static _Atomic int nsrv; /* SRV queries */

static int fake_addr(const char *host, struct sockaddr_storage *sa,
		     char *reason, size_t rsize, void *arg)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)sa;
	static const char *const names[] = {"a.test", "b.test", "x.test",
					    "tcp.test"};
	size_t i;

	(void)arg;
	memset(sa, 0, sizeof(*sa));
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(host, names[i])) {
			s4->sin_family = AF_INET;
			s4->sin_addr.s_addr = htonl(0x7f000001 + (uint32_t)i);
			return 0;
		}
	}
	snprintf(reason, rsize, "Name or service not known");
	return ENOENT;
}

static void srv_set(struct dns_srv *s, const char *t, unsigned prio,
		    unsigned port, uint32_t ttl)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->target, t);
	s->prio = (uint16_t)prio;
	s->port = (uint16_t)port;
	s->ttl = ttl;
}

/* x.test: _sip._udp a.test:5070 (prio 20), b.test:5080 (prio 10), and
   a target that does not resolve; tcp.test: _sip._tcp only; sips of
   x.test: b.test:5061 */
static int fake_srv(const char *name, struct dns_srv *v, size_t max, size_t *np,
		    char *reason, size_t rsize, void *arg)
{
	(void)reason;
	(void)rsize;
	(void)arg;
	nsrv++;
	*np = 0;
	if (max < 3)
		return EINVAL;
	if (!strcmp(name, "_sip._udp.x.test")) {
		srv_set(&v[0], "a.test", 20, 5070, 60);
		srv_set(&v[1], "b.test", 10, 5080, 30);
		srv_set(&v[2], "nowhere.test", 15, 5090, 60);
		*np = 3;
	} else if (!strcmp(name, "_sip._tcp.tcp.test")) {
		srv_set(&v[0], "a.test", 10, 5072, 60);
		*np = 1;
	} else if (!strcmp(name, "_sips._tcp.x.test")) {
		srv_set(&v[0], "b.test", 10, 5061, 60);
		*np = 1;
	}
	return 0;
}

static int nosend(const struct tsx_addr *dst, struct buf *mb, void *arg)
{
	(void)dst;
	(void)mb;
	(void)arg;
	return 0;
}

struct sfx {
	struct loop *loop;
	struct stack *st;
	int n, err;
	struct tsx_addr dst;
	char reason[256];
};

static void dst_h(int err, const struct tsx_addr *dst, const char *reason,
		  void *arg)
{
	struct sfx *f = arg;

	f->n++;
	f->err = err;
	if (dst)
		f->dst = *dst;
	snprintf(f->reason, sizeof(f->reason), "%s", reason);
}

static int sfx_init(struct sfx *f)
{
	struct resolve_opts ro;
	struct sockaddr_storage la;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&la;
	int err;

	memset(f, 0, sizeof(*f));
	memset(&la, 0, sizeof(la));
	s4->sin_family = AF_INET;
	s4->sin_addr.s_addr = htonl(0x7f000001);
	s4->sin_port = htons(5999);
	nsrv = 0;
	err = loop_alloc(&f->loop);
	if (!err)
		err = stack_alloc(&f->st, f->loop, NULL, NULL, NULL);
	resolve_opts_default(&ro);
	ro.lookh = fake_addr;
	ro.srvh = fake_srv;
	if (!err)
		err = stack_set_resolve_opts(f->st, &ro);
	if (!err)
		err = stack_transport_add(f->st, TSX_TP_UDP, &la, nosend, NULL);
	if (!err)
		err = stack_transport_add(f->st, TSX_TP_TCP, &la, nosend, NULL);
	if (!err)
		err = stack_transport_add(f->st, TSX_TP_TLS, &la, nosend, NULL);
	return err;
}

static void sfx_close(struct sfx *f)
{
	f->st = obj_deref(f->st);
	f->loop = obj_deref(f->loop);
}

/* resolve @p uri: 0 with f->dst (at once or from the worker) */
static int resolve(struct sfx *f, const char *uri)
{
	struct stack_lookup *l = NULL;
	struct pl pl = pl_from_str(uri);
	struct sip_uri u;
	int err, i;

	if (sip_uri_decode(&u, &pl))
		return EINVAL;
	f->n = 0;
	err = stack_uri_resolve(&l, f->st, &u, &f->dst, dst_h, f);
	if (err != EINPROGRESS)
		return err;
	for (i = 0; i < 300 && !f->n; i++)
		loop_poll(f->loop, 10);
	obj_deref(l);
	return f->n ? f->err : ETIMEDOUT;
}

static void check_dst(const struct tsx_addr *d, uint32_t ip, unsigned port,
		      enum tsx_tp tp)
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)&d->sa;

	CHECK_EQ_INT(d->sa.ss_family, AF_INET);
	CHECK_EQ_INT(ntohl(s4->sin_addr.s_addr), ip);
	CHECK_EQ_INT(ntohs(s4->sin_port), port);
	CHECK_EQ_INT(d->tp, tp);
}

static void test_stack_failover(void)
{
	struct sfx f;

	REQUIRE(!sfx_init(&f));
	/* priority 10 first: b.test:5080 over UDP; host stays the domain */
	REQUIRE(!resolve(&f, "sip:alice@x.test"));
	check_dst(&f.dst, 0x7f000002, 5080, TSX_TP_UDP);
	CHECK_EQ_STR(f.dst.host, "x.test");
	CHECK_EQ_INT(nsrv, 1);
	/* cached: at once */
	CHECK_EQ_INT(resolve(&f, "sip:bob@x.test"), 0);
	CHECK_EQ_INT(nsrv, 1);
	/* b fails: a.test:5070 (nowhere.test, which does not resolve, is
	   left out) */
	CHECK_EQ_INT(stack_dst_failed(f.st, &f.dst), 0);
	CHECK_EQ_INT(resolve(&f, "sip:alice@x.test"), 0);
	check_dst(&f.dst, 0x7f000001, 5070, TSX_TP_UDP);
	/* a stale report of b changes nothing */
	{
		struct tsx_addr old = f.dst;
		((struct sockaddr_in *)&old.sa)->sin_port = htons(5080);
		CHECK_EQ_INT(stack_dst_failed(f.st, &old), ENOENT);
	}
	/* the last one fails: looked up again, b first again */
	CHECK_EQ_INT(stack_dst_failed(f.st, &f.dst), ENOENT);
	REQUIRE(!resolve(&f, "sip:alice@x.test"));
	CHECK_EQ_INT(nsrv, 2);
	check_dst(&f.dst, 0x7f000002, 5080, TSX_TP_UDP);
	sfx_close(&f);
}

static void test_stack_services(void)
{
	struct sfx f;

	REQUIRE(!sfx_init(&f));
	/* no _sip._udp: _sip._tcp, its transport */
	REQUIRE(!resolve(&f, "sip:alice@tcp.test"));
	check_dst(&f.dst, 0x7f000001, 5072, TSX_TP_TCP);
	CHECK_EQ_INT(nsrv, 2);
	/* sips: -> _sips._tcp over TLS */
	REQUIRE(!resolve(&f, "sips:alice@x.test"));
	check_dst(&f.dst, 0x7f000002, 5061, TSX_TP_TLS);
	CHECK_EQ_STR(f.dst.host, "x.test");
	/* ;transport=tcp asks _sip._tcp only: none for x.test, so the A
	   record on 5060 */
	nsrv = 0;
	REQUIRE(!resolve(&f, "sip:alice@x.test;transport=tcp"));
	check_dst(&f.dst, 0x7f000003, 5060, TSX_TP_TCP);
	CHECK_EQ_INT(nsrv, 1);
	/* a port: no SRV at all */
	nsrv = 0;
	REQUIRE(!resolve(&f, "sip:alice@x.test:5099"));
	check_dst(&f.dst, 0x7f000003, 5099, TSX_TP_UDP);
	CHECK_EQ_INT(nsrv, 0);
	/* no SRV, no address */
	CHECK_EQ_INT(resolve(&f, "sip:alice@nowhere.test"), ENOENT);
	CHECK_EQ_STR(f.reason, "cannot resolve nowhere.test: Name or service "
			       "not known");
	/* an IP literal: neither */
	nsrv = 0;
	REQUIRE(!resolve(&f, "sip:alice@127.0.0.9"));
	CHECK_EQ_INT(nsrv, 0);
	sfx_close(&f);
}

static void test_stack_ttl(void)
{
	struct sfx f;
	struct sip_uri u;
	struct pl pl = pl_from_str("sip:alice@x.test");
	struct tsx_addr d;

	REQUIRE(!sfx_init(&f));
	loop_clock_fake(f.loop, 1000);
	REQUIRE(!resolve(&f, "sip:alice@x.test"));
	CHECK_EQ_INT(nsrv, 1);
	REQUIRE(!sip_uri_decode(&u, &pl));
	CHECK_EQ_INT(stack_uri_dst_cached(f.st, &u, &d), 0);
	check_dst(&d, 0x7f000002, 5080, TSX_TP_UDP);
	/* a port: the name's address from that lookup, no SRV server */
	pl = pl_from_str("sip:alice@b.test:7000;transport=tcp");
	REQUIRE(!sip_uri_decode(&u, &pl));
	CHECK_EQ_INT(stack_uri_dst_cached(f.st, &u, &d), ENOTSUP);
	REQUIRE(!resolve(&f, "sip:alice@b.test:6000"));
	CHECK_EQ_INT(stack_uri_dst_cached(f.st, &u, &d), 0);
	check_dst(&d, 0x7f000002, 7000, TSX_TP_TCP);
	pl = pl_from_str("sip:alice@x.test");
	REQUIRE(!sip_uri_decode(&u, &pl));
	/* the smallest TTL of the answer is 30 s */
	loop_advance(f.loop, 29000);
	CHECK_EQ_INT(resolve(&f, "sip:alice@x.test"), 0);
	loop_advance(f.loop, 1500);
	CHECK_EQ_INT(stack_uri_dst_cached(f.st, &u, &d), ENOTSUP);
	REQUIRE(!resolve(&f, "sip:alice@x.test"));
	CHECK_EQ_INT(nsrv, 2);
	sfx_close(&f);
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_parse);
	RUN(test_parse_bad);
	RUN(test_order);
	RUN(test_stack_failover);
	RUN(test_stack_services);
	RUN(test_stack_ttl);
	return harness_done();
}
