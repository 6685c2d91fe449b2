/* test_sess.c: INVITE sessions between real stacks over UDP: basic calls,
 * early media, CANCEL, busy, late offer, re-INVITE/UPDATE, INFO. */
#include "sess_fix.h"

static void test_basic_call_caller_hangs_up(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	char h[128];

	REQUIRE(!fix_open(&f, 2, false));
	b->act = FIX_RING_ANSWER;
	fix_call(a, b);
	CHECK(fix_run(&f, &a->nestablished, 1));
	CHECK(fix_run(&f, &b->nestablished, 1));
	CHECK_EQ_INT(b->nincoming, 1);
	CHECK_EQ_STR(b->offer_got, "v=0 offer-of-");
	CHECK_EQ_STR(a->answer_got, "v=0 answer");
	CHECK_EQ_INT(a->progress[0], 180);
	CHECK(sess_is_established(a->s) && sess_is_established(b->s));
	CHECK(sess_is_outgoing(a->s) && !sess_is_outgoing(b->s));
	CHECK_EQ_STR(sess_callid(a->s), sess_callid(b->s));
	CHECK_EQ_STR(sess_peer_uri(b->s), a->uri);
	CHECK(strstr(sess_peer(b->s), "tag=") == NULL);
	CHECK_EQ_INT(fix_count(b, "SIP/2.0 100 Trying"), 1);
	/* the ACK for the 2xx is ours, end to end */
	CHECK_EQ_INT(fix_count(a, "ACK "), 1);
	CHECK(
	    strstr(fix_hdr(fix_sent(a, "INVITE ", 0), "Contact", h, sizeof(h)),
		   "<sip:alice@127.0.0.1:") != NULL);
	CHECK(strstr(fix_hdr(fix_sent(a, "INVITE ", 0), "Allow", h, sizeof(h)),
		     "PRACK") != NULL);
	CHECK(strstr(fix_hdr(fix_sent(b, "SIP/2.0 200", 0), "Contact", h,
			     sizeof(h)),
		     "<sip:bob@127.0.0.1:") != NULL);
	CHECK_EQ_INT(sess_layer_count(a->sl), 1);
	fix_hangup(&f, a, a);
	CHECK(fix_run(&f, &b->nclose, 1));
	CHECK_EQ_INT(a->how, SESS_END_LOCAL);
	CHECK_EQ_INT(a->close_scode, 200);
	CHECK_EQ_INT(b->how, SESS_END_REMOTE);
	CHECK_EQ_INT(sess_layer_count(a->sl), 0);
	CHECK_EQ_INT(sess_layer_count(b->sl), 0);
	fix_close(&f);
}

static void test_basic_call_callee_hangs_up(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];

	REQUIRE(!fix_open(&f, 2, false));
	fix_ringing(&f, a, b);
	CHECK_EQ_INT(a->progress[0], 180);
	CHECK_EQ_INT(a->nestablished, 0);
	fix_answer(&f, b, a);
	fix_hangup(&f, b, a);
	CHECK(fix_run(&f, &b->nclose, 1));
	CHECK_EQ_INT(a->how, SESS_END_REMOTE);
	CHECK_EQ_INT(b->how, SESS_END_LOCAL);
	CHECK_EQ_INT(fix_count(b, "BYE "), 1);
	fix_close(&f);
}

static void test_early_media_183_then_answer(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];

	REQUIRE(!fix_open(&f, 2, false));
	fix_early_media(&f, a, b);
	CHECK_EQ_INT(a->progress[0], 183);
	CHECK_EQ_STR(a->answer_got, "v=0 answer");
	CHECK_EQ_INT(a->nestablished, 0);
	CHECK(strstr(fix_sent(b, "SIP/2.0 183", 0), "v=0 answer") != NULL);
	fix_answer(&f, b, a);
	/* one offer, one answer: the 200 repeats it, no second callback */
	CHECK_EQ_INT(a->nremote_answer, 1);
	CHECK_EQ_INT(b->nanswerh, 1);
	CHECK(strstr(fix_resp(b, "SIP/2.0 200", "INVITE"), "v=0 answer"));
	fix_hangup(&f, a, b);
	fix_close(&f);
}

