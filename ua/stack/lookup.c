/* lookup.c: finding the servers of URIs (RFC 3263 SRV, then A/AAAA), with
 * a per-stack cache that keeps each answer for its TTL and remembers
 * which of several servers is in use (the next one after a failure).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "ua/stack/priv.h"

/* what a URI asks for: its host, port (0: none, SRV applies) and
   transport choice (0: none, else tsx_tp + 1) */
struct lookup_key {
	const char *name; /**< dst->host            */
	uint16_t port;	  /**< URI port or 0        */
	uint8_t choice;	  /**< transport asked for  */
	enum tsx_tp tp;	  /**< transport without SRV */
};

struct stack_lookup {
	struct stack *st;		     /**< stack (no ref)     */
	struct resolve_query *q;	     /**< the lookup         */
	struct tsx_addr dst;		     /**< transport, host    */
	uint16_t port;			     /**< key: URI port      */
	uint8_t choice;			     /**< key: URI transport */
	enum tsx_tp svc_tp[RESOLVE_SVC_MAX]; /**< tp of each service */
	stack_dst_h *h;			     /**< handler            */
	void *arg;			     /**< its argument       */
};

static const char *const svc_name[STACK_TP_N] = {"_sip._udp", "_sip._tcp",
						 "_sips._tcp"};

/* the destination of @p uri without a lookup (stack_uri_dst()); for a
   name (ENOTSUP) also its cache key */
static int uri_key(const struct sip_uri *uri, struct tsx_addr *dst,
		   struct lookup_key *k)
{
	struct pl v;
	int err = stack_uri_dst(uri, dst);

	if (err != ENOTSUP || !dst->host[0])
		return err;
	k->name = dst->host;
	k->port = uri->port;
	k->tp = dst->tp;
	k->choice = (uri->scheme == SIP_URI_SIPS ||
		     !sip_uri_param(uri, "transport", &v))
			? (uint8_t)(dst->tp + 1)
			: 0;
	return ENOTSUP;
}

static struct stack_host *host_find(struct stack *st,
				    const struct lookup_key *k)
{
	struct stack_host *e;
	size_t i;

	for (i = 0; i < STACK_HOSTS_N; i++) {
		e = &st->hostv[i];
		if (e->name[0] && e->port == k->port &&
		    e->choice == k->choice && !strcasecmp(e->name, k->name))
			return e;
	}
	return NULL;
}

/* the entry's server in use into @p dst (0), or ENOENT (none, stale) */
static int host_use(struct stack *st, const struct lookup_key *k,
		    struct tsx_addr *dst)
{
	struct stack_host *e = host_find(st, k);

	if (!e || e->cur >= e->n ||
	    e->expires <= loop_now(tsx_layer_loop(st->tl)))
		return ENOENT;
	dst->sa = e->tv[e->cur].sa;
	dst->tp = e->tv[e->cur].tp;
	return 0;
}

/* the address of k->name in use by any fresh entry, with k's port and
   transport (0), or ENOTSUP */
static int host_addr_any(struct stack *st, const struct lookup_key *k,
			 struct tsx_addr *dst)
{
	uint64_t now = loop_now(tsx_layer_loop(st->tl));
	struct stack_host *e;
	size_t i;

	for (i = 0; i < STACK_HOSTS_N; i++) {
		e = &st->hostv[i];
		if (!e->name[0] || e->expires <= now || e->cur >= e->n ||
		    strcasecmp(e->name, k->name))
			continue;
		dst->sa = e->tv[e->cur].sa;
		dst->tp = k->tp;
		if (dst->sa.ss_family == AF_INET6)
			((struct sockaddr_in6 *)&dst->sa)->sin6_port =
			    htons(k->port);
		else
			((struct sockaddr_in *)&dst->sa)->sin_port =
			    htons(k->port);
		return 0;
	}
	return ENOTSUP;
}

static struct stack_host *host_slot(struct stack *st,
				    const struct lookup_key *k)
{
	uint64_t now = loop_now(tsx_layer_loop(st->tl));
	struct stack_host *e = host_find(st, k), *old = &st->hostv[0];
	size_t i;

	for (i = 0; !e && i < STACK_HOSTS_N; i++) {
		if (!st->hostv[i].name[0] || st->hostv[i].expires <= now)
			return &st->hostv[i];
		if (st->hostv[i].expires < old->expires)
			old = &st->hostv[i];
	}
	return e ? e : old;
}

static void host_store(struct stack_lookup *l, const struct resolve_answer *a)
{
	struct lookup_key k = {l->dst.host, l->port, l->choice, l->dst.tp};
	struct stack_host *e = host_slot(l->st, &k);
	uint32_t ttl = a->ttl ? a->ttl : 1; /* long enough to fail over */
	size_t i;

	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s", l->dst.host);
	e->port = l->port;
	e->choice = l->choice;
	for (i = 0; i < a->n && i < RESOLVE_ADDR_MAX; i++) {
		e->tv[i].sa = a->v[i].sa;
		e->tv[i].tp = a->v[i].svc < RESOLVE_SVC_MAX
				  ? l->svc_tp[a->v[i].svc]
				  : l->dst.tp;
	}
	e->n = i;
	e->expires =
	    loop_now(tsx_layer_loop(l->st->tl)) +
	    (uint64_t)(ttl < RESOLVE_TTL_MAX ? ttl : RESOLVE_TTL_MAX) * 1000;
}

void stack_host_forget(struct stack *st, const char *host)
{
	size_t i;

	if (!st || !host)
		return;
	for (i = 0; i < STACK_HOSTS_N; i++) {
		if (!strcasecmp(st->hostv[i].name, host))
			st->hostv[i].name[0] = '\0';
	}
}

