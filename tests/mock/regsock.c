/* regsock.c: UA and mock registrar stacks over real loopback sockets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "mock/regsock.h"
#include "mock/tmpdir.h"
#include "ua/stack/stacktp.h"

static void srv_reqh(struct stack *st, const struct sip_msg *msg,
		     const struct tsx_addr *src, void *arg)
{
	mockreg_handle(arg, stack_tsx(st), msg, src);
}

static const struct stack_handlers srv_h = {srv_reqh, NULL};

void regsock_reg_h(const struct reg_event *ev, void *arg)
{
	struct regsock *f = arg;

	if (ev->state == REG_REGISTERED) {
		f->nreg++;
		f->expires = ev->expires;
	}
	f->nfail += ev->state == REG_FAILED;
	f->nretry += ev->state == REG_RETRYING;
	snprintf(f->reason, sizeof(f->reason), "%s", ev->reason);
}

int regsock_init(struct regsock *f, const char *prefix,
		 const struct mockreg_opts *mo)
{
	int err;

	memset(f, 0, sizeof(*f));
	err = tmpdir_make(f->dir, sizeof(f->dir), prefix);
	if (err)
		return err;
	mockreg_init(&f->mr, mo);
	return loop_alloc(&f->loop);
}

int regsock_side_open(struct regsock_side *s, struct loop *loop,
		      struct mockreg *mr, int types, const struct tp_opts *to,
		      resolve_lookup_h *lookh)
{
	struct resolve_opts ro;
	struct sa la;
	int err = stack_alloc(&s->st, loop, NULL, mr ? &srv_h : NULL, mr);

	resolve_opts_default(&ro);
	ro.lookh = lookh;
	if (!err && lookh)
		err = stack_set_resolve_opts(s->st, &ro);
	if (!err)
		err = tp_alloc(&s->tp, loop, to, &stack_tp_handlers, s->st);
	if (!err)
		err = sa_set(&la, "127.0.0.1", 0);
	if (!err)
		err = tp_listen(s->tp, types, &la);
	if (!err)
		err = stack_tp_attach(s->st, s->tp);
	return err;
}

void regsock_side_close(struct regsock_side *s)
{
	s->tp = obj_deref(s->tp);
	s->st = obj_deref(s->st);
}

void regsock_close(struct regsock *f)
{
	regsock_side_close(&f->ua);
	regsock_side_close(&f->srv);
	f->loop = obj_deref(f->loop);
	tmpdir_remove(f->dir);
}

bool regsock_run(struct regsock *f, const int *c, int want)
{
	int i;

	for (i = 0; i < 300 && *c < want; i++)
		loop_poll(f->loop, 10);
	return *c >= want;
}
