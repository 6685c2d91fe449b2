/* udp.c: the stack's own UDP socket (datagrams straight into stack_recv). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <unistd.h>

#include "base/mem.h"
#include "ua/stack/priv.h"

struct stack_udp {
	struct stack *st;	       /**< owner (not referenced)  */
	int fd;			       /**< socket                  */
	struct sockaddr_storage laddr; /**< bound address           */
};

static socklen_t sa_len(const struct sockaddr_storage *sa)
{
	return sa->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
					 : sizeof(struct sockaddr_in);
}

static int udp_send(const struct tsx_addr *dst, struct buf *mb, void *arg)
{
	struct stack_udp *u = arg;
	ssize_t n = sendto(u->fd, mb->b + mb->pos, mb->end - mb->pos, 0,
			   (const struct sockaddr *)&dst->sa, sa_len(&dst->sa));

	return n < 0 ? errno : 0;
}

static void udp_read(int fd, int flags, void *arg)
{
	struct stack_udp *u = arg;
	struct tsx_addr src;
	socklen_t slen;
	struct buf *mb;
	ssize_t n;
	int i;

	(void)flags;
	for (i = 0; i < 64; i++) {
		if (buf_alloc(&mb, SIP_MSG_MAX_SIZE + 1))
			return;
		memset(&src, 0, sizeof(src));
		slen = sizeof(src.sa);
		n = recvfrom(fd, mb->b, mb->size, 0, (struct sockaddr *)&src.sa,
			     &slen);
		if (n <= 0) {
			obj_deref(mb);
			return;
		}
		mb->end = (size_t)n;
		src.tp = TSX_TP_UDP;
		stack_recv(u->st, mb, &src);
		obj_deref(mb);
	}
}

void stack_udp_close(struct stack *st)
{
	struct stack_udp *u = st->udp;

	if (!u)
		return;
	loop_fd_close(st->loop, u->fd);
	close(u->fd);
	st->udp = obj_deref(u);
}

int stack_udp_listen(struct stack *st, const char *ip, uint16_t port)
{
	struct stack_udp *u;
	struct sockaddr_in *s4;
	socklen_t len;
	int err;

	if (!st || !ip || st->udp)
		return EINVAL;
	u = obj_zalloc(sizeof(*u), NULL);
	if (!u)
		return ENOMEM;
	u->st = st;
	s4 = (struct sockaddr_in *)&u->laddr;
	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	if (inet_pton(AF_INET, ip, &s4->sin_addr) != 1) {
		obj_deref(u);
		return EINVAL;
	}
	u->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (u->fd < 0) {
		err = errno;
		obj_deref(u);
		return err;
	}
	len = sizeof(u->laddr);
	if (bind(u->fd, (struct sockaddr *)s4, sizeof(*s4)) ||
	    getsockname(u->fd, (struct sockaddr *)&u->laddr, &len)) {
		err = errno;
		goto fail;
	}
	err = loop_fd_listen(st->loop, u->fd, FD_READ, udp_read, u);
	if (!err)
		err =
		    stack_transport_add(st, TSX_TP_UDP, &u->laddr, udp_send, u);
	if (!err) {
		st->udp = u;
		return 0;
	}
	loop_fd_close(st->loop, u->fd);
fail:
	close(u->fd);
	obj_deref(u);
	return err;
}
