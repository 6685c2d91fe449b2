/* test_sess_tcp.c: a call over TCP (ua/tp): no retransmissions, the
 * callee's requests go back over the caller's connection. */
#include "sess_fix.h"

static void test_call_over_tcp_callee_hangs_up(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	const char *inv, *bye;
	char v[128];

	REQUIRE(!fix_open(&f, 2, true));
	REQUIRE(!fix_ua_tcp(&f, a));
	REQUIRE(!fix_ua_tcp(&f, b));
	b->act = FIX_RING_ANSWER;
	CHECK_EQ_INT(sess_connect(&a->s, a->sl, b->uri, &a->o, &fix_h, a), 0);
	CHECK(fix_run(&f, &b->nestablished, 1));
	CHECK(fix_run(&f, &a->nestablished, 1));
	if (!b->nestablished) {
		fix_dump(a);
		fix_dump(b);
	}
	inv = fix_sent(a, "INVITE ", 0);
	REQUIRE(inv);
	CHECK(!strncmp(fix_hdr(inv, "Via", v, sizeof(v)), "SIP/2.0/TCP ", 12));
	CHECK(strstr(fix_hdr(inv, "Contact", v, sizeof(v)), ";transport=tcp>"));
	/* 18x over a reliable transport: still PRACKed, never resent */
	fix_settle(&f, 10); /* the 200 for the PRACK is on its way */
	loop_advance(f.loop, 40000);
	fix_settle(&f, 5);
	CHECK_EQ_INT(fix_count(b, "SIP/2.0 180"), 1);
	CHECK_EQ_INT(fix_count(a, "INVITE "), 1);
	CHECK_EQ_INT(fix_count(a, "PRACK "), 1);
	CHECK_EQ_INT(a->nclose + b->nclose, 0);
	fix_hangup(&f, b, a);
	CHECK(fix_run(&f, &b->nclose, 1));
	bye = fix_sent(b, "BYE ", 0);
	CHECK(bye &&
	      !strncmp(fix_hdr(bye, "Via", v, sizeof(v)), "SIP/2.0/TCP ", 12));
	CHECK_EQ_INT(b->how, SESS_END_LOCAL);
	CHECK_EQ_INT(b->close_scode, 200);
	CHECK_EQ_INT(tp_conn_count(a->tp) + tp_conn_count(b->tp), 2);
	fix_close(&f);
}

int main(void)
{
	harness_watchdog(60);
	RUN(test_call_over_tcp_callee_hangs_up);
	return harness_done();
}
