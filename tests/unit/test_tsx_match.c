/* test_tsx_match.c: transaction matching: duplicates, CANCEL, merged, Via. */
#include <arpa/inet.h>
#include <netinet/in.h>

#include "harness.h"
#include "tsx_fixture.h"
#include "ua/sip/print.h"

static struct tsx *g_inv;
static int g_cancel_found;

static void reply_200(struct tsx_layer *tl, const struct sip_msg *msg,
		      const struct tsx_addr *src, void *arg)
{
	struct tsx *t;

	(void)arg;
	if (!tsx_server_alloc(&t, tl, msg, src))
		tsx_reply(t, 200, NULL, "tt", NULL, NULL);
}

static void uas_ringing(struct tsx_layer *tl, const struct sip_msg *msg,
			const struct tsx_addr *src, void *arg);

/* A sends @p method (CSeq 1) and the network delivers it twice, as a
   retransmission would; B's transactions answer with @p reqh */
static int send_twice(struct fix *f, tsx_req_h *reqh, const char *method,
		      const char *branch, const char *callid)
{
	int err = fix_init(f, TSX_TP_UDP);

	if (err)
		return err;
	f->reqh_b = reqh;
	f->a.dup = true;
	err = fix_send(f, fix_req(method, branch, 1, callid, NULL), NULL);
	if (!err)
		loop_advance(f->loop, 0);
	return err;
}

static void test_duplicate_request_absorbed_last_response_resent(void)
{
	struct fix f;

	REQUIRE(!send_twice(&f, reply_200, "OPTIONS", "z9hG4bKd1", "d1"));
	CHECK_EQ_INT(f.nreq_b, 1);
	CHECK_EQ_INT(netsim_count(&f.b, "SIP/2.0 200"), 2);
	CHECK_EQ_INT(f.nresp, 1);
	CHECK_EQ_INT(f.last_scode, 200);
	/* a late retransmission inside timer J still gets the 200 */
	loop_advance(f.loop, 500);
	CHECK_EQ_INT(netsim_count(&f.a, "OPTIONS"), 1 + 0);
	CHECK_EQ_INT(f.nreq_b, 1);
	/* J = 64*T1, K = T4: both gone after that */
	loop_advance(f.loop, 32000);
	CHECK_EQ_INT(tsx_layer_count(f.tla), 0);
	CHECK_EQ_INT(tsx_layer_count(f.tlb), 0);
	fix_close(&f);
}

static void test_rfc2543_retransmission_matched_without_cookie(void)
{
	struct fix f;

	/* a branch without the z9hG4bK cookie: RFC 2543 matching */
	REQUIRE(!send_twice(&f, reply_200, "OPTIONS", "old1", "r1"));
	CHECK_EQ_INT(f.nreq_b, 1);
	CHECK_EQ_INT(netsim_count(&f.b, "SIP/2.0 200"), 2);
	loop_advance(f.loop, 40000);
	fix_close(&f);
}

static void test_duplicate_invite_gets_provisional_again(void)
{
	struct fix f;

	REQUIRE(!send_twice(&f, uas_ringing, "INVITE", "z9hG4bKd2", "d2"));
	CHECK_EQ_INT(f.nreq_b, 1);
	CHECK_EQ_INT(netsim_count(&f.b, "SIP/2.0 180"), 2);
	tsx_reply(g_inv, 603, NULL, "tt", NULL, NULL);
	loop_advance(f.loop, 40000);
	CHECK_EQ_INT(tsx_layer_count(f.tlb), 0);
	fix_close(&f);
}

static void uas_ringing(struct tsx_layer *tl, const struct sip_msg *msg,
			const struct tsx_addr *src, void *arg)
{
	struct tsx *t, *inv;

	(void)arg;
	if (msg->method == SIP_METHOD_INVITE) {
		if (!tsx_server_alloc(&g_inv, tl, msg, src))
			tsx_reply(g_inv, 180, NULL, "tt", NULL, NULL);
		return;
	}
	if (msg->method != SIP_METHOD_CANCEL)
		return;
	inv = tsx_cancel_target(tl, msg);
	if (!tsx_server_alloc(&t, tl, msg, src))
		tsx_reply(t, inv ? 200 : 481, NULL, "tt", NULL, NULL);
	if (inv) {
		g_cancel_found++;
		tsx_reply(inv, 487, NULL, "tt", NULL, NULL);
	}
}

