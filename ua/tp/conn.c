/* conn.c: one TCP/TLS connection: connect, handshake, framing, send queue.
 *
 * States: connecting (outgoing TCP) -> handshaking (TLS only) -> estab.
 * Messages given to tp_send() before estab wait in sendq. Received bytes
 * collect in rb; leading CRLFs are RFC 5626 keep-alives (a CRLFCRLF ping
 * is answered with a CRLF pong; on our outgoing connections a CRLF is the
 * pong), the rest is cut into messages with sip_msg_frame(). Timers: idle
 * (no traffic), read (a half message waiting too long), conn (connect +
 * handshake), ka (our pings), pong (the answer to our last ping). Any failure
 * closes the connection once and tells the close handler why.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LOG_TAG "tp"
#include "base/log.h"
#include "base/mem.h"
#include "ua/sip/msg.h"
#include "ua/tp/priv.h"

enum {
	TP_READ_CHUNK = 4096, /**< bytes per read call     */
	TP_READS_MAX = 16,    /**< read calls per wakeup   */
	TP_PONG_MS = 10000,   /**< RFC 5626 4.4.1: pong wait */
};

static void conn_io(int fd, int flags, void *arg);

/* Stop every timer and drop what is queued. */
static void conn_quiet(struct tp_conn *c)
{
	tmr_cancel(&c->tmr_idle);
	tmr_cancel(&c->tmr_read);
	tmr_cancel(&c->tmr_conn);
	tmr_cancel(&c->tmr_ka);
	tmr_cancel(&c->tmr_pong);
	list_flush(&c->sendq);
}

static void conn_destroy(void *arg)
{
	struct tp_conn *c = arg;
	conn_quiet(c);
	obj_deref(c->tc);
	obj_deref(c->host);
	obj_deref(c->rb);
}

static void qent_destroy(void *arg)
{
	struct tp_qent *q = arg;
	obj_deref(q->mb);
}

void tp_conn_fail(struct tp_conn *c, int err, const char *reason)
{
	char sb[SA_STR_MAX];
	if (!c || !c->open)
		return;
	struct tp *tp = c->tp;
	bool queued = c->sendq.n > 0;
	c->open = false;
	loop_fd_close(tp->loop, c->fd);
	close(c->fd);
	c->fd = -1;
	conn_quiet(c);
	hash_unlink(&c->le);
	tp->nconns--;
	c->tp = NULL;
	DEBUG("%s %s closed: %s", tp_type_name(c->type),
	      sa_print(&c->peer, sb, sizeof(sb)), reason);
	if (tp->h && tp->h->closeh)
		tp->h->closeh(c, err, reason, queued, tp->arg);
	obj_deref(c); /* the table's reference */
}

void tp_conn_close(struct tp_conn *c)
{
	tp_conn_fail(c, 0, "closed");
}

static void update_fd(struct tp_conn *c)
{
	int flags = FD_READ;
	if (!c->connected)
		flags |= FD_WRITE;
	else if (!c->estab)
		flags |= tls_conn_want(c->tc) == FD_WRITE ? FD_WRITE : 0;
	else if (c->sendq.n)
		flags |= FD_WRITE;
	if (loop_fd_listen(c->tp->loop, c->fd, flags, conn_io, c))
		tp_conn_fail(c, ENOMEM, "cannot watch socket");
}

static void idle_expired(void *arg)
{
	tp_conn_fail(arg, ETIMEDOUT, "idle timeout");
}

static void read_expired(void *arg)
{
	tp_conn_fail(arg, ETIMEDOUT, "incomplete message timed out");
}

static void conn_expired(void *arg)
{
	struct tp_conn *c = arg;
	tp_conn_fail(c, ETIMEDOUT,
		     c->connected ? "TLS handshake timed out"
				  : "connect timed out");
}

static void touch(struct tp_conn *c)
{
	if (c->tp->opts.idle_ms)
		tmr_start(c->tp->loop, &c->tmr_idle, c->tp->opts.idle_ms,
			  idle_expired, c);
}

