/* refer.c: INFO with DTMF relay, and transfer with REFER (RFC 3515):
 * our REFER with the NOTIFYs that report on it, and a REFER we accept
 * (blind, or attended with Replaces in Refer-To) with the NOTIFYs
 * (message/sipfrag) we send about it.
 */
#include <errno.h>
#include <stdio.h>

#include "base/mem.h"
#define LOG_TAG "sess"
#include "base/log.h"
#include "ua/sess/priv.h"
#include "ua/sip/param.h"
#include "ua/sip/print.h"

static bool dtmf_digit_ok(char d)
{
	return (d >= '0' && d <= '9') || d == '*' || d == '#' ||
	       (d >= 'A' && d <= 'D') || (d >= 'a' && d <= 'd');
}

static void quiet_resp_h(struct sess *s, int err, const struct sip_msg *msg,
			 struct sess_req *r)
{
	if (err || msg->scode >= 300)
		INFO("%s: %s answered %u (%d)\n", s->callid, r->method,
		     err ? 0 : msg->scode, err);
}

bool sess_in_dialog(const struct sess *s)
{
	return s->dlg && !s->dlg->early && s->state != SESS_ST_CLOSED &&
	       s->state != SESS_ST_CLOSING;
}

int sess_info_dtmf(struct sess *s, char digit)
{
	struct buf *b = NULL;
	int err;

	if (!s || !dtmf_digit_ok(digit))
		return EINVAL;
	if (!sess_in_dialog(s))
		return ENOTCONN;
	err = buf_alloc(&b, 64);
	if (!err)
		err = buf_printf(b, "Signal=%c\r\nDuration=160\r\n", digit);
	if (!err)
		err = sess_request(s, "INFO",
				   "Content-Type: application/dtmf-relay\r\n",
				   b, quiet_resp_h);
	obj_deref(b);
	return err;
}

/* "Signal=5\r\nDuration=160" (dtmf-relay) or "5" (application/dtmf) */
static char dtmf_parse(const struct pl *body, bool relay)
{
	const char *p = body->p, *end = body->p + body->l;

	if (!relay) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		return p < end && dtmf_digit_ok(*p) ? *p : 0;
	}
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end;
		if (le - p > 7 && !strncasecmp(p, "Signal", 6)) {
			const char *q = p + 6;
			while (q < le && (*q == ' ' || *q == '\t'))
				q++;
			if (q < le && *q == '=') {
				q++;
				while (q < le && (*q == ' ' || *q == '\t'))
					q++;
				return q < le && dtmf_digit_ok(*q) ? *q : 0;
			}
		}
		p = eol ? eol + 1 : end;
	}
	return 0;
}

/* media type of Content-Type without parameters */
static struct pl ctype_base(const struct sip_msg *msg)
{
	struct pl t = msg->ctype;
	const char *semi = pl_chr(&t, ';');

	if (semi)
		t.l = (size_t)(semi - t.p);
	pl_trim(&t);
	return t;
}

void sess_info_recv(struct sess *s, const struct sip_msg *msg,
		    const struct tsx_addr *src)
{
	struct pl t = ctype_base(msg);
	bool relay = !pl_strcasecmp(&t, "application/dtmf-relay");
	char d;

	if (!msg->body.l) {
		(void)sess_reply(s, msg, src, 200, NULL, NULL, NULL);
		return;
	}
	if (!relay && pl_strcasecmp(&t, "application/dtmf")) {
		(void)sess_reply(s, msg, src, 415, NULL,
				 "Accept: application/dtmf-relay, "
				 "application/dtmf\r\n",
				 NULL);
		return;
	}
	d = dtmf_parse(&msg->body, relay);
	if (!d) {
		(void)sess_reply(s, msg, src, 400, "Bad DTMF", NULL, NULL);
		return;
	}
	(void)sess_reply(s, msg, src, 200, NULL, NULL, NULL);
	if (s->h && s->h->infoh)
		s->h->infoh(s, d, s->arg);
}

/* ---- REFER ---- */

int sess_refer_send(struct sess *s, struct buf *hb)
{
	int err = sess_common_hdrs(s, hb, false);

	if (!err)
		err = buf_write(hb, "", 1);
	if (!err)
		err = sess_request(s, "REFER", (const char *)hb->b, NULL,
				   quiet_resp_h);
	return err;
}

int sess_refer(struct sess *s, const char *target)
{
	struct buf *hb = NULL;
	struct sip_uri u;
	struct pl pl = pl_from_str(target ? target : "");
	int err;

	if (!s || !target || sip_uri_decode(&u, &pl))
		return EINVAL;
	if (!sess_in_dialog(s))
		return ENOTCONN;
	err = buf_alloc(&hb, 512);
	if (!err)
		err = buf_printf(hb, "Refer-To: <%s>\r\nReferred-By: %s\r\n",
				 target, s->dlg->luri);
	if (!err)
		err = sess_refer_send(s, hb);
	obj_deref(hb);
	return err;
}

/* the status code of a sipfrag body "SIP/2.0 200 OK" */
static uint16_t sipfrag_scode(const struct pl *body)
{
	struct pl c;
	uint64_t v;

	if (body->l < 11 || strncmp(body->p, "SIP/2.0 ", 8))
		return 0;
	c.p = body->p + 8;
	c.l = 3;
	if (pl_u64(&c, 699, &v) || v < 100)
		return 0;
	return (uint16_t)v;
}

