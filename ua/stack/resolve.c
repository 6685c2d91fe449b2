/* resolve.c: a worker thread running the lookup, an eventfd back to loop.
 *
 * Every lookup is a job owned by the resolver (queue -> worker -> done
 * list, all under one mutex). The requester holds a query that points
 * to its job; the job points back while the query lives. Freeing the
 * query, or its timeout, detaches the two; the job still finishes on
 * the worker and is dropped on the loop. The worker only touches the
 * job's fixed-size fields, never the allocator.
 */
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "base/mem.h"
#include "ua/stack/resolve.h"

struct resolve_job {
	struct resolve_job *next;	 /**< queue or done list     */
	struct resolve_query *q;	 /**< requester or NULL      */
	char host[RESOLVE_HOST_MAX];	 /**< name to look up        */
	struct sockaddr_storage sa;	 /**< answer                 */
	int err;			 /**< lookup result          */
	char reason[RESOLVE_REASON_MAX]; /**< text of the error      */
};

struct resolve_query {
	struct resolve_job *job; /**< its job or NULL     */
	struct resolver *res;	 /**< resolver (no ref)   */
	struct tmr tmr;		 /**< timeout             */
	resolve_h *h;		 /**< handler             */
	void *arg;		 /**< its argument        */
};

struct resolver {
	struct loop *loop;	   /**< answers go here            */
	struct resolve_opts opts;  /**< options                    */
	pthread_t thr;		   /**< worker                     */
	bool started;		   /**< thread running             */
	pthread_mutex_t mtx;	   /**< guards the lists and stop  */
	pthread_cond_t cond;	   /**< wakes the worker           */
	struct resolve_job *queue; /**< waiting (FIFO head)        */
	struct resolve_job *done;  /**< answered, for the loop     */
	size_t npending;	   /**< jobs not yet collected     */
	bool stop;		   /**< worker should exit         */
	int efd;		   /**< eventfd worker -> loop     */
};

void resolve_opts_default(struct resolve_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->timeout_ms = 5000;
	o->max_queue = 64;
	o->lookh = resolve_getaddrinfo;
}

