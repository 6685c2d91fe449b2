/* test_sip_rfc4475.c: RFC 4475 torture messages and RFC 5118 IPv6 messages. */
#include <errno.h>

#include "harness.h"
#include "sip_util.h"
#include "ua/sip/msg.h"
#include "ua/sip/print.h"

/*
 * Verdict per file: scode 0 + ok = decodes; otherwise the status code a
 * UAS answers (0 = drop silently). Choices where RFC 4475 allows either:
 *   trws, lwsstart, lwsruri, ltgtruri, escruri, regbadct, badaspec: reject 400
 *   baddate: accept (Date is not used for processing)
 *   badbranch: accept (transaction layer falls back to RFC 2543 matching)
 *   mismatch02: 501 (unknown method)
 *   baddn archive copy (no blank line): 400 missing end of headers
 *   rfc5118 4.6 as archived (Content-Length > body): 400 like clerr;
 *   4.8/4.9 as archived (Content-Length < body): accepted, body truncated.
 */
struct verdict {
	const char *file;
	bool ok;
	uint16_t scode;
	const char *reason; /* substring of the explanation */
};

static const struct verdict verdicts[] = {
	{"rfc4475/3.1.1.1-wsinv.dat", true, 0, NULL},
	{"rfc4475/3.1.1.2-intmeth.dat", true, 0, NULL},
	{"rfc4475/3.1.1.3-esc01.dat", true, 0, NULL},
	{"rfc4475/3.1.1.4-escnull.dat", true, 0, NULL},
	{"rfc4475/3.1.1.5-esc02.dat", true, 0, NULL},
	{"rfc4475/3.1.1.6-lwsdisp.dat", true, 0, NULL},
	{"rfc4475/3.1.1.7-longreq.dat", true, 0, NULL},
	{"rfc4475/3.1.1.8-dblreq.dat", true, 0, NULL},
	{"rfc4475/3.1.1.9-semiuri.dat", true, 0, NULL},
	{"rfc4475/3.1.1.10-transports.dat", true, 0, NULL},
	{"rfc4475/3.1.1.11-mpart01.dat", true, 0, NULL},
	{"rfc4475/3.1.1.12-unreason.dat", true, 0, NULL},
	{"rfc4475/3.1.1.13-noreason.dat", true, 0, NULL},
	{"rfc4475/3.1.2.1-badinv01.dat", false, 400, "Via"},
	{"rfc4475/3.1.2.2-clerr.dat", false, 400, "Content-Length larger"},
	{"rfc4475/3.1.2.3-ncl.dat", false, 400, "Content-Length"},
	{"rfc4475/3.1.2.4-scalar02.dat", false, 400, "CSeq"},
	{"rfc4475/3.1.2.5-scalarlg.dat", false, 0, "CSeq"},
	{"rfc4475/3.1.2.6-quotbal.dat", false, 400, "To"},
	{"rfc4475/3.1.2.7-ltgtruri.dat", false, 400, "Request-URI"},
	{"rfc4475/3.1.2.8-lwsruri.dat", false, 400, "Request-URI"},
	{"rfc4475/3.1.2.9-lwsstart.dat", false, 400, "Request-URI"},
	{"rfc4475/3.1.2.10-trws.dat", false, 400, "Request-Line"},
	{"rfc4475/3.1.2.11-escruri.dat", false, 400, "Request-URI"},
	{"rfc4475/3.1.2.12-baddate.dat", true, 0, NULL},
	{"rfc4475/3.1.2.13-regbadct.dat", false, 400, "Contact"},
	{"rfc4475/3.1.2.14-badaspec.dat", false, 400, "To"},
	{"rfc4475/3.1.2.15-baddn.dat", false, 400, "end of headers"},
	{"rfc4475/variants/3.1.2.15-baddn.with-final-crlf.dat", false, 400,
	 "From"},
	{"rfc4475/3.1.2.16-badvers.dat", false, 505, "SIP/7.0"},
	{"rfc4475/3.1.2.17-mismatch01.dat", false, 400, "CSeq method"},
	{"rfc4475/3.1.2.18-mismatch02.dat", false, 501, "CSeq method"},
	{"rfc4475/3.1.2.19-bigcode.dat", false, 0, "Status-Line"},
	{"rfc4475/3.2.1-badbranch.dat", true, 0, NULL},
	{"rfc4475/3.3.1-insuf.dat", false, 400, "Missing"},
	{"rfc4475/3.3.2-unkscm.dat", true, 0, NULL},
	{"rfc4475/3.3.3-novelsc.dat", true, 0, NULL},
	{"rfc4475/3.3.4-unksm2.dat", true, 0, NULL},
	{"rfc4475/3.3.5-bext01.dat", true, 0, NULL},
	{"rfc4475/3.3.6-invut.dat", true, 0, NULL},
	{"rfc4475/3.3.7-regaut01.dat", true, 0, NULL},
	{"rfc4475/3.3.8-multi01.dat", false, 400, "Multiple"},
	{"rfc4475/3.3.9-mcl01.dat", false, 400, "Multiple Content-Length"},
	{"rfc4475/3.3.10-bcast.dat", true, 0, NULL},
	{"rfc4475/3.3.11-zeromf.dat", true, 0, NULL},
	{"rfc4475/3.3.12-cparam01.dat", true, 0, NULL},
	{"rfc4475/3.3.13-cparam02.dat", true, 0, NULL},
	{"rfc4475/3.3.14-regescrt.dat", true, 0, NULL},
	{"rfc4475/3.3.15-sdp01.dat", true, 0, NULL},
	{"rfc4475/3.4.1-inv2543.dat", true, 0, NULL},
	{"rfc5118/4.1-ipv6-good.dat", true, 0, NULL},
	{"rfc5118/4.2-ipv6-bad.dat", false, 400, "Request-URI"},
	{"rfc5118/4.3-port-ambiguous.dat", true, 0, NULL},
	{"rfc5118/4.4-port-unambiguous.dat", true, 0, NULL},
	{"rfc5118/4.5-via-received-param-with-delim.dat", true, 0, NULL},
	{"rfc5118/4.5-via-received-param-no-delim.dat", true, 0, NULL},
	{"rfc5118/4.6-ipv6-in-sdp.dat", false, 400, "Content-Length"},
	{"rfc5118/variants/4.6-ipv6-in-sdp.cl-corrected.dat", true, 0, NULL},
	{"rfc5118/4.7-mult-ip-in-header.dat", true, 0, NULL},
	{"rfc5118/4.8-mult-ip-in-sdp.dat", true, 0, NULL},
	{"rfc5118/variants/4.8-mult-ip-in-sdp.cl-corrected.dat", true, 0, NULL},
	{"rfc5118/4.9-ipv4-mapped-ipv6.dat", true, 0, NULL},
	{"rfc5118/variants/4.9-ipv4-mapped-ipv6.cl-corrected.dat", true, 0,
	 NULL},
	{"rfc5118/4.10-ipv6-bug-abnf-3-colons.dat", true, 0, NULL},
	{"rfc5118/4.10-ipv6-correct-abnf-2-colons.dat", true, 0, NULL},
};

