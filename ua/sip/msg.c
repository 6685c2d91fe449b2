/* msg.c: decode one SIP message (start line, header lines, body). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"
#include "ua/sip/chars.h"
#include "ua/sip/msg.h"
#include "ua/sip/priv.h"

void sip_decode_fail(struct sip_decode_err *err, uint16_t scode,
		     const char *fmt, ...)
{
	if (!err)
		return;
	va_list ap;
	err->scode = scode;
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
}

static void msg_destroy(void *arg)
{
	struct sip_msg *m = arg;
	if (m->hdrv != m->hdrs_inline)
		obj_deref(m->hdrv);
	obj_deref(m->mb);
}

static bool all_tok(const char *p, size_t l)
{
	if (!l)
		return false;
	for (size_t i = 0; i < l; i++)
		if (!sip_ch(p[i], SIP_CH_TOKEN))
			return false;
	return true;
}

static struct pl trim(const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return (struct pl){s, (size_t)(e - s)};
}

struct hdr_state {
	size_t cap;
};

static int hdr_add(struct sip_msg *m, struct hdr_state *st,
		   enum sip_hdr_id id, const struct pl *name,
		   const struct pl *val)
{
	if (m->hdrc == st->cap) {
		if (m->hdrv != m->hdrs_inline)
			return E2BIG;
		struct sip_hdr *v = obj_alloc(
			SIP_MSG_MAX_HDRS * sizeof(struct sip_hdr), NULL);
		if (!v)
			return ENOMEM;
		memcpy(v, m->hdrs_inline, m->hdrc * sizeof(*v));
		m->hdrv = v;
		st->cap = SIP_MSG_MAX_HDRS;
	}
	struct sip_hdr *h = &m->hdrv[m->hdrc++];
	h->name = *name;
	h->val = *val;
	h->id = id;
	return 0;
}

/* Split a list header at commas outside quotes and <>. */
static int hdr_split(struct sip_msg *m, struct hdr_state *st,
		     enum sip_hdr_id id, const struct pl *name,
		     const struct pl *val)
{
	const char *p = val->p, *e = val->p + val->l, *s = p;
	bool q = false;
	int angle = 0, err;

	if (!val->l || !memchr(p, ',', val->l))
		return hdr_add(m, st, id, name, val);
	for (; p <= e; p++) {
		if (p < e) {
			char c = *p;
			if (q) {
				if (c == '\\' && p + 1 < e)
					p++;
				else if (c == '"')
					q = false;
				continue;
			}
			if (c == '"')
				q = true;
			else if (c == '<')
				angle++;
			else if (c == '>' && angle)
				angle--;
			if (c != ',' || angle)
				continue;
		}
		struct pl el = trim(s, p);
		if (!el.l) {
			if (id == SIP_HDR_VIA || id == SIP_HDR_CONTACT)
				return EINVAL;
		} else if ((err = hdr_add(m, st, id, name, &el))) {
			return err;
		}
		s = p + 1;
	}
	return 0;
}

static int start_line(struct sip_msg *m, const char *s, const char *e,
		      struct sip_decode_err *err)
{
	if (e - s >= 4 && !memcmp(s, "SIP/", 4)) {
		const char *sp = memchr(s, ' ', (size_t)(e - s));
		m->req = false;
		if (!sp || e - sp < 4 || (e - sp > 4 && sp[4] != ' ')) {
			sip_decode_fail(err, 0, "Malformed Status-Line");
			return EBADMSG;
		}
		m->ver = (struct pl){s, (size_t)(sp - s)};
		if (pl_strcmp(&m->ver, "SIP/2.0")) {
			sip_decode_fail(err, 0, "Unsupported SIP version");
			return EBADMSG;
		}
		unsigned code = 0;
		for (int i = 1; i <= 3; i++) {
			if (!isdigit((unsigned char)sp[i])) {
				sip_decode_fail(err, 0, "Bad status code");
				return EBADMSG;
			}
			code = code * 10 + (unsigned)(sp[i] - '0');
		}
		if (code < 100 || code > 699) {
			sip_decode_fail(err, 0, "Bad status code");
			return EBADMSG;
		}
		m->scode = (uint16_t)code;
		m->reason = e - sp > 4 ? (struct pl){sp + 5, (size_t)(e - sp - 5)}
				       : (struct pl){sp + 4, 0};
		return 0;
	}

	m->req = true;
	const char *sp1 = memchr(s, ' ', (size_t)(e - s)), *sp2 = e;
	while (sp2 > s && sp2[-1] != ' ')
		sp2--;
	if (!sp1 || sp2 - 1 <= sp1) {
		sip_decode_fail(err, 400, "Malformed Request-Line");
		return EBADMSG;
	}
	sp2--;
	m->met = (struct pl){s, (size_t)(sp1 - s)};
	m->ruri_pl = (struct pl){sp1 + 1, (size_t)(sp2 - sp1 - 1)};
	m->ver = (struct pl){sp2 + 1, (size_t)(e - sp2 - 1)};
	if (!all_tok(m->met.p, m->met.l)) {
		sip_decode_fail(err, 400, "Malformed method");
		return EBADMSG;
	}
	if (pl_strcmp(&m->ver, "SIP/2.0")) {
		bool sipver = m->ver.l > 4 && !memcmp(m->ver.p, "SIP/", 4);
		sip_decode_fail(err, sipver ? 505 : 400,
				sipver ? "Version %.*s not supported"
				       : "Malformed Request-Line",
				PL_ARG(m->ver));
		return EBADMSG;
	}
	m->method = sip_method_lookup(&m->met);
	if (sip_uri_decode(&m->ruri, &m->ruri_pl)) {
		sip_decode_fail(err, 400, "Malformed Request-URI");
		return EBADMSG;
	}
	if (m->ruri.headers.l) {
		sip_decode_fail(err, 400, "Request-URI with headers");
		return EBADMSG;
	}
	return 0;
}

