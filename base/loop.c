/* loop.c: epoll event loop with a binary min-heap of embedded timers.
 *
 * fd watchers live in a table indexed by fd. Timers are ordered by (due,
 * seq) so timers with the same due time fire in the order they were
 * started. With a fake clock (tests), time moves only through
 * loop_advance(), which fires each due timer with the clock set to its due
 * time, so protocol timers can be checked to the millisecond.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"
#include "mem.h"

struct fd_watch {
	fd_h *h;   /**< handler, NULL when unused */
	void *arg; /**< handler argument */
	int flags; /**< FD_READ | FD_WRITE */
};

struct loop {
	int epfd;             /**< epoll instance */
	struct fd_watch *fds; /**< indexed by fd */
	size_t nfds_alloc;    /**< size of fds */
	size_t nfds;          /**< watched fds */
	struct tmr **heap;    /**< timer min-heap */
	size_t nheap;         /**< armed timers */
	size_t heap_alloc;    /**< heap capacity */
	uint64_t seq;         /**< next timer sequence */
	bool fake;            /**< fake clock in use */
	uint64_t fake_now;    /**< fake clock value */
	bool stop;            /**< loop_run() should return */
};

static void loop_destroy(void *arg)
{
	struct loop *l = arg;
	while (l->nheap)
		tmr_cancel(l->heap[0]);
	if (l->epfd >= 0)
		close(l->epfd);
	obj_deref(l->fds);
	obj_deref(l->heap);
}

int loop_alloc(struct loop **lp)
{
	if (!lp)
		return EINVAL;
	struct loop *l = obj_zalloc(sizeof(*l), loop_destroy);
	if (!l)
		return ENOMEM;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		int err = errno;
		obj_deref(l);
		return err;
	}
	*lp = l;
	return 0;
}

uint64_t loop_now(const struct loop *l)
{
	if (l && l->fake)
		return l->fake_now;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void loop_clock_fake(struct loop *l, uint64_t start_ms)
{
	l->fake = true;
	l->fake_now = start_ms;
}

/* ---- fd watchers ---- */

static uint32_t ep_events(int flags)
{
	uint32_t ev = 0;
	if (flags & FD_READ)
		ev |= EPOLLIN;
	if (flags & FD_WRITE)
		ev |= EPOLLOUT;
	return ev;
}

int loop_fd_listen(struct loop *l, int fd, int flags, fd_h *h, void *arg)
{
	if (!l || fd < 0)
		return EINVAL;
	if (!flags || !h) {
		loop_fd_close(l, fd);
		return 0;
	}
	if ((size_t)fd >= l->nfds_alloc) {
		size_t n = l->nfds_alloc ? l->nfds_alloc : 64;
		while (n <= (size_t)fd)
			n *= 2;
		struct fd_watch *nf = obj_realloc(l->fds, n * sizeof(*nf));
		if (!nf)
			return ENOMEM;
		memset(nf + l->nfds_alloc, 0,
		       (n - l->nfds_alloc) * sizeof(*nf));
		l->fds = nf;
		l->nfds_alloc = n;
	}
	struct fd_watch *w = &l->fds[fd];
	struct epoll_event ev = {.events = ep_events(flags), .data.fd = fd};
	int op = w->h ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	if (epoll_ctl(l->epfd, op, fd, &ev) < 0)
		return errno;
	if (!w->h)
		l->nfds++;
	w->h = h;
	w->arg = arg;
	w->flags = flags;
	return 0;
}

void loop_fd_close(struct loop *l, int fd)
{
	if (!l || fd < 0 || (size_t)fd >= l->nfds_alloc || !l->fds[fd].h)
		return;
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
	memset(&l->fds[fd], 0, sizeof(l->fds[fd]));
	l->nfds--;
}

size_t loop_fd_count(const struct loop *l)
{
	return l->nfds;
}

/* ---- timers ---- */

static bool tmr_before(const struct tmr *a, const struct tmr *b)
{
	return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static void heap_set(struct loop *l, size_t i, struct tmr *t)
{
	l->heap[i] = t;
	t->idx = i;
}

static void heap_up(struct loop *l, size_t i)
{
	struct tmr *t = l->heap[i];
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!tmr_before(t, l->heap[p]))
			break;
		heap_set(l, i, l->heap[p]);
		i = p;
	}
	heap_set(l, i, t);
}

