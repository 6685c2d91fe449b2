/* tsx_fixture.h: two transaction layers on a simulated network, fake clock. */
#ifndef PB_TESTS_TSX_FIXTURE_H
#define PB_TESTS_TSX_FIXTURE_H

#include <errno.h>
#include <stdio.h>

#include "base/buf.h"
#include "base/loop.h"
#include "base/mem.h"
#include "mock/netsim.h"
#include "ua/tsx/tsx.h"

/** A (the UAC side) at 10.0.0.1:5060 and B (UAS side) at 10.0.0.2:5060. */
struct fix {
	struct loop *loop;
	struct netsim *ns;
	struct netsim_ep a, b;
	struct tsx_layer *tla, *tlb;
	tsx_req_h *reqh_b; /* B's request handler */
	void *reqh_arg;
	/* what the UAC saw */
	int nresp;
	uint16_t last_scode;
	int last_err;
	uint64_t last_t;
	int nreq_b;
};

static void fix_reqh_a(struct tsx_layer *tl, const struct sip_msg *msg,
		       const struct tsx_addr *src, void *arg)
{
	(void)tl;
	(void)msg;
	(void)src;
	(void)arg;
}

static void fix_reqh_b(struct tsx_layer *tl, const struct sip_msg *msg,
		       const struct tsx_addr *src, void *arg)
{
	struct fix *f = arg;

	f->nreq_b++;
	if (f->reqh_b)
		f->reqh_b(tl, msg, src, f->reqh_arg);
}

static const struct tsx_layer_handlers fix_ha = {fix_reqh_a, NULL};
static const struct tsx_layer_handlers fix_hb = {fix_reqh_b, NULL};

static inline int fix_init(struct fix *f, enum tsx_tp tp)
{
	int err;

	memset(f, 0, sizeof(*f));
	err = loop_alloc(&f->loop);
	if (err)
		return err;
	loop_clock_fake(f->loop, 1000000);
	err = netsim_alloc(&f->ns, f->loop);
	if (err)
		return err;
	netsim_ep_init(&f->a, f->ns, "10.0.0.1", 5060, tp);
	netsim_ep_init(&f->b, f->ns, "10.0.0.2", 5060, tp);
	err = tsx_layer_alloc(&f->tla, f->loop, NULL, netsim_send, &f->a,
			      &fix_ha, f);
	if (!err)
		err = tsx_layer_alloc(&f->tlb, f->loop, NULL, netsim_send,
				      &f->b, &fix_hb, f);
	f->a.tl = f->tla;
	f->b.tl = f->tlb;
	return err;
}

static inline void fix_close(struct fix *f)
{
	f->tla = obj_deref(f->tla);
	f->tlb = obj_deref(f->tlb);
	netsim_ep_close(&f->a);
	netsim_ep_close(&f->b);
	f->ns = obj_deref(f->ns);
	f->loop = obj_deref(f->loop);
}

/** A request from A to B; @p totag may be NULL. */
static inline struct buf *fix_req(const char *method, const char *branch,
				  uint32_t cseq, const char *callid,
				  const char *totag)
{
	struct buf *mb;

	if (buf_alloc(&mb, 512))
		return NULL;
	buf_printf(mb,
		   "%s sip:bob@10.0.0.2 SIP/2.0\r\n"
		   "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=%s;rport\r\n"
		   "Max-Forwards: 70\r\n"
		   "From: <sip:alice@10.0.0.1>;tag=ft1\r\n"
		   "To: <sip:bob@10.0.0.2>%s%s\r\n"
		   "Call-ID: %s\r\nCSeq: %u %s\r\n"
		   "Content-Length: 0\r\n\r\n",
		   method, branch, totag ? ";tag=" : "", totag ? totag : "",
		   callid, cseq, method);
	return mb;
}

static void fix_resph(int err, const struct sip_msg *msg, void *arg)
{
	struct fix *f = arg;

	f->nresp++;
	f->last_err = err;
	f->last_scode = msg ? msg->scode : 0;
	f->last_t = loop_now(f->loop);
}

/** Start a client transaction from A to B with request @p mb. */
static inline int fix_send(struct fix *f, struct buf *mb, struct tsx **tp)
{
	struct tsx_addr dst;
	int err;

	netsim_ep_addr(&f->b, &dst);
	err = tsx_request(tp, f->tla, mb, &dst, fix_resph, f);
	obj_deref(mb);
	return err;
}

/** Send times (relative to @p t0) of A's packets starting with @p prefix. */
static inline size_t fix_times(const struct netsim_ep *ep, const char *prefix,
			       uint64_t t0, uint64_t *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < ep->nlog && n < max; i++)
		if (!strncmp(ep->log[i].line, prefix, strlen(prefix)))
			out[n++] = ep->log[i].t - t0;
	return n;
}

#endif