int resolve_getaddrinfo(const char *host, struct sockaddr_storage *sa,
			char *reason, size_t rsize, void *arg)
{
	struct addrinfo hints, *ai = NULL;
	int rc;

	(void)arg;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_ADDRCONFIG;
	rc = getaddrinfo(host, NULL, &hints, &ai);
	if (rc) {
		snprintf(reason, rsize, "%s", gai_strerror(rc));
		return rc == EAI_AGAIN ? EAGAIN : ENOENT;
	}
	if (ai->ai_addrlen > sizeof(*sa)) {
		freeaddrinfo(ai);
		snprintf(reason, rsize, "address too long");
		return EINVAL;
	}
	memset(sa, 0, sizeof(*sa));
	memcpy(sa, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	return 0;
}

static void *worker(void *arg)
{
	struct resolver *res = arg;
	struct resolve_job *j;
	uint64_t one = 1;

	pthread_mutex_lock(&res->mtx);
	for (;;) {
		while (!res->stop && !res->queue)
			pthread_cond_wait(&res->cond, &res->mtx);
		if (res->stop)
			break;
		j = res->queue;
		res->queue = j->next;
		pthread_mutex_unlock(&res->mtx);
		j->err = res->opts.lookh(j->host, &j->sa, j->reason,
					 sizeof(j->reason), res->opts.look_arg);
		pthread_mutex_lock(&res->mtx);
		j->next = res->done;
		res->done = j;
		if (write(res->efd, &one, sizeof(one)) < 0)
			break; /* cannot happen with an eventfd below max */
	}
	pthread_mutex_unlock(&res->mtx);
	return NULL;
}

static void detach(struct resolve_query *q)
{
	tmr_cancel(&q->tmr);
	if (q->job)
		q->job->q = NULL;
	q->job = NULL;
}

static void deliver(struct resolve_job *j)
{
	struct resolve_query *q = j->q;

	if (!q)
		return;
	detach(q);
	if (!j->err)
		q->h(0, &j->sa, "", q->arg);
	else
		q->h(j->err, NULL, *j->reason ? j->reason : strerror(j->err),
		     q->arg);
}

static void event_h(int fd, int flags, void *arg)
{
	struct resolver *res = arg;
	struct resolve_job *list, *j, *rev = NULL;
	uint64_t n;

	(void)flags;
	if (read(fd, &n, sizeof(n)) < 0)
		return;
	pthread_mutex_lock(&res->mtx);
	list = res->done;
	res->done = NULL;
	pthread_mutex_unlock(&res->mtx);
	while (list) { /* answer in the order the worker finished */
		j = list;
		list = j->next;
		j->next = rev;
		rev = j;
	}
	while (rev) {
		j = rev;
		rev = j->next;
		res->npending--;
		deliver(j);
		obj_deref(j);
	}
}

static void free_jobs(struct resolve_job *j)
{
	struct resolve_job *next;

	for (; j; j = next) {
		next = j->next;
		if (j->q)
			j->q->job = NULL;
		obj_deref(j);
	}
}

static void resolver_destroy(void *data)
{
	struct resolver *res = data;

	if (res->started) {
		pthread_mutex_lock(&res->mtx);
		res->stop = true;
		pthread_cond_signal(&res->cond);
		pthread_mutex_unlock(&res->mtx);
		pthread_join(res->thr, NULL);
	}
	free_jobs(res->queue);
	free_jobs(res->done);
	if (res->efd >= 0) {
		loop_fd_close(res->loop, res->efd);
		close(res->efd);
	}
	pthread_cond_destroy(&res->cond);
	pthread_mutex_destroy(&res->mtx);
}

int resolver_alloc(struct resolver **rp, struct loop *loop,
		   const struct resolve_opts *opts)
{
	struct resolver *res;
	int err;

	if (!rp || !loop)
		return EINVAL;
	res = obj_zalloc(sizeof(*res), resolver_destroy);
	if (!res)
		return ENOMEM;
	res->loop = loop;
	if (opts)
		res->opts = *opts;
	else
		resolve_opts_default(&res->opts);
	if (!res->opts.lookh)
		res->opts.lookh = resolve_getaddrinfo;
	if (!res->opts.max_queue)
		res->opts.max_queue = 64;
	pthread_mutex_init(&res->mtx, NULL);
	pthread_cond_init(&res->cond, NULL);
	res->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (res->efd < 0) {
		err = errno;
		goto out;
	}
	err = loop_fd_listen(loop, res->efd, FD_READ, event_h, res);
	if (err)
		goto out;
	err = pthread_create(&res->thr, NULL, worker, res);
	res->started = !err;
out:
	if (err)
		obj_deref(res);
	else
		*rp = res;
	return err;
}

static void query_destroy(void *data)
{
	detach(data);
}

static void timeout_h(void *arg)
{
	struct resolve_query *q = arg;

	detach(q);
	q->h(ETIMEDOUT, NULL, "lookup timed out", q->arg);
}

int resolve_query(struct resolve_query **qp, struct resolver *res,
		  const char *host, resolve_h *h, void *arg)
{
	struct resolve_query *q;
	struct resolve_job *j, **pp;

	if (!qp || !res || !host || !*host || !h ||
	    strlen(host) >= RESOLVE_HOST_MAX)
		return EINVAL;
	if (res->npending >= res->opts.max_queue)
		return EBUSY;
	q = obj_zalloc(sizeof(*q), query_destroy);
	j = obj_zalloc(sizeof(*j), NULL);
	if (!q || !j) {
		obj_deref(q);
		obj_deref(j);
		return ENOMEM;
	}
	strcpy(j->host, host);
	j->q = q;
	q->job = j;
	q->res = res;
	q->h = h;
	q->arg = arg;
	if (res->opts.timeout_ms)
		tmr_start(res->loop, &q->tmr, res->opts.timeout_ms, timeout_h,
			  q);
	pthread_mutex_lock(&res->mtx);
	for (pp = &res->queue; *pp; pp = &(*pp)->next)
		;
	*pp = j;
	res->npending++;
	pthread_cond_signal(&res->cond);
	pthread_mutex_unlock(&res->mtx);
	*qp = q;
	return 0;
}