static void heap_down(struct loop *l, size_t i)
{
	struct tmr *t = l->heap[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= l->nheap)
			break;
		if (c + 1 < l->nheap && tmr_before(l->heap[c + 1], l->heap[c]))
			c++;
		if (!tmr_before(l->heap[c], t))
			break;
		heap_set(l, i, l->heap[c]);
		i = c;
	}
	heap_set(l, i, t);
}

void tmr_cancel(struct tmr *t)
{
	if (!t || !t->loop)
		return;
	struct loop *l = t->loop;
	size_t i = t->idx;
	struct tmr *last = l->heap[--l->nheap];
	if (i < l->nheap) {
		heap_set(l, i, last);
		heap_up(l, i);
		heap_down(l, last->idx);
	}
	t->loop = NULL;
}

void tmr_start(struct loop *l, struct tmr *t, uint64_t delay_ms, tmr_h *h,
	       void *arg)
{
	tmr_cancel(t);
	if (!l || !h)
		return;
	if (l->nheap == l->heap_alloc) {
		size_t n = l->heap_alloc ? l->heap_alloc * 2 : 64;
		struct tmr **nh = obj_realloc(l->heap, n * sizeof(*nh));
		if (!nh) {
			/* Out of memory: fire as soon as possible instead of
			 * silently losing the timer is impossible here; the
			 * caller sees tmr_isrunning() false. */
			return;
		}
		l->heap = nh;
		l->heap_alloc = n;
	}
	t->loop = l;
	t->due = loop_now(l) + delay_ms;
	t->seq = l->seq++;
	t->h = h;
	t->arg = arg;
	l->heap[l->nheap++] = t;
	heap_up(l, l->nheap - 1);
}

uint64_t tmr_left(const struct tmr *t)
{
	if (!t || !t->loop)
		return 0;
	uint64_t now = loop_now(t->loop);
	return t->due > now ? t->due - now : 0;
}

size_t loop_tmr_count(const struct loop *l)
{
	return l->nheap;
}

/* Fire every timer due at or before @p now. */
static void fire_due(struct loop *l, uint64_t now)
{
	while (l->nheap && l->heap[0]->due <= now) {
		struct tmr *t = l->heap[0];
		tmr_cancel(t);
		if (l->fake && t->due > l->fake_now)
			l->fake_now = t->due;
		t->h(t->arg);
	}
}

void loop_advance(struct loop *l, uint64_t ms)
{
	uint64_t end = l->fake_now + ms;
	fire_due(l, end);
	l->fake_now = end;
}

/* ---- running ---- */

int loop_poll(struct loop *l, int max_ms)
{
	int wait = max_ms;
	if (l->nheap && !l->fake) {
		uint64_t now = loop_now(l);
		uint64_t due = l->heap[0]->due;
		int left = due > now ? (int)(due - now) : 0;
		if (wait < 0 || left < wait)
			wait = left;
	}
	struct epoll_event ev[64];
	int n = epoll_wait(l->epfd, ev, 64, wait);
	if (n < 0 && errno != EINTR)
		return errno;
	for (int i = 0; i < n; i++) {
		int fd = ev[i].data.fd;
		if ((size_t)fd >= l->nfds_alloc || !l->fds[fd].h)
			continue; /* closed by an earlier handler */
		int flags = 0;
		if (ev[i].events & EPOLLIN)
			flags |= FD_READ;
		if (ev[i].events & EPOLLOUT)
			flags |= FD_WRITE;
		if (ev[i].events & (EPOLLERR | EPOLLHUP))
			flags |= FD_ERROR | (l->fds[fd].flags & FD_READ);
		l->fds[fd].h(fd, flags, l->fds[fd].arg);
	}
	if (!l->fake)
		fire_due(l, loop_now(l));
	return 0;
}

int loop_run(struct loop *l)
{
	l->stop = false;
	while (!l->stop) {
		int err = loop_poll(l, -1);
		if (err)
			return err;
	}
	return 0;
}

void loop_stop(struct loop *l)
{
	l->stop = true;
}
