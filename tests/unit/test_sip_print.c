/* test_sip_print.c: printer round trips, responses, and stream framing. */
#include <errno.h>

#include "harness.h"
#include "sip_util.h"
#include "ua/sip/msg.h"
#include "ua/sip/print.h"

static const char *const rt_files[] = {
	"rfc4475/3.1.1.1-wsinv.dat",	   "rfc4475/3.1.1.2-intmeth.dat",
	"rfc4475/3.1.1.3-esc01.dat",	   "rfc4475/3.1.1.4-escnull.dat",
	"rfc4475/3.1.1.5-esc02.dat",	   "rfc4475/3.1.1.6-lwsdisp.dat",
	"rfc4475/3.1.1.7-longreq.dat",	   "rfc4475/3.1.1.9-semiuri.dat",
	"rfc4475/3.1.1.10-transports.dat", "rfc4475/3.1.1.11-mpart01.dat",
	"rfc4475/3.1.1.12-unreason.dat",   "rfc4475/3.1.1.13-noreason.dat",
	"rfc4475/3.3.4-unksm2.dat",	   "rfc4475/3.4.1-inv2543.dat",
	"rfc5118/4.7-mult-ip-in-header.dat",
};

static bool pl_eq(const struct pl *a, const struct pl *b)
{
	return !pl_cmp(a, b);
}

/* decode -> print -> decode gives the same fields. */
static void test_roundtrip(void)
{
	for (size_t i = 0; i < sizeof(rt_files) / sizeof(*rt_files); i++) {
		struct buf *b = sip_test_load(rt_files[i]), *out = NULL;
		struct sip_msg *m = NULL, *m2 = NULL;
		REQUIRE(b);
		REQUIRE(!buf_alloc(&out, 1024));
		CHECK_EQ_INT(sip_msg_decode(&m, b), 0);
		if (m && !sip_msg_print(out, m) && !sip_msg_decode(&m2, out)) {
			CHECK_EQ_INT(m2->req, m->req);
			CHECK(pl_eq(&m2->met, &m->met));
			CHECK(sip_uri_cmp(&m2->ruri, &m->ruri) || !m->req);
			CHECK_EQ_INT(m2->scode, m->scode);
			CHECK(pl_eq(&m2->reason, &m->reason));
			CHECK(pl_eq(&m2->callid, &m->callid));
			CHECK_EQ_INT(m2->cseq.num, m->cseq.num);
			CHECK(pl_eq(&m2->from.tag, &m->from.tag));
			CHECK(sip_uri_cmp(&m2->to.uri, &m->to.uri));
			CHECK_EQ_INT(m2->viac, m->viac);
			CHECK(pl_eq(&m2->via.branch, &m->via.branch));
			CHECK_EQ_INT(m2->contactc, m->contactc);
			CHECK_EQ_INT(m2->max_fwd, m->max_fwd);
			CHECK(pl_eq(&m2->body, &m->body));
			size_t n1 = m->hdrc, n2 = m2->hdrc, j2 = 0;
			n1 -= sip_msg_hdr_count(m, SIP_HDR_CONTENT_LENGTH);
			n2 -= sip_msg_hdr_count(m2, SIP_HDR_CONTENT_LENGTH);
			CHECK_EQ_INT(n1, n2);
			for (size_t j = 0; j < m->hdrc && j2 < m2->hdrc; j++) {
				if (m->hdrv[j].id == SIP_HDR_CONTENT_LENGTH)
					continue;
				if (m2->hdrv[j2].id == SIP_HDR_CONTENT_LENGTH)
					j2++;
				CHECK(pl_eq(&m->hdrv[j].val, &m2->hdrv[j2].val));
				j2++;
			}
			/* printing is stable */
			struct buf *out2 = NULL;
			REQUIRE(!buf_alloc(&out2, 1024));
			CHECK_EQ_INT(sip_msg_print(out2, m2), 0);
			CHECK(out2->end == out->end &&
			      !memcmp(out2->b, out->b, out->end));
			obj_deref(out2);
		} else {
			fprintf(stderr, "%s: round trip failed\n", rt_files[i]);
			CHECK(false);
		}
		obj_deref(m2);
		obj_deref(m);
		obj_deref(out);
		obj_deref(b);
	}
}

static const char invite[] =
	"INVITE sip:bob@example.com SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport\r\n"
	"Via: SIP/2.0/TCP proxy.example.com;branch=z9hG4bK2, "
	"SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bK3;received=192.0.2.9\r\n"
	"Record-Route: <sip:proxy.example.com;lr>\r\n"
	"From: \"Alice\" <sip:alice@example.com>;tag=a1\r\n"
	"To: <sip:bob@example.com>\r\n"
	"Call-ID: c1@192.0.2.1\r\n"
	"CSeq: 4711 INVITE\r\n"
	"Contact: <sip:alice@192.0.2.1:5060>\r\n"
	"Max-Forwards: 70\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 4\r\n"
	"\r\n"
	"v=0\n";

