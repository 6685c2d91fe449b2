/* cseq.c: CSeq (RFC 3261 20.16) and RAck (RFC 3262 7.2) values. */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "ua/sip/chars.h"
#include "ua/sip/msg.h"

static inline bool is_lws(char c)
{
	return sip_ch(c, SIP_CH_LWS);
}

static inline bool is_tok(char c)
{
	return sip_ch(c, SIP_CH_TOKEN);
}

/* Parse a 32-bit decimal at *pp followed by LWS (required if @p lws). */
static int num32(const char **pp, const char *e, uint32_t *out, bool lws)
{
	const char *p = *pp;
	uint64_t v = 0;
	if (p >= e || !isdigit((unsigned char)*p))
		return EINVAL;
	while (p < e && isdigit((unsigned char)*p)) {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			return EINVAL;
		p++;
	}
	if (lws && (p >= e || !is_lws(*p)))
		return EINVAL;
	while (p < e && is_lws(*p))
		p++;
	*out = (uint32_t)v;
	*pp = p;
	return 0;
}

static int method(const char *p, const char *e, struct pl *met,
		  enum sip_method *id)
{
	const char *s = p;
	while (p < e && is_tok(*p))
		p++;
	if (p == s)
		return EINVAL;
	*met = (struct pl){s, (size_t)(p - s)};
	while (p < e && is_lws(*p))
		p++;
	if (p != e)
		return EINVAL;
	*id = sip_method_lookup(met);
	return 0;
}

int sip_cseq_decode(struct sip_cseq *c, const struct pl *pl)
{
	const char *p = pl->p, *e = pl->p + pl->l;
	memset(c, 0, sizeof(*c));
	while (p < e && is_lws(*p))
		p++;
	if (num32(&p, e, &c->num, true))
		return EINVAL;
	return method(p, e, &c->met, &c->method);
}

int sip_rack_decode(struct sip_rack *r, const struct pl *pl)
{
	const char *p = pl->p, *e = pl->p + pl->l;
	memset(r, 0, sizeof(*r));
	while (p < e && is_lws(*p))
		p++;
	if (num32(&p, e, &r->rseq, true) || num32(&p, e, &r->cseq, true))
		return EINVAL;
	if (!r->rseq)
		return EINVAL;
	return method(p, e, &r->met, &r->method);
}