static int enqueue(struct tp_conn *c, const void *p, size_t n)
{
	struct tp_qent *q = obj_zalloc(sizeof(*q), qent_destroy);
	if (!q)
		return ENOMEM;
	if (buf_alloc(&q->mb, n) || buf_write(q->mb, p, n)) {
		obj_deref(q);
		return ENOMEM;
	}
	list_append(&c->sendq, &q->le, q);
	return 0;
}

/* Write queued bytes; 0 or the error that closed the connection. */
static int flush(struct tp_conn *c)
{
	while (c->sendq.head) {
		struct tp_qent *q = c->sendq.head->data;
		size_t n = 0;
		int err = 0;
		if (c->tc) {
			err = tls_conn_write(c->tc, q->mb->b + q->mb->pos,
					     buf_left(q->mb), &n);
		} else {
			ssize_t r = send(c->fd, q->mb->b + q->mb->pos,
					 buf_left(q->mb), MSG_NOSIGNAL);
			if (r < 0)
				err = (errno == EWOULDBLOCK) ? EAGAIN : errno;
			else
				n = (size_t)r;
		}
		if (err == EAGAIN)
			break;
		if (err) {
			tp_conn_fail(c, err,
				     c->tc ? tls_conn_reason(c->tc)
					   : strerror(err));
			return err;
		}
		q->mb->pos += n;
		if (!buf_left(q->mb)) {
			list_unlink(&q->le);
			obj_deref(q);
		}
	}
	touch(c);
	update_fd(c);
	return c->open ? 0 : ENOMEM;
}

int tp_conn_send(struct tp_conn *c, struct buf *msg)
{
	int err = enqueue(c, msg->b + msg->pos, buf_left(msg));
	if (err)
		return err;
	return c->estab ? flush(c) : 0;
}

static void ka_send(void *arg);

static void pong_missing(void *arg)
{
	tp_conn_fail(arg, ETIMEDOUT, "no keep-alive pong");
}

static void ka_send(void *arg)
{
	struct tp_conn *c = arg;
	if (enqueue(c, "\r\n\r\n", 4) || flush(c))
		return;
	tmr_start(c->tp->loop, &c->tmr_ka, c->tp->opts.keepalive_ms, ka_send,
		  c);
	if (!tmr_isrunning(&c->tmr_pong))
		tmr_start(c->tp->loop, &c->tmr_pong, TP_PONG_MS, pong_missing,
			  c);
}

static void established(struct tp_conn *c)
{
	char sb[SA_STR_MAX];
	c->estab = true;
	tmr_cancel(&c->tmr_conn);
	if (c->tc)
		DEBUG("tls: %s with %s", tls_conn_version(c->tc),
		      sa_print(&c->peer, sb, sizeof(sb)));
	if (c->outgoing && c->tp->opts.keepalive_ms)
		tmr_start(c->tp->loop, &c->tmr_ka, c->tp->opts.keepalive_ms,
			  ka_send, c);
	flush(c);
}

static void handshake(struct tp_conn *c)
{
	char sb[SA_STR_MAX], reason[200];
	int err = tls_conn_handshake(c->tc);
	if (err == EAGAIN) {
		update_fd(c);
		return;
	}
	if (err) {
		snprintf(reason, sizeof(reason), "%s", tls_conn_reason(c->tc));
		if (c->outgoing)
			WARN("tls: handshake with %s failed: %s",
			     sa_print(&c->peer, sb, sizeof(sb)), reason);
		else
			INFO("tls: handshake from %s failed: %s",
			     sa_print(&c->peer, sb, sizeof(sb)), reason);
		tp_conn_fail(c, err, reason);
		return;
	}
	established(c);
}

static void deliver(struct tp_conn *c, size_t n)
{
	struct buf *mb;
	struct tp *tp = c->tp;
	if (buf_alloc(&mb, n) || buf_write(mb, c->rb->b + c->rb->pos, n)) {
		obj_deref(mb);
		tp_conn_fail(c, ENOMEM, "out of memory");
		return;
	}
	c->rb->pos += n;
	struct tp_recv rx = {.type = c->type,
			     .src = c->peer,
			     .local = c->local,
			     .mb = mb,
			     .conn = c};
	tp->h->recvh(&rx, tp->arg);
	obj_deref(mb);
}