static void test_verdicts(void)
{
	size_t n = sizeof(verdicts) / sizeof(*verdicts);
	CHECK_EQ_INT(n, 49 + 1 + 12 + 3);
	for (size_t i = 0; i < n; i++) {
		const struct verdict *v = &verdicts[i];
		struct buf *b = sip_test_load(v->file);
		struct sip_decode_err de;
		struct sip_msg *m = NULL;
		if (!b) {
			fprintf(stderr, "cannot load %s\n", v->file);
			CHECK(b != NULL);
			continue;
		}
		int err = sip_msg_decode_ex(&m, b, &de);
		if (v->ok != !err || (!v->ok && (de.scode != v->scode ||
						 !strstr(de.reason, v->reason))))
			fprintf(stderr, "%s: err %d scode %u '%s'\n", v->file,
				err, de.scode, de.reason);
		if (v->ok) {
			CHECK_EQ_INT(err, 0);
			CHECK(m && m->mb == b);
		} else {
			CHECK_EQ_INT(err, EBADMSG);
			CHECK_EQ_INT(de.scode, v->scode);
			CHECK(strstr(de.reason, v->reason) != NULL);
			CHECK(m == NULL);
			/* a partial message for requests with header faults */
			if (de.partial)
				CHECK(de.partial->req && de.scode);
			obj_deref(de.partial);
		}
		obj_deref(m);
		obj_deref(b);
	}
}

/* Decode file @p rel; REQUIREs success in the caller via NULL check. */
static struct sip_msg *load_msg(const char *rel)
{
	struct buf *b = sip_test_load(rel);
	struct sip_msg *m = NULL;
	if (b && sip_msg_decode(&m, b))
		m = NULL;
	obj_deref(b);
	return m;
}

