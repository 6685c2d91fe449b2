/* test_sess_dns.c: calls to a host name (looked up before the INVITE):
 * the call completes, an unknown name ends it with the reason, a hangup
 * during the lookup ends it without sending anything. */
#include "mock/fakedns.h"
#include "sess_fix.h"
#include "ua/stack/resolve.h"

static int open2(struct fix *f)
{
	struct resolve_opts ro;
	int err = fix_open(f, 2, false);

	resolve_opts_default(&ro);
	ro.lookh = fakedns_lookup; /* pbx.test */
	return err ? err : stack_set_resolve_opts(f->ua[0].st, &ro);
}

static struct sess *call_host(struct fix_ua *a, struct fix_ua *b,
			      const char *host)
{
	struct sess *s = NULL;
	char uri[96];

	snprintf(uri, sizeof(uri), "sip:bob@%s:%d", host,
		 fix_port(stack_laddr(b->st, TSX_TP_UDP)));
	CHECK_EQ_INT(sess_connect(&s, a->sl, uri, &a->o, &fix_h, a), 0);
	a->s = s;
	return s;
}

static void test_call_to_host_name_completes(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];

	REQUIRE(!open2(&f));
	b->act = FIX_RING_ANSWER;
	REQUIRE(call_host(a, b, "pbx.test"));
	CHECK_EQ_INT(fix_count(a, "INVITE "), 0); /* waits for the lookup */
	CHECK(fix_run(&f, &a->nestablished, 1));
	CHECK(fix_run(&f, &b->nestablished, 1));
	CHECK_EQ_INT(fix_count(a, "INVITE sip:bob@pbx.test:"), 1);
	CHECK_EQ_INT(fix_count(a, "ACK "), 1);
	fix_hangup(&f, a, b);
	CHECK_EQ_INT(b->how, SESS_END_REMOTE);
	fix_close(&f);
}

static void test_call_to_unknown_name_fails_with_reason(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];

	REQUIRE(!open2(&f));
	REQUIRE(call_host(a, b, "nowhere.test"));
	CHECK(fix_run(&f, &a->nclose, 1));
	CHECK_EQ_INT(a->how, SESS_END_ERROR);
	CHECK_EQ_STR(a->close_reason,
		     "cannot resolve nowhere.test: Name or service not known");
	CHECK_EQ_INT(fix_count(a, "INVITE "), 0);
	CHECK_EQ_INT(sess_layer_count(a->sl), 0);
	fix_close(&f);
}

static void test_hangup_during_lookup(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];

	REQUIRE(!open2(&f));
	REQUIRE(call_host(a, b, "pbx.test"));
	CHECK_EQ_INT(sess_hangup(a->s), 0);
	CHECK_EQ_INT(a->nclose, 0); /* reported from the loop */
	CHECK(fix_run(&f, &a->nclose, 1));
	CHECK_EQ_INT(a->how, SESS_END_LOCAL);
	for (int i = 0; i < 10; i++)
		loop_poll(f.loop, 10);
	CHECK_EQ_INT(fix_count(a, "INVITE "), 0);
	CHECK_EQ_INT(b->nincoming, 0);
	/* a session freed during its lookup */
	a->s = obj_deref(a->s);
	REQUIRE(call_host(a, b, "pbx.test"));
	a->s = obj_deref(a->s);
	fix_close(&f);
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_call_to_host_name_completes);
	RUN(test_call_to_unknown_name_fails_with_reason);
	RUN(test_hangup_during_lookup);
	return harness_done();
}
