/* transport.c: the phone's SIP listeners, its TLS identity, and the SIP
 * trace (every message in and out passes through here).
 *
 * The phone binds its ua/tp transports to the stack itself instead of
 * stack_tp_attach() so that it can see each message on the wire: received
 * ones go through trace_recvh() before stack_recv(), sent ones through
 * trace_sendh() before tp_send(). The address advertised in Via and
 * Contact is the listen address, or for a wildcard listener the local
 * address the kernel would route outwards from (127.0.0.1 when none).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/mem.h"
#include "ua/phone/priv.h"
#include "ua/stack/stacktp.h"

static const char *const tp_lname[PHONE_TP_N] = {"udp", "tcp", "tls"};

static enum tp_type to_tp(enum tsx_tp t)
{
	return t == TSX_TP_TLS ? TP_TLS : t == TSX_TP_TCP ? TP_TCP : TP_UDP;
}

static enum tsx_tp from_tp(enum tp_type t)
{
	return t == TP_TLS ? TSX_TP_TLS : t == TP_TCP ? TSX_TP_TCP : TSX_TP_UDP;
}

void phone_trace(struct phone *p, bool out, enum tsx_tp tp,
		 const struct sockaddr_storage *peer, const struct pl *msg)
{
	struct phone_event ev;
	struct sa sa;
	char hp[SA_STR_MAX], *red, *text;

	if (!p->opts.sip_trace || !p->h)
		return;
	sa_set_sockaddr(&sa, (const struct sockaddr *)peer,
			peer->ss_family == AF_INET6
			    ? sizeof(struct sockaddr_in6)
			    : sizeof(struct sockaddr_in));
	red = sdp_redact(msg);
	if (!red)
		return;
	text = obj_printf("%s %s %s\n%s", out ? "->" : "<-",
			  sa_print(&sa, hp, sizeof(hp)),
			  tp_lname[(unsigned)tp < PHONE_TP_N ? tp : 0], red);
	obj_deref(red);
	if (!text)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = PHONE_EV_TRACE;
	ev.text = text;
	ev.outgoing = out;
	phone_emit(p, &ev);
	obj_deref(text);
}

static int trace_sendh(const struct tsx_addr *dst, struct buf *mb, void *arg)
{
	struct phone *p = arg;
	enum tp_type type = to_tp(dst->tp);
	struct tp_conn *conn = NULL;
	struct pl pl = buf_pl(mb);
	struct sa sa;

	sa_set_sockaddr(&sa, (const struct sockaddr *)&dst->sa,
			dst->sa.ss_family == AF_INET6
			    ? sizeof(struct sockaddr_in6)
			    : sizeof(struct sockaddr_in));
	/* the remembered connection only while it is still the open one
	   to that peer (the pointer may be stale otherwise) */
	if (dst->conn && tp_type_stream(type) &&
	    tp_conn_find(p->tp, type, &sa) == dst->conn)
		conn = dst->conn;
	phone_trace(p, true, dst->tp, &dst->sa, &pl);
	return tp_send(p->tp, type, &sa, mb, conn);
}

static void trace_recvh(const struct tp_recv *rx, void *arg)
{
	struct phone *p = arg;
	struct pl pl = buf_pl(rx->mb);

	phone_trace(p, false, from_tp(rx->type), &rx->src.u.ss, &pl);
	stack_tp_handlers.recvh(rx, p->st);
}

static void trace_closeh(struct tp_conn *conn, int err, const char *reason,
			 bool queued, void *arg)
{
	struct phone *p = arg;

	stack_tp_handlers.closeh(conn, err, reason, queued, p->st);
}

static void trace_unreachh(const struct sa *dst, int err, void *arg)
{
	struct phone *p = arg;

	stack_tp_handlers.unreachh(dst, err, p->st);
}

static const struct tp_handlers phone_tp_h = {trace_recvh, trace_closeh,
					      trace_unreachh};

/* the local address the kernel would use to go outwards */
static void outward_ip(char *ip, size_t size)
{
	struct sockaddr_in dst = {.sin_family = AF_INET,
				  .sin_port = htons(5060)};
	struct sockaddr_in la;
	socklen_t len = sizeof(la);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	snprintf(ip, size, "127.0.0.1");
	if (fd < 0)
		return;
	inet_pton(AF_INET, "192.0.2.1", &dst.sin_addr); /* TEST-NET-1 */
	if (!connect(fd, (struct sockaddr *)&dst, sizeof(dst)) &&
	    !getsockname(fd, (struct sockaddr *)&la, &len) &&
	    la.sin_addr.s_addr != htonl(INADDR_ANY))
		inet_ntop(AF_INET, &la.sin_addr, ip, (socklen_t)size);
	close(fd);
}

struct lspec {
	int types;    /**< TP_* mask */
	struct sa sa; /**< address   */
};