static void test_response(void)
{
	struct buf *b = sip_test_str(invite), *out = NULL;
	struct sip_msg *req = NULL, *rsp = NULL;
	REQUIRE(b);
	REQUIRE(!sip_msg_decode(&req, b));
	CHECK_EQ_INT(req->viac, 3);
	CHECK_EQ_INT(req->via.port, 5060);
	CHECK(req->via.rport);
	CHECK_EQ_INT(req->via.rport_val, 0);
	REQUIRE(!buf_alloc(&out, 256));
	struct pl tag = PL("b2"), body = PL("hello");
	CHECK_EQ_INT(sip_print_response(out, req, 180, NULL, &tag,
					"Contact: <sip:bob@192.0.2.2>\n"
					"Content-Type: text/plain\n",
					&body),
		     0);
	CHECK(!memcmp(out->b, "SIP/2.0 180 Ringing\r\n", 21));
	REQUIRE(!sip_msg_decode(&rsp, out));
	CHECK(!rsp->req);
	CHECK_EQ_INT(rsp->scode, 180);
	CHECK_PL(rsp->reason, "Ringing");
	CHECK_EQ_INT(rsp->viac, 3);
	CHECK_PL(rsp->via.branch, "z9hG4bK1");
	const struct sip_hdr *v3 = sip_msg_hdr(rsp, SIP_HDR_VIA);
	v3 = sip_msg_hdr_next(rsp, sip_msg_hdr_next(rsp, v3));
	REQUIRE(v3);
	CHECK_PL(v3->val, "SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bK3;"
			  "received=192.0.2.9");
	const struct sip_hdr *rr = sip_msg_hdr(rsp, SIP_HDR_RECORD_ROUTE);
	REQUIRE(rr);
	CHECK_PL(rr->val, "<sip:proxy.example.com;lr>");
	CHECK_PL(rsp->from.tag, "a1");
	CHECK_PL(rsp->from.dname, "Alice");
	CHECK_PL(rsp->to.tag, "b2");
	CHECK_PL(rsp->callid, "c1@192.0.2.1");
	CHECK_EQ_INT(rsp->cseq.num, 4711);
	CHECK_EQ_INT(rsp->cseq.method, SIP_METHOD_INVITE);
	CHECK_PL(rsp->body, "hello");
	CHECK_EQ_INT(rsp->clen, 5);
	CHECK_PL(rsp->ctype, "text/plain");
	CHECK_PL(rsp->contact.uri.user, "bob");
	rsp = obj_deref(rsp);

	/* 100 without a tag: To unchanged, no Record-Route */
	buf_reset(out);
	CHECK_EQ_INT(sip_print_response(out, req, 100, "Trying", NULL, NULL,
					NULL),
		     0);
	REQUIRE(!sip_msg_decode(&rsp, out));
	CHECK_PL(rsp->to.tag, "");
	CHECK(!sip_msg_hdr(rsp, SIP_HDR_RECORD_ROUTE));
	CHECK_EQ_INT(rsp->clen, 0);
	CHECK(rsp->has_clen);
	rsp = obj_deref(rsp);

	buf_reset(out);
	CHECK_EQ_INT(sip_print_response(out, req, 99, NULL, NULL, NULL, NULL),
		     EINVAL);
	CHECK_EQ_INT(sip_print_response(out, req, 200, NULL, NULL,
					"Content-Length: 3\n", NULL),
		     EINVAL);
	CHECK_EQ_INT(out->end, 0);
	obj_deref(out);
	obj_deref(req);
	obj_deref(b);
}

