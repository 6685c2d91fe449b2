/* test_dialog.c: dialog state: route sets, CSeq rules, target refresh. */
#include <errno.h>

#include "base/buf.h"
#include "harness.h"
#include "ua/dialog/dlg.h"

static struct sip_msg *decode(const char *s)
{
	struct buf *mb;
	struct sip_msg *m = NULL;

	if (buf_alloc(&mb, strlen(s) + 1))
		return NULL;
	buf_write_str(mb, s);
	if (sip_msg_decode(&m, mb))
		m = NULL;
	obj_deref(mb);
	return m;
}

static const char invite[] = "INVITE sip:bob@b.example SIP/2.0\r\n"
			     "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n"
			     "Record-Route: <sip:p2.example;lr>\r\n"
			     "Record-Route: <sip:p1.example;lr>\r\n"
			     "From: Alice <sip:alice@a.example>;tag=ft\r\n"
			     "To: <sip:bob@b.example>\r\n"
			     "Call-ID: call1\r\nCSeq: 10 INVITE\r\n"
			     "Contact: <sip:alice@10.0.0.1:5060>\r\n"
			     "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

static const char ok200[] =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n"
    "Record-Route: <sip:p2.example;lr>, <sip:p1.example;lr>\r\n"
    "From: Alice <sip:alice@a.example>;tag=ft\r\n"
    "To: <sip:bob@b.example>;tag=tt\r\n"
    "Call-ID: call1\r\nCSeq: 10 INVITE\r\n"
    "Contact: <sip:bob@10.0.0.2:5070>\r\nContent-Length: 0\r\n\r\n";

static void test_uac_route_set_reversed_loose_routing(void)
{
	struct sip_msg *req = decode(invite), *resp = decode(ok200), *bye;
	struct dlg *d = NULL;
	struct buf *mb;

	REQUIRE(req && resp);
	REQUIRE(!dlg_alloc_uac(&d, req, resp));
	CHECK_EQ_INT(d->routec, 2);
	CHECK_EQ_STR(d->routev[0], "<sip:p1.example;lr>");
	CHECK_EQ_STR(d->routev[1], "<sip:p2.example;lr>");
	CHECK_EQ_STR(d->rtarget, "sip:bob@10.0.0.2:5070");
	REQUIRE(!buf_alloc(&mb, 512));
	REQUIRE(!dlg_request_print(mb, d, "BYE",
				   "SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK2", 0,
				   NULL, NULL));
	bye = decode((const char *)mb->b);
	REQUIRE(bye);
	CHECK_PL(bye->ruri_pl, "sip:bob@10.0.0.2:5070");
	CHECK_EQ_INT(bye->cseq.num, 11);
	CHECK_PL(bye->from.tag, "ft");
	CHECK_PL(bye->to.tag, "tt");
	const struct sip_hdr *r = sip_msg_hdr(bye, SIP_HDR_ROUTE);
	REQUIRE(r);
	CHECK_PL(r->val, "<sip:p1.example;lr>");
	CHECK(dlg_match(d, resp));
	obj_deref(bye);
	obj_deref(mb);
	obj_deref(d);
	obj_deref(req);
	obj_deref(resp);
}

static void test_strict_route_puts_target_last(void)
{
	static const char rsp[] =
	    "SIP/2.0 200 OK\r\n"
	    "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n"
	    "Record-Route: <sip:strict.example>\r\n"
	    "From: <sip:alice@a.example>;tag=ft\r\n"
	    "To: <sip:bob@b.example>;tag=tt\r\n"
	    "Call-ID: call1\r\nCSeq: 10 INVITE\r\n"
	    "Contact: <sip:bob@10.0.0.2>\r\nContent-Length: 0\r\n\r\n";
	struct sip_msg *req = decode(invite), *resp = decode(rsp), *m;
	struct dlg *d = NULL;
	struct buf *mb;

	REQUIRE(req && resp);
	REQUIRE(!dlg_alloc_uac(&d, req, resp));
	REQUIRE(!buf_alloc(&mb, 512));
	REQUIRE(!dlg_request_print(
	    mb, d, "INFO", "SIP/2.0/UDP h;branch=z9hG4bK3", 0, NULL, NULL));
	m = decode((const char *)mb->b);
	REQUIRE(m);
	CHECK_PL(m->ruri_pl, "sip:strict.example");
	const struct sip_hdr *r = sip_msg_hdr(m, SIP_HDR_ROUTE);
	REQUIRE(r);
	CHECK_PL(r->val, "<sip:bob@10.0.0.2>");
	obj_deref(m);
	obj_deref(mb);
	obj_deref(d);
	obj_deref(req);
	obj_deref(resp);
}

