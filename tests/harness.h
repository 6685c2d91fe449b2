/* harness.h: a tiny test harness: checks, leak accounting, a watchdog.
 *
 * A test file defines `static void test_x(void)` functions and a main() that
 * calls RUN(test_x) for each, then returns harness_done(). Each RUN checks
 * that the test left no live allocation behind. A failed CHECK prints the
 * location and the values and marks the test failed; REQUIRE also returns.
 */
#ifndef PB_TESTS_HARNESS_H
#define PB_TESTS_HARNESS_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"

static int harness_failed_checks;
static int harness_passed, harness_failed;
static const char *harness_cur;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n",     \
				__FILE__, __LINE__, harness_cur, #cond);     \
			harness_failed_checks++;                             \
		}                                                            \
	} while (0)

#define REQUIRE(cond)                                                        \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "%s:%d: %s: REQUIRE(%s) failed\n",   \
				__FILE__, __LINE__, harness_cur, #cond);     \
			harness_failed_checks++;                             \
			return;                                              \
		}                                                            \
	} while (0)

#define CHECK_EQ_INT(a, b)                                                   \
	do {                                                                 \
		long long va_ = (long long)(a), vb_ = (long long)(b);        \
		if (va_ != vb_) {                                            \
			fprintf(stderr, "%s:%d: %s: %s == %s: %lld != %lld\n", \
				__FILE__, __LINE__, harness_cur, #a, #b, va_, \
				vb_);                                        \
			harness_failed_checks++;                             \
		}                                                            \
	} while (0)

#define CHECK_EQ_STR(a, b)                                                   \
	do {                                                                 \
		const char *sa_ = (a), *sb_ = (b);                           \
		if (!sa_ || !sb_ || strcmp(sa_, sb_)) {                      \
			fprintf(stderr, "%s:%d: %s: %s == %s: '%s' != '%s'\n", \
				__FILE__, __LINE__, harness_cur, #a, #b,     \
				sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)"); \
			harness_failed_checks++;                             \
		}                                                            \
	} while (0)

/** Compare a struct pl with a C string. */
#define CHECK_PL(view, s)                                                      \
	do {                                                                 \
		struct pl pl_ = (view);                                        \
		const char *s_ = (s);                                        \
		if (pl_.l != strlen(s_) || (pl_.l && memcmp(pl_.p, s_, pl_.l))) { \
			fprintf(stderr, "%s:%d: %s: %s: '%.*s' != '%s'\n",   \
				__FILE__, __LINE__, harness_cur, #view,        \
				(int)pl_.l, pl_.p ? pl_.p : "", s_);         \
			harness_failed_checks++;                             \
		}                                                            \
	} while (0)

static inline void harness_run(void (*fn)(void), const char *name)
{
	struct obj_stats before, after;
	int fails = harness_failed_checks;
	harness_cur = name;
	obj_stats_get(&before);
	fn();
	obj_fail_after(0);
	obj_stats_get(&after);
	if (after.blocks != before.blocks) {
		fprintf(stderr, "%s: leaked %zd blocks\n", name,
			(ssize_t)(after.blocks - before.blocks));
		harness_failed_checks++;
	}
	if (harness_failed_checks == fails) {
		harness_passed++;
		printf("ok   %s\n", name);
	} else {
		harness_failed++;
		printf("FAIL %s\n", name);
	}
	fflush(stdout);
}

#define RUN(fn) harness_run(fn, #fn)

/** Print the plain summary line and return the exit status. */
static inline int harness_done(void)
{
	printf("%d passed, %d failed\n", harness_passed, harness_failed);
	return harness_failed ? 1 : 0;
}

static inline void harness_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "watchdog: test hung, aborting\n";
	ssize_t r = write(2, msg, sizeof(msg) - 1);
	(void)r;
	_exit(3);
}

/** Abort the process if it runs longer than @p seconds. */
static inline void harness_watchdog(unsigned seconds)
{
	signal(SIGALRM, harness_alarm);
	alarm(seconds);
}

/** Path of a file in tests/data (PB_TESTDATA is set by CMake). */
static inline const char *harness_data(const char *rel, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%s", PB_TESTDATA, rel);
	return buf;
}

#endif
