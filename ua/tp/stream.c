/* stream.c: TCP/TLS listeners and outgoing connects. */
#include <errno.h>
#include <netinet/tcp.h>
#include <string.h>
#include <unistd.h>

#define LOG_TAG "tp"
#include "base/log.h"
#include "base/mem.h"
#include "ua/tp/priv.h"

static void stream_accept(int fd, int flags, void *arg)
{
	struct tp_lsock *ls = arg;
	char sb[SA_STR_MAX];
	(void)flags;
	for (int i = 0; i < 64; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		int cfd = accept4(fd, (struct sockaddr *)&ss, &sl,
				  SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0)
			return;
		struct sa peer;
		sa_set_sockaddr(&peer, (struct sockaddr *)&ss, sl);
		if (ls->tp->nconns >= ls->tp->opts.max_conns) {
			WARN("%s: refused %s: %u connections open",
			     tp_type_name(ls->type),
			     sa_print(&peer, sb, sizeof(sb)), ls->tp->nconns);
			close(cfd);
			continue;
		}
		tp_conn_accepted(ls->tp, ls, cfd, &peer);
	}
}

int tp_stream_listen(struct tp *tp, enum tp_type type, const struct sa *addr)
{
	int fd, one = 1;
	int err = tp_sock_open(addr, SOCK_STREAM, &fd);
	if (err)
		return err;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	return tp_lsock_start(tp, type, fd, addr, stream_accept, 0);
}

/* Open a non-blocking socket and start connecting to @p peer. */
int tp_stream_connect(const struct sa *peer, int *fdp)
{
	int one = 1;
	int fd =
	    socket(sa_af(peer), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, &peer->u.sa, peer->len) < 0 && errno != EINPROGRESS) {
		int err = errno;
		close(fd);
		return err;
	}
	*fdp = fd;
	return 0;
}
