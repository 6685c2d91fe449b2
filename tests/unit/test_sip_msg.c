/* test_sip_msg.c: decoder edge cases: odd bytes, line ends, verdict codes. */
#include <errno.h>

#include "harness.h"
#include "sip_util.h"
#include "ua/sip/msg.h"

#define HDRS                                                                 \
	"Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n"     \
	"To: <sip:a@b>\r\nCall-ID: x\r\n"

struct vcase {
	const char *in;
	size_t len; /* 0 = strlen */
	int err;
	uint16_t scode;
	const char *reason;
};

static const struct vcase cases[] = {
	{"", 0, EBADMSG, 0, "Not a SIP message"},
	{"\r\n\r\n", 0, EBADMSG, 0, "Not a SIP message"},
	{"OPTIONS sip:a@b SIP/2.0\r\n" HDRS "CSeq: 1 OPTIONS\r\n\r\n", 0, 0,
	 0, NULL},
	/* bare LF line ends are accepted */
	{"OPTIONS sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h\nFrom: <sip:a@b>;tag=1\n"
	 "To: <sip:a@b>\nCall-ID: x\nCSeq: 1 OPTIONS\n\n",
	 0, 0, 0, NULL},
	/* a NUL byte in a header name is not a token character */
	{"OPTIONS sip:a@b SIP/2.0\r\n" HDRS "CSeq: 1 OPTIONS\r\nX\0Y: 1\r\n\r\n",
	 sizeof("OPTIONS sip:a@b SIP/2.0\r\n" HDRS
		"CSeq: 1 OPTIONS\r\nX\0Y: 1\r\n\r\n") - 1,
	 EBADMSG, 400, "header name"},
	{"OPTIONS sip:a@b SIP/2.0\r\n" HDRS "CSeq: 1 OPTIONS\r\nnocolon\r\n\r\n",
	 0, EBADMSG, 400, "without ':'"},
	{"OPTIONS sip:a@b SIP/2.0\r\n continued\r\n" HDRS
	 "CSeq: 1 OPTIONS\r\n\r\n",
	 0, EBADMSG, 400, "Folded"},
	{"OPTIONS sip:a@b SIP/2.0\r\n" HDRS "CSeq: 1 OPTIONS\r\n", 0, EBADMSG,
	 400, "end of headers"},
	{"OPTIONS sip:a@b SIP/2.0\r\n" HDRS
	 "CSeq: 1 OPTIONS\r\nContact: *\r\nContact: <sip:c@d>\r\n\r\n",
	 0, EBADMSG, 400, "Contact"},
	{"OPTIONS sip:a@b SIP/2.0\r\n" HDRS "CSeq: 1 OPTIONS\r\nRAck: 1 2\r\n\r\n",
	 0, EBADMSG, 400, "RAck"},
	{"OPTIONS sip:a@b SIP/2.0\r\n" HDRS
	 "CSeq: 1 OPTIONS\r\nCall-ID: y\r\n\r\n",
	 0, EBADMSG, 400, "Multiple Call-ID"},
	{"OPTIONS sip:a@b SIP/2.0\r\n" HDRS "CSeq: 1 OPTIONS\r\nVia: ,\r\n\r\n",
	 0, EBADMSG, 400, "Via"},
	{"OPTIONS tel:+1-555-0100 SIP/2.0\r\n" HDRS "CSeq: 1 OPTIONS\r\n\r\n", 0,
	 0, 0, NULL},
	{"OPTIONS sip:a@b SIP/2.0\r\n" HDRS "CSeq: 1\r\n\r\n", 0, EBADMSG, 400,
	 "CSeq"},
	{"OPTIONS sip:a@b SIP/2.0\r\n" HDRS "CSeq: 1 OPTIONS\r\nl: 3\r\n\r\nab",
	 0, EBADMSG, 400, "Content-Length larger"},
	{"OPTIONS sip:a@b HTTP/1.1\r\n" HDRS "CSeq: 1 OPTIONS\r\n\r\n", 0,
	 EBADMSG, 400, "Request-Line"},
	{"OPTIONS sip:a@b SIP/2.1\r\n" HDRS "CSeq: 1 OPTIONS\r\n\r\n", 0,
	 EBADMSG, 505, "SIP/2.1"},
	/* responses: faults are silent drops (scode 0) */
	{"SIP/2.0 200 OK\r\n" HDRS "CSeq: 1 OPTIONS\r\n\r\n", 0, 0, 0, NULL},
	{"SIP/2.0 200\r\n" HDRS "CSeq: 1 OPTIONS\r\n\r\n", 0, 0, 0, NULL},
	{"SIP/2.0 099 Low\r\n" HDRS "CSeq: 1 OPTIONS\r\n\r\n", 0, EBADMSG, 0,
	 "status code"},
	{"SIP/2.0 700 High\r\n" HDRS "CSeq: 1 OPTIONS\r\n\r\n", 0, EBADMSG, 0,
	 "status code"},
	{"SIP/2.0 20x OK\r\n" HDRS "CSeq: 1 OPTIONS\r\n\r\n", 0, EBADMSG, 0,
	 "status code"},
	{"SIP/3.0 200 OK\r\n" HDRS "CSeq: 1 OPTIONS\r\n\r\n", 0, EBADMSG, 0,
	 "version"},
	{"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h\r\nCSeq: 1 OPTIONS\r\n\r\n", 0,
	 EBADMSG, 0, "Missing From"},
	{"SIP/2.0 200 OK\r\n" HDRS "\r\n", 0, EBADMSG, 0, "Missing CSeq"},
	/* the CSeq method of a response may be anything */
	{"SIP/2.0 200 OK\r\n" HDRS "CSeq: 7 BYE\r\n\r\n", 0, 0, 0, NULL},
};

