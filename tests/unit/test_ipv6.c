/* test_ipv6.c: IPv6 in the stack and the phone: Via/Contact of the
 * destination's family, listen specs, dual-stack listeners, media in the
 * family of the offer, config errors. */
#include <errno.h>

#include "cli/config.h"
#include "phone_fix.h"
#include "ua/stack/stack.h"
#include "ua/tp/sa.h"

static int nosend(const struct tsx_addr *dst, struct buf *mb, void *arg)
{
	(void)dst;
	(void)mb;
	(void)arg;
	return 0;
}

static int other_send(const struct tsx_addr *dst, struct buf *mb, void *arg)
{
	return nosend(dst, mb, arg);
}

static void ss_set(struct sockaddr_storage *ss, const char *ip, uint16_t port)
{
	struct sa sa;

	memset(ss, 0, sizeof(*ss));
	if (!sa_set(&sa, ip, port))
		memcpy(ss, &sa.u.ss, sa.len);
}

static void dst_set(struct tsx_addr *d, enum tsx_tp tp, const char *ip)
{
	memset(d, 0, sizeof(*d));
	d->tp = tp;
	if (ip)
		ss_set(&d->sa, ip, 5060);
}

static void test_via_and_contact_take_the_destination_family(void)
{
	struct loop *loop = NULL;
	struct stack *st = NULL;
	struct sockaddr_storage v4, v6;
	struct tsx_addr d;
	char b[200];

	REQUIRE(!loop_alloc(&loop));
	REQUIRE(!stack_alloc(&st, loop, NULL, NULL, NULL));
	ss_set(&v4, "192.0.2.1", 5060);
	ss_set(&v6, "2001:db8::1", 5062);
	CHECK(!stack_transport_add(st, TSX_TP_UDP, &v6, nosend, NULL));
	CHECK(!stack_transport_add(st, TSX_TP_UDP, &v4, nosend, NULL));
	/* one address per family, one sender per kind */
	CHECK_EQ_INT(stack_transport_add(st, TSX_TP_UDP, &v4, nosend, NULL),
		     EALREADY);
	CHECK_EQ_INT(stack_transport_add(st, TSX_TP_TCP, &v6, nosend, NULL), 0);
	CHECK_EQ_INT(stack_transport_add(st, TSX_TP_TCP, &v4, other_send, NULL),
		     EALREADY);

	dst_set(&d, TSX_TP_UDP, "2001:db8::9");
	REQUIRE(!stack_via(st, &d, b, sizeof(b)));
	CHECK(!strncmp(b, "SIP/2.0/UDP [2001:db8::1]:5062;branch=z9hG4bK", 44));
	REQUIRE(!stack_contact(st, &d, "alice", b, sizeof(b)));
	CHECK_EQ_STR(b, "sip:alice@[2001:db8::1]:5062");
	dst_set(&d, TSX_TP_UDP, "192.0.2.9");
	REQUIRE(!stack_via(st, &d, b, sizeof(b)));
	CHECK(!strncmp(b, "SIP/2.0/UDP 192.0.2.1:5060;branch=", 34));
	REQUIRE(!stack_contact(st, &d, "alice", b, sizeof(b)));
	CHECK_EQ_STR(b, "sip:alice@192.0.2.1:5060");
	/* a name not looked up yet: IPv4 first */
	dst_set(&d, TSX_TP_UDP, NULL);
	REQUIRE(!stack_contact(st, &d, "alice", b, sizeof(b)));
	CHECK_EQ_STR(b, "sip:alice@192.0.2.1:5060");
	CHECK(stack_laddr(st, TSX_TP_UDP)->ss_family == AF_INET);
	/* TCP has IPv6 only: the unset family takes it, IPv4 cannot go */
	dst_set(&d, TSX_TP_TCP, NULL);
	REQUIRE(!stack_contact(st, &d, NULL, b, sizeof(b)));
	CHECK_EQ_STR(b, "sip:[2001:db8::1]:5062;transport=tcp");
	dst_set(&d, TSX_TP_TCP, "192.0.2.9");
	CHECK_EQ_INT(stack_via(st, &d, b, sizeof(b)), EAFNOSUPPORT);
	CHECK_EQ_INT(stack_contact(st, &d, "a", b, sizeof(b)), EAFNOSUPPORT);
	dst_set(&d, TSX_TP_TLS, "2001:db8::9");
	CHECK_EQ_INT(stack_via(st, &d, b, sizeof(b)), EINVAL);
	obj_deref(st);
	obj_deref(loop);
}