static void test_request(void)
{
	struct buf *out = NULL;
	struct sip_msg *m = NULL;
	REQUIRE(!buf_alloc(&out, 256));
	struct pl ruri = PL("sip:registrar.example.com"), body = PL("x");
	CHECK_EQ_INT(sip_print_request(out, "REGISTER", &ruri,
				       "Via: SIP/2.0/UDP h;branch=z9hG4bKr\n"
				       "From: <sip:a@example.com>;tag=f\r\n"
				       "To: <sip:a@example.com>\n"
				       "Call-ID: r1\n"
				       "CSeq: 1 REGISTER\n"
				       "Expires: 600\n",
				       &body),
		     0);
	/* strict: every line ends in CRLF */
	for (size_t i = 0; i < out->end; i++)
		if (out->b[i] == '\n')
			CHECK(i > 0 && out->b[i - 1] == '\r');
	REQUIRE(!sip_msg_decode(&m, out));
	CHECK_EQ_INT(m->method, SIP_METHOD_REGISTER);
	CHECK_PL(m->ruri.host, "registrar.example.com");
	CHECK_EQ_INT(m->expires, 600);
	CHECK_PL(m->body, "x");
	CHECK_PL(m->from.tag, "f");
	obj_deref(m);
	buf_reset(out);
	struct pl bad = PL("sip:a b");
	CHECK_EQ_INT(sip_print_request(out, "INVITE", &bad, NULL, NULL),
		     EINVAL);
	CHECK_EQ_INT(sip_print_request(out, "IN VITE", &ruri, NULL, NULL),
		     EINVAL);
	CHECK_EQ_INT(out->end, 0);
	obj_deref(out);
}

static void test_frame(void)
{
	size_t len = strlen(invite), n = 0, sk = 0;

	/* byte by byte: ENODATA until complete */
	for (size_t i = 0; i < len; i++)
		CHECK_EQ_INT(sip_msg_frame(invite, i, 65535, &n), ENODATA);
	CHECK_EQ_INT(sip_msg_frame(invite, len, 65535, &n), 0);
	CHECK_EQ_INT(n, len);

	/* two back to back, with CRLF keep-alives in front */
	char two[2048];
	snprintf(two, sizeof(two), "\r\n\r\n%s%s", invite, invite);
	CHECK_EQ_INT(sip_msg_frame_ex(two, strlen(two), 65535, &n, &sk), 0);
	CHECK_EQ_INT(sk, 4);
	CHECK_EQ_INT(n, 4 + len);
	CHECK_EQ_INT(sip_msg_frame(two + n, strlen(two) - n, 65535, &n), 0);
	CHECK_EQ_INT(n, len);

	/* stream use: frame, then decode each message from one buffer */
	struct buf *sb = sip_test_str(two);
	REQUIRE(sb);
	for (int k = 0; k < 2; k++) {
		struct sip_msg *m = NULL;
		size_t start = sb->pos;
		CHECK_EQ_INT(sip_msg_frame((char *)sb->b + sb->pos,
					   sb->end - sb->pos, 65535, &n),
			     0);
		CHECK_EQ_INT(sip_msg_decode(&m, sb), 0);
		CHECK_EQ_INT(sb->pos - start, n);
		CHECK(m && m->cseq.num == 4711 && m->body.l == 4);
		obj_deref(m);
	}
	CHECK_EQ_INT(sb->pos, sb->end);
	obj_deref(sb);

	/* keep-alives alone; a lone CR waits for its LF */
	CHECK_EQ_INT(sip_msg_frame_ex("\r\n\r\n", 4, 65535, &n, &sk), 0);
	CHECK_EQ_INT(n, 4);
	CHECK_EQ_INT(sk, 4);
	CHECK_EQ_INT(sip_msg_frame("\r\n\r", 3, 65535, &n), ENODATA);
	CHECK_EQ_INT(sip_msg_frame("", 0, 65535, &n), ENODATA);

	/* oversize, missing, duplicate or bad Content-Length */
	CHECK_EQ_INT(sip_msg_frame(invite, len, 100, &n), EBADMSG);
	static const char *const bad[] = {
		"OPTIONS sip:a SIP/2.0\r\nVia: x\r\n\r\n",
		"OPTIONS sip:a SIP/2.0\r\nl: 1\r\nContent-Length: 1\r\n\r\nx",
		"OPTIONS sip:a SIP/2.0\r\nContent-Length: -1\r\n\r\n",
		"OPTIONS sip:a SIP/2.0\r\nContent-Length: five\r\n\r\n",
		"OPTIONS sip:a SIP/2.0\r\nContent-Length: 99999999999\r\n\r\n",
		"OPTIONS sip:a SIP/2.0\r\nContent-Length: 70000\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		CHECK_EQ_INT(sip_msg_frame(bad[i], strlen(bad[i]), 65535, &n),
			     EBADMSG);
	/* a head that never ends beyond max_size */
	char big[300];
	memset(big, 'a', sizeof(big));
	CHECK_EQ_INT(sip_msg_frame(big, sizeof(big), 200, &n), EBADMSG);
	CHECK_EQ_INT(sip_msg_frame(big, sizeof(big), 400, &n), ENODATA);
	/* compact form and folded lines */
	const char *c = "OPTIONS sip:a SIP/2.0\r\nSubject: a\r\n b\r\n"
			"l :  2\r\n\r\nxyEXTRA";
	CHECK_EQ_INT(sip_msg_frame(c, strlen(c), 65535, &n), 0);
	CHECK_EQ_INT(n, strlen(c) - 5);
}

