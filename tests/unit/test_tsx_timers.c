/* test_tsx_timers.c: RFC 3261 transaction timers over a lossy network. */
#include "harness.h"
#include "tsx_fixture.h"

static const uint64_t t0 = 1000000;

static void test_invite_client_timer_a_doubles_then_b_gives_408(void)
{
	struct fix f;
	uint64_t tv[16];
	static const uint64_t want[] = {0, 500, 1500, 3500, 7500, 15500, 31500};
	size_t n, i;

	REQUIRE(!fix_init(&f, TSX_TP_UDP));
	f.a.drop_all = 1;
	REQUIRE(
	    !fix_send(&f, fix_req("INVITE", "z9hG4bKa1", 1, "c1", NULL), NULL));
	loop_advance(f.loop, 31999);
	CHECK_EQ_INT(f.nresp, 0);
	loop_advance(f.loop, 1);
	CHECK_EQ_INT(f.nresp, 1);
	CHECK_EQ_INT(f.last_err, ETIMEDOUT);
	CHECK_EQ_INT(f.last_t - t0, 32000);
	n = fix_times(&f.a, "INVITE", t0, tv, 16);
	CHECK_EQ_INT(n, 7);
	for (i = 0; i < n && i < 7; i++)
		CHECK_EQ_INT(tv[i], want[i]);
	CHECK_EQ_INT(tsx_layer_count(f.tla), 0);
	loop_advance(f.loop, 60000);
	CHECK_EQ_INT(netsim_count(&f.a, "INVITE"), 7);
	fix_close(&f);
}

static void test_non_invite_timer_e_caps_at_t2_then_f(void)
{
	struct fix f;
	uint64_t tv[32];
	static const uint64_t want[] = {0,     500,   1500,  3500,  7500, 11500,
					15500, 19500, 23500, 27500, 31500};
	size_t n, i;

	REQUIRE(!fix_init(&f, TSX_TP_UDP));
	f.a.drop_all = 1;
	REQUIRE(!fix_send(&f, fix_req("OPTIONS", "z9hG4bKo1", 1, "c2", NULL),
			  NULL));
	loop_advance(f.loop, 40000);
	n = fix_times(&f.a, "OPTIONS", t0, tv, 32);
	CHECK_EQ_INT(n, 11);
	for (i = 0; i < n && i < 11; i++)
		CHECK_EQ_INT(tv[i], want[i]);
	CHECK_EQ_INT(f.nresp, 1);
	CHECK_EQ_INT(f.last_err, ETIMEDOUT);
	CHECK_EQ_INT(f.last_t - t0, 32000);
	fix_close(&f);
}

static void test_lost_request_recovered_by_retransmission(void)
{
	struct fix f;

	REQUIRE(!fix_init(&f, TSX_TP_UDP));
	f.a.drop_next = 2; /* the first two copies are lost */
	f.b.delay_ms = 30;
	/* B answers 200 to whatever arrives */
	REQUIRE(!fix_send(&f, fix_req("OPTIONS", "z9hG4bKo2", 1, "c3", NULL),
			  NULL));
	loop_advance(f.loop, 1499);
	CHECK_EQ_INT(f.nreq_b, 0);
	loop_advance(f.loop, 1);
	CHECK_EQ_INT(f.nreq_b, 1);
	fix_close(&f);
}

static struct tsx *g_st;

static void reply_486(struct tsx_layer *tl, const struct sip_msg *msg,
		      const struct tsx_addr *src, void *arg)
{
	(void)arg;
	if (msg->method == SIP_METHOD_ACK)
		return;
	if (tsx_server_alloc(&g_st, tl, msg, src))
		return;
	tsx_reply(g_st, 486, NULL, "tt1", NULL, NULL);
}

static int g_acktimeouts;
static void ack_timeout(struct tsx *t, void *arg)
{
	(void)t;
	(void)arg;
	g_acktimeouts++;
}

static void reply_486_h(struct tsx_layer *tl, const struct sip_msg *msg,
			const struct tsx_addr *src, void *arg)
{
	reply_486(tl, msg, src, arg);
	tsx_server_set_handler(g_st, ack_timeout, NULL);
}

static void reply_180(struct tsx_layer *tl, const struct sip_msg *msg,
		      const struct tsx_addr *src, void *arg)
{
	(void)arg;
	if (msg->method == SIP_METHOD_ACK)
		return;
	if (!tsx_server_alloc(&g_st, tl, msg, src))
		tsx_reply(g_st, 180, NULL, "tt2", NULL, NULL);
}

/* RFC 3261 17.1.1.2: timer B runs in Calling only; a ringing INVITE
   waits for its final response however long the callee rings */
static void test_invite_client_ringing_outlives_timer_b(void)
{
	struct fix f;

	REQUIRE(!fix_init(&f, TSX_TP_UDP));
	f.reqh_b = reply_180;
	REQUIRE(
	    !fix_send(&f, fix_req("INVITE", "z9hG4bKr1", 1, "c9", NULL), NULL));
	loop_advance(f.loop, 0);
	CHECK_EQ_INT(f.last_scode, 180);
	loop_advance(f.loop, 120000);
	CHECK_EQ_INT(f.nresp, 1);
	CHECK_EQ_INT(f.last_err, 0);
	CHECK_EQ_INT(netsim_count(&f.a, "INVITE"), 1);
	tsx_reply(g_st, 486, NULL, "tt2", NULL, NULL);
	loop_advance(f.loop, 0);
	CHECK_EQ_INT(f.nresp, 2);
	CHECK_EQ_INT(f.last_scode, 486);
	loop_advance(f.loop, 60000);
	fix_close(&f);
}

