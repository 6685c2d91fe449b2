/* test_sess_prack.c: reliable provisional responses (RFC 3262) checked on
 * the wire, 100rel off, 420, and the session timers on the fake clock:
 * 18x retransmission, no PRACK -> 500, no ACK -> BYE. */
#include "sess_fix.h"

static unsigned hdr_u(const char *m, const char *name)
{
	char v[64];

	return (unsigned)strtoul(fix_hdr(m, name, v, sizeof(v)), NULL, 10);
}

static void test_prack_flow_on_the_wire(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	const char *inv, *r180, *r183, *p1, *p2;
	char v[64], want[64];
	unsigned rseq;

	REQUIRE(!fix_open(&f, 2, false));
	fix_ringing(&f, a, b);
	fix_settle(&f, 5);
	CHECK(sess_rel100_active(b->s));
	inv = fix_sent(a, "INVITE ", 0);
	CHECK(strstr(fix_hdr(inv, "Supported", v, sizeof(v)), "100rel"));
	CHECK(!strstr(inv, "Require:"));
	r180 = fix_sent(b, "SIP/2.0 180", 0);
	REQUIRE(r180);
	CHECK_EQ_STR(fix_hdr(r180, "Require", v, sizeof(v)), "100rel");
	rseq = hdr_u(r180, "RSeq");
	CHECK(rseq >= 1);
	p1 = fix_sent(a, "PRACK ", 0);
	REQUIRE(p1);
	snprintf(want, sizeof(want), "%u 1 INVITE", rseq);
	CHECK_EQ_STR(fix_hdr(p1, "RAck", v, sizeof(v)), want);
	CHECK(fix_resp(b, "SIP/2.0 200", "PRACK") != NULL);

	CHECK_EQ_INT(sess_progress(b->s), 0);
	CHECK(fix_run(&f, &a->nprogress, 2));
	fix_settle(&f, 5);
	r183 = fix_sent(b, "SIP/2.0 183", 0);
	REQUIRE(r183);
	CHECK_EQ_INT(hdr_u(r183, "RSeq"), rseq + 1);
	CHECK(strstr(r183, "v=0 answer") != NULL);
	p2 = fix_sent(a, "PRACK ", 1);
	REQUIRE(p2);
	snprintf(want, sizeof(want), "%u 1 INVITE", rseq + 1);
	CHECK_EQ_STR(fix_hdr(p2, "RAck", v, sizeof(v)), want);
	CHECK(hdr_u(p2, "CSeq") > hdr_u(p1, "CSeq"));
	CHECK_EQ_STR(a->answer_got, "v=0 answer");

	fix_answer(&f, b, a);
	CHECK_EQ_INT(fix_count(a, "PRACK "), 2);
	fix_hangup(&f, a, b);
	fix_close(&f);
}

static void test_retransmitted_18x_gets_one_prack(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	int i, n;

	REQUIRE(!fix_open(&f, 2, true));
	b->act = FIX_RING;
	fix_call(a, b);
	/* bob answers the INVITE with 180 before alice reads anything;
	   then T1 passes, so bob sends the 180 again */
	for (i = 0; i < 100 && !b->nincoming; i++)
		loop_poll(f.loop, 5);
	CHECK_EQ_INT(b->nincoming, 1);
	loop_advance(f.loop, 500);
	CHECK(fix_count(b, "SIP/2.0 180") >= 2);
	CHECK(fix_run(&f, &a->nprogress, 1));
	fix_settle(&f, 10);
	CHECK_EQ_INT(a->nprogress, 1);
	CHECK_EQ_INT(fix_count(a, "PRACK "), 1);
	n = fix_count(b, "SIP/2.0 180");
	loop_advance(f.loop, 5000);
	fix_settle(&f, 5);
	CHECK_EQ_INT(fix_count(b, "SIP/2.0 180"), n); /* PRACKed: no more */
	fix_hangup(&f, a, b);
	fix_close(&f);
}

static void test_100rel_off_never_offered_nor_pracked(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	const char *inv, *r180;

	REQUIRE(!fix_open(&f, 2, false));
	a->o.rel100 = SESS_100REL_OFF;
	fix_ringing(&f, a, b);
	inv = fix_sent(a, "INVITE ", 0);
	REQUIRE(inv);
	CHECK(strstr(inv, "100rel") == NULL);
	CHECK(!sess_rel100_active(b->s));
	r180 = fix_sent(b, "SIP/2.0 180", 0);
	CHECK(r180 && !strstr(r180, "RSeq:") && !strstr(r180, "Require:"));
	CHECK_EQ_INT(sess_answer(b->s), 0);
	CHECK(fix_run(&f, &a->nestablished, 1));
	CHECK_EQ_INT(fix_count(a, "PRACK "), 0);
	fix_hangup(&f, a, b);
	fix_close(&f);
}

