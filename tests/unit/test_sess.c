/* test_sess.c: INVITE sessions between real stacks over UDP: basic calls,
 * early media, CANCEL, busy, late offer, re-INVITE/UPDATE, INFO. */
#include "sess_fix.h"

static struct sess *call(struct fix *f, struct fix_ua *a, struct fix_ua *b)
{
	struct sess *s = NULL;

	CHECK_EQ_INT(sess_connect(&s, a->sl, b->uri, &a->o, &fix_h, a), 0);
	a->s = s;
	return s;
}

static void test_basic_call_caller_hangs_up(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	char h[128];

	REQUIRE(!fix_open(&f, 2, false));
	b->act = FIX_RING_ANSWER;
	call(&f, a, b);
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
	CHECK(strstr(fix_hdr(fix_sent(a, "INVITE ", 0), "Contact", h,
			     sizeof(h)),
		     "<sip:alice@127.0.0.1:") != NULL);
	CHECK(strstr(fix_hdr(fix_sent(a, "INVITE ", 0), "Allow", h,
			     sizeof(h)),
		     "PRACK") != NULL);
	CHECK(strstr(fix_hdr(fix_sent(b, "SIP/2.0 200", 0), "Contact", h,
			     sizeof(h)),
		     "<sip:bob@127.0.0.1:") != NULL);
	CHECK_EQ_INT(sess_layer_count(a->sl), 1);
	CHECK_EQ_INT(sess_hangup(a->s), 0);
	CHECK(fix_run(&f, &a->nclose, 1));
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
	b->act = FIX_RING;
	call(&f, a, b);
	CHECK(fix_run(&f, &a->nprogress, 1));
	CHECK_EQ_INT(a->progress[0], 180);
	CHECK_EQ_INT(a->nestablished, 0);
	CHECK_EQ_INT(sess_answer(b->s), 0);
	CHECK(fix_run(&f, &b->nestablished, 1));
	CHECK(fix_run(&f, &a->nestablished, 1));
	CHECK_EQ_INT(sess_hangup(b->s), 0);
	CHECK(fix_run(&f, &a->nclose, 1));
	CHECK(fix_run(&f, &b->nclose, 1));
	CHECK_EQ_INT(a->how, SESS_END_REMOTE);
	CHECK_EQ_INT(b->how, SESS_END_LOCAL);
	CHECK_EQ_INT(fix_count(b, "BYE "), 1);
	fix_close(&f);
}

int main(void)
{
	harness_watchdog(60);
	RUN(test_basic_call_caller_hangs_up);
	RUN(test_basic_call_callee_hangs_up);
	return harness_done();
}
