/* rtp_batch.c: recvmmsg/sendmmsg for the sessions attached to a batch.
 *
 * Send queue: slots in the order queued; each slot links to the next slot of
 * the same socket, and a small open-addressing table maps a socket to its
 * run (head, tail), so a flush walks each socket's run once, in queue order,
 * and hands it to one sendmmsg without sorting. The table is cleared at the
 * end of each flush by walking the runs that were used.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "audio/rtp/rtp_batch.h"
#include "audio/rtp/rtp_int.h"
#include "base/mem.h"

struct tx_slot {
	int fd;			    /**< socket to send from          */
	int next;		    /**< next slot of this fd, -1     */
	size_t len;		    /**< datagram bytes               */
	struct sockaddr_storage to; /**< destination                  */
	uint8_t data[RTP_BUF];	    /**< the datagram                 */
};

struct fd_run {
	int fd;	  /**< -1: empty table entry     */
	int head; /**< first slot                */
	int tail; /**< last slot                 */
};

struct rtp_batch {
	struct loop *loop;
	struct rtp_batch_opts opts;
	struct tmr flush_tmr; /**< end-of-turn flush             */
	struct rtp_batch_stats st;
	/* receive */
	uint8_t *rx_buf; /**< rx_max x RTP_BUF              */
	struct sockaddr_storage *rx_src;
	struct iovec *rx_iov;
	struct mmsghdr *rx_msg;
	unsigned rx_used; /**< entries the last call filled  */
	/* send */
	struct tx_slot *tx;  /**< tx_max slots                  */
	unsigned ntx;	     /**< slots queued                  */
	struct fd_run *runs; /**< hash table, nruns entries     */
	unsigned nruns;	     /**< power of two >= 2 * tx_max    */
	unsigned *order;     /**< table index of each run, in
				  order of first appearance     */
	unsigned norder;
	struct iovec *tx_iov;
	struct mmsghdr *tx_msg;
	bool flushing; /**< guard against re-entry        */
};

void rtp_batch_opts_default(struct rtp_batch_opts *o)
{
	if (!o)
		return;
	o->rx_max = 32;
	o->tx_max = 256;
}

static void batch_destroy(void *data)
{
	struct rtp_batch *b = data;
	tmr_cancel(&b->flush_tmr);
	obj_deref(b->rx_buf);
	obj_deref(b->rx_src);
	obj_deref(b->rx_iov);
	obj_deref(b->rx_msg);
	obj_deref(b->tx);
	obj_deref(b->runs);
	obj_deref(b->order);
	obj_deref(b->tx_iov);
	obj_deref(b->tx_msg);
}

static void rx_setup(struct rtp_batch *b)
{
	for (unsigned i = 0; i < b->opts.rx_max; i++) {
		b->rx_iov[i].iov_base = b->rx_buf + (size_t)i * RTP_BUF;
		b->rx_iov[i].iov_len = RTP_BUF;
		struct msghdr *m = &b->rx_msg[i].msg_hdr;
		m->msg_name = &b->rx_src[i];
		m->msg_namelen = sizeof(b->rx_src[i]);
		m->msg_iov = &b->rx_iov[i];
		m->msg_iovlen = 1;
	}
}

static void runs_clear(struct rtp_batch *b)
{
	for (unsigned i = 0; i < b->nruns; i++)
		b->runs[i].fd = -1;
}

int rtp_batch_alloc(struct rtp_batch **bp, struct loop *loop,
		    const struct rtp_batch_opts *opts)
{
	struct rtp_batch_opts def;
	if (!opts) {
		rtp_batch_opts_default(&def);
		opts = &def;
	}
	if (!bp || !loop || !opts->rx_max || !opts->tx_max ||
	    opts->rx_max > RTP_BATCH_MAX || opts->tx_max > RTP_BATCH_MAX)
		return EINVAL;
	int err = 0;
	struct rtp_batch *b = obj_zalloc(sizeof(*b), batch_destroy);
	if (!b)
		return ENOMEM;
	b->loop = loop;
	b->opts = *opts;
	unsigned rx = opts->rx_max, tx = opts->tx_max;
	b->nruns = 16;
	while (b->nruns < 2 * tx)
		b->nruns *= 2;
	b->rx_buf = obj_alloc((size_t)rx * RTP_BUF, NULL);
	b->rx_src = obj_zalloc(rx * sizeof(*b->rx_src), NULL);
	b->rx_iov = obj_zalloc(rx * sizeof(*b->rx_iov), NULL);
	b->rx_msg = obj_zalloc(rx * sizeof(*b->rx_msg), NULL);
	b->tx = obj_alloc(tx * sizeof(*b->tx), NULL);
	b->runs = obj_alloc(b->nruns * sizeof(*b->runs), NULL);
	b->order = obj_alloc(tx * sizeof(*b->order), NULL);
	b->tx_iov = obj_zalloc(tx * sizeof(*b->tx_iov), NULL);
	b->tx_msg = obj_zalloc(tx * sizeof(*b->tx_msg), NULL);
	if (!b->rx_buf || !b->rx_src || !b->rx_iov || !b->rx_msg || !b->tx ||
	    !b->runs || !b->order || !b->tx_iov || !b->tx_msg) {
		err = ENOMEM;
		goto out;
	}
	rx_setup(b);
	b->rx_used = rx;
	runs_clear(b);
	*bp = b;
	b = NULL;
out:
	obj_deref(b);
	return err;
}

int rtp_session_set_batch(struct rtp_session *rs, struct rtp_batch *b)
{
	if (!rs || (b && b->loop != rs->loop))
		return EINVAL;
	if (rs->batch == b)
		return 0;
	if (rs->batch) {
		rtp_batch_flush(rs->batch);
		rs->batch = obj_deref(rs->batch);
	}
	rs->batch = b ? obj_ref(b) : NULL;
	return 0;
}