static void test_required_100rel_sends_require(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	char v[64];

	REQUIRE(!fix_open(&f, 2, false));
	a->o.rel100 = SESS_100REL_REQUIRED;
	b->act = FIX_RING_ANSWER;
	fix_call(a, b);
	CHECK(fix_run(&f, &a->nestablished, 1));
	CHECK_EQ_STR(
	    fix_hdr(fix_sent(a, "INVITE ", 0), "Require", v, sizeof(v)),
	    "100rel");
	CHECK_EQ_INT(fix_count(a, "PRACK "), 1);
	fix_hangup(&f, a, b);
	fix_close(&f);
}

static void test_prack_answered_405_call_continues(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];

	REQUIRE(!fix_open(&f, 2, false));
	b->prack_405 = true;
	fix_ringing(&f, a, b);
	fix_settle(&f, 5);
	CHECK_EQ_INT(fix_count(a, "PRACK "), 1);
	CHECK(fix_sent(b, "SIP/2.0 405", 0) != NULL);
	fix_answer(&f, b, a);
	CHECK_EQ_INT(a->nclose, 0);
	fix_hangup(&f, a, b);
	fix_close(&f);
}

static void test_require_100rel_to_off_callee_gets_420(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	char v[64];

	REQUIRE(!fix_open(&f, 2, false));
	a->o.rel100 = SESS_100REL_REQUIRED;
	b->o.rel100 = SESS_100REL_OFF;
	b->act = FIX_ANSWER;
	fix_call(a, b);
	CHECK(fix_run(&f, &a->nclose, 1));
	CHECK_EQ_INT(a->how, SESS_END_REJECTED);
	CHECK_EQ_INT(a->close_scode, 420);
	CHECK_EQ_INT(b->incoming_err, EPROTO);
	CHECK_EQ_INT(b->nincoming, 0);
	CHECK_EQ_STR(
	    fix_hdr(fix_sent(b, "SIP/2.0 420", 0), "Unsupported", v, sizeof(v)),
	    "100rel");
	CHECK_EQ_INT(sess_layer_count(b->sl), 0);
	fix_close(&f);
}

static void test_no_prack_retransmits_then_500(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	int i;

	REQUIRE(!fix_open(&f, 2, true));
	b->drop_prack = true;
	b->act = FIX_RING;
	fix_call(a, b);
	for (i = 0; i < 100 && !a->nprogress; i++)
		loop_poll(f.loop, 5);
	CHECK_EQ_INT(a->nprogress, 1);
	/* 180 at 0, then T1 doubling: 0.5 1.5 3.5 7.5 15.5 31.5 s; 500 at
	   64*T1 = 32 s */
	loop_advance(f.loop, 31000);
	fix_settle(&f, 3);
	CHECK_EQ_INT(fix_count(b, "SIP/2.0 180"), 6);
	CHECK_EQ_INT(b->nclose, 0);
	loop_advance(f.loop, 600);
	fix_settle(&f, 3);
	CHECK_EQ_INT(fix_count(b, "SIP/2.0 180"), 7);
	CHECK_EQ_INT(b->nclose, 0);
	loop_advance(f.loop, 500);
	CHECK_EQ_INT(b->nclose, 1);
	CHECK_EQ_INT(b->how, SESS_END_TIMEOUT);
	CHECK_EQ_INT(b->close_scode, 500);
	CHECK(fix_run(&f, &a->nclose, 1));
	CHECK_EQ_INT(a->how, SESS_END_REJECTED);
	CHECK_EQ_INT(a->close_scode, 500);
	/* retransmitted 180s got no new PRACK */
	CHECK_EQ_INT(a->nprogress, 1);
	fix_close(&f);
}

static void test_no_ack_resends_2xx_then_bye(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];

	REQUIRE(!fix_open(&f, 2, true));
	b->act = FIX_ANSWER;
	b->drop_ack = true;
	fix_call(a, b);
	CHECK(fix_run(&f, &a->nestablished, 1));
	CHECK_EQ_INT(b->nestablished, 0);
	/* 2xx again at T1, 2*T1, 4*T1, then every T2 (4 s) until 32 s */
	loop_advance(f.loop, 31000);
	fix_settle(&f, 3);
	CHECK_EQ_INT(fix_resp(b, "SIP/2.0 200", "INVITE") != NULL, 1);
	CHECK(fix_count(b, "SIP/2.0 200") >= 9);
	CHECK(fix_count(a, "ACK ") >= 5); /* each 2xx is acknowledged */
	CHECK_EQ_INT(b->nclose, 0);
	loop_advance(f.loop, 1500);
	CHECK_EQ_INT(b->nclose, 1);
	CHECK_EQ_INT(b->how, SESS_END_TIMEOUT);
	CHECK(fix_count(b, "BYE ") >= 1);
	CHECK(fix_run(&f, &a->nclose, 1));
	CHECK_EQ_INT(a->how, SESS_END_REMOTE);
	fix_close(&f);
}