static void test_server_invite_timer_g_until_ack(void)
{
	struct fix f;
	uint64_t tv[16];
	size_t n;

	REQUIRE(!fix_init(&f, TSX_TP_UDP));
	f.reqh_b = reply_486;
	REQUIRE(
	    !fix_send(&f, fix_req("INVITE", "z9hG4bKi2", 1, "c4", NULL), NULL));
	f.a.drop_all = 1; /* A's ACKs get lost for a while */
	loop_advance(f.loop, 0);
	CHECK_EQ_INT(f.last_scode, 486);
	loop_advance(f.loop, 1600); /* G at 500 and 1500 */
	CHECK_EQ_INT(netsim_count(&f.b, "SIP/2.0 486"), 3);
	CHECK_EQ_INT(netsim_count(&f.a, "ACK"), 3);
	f.a.drop_all = 0;
	loop_advance(f.loop, 2000); /* G at 3500 -> ACK arrives */
	CHECK_EQ_INT(netsim_count(&f.b, "SIP/2.0 486"), 4);
	loop_advance(f.loop, 60000);
	CHECK_EQ_INT(netsim_count(&f.b, "SIP/2.0 486"), 4);
	n = fix_times(&f.b, "SIP/2.0 486", t0, tv, 16);
	CHECK_EQ_INT(n, 4);
	CHECK_EQ_INT(tv[1], 500);
	CHECK_EQ_INT(tv[2], 1500);
	CHECK_EQ_INT(tv[3], 3500);
	CHECK_EQ_INT(f.nresp, 1); /* the TU saw 486 once */
	CHECK_EQ_INT(tsx_layer_count(f.tlb), 0);
	CHECK_EQ_INT(tsx_layer_count(f.tla), 0);
	fix_close(&f);
}

static void test_server_invite_timer_h_without_ack(void)
{
	struct fix f;
	uint64_t tv[32];
	size_t n;

	REQUIRE(!fix_init(&f, TSX_TP_UDP));
	g_acktimeouts = 0;
	f.reqh_b = reply_486_h;
	REQUIRE(
	    !fix_send(&f, fix_req("INVITE", "z9hG4bKi3", 1, "c5", NULL), NULL));
	f.a.drop_all = 1;
	loop_advance(f.loop, 31999);
	CHECK_EQ_INT(g_acktimeouts, 0);
	loop_advance(f.loop, 1);
	CHECK_EQ_INT(g_acktimeouts, 1);
	/* 0 500 1500 3500 7500 11500 ... 31500 (G capped at T2) */
	n = fix_times(&f.b, "SIP/2.0 486", t0, tv, 32);
	CHECK_EQ_INT(n, 11);
	CHECK_EQ_INT(tv[n - 1], 31500);
	CHECK_EQ_INT(tsx_layer_count(f.tlb), 0);
	fix_close(&f);
}

static void test_reliable_transport_never_retransmits(void)
{
	struct fix f;

	REQUIRE(!fix_init(&f, TSX_TP_TCP));
	f.a.drop_all = 1;
	REQUIRE(
	    !fix_send(&f, fix_req("INVITE", "z9hG4bKr1", 1, "c6", NULL), NULL));
	REQUIRE(!fix_send(&f, fix_req("OPTIONS", "z9hG4bKr2", 1, "c7", NULL),
			  NULL));
	loop_advance(f.loop, 31999);
	CHECK_EQ_INT(netsim_count(&f.a, "INVITE"), 1);
	CHECK_EQ_INT(netsim_count(&f.a, "OPTIONS"), 1);
	CHECK_EQ_INT(f.nresp, 0);
	loop_advance(f.loop, 1);
	CHECK_EQ_INT(f.nresp, 2);
	CHECK_EQ_INT(f.last_err, ETIMEDOUT);
	fix_close(&f);
}

static void test_reliable_server_ends_at_once_after_ack(void)
{
	struct fix f;

	REQUIRE(!fix_init(&f, TSX_TP_TCP));
	f.reqh_b = reply_486;
	REQUIRE(
	    !fix_send(&f, fix_req("INVITE", "z9hG4bKr3", 1, "c8", NULL), NULL));
	loop_advance(f.loop, 0);
	loop_advance(f.loop, 0);
	CHECK_EQ_INT(f.last_scode, 486);
	CHECK_EQ_INT(netsim_count(&f.a, "ACK"), 1);
	loop_advance(f.loop, 1);
	CHECK_EQ_INT(tsx_layer_count(f.tlb), 0); /* I = 0 */
	CHECK_EQ_INT(tsx_layer_count(f.tla), 0); /* D = 0 */
	CHECK_EQ_INT(netsim_count(&f.b, "SIP/2.0 486"), 1);
	fix_close(&f);
}

int main(void)
{
	harness_watchdog(20);
	RUN(test_invite_client_timer_a_doubles_then_b_gives_408);
	RUN(test_non_invite_timer_e_caps_at_t2_then_f);
	RUN(test_lost_request_recovered_by_retransmission);
	RUN(test_invite_client_ringing_outlives_timer_b);
	RUN(test_server_invite_timer_g_until_ack);
	RUN(test_server_invite_timer_h_without_ack);
	RUN(test_reliable_transport_never_retransmits);
	RUN(test_reliable_server_ends_at_once_after_ack);
	return harness_done();
}