/* "udp:IP:PORT", "tcp:IP", "tls:IP:PORT" (IPv4) */
static int lspec_decode(struct lspec *ls, const char *s, char *err,
			size_t errlen)
{
	const char *colon = strchr(s, ':');
	char name[8];

	if (!colon || (size_t)(colon - s) >= sizeof(name))
		goto bad;
	memcpy(name, s, (size_t)(colon - s));
	name[colon - s] = '\0';
	ls->types = tp_type_from_name(name);
	if (ls->types == TP_NONE || sa_from_str(&ls->sa, colon + 1))
		goto bad;
	if (sa_af(&ls->sa) != AF_INET) {
		snprintf(err, errlen,
			 "listen %s: only IPv4 listen addresses are supported",
			 s);
		return EINVAL;
	}
	return 0;
bad:
	snprintf(err, errlen,
		 "bad listen address '%s' (want udp:IP:PORT, tcp:IP:PORT or "
		 "tls:IP:PORT)",
		 s);
	return EINVAL;
}

static int make_tmpdir(struct phone *p)
{
	static const char pfx[] = "/tmp/phonebox-tls.";

	/* mkdtemp() template: the prefix and six 'X' */
	memcpy(p->tmpdir, pfx, sizeof(pfx) - 1);
	memset(p->tmpdir + sizeof(pfx) - 1, 'X', 6);
	p->tmpdir[sizeof(pfx) - 1 + 6] = '\0';
	if (!mkdtemp(p->tmpdir)) {
		p->tmpdir[0] = '\0';
		return errno;
	}
	return 0;
}

static int tp_make(struct phone *p, bool tls, char *err, size_t errlen)
{
	struct tp_opts to;
	int e;

	tp_opts_default(&to);
	to.keepalive_ms = 30000; /* RFC 5626 CRLF pings on our connections */
	if (tls) {
		if (!p->opts.cert_dir && (e = make_tmpdir(p))) {
			snprintf(err, errlen, "cannot make a TLS directory: %s",
				 strerror(e));
			return e;
		}
		to.tls.data_dir =
		    p->opts.cert_dir ? p->opts.cert_dir : p->tmpdir;
	}
	e = tp_alloc(&p->tp, p->loop, &to, &phone_tp_h, p);
	if (e)
		snprintf(err, errlen, "cannot set up transports%s: %s",
			 tls ? " (TLS certificate in the cert dir)" : "",
			 strerror(e));
	return e;
}

static int listen_all(struct phone *p, const struct lspec *v, size_t n,
		      char *err, size_t errlen)
{
	char hp[SA_STR_MAX];
	size_t i;
	int e;

	for (i = 0; i < n; i++) {
		e = tp_listen(p->tp, v[i].types, &v[i].sa);
		if (e) {
			snprintf(err, errlen, "cannot listen on %s: %s",
				 sa_print(&v[i].sa, hp, sizeof(hp)),
				 strerror(e));
			return e;
		}
	}
	return 0;
}

/* register each listener with the stack under the advertised address */
static int attach(struct phone *p)
{
	static const enum tp_type types[] = {TP_UDP, TP_TCP, TP_TLS};
	struct sockaddr_storage ss;
	struct sa la, adv;
	char ip[SA_STR_MAX];
	size_t i;
	int e;

	for (i = 0; i < PHONE_TP_N; i++) {
		if (tp_laddr(p->tp, types[i], AF_INET, &la))
			continue;
		sa_print_ip(&la, ip, sizeof(ip));
		e = sa_set(&adv, strcmp(ip, "0.0.0.0") ? ip : p->addr,
			   sa_port(&la));
		if (e)
			return e;
		memset(&ss, 0, sizeof(ss));
		memcpy(&ss, &adv.u.ss, adv.len);
		e = stack_transport_add(p->st, from_tp(types[i]), &ss,
					trace_sendh, p);
		if (e)
			return e;
		sa_print(&adv, p->laddr[i], sizeof(p->laddr[i]));
	}
	return 0;
}

int phone_tp_open(struct phone *p, char *err, size_t errlen)
{
	struct lspec v[8];
	size_t i, n = p->opts.nlisten;
	int seen = 0, e;
	bool tls = false;

	if (n > 8)
		n = 8;
	for (i = 0; i < n; i++) {
		if ((e = lspec_decode(&v[i], p->opts.listen[i], err, errlen)))
			return e;
		if (seen & v[i].types) {
			snprintf(err, errlen,
				 "listen %s: one listener per transport",
				 p->opts.listen[i]);
			return EINVAL;
		}
		seen |= v[i].types;
	}
	if (!n) {
		v[0].types = TP_UDP | TP_TCP | TP_TLS;
		sa_set(&v[0].sa, "0.0.0.0", 0);
		n = 1;
		seen = v[0].types;
	}
	tls = seen & TP_TLS;
	/* advertise the first listener's address unless it is a wildcard */
	sa_print_ip(&v[0].sa, p->addr, sizeof(p->addr));
	if (!strcmp(p->addr, "0.0.0.0"))
		outward_ip(p->addr, sizeof(p->addr));
	if ((e = tp_make(p, tls, err, errlen)))
		return e;
	if ((e = listen_all(p, v, n, err, errlen)))
		return e;
	e = attach(p);
	if (e)
		snprintf(err, errlen, "cannot attach transports: %s",
			 strerror(e));
	return e;
}

const char *phone_listen_addr(const struct phone *p, const char *tp)
{
	size_t i;

	if (!p || !tp)
		return NULL;
	for (i = 0; i < PHONE_TP_N; i++)
		if (!strcasecmp(tp, tp_lname[i]))
			return p->laddr[i][0] ? p->laddr[i] : NULL;
	return NULL;
}