static void test_wsinv(void)
{
	struct sip_msg *m = load_msg("rfc4475/3.1.1.1-wsinv.dat");
	REQUIRE(m);
	CHECK(m->req);
	CHECK_EQ_INT(m->method, SIP_METHOD_INVITE);
	CHECK_EQ_INT(m->max_fwd, 68);
	CHECK_EQ_INT(m->cseq.num, 9);
	CHECK_EQ_INT(m->cseq.method, SIP_METHOD_INVITE);
	CHECK_PL(m->to.uri.user, "vivekg");
	CHECK_PL(m->to.tag, "1918181833n");
	CHECK_PL(m->from.tag, "98asjd8");
	CHECK(m->from.dname_quoted);
	CHECK_PL(m->from.dname, "J Rosenberg \\\\\\\"");
	CHECK_PL(m->callid, "wsinv.ndaksdj@192.0.2.1");
	CHECK_EQ_INT(m->viac, 3);
	CHECK_PL(m->via.transport, "UDP");
	CHECK_PL(m->via.host, "192.0.2.2");
	CHECK_PL(m->via.branch, "390skdjuw");
	const struct sip_hdr *v2 = sip_msg_hdr_next(m, sip_msg_hdr(m, SIP_HDR_VIA));
	REQUIRE(v2);
	struct sip_via via;
	CHECK_EQ_INT(sip_via_decode(&via, &v2->val), 0);
	CHECK_PL(via.transport, "TCP");
	CHECK_PL(via.host, "spindle.example.com");
	CHECK_PL(via.branch, "z9hG4bK9ikj8");
	const struct sip_hdr *v3 = sip_msg_hdr_next(m, v2);
	REQUIRE(v3);
	CHECK_EQ_INT(sip_via_decode(&via, &v3->val), 0);
	CHECK_PL(via.branch, "z9hG4bK30239");
	CHECK(!sip_msg_hdr_next(m, v3));
	const struct sip_hdr *s = sip_msg_hdr(m, SIP_HDR_SUBJECT);
	REQUIRE(s);
	CHECK_PL(s->val, "");
	CHECK_PL(s->name, "s");
	const struct sip_hdr *nf = sip_msg_hdr_name(m, "newfangledheader");
	REQUIRE(nf);
	CHECK_PL(nf->val, "newfangled value   continued newfangled value");
	const struct sip_hdr *u =
		sip_msg_hdr_name(m, "UnknownHeaderWithUnusualValue");
	REQUIRE(u);
	CHECK_PL(u->val, ";;,,;;,;");
	CHECK_EQ_INT(u->id, SIP_HDR_OTHER);
	CHECK_EQ_INT(m->contactc, 1);
	CHECK_PL(m->contact.dname, "Quoted string \\\"\\\"");
	struct pl q;
	CHECK_EQ_INT(sip_addr_param(&m->contact, "q", &q), 0);
	CHECK_PL(q, "0.33");
	CHECK_PL(m->ctype, "application/sdp");
	CHECK_EQ_INT(m->clen, 150);
	CHECK_EQ_INT(m->body.l, 150);
	CHECK(!memcmp(m->body.p, "v=0\r\n", 5));
	CHECK(sip_msg_hdr(m, SIP_HDR_ROUTE) != NULL);
	obj_deref(m);
}

