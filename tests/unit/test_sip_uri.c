/* test_sip_uri.c: URI decoding and RFC 3261 19.1.4 / RFC 3966 comparison. */
#include <errno.h>

#include "harness.h"
#include "sip_util.h"
#include "ua/sip/addr.h"
#include "ua/sip/uri.h"

static bool cmp(const char *a, const char *b)
{
	struct sip_uri ua, ub;
	struct pl pa = pl_from_str(a), pb = pl_from_str(b);
	if (sip_uri_decode(&ua, &pa) || sip_uri_decode(&ub, &pb)) {
		fprintf(stderr, "decode failed: %s / %s\n", a, b);
		return false;
	}
	bool r = sip_uri_cmp(&ua, &ub);
	if (r != sip_uri_cmp(&ub, &ua)) {
		fprintf(stderr, "asymmetric: %s / %s\n", a, b);
		return !r;
	}
	return r;
}

static void test_rfc3261_equal(void)
{
	static const char *const eq[][2] = {
		{"sip:%61lice@atlanta.com;transport=TCP",
		 "sip:alice@AtLanTa.CoM;Transport=tcp"},
		{"sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"},
		{"sip:carol@chicago.com", "sip:carol@chicago.com;security=on"},
		{"sip:carol@chicago.com;newparam=5",
		 "sip:carol@chicago.com;security=on"},
		{"sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
		 "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"},
		{"sip:alice@atlanta.com?subject=project%20x&priority=urgent",
		 "sip:alice@atlanta.com?priority=urgent&subject=project%20x"},
		{"sips:alice@[2001:db8::1]:5061", "SIPS:alice@[2001:DB8::1]:5061"},
		{"sip:user@example.com", "sip:%75se%72@example.com"},
	};
	for (size_t i = 0; i < sizeof(eq) / sizeof(*eq); i++) {
		if (!cmp(eq[i][0], eq[i][1]))
			fprintf(stderr, "should be equal: %s / %s\n", eq[i][0],
				eq[i][1]);
		CHECK(cmp(eq[i][0], eq[i][1]));
	}
}

static void test_rfc3261_unequal(void)
{
	static const char *const ne[][2] = {
		{"SIP:ALICE@AtLanTa.CoM;Transport=udp",
		 "sip:alice@AtLanTa.CoM;Transport=UDP"},
		{"sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"},
		{"sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"},
		{"sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"},
		{"sip:carol@chicago.com",
		 "sip:carol@chicago.com?Subject=next%20meeting"},
		{"sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"},
		{"sip:carol@chicago.com;security=on",
		 "sip:carol@chicago.com;security=off"},
		{"sip:a@h;user=phone", "sip:a@h"},
		{"sip:a@h;maddr=1.2.3.4", "sip:a@h;maddr=1.2.3.5"},
		{"sip:a@h;ttl=1", "sip:a@h"},
		{"sip:a@h;method=INVITE", "sip:a@h"},
		{"sip:h", "sip:a@h"},
		{"sip:a:pw@h", "sip:a:PW@h"},
		{"sip:a@h", "sips:a@h"},
		{"sip:null-%00-null@example.com", "sip:null-@example.com"},
		{"sip:%00@host5.example.com", "sip:%00%00@host5.example.com"},
	};
	for (size_t i = 0; i < sizeof(ne) / sizeof(*ne); i++) {
		if (cmp(ne[i][0], ne[i][1]))
			fprintf(stderr, "should differ: %s / %s\n", ne[i][0],
				ne[i][1]);
		CHECK(!cmp(ne[i][0], ne[i][1]));
	}
}

static void test_tel(void)
{
	struct sip_uri u;
	struct pl p = PL("tel:+1-201-555-0123");
	REQUIRE(sip_uri_decode(&u, &p) == 0);
	CHECK_EQ_INT(u.scheme, SIP_URI_TEL);
	CHECK(sip_uri_tel_global(&u));
	CHECK_PL(u.user, "+1-201-555-0123");
	CHECK(cmp("tel:+1-201-555-0123", "tel:+12015550123"));
	CHECK(cmp("tel:+1(201)555.0123", "tel:+12015550123"));
	CHECK(!cmp("tel:+12015550123", "tel:+12015550124"));
	CHECK(!cmp("tel:+12015550123", "tel:12015550123;phone-context=+1"));

	p = PL("tel:7042;phone-context=example.com");
	REQUIRE(sip_uri_decode(&u, &p) == 0);
	CHECK(!sip_uri_tel_global(&u));
	struct pl ctx;
	CHECK_EQ_INT(sip_uri_param(&u, "phone-context", &ctx), 0);
	CHECK_PL(ctx, "example.com");
	CHECK(cmp("tel:7042;phone-context=example.com",
		  "tel:70-42;PHONE-CONTEXT=Example.COM"));
	CHECK(!cmp("tel:7042;phone-context=example.com",
		   "tel:7042;phone-context=example.net"));
	CHECK(!cmp("tel:+12015550123;ext=1", "tel:+12015550123"));
	CHECK(cmp("tel:+1-201-555-0123;a=1;b=2", "tel:+12015550123;b=2;a=1"));

	static const char *const bad[] = {"tel:", "tel:+", "tel:7042",
					  "tel:+1 201", "tel:+1x2",
					  "tel:+12;=x"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		p = pl_from_str(bad[i]);
		CHECK_EQ_INT(sip_uri_decode(&u, &p), EINVAL);
	}
}

