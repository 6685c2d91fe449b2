/* tp.c: the transport object: options, listeners, send dispatch, names. */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define LOG_TAG "tp"
#include "base/log.h"
#include "base/mem.h"
#include "ua/tp/priv.h"

void tp_opts_default(struct tp_opts *o)
{
	if (!o)
		return;
	memset(o, 0, sizeof(*o));
	o->max_msg = 65535;
	o->max_conns = 1024;
	o->idle_ms = 600000;
	o->read_ms = 32000;
	o->connect_ms = 32000;
	o->udp_burst = 64;
	o->udp_rcvbuf = 4 << 20;
	tls_opts_default(&o->tls);
}

static void lsock_destroy(void *arg)
{
	struct tp_lsock *ls = arg;
	list_unlink(&ls->le);
	if (ls->fd >= 0) {
		loop_fd_close(ls->tp->loop, ls->fd);
		close(ls->fd);
	}
	obj_deref(ls->rx);
}

int tp_sock_open(const struct sa *addr, int sotype, int *fdp)
{
	int one = 1;
	int fd = socket(sa_af(addr), sotype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	if (sa_af(addr) == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	*fdp = fd;
	return 0;
}

int tp_lsock_start(struct tp *tp, enum tp_type type, int fd,
		   const struct sa *addr, fd_h *fdh, size_t rxsize)
{
	struct tp_lsock *ls;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char sb[SA_STR_MAX];
	int err;
	if (bind(fd, &addr->u.sa, addr->len) < 0 ||
	    (tp_type_stream(type) && listen(fd, 128) < 0)) {
		err = errno;
		ERR("%s: cannot listen on %s: %s", tp_type_name(type),
		    sa_print(addr, sb, sizeof(sb)), strerror(err));
		close(fd);
		return err;
	}
	ls = obj_zalloc(sizeof(*ls), lsock_destroy);
	if (!ls) {
		close(fd);
		return ENOMEM;
	}
	ls->tp = tp;
	ls->type = type;
	ls->fd = fd;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
		sa_set_sockaddr(&ls->laddr, (struct sockaddr *)&ss, sl);
	list_append(&tp->lsocks, &ls->le, ls);
	if (rxsize && !(ls->rx = obj_alloc(rxsize, NULL)))
		err = ENOMEM;
	else
		err = loop_fd_listen(tp->loop, fd, FD_READ, fdh, ls);
	if (err) {
		obj_deref(ls);
		return err;
	}
	INFO("listening on %s %s", tp_type_name(type),
	     sa_print(&ls->laddr, sb, sizeof(sb)));
	return 0;
}

static void tp_destroy(void *arg)
{
	struct tp *tp = arg;
	/* no close handlers while tearing down */
	tp->h = NULL;
	for (uint32_t i = 0; tp->conns && i < TP_HASH_SIZE; i++) {
		struct list *l = hash_bucket(tp->conns, i);
		while (l->head)
			tp_conn_fail(l->head->data, 0, "transport closed");
	}
	list_flush(&tp->lsocks);
	obj_deref(tp->conns);
	obj_deref(tp->tls);
	obj_deref(tp->loop);
}

int tp_alloc(struct tp **tpp, struct loop *loop, const struct tp_opts *opts,
	     const struct tp_handlers *h, void *arg)
{
	struct tp *tp;
	int err;
	if (!tpp || !loop || !h || !h->recvh)
		return EINVAL;
	tp = obj_zalloc(sizeof(*tp), tp_destroy);
	if (!tp)
		return ENOMEM;
	tp->loop = obj_ref(loop);
	if (opts)
		tp->opts = *opts;
	else
		tp_opts_default(&tp->opts);
	if (!tp->opts.max_msg || !tp->opts.max_conns || !tp->opts.udp_burst) {
		err = EINVAL;
		goto out;
	}
	tp->h = h;
	tp->arg = arg;
	list_init(&tp->lsocks);
	if ((err = hash_alloc(&tp->conns, TP_HASH_SIZE)))
		goto out;
	err = tls_alloc(&tp->tls, &tp->opts.tls);
out:
	if (err)
		obj_deref(tp);
	else
		*tpp = tp;
	return err;
}

int tp_listen(struct tp *tp, int types, const struct sa *addr)
{
	int err = 0;
	if (!tp || !sa_isset(addr) || !types ||
	    (types & ~(TP_UDP | TP_TCP | TP_TLS)))
		return EINVAL;
	if ((types & TP_TLS) && !tls_has_server(tp->tls)) {
		ERR("TLS listener needs a certificate (tls cert_file or "
		    "data_dir)");
		return EINVAL;
	}
	if (types & TP_UDP)
		err = tp_udp_listen(tp, addr);
	if (!err && (types & TP_TCP))
		err = tp_stream_listen(tp, TP_TCP, addr);
	if (!err && (types & TP_TLS))
		err = tp_stream_listen(tp, TP_TLS, addr);
	return err;
}

int tp_laddr(const struct tp *tp, enum tp_type type, int af, struct sa *addr)
{
	struct le *le;
	if (!tp || !addr)
		return EINVAL;
	LIST_FOREACH(&tp->lsocks, le)
	{
		struct tp_lsock *ls = le->data;
		if (ls->type == type && sa_af(&ls->laddr) == af) {
			*addr = ls->laddr;
			return 0;
		}
	}
	return ENOENT;
}

struct find_arg {
	enum tp_type type;
	const struct sa *peer;
};

static bool conn_match(struct le *le, void *arg)
{
	const struct find_arg *fa = arg;
	const struct tp_conn *c = le->data;
	return c->open && c->type == fa->type && sa_cmp(&c->peer, fa->peer);
}

struct tp_conn *tp_conn_find(struct tp *tp, enum tp_type type,
			     const struct sa *peer)
{
	struct find_arg fa = {type, peer};
	if (!tp || !peer)
		return NULL;
	struct le *le = hash_lookup(tp->conns, sa_hash(peer), conn_match, &fa);
	return le ? le->data : NULL;
}

uint32_t tp_conn_count(const struct tp *tp)
{
	return tp ? tp->nconns : 0;
}

struct tls *tp_tls(const struct tp *tp)
{
	return tp ? tp->tls : NULL;
}

int tp_send_host(struct tp *tp, enum tp_type type, const struct sa *dst,
		 const char *host, struct buf *msg, struct tp_conn *conn)
{
	int err;
	if (!tp || !msg)
		return EINVAL;
	if (buf_left(msg) > tp->opts.max_msg)
		return EMSGSIZE;
	if (type == TP_UDP)
		return sa_isset(dst) ? tp_udp_send(tp, dst, msg) : EINVAL;
	if (!tp_type_stream(type))
		return EINVAL;
	if (conn) {
		if (!conn->open)
			return ENOTCONN;
		return tp_conn_send(conn, msg);
	}
	if (!sa_isset(dst))
		return EINVAL;
	conn = tp_conn_find(tp, type, dst);
	if (!conn && (err = tp_conn_connect(&conn, tp, type, dst, host)))
		return err;
	return tp_conn_send(conn, msg);
}

int tp_send(struct tp *tp, enum tp_type type, const struct sa *dst,
	    struct buf *msg, struct tp_conn *conn)
{
	return tp_send_host(tp, type, dst, NULL, msg, conn);
}

enum tp_type tp_type_from_name(const char *name)
{
	if (!name)
		return TP_NONE;
	if (!strcasecmp(name, "udp"))
		return TP_UDP;
	if (!strcasecmp(name, "tcp"))
		return TP_TCP;
	if (!strcasecmp(name, "tls"))
		return TP_TLS;
	return TP_NONE;
}

const char *tp_type_name(enum tp_type type)
{
	switch (type) {
	case TP_UDP:
		return "UDP";
	case TP_TCP:
		return "TCP";
	case TP_TLS:
		return "TLS";
	default:
		return "";
	}
}

bool tp_type_stream(enum tp_type type)
{
	return type == TP_TCP || type == TP_TLS;
}