static void test_cancel_before_answer(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];

	REQUIRE(!fix_open(&f, 2, false));
	fix_ringing(&f, a, b);
	fix_hangup(&f, a, a);
	CHECK(fix_run(&f, &b->nclose, 1));
	CHECK_EQ_INT(a->how, SESS_END_LOCAL);
	CHECK_EQ_INT(a->close_scode, 487);
	CHECK_EQ_INT(b->how, SESS_END_REMOTE);
	CHECK_EQ_INT(b->close_scode, 487);
	CHECK_EQ_INT(fix_count(a, "CANCEL "), 1);
	CHECK_EQ_INT(fix_count(b, "SIP/2.0 487"), 1);
	CHECK_EQ_INT(a->nestablished + b->nestablished, 0);
	fix_close(&f);
}

static void test_cancel_right_away_waits_for_provisional(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];

	REQUIRE(!fix_open(&f, 2, false));
	fix_call(a, b);
	CHECK_EQ_INT(sess_hangup(a->s), 0); /* before the 100 arrived */
	CHECK_EQ_INT(fix_count(a, "CANCEL "), 0);
	CHECK(fix_run(&f, &a->nclose, 1));
	CHECK(fix_run(&f, &b->nclose, 1));
	CHECK_EQ_INT(fix_count(a, "CANCEL "), 1);
	CHECK_EQ_INT(a->close_scode, 487);
	CHECK_EQ_INT(b->how, SESS_END_REMOTE);
	fix_close(&f);
}

static void test_busy_486(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];

	REQUIRE(!fix_open(&f, 2, false));
	b->act = FIX_BUSY;
	fix_call(a, b);
	CHECK(fix_run(&f, &a->nclose, 1));
	CHECK_EQ_INT(a->how, SESS_END_REJECTED);
	CHECK_EQ_INT(a->close_scode, 486);
	CHECK_EQ_STR(a->close_reason, "Busy Here");
	CHECK_EQ_INT(b->nclose, 1);
	CHECK_EQ_INT(b->how, SESS_END_LOCAL);
	CHECK_EQ_INT(b->close_scode, 486);
	fix_settle(&f, 5);
	CHECK_EQ_INT(sess_layer_count(a->sl) + sess_layer_count(b->sl), 0);
	fix_close(&f);
}

static void test_decline_by_callee_hangup(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];

	REQUIRE(!fix_open(&f, 2, false));
	fix_ringing(&f, a, b);
	fix_hangup(&f, b, a);
	CHECK_EQ_INT(a->how, SESS_END_REJECTED);
	CHECK_EQ_INT(a->close_scode, 603);
	fix_close(&f);
}

static void test_late_offer_in_200_answer_in_ack(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	const char *inv, *ack;

	REQUIRE(!fix_open(&f, 2, false));
	fix_late_offer(a, b);
	b->act = FIX_RING_ANSWER;
	fix_call(a, b);
	CHECK(fix_run(&f, &b->nestablished, 1));
	CHECK_EQ_INT(a->nestablished, 1);
	inv = fix_sent(a, "INVITE ", 0);
	CHECK(inv && strstr(inv, "Content-Length: 0\r\n") != NULL);
	CHECK_EQ_STR(a->offer_got, "v=0 bob-offer");
	CHECK_EQ_STR(b->answer_got, "v=0 alice-answer");
	ack = fix_sent(a, "ACK ", 0);
	CHECK(ack && strstr(ack, "v=0 alice-answer") != NULL);
	CHECK_EQ_INT(b->nanswerh, 0);
	fix_hangup(&f, b, a);
	fix_close(&f);
}

