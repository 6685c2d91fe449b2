/* conn.c: one TCP/TLS connection: connect, handshake, framing, send queue.
 *
 * States: connecting (outgoing TCP) -> handshaking (TLS only) -> estab.
 * Messages given to tp_send() before estab wait in sendq. Received bytes
 * collect in rb; leading CRLFs are RFC 5626 keep-alives (a CRLFCRLF ping
 * is answered with a CRLF pong; on our outgoing connections a CRLF is the
 * pong), the rest is cut into messages with sip_msg_frame(). Timers: idle
 * (no traffic), read (a half message waiting too long), conn (connect +
 * handshake), ka (our pings). Any failure closes the connection once and
 * tells the close handler why.
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
};

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
		c->host = obj_strdup(host ? host
					  : sa_print_ip(peer, ip, sizeof(ip)));
		if (!c->host)
			err = ENOMEM;
		else
			err = tls_conn_alloc(&c->tc, tp->tls, fd, false,
					     c->host);
		if (err) {
			tp_conn_fail(c, err, "TLS setup failed");
			return err;
		}
	}
	tmr_start(tp->loop, &c->tmr_conn, tp->opts.connect_ms, conn_expired,
		  c);
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
