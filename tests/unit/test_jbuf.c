/* test_jbuf.c: jitter buffer order, duplicates, late packets, loss, and
 * delay adaptation, with a caller-driven clock. */
#include <errno.h>
#include <stdbool.h>

#include "audio/jbuf.h"
#include "harness.h"

static int put(struct jbuf *jb, uint16_t seq, uint64_t now)
{
	uint8_t p[2] = {(uint8_t)(seq >> 8), (uint8_t)seq};
	return jb_put(jb, seq, (uint32_t)seq * 160, p, 2, now);
}

/* Next playout: returns the seq carried in the payload, -1 missing,
 * -2 no frame due. */
static int get(struct jbuf *jb)
{
	uint8_t b[4];
	size_t len;
	uint16_t seq;
	int err = jb_get(jb, b, sizeof(b), &len, &seq);
	if (err == ENOENT)
		return -1;
	if (err)
		return -2;
	return b[0] << 8 | b[1];
}

static void test_reorder_dup_late_loss(void)
{
	struct jbuf *jb = NULL;
	struct jb_stats st;
	struct jb_opts o;

	jb_opts_default(&o);
	o.init_ms = 60;
	REQUIRE(!jb_alloc(&jb, &o));
	CHECK_EQ_INT(get(jb), -2); /* nothing yet */
	CHECK_EQ_INT(put(jb, 100, 0), 0);
	CHECK_EQ_INT(put(jb, 102, 40), 0);
	CHECK_EQ_INT(put(jb, 101, 41), 0); /* reordered */
	CHECK_EQ_INT(put(jb, 101, 42), EALREADY);
	/* 103 lost */
	CHECK_EQ_INT(put(jb, 104, 80), 0);
	CHECK_EQ_INT(get(jb), 100);
	CHECK_EQ_INT(get(jb), 101);
	CHECK_EQ_INT(get(jb), 102);
	CHECK_EQ_INT(get(jb), -1); /* 103 missing: conceal */
	CHECK_EQ_INT(put(jb, 103, 90), ETIMEDOUT);
	CHECK_EQ_INT(get(jb), 104);
	/* the sender pauses (DTX): underrun, nothing counted lost */
	CHECK_EQ_INT(get(jb), -2);
	CHECK_EQ_INT(get(jb), -2);
	/* and resumes 300 ms later with the next sequence numbers (RTP time
	 * jumped with the pause): played, not late */
	for (uint16_t q = 105; q <= 107; q++) {
		uint8_t p[2] = {0, (uint8_t)q};
		CHECK_EQ_INT(
		    jb_put(jb, q, q * 160u + 2400, p, 2, 400 + (q - 105) * 20u),
		    0);
	}
	CHECK_EQ_INT(get(jb), 105);
	CHECK_EQ_INT(get(jb), 106);
	jb_stats_get(jb, &st);
	CHECK_EQ_INT(st.underrun, 1);
	CHECK_EQ_INT(st.played, 6);
	CHECK_EQ_INT(st.lost, 1);
	CHECK_EQ_INT(st.late, 1);
	CHECK_EQ_INT(st.dup, 1);
	CHECK_EQ_INT(st.put, 7);
	obj_deref(jb);
}

static void test_seq_wrap_and_restart(void)
{
	struct jbuf *jb = NULL;
	REQUIRE(!jb_alloc(&jb, NULL));
	CHECK_EQ_INT(put(jb, 65534, 0), 0);
	CHECK_EQ_INT(put(jb, 65535, 20), 0);
	CHECK_EQ_INT(put(jb, 0, 40), 0);
	CHECK_EQ_INT(get(jb), 65534);
	CHECK_EQ_INT(get(jb), 65535);
	CHECK_EQ_INT(get(jb), 0);
	/* the sender jumps far: followed, not treated as late */
	CHECK_EQ_INT(put(jb, 30000, 60), 0);
	CHECK_EQ_INT(put(jb, 30001, 80), 0);
	CHECK_EQ_INT(get(jb), 30000);
	CHECK_EQ_INT(get(jb), 30001);
	obj_deref(jb);
}