/* Parse header lines from @p p; on return *@p bodyp is after the blank
 * line. Folded line breaks are overwritten with spaces. */
static int headers(struct sip_msg *m, char *p, char *end, char **bodyp,
		   struct sip_decode_err *err)
{
	struct hdr_state st = {SIP_MSG_HDRS_INLINE};
	int e;

	for (;;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl) {
			sip_decode_fail(err, 400, "Missing end of headers");
			return EBADMSG;
		}
		char *le = (nl > p && nl[-1] == '\r') ? nl - 1 : nl;
		if (le == p) {
			*bodyp = nl + 1;
			return 0;
		}
		if (*p == ' ' || *p == '\t') {
			sip_decode_fail(err, 400, "Folded line without header");
			return EBADMSG;
		}
		/* unfold continuation lines */
		while (nl + 1 < end && (nl[1] == ' ' || nl[1] == '\t')) {
			*nl = ' ';
			if (le < nl)
				*le = ' ';
			nl = memchr(nl + 1, '\n', (size_t)(end - nl - 1));
			if (!nl) {
				sip_decode_fail(err, 400,
						"Missing end of headers");
				return EBADMSG;
			}
			le = nl[-1] == '\r' ? nl - 1 : nl;
		}
		char *colon = memchr(p, ':', (size_t)(le - p));
		if (!colon) {
			sip_decode_fail(err, 400, "Header line without ':'");
			return EBADMSG;
		}
		struct pl name = trim(p, colon);
		if (!all_tok(name.p, name.l) || name.p != p) {
			sip_decode_fail(err, 400, "Malformed header name");
			return EBADMSG;
		}
		struct pl val = trim(colon + 1, le);
		enum sip_hdr_id id = sip_hdr_lookup(name.p, name.l);
		e = sip_hdr_is_list(id) ? hdr_split(m, &st, id, &name, &val)
					: hdr_add(m, &st, id, &name, &val);
		if (e == ENOMEM)
			return ENOMEM;
		if (e == E2BIG) {
			sip_decode_fail(err, 400, "Too many headers");
			return EBADMSG;
		}
		if (e) {
			sip_decode_fail(err, 400, "Empty value in %.*s",
					PL_ARG(name));
			return EBADMSG;
		}
		p = nl + 1;
	}
}

int sip_msg_decode_ex(struct sip_msg **mp, struct buf *b,
		      struct sip_decode_err *err)
{
	struct sip_msg *m;
	int e;

	if (err) {
		err->scode = 0;
		err->reason[0] = '\0';
		err->partial = NULL;
	}
	if (!mp || !b || b->pos > b->end)
		return EINVAL;
	char *p = (char *)b->b + b->pos, *end = (char *)b->b + b->end;
	while (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
		p += 2;
	/* scan at most one maximum-size message; later bytes are ignored */
	bool clipped = end - p > SIP_MSG_MAX_SIZE;
	if (clipped)
		end = p + SIP_MSG_MAX_SIZE;
	char *nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl || nl == p) {
		sip_decode_fail(err, 0, "Not a SIP message");
		return EBADMSG;
	}

	m = obj_alloc(sizeof(*m), msg_destroy);
	if (!m)
		return ENOMEM;
	memset(m, 0, offsetof(struct sip_msg, hdrs_inline));
	m->mb = obj_ref(b);
	m->hdrv = m->hdrs_inline;
	m->max_fwd = -1;
	m->expires = -1;
	m->rseq = -1;

	const char *sle = nl[-1] == '\r' ? nl - 1 : nl;
	if ((e = start_line(m, p, sle, err)))
		goto out;
	char *body;
	if ((e = headers(m, nl + 1, end, &body, err))) {
		if (e == EBADMSG && clipped)
			sip_decode_fail(err, 513, "Message too large");
		if (e != ENOMEM && !m->req && err)
			err->scode = 0;
		goto out;
	}
	if ((e = sip_msg_hot_decode(m, err)))
		goto out;

	size_t left = (size_t)(end - body);
	if ((clipped && (!m->has_clen || m->clen > left)) ||
	    (size_t)(body - p) + m->clen > SIP_MSG_MAX_SIZE) {
		sip_decode_fail(err, m->req ? 513 : 0, "Message too large");
		e = EBADMSG;
		goto out;
	}
	if (m->has_clen) {
		if (m->clen > left) {
			sip_decode_fail(err, m->req ? 400 : 0,
					"Content-Length larger than body");
			e = EBADMSG;
			goto out;
		}
	} else {
		m->clen = (uint32_t)left;
	}
	m->body = (struct pl){body, m->clen};
	m->raw = (struct pl){p, (size_t)(body + m->clen - p)};
	b->pos = (size_t)((uint8_t *)body + m->clen - b->b);
	*mp = m;
	return 0;

out:
	if (e == EBADMSG && err && m->req && m->hdrc && err->scode) {
		err->partial = m;
		return e;
	}
	obj_deref(m);
	return e;
}

int sip_msg_decode(struct sip_msg **mp, struct buf *b)
{
	return sip_msg_decode_ex(mp, b, NULL);
}
