/* loop.h: the event loop (epoll fd watchers + timers) passed to its users. */
#ifndef PB_BASE_LOOP_H
#define PB_BASE_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loop;

enum fd_flags {
	FD_READ = 1 << 0,  /**< wake when readable */
	FD_WRITE = 1 << 1, /**< wake when writable */
	FD_ERROR = 1 << 2, /**< reported on error/hang-up */
};

/** Called on the loop thread with the events that happened. */
typedef void(fd_h)(int fd, int flags, void *arg);
typedef void(tmr_h)(void *arg);

/**
 * A timer, embedded in the object that owns it. Zero-initialise, then
 * tmr_start(); the owner's destructor calls tmr_cancel().
 */
struct tmr {
	struct loop *loop; /**< loop it is armed on, or NULL */
	uint64_t due;      /**< absolute ms on the loop clock */
	uint64_t seq;      /**< tie-break: FIFO among equal dues */
	size_t idx;        /**< heap index while armed */
	tmr_h *h;          /**< handler */
	void *arg;         /**< handler argument */
};

int loop_alloc(struct loop **lp);
/** Watch @p fd for @p flags (0 removes); re-calling updates. */
int loop_fd_listen(struct loop *l, int fd, int flags, fd_h *h, void *arg);
void loop_fd_close(struct loop *l, int fd);
/** Run until loop_stop(); returns 0 or an errno. */
int loop_run(struct loop *l);
void loop_stop(struct loop *l);
/**
 * Run one iteration: wait up to @p max_ms (or less when a timer is due),
 * dispatch fd events and due timers. Returns 0 or errno.
 */
int loop_poll(struct loop *l, int max_ms);

/** Milliseconds on the loop clock (monotonic, or fake when enabled). */
uint64_t loop_now(const struct loop *l);
/**
 * Switch the loop to a fake clock starting at @p start_ms; time then only
 * moves with loop_advance(). For tests of protocol timers.
 */
void loop_clock_fake(struct loop *l, uint64_t start_ms);
/** Move the fake clock forward, firing every timer that falls due in order. */
void loop_advance(struct loop *l, uint64_t ms);

void tmr_start(struct loop *l, struct tmr *t, uint64_t delay_ms, tmr_h *h,
	       void *arg);
void tmr_cancel(struct tmr *t);
static inline bool tmr_isrunning(const struct tmr *t)
{
	return t && t->loop != NULL;
}
/** Milliseconds left before the timer fires (0 when not running). */
uint64_t tmr_left(const struct tmr *t);

/** Number of armed timers and watched fds (for leak checks in tests). */
size_t loop_tmr_count(const struct loop *l);
size_t loop_fd_count(const struct loop *l);

#endif