static void test_decode_parts(void)
{
	struct sip_uri u;
	struct pl p = PL("sips:alice:secret@[2001:db8::1]:5061;transport=tls;lr"
			 "?Subject=hi&Priority=urgent");
	REQUIRE(sip_uri_decode(&u, &p) == 0);
	CHECK_EQ_INT(u.scheme, SIP_URI_SIPS);
	CHECK_PL(u.user, "alice");
	CHECK_PL(u.password, "secret");
	CHECK_PL(u.host, "2001:db8::1");
	CHECK(u.ipv6);
	CHECK_EQ_INT(u.port, 5061);
	CHECK_PL(u.params, ";transport=tls;lr");
	CHECK_PL(u.headers, "Subject=hi&Priority=urgent");
	struct pl v;
	CHECK_EQ_INT(sip_uri_param(&u, "TRANSPORT", &v), 0);
	CHECK_PL(v, "tls");
	CHECK_EQ_INT(sip_uri_param(&u, "lr", &v), 0);
	CHECK_EQ_INT(v.l, 0);
	CHECK_EQ_INT(sip_uri_param(&u, "maddr", &v), ENOENT);

	p = PL("soap.beep://192.0.2.103:3002");
	REQUIRE(sip_uri_decode(&u, &p) == 0);
	CHECK_EQ_INT(u.scheme, SIP_URI_OTHER);
	CHECK_PL(u.scheme_pl, "soap.beep");
	CHECK_PL(u.opaque, "//192.0.2.103:3002");

	static const char *const bad[] = {
		"sip:2001:db8::10",  "sip:[2001:db8::10",  "sip:host:99999",
		"sip:host:",	     "sip:@host",	   "<sip:a@b>",
		"sip:a@b c",	     "sip:a%4@b",	   "sip:a@b;;x",
		"sip:",		     "1sip:a@b",	   "sip:a@[1.2.3.4]",
		"sip:a@b?",	     "sip:a@host;p=\"x\"", "nocolon"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		p = pl_from_str(bad[i]);
		if (!sip_uri_decode(&u, &p))
			fprintf(stderr, "accepted bad URI %s\n", bad[i]);
		CHECK_EQ_INT(sip_uri_decode(&u, &p), EINVAL);
	}
}

static void test_unescape(void)
{
	char out[16];
	size_t n = 99;
	struct pl s = PL("a%00b%41%2541");
	CHECK_EQ_INT(sip_uri_unescape(&s, out, sizeof(out), &n), 0);
	CHECK_EQ_INT(n, 7);
	CHECK(!memcmp(out, "a\0bA%41", 7));
	s = PL("%4");
	CHECK_EQ_INT(sip_uri_unescape(&s, out, sizeof(out), &n), EINVAL);
	s = PL("%zz");
	CHECK_EQ_INT(sip_uri_unescape(&s, out, sizeof(out), &n), EINVAL);
	s = PL("abcdef");
	CHECK_EQ_INT(sip_uri_unescape(&s, out, 3, &n), E2BIG);
}

static void test_addr(void)
{
	struct sip_addr a;
	struct pl p = PL("\"Alice \\\"A\\\"\" <sip:alice@example.com;lr>"
			 " ;tag=abc ; q=0.5");
	REQUIRE(sip_addr_decode(&a, &p, false) == 0);
	CHECK(a.dname_quoted);
	CHECK_PL(a.dname, "Alice \\\"A\\\"");
	CHECK_PL(a.auri, "sip:alice@example.com;lr");
	CHECK_PL(a.uri.params, ";lr");
	CHECK_PL(a.tag, "abc");
	struct pl q;
	CHECK_EQ_INT(sip_addr_param(&a, "q", &q), 0);
	CHECK_PL(q, "0.5");

	p = PL("Bob Smith <sip:bob@b.example>");
	REQUIRE(sip_addr_decode(&a, &p, false) == 0);
	CHECK_PL(a.dname, "Bob Smith");
	CHECK(!a.dname_quoted);

	p = PL("sip:bob@b.example;tag=1;expires=60");
	REQUIRE(sip_addr_decode(&a, &p, false) == 0);
	CHECK(!a.angle);
	CHECK_PL(a.uri.params, "");
	CHECK_PL(a.tag, "1");

	p = PL("*");
	CHECK_EQ_INT(sip_addr_decode(&a, &p, true), 0);
	CHECK(a.wildcard);
	CHECK_EQ_INT(sip_addr_decode(&a, &p, false), EINVAL);

	static const char *const bad[] = {
		"\"unterminated <sip:a@b>", "Bell, Alexander <sip:a@b>",
		"< sip:a@b >", "<sip:a@b", "<sip:a@b>;tag", "<sip:a@b> x",
		"sip:a@b?Route=x", "", "<sip:a@b>;;"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		p = pl_from_str(bad[i]);
		if (!sip_addr_decode(&a, &p, true))
			fprintf(stderr, "accepted bad addr %s\n", bad[i]);
		CHECK_EQ_INT(sip_addr_decode(&a, &p, true), EINVAL);
	}
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_rfc3261_equal);
	RUN(test_rfc3261_unequal);
	RUN(test_tel);
	RUN(test_decode_parts);
	RUN(test_unescape);
	RUN(test_addr);
	return harness_done();
}