static void test_intmeth_esc(void)
{
	struct sip_msg *m = load_msg("rfc4475/3.1.1.2-intmeth.dat");
	REQUIRE(m);
	CHECK_PL(m->met, "!interesting-Method0123456789_*+`.%indeed'~");
	CHECK_EQ_INT(m->method, SIP_METHOD_OTHER);
	CHECK_PL(m->cseq.met, "!interesting-Method0123456789_*+`.%indeed'~");
	CHECK_PL(m->ruri.host, "example.com");
	CHECK_EQ_INT(m->max_fwd, 255);
	m = obj_deref(m);

	/* esc01: %-escaped URI equals its unescaped form */
	m = load_msg("rfc4475/3.1.1.3-esc01.dat");
	REQUIRE(m);
	struct sip_uri u;
	struct pl user = PL("sip:user@example.com");
	CHECK_EQ_INT(sip_uri_decode(&u, &user), 0);
	CHECK(sip_uri_cmp(&m->to.uri, &u));
	CHECK_PL(m->ruri.user, "sips%3Auser%40example.com");
	char dec[64];
	size_t dl;
	CHECK_EQ_INT(sip_uri_unescape(&m->ruri.user, dec, sizeof(dec), &dl),
		     0);
	CHECK_EQ_INT(dl, strlen("sips:user@example.com"));
	CHECK(!memcmp(dec, "sips:user@example.com", dl));
	struct pl name;
	CHECK_EQ_INT(sip_uri_param(&m->contact.uri, "n%61me", &name), 0);
	CHECK_EQ_INT(sip_uri_unescape(&name, dec, sizeof(dec), &dl), 0);
	CHECK_EQ_INT(dl, strlen("value%41"));
	CHECK(!memcmp(dec, "value%41", dl));
	CHECK_PL(m->ctype, "application/sdp");
	m = obj_deref(m);

	/* escnull: %00 keeps the whole user part, 2 distinct Contacts */
	m = load_msg("rfc4475/3.1.1.4-escnull.dat");
	REQUIRE(m);
	CHECK_EQ_INT(m->contactc, 2);
	CHECK_EQ_INT(sip_uri_unescape(&m->to.uri.user, dec, sizeof(dec), &dl),
		     0);
	CHECK_EQ_INT(dl, 11);
	CHECK(!memcmp(dec, "null-\0-null", 11));
	const struct sip_hdr *c1 = sip_msg_hdr(m, SIP_HDR_CONTACT);
	const struct sip_hdr *c2 = sip_msg_hdr_next(m, c1);
	REQUIRE(c1 && c2);
	struct sip_addr a1, a2;
	CHECK_EQ_INT(sip_addr_decode(&a1, &c1->val, true), 0);
	CHECK_EQ_INT(sip_addr_decode(&a2, &c2->val, true), 0);
	CHECK(!sip_uri_cmp(&a1.uri, &a2.uri));
	CHECK_EQ_INT(sip_uri_unescape(&a2.uri.user, dec, sizeof(dec), &dl), 0);
	CHECK_EQ_INT(dl, 2);
	m = obj_deref(m);

	/* esc02: RE%47IST%45R is not REGISTER; C%6Fntact is unknown */
	m = load_msg("rfc4475/3.1.1.5-esc02.dat");
	REQUIRE(m);
	CHECK_EQ_INT(m->method, SIP_METHOD_OTHER);
	CHECK_PL(m->met, "RE%47IST%45R");
	CHECK_EQ_INT(m->contactc, 2);
	CHECK_EQ_INT(sip_msg_hdr_count(m, SIP_HDR_CONTACT), 2);
	const struct sip_hdr *x = sip_msg_hdr_name(m, "C%6Fntact");
	REQUIRE(x);
	CHECK_EQ_INT(x->id, SIP_HDR_OTHER);
	CHECK_PL(m->to.dname, "%Z%45");
	CHECK_PL(m->via.branch, "z9hG4bK209%fzsnel234");
	obj_deref(m);
}