static bool same_target(const struct stack_target *t,
			const struct tsx_addr *dst)
{
	const struct sockaddr_storage *a = &t->sa, *b = &dst->sa;

	if (t->tp != dst->tp || a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET6)
		return !memcmp(a, b, sizeof(struct sockaddr_in6));
	return ((const struct sockaddr_in *)a)->sin_port ==
		   ((const struct sockaddr_in *)b)->sin_port &&
	       ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		   ((const struct sockaddr_in *)b)->sin_addr.s_addr;
}

int stack_dst_failed(struct stack *st, const struct tsx_addr *dst)
{
	uint64_t now;
	struct stack_host *e;
	int err = ENOENT;
	size_t i;

	if (!st || !dst || !dst->host[0])
		return EINVAL;
	now = loop_now(tsx_layer_loop(st->tl));
	for (i = 0; i < STACK_HOSTS_N; i++) {
		e = &st->hostv[i];
		if (!e->name[0] || strcasecmp(e->name, dst->host) ||
		    e->cur >= e->n || !same_target(&e->tv[e->cur], dst))
			continue;
		if (++e->cur < e->n && e->expires > now)
			err = 0;
		else
			e->name[0] = '\0'; /* all failed: look it up again */
	}
	return err;
}

int stack_set_resolve_opts(struct stack *st, const struct resolve_opts *o)
{
	if (!st || !o)
		return EINVAL;
	if (st->res)
		return EALREADY;
	st->res_opts = *o;
	return 0;
}

static void lookup_destroy(void *data)
{
	struct stack_lookup *l = data;

	obj_deref(l->q);
}

static void answer_h(int err, const struct resolve_answer *a,
		     const char *reason, void *arg)
{
	struct stack_lookup *l = arg;
	char why[RESOLVE_HOST_MAX + RESOLVE_REASON_MAX + 32];
	struct lookup_key k = {l->dst.host, l->port, l->choice, l->dst.tp};
	struct tsx_addr dst;

	l->q = obj_deref(l->q);
	if (err) {
		snprintf(why, sizeof(why), "cannot resolve %s: %s", l->dst.host,
			 reason);
		l->h(err, NULL, why, l->arg);
		return;
	}
	host_store(l, a);
	dst = l->dst; /* the handler may free l */
	(void)host_use(l->st, &k, &dst);
	l->h(0, &dst, "", l->arg);
}

/* what to ask the resolver for @p k: SRV unless the URI has a port
   (RFC 3263 4.2); the URI's transport, else UDP then TCP (when the
   stack has TCP) */
static void lookup_req(struct stack_lookup *l, const struct lookup_key *k,
		       struct resolve_req *req)
{
	memset(req, 0, sizeof(*req));
	req->host = l->dst.host;
	req->port = k->port ? k->port : k->tp == TSX_TP_TLS ? 5061 : 5060;
	l->svc_tp[0] = k->tp;
	if (k->port)
		return;
	if (k->choice) {
		req->svcv[req->nsvc++] = svc_name[k->tp];
		return;
	}
	req->svcv[req->nsvc++] = svc_name[TSX_TP_UDP];
	l->svc_tp[0] = TSX_TP_UDP;
	if (l->st->tpv[TSX_TP_TCP].set) {
		l->svc_tp[req->nsvc] = TSX_TP_TCP;
		req->svcv[req->nsvc++] = svc_name[TSX_TP_TCP];
	}
}

/* The destination of @p uri from what is known without a lookup: 0 with
 * @p dst set (an IP literal, localhost, or a name in the cache), EAGAIN
 * when the name (@p k) must be looked up, or an errno. */
static int uri_cached(struct stack *st, const struct sip_uri *uri,
		      struct tsx_addr *dst, struct lookup_key *k)
{
	int err = uri_key(uri, dst, k);

	if (err != ENOTSUP || !dst->host[0])
		return err;
	return host_use(st, k, dst) ? EAGAIN : 0;
}

int stack_uri_resolve(struct stack_lookup **lp, struct stack *st,
		      const struct sip_uri *uri, struct tsx_addr *dst,
		      stack_dst_h *h, void *arg)
{
	struct stack_lookup *l;
	struct lookup_key k = {0};
	struct resolve_req req;
	int err;

	if (!lp || !st || !h)
		return EINVAL;
	err = uri_cached(st, uri, dst, &k);
	if (err != EAGAIN)
		return err;
	if (!st->res) {
		if (!st->res_opts.lookh)
			resolve_opts_default(&st->res_opts);
		err = resolver_alloc(&st->res, tsx_layer_loop(st->tl),
				     &st->res_opts);
		if (err)
			return err;
	}
	l = obj_zalloc(sizeof(*l), lookup_destroy);
	if (!l)
		return ENOMEM;
	l->st = st;
	l->dst = *dst;
	l->port = k.port;
	l->choice = k.choice;
	l->h = h;
	l->arg = arg;
	lookup_req(l, &k, &req);
	err = resolve_query_srv(&l->q, st->res, &req, answer_h, l);
	if (err) {
		obj_deref(l);
		return err;
	}
	*lp = l;
	return EINPROGRESS;
}

int stack_uri_dst_cached(struct stack *st, const struct sip_uri *uri,
			 struct tsx_addr *dst)
{
	struct lookup_key k = {0};
	int err;

	if (!st)
		return EINVAL;
	err = uri_cached(st, uri, dst, &k);
	if (err != EAGAIN)
		return err;
	/* a port in the URI: the name's address from any lookup of it */
	return k.port ? host_addr_any(st, &k, dst) : ENOTSUP;
}