static void test_uas_route_set_in_order_and_cseq_rules(void)
{
	struct sip_msg *req = decode(invite), *lower, *reinv;
	struct dlg *d = NULL;
	uint16_t sc = 0;

	REQUIRE(req);
	REQUIRE(!dlg_alloc_uas(&d, req, "lt"));
	CHECK_EQ_STR(d->routev[0], "<sip:p2.example;lr>");
	CHECK_EQ_STR(d->rtarget, "sip:alice@10.0.0.1:5060");
	lower = decode(
	    "BYE sip:bob@x SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK9\r\n"
	    "From: <sip:alice@a.example>;tag=ft\r\nTo: "
	    "<sip:bob@b.example>;tag=lt\r\n"
	    "Call-ID: call1\r\nCSeq: 9 BYE\r\nContent-Length: 0\r\n\r\n");
	reinv = decode(
	    "INVITE sip:bob@x SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK8\r\n"
	    "From: <sip:alice@a.example>;tag=ft\r\nTo: "
	    "<sip:bob@b.example>;tag=lt\r\n"
	    "Call-ID: call1\r\nCSeq: 11 INVITE\r\n"
	    "Contact: <sip:alice@10.0.0.9>\r\nContent-Length: 0\r\n\r\n");
	REQUIRE(lower && reinv);
	CHECK(dlg_match(d, lower));
	CHECK_EQ_INT(dlg_recv_request(d, lower, &sc), EPROTO);
	CHECK_EQ_INT(sc, 500);
	CHECK_EQ_INT(dlg_recv_request(d, reinv, &sc), 0);
	CHECK_EQ_STR(d->rtarget, "sip:alice@10.0.0.9");
	CHECK_EQ_INT(d->rseq, 11);
	obj_deref(lower);
	obj_deref(reinv);
	obj_deref(d);
	obj_deref(req);
}

static void test_unknown_dialog_not_found(void)
{
	struct sip_msg *req = decode(invite), *other;
	struct dlg *d = NULL;
	struct list l = LIST_INIT;

	REQUIRE(req);
	REQUIRE(!dlg_alloc_uas(&d, req, "lt"));
	list_append(&l, &d->le, d);
	other = decode(
	    "BYE sip:bob@x SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK7\r\n"
	    "From: <sip:alice@a.example>;tag=ft\r\nTo: "
	    "<sip:bob@b.example>;tag=nope\r\n"
	    "Call-ID: call1\r\nCSeq: 12 BYE\r\nContent-Length: 0\r\n\r\n");
	REQUIRE(other);
	CHECK(dlg_find(&l, other) == NULL);
	obj_deref(other);
	list_flush(&l);
	obj_deref(req);
}

static void test_uac_needs_to_tag(void)
{
	struct sip_msg *req = decode(invite), *r;
	struct dlg *d = NULL;

	r = decode(
	    "SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP "
	    "10.0.0.1;branch=z9hG4bK1\r\n"
	    "From: <sip:alice@a.example>;tag=ft\r\nTo: <sip:bob@b.example>\r\n"
	    "Call-ID: call1\r\nCSeq: 10 INVITE\r\nContent-Length: 0\r\n\r\n");
	REQUIRE(req && r);
	CHECK_EQ_INT(dlg_alloc_uac(&d, req, r), EINVAL);
	obj_deref(r);
	obj_deref(req);
}

int main(void)
{
	harness_watchdog(10);
	RUN(test_uac_route_set_reversed_loose_routing);
	RUN(test_strict_route_puts_target_last);
	RUN(test_uas_route_set_in_order_and_cseq_rules);
	RUN(test_unknown_dialog_not_found);
	RUN(test_uac_needs_to_tag);
	return harness_done();
}
