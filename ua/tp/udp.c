/* udp.c: UDP listeners: one socket per bound address, reads in bursts. */
#include <errno.h>
#include <time.h> /* linux/errqueue.h needs struct timespec */

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <string.h>

#define LOG_TAG "tp"
#include "base/log.h"
#include "base/mem.h"
#include "ua/tp/priv.h"

/* What one recvmsg() fills: the sender, one buffer, ancillary data
 * (packet info or an ICMP error). */
struct udp_rmsg {
	struct sockaddr_storage ss; /**< sender / failed destination */
	struct iovec iov;	    /**< the caller's buffer         */
	struct msghdr mh;	    /**< ties them together          */
	union {
		struct cmsghdr align;
		uint8_t b[512];
	} cbuf; /**< ancillary data */
};

static ssize_t udp_recvmsg(int fd, struct udp_rmsg *m, void *p, size_t n,
			   int flags)
{
	m->iov = (struct iovec){p, n};
	m->mh = (struct msghdr){.msg_name = &m->ss,
				.msg_namelen = sizeof(m->ss),
				.msg_iov = &m->iov,
				.msg_iovlen = 1,
				.msg_control = m->cbuf.b,
				.msg_controllen = sizeof(m->cbuf.b)};
	return recvmsg(fd, &m->mh, flags);
}

/* The sender's address (the failed destination on the error queue). */
static void udp_src(const struct udp_rmsg *m, struct sa *sa)
{
	sa_set_sockaddr(sa, (const struct sockaddr *)&m->ss, m->mh.msg_namelen);
}

static void udp_deliver(struct tp_lsock *ls, const uint8_t *p, size_t n,
			const struct sa *src, const struct sa *local)
{
	struct tp *tp = ls->tp;
	struct buf *mb;
	if (buf_alloc(&mb, n) || buf_write(mb, p, n)) {
		obj_deref(mb);
		return;
	}
	struct tp_recv rx = {
	    .type = TP_UDP, .src = *src, .local = ls->laddr, .mb = mb};
	tp->h->recvh(&rx, tp->arg);
	obj_deref(mb);
}

/* Our address the datagram was sent to (matters for wildcard binds). */
static void udp_dst(const struct tp_lsock *ls, struct msghdr *mh,
		    struct sa *local)
{
	*local = ls->laddr;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm;
	     cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level == IPPROTO_IP &&
		    cm->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			local->u.in.sin_addr = pi.ipi_addr;
		} else if (cm->cmsg_level == IPPROTO_IPV6 &&
			   cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			local->u.in6.sin6_addr = pi.ipi6_addr;
		}
	}
}

/* ICMP errors for datagrams we sent (IP_RECVERR): tell the owner which
 * destination is unreachable, so requests to it fail now rather than
 * after their timeout. */
static void udp_errqueue(struct tp_lsock *ls, int fd)
{
	struct tp *tp = ls->tp;

	for (int i = 0; i < 16 && ls->fd >= 0; i++) {
		struct udp_rmsg m;
		uint8_t dummy[64];
		if (udp_recvmsg(fd, &m, dummy, sizeof(dummy), MSG_ERRQUEUE) < 0)
			return;
		for (struct cmsghdr *cm = CMSG_FIRSTHDR(&m.mh); cm;
		     cm = CMSG_NXTHDR(&m.mh, cm)) {
			struct sock_extended_err ee;
			struct sa dst;
			bool ip4 = cm->cmsg_level == IPPROTO_IP &&
				   cm->cmsg_type == IP_RECVERR;
			bool ip6 = cm->cmsg_level == IPPROTO_IPV6 &&
				   cm->cmsg_type == IPV6_RECVERR;
			if (!ip4 && !ip6)
				continue;
			memcpy(&ee, CMSG_DATA(cm), sizeof(ee));
			if (ee.ee_origin != SO_EE_ORIGIN_ICMP &&
			    ee.ee_origin != SO_EE_ORIGIN_ICMP6)
				continue;
			if (ee.ee_errno != ECONNREFUSED &&
			    ee.ee_errno != EHOSTUNREACH &&
			    ee.ee_errno != ENETUNREACH)
				continue;
			udp_src(&m, &dst);
			if (tp->h->unreachh)
				tp->h->unreachh(&dst, (int)ee.ee_errno,
						tp->arg);
		}
	}
}

static void udp_read(int fd, int flags, void *arg)
{
	struct tp_lsock *ls = arg;
	struct tp *tp = ls->tp;
	char sb[SA_STR_MAX];
	obj_ref(ls);
	if (flags & FD_ERROR)
		udp_errqueue(ls, fd);
	for (uint32_t i = 0; i < tp->opts.udp_burst && ls->fd >= 0; i++) {
		struct udp_rmsg m;
		ssize_t n = udp_recvmsg(fd, &m, ls->rx, tp->opts.max_msg + 1,
					MSG_TRUNC);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				break;
			udp_errqueue(ls, fd); /* an ICMP error: see whom */
			continue;
		}
		struct sa src, local;
		udp_src(&m, &src);
		if ((size_t)n > tp->opts.max_msg) {
			WARN("UDP: dropped a %zd-byte datagram from %s (max "
			     "%zu)",
			     n, sa_print(&src, sb, sizeof(sb)),
			     tp->opts.max_msg);
			continue;
		}
		if (n == 0 ||
		    (n <= 4 && (ls->rx[0] == '\r' || ls->rx[0] == '\n')))
			continue; /* empty or keep-alive datagram */
		udp_dst(ls, &m.mh, &local);
		udp_deliver(ls, ls->rx, (size_t)n, &src, &local);
	}
	obj_deref(ls);
}

int tp_udp_listen(struct tp *tp, const struct sa *addr)
{
	int fd, one = 1;
	int err = tp_sock_open(addr, SOCK_DGRAM, &fd);
	if (err)
		return err;
	if (sa_af(addr) == AF_INET6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one,
			   sizeof(one));
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof(one));
	} else {
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one));
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &tp->opts.udp_rcvbuf,
		       sizeof(tp->opts.udp_rcvbuf)))
		DEBUG("udp: SO_RCVBUF %d refused", tp->opts.udp_rcvbuf);
	return tp_lsock_start(tp, TP_UDP, fd, addr, udp_read,
			      tp->opts.max_msg + 1);
}

int tp_udp_send(struct tp *tp, const struct sa *dst, struct buf *msg)
{
	struct le *le;
	LIST_FOREACH(&tp->lsocks, le)
	{
		struct tp_lsock *ls = le->data;
		if (ls->type != TP_UDP || sa_af(&ls->laddr) != sa_af(dst))
			continue;
		ssize_t n = sendto(ls->fd, msg->b + msg->pos, buf_left(msg), 0,
				   &dst->u.sa, dst->len);
		if (n < 0 && (errno == ECONNREFUSED || errno == EHOSTUNREACH ||
			      errno == ENETUNREACH)) {
			/* a pending ICMP error of an earlier datagram (maybe
			   to another peer) surfaced here: it was consumed,
			   and the error queue tells its owner; send again */
			n = sendto(ls->fd, msg->b + msg->pos, buf_left(msg), 0,
				   &dst->u.sa, dst->len);
		}
		return n < 0 ? errno : 0;
	}
	return EADDRNOTAVAIL;
}