static void test_valid_fields(void)
{
	struct sip_msg *m = load_msg("rfc4475/3.1.1.9-semiuri.dat");
	REQUIRE(m);
	CHECK_PL(m->ruri.user, "user;par=u%40example.net");
	CHECK_PL(m->ruri.host, "example.com");
	CHECK_PL(m->ruri.params, "");
	CHECK_EQ_INT(sip_msg_hdr_count(m, SIP_HDR_ACCEPT), 6);
	m = obj_deref(m);

	m = load_msg("rfc4475/3.1.1.10-transports.dat");
	REQUIRE(m);
	static const char *const tp[] = {"UDP", "SCTP", "TLS", "UNKNOWN",
					 "TCP"};
	size_t i = 0;
	SIP_MSG_FOREACH(m, SIP_HDR_VIA, h)
	{
		struct sip_via v;
		CHECK_EQ_INT(sip_via_decode(&v, &h->val), 0);
		if (i < 5)
			CHECK_PL(v.transport, tp[i]);
		i++;
	}
	CHECK_EQ_INT(i, 5);
	CHECK_EQ_INT(m->viac, 5);
	m = obj_deref(m);

	m = load_msg("rfc4475/3.1.1.11-mpart01.dat");
	REQUIRE(m);
	CHECK_EQ_INT(m->body.l, 553);
	CHECK(m->body.p + m->body.l == m->raw.p + m->raw.l);
	CHECK(memchr(m->body.p, '\0', m->body.l) != NULL);
	m = obj_deref(m);

	m = load_msg("rfc4475/3.1.1.12-unreason.dat");
	REQUIRE(m);
	CHECK(!m->req);
	CHECK_EQ_INT(m->scode, 200);
	CHECK(m->reason.l > 10 && !memcmp(m->reason.p, "= 2**3", 6));
	m = obj_deref(m);

	m = load_msg("rfc4475/3.1.1.13-noreason.dat");
	REQUIRE(m);
	CHECK_EQ_INT(m->scode, 100);
	CHECK_PL(m->reason, "");
	m = obj_deref(m);

	m = load_msg("rfc4475/3.1.1.6-lwsdisp.dat");
	REQUIRE(m);
	CHECK_PL(m->from.dname, "caller");
	CHECK_PL(m->from.uri.user, "caller");
	m = obj_deref(m);

	m = load_msg("rfc4475/3.1.1.7-longreq.dat");
	REQUIRE(m);
	CHECK(m->to.dname.l > 100);
	CHECK_EQ_INT(m->to.uri.port, 6000);
	CHECK(m->from.tag.l > 100);
	CHECK(m->viac > 10);
	m = obj_deref(m);

	m = load_msg("rfc4475/3.3.12-cparam01.dat");
	REQUIRE(m);
	CHECK(!m->contact.angle);
	CHECK_PL(m->contact.uri.params, "");
	CHECK_PL(m->contact.params, ";unknownparam");
	m = obj_deref(m);

	m = load_msg("rfc4475/3.3.13-cparam02.dat");
	REQUIRE(m);
	CHECK_EQ_INT(sip_uri_param(&m->contact.uri, "unknownparam", NULL), 0);
	m = obj_deref(m);

	m = load_msg("rfc4475/3.3.14-regescrt.dat");
	REQUIRE(m);
	CHECK_PL(m->contact.uri.headers, "Route=%3Csip:sip.example.com%3E");
	m = obj_deref(m);

	m = load_msg("rfc4475/3.3.2-unkscm.dat");
	REQUIRE(m);
	CHECK_EQ_INT(m->ruri.scheme, SIP_URI_OTHER);
	CHECK_PL(m->ruri.scheme_pl, "nobodyKnowsThisScheme");
	m = obj_deref(m);

	m = load_msg("rfc4475/3.3.11-zeromf.dat");
	REQUIRE(m);
	CHECK_EQ_INT(m->max_fwd, 0);
	m = obj_deref(m);

	m = load_msg("rfc4475/3.3.5-bext01.dat");
	REQUIRE(m);
	CHECK(m->require != NULL);
	CHECK(sip_msg_hdr_has(m, SIP_HDR_REQUIRE, "nothingSupportsThis"));
	m = obj_deref(m);

	m = load_msg("rfc4475/3.4.1-inv2543.dat");
	REQUIRE(m);
	CHECK(!m->has_clen);
	CHECK_EQ_INT(m->max_fwd, -1);
	CHECK_PL(m->via.branch, "");
	CHECK_PL(m->from.tag, "");
	CHECK(m->body.l > 0);
	obj_deref(m);
}

static void test_dblreq(void)
{
	struct buf *b = sip_test_load("rfc4475/3.1.1.8-dblreq.dat");
	struct sip_msg *m = NULL;
	REQUIRE(b);
	size_t total = b->end;
	CHECK_EQ_INT(sip_msg_decode(&m, b), 0);
	REQUIRE(m);
	CHECK_EQ_INT(m->method, SIP_METHOD_REGISTER);
	CHECK_EQ_INT(m->body.l, 0);
	CHECK(b->pos < total);
	CHECK(!sip_msg_hdr(m, SIP_HDR_CONTENT_TYPE));
	CHECK_EQ_INT(m->raw.l, b->pos);
	obj_deref(m);
	obj_deref(b);
}

static void test_insuf_partial(void)
{
	struct buf *b = sip_test_load("rfc4475/3.3.1-insuf.dat");
	struct sip_decode_err de;
	struct sip_msg *m = NULL;
	REQUIRE(b);
	CHECK_EQ_INT(sip_msg_decode_ex(&m, b, &de), EBADMSG);
	CHECK_EQ_INT(de.scode, 400);
	REQUIRE(de.partial);
	CHECK_PL(de.partial->via.branch, "z9hG4bKkdj.insuf");
	CHECK_EQ_INT(de.partial->cseq.num, 193942);
	obj_deref(de.partial);
	obj_deref(b);
}