/* Consume leading CRLFs; false when only a partial keep-alive is left. */
static bool keepalives(struct tp_conn *c)
{
	for (;;) {
		struct pl pl = buf_pl(c->rb);
		size_t run = 0;
		while (run < pl.l && (pl.p[run] == '\r' || pl.p[run] == '\n'))
			run++;
		if (!run)
			return true;
		if (run >= 4 && !memcmp(pl.p, "\r\n\r\n", 4)) {
			c->rb->pos += 4;
			if (!c->outgoing && (enqueue(c, "\r\n", 2) || flush(c)))
				return false;
			continue;
		}
		if (c->outgoing && run >= 2 && !memcmp(pl.p, "\r\n", 2)) {
			c->rb->pos += 2; /* pong */
			tmr_cancel(&c->tmr_pong);
			continue;
		}
		if (run == pl.l)
			return false; /* wait: may become a ping */
		c->rb->pos += run;    /* stray line ends before a message */
		return true;
	}
}

static void process(struct tp_conn *c)
{
	struct tp *tp = c->tp;
	while (c->open && buf_left(c->rb)) {
		size_t n = 0;
		if (!keepalives(c) || !c->open)
			break;
		struct pl pl = buf_pl(c->rb);
		if (!pl.l)
			break;
		int err = sip_msg_frame(pl.p, pl.l, tp->opts.max_msg, &n);
		if (err == ENODATA) {
			if (!tmr_isrunning(&c->tmr_read) && tp->opts.read_ms)
				tmr_start(tp->loop, &c->tmr_read,
					  tp->opts.read_ms, read_expired, c);
			break;
		}
		if (err) {
			char sb[SA_STR_MAX];
			WARN("%s: closing %s: bad framing or message over %zu "
			     "bytes",
			     tp_type_name(c->type),
			     sa_print(&c->peer, sb, sizeof(sb)),
			     tp->opts.max_msg);
			tp_conn_fail(c, EBADMSG, "bad framing");
			return;
		}
		tmr_cancel(&c->tmr_read);
		deliver(c, n);
	}
	if (!c->open)
		return;
	if (!buf_left(c->rb))
		tmr_cancel(&c->tmr_read);
	buf_compact(c->rb);
}

static int read_some(struct tp_conn *c, size_t *got)
{
	int err = buf_reserve(c->rb, TP_READ_CHUNK);
	if (err)
		return err;
	uint8_t *p = c->rb->b + c->rb->end;
	if (c->tc)
		return tls_conn_read(c->tc, p, TP_READ_CHUNK, got);
	ssize_t r = recv(c->fd, p, TP_READ_CHUNK, 0);
	if (r < 0)
		return errno == EWOULDBLOCK ? EAGAIN : errno;
	if (r == 0)
		return ECONNRESET;
	*got = (size_t)r;
	return 0;
}

static void conn_read(struct tp_conn *c)
{
	/* bounded per wakeup, but never leave bytes inside the TLS session:
	 * epoll would not report them again */
	for (int i = 0; c->open && (i < TP_READS_MAX ||
				    (c->tc && tls_conn_pending(c->tc)));
	     i++) {
		size_t got = 0;
		int err = read_some(c, &got);
		if (err == EAGAIN)
			break;
		if (err) {
			/* a close by the peer is ECONNRESET: err 0 is kept
			 * for our own tp_conn_close() */
			tp_conn_fail(c, err,
				     c->tc && err == EPROTO
					 ? tls_conn_reason(c->tc)
					 : "closed by peer");
			return;
		}
		c->rb->end += got;
		touch(c);
		process(c);
	}
	if (c->open)
		update_fd(c);
}

static void connected(struct tp_conn *c)
{
	int soerr = 0;
	socklen_t sl = sizeof(soerr);
	char sb[SA_STR_MAX], reason[160];
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
		soerr = errno;
	if (soerr) {
		snprintf(reason, sizeof(reason), "connect to %s failed: %s",
			 sa_print(&c->peer, sb, sizeof(sb)), strerror(soerr));
		WARN("%s: %s", tp_type_name(c->type), reason);
		tp_conn_fail(c, soerr, reason);
		return;
	}
	struct sockaddr_storage ss;
	sl = sizeof(ss);
	if (getsockname(c->fd, (struct sockaddr *)&ss, &sl) == 0)
		sa_set_sockaddr(&c->local, (struct sockaddr *)&ss, sl);
	c->connected = true;
	if (c->tc)
		handshake(c);
	else
		established(c);
}

