/* lookup.c: resolving the host names of URIs, with a per-stack cache. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <strings.h>

#include "base/mem.h"
#include "ua/stack/priv.h"

struct stack_lookup {
	struct stack *st;	 /**< stack (not referenced) */
	struct resolve_query *q; /**< the lookup             */
	struct tsx_addr dst;	 /**< transport, host, port  */
	uint16_t port;		 /**< port to put in         */
	stack_dst_h *h;		 /**< handler                */
	void *arg;		 /**< its argument           */
};

static void set_port(struct sockaddr_storage *sa, uint16_t port)
{
	if (sa->ss_family == AF_INET6)
		((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)sa)->sin_port = htons(port);
}

static struct stack_host *host_find(struct stack *st, const char *name)
{
	size_t i;

	for (i = 0; i < STACK_HOSTS_N; i++) {
		if (st->hostv[i].name[0] &&
		    !strcasecmp(st->hostv[i].name, name))
			return &st->hostv[i];
	}
	return NULL;
}

static void host_store(struct stack *st, const char *name,
		       const struct sockaddr_storage *sa)
{
	uint64_t now = loop_now(tsx_layer_loop(st->tl));
	struct stack_host *e = host_find(st, name), *old = &st->hostv[0];
	size_t i;

	for (i = 0; !e && i < STACK_HOSTS_N; i++) {
		if (!st->hostv[i].name[0] || st->hostv[i].expires <= now) {
			e = &st->hostv[i];
			break;
		}
		if (st->hostv[i].expires < old->expires)
			old = &st->hostv[i];
	}
	if (!e)
		e = old;
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->sa = *sa;
	e->expires = now + STACK_HOST_TTL_MS;
}

void stack_host_forget(struct stack *st, const char *host)
{
	struct stack_host *e;

	if (!st || !host)
		return;
	e = host_find(st, host);
	if (e)
		e->name[0] = '\0';
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

static void answer_h(int err, const struct sockaddr_storage *sa,
		     const char *reason, void *arg)
{
	struct stack_lookup *l = arg;
	char why[RESOLVE_HOST_MAX + RESOLVE_REASON_MAX + 32];
	struct tsx_addr dst;

	l->q = obj_deref(l->q);
	if (err) {
		snprintf(why, sizeof(why), "cannot resolve %s: %s", l->dst.host,
			 reason);
		l->h(err, NULL, why, l->arg);
		return;
	}
	host_store(l->st, l->dst.host, sa);
	dst = l->dst; /* the handler may free l */
	dst.sa = *sa;
	set_port(&dst.sa, l->port);
	l->h(0, &dst, "", l->arg);
}

int stack_uri_resolve(struct stack_lookup **lp, struct stack *st,
		      const struct sip_uri *uri, struct tsx_addr *dst,
		      stack_dst_h *h, void *arg)
{
	struct stack_host *e;
	struct stack_lookup *l;
	uint16_t port;
	int err;

	if (!lp || !st || !h)
		return EINVAL;
	err = stack_uri_dst(uri, dst);
	if (err != ENOTSUP || !dst->host[0])
		return err;
	port = uri->port ? uri->port : dst->tp == TSX_TP_TLS ? 5061 : 5060;
	e = host_find(st, dst->host);
	if (e && e->expires > loop_now(tsx_layer_loop(st->tl))) {
		dst->sa = e->sa;
		set_port(&dst->sa, port);
		return 0;
	}
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
	l->port = port;
	l->h = h;
	l->arg = arg;
	err = resolve_query(&l->q, st->res, dst->host, answer_h, l);
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
	struct stack_host *e;
	int err;

	if (!st)
		return EINVAL;
	err = stack_uri_dst(uri, dst);
	if (err != ENOTSUP || !dst->host[0])
		return err;
	e = host_find(st, dst->host);
	if (!e || e->expires <= loop_now(tsx_layer_loop(st->tl)))
		return ENOTSUP;
	dst->sa = e->sa;
	set_port(&dst->sa, uri->port		   ? uri->port
			   : dst->tp == TSX_TP_TLS ? 5061
						   : 5060);
	return 0;
}