static void test_cases(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct vcase *c = &cases[i];
		size_t len = c->len ? c->len : strlen(c->in);
		struct buf *b = NULL;
		struct sip_msg *m = NULL;
		struct sip_decode_err de;
		REQUIRE(!buf_alloc(&b, len + 1));
		buf_write(b, c->in, len);
		int err = sip_msg_decode_ex(&m, b, &de);
		if (err != c->err || (err && (de.scode != c->scode ||
					      !strstr(de.reason, c->reason))))
			fprintf(stderr, "case %zu: err %d scode %u '%s'\n", i,
				err, de.scode, de.reason);
		CHECK_EQ_INT(err, c->err);
		if (err) {
			CHECK_EQ_INT(de.scode, c->scode);
			CHECK(strstr(de.reason, c->reason) != NULL);
			CHECK(!m);
			obj_deref(de.partial);
		} else {
			CHECK(m && m->hdrc >= 5);
			CHECK(!de.partial);
		}
		obj_deref(m);
		obj_deref(b);
	}
}

static void test_lookup(void)
{
	CHECK_EQ_INT(sip_hdr_lookup("via", 3), SIP_HDR_VIA);
	CHECK_EQ_INT(sip_hdr_lookup("V", 1), SIP_HDR_VIA);
	CHECK_EQ_INT(sip_hdr_lookup("WWW-AUTHENTICATE", 16),
		     SIP_HDR_WWW_AUTHENTICATE);
	CHECK_EQ_INT(sip_hdr_lookup("i", 1), SIP_HDR_CALL_ID);
	CHECK_EQ_INT(sip_hdr_lookup("k", 1), SIP_HDR_SUPPORTED);
	CHECK_EQ_INT(sip_hdr_lookup("o", 1), SIP_HDR_EVENT);
	CHECK_EQ_INT(sip_hdr_lookup("u", 1), SIP_HDR_ALLOW_EVENTS);
	CHECK_EQ_INT(sip_hdr_lookup("r", 1), SIP_HDR_REFER_TO);
	CHECK_EQ_INT(sip_hdr_lookup("Call\rID", 7), SIP_HDR_OTHER);
	CHECK_EQ_INT(sip_hdr_lookup("Call-IDs", 8), SIP_HDR_OTHER);
	CHECK_EQ_INT(sip_hdr_lookup("q", 1), SIP_HDR_OTHER);
	CHECK_EQ_INT(sip_hdr_lookup("1", 1), SIP_HDR_OTHER);
	/* every canonical name maps back to its id */
	for (int id = 1; id < SIP_HDR_COUNT_; id++) {
		const char *n = sip_hdr_name((enum sip_hdr_id)id);
		CHECK_EQ_INT(sip_hdr_lookup(n, strlen(n)), id);
	}
	struct pl inv = PL("INVITE"), low = PL("invite");
	CHECK_EQ_INT(sip_method_lookup(&inv), SIP_METHOD_INVITE);
	CHECK_EQ_INT(sip_method_lookup(&low), SIP_METHOD_OTHER);
	for (int m = 1; m <= SIP_METHOD_MESSAGE; m++) {
		struct pl n = pl_from_str(sip_method_name((enum sip_method)m));
		CHECK_EQ_INT(sip_method_lookup(&n), m);
	}
}

