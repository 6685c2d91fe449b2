/* print.c: strict SIP printer: requests, responses, re-printing. */
#include <errno.h>
#include <string.h>

#include "ua/sip/print.h"

/* Append header lines, normalising line ends to CRLF. */
static int put_lines(struct buf *b, const char *hdrs)
{
	int err = 0;
	while (hdrs && *hdrs && !err) {
		const char *nl = strchr(hdrs, '\n');
		size_t l = nl ? (size_t)(nl - hdrs) : strlen(hdrs);
		size_t n = l;
		if (n && hdrs[n - 1] == '\r')
			n--;
		if (n) {
			struct pl name = {hdrs, n};
			const char *c = pl_chr(&name, ':');
			if (!c)
				return EINVAL;
			name.l = (size_t)(c - hdrs);
			pl_trim(&name);
			if (sip_hdr_lookup(name.p, name.l) ==
			    SIP_HDR_CONTENT_LENGTH)
				return EINVAL;
			err = buf_write(b, hdrs, n);
			if (!err)
				err = buf_write(b, "\r\n", 2);
		}
		hdrs += l + (nl ? 1 : 0);
	}
	return err;
}

static int put_body(struct buf *b, const struct pl *body)
{
	size_t l = body ? body->l : 0;
	int err = buf_printf(b, "Content-Length: %zu\r\n\r\n", l);
	if (!err && l)
		err = buf_write(b, body->p, l);
	return err;
}

int sip_print_tail(struct buf *b, const char *hdrs, const struct pl *body)
{
	int err = put_lines(b, hdrs);
	return err ? err : put_body(b, body);
}

/* The caller's header lines and the body after what is written since
 * @p mark; on an error (also an earlier @p err) cut back to @p mark. */
static int put_tail(struct buf *b, size_t mark, int err, const char *hdrs,
		    const struct pl *body)
{
	if (!err)
		err = sip_print_tail(b, hdrs, body);
	if (err)
		b->end = mark;
	return err;
}

int sip_print_request(struct buf *b, const char *method,
		      const struct pl *ruri, const char *hdrs,
		      const struct pl *body)
{
	struct sip_uri u;
	if (!b || !method || !*method || !ruri ||
	    strpbrk(method, " \t\r\n:") || sip_uri_decode(&u, ruri))
		return EINVAL;
	size_t mark = b->end;
	int err = buf_printf(b, "%s %.*s SIP/2.0\r\n", method, PL_ARG(*ruri));
	return put_tail(b, mark, err, hdrs, body);
}

/* "name: value" CRLF; values are written as bytes (they may hold NULs). */
static int put_hdr_pl(struct buf *b, const struct pl *name,
		      const struct pl *val, const struct pl *tag)
{
	int err = buf_write_pl(b, name);
	if (!err)
		err = buf_write(b, ": ", 2);
	if (!err && val->l)
		err = buf_write_pl(b, val);
	if (!err && tag && tag->l) {
		err = buf_write(b, ";tag=", 5);
		if (!err)
			err = buf_write_pl(b, tag);
	}
	if (!err)
		err = buf_write(b, "\r\n", 2);
	return err;
}

static int put_hdr(struct buf *b, const char *name, const struct pl *val)
{
	struct pl n = pl_from_str(name);
	return put_hdr_pl(b, &n, val, NULL);
}

