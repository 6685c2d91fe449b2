/* stack.c: the stack object: transports, decoding, dispatch to the TU. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>

#include "base/mem.h"
#define LOG_TAG "stack"
#include "base/log.h"
#include "ua/stack/priv.h"

void stack_opts_default(struct stack_opts *o)
{
	o->user_agent = "phonebox";
	o->allow = "INVITE, ACK, CANCEL, BYE, OPTIONS, PRACK, UPDATE, INFO, "
		   "REFER, NOTIFY, MESSAGE";
	o->supported = "replaces, 100rel";
	tsx_opts_default(&o->tsx);
}

static void stack_destroy(void *data)
{
	struct stack *st = data;

	stack_udp_close(st);
	obj_deref(st->res);
	obj_deref(st->tl);
	obj_deref(st->user_agent);
	obj_deref(st->allow);
	obj_deref(st->supported);
}

static int tl_send(const struct tsx_addr *dst, struct buf *mb, void *arg)
{
	return stack_send(arg, dst, mb);
}

int stack_send(struct stack *st, const struct tsx_addr *dst, struct buf *mb)
{
	const struct stack_tp *t;
	size_t pos;
	int err;

	if (!st || !dst || !mb || (unsigned)dst->tp >= STACK_TP_N)
		return EINVAL;
	t = &st->tpv[dst->tp];
	if (!t->set)
		return ENOTSUP;
	pos = mb->pos;
	if (st->traceh) {
		struct pl data = buf_pl(mb);
		st->traceh(true, dst, &data, st->trace_arg);
	}
	err = t->sendh(dst, mb, t->arg);
	mb->pos = pos;
	return err;
}

void stack_set_stray_handler(struct stack *st, stack_resp_h *h, void *arg)
{
	if (!st)
		return;
	st->strayh = h;
	st->stray_arg = arg;
}

void stack_set_trace(struct stack *st, stack_trace_h *h, void *arg)
{
	if (!st)
		return;
	st->traceh = h;
	st->trace_arg = arg;
}

const char *stack_user_agent(const struct stack *st)
{
	return st ? st->user_agent : "";
}

static void tsx_strayh(struct tsx_layer *tl, const struct sip_msg *msg,
		       const struct tsx_addr *src, void *arg)
{
	struct stack *st = arg;

	(void)tl;
	if (st->strayh)
		st->strayh(st, msg, src, st->stray_arg);
}

static void tsx_reqh(struct tsx_layer *tl, const struct sip_msg *msg,
		     const struct tsx_addr *src, void *arg)
{
	struct stack *st = arg;

	(void)tl;
	if (st->h && st->h->reqh) {
		st->h->reqh(st, msg, src, st->arg);
		return;
	}
	(void)stack_reply(st, msg, src, 501, NULL);
}

static const struct tsx_layer_handlers tsx_h = {tsx_reqh, tsx_strayh};

int stack_alloc(struct stack **sp, struct loop *loop,
		const struct stack_opts *opts, const struct stack_handlers *h,
		void *arg)
{
	struct stack_opts def;
	struct stack *st;
	int err;

	if (!sp || !loop)
		return EINVAL;
	if (!opts) {
		stack_opts_default(&def);
		opts = &def;
	}
	st = obj_zalloc(sizeof(*st), stack_destroy);
	if (!st)
		return ENOMEM;
	st->loop = loop;
	st->h = h;
	st->arg = arg;
	st->user_agent = obj_strdup(opts->user_agent ? opts->user_agent : "");
	st->allow = obj_strdup(opts->allow ? opts->allow : "");
	st->supported = obj_strdup(opts->supported ? opts->supported : "");
	if (!st->user_agent || !st->allow || !st->supported) {
		err = ENOMEM;
		goto out;
	}
	err =
	    tsx_layer_alloc(&st->tl, loop, &opts->tsx, tl_send, st, &tsx_h, st);
out:
	if (err)
		obj_deref(st);
	else
		*sp = st;
	return err;
}

static int af_slot(int af)
{
	return af == AF_INET ? 0 : af == AF_INET6 ? 1 : -1;
}

int stack_transport_add(struct stack *st, enum tsx_tp tp,
			const struct sockaddr_storage *laddr, tsx_send_h *sendh,
			void *arg)
{
	struct stack_tp *t;
	int i = laddr ? af_slot(laddr->ss_family) : -1;

	if (!st || i < 0 || !sendh || (unsigned)tp >= STACK_TP_N)
		return EINVAL;
	t = &st->tpv[tp];
	/* one address per family, both sent through the same handler */
	if (t->laddr[i].ss_family ||
	    (t->set && (t->sendh != sendh || t->arg != arg)))
		return EALREADY;
	t->set = true;
	t->laddr[i] = *laddr;
	t->sendh = sendh;
	t->arg = arg;
	return 0;
}

const struct sockaddr_storage *stack_laddr_af(const struct stack *st,
					      enum tsx_tp tp, int af)
{
	const struct stack_tp *t;
	int i = af_slot(af);

	if (!st || (unsigned)tp >= STACK_TP_N || !st->tpv[tp].set)
		return NULL;
	t = &st->tpv[tp];
	if (i < 0) /* any: IPv4 first */
		i = t->laddr[0].ss_family ? 0 : 1;
	return t->laddr[i].ss_family ? &t->laddr[i] : NULL;
}

const struct sockaddr_storage *stack_laddr(const struct stack *st,
					   enum tsx_tp tp)
{
	return stack_laddr_af(st, tp, AF_UNSPEC);
}

struct tsx_layer *stack_tsx(const struct stack *st)
{
	return st ? st->tl : NULL;
}

uint64_t stack_bad_count(const struct stack *st)
{
	return st ? st->nbad : 0;
}

/* enough of a request to route a response back (RFC 3261 8.2.6) */
static bool routable(const struct sip_msg *m)
{
	return m && m->req && m->viac && m->via.sentby.l &&
	       m->method != SIP_METHOD_ACK;
}

void stack_recv(struct stack *st, struct buf *mb, const struct tsx_addr *src)
{
	struct sip_decode_err derr;
	struct sip_msg *msg = NULL;
	int err;

	if (!st || !mb || !src)
		return;
	if (st->traceh) {
		struct pl data = buf_pl(mb);
		st->traceh(false, src, &data, st->trace_arg);
	}
	memset(&derr, 0, sizeof(derr));
	err = sip_msg_decode_ex(&msg, mb, &derr);
	if (err) {
		st->nbad++;
		if (derr.scode && routable(derr.partial))
			(void)stack_reply(st, derr.partial, src, derr.scode,
					  NULL);
		else
			DEBUG("dropped undecodable message (%s)\n",
			      derr.reason);
		obj_deref(derr.partial);
		return;
	}
	if (msg->req && !msg->viac) {
		st->nbad++;
		obj_deref(msg);
		return;
	}
	tsx_layer_recv(st->tl, msg, src);
	obj_deref(msg);
}

int stack_sa_hostport(const struct sockaddr_storage *sa, char *buf, size_t size)
{
	char ip[INET6_ADDRSTRLEN];
	int n;

	if (sa->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)sa;
		inet_ntop(AF_INET, &s->sin_addr, ip, sizeof(ip));
		n = snprintf(buf, size, "%s:%u", ip, ntohs(s->sin_port));
	} else if (sa->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const void *)sa;
		inet_ntop(AF_INET6, &s->sin6_addr, ip, sizeof(ip));
		n = snprintf(buf, size, "[%s]:%u", ip, ntohs(s->sin6_port));
	} else {
		return EINVAL;
	}
	return n < 0 || (size_t)n >= size ? ENOSPC : 0;
}
