/* test_ring.c: the SPSC frame ring: order, no loss, overrun/underrun counts. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>

#include "audio/ring.h"
#include "harness.h"

enum { FRAMES = 1000000, FS = 160 };

static void test_ring_rounds_capacity(void)
{
	struct ring *r;

	REQUIRE(ring_alloc(&r, 5, FS) == 0);
	CHECK_EQ_INT(ring_capacity(r), 8);
	CHECK_EQ_INT(ring_frame_samples(r), FS);
	obj_deref(r);
	CHECK_EQ_INT(ring_alloc(&r, 0, FS), EINVAL);
	CHECK_EQ_INT(ring_alloc(&r, 4, 0), EINVAL);
}

static void test_ring_overrun_underrun_counted(void)
{
	struct ring *r;
	int16_t f[4] = {1, 2, 3, 4}, g[4] = {0};

	REQUIRE(ring_alloc(&r, 4, 4) == 0);
	CHECK(!ring_read(r, g));
	CHECK_EQ_INT(ring_underruns(r), 1);
	for (int i = 0; i < 4; i++) {
		f[0] = (int16_t)i;
		CHECK(ring_write(r, f));
	}
	CHECK(!ring_write(r, f));
	CHECK(!ring_write(r, f));
	CHECK_EQ_INT(ring_overruns(r), 2);
	CHECK_EQ_INT(ring_count(r), 4);
	for (int i = 0; i < 4; i++) {
		CHECK(ring_read(r, g));
		CHECK_EQ_INT(g[0], i);
		CHECK_EQ_INT(g[3], 4);
	}
	CHECK_EQ_INT(ring_count(r), 0);
	CHECK(ring_write(r, f));
	ring_flush(r);
	CHECK_EQ_INT(ring_count(r), 0);
	obj_deref(r);
}

struct run {
	struct ring *r;
	uint64_t bad;	   /* consumer: frames out of sequence or corrupt */
	uint64_t received; /* consumer: frames read */
};

/* Producer: frame k carries k in every sample pair (as two halves). */
static void *producer(void *arg)
{
	struct run *run = arg;
	int16_t f[FS];

	for (uint32_t k = 0; k < FRAMES;) {
		for (int i = 0; i < FS; i += 2) {
			f[i] = (int16_t)(k & 0xffff);
			f[i + 1] = (int16_t)(k >> 16);
		}
		/* Never overflow: wait while full. */
		if (ring_count(run->r) == ring_capacity(run->r)) {
			sched_yield();
			continue;
		}
		if (ring_write(run->r, f))
			k++;
	}
	return NULL;
}

static void *consumer(void *arg)
{
	struct run *run = arg;
	int16_t f[FS];
	uint32_t expect = 0;

	while (expect < FRAMES) {
		if (!ring_count(run->r)) {
			sched_yield();
			continue;
		}
		if (!ring_read(run->r, f))
			continue;
		for (int i = 0; i < FS; i += 2) {
			uint32_t v =
			    (uint16_t)f[i] | (uint32_t)(uint16_t)f[i + 1] << 16;
			if (v != expect) {
				run->bad++;
				break;
			}
		}
		expect++;
		run->received++;
	}
	return NULL;
}

static void test_ring_million_frames_two_threads(void)
{
	struct run run = {0};
	pthread_t tp, tc;

	REQUIRE(ring_alloc(&run.r, 16, FS) == 0);
	REQUIRE(pthread_create(&tc, NULL, consumer, &run) == 0);
	REQUIRE(pthread_create(&tp, NULL, producer, &run) == 0);
	pthread_join(tp, NULL);
	pthread_join(tc, NULL);
	CHECK_EQ_INT(run.received, FRAMES);
	CHECK_EQ_INT(run.bad, 0);
	CHECK_EQ_INT(ring_overruns(run.r), 0);
	CHECK_EQ_INT(ring_count(run.r), 0);
	obj_deref(run.r);
}

struct flood {
	struct ring *r;
	uint64_t accepted; /* producer: writes that succeeded */
	uint64_t received, bad;
	_Atomic int done;
};

/* Producer that never waits: the ring overflows, and every frame is
 * either delivered in order or counted as an overrun. */
static void *flood_producer(void *arg)
{
	struct flood *fl = arg;
	int16_t f[FS];

	for (uint32_t k = 0; k < 200000; k++) {
		f[0] = (int16_t)(k & 0xffff);
		f[1] = (int16_t)(k >> 16);
		f[FS - 1] = f[0];
		if (ring_write(fl->r, f))
			fl->accepted++;
	}
	fl->done = 1;
	return NULL;
}

static void *flood_consumer(void *arg)
{
	struct flood *fl = arg;
	int16_t f[FS];
	int64_t last = -1;

	for (;;) {
		int fin = fl->done;
		if (!ring_read(fl->r, f)) {
			if (fin)
				break;
			continue;
		}
		int64_t v = (uint16_t)f[0] | (int64_t)(uint16_t)f[1] << 16;
		if (v <= last || f[FS - 1] != f[0])
			fl->bad++;
		last = v;
		fl->received++;
	}
	return NULL;
}

static void test_ring_overflow_counted_two_threads(void)
{
	struct flood fl = {0};
	pthread_t tp, tc;

	REQUIRE(ring_alloc(&fl.r, 4, FS) == 0);
	REQUIRE(pthread_create(&tc, NULL, flood_consumer, &fl) == 0);
	REQUIRE(pthread_create(&tp, NULL, flood_producer, &fl) == 0);
	pthread_join(tp, NULL);
	pthread_join(tc, NULL);
	CHECK_EQ_INT(fl.accepted + ring_overruns(fl.r), 200000);
	CHECK_EQ_INT(fl.received, fl.accepted);
	CHECK_EQ_INT(fl.bad, 0);
	CHECK(ring_overruns(fl.r) > 0);
	obj_deref(fl.r);
}

int main(void)
{
	harness_watchdog(60);
	RUN(test_ring_rounds_capacity);
	RUN(test_ring_overrun_underrun_counted);
	RUN(test_ring_million_frames_two_threads);
	RUN(test_ring_overflow_counted_two_threads);
	return harness_done();
}