static void test_listen_specs(void)
{
	static const struct {
		const char *spec;
		bool ok;
	} tv[] = {
	    {"udp:[::1]:5060", true},	  {"tls:[::]:5061", true},
	    {"tcp:[::1]", true},	  {"udp:127.0.0.1:0", true},
	    {"TCP:0.0.0.0", true},	  {"udp:::1:5060", false},
	    {"udp:::1", false},		  {"udp:[::1", false},
	    {"udp:[127.0.0.1]:5", false}, {"udp:[::1]:70000", false},
	    {"udp:[nonsense]:5", false},  {"sctp:[::1]:5", false},
	};
	char err[200];
	size_t i;

	for (i = 0; i < sizeof(tv) / sizeof(tv[0]); i++) {
		err[0] = '\0';
		CHECK_EQ_INT(phone_listen_check(tv[i].spec, err, sizeof(err)),
			     tv[i].ok ? 0 : EINVAL);
		if (!tv[i].ok)
			CHECK(strstr(err, "IPv6 in brackets") != NULL);
	}
}

static void test_listeners_of_both_families(void)
{
	struct pf x;
	struct pf_phone a, b;
	struct phone_opts o;
	const char *s;

	REQUIRE(!pf_init(&x));
	pf_opts(&x, &o);
	o.listen[0] = "udp:[::1]:0";
	o.listen[1] = "udp:127.0.0.1:0";
	o.listen[2] = "tcp:[::1]:0";
	o.nlisten = 3;
	REQUIRE(!pf_phone_open(&x, &a, "a", &o));
	s = phone_listen_addr(a.p, "udp");
	CHECK(s && !strncmp(s, "127.0.0.1:", 10));
	s = phone_listen_addr(a.p, "udp6");
	CHECK(s && !strncmp(s, "[::1]:", 6));
	s = phone_listen_addr(a.p, "tcp");
	CHECK(s && !strncmp(s, "[::1]:", 6));
	CHECK(phone_listen_addr(a.p, "tls") == NULL);
	CHECK(phone_listen_addr(a.p, "tls6") == NULL);
	CHECK(phone_listen_addr(a.p, "udp4") == NULL);
	pf_phone_close(&a);
	/* IPv6 only: "udp" is the IPv6 listener */
	o.listen[0] = "udp:[::1]:0";
	o.nlisten = 1;
	REQUIRE(!pf_phone_open(&x, &b, "b", &o));
	s = phone_listen_addr(b.p, "udp");
	CHECK(s && !strncmp(s, "[::1]:", 6));
	CHECK_EQ_STR(s, phone_listen_addr(b.p, "udp6"));
	pf_phone_close(&b);
	pf_close(&x);
}

/* an INVITE over IPv4 from the raw peer whose offer's c= is @p conn */
static bool invite_v4(struct pf *x, struct pf_raw *r, struct pf_phone *a, int n,
		      const char *conn, const char *want)
{
	char req[2000], sdp[400];
	const char *hp = phone_listen_addr(a->p, "udp");

	snprintf(sdp, sizeof(sdp),
		 "v=0\r\no=t 1 1 %s\r\ns=-\r\nc=%s\r\nt=0 0\r\n"
		 "m=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n",
		 conn, conn);
	snprintf(req, sizeof(req),
		 "INVITE sip:b@%s SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bKsix%d;rport\r\n"
		 "Max-Forwards: 70\r\n"
		 "From: <sip:t@127.0.0.1>;tag=%d\r\nTo: <sip:b@%s>\r\n"
		 "Call-ID: six%d@test\r\nCSeq: 1 INVITE\r\n"
		 "Contact: <sip:t@127.0.0.1:%u>\r\n"
		 "Content-Type: application/sdp\r\n"
		 "Content-Length: %zu\r\n\r\n%s",
		 hp, r->port, n, n, hp, n, r->port, strlen(sdp), sdp);
	return !pf_raw_send(r, hp, req) && pf_raw_wait(x, r, want, 2000);
}