static void test_limits(void)
{
	/* more header values than the limit */
	struct buf *b = NULL;
	struct sip_msg *m = NULL;
	struct sip_decode_err de;
	REQUIRE(!buf_alloc(&b, 8192));
	buf_write_str(b, "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n"
			 "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\n"
			 "Call-ID: x\r\nCSeq: 1 OPTIONS\r\n");
	for (int i = 0; i < SIP_MSG_MAX_HDRS; i++)
		buf_write_str(b, "X-A: 1\r\n");
	buf_write_str(b, "\r\n");
	CHECK_EQ_INT(sip_msg_decode_ex(&m, b, &de), EBADMSG);
	CHECK_EQ_INT(de.scode, 400);
	CHECK(strstr(de.reason, "Too many") != NULL);
	obj_deref(de.partial);
	obj_deref(b);

	/* overflow of the inline array still works, then alloc failure */
	static const char *const ints[][2] = {
		{"Max-Forwards: 256", "Max-Forwards"},
		{"CSeq: 4294967296 OPTIONS", "CSeq"},
		{"Content-Length: 4294967296", "Content-Length"},
		{"RSeq: 0", "RSeq"},
	};
	for (size_t i = 0; i < sizeof(ints) / sizeof(*ints); i++) {
		char msg[512];
		snprintf(msg, sizeof(msg),
			 "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n"
			 "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\n"
			 "Call-ID: x\r\n%s%s\r\n\r\n",
			 strncmp(ints[i][0], "CSeq", 4) ? "CSeq: 1 OPTIONS\r\n"
							: "",
			 ints[i][0]);
		b = sip_test_str(msg);
		REQUIRE(b);
		CHECK_EQ_INT(sip_msg_decode_ex(&m, b, &de), EBADMSG);
		CHECK_EQ_INT(de.scode, 400);
		CHECK(strstr(de.reason, ints[i][1]) != NULL);
		obj_deref(de.partial);
		obj_deref(b);
	}

	/* CSeq at the limit is fine; 41 values overflow the inline array */
	REQUIRE(!buf_alloc(&b, 4096));
	buf_write_str(b, "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n"
			 "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\n"
			 "Call-ID: x\r\nCSeq: 4294967295 OPTIONS\r\n");
	for (int i = 0; i < 50; i++)
		buf_write_str(b, "Route: <sip:r1;lr>, <sip:r2;lr>\r\n");
	buf_write_str(b, "\r\n");
	for (size_t n = 1; n < 5; n++) {
		b->pos = 0;
		obj_fail_after(n);
		int err = sip_msg_decode(&m, b);
		obj_fail_after(0);
		CHECK(err == ENOMEM || err == 0);
		if (!err) {
			CHECK_EQ_INT(m->cseq.num, 4294967295u);
			CHECK_EQ_INT(sip_msg_hdr_count(m, SIP_HDR_ROUTE), 100);
			m = obj_deref(m);
		}
	}
	obj_deref(b);
}

/* Size limit: trailing bytes past a small message are fine, a message
 * above SIP_MSG_MAX_SIZE gets 513. */
static void test_size_limit(void)
{
	static const char head[] =
		"MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n"
		"From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\n"
		"Call-ID: x\r\nCSeq: 1 MESSAGE\r\nContent-Length: %u\r\n\r\n";
	struct sip_decode_err de;
	struct sip_msg *m = NULL;
	struct buf *b = NULL;
	char h[256];
	REQUIRE(!buf_alloc(&b, 80000));
	snprintf(h, sizeof(h), head, 5u);
	buf_write_str(b, h);
	memset(b->b + b->end, 'x', 70000);
	b->end += 70000;
	CHECK_EQ_INT(sip_msg_decode_ex(&m, b, &de), 0);
	CHECK_EQ_INT(m ? m->body.l : 0, 5);
	CHECK_EQ_INT(b->pos, strlen(h) + 5);
	m = obj_deref(m);

	buf_reset(b);
	snprintf(h, sizeof(h), head, 66000u);
	buf_write_str(b, h);
	memset(b->b + b->end, 'x', 66000);
	b->end += 66000;
	CHECK_EQ_INT(sip_msg_decode_ex(&m, b, &de), EBADMSG);
	CHECK_EQ_INT(de.scode, 513);
	obj_deref(de.partial);
	obj_deref(b);
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_roundtrip);
	RUN(test_response);
	RUN(test_request);
	RUN(test_frame);
	RUN(test_limits);
	RUN(test_size_limit);
	return harness_done();
}