static void test_late_offer_in_reliable_183_answer_in_prack(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	const char *r183, *prack, *ack;

	REQUIRE(!fix_open(&f, 2, false));
	fix_late_offer(a, b);
	b->act = FIX_PROGRESS;
	fix_call(a, b);
	CHECK(fix_run(&f, &b->nremote_answer, 1));
	r183 = fix_sent(b, "SIP/2.0 183", 0);
	CHECK(r183 && strstr(r183, "v=0 bob-offer"));
	prack = fix_sent(a, "PRACK ", 0);
	CHECK(prack && strstr(prack, "v=0 alice-answer"));
	CHECK_EQ_STR(b->answer_got, "v=0 alice-answer");
	CHECK_EQ_STR(a->offer_got, "v=0 bob-offer");
	CHECK_EQ_INT(sess_answer(b->s), 0);
	CHECK(fix_run(&f, &b->nestablished, 1));
	CHECK_EQ_INT(a->nestablished, 1);
	CHECK_EQ_INT(a->nanswerh, 1);
	CHECK_EQ_INT(b->nremote_answer, 1);
	ack = fix_sent(a, "ACK ", 0);
	CHECK(ack && strstr(ack, "Content-Length: 0\r\n"));
	fix_hangup(&f, a, b);
	fix_close(&f);
}

static void test_update_in_early_dialog(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];

	REQUIRE(!fix_open(&f, 2, false));
	fix_early_media(&f, a, b);
	fix_settle(&f, 5);
	a->offer = "v=0 early-update";
	b->answer = "v=0 early-answer";
	CHECK_EQ_INT(sess_update(a->s), 0);
	CHECK(fix_run(&f, &a->nremote_answer, 2));
	CHECK_EQ_STR(b->offer_got, "v=0 early-update");
	CHECK_EQ_STR(a->answer_got, "v=0 early-answer");
	CHECK_EQ_INT(a->nestablished, 0);
	CHECK_EQ_INT(sess_answer(b->s), 0);
	CHECK(fix_run(&f, &a->nestablished, 1));
	fix_hangup(&f, a, b);
	fix_close(&f);
}

static void test_ringing_forever_cancelled_by_timer_c(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];

	REQUIRE(!fix_open(&f, 2, true));
	fix_ringing(&f, a, b);
	fix_settle(&f, 5);
	loop_advance(f.loop, 179000);
	fix_settle(&f, 3);
	CHECK_EQ_INT(fix_count(a, "CANCEL "), 0);
	loop_advance(f.loop, 1000);
	CHECK_EQ_INT(fix_count(a, "CANCEL "), 1);
	CHECK(fix_run(&f, &a->nclose, 1));
	CHECK(fix_run(&f, &b->nclose, 1));
	CHECK_EQ_INT(a->how, SESS_END_TIMEOUT);
	CHECK_EQ_INT(a->close_scode, 487);
	CHECK_EQ_INT(b->how, SESS_END_REMOTE);
	fix_close(&f);
}

static void test_unanswered_cancel_gives_up_after_64_t1(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];

	REQUIRE(!fix_open(&f, 2, true));
	b->drop_cancel = true;
	fix_ringing(&f, a, b);
	fix_settle(&f, 5);
	CHECK_EQ_INT(sess_hangup(a->s), 0);
	loop_advance(f.loop, 31000);
	fix_settle(&f, 3);
	CHECK_EQ_INT(a->nclose, 0);
	loop_advance(f.loop, 1000);
	CHECK_EQ_INT(a->nclose, 1);
	CHECK_EQ_INT(a->how, SESS_END_LOCAL);
	CHECK_EQ_INT(a->close_scode, 408);
	CHECK_EQ_INT(sess_layer_count(a->sl), 0);
	CHECK_EQ_INT(b->nclose, 0);
	fix_close(&f);
}

int main(void)
{
	harness_watchdog(60);
	RUN(test_prack_flow_on_the_wire);
	RUN(test_retransmitted_18x_gets_one_prack);
	RUN(test_100rel_off_never_offered_nor_pracked);
	RUN(test_required_100rel_sends_require);
	RUN(test_prack_answered_405_call_continues);
	RUN(test_require_100rel_to_off_callee_gets_420);
	RUN(test_no_prack_retransmits_then_500);
	RUN(test_no_ack_resends_2xx_then_bye);
	RUN(test_late_offer_in_reliable_183_answer_in_prack);
	RUN(test_update_in_early_dialog);
	RUN(test_ringing_forever_cancelled_by_timer_c);
	RUN(test_unanswered_cancel_gives_up_after_64_t1);
	return harness_done();
}
