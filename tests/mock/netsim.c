/* netsim.c: in-memory network with loss, delay and duplication for tests. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "base/list.h"
#include "base/mem.h"
#include "mock/netsim.h"

struct netsim {
	struct loop *loop; /**< event loop        */
	struct list pkts;  /**< in flight (owned) */
	struct list eps;   /**< endpoints         */
};

struct pkt {
	struct le le;		/**< on netsim.pkts */
	struct tmr tmr;		/**< delivery       */
	struct netsim_ep *from; /**< sender        */
	struct netsim_ep *to;	/**< receiver       */
	struct buf *mb;		/**< the bytes      */
};

struct ep_link {
	struct le le;
	struct netsim_ep *ep;
};

static void ns_destroy(void *data)
{
	struct netsim *ns = data;

	list_flush(&ns->pkts);
	list_flush(&ns->eps);
}

int netsim_alloc(struct netsim **nsp, struct loop *loop)
{
	struct netsim *ns = obj_zalloc(sizeof(*ns), ns_destroy);

	if (!ns)
		return ENOMEM;
	ns->loop = loop;
	*nsp = ns;
	return 0;
}

void netsim_ep_init(struct netsim_ep *ep, struct netsim *ns, const char *ip,
		    uint16_t port, enum tsx_tp tp)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&ep->addr;
	struct ep_link *lk = obj_zalloc(sizeof(*lk), NULL);

	memset(ep, 0, sizeof(*ep));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	inet_pton(AF_INET, ip, &sin->sin_addr);
	ep->tp = tp;
	ep->ns = ns;
	if (lk) {
		lk->ep = ep;
		list_append(&ns->eps, &lk->le, lk);
	}
}

void netsim_ep_close(struct netsim_ep *ep)
{
	struct le *le;

	ep->raw_last = obj_deref(ep->raw_last);
	if (!ep->ns)
		return;
	for (le = ep->ns->pkts.head; le;) {
		struct pkt *p = le->data;
		le = le->next;
		if (p->to == ep || p->from == ep)
			obj_deref(p);
	}
	LIST_FOREACH(&ep->ns->eps, le)
	{
		struct ep_link *lk = le->data;
		if (lk->ep == ep) {
			list_unlink(&lk->le);
			obj_deref(lk);
			break;
		}
	}
	ep->ns = NULL;
}

void netsim_ep_addr(const struct netsim_ep *ep, struct tsx_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->sa = ep->addr;
	a->tp = ep->tp;
}

static bool sa_eq(const struct sockaddr_storage *a,
		  const struct sockaddr_storage *b)
{
	const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;

	return x->sin_port == y->sin_port &&
	       x->sin_addr.s_addr == y->sin_addr.s_addr;
}

static struct netsim_ep *ep_find(struct netsim *ns,
				 const struct sockaddr_storage *sa)
{
	struct le *le;

	LIST_FOREACH(&ns->eps, le)
	{
		struct ep_link *lk = le->data;
		if (sa_eq(&lk->ep->addr, sa))
			return lk->ep;
	}
	return NULL;
}

static void pkt_destroy(void *data)
{
	struct pkt *p = data;

	tmr_cancel(&p->tmr);
	list_unlink(&p->le);
	obj_deref(p->mb);
}

static void deliver(void *arg)
{
	struct pkt *p = arg;
	struct sip_msg *msg = NULL;
	struct tsx_addr src;

	list_unlink(&p->le);
	netsim_ep_addr(p->from, &src);
	if (p->to->tl && !sip_msg_decode(&msg, p->mb))
		tsx_layer_recv(p->to->tl, msg, &src);
	obj_deref(msg);
	obj_deref(p);
}

static int queue(struct netsim_ep *from, struct netsim_ep *to, const void *data,
		 size_t n)
{
	struct pkt *p = obj_zalloc(sizeof(*p), pkt_destroy);
	int err;

	if (!p)
		return ENOMEM;
	p->from = from;
	p->to = to;
	err = buf_alloc(&p->mb, n + 1);
	if (!err)
		err = buf_write(p->mb, data, n);
	if (err) {
		obj_deref(p);
		return err;
	}
	list_append(&from->ns->pkts, &p->le, p);
	tmr_start(from->ns->loop, &p->tmr, from->delay_ms, deliver, p);
	return 0;
}

static void log_rec(struct netsim_ep *ep, const uint8_t *d, size_t n,
		    bool dropped)
{
	struct netsim_rec *r;
	size_t i;

	if (ep->nlog >= NETSIM_LOG_MAX)
		return;
	r = &ep->log[ep->nlog++];
	r->t = loop_now(ep->ns->loop);
	r->dropped = dropped;
	for (i = 0; i < n && i < sizeof(r->line) - 1 && d[i] != '\r'; i++)
		r->line[i] = (char)d[i];
	r->line[i] = '\0';
}

int netsim_send(const struct tsx_addr *dst, struct buf *mb, void *arg)
{
	struct netsim_ep *ep = arg, *to;
	const uint8_t *d = mb->b + mb->pos;
	size_t n = mb->end - mb->pos;
	bool drop = ep->drop_all || ep->drop_next;
	int err = 0;

	if (ep->drop_next)
		ep->drop_next--;
	log_rec(ep, d, n, drop);
	obj_deref(ep->raw_last);
	if (!buf_alloc(&ep->raw_last, n + 1))
		buf_write(ep->raw_last, d, n);
	to = ep_find(ep->ns, &dst->sa);
	if (!to)
		return ECONNREFUSED;
	if (drop)
		return 0;
	err = queue(ep, to, d, n);
	if (!err && ep->dup)
		err = queue(ep, to, d, n);
	return err;
}

int netsim_inject(struct netsim_ep *from, struct netsim_ep *to, const void *p,
		  size_t n)
{
	return queue(from, to, p, n);
}

size_t netsim_count(const struct netsim_ep *ep, const char *prefix)
{
	size_t i, c = 0;

	for (i = 0; i < ep->nlog; i++)
		if (!strncmp(ep->log[i].line, prefix, strlen(prefix)))
			c++;
	return c;
}
