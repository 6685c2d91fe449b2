/* transport.c: the phone's SIP listeners, its TLS identity, and the SIP
 * trace (every message in and out passes through here).
 *
 * The phone binds its ua/tp transports to the stack itself instead of
 * stack_tp_attach() so that it can see each message on the wire: received
 * ones go through trace_recvh() before stack_recv(), sent ones through
 * trace_sendh() before tp_send(). The address advertised in Via and
 * Contact is the listen address, or for a wildcard listener the local
 * address the kernel would route outwards from (127.0.0.1 or ::1 when
 * none). Each transport may listen once per address family; the stack
 * picks the address of a request's destination family.
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
#define LOG_TAG "phone"
#include "base/log.h"
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

/* the local address of family @p af the kernel would use to go outwards
   (to a documentation address: connect() on UDP sends nothing) */
static void outward_ip(int af, char *ip, size_t size)
{
	struct sa dst, la;
	socklen_t len = sizeof(la.u.ss);
	int fd = socket(af, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	snprintf(ip, size, "%s", af == AF_INET6 ? "::1" : "127.0.0.1");
	if (fd < 0)
		return;
	sa_set(&dst, af == AF_INET6 ? "2001:db8::1" : "192.0.2.1", 5060);
	if (!connect(fd, &dst.u.sa, dst.len) &&
	    !getsockname(fd, &la.u.sa, &len)) {
		la.len = len;
		sa_print_ip(&la, ip, size);
		if (!strcmp(ip, "0.0.0.0") || !strcmp(ip, "::"))
			snprintf(ip, size, "%s",
				 af == AF_INET6 ? "::1" : "127.0.0.1");
	}
	close(fd);
}

const char *phone_addr_af(const struct phone *p, int af)
{
	if (af == AF_INET6)
		return p->addr6;
	if (af == AF_INET || p->addr[0])
		return p->addr;
	return p->addr6;
}

struct lspec {
	int types;    /**< TP_* mask */
	struct sa sa; /**< address   */
};

static int lspec_bad(const char *s, char *err, size_t errlen)
{
	snprintf(err, errlen,
		 "bad listen address '%s' (want udp:IP:PORT, tcp:IP:PORT or "
		 "tls:IP:PORT; IPv6 in brackets: udp:[::1]:5060)",
		 s);
	return EINVAL;
}

/* "udp:IP:PORT", "tcp:IP", "tls:[IPv6]:PORT", "udp:[IPv6]" */
static int lspec_decode(struct lspec *ls, const char *s, char *err,
			size_t errlen)
{
	const char *colon = strchr(s, ':'), *a;
	char name[8];

	if (!colon || (size_t)(colon - s) >= sizeof(name))
		return lspec_bad(s, err, errlen);
	memcpy(name, s, (size_t)(colon - s));
	name[colon - s] = '\0';
	a = colon + 1;
	ls->types = tp_type_from_name(name);
	/* a bare IPv6 address would swallow the port ("::1:5060") */
	if (ls->types == TP_NONE || (a[0] != '[' && strchr(a, ':') &&
				     strchr(a, ':') != strrchr(a, ':')))
		return lspec_bad(s, err, errlen);
	if (sa_from_str(&ls->sa, a))
		return lspec_bad(s, err, errlen);
	return 0;
}

int phone_listen_check(const char *spec, char *err, size_t errlen)
{
	struct lspec ls;

	if (!spec || !err || !errlen)
		return EINVAL;
	return lspec_decode(&ls, spec, err, errlen);
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

static int listen_all(struct phone *p, struct lspec *v, size_t n, char *err,
		      size_t errlen)
{
	char hp[SA_STR_MAX];
	size_t i;
	int e;

	for (i = 0; i < n; i++) {
		e = tp_listen(p->tp, v[i].types, &v[i].sa);
		if (e && !p->opts.nlisten && sa_af(&v[i].sa) == AF_INET6) {
			/* the default IPv6 listeners are optional: a host
			   without IPv6 gets IPv4 only */
			INFO("no IPv6 listeners: %s", strerror(e));
			v[i].types = TP_NONE; /* nothing to advertise */
			continue;
		}
		if (e) {
			snprintf(err, errlen, "cannot listen on %s: %s",
				 sa_print(&v[i].sa, hp, sizeof(hp)),
				 strerror(e));
			return e;
		}
	}
	return 0;
}

/* the first listener's address (or the outward one for a wildcard) as
   the advertised address of its family */
static void advertise(struct phone *p, const struct lspec *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int af = sa_af(&v[i].sa);
		char *a = af == AF_INET6 ? p->addr6 : p->addr;

		if (a[0] || v[i].types == TP_NONE)
			continue;
		sa_print_ip(&v[i].sa, a, PHONE_ADDR_MAX);
		if (!strcmp(a, "0.0.0.0") || !strcmp(a, "::"))
			outward_ip(af, a, PHONE_ADDR_MAX);
	}
}

/* register listener @p type of family @p af with the stack under the
   advertised address; @return 0, ENOENT (no such listener), or an errno */
static int attach_one(struct phone *p, enum tp_type type, int af, size_t i)
{
	struct sockaddr_storage ss;
	struct sa la, adv;
	char ip[SA_STR_MAX];
	int e;

	if (tp_laddr(p->tp, type, af, &la))
		return ENOENT;
	sa_print_ip(&la, ip, sizeof(ip));
	if (!strcmp(ip, "0.0.0.0") || !strcmp(ip, "::")) {
		if (!*phone_addr_af(p, af))
			return ENOENT; /* half of a default set that failed */
		snprintf(ip, sizeof(ip), "%s", phone_addr_af(p, af));
	}
	e = sa_set(&adv, ip, sa_port(&la));
	if (e)
		return e;
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, &adv.u.ss, adv.len);
	e = stack_transport_add(p->st, from_tp(type), &ss, trace_sendh, p);
	if (e)
		return e;
	if (!p->laddr[i][0])
		sa_print(&adv, p->laddr[i], sizeof(p->laddr[i]));
	if (af == AF_INET6)
		sa_print(&adv, p->laddr6[i], sizeof(p->laddr6[i]));
	return 0;
}