static void test_lists(void)
{
	struct buf *b = sip_test_str(
		"OPTIONS sip:a@b SIP/2.0\r\n" HDRS "CSeq: 1 OPTIONS\r\n"
		"Contact: \"A, B\" <sip:a,b@x;p=1>;q=0.1, <sip:b@y>\r\n"
		"Supported: 100rel,timer , path\r\n"
		"Require: 100rel\r\n"
		"Call-Info: <http://x/a,b>;purpose=icon\r\n"
		"Warning: 399 h \"a, b\"\r\n"
		"Authorization: Digest a=\"1\", b=\"2\"\r\n"
		"Expires: 99999999999\r\n"
		"RSeq: 5\r\nRAck: 5 1 INVITE\r\n"
		"X-Custom: a, b\r\nx-custom: c\r\n\r\n");
	struct sip_msg *m = NULL;
	REQUIRE(b);
	REQUIRE(!sip_msg_decode(&m, b));
	CHECK_EQ_INT(m->contactc, 2);
	CHECK_PL(m->contact.dname, "A, B");
	CHECK_PL(m->contact.auri, "sip:a,b@x;p=1");
	CHECK_EQ_INT(sip_msg_hdr_count(m, SIP_HDR_SUPPORTED), 3);
	CHECK(sip_msg_hdr_has(m, SIP_HDR_SUPPORTED, "TIMER"));
	CHECK(!sip_msg_hdr_has(m, SIP_HDR_SUPPORTED, "replaces"));
	CHECK(m->supported && m->require && m->call_info);
	CHECK_PL(m->call_info->val, "<http://x/a,b>;purpose=icon");
	CHECK_EQ_INT(sip_msg_hdr_count(m, SIP_HDR_WARNING), 1);
	CHECK_EQ_INT(sip_msg_hdr_count(m, SIP_HDR_AUTHORIZATION), 1);
	CHECK_EQ_INT(m->expires, 3600);
	CHECK_EQ_INT(m->rseq, 5);
	CHECK(m->has_rack);
	CHECK_EQ_INT(m->rack.rseq, 5);
	CHECK_EQ_INT(m->rack.cseq, 1);
	CHECK_EQ_INT(m->rack.method, SIP_METHOD_INVITE);
	const struct sip_hdr *x = sip_msg_hdr_name(m, "X-CUSTOM");
	REQUIRE(x);
	CHECK_PL(x->val, "a, b");
	x = sip_msg_hdr_next(m, x);
	REQUIRE(x);
	CHECK_PL(x->val, "c");
	CHECK(!sip_msg_hdr_next(m, x));
	CHECK(!sip_msg_hdr_name(m, "X-Other"));
	CHECK_EQ_INT(m->max_fwd, -1);
	obj_deref(m);
	obj_deref(b);
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_cases);
	RUN(test_lookup);
	RUN(test_lists);
	return harness_done();
}