static int g_cancel_scode;
static void cancel_resph(int err, const struct sip_msg *msg, void *arg)
{
	(void)arg;
	g_cancel_scode = err ? 0 : msg->scode;
}

/* A sends the CANCEL @p cb (consumed) to B, answers to cancel_resph */
static int send_cancel(struct fix *f, struct buf *cb)
{
	struct tsx_addr dst;
	int err;

	netsim_ep_addr(&f->b, &dst);
	err = tsx_request(NULL, f->tla, cb, &dst, cancel_resph, NULL);
	obj_deref(cb);
	loop_advance(f->loop, 0);
	return err;
}

static void test_cancel_matches_invite_server_transaction(void)
{
	struct fix f;
	struct tsx *inv;
	struct buf *cb;

	REQUIRE(!fix_init(&f, TSX_TP_UDP));
	g_cancel_found = 0;
	f.reqh_b = uas_ringing;
	REQUIRE(!fix_send(&f, fix_req("INVITE", "z9hG4bKc1", 7, "cc1", NULL),
			  &inv));
	loop_advance(f.loop, 0);
	CHECK_EQ_INT(f.last_scode, 180);
	REQUIRE(!buf_alloc(&cb, 256));
	REQUIRE(!tsx_cancel_print(cb, inv));
	REQUIRE(!send_cancel(&f, cb));
	CHECK_EQ_INT(g_cancel_found, 1);
	CHECK_EQ_INT(g_cancel_scode, 200);
	CHECK_EQ_INT(f.last_scode, 487);
	CHECK_EQ_INT(netsim_count(&f.a, "ACK"), 1);
	loop_advance(f.loop, 40000);
	CHECK_EQ_INT(tsx_layer_count(f.tla), 0);
	CHECK_EQ_INT(tsx_layer_count(f.tlb), 0);
	fix_close(&f);
}

static void test_cancel_for_unknown_invite_finds_nothing(void)
{
	struct fix f;

	REQUIRE(!fix_init(&f, TSX_TP_UDP));
	g_cancel_found = 0;
	g_cancel_scode = 0;
	f.reqh_b = uas_ringing;
	struct buf *cb = fix_req("CANCEL", "z9hG4bKnone", 7, "cc2", NULL);
	REQUIRE(cb);
	REQUIRE(!send_cancel(&f, cb));
	CHECK_EQ_INT(g_cancel_found, 0);
	CHECK_EQ_INT(g_cancel_scode, 481);
	fix_close(&f);
}

static void uas_silent(struct tsx_layer *tl, const struct sip_msg *msg,
		       const struct tsx_addr *src, void *arg)
{
	struct tsx *t;

	(void)arg;
	(void)tsx_server_alloc(&t, tl, msg, src);
}

static void test_merged_request_gets_482(void)
{
	struct fix f;

	REQUIRE(!fix_init(&f, TSX_TP_UDP));
	f.reqh_b = uas_silent;
	REQUIRE(!fix_send(&f, fix_req("OPTIONS", "z9hG4bKm1", 3, "m1", NULL),
			  NULL));
	REQUIRE(!fix_send(&f, fix_req("OPTIONS", "z9hG4bKm2", 3, "m1", NULL),
			  NULL));
	loop_advance(f.loop, 0);
	CHECK_EQ_INT(f.nreq_b, 1);
	CHECK_EQ_INT(netsim_count(&f.b, "SIP/2.0 482"), 1);
	CHECK_EQ_INT(f.last_scode, 482);
	/* another CSeq in the same call is not merged */
	REQUIRE(!fix_send(&f, fix_req("OPTIONS", "z9hG4bKm3", 4, "m1", NULL),
			  NULL));
	loop_advance(f.loop, 0);
	CHECK_EQ_INT(f.nreq_b, 2);
	loop_advance(f.loop, 40000);
	fix_close(&f);
}

