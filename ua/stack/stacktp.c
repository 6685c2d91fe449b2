/* stacktp.c: sending through and receiving from ua/tp transports. */
#include <errno.h>

#include "ua/stack/priv.h"
#include "ua/stack/stacktp.h"

static enum tp_type to_tp(enum tsx_tp t)
{
	return t == TSX_TP_TLS ? TP_TLS : t == TSX_TP_TCP ? TP_TCP : TP_UDP;
}

static enum tsx_tp from_tp(enum tp_type t)
{
	return t == TP_TLS ? TSX_TP_TLS : t == TP_TCP ? TSX_TP_TCP : TSX_TP_UDP;
}

static int tp_sendh(const struct tsx_addr *dst, struct buf *mb, void *arg)
{
	struct tp *tp = arg;
	enum tp_type type = to_tp(dst->tp);
	struct tp_conn *conn = NULL;
	struct sa sa;

	sa_set_sockaddr(&sa, (const struct sockaddr *)&dst->sa,
			dst->sa.ss_family == AF_INET6
			    ? sizeof(struct sockaddr_in6)
			    : sizeof(struct sockaddr_in));
	/* use the remembered connection only while it is still the open
	   one to that peer (the pointer may be stale otherwise) */
	if (dst->conn && tp_type_stream(type) &&
	    tp_conn_find(tp, type, &sa) == dst->conn)
		conn = dst->conn;
	if (type == TP_TLS && dst->host[0])
		return tp_send_host(tp, type, &sa, dst->host, mb, conn);
	return tp_send(tp, type, &sa, mb, conn);
}

static void recvh(const struct tp_recv *rx, void *arg)
{
	struct stack *st = arg;
	struct tsx_addr src;

	memset(&src, 0, sizeof(src));
	memcpy(&src.sa, &rx->src.u.ss, rx->src.len);
	src.tp = from_tp(rx->type);
	src.conn = rx->conn;
	stack_recv(st, rx->mb, &src);
}

static void closeh(struct tp_conn *conn, int err, const char *reason,
		   bool queued, void *arg)
{
	struct stack *st = arg;
	struct tsx_addr peer;
	const struct sa *sa = tp_conn_peer(conn);

	(void)queued;
	/* every close is a loss to the TU: the stack never closes
	   connections itself (err is the cause, ECONNRESET for a peer's
	   close) */
	memset(&peer, 0, sizeof(peer));
	if (sa)
		memcpy(&peer.sa, &sa->u.ss, sa->len);
	peer.tp = from_tp(tp_conn_type(conn));
	tsx_layer_peer_failed(stack_tsx(st), &peer, err);
	if (!st->h || !st->h->conn_losth)
		return;
	st->h->conn_losth(st, &peer, err, reason, st->arg);
}

static void unreachh(const struct sa *dst, int err, void *arg)
{
	struct stack *st = arg;
	struct tsx_addr peer;

	memset(&peer, 0, sizeof(peer));
	memcpy(&peer.sa, &dst->u.ss, dst->len);
	peer.tp = TSX_TP_UDP;
	tsx_layer_peer_failed(stack_tsx(st), &peer, err);
}

const struct tp_handlers stack_tp_handlers = {recvh, closeh, unreachh};

int stack_tp_attach(struct stack *st, struct tp *tp)
{
	static const enum tp_type types[] = {TP_UDP, TP_TCP, TP_TLS};
	static const int afs[] = {AF_INET, AF_INET6};
	struct sockaddr_storage ss;
	struct sa la;
	size_t i, k, n = 0;
	int err;

	if (!st || !tp)
		return EINVAL;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		for (k = 0; k < sizeof(afs) / sizeof(afs[0]); k++) {
			if (tp_laddr(tp, types[i], afs[k], &la))
				continue;
			memset(&ss, 0, sizeof(ss));
			memcpy(&ss, &la.u.ss, la.len);
			err = stack_transport_add(st, from_tp(types[i]), &ss,
						  tp_sendh, tp);
			if (err)
				return err;
			n++;
		}
	}
	return n ? 0 : ENOENT;
}
