/* request.c: building and sending requests and stateless responses. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <strings.h>

#include "base/mem.h"
#include "ua/sip/uri.h"
#include "ua/stack/priv.h"

static const char *const tp_names[STACK_TP_N] = {"UDP", "TCP", "TLS"};

/* the local address for requests to @p dst: 0, EINVAL, EAFNOSUPPORT */
static int dst_laddr(const struct stack *st, const struct tsx_addr *dst,
		     const struct sockaddr_storage **la)
{
	if (!dst || !stack_laddr(st, dst->tp))
		return EINVAL;
	*la = stack_laddr_af(st, dst->tp, dst->sa.ss_family);
	return *la ? 0 : EAFNOSUPPORT;
}

int stack_via(const struct stack *st, const struct tsx_addr *dst, char *buf,
	      size_t size)
{
	char hp[64], br[40];
	const struct sockaddr_storage *la = NULL;
	int n, err = dst_laddr(st, dst, &la);

	if (err || !buf)
		return err ? err : EINVAL;
	err = stack_sa_hostport(la, hp, sizeof(hp));
	if (!err)
		err = tsx_branch_new(br, sizeof(br));
	if (err)
		return err;
	n = snprintf(buf, size, "SIP/2.0/%s %s;branch=%s;rport",
		     tp_names[dst->tp], hp, br);
	return n < 0 || (size_t)n >= size ? ENOSPC : 0;
}

int stack_contact(const struct stack *st, const struct tsx_addr *dst,
		  const char *user, char *buf, size_t size)
{
	static const char *const sfx[STACK_TP_N] = {"", ";transport=tcp",
						    ";transport=tls"};
	const struct sockaddr_storage *la = NULL;
	char hp[64];
	int n, err = dst_laddr(st, dst, &la);

	if (err || !buf)
		return err ? err : EINVAL;
	err = stack_sa_hostport(la, hp, sizeof(hp));
	if (err)
		return err;
	n = snprintf(buf, size, "sip:%s%s%s%s", user ? user : "",
		     user && *user ? "@" : "", hp, sfx[dst->tp]);
	return n < 0 || (size_t)n >= size ? ENOSPC : 0;
}

int stack_request(struct tsx **tp, struct stack *st, const char *method,
		  const char *ruri, const struct tsx_addr *dst,
		  const char *hdrs, const struct pl *body, tsx_resp_h *resph,
		  void *arg)
{
	char via[160];
	struct buf *mb;
	size_t blen = body ? body->l : 0;
	int err;

	if (!st || !method || !ruri || !dst)
		return EINVAL;
	err = stack_via(st, dst, via, sizeof(via));
	if (err)
		return err;
	err = buf_alloc(&mb, 1024);
	if (err)
		return err;
	err = buf_printf(mb,
			 "%s %s SIP/2.0\r\nVia: %s\r\nMax-Forwards: 70\r\n"
			 "%s",
			 method, ruri, via, hdrs ? hdrs : "");
	if (!err && hdrs && *hdrs && hdrs[strlen(hdrs) - 1] != '\n')
		err = buf_write_str(mb, "\r\n");
	if (!err && *st->user_agent)
		err = buf_printf(mb, "User-Agent: %s\r\n", st->user_agent);
	if (!err && *st->allow)
		err = buf_printf(mb, "Allow: %s\r\n", st->allow);
	if (!err && *st->supported)
		err = buf_printf(mb, "Supported: %s\r\n", st->supported);
	if (!err)
		err = buf_printf(mb, "Content-Length: %zu\r\n\r\n", blen);
	if (!err && blen)
		err = buf_write(mb, body->p, blen);
	if (!err)
		err = tsx_request(tp, st->tl, mb, dst, resph, arg);
	obj_deref(mb);
	return err;
}

int stack_reply(struct stack *st, const struct sip_msg *req,
		const struct tsx_addr *src, uint16_t scode, const char *reason)
{
	char hdr[160];

	if (!st)
		return EINVAL;
	snprintf(hdr, sizeof(hdr), "Server: %s\r\n", st->user_agent);
	return tsx_reply_stateless(st->tl, req, src, scode, reason, NULL,
				   *st->user_agent ? hdr : NULL);
}

static int host_addr(const struct pl *host, uint16_t port, struct tsx_addr *dst)
{
	struct sockaddr_storage *sa = &dst->sa;
	char h[RESOLVE_HOST_MAX];
	struct sockaddr_in *s4 = (struct sockaddr_in *)sa;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;

	if (host->l >= sizeof(h))
		return EINVAL;
	pl_copy(host, h, sizeof(h));
	memset(sa, 0, sizeof(*sa));
	if (!strcasecmp(h, "localhost")) {
		strcpy(dst->host, "localhost"); /* TLS checks this name */
		strcpy(h, "127.0.0.1");
	}
	if (inet_pton(AF_INET, h, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		return 0;
	}
	if (inet_pton(AF_INET6, h, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		return 0;
	}
	/* a name: stack_uri_resolve() looks it up */
	pl_copy(host, dst->host, sizeof(dst->host));
	return ENOTSUP;
}

int stack_uri_dst(const struct sip_uri *uri, struct tsx_addr *dst)
{
	struct pl tp;

	if (!uri || !dst)
		return EINVAL;
	if (uri->scheme != SIP_URI_SIP && uri->scheme != SIP_URI_SIPS)
		return EINVAL;
	memset(dst, 0, sizeof(*dst));
	dst->tp = TSX_TP_UDP;
	if (uri->scheme == SIP_URI_SIPS)
		dst->tp = TSX_TP_TLS;
	if (!sip_uri_param(uri, "transport", &tp)) {
		if (!pl_strcasecmp(&tp, "tcp"))
			dst->tp = uri->scheme == SIP_URI_SIPS ? TSX_TP_TLS
							      : TSX_TP_TCP;
		else if (!pl_strcasecmp(&tp, "tls"))
			dst->tp = TSX_TP_TLS;
		else if (pl_strcasecmp(&tp, "udp"))
			return ENOTSUP;
	}
	return host_addr(
	    &uri->host,
	    uri->port ? uri->port : (dst->tp == TSX_TP_TLS ? 5061 : 5060), dst);
}