static void test_reinvite_hold_and_update_resume(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];

	REQUIRE(!fix_open(&f, 2, false));
	fix_established(&f, a, b);
	a->offer = "v=0 hold";
	b->answer = "v=0 held";
	CHECK_EQ_INT(sess_reinvite(a->s), 0);
	CHECK_EQ_INT(sess_reinvite(a->s), EBUSY);
	CHECK(fix_run(&f, &a->nremote_answer, 2));
	CHECK_EQ_STR(b->offer_got, "v=0 hold");
	CHECK_EQ_STR(a->answer_got, "v=0 held");
	CHECK_EQ_INT(fix_count(a, "INVITE "), 2);
	CHECK(fix_run(&f, &b->nanswerh, 2));
	fix_settle(&f, 5);
	CHECK_EQ_INT(fix_count(a, "ACK "), 2);
	b->offer = "v=0 resume";
	a->answer = "v=0 resumed";
	CHECK_EQ_INT(sess_update(b->s), 0);
	CHECK(fix_run(&f, &b->nremote_answer, 1));
	CHECK_EQ_STR(a->offer_got, "v=0 resume");
	CHECK_EQ_STR(b->answer_got, "v=0 resumed");
	CHECK_EQ_INT(fix_count(b, "UPDATE "), 1);
	CHECK(sess_is_established(a->s) && sess_is_established(b->s));
	/* the callee re-INVITEs too */
	b->offer = "v=0 hold-from-bob";
	CHECK_EQ_INT(sess_reinvite(b->s), 0);
	CHECK(fix_run(&f, &b->nremote_answer, 2));
	CHECK_EQ_STR(a->offer_got, "v=0 hold-from-bob");
	CHECK_EQ_INT(a->nclose + b->nclose, 0);
	fix_hangup(&f, a, b);
	fix_close(&f);
}

static void test_reinvite_glare_491_then_retry(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	int i;

	REQUIRE(!fix_open(&f, 2, true));
	fix_established(&f, a, b);
	a->offer = "v=0 from-alice";
	b->offer = "v=0 from-bob";
	CHECK_EQ_INT(sess_reinvite(a->s), 0);
	CHECK_EQ_INT(sess_reinvite(b->s), 0);
	for (i = 0;
	     i < 3000 && (a->nremote_answer < 2 || b->nremote_answer < 1);
	     i++) {
		loop_poll(f.loop, 2);
		loop_advance(f.loop, 10);
	}
	CHECK_EQ_INT(fix_count(a, "SIP/2.0 491"), 1);
	CHECK_EQ_INT(fix_count(b, "SIP/2.0 491"), 1);
	CHECK_EQ_INT(a->nremote_answer, 2);
	CHECK_EQ_INT(b->nremote_answer, 1);
	CHECK_EQ_STR(a->offer_got, "v=0 from-bob");
	CHECK_EQ_STR(b->offer_got, "v=0 from-alice");
	CHECK_EQ_INT(a->nclose + b->nclose, 0);
	fix_hangup(&f, b, a);
	fix_close(&f);
}

static void test_info_dtmf_both_ways(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	const char *info;

	REQUIRE(!fix_open(&f, 2, false));
	fix_established(&f, a, b);
	CHECK_EQ_INT(sess_info_dtmf(a->s, '5'), 0);
	CHECK_EQ_INT(sess_info_dtmf(a->s, '#'), 0);
	CHECK_EQ_INT(sess_info_dtmf(b->s, '9'), 0);
	CHECK_EQ_INT(sess_info_dtmf(a->s, 'x'), EINVAL);
	CHECK(fix_run(&f, &b->ninfo, 2));
	CHECK(fix_run(&f, &a->ninfo, 1));
	CHECK_EQ_STR(b->digits, "5#");
	CHECK_EQ_STR(a->digits, "9");
	info = fix_sent(a, "INFO ", 0);
	CHECK(info && strstr(info, "Content-Type: application/dtmf-relay") &&
	      strstr(info, "Signal=5\r\n"));
	fix_hangup(&f, a, b);
	fix_close(&f);
}

int main(void)
{
	harness_watchdog(60);
	RUN(test_basic_call_caller_hangs_up);
	RUN(test_basic_call_callee_hangs_up);
	RUN(test_early_media_183_then_answer);
	RUN(test_cancel_before_answer);
	RUN(test_cancel_right_away_waits_for_provisional);
	RUN(test_busy_486);
	RUN(test_decline_by_callee_hangup);
	RUN(test_late_offer_in_200_answer_in_ack);
	RUN(test_reinvite_hold_and_update_resume);
	RUN(test_reinvite_glare_491_then_retry);
	RUN(test_info_dtmf_both_ways);
	return harness_done();
}
