/* resp.c: printing and routing responses (RFC 3261 18.2.2, RFC 3581). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>

#include "base/mem.h"
#include "ua/sip/param.h"
#include "ua/sip/print.h"
#include "ua/tsx/priv.h"

static uint16_t sa_port(const struct sockaddr_storage *sa)
{
	if (sa->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	if (sa->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	return 0;
}

static void sa_set_port(struct sockaddr_storage *sa, uint16_t port)
{
	if (sa->ss_family == AF_INET)
		((struct sockaddr_in *)sa)->sin_port = htons(port);
	else if (sa->ss_family == AF_INET6)
		((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
}

static int sa_ntop(const struct sockaddr_storage *sa, char *buf, size_t size)
{
	const void *a;

	if (sa->ss_family == AF_INET)
		a = &((const struct sockaddr_in *)sa)->sin_addr;
	else if (sa->ss_family == AF_INET6)
		a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
	else
		return EINVAL;
	return inet_ntop(sa->ss_family, a, buf, (socklen_t)size) ? 0 : EINVAL;
}

/* The top Via with received/rport filled in (RFC 3261 18.2.1, RFC 3581) */
static int print_top_via(struct buf *mb, const struct sip_via *v,
			 const struct tsx_addr *src)
{
	struct pl head = {v->val.p, v->val.l};
	struct pl name, val;
	size_t pos = 0;
	char ip[INET6_ADDRSTRLEN];
	bool have_ip = src && !sa_ntop(&src->sa, ip, sizeof(ip));
	int err;

	if (v->params.p && v->params.l)
		head.l = (size_t)(v->params.p - v->val.p);
	pl_trim(&head);
	err = buf_printf(mb, "Via: %.*s", PL_ARG(head));
	while (!err && v->params.l &&
	       !sip_param_next(&v->params, &pos, &name, &val)) {
		if (!pl_strcasecmp(&name, "received") ||
		    !pl_strcasecmp(&name, "rport"))
			continue;
		err = buf_printf(mb, ";%.*s", PL_ARG(name));
		if (!err && val.l)
			err = buf_printf(mb, "=%.*s", PL_ARG(val));
	}
	if (!err && have_ip && (pl_strcasecmp(&v->host, ip) || v->rport))
		err = buf_printf(mb, ";received=%s", ip);
	if (!err && v->rport && have_ip)
		err = buf_printf(mb, ";rport=%u", sa_port(&src->sa));
	else if (!err && v->rport)
		err = buf_write_str(mb, ";rport");
	if (!err)
		err = buf_write_str(mb, "\r\n");
	return err;
}

static int print_to(struct buf *mb, const struct sip_msg *req,
		    const char *totag)
{
	int err = buf_printf(mb, "To: %.*s", PL_ARG(req->to.val));

	if (!err && totag && *totag && !pl_isset(&req->to.tag))
		err = buf_printf(mb, ";tag=%s", totag);
	if (!err)
		err = buf_write_str(mb, "\r\n");
	return err;
}

int tsx_print_response(struct buf *mb, const struct sip_msg *req,
		       const struct tsx_addr *src, uint16_t scode,
		       const char *reason, const char *totag, const char *hdrs,
		       const struct pl *body)
{
	bool first = true;
	int err;

	if (!mb || !req || !req->req || scode < 100 || scode > 699)
		return EINVAL;
	if (!reason)
		reason = sip_reason(scode);
	err = buf_printf(mb, "SIP/2.0 %u %s\r\n", scode, reason);
	SIP_MSG_FOREACH(req, SIP_HDR_VIA, h)
	{
		if (err)
			break;
		if (first)
			err = print_top_via(mb, &req->via, src);
		else
			err = buf_printf(mb, "Via: %.*s\r\n", PL_ARG(h->val));
		first = false;
	}
	if (!err)
		err = buf_printf(mb, "From: %.*s\r\n", PL_ARG(req->from.val));
	if (!err)
		err = print_to(mb, req, totag);
	if (!err)
		err = buf_printf(mb, "Call-ID: %.*s\r\nCSeq: %u %.*s\r\n",
				 PL_ARG(req->callid), req->cseq.num,
				 PL_ARG(req->cseq.met));
	/* RFC 3261 12.1.1: dialog-creating responses echo Record-Route */
	if (scode > 100 && scode < 300) {
		SIP_MSG_FOREACH(req, SIP_HDR_RECORD_ROUTE, rr)
		{
			if (!err)
				err = buf_printf(mb, "Record-Route: %.*s\r\n",
						 PL_ARG(rr->val));
		}
	}
	return err ? err : sip_print_tail(mb, hdrs, body);
}

void tsx_response_dst(struct tsx_addr *dst, const struct sip_msg *req,
		      const struct tsx_addr *src)
{
	*dst = *src;
	if (tsx_tp_reliable(src->tp) || req->via.rport)
		return;
	sa_set_port(&dst->sa, req->via.port ? req->via.port : 5060);
}

int tsx_reply_stateless(struct tsx_layer *tl, const struct sip_msg *req,
			const struct tsx_addr *src, uint16_t scode,
			const char *reason, const char *totag, const char *hdrs)
{
	struct tsx_addr dst;
	struct buf *mb;
	int err;

	if (!tl || !req || !src || !req->req)
		return EINVAL;
	if (req->method == SIP_METHOD_ACK)
		return 0;
	err = buf_alloc(&mb, 512);
	if (err)
		return err;
	err =
	    tsx_print_response(mb, req, src, scode, reason, totag, hdrs, NULL);
	if (!err) {
		tsx_response_dst(&dst, req, src);
		err = tl->sendh(&dst, mb, tl->send_arg);
	}
	obj_deref(mb);
	return err;
}
