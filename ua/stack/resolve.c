/* resolve.c: a worker thread running the lookups, an eventfd back to loop.
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
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "base/mem.h"
#include "ua/stack/resolve.h"

struct resolve_job {
	struct resolve_job *next;	   /**< queue or done list     */
	struct resolve_query *q;	   /**< requester or NULL      */
	char host[RESOLVE_HOST_MAX];	   /**< name to look up        */
	uint16_t port;			   /**< port without SRV       */
	const char *svcv[RESOLVE_SVC_MAX]; /**< SRV services         */
	size_t nsvc;			   /**< their number           */
	struct resolve_answer ans;	   /**< answer                 */
	int err;			   /**< lookup result          */
	char reason[RESOLVE_REASON_MAX];   /**< text of the error      */
};

struct resolve_query {
	struct resolve_job *job; /**< its job or NULL     */
	struct resolver *res;	 /**< resolver (no ref)   */
	struct tmr tmr;		 /**< timeout             */
	resolve_h *h;		 /**< handler (A/AAAA)    */
	resolve_answer_h *ah;	 /**< handler (server)    */
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
	unsigned seed;		   /**< SRV weights (worker only)  */
};

void resolve_opts_default(struct resolve_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->timeout_ms = 5000;
	o->max_queue = 64;
	o->lookh = resolve_getaddrinfo;
	o->srvh = resolve_dns_srv;
}

int resolve_dns_srv(const char *name, struct dns_srv *v, size_t max, size_t *np,
		    char *reason, size_t rsize, void *arg)
{
	(void)arg;
	return dns_srv_query(name, v, max, np, reason, rsize);
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

int resolve_sip_srv_addr(const char *host, struct sockaddr_storage *sa)
{
	static const char *const svc[] = {"_sip._udp", "_sip._tcp",
					  "_sips._tcp"};
	struct dns_srv v[DNS_SRV_MAX];
	char name[RESOLVE_HOST_MAX + 32], why[RESOLVE_REASON_MAX];
	unsigned seed = 1;
	size_t i, k, n;

	if (!host || !sa || strlen(host) >= RESOLVE_HOST_MAX)
		return EINVAL;
	for (k = 0; k < sizeof(svc) / sizeof(svc[0]); k++) {
		snprintf(name, sizeof(name), "%s.%s", svc[k], host);
		if (dns_srv_query(name, v, DNS_SRV_MAX, &n, why, sizeof(why)))
			continue;
		dns_srv_order(v, n, &seed);
		for (i = 0; i < n; i++) {
			if (v[i].target[0] &&
			    !resolve_getaddrinfo(v[i].target, sa, why,
						 sizeof(why), NULL))
				return 0;
		}
	}
	return ENOENT;
}

static void set_port(struct sockaddr_storage *sa, uint16_t port)
{
	if (sa->ss_family == AF_INET6)
		((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)sa)->sin_port = htons(port);
}

/* the addresses of the targets of @p sv (ordered): 0 when one resolves */
static int srv_targets(struct resolver *res, struct resolve_job *j,
		       struct dns_srv *sv, size_t n, unsigned svc)
{
	struct resolve_answer *a = &j->ans;
	struct resolve_addr *ad;
	int err = ENOENT;
	size_t i;

	dns_srv_order(sv, n, &res->seed);
	a->srv = true;
	a->ttl = RESOLVE_TTL_MAX;
	for (i = 0; i < n && a->n < RESOLVE_ADDR_MAX; i++) {
		if (!sv[i].target[0])
			continue;
		ad = &a->v[a->n];
		err = res->opts.lookh(sv[i].target, &ad->sa, j->reason,
				      sizeof(j->reason), res->opts.look_arg);
		if (err)
			continue;
		set_port(&ad->sa, sv[i].port);
		ad->svc = svc;
		if (sv[i].ttl < a->ttl)
			a->ttl = sv[i].ttl;
		a->n++;
	}
	if (a->n)
		return 0;
	if (err == ENOENT) {
		snprintf(j->reason, sizeof(j->reason),
			 "no %s server (SRV) resolves", j->svcv[svc]);
	}
	return err;
}

/* one job on the worker: SRV of each service in turn, else A/AAAA */
static int run_job(struct resolver *res, struct resolve_job *j)
{
	struct dns_srv sv[DNS_SRV_MAX];
	char name[RESOLVE_HOST_MAX + 32];
	size_t k, n;
	int err;

	memset(&j->ans, 0, sizeof(j->ans));
	for (k = 0; res->opts.srvh && k < j->nsvc; k++) {
		n = 0;
		snprintf(name, sizeof(name), "%s.%s", j->svcv[k], j->host);
		err = res->opts.srvh(name, sv, DNS_SRV_MAX, &n, j->reason,
				     sizeof(j->reason), res->opts.srv_arg);
		if (!err && n)
			return srv_targets(res, j, sv, n, (unsigned)k);
	}
	*j->reason = '\0';
	err = res->opts.lookh(j->host, &j->ans.v[0].sa, j->reason,
			      sizeof(j->reason), res->opts.look_arg);
	if (err)
		return err;
	set_port(&j->ans.v[0].sa, j->port);
	j->ans.n = 1;
	j->ans.ttl = RESOLVE_TTL_ADDR;
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
		j->err = run_job(res, j);
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
	const char *why = *j->reason ? j->reason : strerror(j->err);

	if (!q)
		return;
	detach(q);
	if (q->ah)
		q->ah(j->err, j->err ? NULL : &j->ans, j->err ? why : "",
		      q->arg);
	else if (!j->err)
		q->h(0, &j->ans.v[0].sa, "", q->arg);
	else
		q->h(j->err, NULL, why, q->arg);
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
	res->seed = (unsigned)time(NULL) ^ (unsigned)getpid();
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
	if (q->ah)
		q->ah(ETIMEDOUT, NULL, "lookup timed out", q->arg);
	else
		q->h(ETIMEDOUT, NULL, "lookup timed out", q->arg);
}

/* queue a job for @p req; one of @p h, @p ah answers */
static int submit(struct resolve_query **qp, struct resolver *res,
		  const struct resolve_req *req, resolve_h *h,
		  resolve_answer_h *ah, void *arg)
{
	struct resolve_query *q;
	struct resolve_job *j, **pp;

	if (!qp || !res || !req->host || !*req->host ||
	    strlen(req->host) >= RESOLVE_HOST_MAX ||
	    req->nsvc > RESOLVE_SVC_MAX)
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
	strcpy(j->host, req->host);
	j->port = req->port;
	j->nsvc = req->nsvc;
	memcpy(j->svcv, req->svcv, sizeof(j->svcv));
	j->q = q;
	q->job = j;
	q->res = res;
	q->h = h;
	q->ah = ah;
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

int resolve_query(struct resolve_query **qp, struct resolver *res,
		  const char *host, resolve_h *h, void *arg)
{
	struct resolve_req req = {.host = host};

	if (!h)
		return EINVAL;
	return submit(qp, res, &req, h, NULL, arg);
}

int resolve_query_srv(struct resolve_query **qp, struct resolver *res,
		      const struct resolve_req *req, resolve_answer_h *h,
		      void *arg)
{
	if (!req || !h)
		return EINVAL;
	return submit(qp, res, req, NULL, h, arg);
}