/* register each listener with the stack: IPv4 first, so that "udp"
   names the IPv4 listener when there are both */
static int attach(struct phone *p)
{
	static const enum tp_type types[] = {TP_UDP, TP_TCP, TP_TLS};
	static const int afs[] = {AF_INET, AF_INET6};
	size_t i, k;
	int e;

	for (i = 0; i < PHONE_TP_N; i++) {
		for (k = 0; k < 2; k++) {
			e = attach_one(p, types[i], afs[k], i);
			if (e && e != ENOENT)
				return e;
		}
	}
	return 0;
}

/* the listen specs of the options, or the defaults: every transport on
   free ports of 0.0.0.0 and [::]; @return the count, 0 on error */
static size_t lspecs(struct phone *p, struct lspec *v, int *tls, char *err,
		     size_t errlen)
{
	size_t i, k, n = p->opts.nlisten;

	if (n > 8)
		n = 8;
	for (i = 0; i < n; i++) {
		if (lspec_decode(&v[i], p->opts.listen[i], err, errlen))
			return 0;
		for (k = 0; k < i; k++) {
			if (!(v[k].types & v[i].types) ||
			    sa_af(&v[k].sa) != sa_af(&v[i].sa))
				continue;
			snprintf(err, errlen,
				 "listen %s: one listener per transport and "
				 "address family",
				 p->opts.listen[i]);
			return 0;
		}
		*tls |= v[i].types & TP_TLS;
	}
	if (n)
		return n;
	v[0].types = v[1].types = TP_UDP | TP_TCP | TP_TLS;
	sa_set(&v[0].sa, "0.0.0.0", 0);
	sa_set(&v[1].sa, "::", 0);
	*tls = 1;
	return 2;
}

int phone_tp_open(struct phone *p, char *err, size_t errlen)
{
	struct lspec v[8];
	int tls = 0, e;
	size_t n = lspecs(p, v, &tls, err, errlen);

	if (!n)
		return EINVAL;
	if ((e = tp_make(p, tls, err, errlen)))
		return e;
	if ((e = listen_all(p, v, n, err, errlen)))
		return e;
	advertise(p, v, n);
	e = attach(p);
	if (e)
		snprintf(err, errlen, "cannot attach transports: %s",
			 strerror(e));
	return e;
}

const char *phone_listen_addr(const struct phone *p, const char *tp)
{
	size_t i, l;
	bool six;

	if (!p || !tp)
		return NULL;
	l = strlen(tp);
	six = l == 4 && tp[3] == '6';
	for (i = 0; i < PHONE_TP_N; i++) {
		const char *a = six ? p->laddr6[i] : p->laddr[i];

		if (!strncasecmp(tp, tp_lname[i], 3) && (l == 3 || six))
			return a[0] ? a : NULL;
	}
	return NULL;
}
