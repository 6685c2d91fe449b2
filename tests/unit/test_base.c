/* test_base.c: allocator, strings, buffers, lists, hash and event loop. */
#include <errno.h>
#include <sys/socket.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "base/rand.h"
#include "harness.h"

struct thing {
	struct le le;
	int *destroyed;
	int id;
};

static void thing_destroy(void *arg)
{
	struct thing *t = arg;
	(*t->destroyed)++;
}

static struct thing *thing_new(int id, int *destroyed)
{
	struct thing *t = obj_zalloc(sizeof(*t), thing_destroy);
	if (t) {
		t->id = id;
		t->destroyed = destroyed;
	}
	return t;
}

static void test_refcount_runs_destructor_once_at_zero(void)
{
	int d = 0;
	struct thing *t = thing_new(1, &d);
	REQUIRE(t);
	CHECK_EQ_INT(obj_nrefs(t), 1);
	obj_ref(t);
	CHECK_EQ_INT(obj_nrefs(t), 2);
	CHECK(obj_deref(t) == NULL);
	CHECK_EQ_INT(d, 0);
	t = obj_deref(t);
	CHECK_EQ_INT(d, 1);
	CHECK(t == NULL);
	CHECK(obj_deref(NULL) == NULL);
}

static void test_fail_after_fails_nth_allocation(void)
{
	obj_fail_after(2);
	void *a = obj_zalloc(8, NULL);
	void *b = obj_zalloc(8, NULL);
	void *c = obj_zalloc(8, NULL);
	obj_fail_after(0);
	CHECK(a != NULL);
	CHECK(b == NULL);
	CHECK(c == NULL);
	obj_deref(a);
}

static void test_strings(void)
{
	char *s = obj_printf("%s-%d", "x", 42);
	CHECK_EQ_STR(s, "x-42");
	obj_deref(s);
	struct pl pl = PL("  Hello \r\n");
	pl_trim(&pl);
	CHECK_PL(pl, "Hello");
	CHECK(!pl_strcasecmp(&pl, "hello"));
	CHECK(pl_strcmp(&pl, "hello") != 0);
	uint32_t v;
	struct pl n = PL("4294967295");
	CHECK_EQ_INT(pl_u32(&n, &v), 0);
	CHECK(v == 4294967295u);
	n = PL("4294967296");
	CHECK_EQ_INT(pl_u32(&n, &v), ERANGE);
	n = PL("12a");
	CHECK_EQ_INT(pl_u32(&n, &v), EINVAL);
	n = PL("");
	CHECK_EQ_INT(pl_u32(&n, &v), EINVAL);
}

static void test_buf_grows_and_prints(void)
{
	struct buf *b = NULL;
	REQUIRE(!buf_alloc(&b, 4));
	for (int i = 0; i < 100; i++)
		CHECK(!buf_printf(b, "%03d,", i));
	CHECK_EQ_INT(b->end, 400);
	CHECK(!memcmp(b->b + 396, "099,", 4));
	b->pos = 396;
	buf_compact(b);
	CHECK_EQ_INT(buf_left(b), 4);
	obj_deref(b);
}

static void test_list_owns_members(void)
{
	struct list l = LIST_INIT;
	int d = 0;
	for (int i = 0; i < 5; i++) {
		struct thing *t = thing_new(i, &d);
		REQUIRE(t);
		list_append(&l, &t->le, t);
	}
	CHECK_EQ_INT(list_count(&l), 5);
	struct thing *mid = l.head->next->next->data;
	CHECK_EQ_INT(mid->id, 2);
	list_unlink(&mid->le);
	CHECK_EQ_INT(list_count(&l), 4);
	obj_deref(mid);
	int ids = 0;
	struct le *le;
	LIST_FOREACH(&l, le) ids = ids * 10 + ((struct thing *)le->data)->id;
	CHECK_EQ_INT(ids, 134); /* 0,1,3,4 */
	list_flush(&l);
	CHECK_EQ_INT(d, 5);
	CHECK(l.head == NULL && l.tail == NULL);
}

static bool thing_has_id(struct le *le, void *arg)
{
	return ((struct thing *)le->data)->id == *(int *)arg;
}