/* Table entry of @p fd: its run, or the empty entry where it goes. */
static struct fd_run *run_find(struct rtp_batch *b, int fd)
{
	unsigned mask = b->nruns - 1;
	unsigned i = ((unsigned)fd * 2654435761u) & mask;
	while (b->runs[i].fd != -1 && b->runs[i].fd != fd)
		i = (i + 1) & mask;
	return &b->runs[i];
}

/* Send the run starting at slot @p head from @p fd; returns the first
 * errno the kernel gave, 0 when all went. */
static int run_send(struct rtp_batch *b, int fd, int head)
{
	unsigned k = 0;
	for (int s = head; s >= 0; s = b->tx[s].next, k++) {
		struct tx_slot *t = &b->tx[s];
		b->tx_iov[k].iov_base = t->data;
		b->tx_iov[k].iov_len = t->len;
		struct msghdr *m = &b->tx_msg[k].msg_hdr;
		memset(m, 0, sizeof(*m));
		m->msg_name = &t->to;
		m->msg_namelen = rtp_sa_len((struct sockaddr *)&t->to);
		m->msg_iov = &b->tx_iov[k];
		m->msg_iovlen = 1;
	}
	int first = 0;
	unsigned done = 0;
	while (done < k) {
		int r = sendmmsg(fd, b->tx_msg + done, k - done, MSG_DONTWAIT);
		b->st.tx_calls++;
		if (r > 0) {
			done += (unsigned)r;
			b->st.tx_pkts += (unsigned)r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		/* the datagram at done was refused: skip it, send the rest */
		if (!first)
			first = r < 0 ? errno : EIO;
		b->st.tx_err++;
		done++;
	}
	return first;
}

int rtp_batch_flush(struct rtp_batch *b)
{
	if (!b || b->flushing)
		return 0;
	tmr_cancel(&b->flush_tmr);
	if (!b->ntx)
		return 0;
	b->flushing = true;
	int first = 0;
	for (unsigned i = 0; i < b->norder; i++) {
		struct fd_run *r = &b->runs[b->order[i]];
		int err = run_send(b, r->fd, r->head);
		if (err && !first)
			first = err;
	}
	for (unsigned i = 0; i < b->norder; i++)
		b->runs[b->order[i]].fd = -1;
	b->norder = 0;
	b->ntx = 0;
	b->st.flushes++;
	b->flushing = false;
	return first;
}

static void flush_due(void *arg)
{
	rtp_batch_flush(arg);
}

int rtp_batch_queue(struct rtp_batch *b, int fd,
		    const struct sockaddr_storage *to, const uint8_t *buf,
		    size_t len)
{
	if (len > RTP_BUF)
		return EMSGSIZE;
	if (b->ntx == b->opts.tx_max)
		rtp_batch_flush(b);
	if (b->ntx == b->opts.tx_max)
		return ENOBUFS; /* flushing already, from a destructor */
	int s = (int)b->ntx++;
	struct tx_slot *t = &b->tx[s];
	t->fd = fd;
	t->next = -1;
	t->len = len;
	memcpy(&t->to, to, rtp_sa_len((const struct sockaddr *)to));
	memcpy(t->data, buf, len);
	struct fd_run *r = run_find(b, fd);
	if (r->fd == -1) {
		r->fd = fd;
		r->head = s;
		b->order[b->norder++] = (unsigned)(r - b->runs);
	} else {
		b->tx[r->tail].next = s;
	}
	r->tail = s;
	if (s == 0)
		tmr_start(b->loop, &b->flush_tmr, 0, flush_due, b);
	return 0;
}

void rtp_batch_read(struct rtp_batch *b, struct rtp_session *rs, int fd)
{
	for (unsigned i = 0; i < b->rx_used; i++)
		b->rx_msg[i].msg_hdr.msg_namelen = sizeof(b->rx_src[i]);
	int n = recvmmsg(fd, b->rx_msg, b->opts.rx_max, MSG_DONTWAIT, NULL);
	b->st.rx_calls++;
	b->rx_used = n > 0 ? (unsigned)n : 0;
	if (n <= 0)
		return;
	b->st.rx_pkts += (unsigned)n;
	uint64_t now = rtp_mono_us();
	bool rtcp = fd == rs->fd_rtcp;
	/* a handler may close the session, and with it the last reference
	 * to the batch */
	obj_ref(b);
	obj_ref(rs);
	for (int i = 0; i < n; i++) {
		struct mmsghdr *m = &b->rx_msg[i];
		if (m->msg_hdr.msg_flags & MSG_TRUNC) {
			rs->st.rx_bad++; /* larger than any packet we take */
			continue;
		}
		rtp_session_input(rs, b->rx_buf + (size_t)i * RTP_BUF,
				  m->msg_len, (struct sockaddr *)&b->rx_src[i],
				  rtcp, now);
		if (obj_nrefs(rs) == 1)
			break;
	}
	obj_deref(rs);
	/* What the handlers queued (a relay: the other leg's packets) goes
	 * now, one sendmmsg per socket, not at the end of the loop turn:
	 * the same number of calls, without holding the packets while the
	 * turn's other sockets are served. */
	rtp_batch_flush(b);
	obj_deref(b);
}

unsigned rtp_batch_pending(const struct rtp_batch *b)
{
	return b ? b->ntx : 0;
}

void rtp_batch_stats_get(const struct rtp_batch *b, struct rtp_batch_stats *st)
{
	if (!st)
		return;
	memset(st, 0, sizeof(*st));
	if (b)
		*st = b->st;
}