int sip_print_response(struct buf *b, const struct sip_msg *req,
		       uint16_t scode, const char *reason,
		       const struct pl *totag, const char *hdrs,
		       const struct pl *body)
{
	if (!b || !req || scode < 100 || scode > 699)
		return EINVAL;
	if (!reason)
		reason = sip_reason(scode);
	size_t mark = b->end;
	int err = buf_printf(b, "SIP/2.0 %u %s\r\n", scode, reason);
	SIP_MSG_FOREACH(req, SIP_HDR_VIA, h)
	{
		if (!err)
			err = put_hdr(b, "Via", &h->val);
	}
	const struct sip_hdr *h;
	if (!err && (h = sip_msg_hdr(req, SIP_HDR_FROM)))
		err = put_hdr(b, "From", &h->val);
	if (!err && (h = sip_msg_hdr(req, SIP_HDR_TO))) {
		struct pl to = PL("To");
		err = put_hdr_pl(b, &to, &h->val,
				 req->to.tag.l ? NULL : totag);
	}
	/* RFC 3261 12.1.1: dialog-establishing responses echo Record-Route */
	if (scode > 100 && scode < 300) {
		SIP_MSG_FOREACH(req, SIP_HDR_RECORD_ROUTE, rr)
		{
			if (!err)
				err = put_hdr(b, "Record-Route", &rr->val);
		}
	}
	if (!err && (h = sip_msg_hdr(req, SIP_HDR_CALL_ID)))
		err = put_hdr(b, "Call-ID", &h->val);
	if (!err && (h = sip_msg_hdr(req, SIP_HDR_CSEQ)))
		err = put_hdr(b, "CSeq", &h->val);
	return put_tail(b, mark, err, hdrs, body);
}

int sip_msg_print(struct buf *b, const struct sip_msg *m)
{
	if (!b || !m)
		return EINVAL;
	size_t mark = b->end;
	int err;
	if (m->req) {
		err = buf_write_pl(b, &m->met);
		if (!err)
			err = buf_write(b, " ", 1);
		if (!err)
			err = buf_write_pl(b, &m->ruri_pl);
		if (!err)
			err = buf_write(b, " SIP/2.0\r\n", 10);
	} else {
		err = buf_printf(b, "SIP/2.0 %u ", m->scode);
		if (!err && m->reason.l)
			err = buf_write_pl(b, &m->reason);
		if (!err)
			err = buf_write(b, "\r\n", 2);
	}
	for (size_t i = 0; i < m->hdrc && !err; i++) {
		const struct sip_hdr *h = &m->hdrv[i];
		if (h->id == SIP_HDR_CONTENT_LENGTH)
			continue;
		err = put_hdr_pl(b, &h->name, &h->val, NULL);
	}
	if (!err)
		err = put_body(b, &m->body);
	if (err)
		b->end = mark;
	return err;
}

const char *sip_reason(uint16_t scode)
{
	switch (scode) {
	case 100: return "Trying";
	case 180: return "Ringing";
	case 181: return "Call Is Being Forwarded";
	case 182: return "Queued";
	case 183: return "Session Progress";
	case 200: return "OK";
	case 202: return "Accepted";
	case 301: return "Moved Permanently";
	case 302: return "Moved Temporarily";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 407: return "Proxy Authentication Required";
	case 408: return "Request Timeout";
	case 410: return "Gone";
	case 413: return "Request Entity Too Large";
	case 415: return "Unsupported Media Type";
	case 416: return "Unsupported URI Scheme";
	case 420: return "Bad Extension";
	case 421: return "Extension Required";
	case 423: return "Interval Too Brief";
	case 480: return "Temporarily Unavailable";
	case 481: return "Call/Transaction Does Not Exist";
	case 482: return "Loop Detected";
	case 483: return "Too Many Hops";
	case 484: return "Address Incomplete";
	case 486: return "Busy Here";
	case 487: return "Request Terminated";
	case 488: return "Not Acceptable Here";
	case 491: return "Request Pending";
	case 500: return "Server Internal Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 504: return "Server Time-out";
	case 505: return "Version Not Supported";
	case 513: return "Message Too Large";
	case 600: return "Busy Everywhere";
	case 603: return "Decline";
	case 604: return "Does Not Exist Anywhere";
	case 606: return "Not Acceptable";
	default: return scode < 200 ? "Progress" : scode < 300 ? "OK" :
		 scode < 400 ? "Redirect" : scode < 500 ? "Client Error" :
		 scode < 600 ? "Server Error" : "Global Failure";
	}
}