static void test_rfc5118_hosts(void)
{
	struct sip_msg *m = load_msg("rfc5118/4.1-ipv6-good.dat");
	REQUIRE(m);
	CHECK(m->ruri.ipv6);
	CHECK_PL(m->ruri.host, "2001:db8::10");
	CHECK_EQ_INT(m->ruri.port, 0);
	CHECK_PL(m->via.host, "2001:db8::9:1");
	CHECK(m->via.ipv6);
	CHECK_PL(m->contact.uri.host, "2001:db8::1");
	m = obj_deref(m);

	/* the rest, by what each one is about (NULL / -1: not checked) */
	static const struct {
		const char *file;
		const char *ruri_host;
		int ruri_port;
		const char *via_host;
		int via_port, viac;
		const char *received;
	} tv[] = {
	    {"rfc5118/4.3-port-ambiguous.dat", "2001:db8::10:5070", 0, NULL,
	     -1, -1, NULL},
	    {"rfc5118/4.4-port-unambiguous.dat", "2001:db8::10", 5070, NULL, -1,
	     -1, NULL},
	    {"rfc5118/4.5-via-received-param-with-delim.dat", NULL, -1, NULL,
	     -1, -1, "2001:db8::9:255"},
	    {"rfc5118/4.5-via-received-param-no-delim.dat", NULL, -1, NULL, -1,
	     -1, "2001:db8::9:255"},
	    {"rfc5118/4.7-mult-ip-in-header.dat", NULL, -1, "2001:db8::9:1",
	     6050, 3, NULL},
	    {"rfc5118/variants/4.9-ipv4-mapped-ipv6.cl-corrected.dat", NULL, -1,
	     "::ffff:192.0.2.10", 19823, -1, NULL},
	    {"rfc5118/4.10-ipv6-bug-abnf-3-colons.dat", "2001:db8:::192.0.2.1",
	     -1, NULL, -1, -1, NULL},
	};
	for (size_t i = 0; i < sizeof(tv) / sizeof(tv[0]); i++) {
		m = load_msg(tv[i].file);
		REQUIRE(m);
		if (tv[i].ruri_host)
			CHECK_PL(m->ruri.host, tv[i].ruri_host);
		if (tv[i].ruri_port >= 0)
			CHECK_EQ_INT(m->ruri.port, tv[i].ruri_port);
		if (tv[i].via_host)
			CHECK_PL(m->via.host, tv[i].via_host);
		if (tv[i].via_port >= 0)
			CHECK_EQ_INT(m->via.port, tv[i].via_port);
		if (tv[i].viac >= 0)
			CHECK_EQ_INT(m->viac, tv[i].viac);
		if (tv[i].received)
			CHECK_PL(m->via.received, tv[i].received);
		m = obj_deref(m);
	}
}

/* Every allocation of the decoder may fail: no crash, no leak. */
static void test_alloc_failures(void)
{
	static const char *const files[] = {
		"rfc4475/3.1.1.7-longreq.dat", "rfc4475/3.1.1.1-wsinv.dat",
		"rfc4475/3.3.1-insuf.dat"};
	for (size_t f = 0; f < sizeof(files) / sizeof(*files); f++) {
		bool done = false;
		for (size_t n = 1; n < 20 && !done; n++) {
			struct buf *b = sip_test_load(files[f]);
			struct sip_decode_err de;
			struct sip_msg *m = NULL;
			REQUIRE(b);
			obj_fail_after(n);
			int err = sip_msg_decode_ex(&m, b, &de);
			obj_fail_after(0);
			CHECK(err == 0 || err == ENOMEM || err == EBADMSG);
			if (err == ENOMEM)
				CHECK(!m && !de.partial);
			else
				done = true;
			obj_deref(de.partial);
			obj_deref(m);
			obj_deref(b);
		}
		CHECK(done);
	}
}

int main(void)
{
	harness_watchdog(60);
	RUN(test_verdicts);
	RUN(test_wsinv);
	RUN(test_intmeth_esc);
	RUN(test_valid_fields);
	RUN(test_dblreq);
	RUN(test_insuf_partial);
	RUN(test_rfc5118_hosts);
	RUN(test_alloc_failures);
	return harness_done();
}
