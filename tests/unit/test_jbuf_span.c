/* test_jbuf_span.c: jitter buffer packets longer than one unit: delay in
 * time not packets, gaps as long as the missing packet, target no shorter
 * than a packet, overlaps, bad spans. Unit 10 ms, 8 kHz clock. */
#include <errno.h>
#include <stdbool.h>

#include "audio/jbuf.h"
#include "harness.h"

static struct jbuf *jb_10ms(unsigned init_ms)
{
	struct jbuf *jb = NULL;
	struct jb_opts o;

	jb_opts_default(&o);
	o.ptime = 10;
	o.init_ms = init_ms;
	return jb_alloc(&jb, &o) ? NULL : jb;
}

/* packet at position @p pos spanning @p span units; payload = its pos */
static int put(struct jbuf *jb, uint16_t pos, uint16_t span, uint64_t now)
{
	uint8_t p[2] = {(uint8_t)(pos >> 8), (uint8_t)pos};
	struct jb_pkt k = {pos, span, (uint32_t)pos * 80, p, sizeof(p)};

	return jb_put_span(jb, &k, now);
}

/* next take: its position, -1 missing (span in *span), -2 nothing due */
static int take(struct jbuf *jb, uint16_t *span)
{
	uint8_t b[4];
	struct jb_out o;
	int e;

	jb_tick(jb);
	e = jb_take(jb, b, sizeof(b), &o);
	if (span)
		*span = o.span;
	if (e == ENOENT)
		return -1;
	if (e)
		return -2;
	return b[0] << 8 | b[1];
}

static void test_delay_is_time_not_packets(void)
{
	struct jbuf *a = jb_10ms(40), *b = jb_10ms(40);
	struct jb_stats sa, sb;

	REQUIRE(a && b);
	/* three 60 ms packets vs three 10 ms packets */
	for (uint16_t i = 0; i < 3; i++) {
		CHECK_EQ_INT(put(a, (uint16_t)(i * 6), 6, i * 60u), 0);
		CHECK_EQ_INT(put(b, i, 1, i * 10u), 0);
	}
	jb_stats_get(a, &sa);
	jb_stats_get(b, &sb);
	CHECK_EQ_INT(sa.delay_ms, 180);
	CHECK_EQ_INT(sb.delay_ms, 30);
	/* a buffer of 60 ms packets never aims below one packet */
	CHECK(sa.target_ms >= 60);
	CHECK(sb.target_ms < 60);
	obj_deref(a);
	obj_deref(b);
}

static void test_gaps_last_as_long_as_the_packet(void)
{
	struct jbuf *jb = jb_10ms(40);
	struct jb_stats st;
	uint16_t span = 0;

	REQUIRE(jb);
	CHECK_EQ_INT(put(jb, 100, 3, 0), 0);
	CHECK_EQ_INT(put(jb, 103, 3, 30), 0);
	/* 106 lost */
	CHECK_EQ_INT(put(jb, 109, 3, 90), 0);
	CHECK_EQ_INT(put(jb, 112, 3, 120), 0);
	/* 115 lost, then the sender goes to 20 ms packets at 118; and a
	 * gap shorter than the packet before it: 120 lost, 121 arrives */
	CHECK_EQ_INT(put(jb, 118, 2, 180), 0);
	CHECK_EQ_INT(put(jb, 121, 1, 210), 0);
	CHECK_EQ_INT(take(jb, &span), 100);
	CHECK_EQ_INT(span, 3);
	CHECK_EQ_INT(take(jb, NULL), 103);
	CHECK_EQ_INT(take(jb, &span), -1);
	CHECK_EQ_INT(span, 3); /* a whole 30 ms packet is missing */
	CHECK_EQ_INT(put(jb, 106, 3, 100), ETIMEDOUT);
	CHECK_EQ_INT(take(jb, NULL), 109);
	CHECK_EQ_INT(take(jb, NULL), 112);
	/* the gap lasts as long as the packet before it: 30 ms */
	CHECK_EQ_INT(take(jb, &span), -1);
	CHECK_EQ_INT(span, 3);
	CHECK_EQ_INT(take(jb, &span), 118);
	CHECK_EQ_INT(span, 2);
	CHECK_EQ_INT(take(jb, &span), -1);
	CHECK_EQ_INT(span, 1); /* 121 follows sooner than 20 ms */
	CHECK_EQ_INT(take(jb, NULL), 121);
	CHECK_EQ_INT(take(jb, NULL), -2); /* ran dry */
	jb_stats_get(jb, &st);
	CHECK_EQ_INT(st.played, 6);
	CHECK_EQ_INT(st.lost, 3);
	CHECK_EQ_INT(st.late, 1);
	CHECK_EQ_INT(st.underrun, 1);
	obj_deref(jb);
}

/* a packet inside another's span is passed over with it; a jump beyond
 * the ring restarts; a duplicate is dropped */
static void test_overlap_jump_dup(void)
{
	struct jbuf *jb = jb_10ms(20);

	REQUIRE(jb);
	CHECK_EQ_INT(put(jb, 0, 4, 0), 0);
	CHECK_EQ_INT(put(jb, 2, 1, 1), 0); /* inside 0..3 */
	CHECK_EQ_INT(put(jb, 4, 4, 40), 0);
	CHECK_EQ_INT(put(jb, 4, 4, 41), EALREADY);
	CHECK_EQ_INT(take(jb, NULL), 0);
	CHECK_EQ_INT(take(jb, NULL), 4);
	CHECK_EQ_INT(put(jb, 8, 4, 80), 0);
	/* 8 + 62 units ahead, 4 long: past the ring: a new stream */
	CHECK_EQ_INT(put(jb, 70, 4, 90), 0);
	CHECK_EQ_INT(put(jb, 74, 4, 100), 0);
	CHECK_EQ_INT(take(jb, NULL), 70);
	CHECK_EQ_INT(take(jb, NULL), 74);
	obj_deref(jb);
}

static void test_bad_spans(void)
{
	struct jbuf *jb = jb_10ms(40);
	uint8_t p[1] = {0};
	struct jb_pkt k = {0, 0, 0, p, 1};
	struct jb_out o;

	REQUIRE(jb);
	CHECK_EQ_INT(jb_put_span(jb, &k, 0), EINVAL);
	k.span = JB_SPAN_MAX + 1;
	CHECK_EQ_INT(jb_put_span(jb, &k, 0), EINVAL);
	k.span = JB_SPAN_MAX;
	CHECK_EQ_INT(jb_put_span(jb, &k, 0), 0);
	CHECK_EQ_INT(jb_put_span(jb, NULL, 0), EINVAL);
	CHECK_EQ_INT(jb_take(jb, p, 1, NULL), EINVAL);
	CHECK_EQ_INT(jb_take(NULL, p, 1, &o), EINVAL);
	jb_tick(NULL);
	CHECK_EQ_INT(jb_take(jb, p, 1, &o), 0);
	CHECK_EQ_INT(o.span, JB_SPAN_MAX);
	obj_deref(jb);
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_delay_is_time_not_packets);
	RUN(test_gaps_last_as_long_as_the_packet);
	RUN(test_overlap_jump_dup);
	RUN(test_bad_spans);
	return harness_done();
}