static uint32_t rng(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Stream @p n packets from @p seq0 with 0..jitter ms random delay, one
 * playout per 20 ms; returns the highest target seen. */
static unsigned stream(struct jbuf *jb, uint16_t seq0, size_t n,
		       unsigned jitter, uint64_t t0, uint32_t *seed)
{
	uint64_t arr[600];
	bool done[600] = {0};
	unsigned peak = 0;
	struct jb_stats st;

	for (size_t i = 0; i < n; i++)
		arr[i] = t0 + i * 20 + (jitter ? rng(seed) % (jitter + 1) : 0);
	for (size_t t = 0; t < n; t++) {
		uint64_t now = t0 + t * 20 + 10;
		for (size_t i = 0; i < n; i++) {
			if (!done[i] && arr[i] <= now) {
				done[i] = true;
				put(jb, (uint16_t)(seq0 + i), arr[i]);
			}
		}
		get(jb);
		jb_stats_get(jb, &st);
		if (st.target_ms > peak)
			peak = st.target_ms;
	}
	return peak;
}

static void test_delay_adapts_up_and_down(void)
{
	struct jbuf *jb = NULL;
	struct jb_stats st0, st1, st2, st3;
	uint32_t seed = 7;

	REQUIRE(!jb_alloc(&jb, NULL));
	stream(jb, 0, 200, 0, 0, &seed);
	jb_stats_get(jb, &st0);
	CHECK(st0.target_ms <= 40);
	CHECK_EQ_INT(st0.lost, 0);
	stream(jb, 200, 300, 80, 4000, &seed);
	jb_stats_get(jb, &st1);
	CHECK(st1.target_ms >= 80);
	CHECK(st1.jitter_ms > 10);
	CHECK(st1.stretched > 0);
	/* under jitter, the grown buffer keeps late packets rare */
	CHECK(st1.late - st0.late < 15);
	stream(jb, 500, 500, 0, 10000, &seed);
	jb_stats_get(jb, &st2);
	CHECK(st2.target_ms <= 40);
	CHECK(st2.skipped > 0);
	CHECK(st2.delay_ms <= 80);
	printf("  calm target=%u jitter target=%u (jitter %.1f ms) calm again "
	       "target=%u delay=%u\n",
	       st0.target_ms, st1.target_ms, st1.jitter_ms, st2.target_ms,
	       st2.delay_ms);
	jb_flush(jb);
	jb_stats_get(jb, &st3);
	CHECK_EQ_INT(get(jb), -2);
	obj_deref(jb);
}

static void test_bad_args(void)
{
	struct jbuf *jb = NULL;
	struct jb_opts o;
	uint8_t big[1501] = {0}, b[1];
	size_t len;

	jb_opts_default(&o);
	o.min_ms = 300;
	CHECK_EQ_INT(jb_alloc(&jb, &o), EINVAL);
	o.min_ms = 20;
	o.max_ms = 5000;
	CHECK_EQ_INT(jb_alloc(&jb, &o), EINVAL);
	REQUIRE(!jb_alloc(&jb, NULL));
	CHECK_EQ_INT(jb_put(jb, 1, 0, big, 0, 0), EINVAL);
	CHECK_EQ_INT(jb_put(jb, 1, 0, big, sizeof(big), 0), EINVAL);
	CHECK_EQ_INT(jb_put(jb, 1, 0, big, 100, 0), 0);
	CHECK_EQ_INT(jb_put(jb, 2, 160, big, 100, 20), 0);
	CHECK_EQ_INT(jb_get(jb, b, sizeof(b), &len, NULL), ENOMEM);
	obj_deref(jb);
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_reorder_dup_late_loss);
	RUN(test_seq_wrap_and_restart);
	RUN(test_delay_adapts_up_and_down);
	RUN(test_bad_args);
	return harness_done();
}