static int decode(struct sip_msg **msgp, const char *text)
{
	struct buf *mb;
	int err = buf_alloc(&mb, 512);

	if (err)
		return err;
	buf_write(mb, text, strlen(text));
	err = sip_msg_decode(msgp, mb);
	obj_deref(mb);
	return err;
}

static void test_response_via_gets_received_and_rport(void)
{
	struct fix f;
	struct sip_msg *req = NULL, *resp = NULL;
	struct tsx_addr src;
	static const char rq[] =
	    "OPTIONS sip:bob@10.0.0.2 SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP host.invalid:5999;branch=z9hG4bKv1;rport\r\n"
	    "Via: SIP/2.0/UDP 10.9.9.9;branch=z9hG4bKv0\r\n"
	    "From: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: v1\r\n"
	    "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

	REQUIRE(!fix_init(&f, TSX_TP_UDP));
	REQUIRE(!decode(&req, rq));
	netsim_ep_addr(&f.a, &src); /* 10.0.0.1:5060 */
	REQUIRE(!tsx_reply_stateless(f.tlb, req, &src, 501, NULL, "x", NULL));
	REQUIRE(f.b.raw_last);
	REQUIRE(!sip_msg_decode(&resp, f.b.raw_last));
	CHECK_EQ_INT(resp->scode, 501);
	CHECK_PL(resp->via.received, "10.0.0.1");
	CHECK_EQ_INT(resp->via.rport_val, 5060);
	CHECK_PL(resp->via.branch, "z9hG4bKv1");
	CHECK_EQ_INT(resp->viac, 2);
	CHECK_PL(resp->to.tag, "x");
	/* it went to the source port (rport), so A logged nothing missing */
	CHECK_EQ_INT(f.b.nlog, 1);
	obj_deref(resp);
	obj_deref(req);
	loop_advance(f.loop, 0);
	fix_close(&f);
}

static void test_response_without_rport_goes_to_via_port(void)
{
	struct sip_msg *req = NULL;
	struct tsx_addr src = {0}, dst;
	struct sockaddr_in *sin = (struct sockaddr_in *)&src.sa;
	static const char rq[] =
	    "OPTIONS sip:bob@10.0.0.2 SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bKv2\r\n"
	    "From: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: v2\r\n"
	    "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

	REQUIRE(!decode(&req, rq));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(40000);
	tsx_response_dst(&dst, req, &src);
	CHECK_EQ_INT(ntohs(((struct sockaddr_in *)&dst.sa)->sin_port), 5070);
	src.tp = TSX_TP_TCP;
	tsx_response_dst(&dst, req, &src);
	CHECK_EQ_INT(ntohs(((struct sockaddr_in *)&dst.sa)->sin_port), 40000);
	obj_deref(req);
}

static void test_branch_is_random_and_magic(void)
{
	char a[40], b[40];

	REQUIRE(!tsx_branch_new(a, sizeof(a)));
	REQUIRE(!tsx_branch_new(b, sizeof(b)));
	CHECK(!strncmp(a, "z9hG4bK", 7));
	CHECK_EQ_INT(strlen(a), 29);
	CHECK(strcmp(a, b));
	CHECK_EQ_INT(tsx_branch_new(a, 10), EINVAL);
}

int main(void)
{
	harness_watchdog(20);
	RUN(test_duplicate_request_absorbed_last_response_resent);
	RUN(test_rfc2543_retransmission_matched_without_cookie);
	RUN(test_duplicate_invite_gets_provisional_again);
	RUN(test_cancel_matches_invite_server_transaction);
	RUN(test_cancel_for_unknown_invite_finds_nothing);
	RUN(test_merged_request_gets_482);
	RUN(test_response_via_gets_received_and_rport);
	RUN(test_response_without_rport_goes_to_via_port);
	RUN(test_branch_is_random_and_magic);
	return harness_done();
}