static void conn_io(int fd, int flags, void *arg)
{
	struct tp_conn *c = arg;
	bool was_estab = c->estab;
	(void)fd;
	obj_ref(c);
	if (!c->connected) {
		if (flags & (FD_WRITE | FD_ERROR))
			connected(c);
	} else if (!c->estab) {
		handshake(c);
	} else {
		if ((flags & FD_WRITE) && c->open)
			flush(c);
		if ((flags & (FD_READ | FD_ERROR)) && c->open)
			conn_read(c);
	}
	/* the handshake may have left decrypted bytes in the TLS session */
	if (c->open && c->estab && !was_estab && c->tc)
		conn_read(c);
	obj_deref(c);
}

static int conn_new(struct tp_conn **cp, struct tp *tp, enum tp_type type,
		    int fd, const struct sa *peer, bool outgoing)
{
	struct tp_conn *c = obj_zalloc(sizeof(*c), conn_destroy);
	if (!c) {
		close(fd);
		return ENOMEM;
	}
	c->fd = fd;
	c->tp = tp;
	c->type = type;
	c->peer = *peer;
	c->outgoing = outgoing;
	c->open = true;
	list_init(&c->sendq);
	hash_append(tp->conns, sa_hash(peer), &c->le, c);
	tp->nconns++;
	*cp = c;
	int err = buf_alloc(&c->rb, TP_READ_CHUNK);
	if (err)
		tp_conn_fail(c, err, "out of memory");
	return err;
}

void tp_conn_accepted(struct tp *tp, struct tp_lsock *ls, int fd,
		      const struct sa *peer)
{
	struct tp_conn *c;
	if (conn_new(&c, tp, ls->type, fd, peer, false))
		return;
	c->local = ls->laddr;
	c->connected = true;
	if (ls->type == TP_TLS) {
		int err = tls_conn_alloc(&c->tc, tp->tls, fd, true, NULL);
		if (err) {
			tp_conn_fail(c, err, "TLS setup failed");
			return;
		}
		tmr_start(tp->loop, &c->tmr_conn, tp->opts.connect_ms,
			  conn_expired, c);
	} else {
		c->estab = true;
	}
	touch(c);
	update_fd(c);
}

int tp_conn_connect(struct tp_conn **cp, struct tp *tp, enum tp_type type,
		    const struct sa *peer, const char *host)
{
	char ip[SA_STR_MAX];
	struct tp_conn *c;
	int fd, err;
	if (tp->nconns >= tp->opts.max_conns)
		return EMFILE;
	if ((err = tp_stream_connect(peer, &fd)))
		return err;
	if ((err = conn_new(&c, tp, type, fd, peer, true)))
		return err;
	if (type == TP_TLS) {
		c->host =
		    obj_strdup(host ? host : sa_print_ip(peer, ip, sizeof(ip)));
		if (!c->host)
			err = ENOMEM;
		else
			err =
			    tls_conn_alloc(&c->tc, tp->tls, fd, false, c->host);
		if (err) {
			tp_conn_fail(c, err, "TLS setup failed");
			return err;
		}
	}
	tmr_start(tp->loop, &c->tmr_conn, tp->opts.connect_ms, conn_expired, c);
	touch(c);
	update_fd(c);
	if (!c->open)
		return ENOMEM;
	*cp = c;
	return 0;
}

const struct sa *tp_conn_peer(const struct tp_conn *c)
{
	return c ? &c->peer : NULL;
}

const struct sa *tp_conn_local(const struct tp_conn *c)
{
	return c ? &c->local : NULL;
}

enum tp_type tp_conn_type(const struct tp_conn *c)
{
	return c ? c->type : TP_NONE;
}

bool tp_conn_isopen(const struct tp_conn *c)
{
	return c && c->open;
}

bool tp_conn_outgoing(const struct tp_conn *c)
{
	return c && c->outgoing;
}