void sess_notify_recv(struct sess *s, const struct sip_msg *msg,
		      const struct tsx_addr *src)
{
	const struct sip_hdr *ev = sip_msg_hdr(msg, SIP_HDR_EVENT);
	struct pl e;
	uint16_t scode;

	if (!ev) {
		(void)sess_reply(s, msg, src, 489, NULL, NULL, NULL);
		return;
	}
	e = ev->val;
	if (pl_chr(&e, ';'))
		e.l = (size_t)(pl_chr(&e, ';') - e.p);
	pl_trim(&e);
	if (pl_strcasecmp(&e, "refer")) {
		(void)sess_reply(s, msg, src, 489, NULL, NULL, NULL);
		return;
	}
	(void)sess_reply(s, msg, src, 200, NULL, NULL, NULL);
	scode = sipfrag_scode(&msg->body);
	if (scode && s->h && s->h->refer_statush)
		s->h->refer_statush(s, scode, s->arg);
}

/* The Replaces of Refer-To's URI headers ("a=b&Replaces=x%3By"),
 * unescaped and checked, into *@p rp (NULL when there is none).
 * @return 0, EBADMSG (bad escape or value), ENOMEM. */
static int refer_to_replaces(const struct sip_uri *u, char **rp)
{
	struct pl h = u->headers, v;
	struct sess_replaces r;
	char val[512];
	size_t len;

	*rp = NULL;
	while (h.l) {
		const char *amp = pl_chr(&h, '&');
		struct pl one = {h.p, amp ? (size_t)(amp - h.p) : h.l};
		const char *eq = pl_chr(&one, '=');

		h.l -= one.l + (amp ? 1 : 0);
		h.p += one.l + (amp ? 1 : 0);
		if (!eq || (size_t)(eq - one.p) != 8 ||
		    strncasecmp(one.p, "Replaces", 8))
			continue; /* other headers are not ours to use */
		v.p = eq + 1;
		v.l = one.l - 9;
		if (*rp || sip_uri_unescape(&v, val, sizeof(val) - 1, &len) ||
		    memchr(val, '\0', len))
			goto bad;
		val[len] = '\0';
		v = pl_from_str(val);
		if (sess_replaces_decode(&r, &v))
			goto bad;
		*rp = obj_strdup(val);
		if (!*rp)
			return ENOMEM;
	}
	return 0;
bad:
	*rp = obj_deref(*rp);
	return EBADMSG;
}

void sess_refer_recv(struct sess *s, const struct sip_msg *msg,
		     const struct tsx_addr *src)
{
	const struct sip_hdr *rt = sip_msg_hdr(msg, SIP_HDR_REFER_TO);
	struct sip_addr a;
	char *target, *repl = NULL;

	if (!rt || sip_addr_decode(&a, &rt->val, false) ||
	    (a.uri.scheme != SIP_URI_SIP && a.uri.scheme != SIP_URI_SIPS &&
	     a.uri.scheme != SIP_URI_TEL)) {
		(void)sess_reply(s, msg, src, 400, "Bad Refer-To", NULL, NULL);
		return;
	}
	if (refer_to_replaces(&a.uri, &repl)) {
		(void)sess_reply(s, msg, src, 400, "Bad Replaces in Refer-To",
				 NULL, NULL);
		return;
	}
	if (!s->h || !s->h->referh || !sess_in_dialog(s)) {
		obj_deref(repl);
		(void)sess_reply(s, msg, src, 603, NULL, NULL, NULL);
		return;
	}
	/* the URI without embedded headers; Replaces goes with it */
	target = obj_printf("%.*s",
			    (int)(a.uri.headers.l
				      ? (size_t)(a.uri.headers.p - 1 - a.auri.p)
				      : a.auri.l),
			    a.auri.p);
	if (!target) {
		obj_deref(repl);
		(void)sess_reply(s, msg, src, 500, NULL, NULL, NULL);
		return;
	}
	(void)sess_reply(s, msg, src, 202, NULL, NULL, NULL);
	s->refer_sub = true;
	(void)sess_refer_notify(s, 100, "Trying");
	if (s->state != SESS_ST_CLOSED) {
		s->refer_repl = repl;
		s->h->referh(s, target, s->arg);
		s->refer_repl = NULL;
	}
	obj_deref(repl);
	obj_deref(target);
}

const char *sess_refer_replaces_value(const struct sess *s)
{
	return s ? s->refer_repl : NULL;
}

int sess_refer_notify(struct sess *s, uint16_t scode, const char *reason)
{
	struct buf *hb = NULL, *b = NULL;
	int err;

	if (!s || scode < 100 || scode > 699)
		return EINVAL;
	if (!s->refer_sub || !sess_in_dialog(s))
		return ENOTCONN;
	err = buf_alloc(&hb, 256);
	if (!err)
		err = buf_alloc(&b, 64);
	if (!err)
		err = buf_printf(b, "SIP/2.0 %u %s\r\n", scode,
				 reason ? reason : sip_reason(scode));
	if (!err)
		err =
		    buf_printf(hb,
			       "Event: refer\r\nSubscription-State: %s\r\n"
			       "Content-Type: message/sipfrag;version=2.0\r\n",
			       scode >= 200 ? "terminated;reason=noresource"
					    : "active;expires=60");
	if (!err)
		err = sess_common_hdrs(s, hb, false);
	if (!err)
		err = buf_write(hb, "", 1);
	if (!err)
		err = sess_request(s, "NOTIFY", (const char *)hb->b, b,
				   quiet_resp_h);
	if (!err && scode >= 200)
		s->refer_sub = false;
	obj_deref(hb);
	obj_deref(b);
	return err;
}