static void test_hash_lookup(void)
{
	struct hash *h = NULL;
	int d = 0;
	REQUIRE(!hash_alloc(&h, 16));
	for (int i = 0; i < 100; i++) {
		struct thing *t = thing_new(i, &d);
		REQUIRE(t);
		hash_append(h, hash_fnv(&i, sizeof(i)), &t->le, t);
	}
	CHECK_EQ_INT(hash_count(h), 100);
	int want = 77;
	struct le *le = hash_lookup(h, hash_fnv(&want, sizeof(want)),
				    thing_has_id, &want);
	REQUIRE(le);
	CHECK_EQ_INT(((struct thing *)le->data)->id, 77);
	CHECK(hash_fnv_ci("Via", 3) == hash_fnv_ci("vIA", 3));
	h = obj_deref(h);
	CHECK_EQ_INT(d, 100);
}

static int fired[8];
static int nfired;
static void on_tmr(void *arg)
{
	fired[nfired++] = (int)(intptr_t)arg;
}

static void test_timers_fire_in_order_on_fake_clock(void)
{
	struct loop *l = NULL;
	REQUIRE(!loop_alloc(&l));
	loop_clock_fake(l, 1000);
	struct tmr t[4] = {0};
	nfired = 0;
	tmr_start(l, &t[0], 500, on_tmr, (void *)1);
	tmr_start(l, &t[1], 100, on_tmr, (void *)2);
	tmr_start(l, &t[2], 100, on_tmr, (void *)3);
	tmr_start(l, &t[3], 300, on_tmr, (void *)4);
	tmr_cancel(&t[3]);
	CHECK_EQ_INT(loop_tmr_count(l), 3);
	CHECK_EQ_INT(tmr_left(&t[0]), 500);
	loop_advance(l, 99);
	CHECK_EQ_INT(nfired, 0);
	loop_advance(l, 1);
	CHECK_EQ_INT(nfired, 2);
	CHECK_EQ_INT(fired[0], 2);
	CHECK_EQ_INT(fired[1], 3);
	loop_advance(l, 1000);
	CHECK_EQ_INT(nfired, 3);
	CHECK_EQ_INT(fired[2], 1);
	CHECK_EQ_INT(loop_now(l), 2100);
	CHECK_EQ_INT(loop_tmr_count(l), 0);
	obj_deref(l);
}

struct pipe_ctx {
	struct loop *loop;
	char got[16];
	size_t n;
};

static void on_readable(int fd, int flags, void *arg)
{
	struct pipe_ctx *c = arg;
	if (flags & FD_READ) {
		ssize_t r = read(fd, c->got + c->n, sizeof(c->got) - 1 - c->n);
		if (r > 0)
			c->n += (size_t)r;
	}
	loop_stop(c->loop);
}

static void on_stop(void *arg)
{
	loop_stop(arg);
}

static void test_loop_dispatches_fd_and_real_timer(void)
{
	struct pipe_ctx c = {0};
	int sv[2];
	REQUIRE(!loop_alloc(&c.loop));
	REQUIRE(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK(!loop_fd_listen(c.loop, sv[0], FD_READ, on_readable, &c));
	CHECK_EQ_INT(write(sv[1], "ping", 4), 4);
	CHECK(!loop_run(c.loop));
	CHECK_EQ_INT(c.n, 4);
	CHECK(!memcmp(c.got, "ping", 4));
	loop_fd_close(c.loop, sv[0]);
	CHECK_EQ_INT(loop_fd_count(c.loop), 0);
	struct tmr t = {0};
	uint64_t t0 = loop_now(c.loop);
	tmr_start(c.loop, &t, 20, on_stop, c.loop);
	CHECK(!loop_run(c.loop));
	CHECK(loop_now(c.loop) - t0 >= 20);
	close(sv[0]);
	close(sv[1]);
	obj_deref(c.loop);
}

static void test_rand_token(void)
{
	char *a = rand_token(24), *b = rand_token(24);
	size_t i;

	REQUIRE(a && b);
	CHECK_EQ_INT((int)strlen(a), 24);
	CHECK(strcmp(a, b) != 0);
	for (i = 0; a[i]; i++)
		CHECK((a[i] >= 'a' && a[i] <= 'z') || (a[i] >= '0' && a[i] <= '9'));
	CHECK(rand_token(0) == NULL);
	CHECK(rand_token(33) == NULL);
	obj_deref(a);
	obj_deref(b);
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_refcount_runs_destructor_once_at_zero);
	RUN(test_fail_after_fails_nth_allocation);
	RUN(test_strings);
	RUN(test_buf_grows_and_prints);
	RUN(test_list_owns_members);
	RUN(test_hash_lookup);
	RUN(test_timers_fire_in_order_on_fake_clock);
	RUN(test_loop_dispatches_fd_and_real_timer);
	RUN(test_rand_token);
	return harness_done();
}