static void test_media_takes_the_family_of_the_offer(void)
{
	struct pf x;
	struct pf_phone a, b;
	struct phone_opts o;
	struct pf_raw r;
	char w[200];

	REQUIRE(!pf_init(&x));
	REQUIRE(!pf_raw_open(&r));
	pf_opts(&x, &o); /* media_addr 127.0.0.1: IPv4 calls only */
	o.listen[0] = "udp:127.0.0.1:0";
	o.listen[1] = "udp:[::1]:0";
	o.nlisten = 2;
	o.auto_answer = 0;
	REQUIRE(!pf_phone_open(&x, &a, "a", &o));
	/* signalling over IPv4, media offered over IPv6: answered in IPv6 */
	CHECK(invite_v4(&x, &r, &a, 1, "IN IP6 ::1", "SIP/2.0 200"));
	CHECK(strstr(r.rx, "\r\nc=IN IP6 ::1\r\n") != NULL);
	CHECK(strstr(r.rx, "Contact: <sip:phonebox@127.0.0.1:") != NULL);
	CHECK(invite_v4(&x, &r, &a, 2, "IN IP4 127.0.0.1", "SIP/2.0 200"));
	CHECK(strstr(r.rx, "\r\nc=IN IP4 127.0.0.1\r\n") != NULL);
	pf_phone_close(&a);
	/* an IPv4-only phone cannot take IPv6 media: 488 with the reason */
	o.nlisten = 1;
	REQUIRE(!pf_phone_open(&x, &b, "b", &o));
	CHECK(invite_v4(&x, &r, &b, 3, "IN IP6 ::1", "SIP/2.0 488"));
	CHECK(strstr(pf_raw_hdr(&r, "Warning", w, sizeof(w)),
		     "no IPv6 address for media") != NULL);
	CHECK(invite_v4(&x, &r, &b, 4, "IN IP6 fe80::1::2", "SIP/2.0 488"));
	CHECK(strstr(pf_raw_hdr(&r, "Warning", w, sizeof(w)),
		     "not an IPv6 address") != NULL);
	pf_phone_close(&b);
	pf_raw_close(&r);
	pf_close(&x);
}

static void test_config_listen_and_media_addr(void)
{
	static const struct {
		const char *text;
		const char *err; /* part of the message, NULL = accepted */
	} tv[] = {
	    {"listen udp:[::]:5060\nlisten udp:0.0.0.0:5060\n"
	     "media_addr ::1\n",
	     NULL},
	    {"listen udp:::1:5060\n",
	     "config:1: listen: bad listen address 'udp:::1:5060'"},
	    {"\nlisten tls:[::1\n", "config:2: listen: bad listen address"},
	    {"media_addr [::1]\n",
	     "config:1: media_addr: '[::1]' is not an IP address"},
	    {"media_addr pbx.example.com\n", "is not an IP address"},
	};
	struct pf x;
	size_t i;

	REQUIRE(!pf_init(&x));
	for (i = 0; i < sizeof(tv) / sizeof(tv[0]); i++) {
		char path[300], err[400] = "";
		struct config c;
		FILE *f;

		snprintf(path, sizeof(path), "%s/config", x.dir);
		f = fopen(path, "w");
		REQUIRE(f);
		fputs(tv[i].text, f);
		fclose(f);
		CHECK_EQ_INT(config_load(&c, x.dir, err, sizeof(err)),
			     tv[i].err ? EBADMSG : 0);
		if (tv[i].err)
			CHECK(strstr(err, tv[i].err) != NULL);
		else
			CHECK(c.opts.nlisten == 2 &&
			      !strcmp(c.opts.media_addr, "::1"));
	}
	pf_close(&x);
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_via_and_contact_take_the_destination_family);
	RUN(test_listen_specs);
	RUN(test_listeners_of_both_families);
	RUN(test_media_takes_the_family_of_the_offer);
	RUN(test_config_listen_and_media_addr);
	return harness_done();
}
