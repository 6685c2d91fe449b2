/* msghdr.c: eager decoding of hot headers and header access by id/name. */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "ua/sip/msg.h"
#include "ua/sip/priv.h"

static int u32(const struct pl *v, uint64_t max, uint64_t *out)
{
	return pl_u64(v, max, out);
}

int sip_msg_hot_decode(struct sip_msg *m, struct sip_decode_err *err)
{
	bool from = false, to = false, callid = false, cseq = false;
	bool mf = false, ctype = false, exp = false;
	uint16_t sc = m->req ? 400 : 0;
	uint64_t v;

	for (size_t i = 0; i < m->hdrc; i++) {
		const struct sip_hdr *h = &m->hdrv[i];
		const char *bad = NULL, *dup = NULL;

		switch (h->id) {
		case SIP_HDR_VIA: {
			struct sip_via via, *vp = m->viac ? &via : &m->via;
			if (sip_via_decode(vp, &h->val))
				bad = "Via";
			m->viac++;
			break;
		}
		case SIP_HDR_FROM:
			if (from)
				dup = "From";
			else if (sip_addr_decode(&m->from, &h->val, false))
				bad = "From";
			from = true;
			break;
		case SIP_HDR_TO:
			if (to)
				dup = "To";
			else if (sip_addr_decode(&m->to, &h->val, false))
				bad = "To";
			to = true;
			break;
		case SIP_HDR_CALL_ID:
			if (callid)
				dup = "Call-ID";
			else if (!h->val.l || memchr(h->val.p, ' ', h->val.l))
				bad = "Call-ID";
			m->callid = h->val;
			callid = true;
			break;
		case SIP_HDR_CSEQ:
			if (cseq)
				dup = "CSeq";
			else if (sip_cseq_decode(&m->cseq, &h->val))
				bad = "CSeq";
			cseq = true;
			break;
		case SIP_HDR_CONTACT:
			if (!m->contactc) {
				if (sip_addr_decode(&m->contact, &h->val, true))
					bad = "Contact";
			} else {
				struct sip_addr a;
				if (sip_addr_decode(&a, &h->val, true) ||
				    a.wildcard || m->contact.wildcard)
					bad = "Contact";
			}
			m->contactc++;
			break;
		case SIP_HDR_MAX_FORWARDS:
			if (mf)
				dup = "Max-Forwards";
			else if (u32(&h->val, 255, &v))
				bad = "Max-Forwards";
			else
				m->max_fwd = (int32_t)v;
			mf = true;
			break;
		case SIP_HDR_CONTENT_LENGTH:
			if (m->has_clen)
				dup = "Content-Length";
			else if (u32(&h->val, UINT32_MAX, &v))
				bad = "Content-Length";
			else
				m->clen = (uint32_t)v;
			m->has_clen = true;
			break;
		case SIP_HDR_CONTENT_TYPE:
			if (ctype)
				dup = "Content-Type";
			m->ctype = h->val;
			ctype = true;
			break;
		case SIP_HDR_EXPIRES:
			if (exp)
				dup = "Expires";
			else if (!u32(&h->val, UINT32_MAX, &v))
				m->expires = (int64_t)v;
			else if (h->val.l && h->val.p[0] >= '0' &&
				 h->val.p[0] <= '9')
				m->expires = 3600; /* RFC 4475 3.1.2.4 */
			exp = true;
			break;
		case SIP_HDR_RSEQ:
			if (m->rseq >= 0)
				dup = "RSeq";
			else if (u32(&h->val, UINT32_MAX, &v) || !v)
				bad = "RSeq";
			else
				m->rseq = (int64_t)v;
			break;
		case SIP_HDR_RACK:
			if (m->has_rack)
				dup = "RAck";
			else if (sip_rack_decode(&m->rack, &h->val))
				bad = "RAck";
			m->has_rack = true;
			break;
		case SIP_HDR_REQUIRE:
			if (!m->require)
				m->require = h;
			break;
		case SIP_HDR_SUPPORTED:
			if (!m->supported)
				m->supported = h;
			break;
		case SIP_HDR_CALL_INFO:
			if (!m->call_info)
				m->call_info = h;
			break;
		default:
			break;
		}
		if (bad) {
			sip_decode_fail(err, sc, "Malformed %s header", bad);
			return EBADMSG;
		}
		if (dup) {
			sip_decode_fail(err, sc, "Multiple %s headers", dup);
			return EBADMSG;
		}
	}

	const char *miss = !m->viac ? "Via"
			   : !from  ? "From"
			   : !to    ? "To"
			   : !callid ? "Call-ID"
			   : !cseq  ? "CSeq"
				    : NULL;
	if (miss) {
		sip_decode_fail(err, sc, "Missing %s header", miss);
		return EBADMSG;
	}
	if (m->req && pl_cmp(&m->cseq.met, &m->met)) {
		sip_decode_fail(err, m->method == SIP_METHOD_OTHER ? 501 : 400,
				"CSeq method does not match the request");
		return EBADMSG;
	}
	return 0;
}

const struct sip_hdr *sip_msg_hdr(const struct sip_msg *m,
				  enum sip_hdr_id id)
{
	if (!m)
		return NULL;
	for (size_t i = 0; i < m->hdrc; i++)
		if (m->hdrv[i].id == id)
			return &m->hdrv[i];
	return NULL;
}

const struct sip_hdr *sip_msg_hdr_name(const struct sip_msg *m,
				       const char *name)
{
	if (!m || !name)
		return NULL;
	size_t l = strlen(name);
	enum sip_hdr_id id = sip_hdr_lookup(name, l);
	if (id != SIP_HDR_OTHER)
		return sip_msg_hdr(m, id);
	for (size_t i = 0; i < m->hdrc; i++) {
		const struct sip_hdr *h = &m->hdrv[i];
		if (h->id == SIP_HDR_OTHER && h->name.l == l &&
		    !strncasecmp(h->name.p, name, l))
			return h;
	}
	return NULL;
}

const struct sip_hdr *sip_msg_hdr_next(const struct sip_msg *m,
				       const struct sip_hdr *prev)
{
	if (!m || !prev || prev < m->hdrv || prev >= m->hdrv + m->hdrc)
		return NULL;
	for (const struct sip_hdr *h = prev + 1; h < m->hdrv + m->hdrc; h++) {
		if (h->id != prev->id)
			continue;
		if (h->id != SIP_HDR_OTHER || !pl_casecmp(&h->name, &prev->name))
			return h;
	}
	return NULL;
}

size_t sip_msg_hdr_count(const struct sip_msg *m, enum sip_hdr_id id)
{
	size_t n = 0;
	for (size_t i = 0; m && i < m->hdrc; i++)
		n += m->hdrv[i].id == id;
	return n;
}

bool sip_msg_hdr_has(const struct sip_msg *m, enum sip_hdr_id id,
		     const char *tag)
{
	SIP_MSG_FOREACH(m, id, h)
	{
		if (!pl_strcasecmp(&h->val, tag))
			return true;
	}
	return false;
}
