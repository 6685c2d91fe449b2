/* answer.c: RFC 3264 offer/answer with codec choice and SDES-SRTP rules.
 *
 * Codec order in our answers is OUR preference order (PCMU, PCMA, G722,
 * opus) so every call behaves the same whatever the offerer lists; the
 * offerer's payload type numbers are kept for dynamic types. Offers say
 * a=ptime:20; an answer says the packet time we will send (the offerer's
 * a=ptime/a=maxptime when usable, codec_tx_ptime()), so that both
 * directions use the same.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/rand.h>

#include "audio/codec.h"
#include "audio/srtp/srtp.h"
#include "ua/sdp/sdp.h"

struct codec {
	const char *name;
	uint32_t spt; /* static PT, 128 for dynamic */
	uint32_t rate;
	uint32_t channels;
};

static const struct codec codecs[] = {
	{"PCMU", 0, 8000, 1},
	{"PCMA", 8, 8000, 1},
	{"G722", 9, 8000, 1},
	{"opus", 128, 48000, 2},
};
#define NCODECS (sizeof(codecs) / sizeof(codecs[0]))

/* Our codecs in preference order (indices into codecs[]); @return count */
static size_t codec_order(const struct sdp_local *l, size_t *idx)
{
	const char *p = l->codecs;
	size_t n = 0;

	while (p && *p && n < NCODECS) {
		size_t len = strcspn(p, ", ");

		for (size_t c = 0; c < NCODECS && len; c++) {
			bool dup = false;

			if (strlen(codecs[c].name) != len ||
			    strncasecmp(codecs[c].name, p, len))
				continue;
			for (size_t k = 0; k < n; k++)
				dup = dup || idx[k] == c;
			if (!dup)
				idx[n++] = c;
		}
		p += len;
		p += strspn(p, ", ");
	}
	if (!n)
		for (n = 0; n < NCODECS; n++)
			idx[n] = n;
	return n;
}

void sdp_local_default(struct sdp_local *l)
{
	if (!l)
		return;
	memset(l, 0, sizeof(*l));
	l->enc = SDP_ENC_OPTIONAL;
	l->addr = "127.0.0.1";
	l->port = 4000;
	l->dir = SDP_SENDRECV;
	l->opus_pt = 111;
	l->te_pt = 101;
	/* the suites beyond AES_CM_128 that the SRTP layer runs here */
	l->srtp_aes256 = srtpx_suite_supported(SRTPX_AES_256_CM_HMAC_SHA1_80);
	l->srtp_gcm = srtpx_suite_supported(SRTPX_AEAD_AES_128_GCM) &&
		      srtpx_suite_supported(SRTPX_AEAD_AES_256_GCM);
}

#define FAIL(r)                                                              \
	do {                                                                 \
		if (reason)                                                  \
			*reason = (r);                                       \
		return EPROTO;                                               \
	} while (0)

static bool suite_ok(const struct sdp_local *l, enum sdp_suite s)
{
	switch (s) {
	case SDP_SUITE_AES_CM_128_HMAC_SHA1_80:
	case SDP_SUITE_AES_CM_128_HMAC_SHA1_32: return true;
	case SDP_SUITE_AES_256_CM_HMAC_SHA1_80: return l->srtp_aes256;
	case SDP_SUITE_AEAD_AES_128_GCM:
	case SDP_SUITE_AEAD_AES_256_GCM: return l->srtp_gcm;
	default: return false;
	}
}

static const struct sdp_rtpmap *map_find(const struct sdp_media *m,
					 uint32_t pt)
{
	for (size_t i = 0; i < m->nmap; i++)
		if (m->map[i].pt == pt && m->map[i].name.l)
			return &m->map[i];
	return NULL;
}

static uint32_t map_channels(const struct sdp_rtpmap *r)
{
	uint64_t c;

	if (!r || !r->params.l || pl_u64(&r->params, 8, &c) || !c)
		return 1;
	return (uint32_t)c;
}

/* Does offered format @p f match codec @p c? */
static bool fmt_match(const struct sdp_media *m, const struct pl *f,
		      const struct codec *c, uint32_t *pt)
{
	uint64_t n;
	const struct sdp_rtpmap *r;

	if (pl_u64(f, 127, &n))
		return false;
	r = map_find(m, (uint32_t)n);
	if (r) {
		if (pl_strcasecmp(&r->name, c->name) || r->rate != c->rate)
			return false;
		if (c->channels > 1 && map_channels(r) != c->channels)
			return false;
	}
	else if (n != c->spt) /* static types without rtpmap */
		return false;
	*pt = (uint32_t)n;
	return true;
}

static int te_find(const struct sdp_media *m)
{
	for (size_t i = 0; i < m->nmap; i++)
		if (!pl_strcasecmp(&m->map[i].name, "telephone-event") &&
		    m->map[i].rate == 8000)
			return (int)m->map[i].pt;
	return -1;
}

static enum sdp_dir dir_answer(enum sdp_dir offer, enum sdp_dir want)
{
	bool we_send = want == SDP_SENDRECV || want == SDP_SENDONLY;
	bool we_recv = want == SDP_SENDRECV || want == SDP_RECVONLY;
	bool they_send = offer == SDP_SENDRECV || offer == SDP_SENDONLY;
	bool they_recv = offer == SDP_SENDRECV || offer == SDP_RECVONLY;
	bool s = we_send && they_recv, r = we_recv && they_send;

	return s && r ? SDP_SENDRECV
	       : s    ? SDP_SENDONLY
	       : r    ? SDP_RECVONLY
		      : SDP_INACTIVE;
}

static int fresh_key(uint8_t *k, size_t n)
{
	return RAND_bytes(k, (int)n) == 1 ? 0 : EIO;
}

/* Write the single audio stream we negotiated into @p out. */
static int print_audio(struct buf *b, const struct sdp_local *l,
		       const char *proto, const char *fmts, const char *maps,
		       const struct sdp_result *res, bool crypto)
{
	char key[4 * ((SDP_KEY_MAX + 2) / 3) + 1];
	static const char *dn[] = {"sendrecv", "sendonly", "recvonly",
				   "inactive"};
	int err;

	/* the packet time we will send: both directions alike */
	err = buf_printf(b, "m=audio %u %s%s\r\n%sa=ptime:%u\r\na=%s\r\n",
			 l->port, proto, fmts, maps,
			 codec_tx_ptime(res->ptime, res->maxptime),
			 dn[res->dir]);
	if (crypto && res->srtp) {
		sdp_base64_encode(key, res->lkey, res->lkeylen);
		err |= buf_printf(b, "a=crypto:%u %s inline:%s\r\n", res->tag,
				  sdp_suite_name(res->suite), key);
	}
	return err ? ENOMEM : 0;
}

static int print_head(struct buf *b, const struct sdp_local *l)
{
	const char *at = l->ip6 ? "IP6" : "IP4";

	return buf_printf(b,
			  "v=0\r\no=phonebox %" PRIu64 " %" PRIu64
			  " IN %s %s\r\ns=phonebox\r\nc=IN %s %s\r\nt=0 0\r\n",
			  l->sess_id, l->sess_ver, at, l->addr, at, l->addr)
		       ? ENOMEM
		       : 0;
}

/* Choose crypto for offered media @p m; 0 when chosen or not needed. */
static int pick_crypto(struct sdp_result *res, const struct sdp_media *m,
		       const struct sdp_local *l, const char **reason)
{
	bool savp = m->proto == SDP_PROTO_RTP_SAVP ||
		    m->proto == SDP_PROTO_RTP_SAVPF;

	res->srtp = false;
	if (l->enc == SDP_ENC_OFF) {
		if (savp)
			FAIL("SRTP required by the offer but disabled");
		return 0;
	}
	for (size_t i = 0; i < m->ncrypto; i++) {
		const struct sdp_crypto *c = &m->crypto[i];
		if (!suite_ok(l, c->suite) || c->keylen != sdp_suite_keylen(c->suite))
			continue;
		res->srtp = true;
		res->suite = c->suite;
		res->tag = c->tag;
		memcpy(res->rkey, c->key, c->keylen);
		res->rkeylen = c->keylen;
		res->lkeylen = c->keylen;
		return fresh_key(res->lkey, res->lkeylen);
	}
	if (savp)
		FAIL("no supported SRTP crypto suite offered");
	if (l->enc == SDP_ENC_MANDATORY)
		FAIL("media encryption is mandatory but offer is plain RTP");
	return 0;
}

int sdp_answer(struct buf *out, struct sdp_result *res,
	       const struct sdp_session *offer, const struct sdp_local *l,
	       const char **reason)
{
	char fmts[128] = "", maps[512] = "";
	const char *why = "no audio stream offered";
	size_t chosen = SIZE_MAX;
	size_t order[NCODECS], norder;
	int err;

	if (reason)
		*reason = NULL;
	if (!out || !res || !offer || !l || !l->addr)
		return EINVAL;
	memset(res, 0, sizeof(*res));
	res->te_pt = -1;
	norder = codec_order(l, order);

	for (size_t i = 0; i < offer->nmedia && chosen == SIZE_MAX; i++) {
		const struct sdp_media *m = &offer->media[i];
		size_t fl = 0, ml = 0;
		bool any = false;

		if (pl_strcmp(&m->type, "audio") || !m->port)
			continue;
		if (m->proto != SDP_PROTO_RTP_AVP &&
		    m->proto != SDP_PROTO_RTP_SAVP &&
		    m->proto != SDP_PROTO_RTP_AVPF &&
		    m->proto != SDP_PROTO_RTP_SAVPF) {
			why = "unsupported media profile";
			continue;
		}
		err = pick_crypto(res, m, l, &why);
		if (err)
			continue;
		fl = 0;
		ml = 0;
		for (size_t k = 0; k < norder; k++) {
			size_t c = order[k];

			for (size_t f = 0; f < m->nfmt; f++) {
				uint32_t pt;
				if (!fmt_match(m, &m->fmt[f], &codecs[c], &pt))
					continue;
				if (!any) {
					res->pt = pt;
					snprintf(res->codec, sizeof(res->codec),
						 "%s", codecs[c].name);
					res->rate = codecs[c].rate;
					res->channels = codecs[c].channels;
					any = true;
				}
				fl += (size_t)snprintf(fmts + fl,
						       sizeof(fmts) - fl,
						       " %u", pt);
				if (codecs[c].channels > 1)
					ml += (size_t)snprintf(
						maps + ml, sizeof(maps) - ml,
						"a=rtpmap:%u %s/%u/%u\r\n", pt,
						codecs[c].name, codecs[c].rate,
						codecs[c].channels);
				else
					ml += (size_t)snprintf(
						maps + ml, sizeof(maps) - ml,
						"a=rtpmap:%u %s/%u\r\n", pt,
						codecs[c].name, codecs[c].rate);
				break;
			}
		}
		if (!any) {
			why = "no common codec";
			continue;
		}
		res->te_pt = te_find(m);
		if (res->te_pt >= 0) {
			fl += (size_t)snprintf(fmts + fl, sizeof(fmts) - fl,
					       " %d", res->te_pt);
			ml += (size_t)snprintf(
				maps + ml, sizeof(maps) - ml,
				"a=rtpmap:%d telephone-event/8000\r\n"
				"a=fmtp:%d 0-16\r\n",
				res->te_pt, res->te_pt);
		}
		const struct sdp_conn *cn = m->conn.set ? &m->conn
							: &offer->conn;
		pl_copy(&cn->addr, res->raddr, sizeof(res->raddr));
		res->rport = (uint16_t)m->port;
		res->rrtcp_port = (uint16_t)m->rtcp_port;
		res->rtcp_mux = m->rtcp_mux;
		res->ptime = m->ptime;
		res->maxptime = m->maxptime;
		res->dir = dir_answer(sdp_media_dir(offer, i), l->dir);
		chosen = i;
	}
	if (chosen == SIZE_MAX) {
		if (reason)
			*reason = why;
		memset(res, 0, sizeof(*res));
		return EPROTO;
	}

	err = print_head(out, l);
	for (size_t i = 0; !err && i < offer->nmedia; i++) {
		const struct sdp_media *m = &offer->media[i];
		char proto[32];
		pl_copy(&m->proto_name, proto, sizeof(proto));
		if (i == chosen) {
			err = print_audio(out, l, proto, fmts, maps, res, true);
			continue;
		}
		/* rejected stream: port 0, same proto and formats */
		err = buf_printf(out, "m=%.*s 0 %s", PL_ARG(m->type), proto);
		for (size_t f = 0; !err && f < m->nfmt; f++)
			err = buf_printf(out, " %.*s", PL_ARG(m->fmt[f]));
		err |= buf_write_str(out, "\r\n");
		err = err ? ENOMEM : 0;
	}
	return err;
}

int sdp_offer(struct buf *out, struct sdp_result *res,
	      const struct sdp_local *l)
{
	char key[4 * ((SDP_KEY_MAX + 2) / 3) + 1];
	int err;

	if (!out || !res || !l || !l->addr)
		return EINVAL;
	memset(res, 0, sizeof(*res));
	res->te_pt = (int)l->te_pt;
	res->dir = l->dir;
	res->srtp = l->enc != SDP_ENC_OFF;
	if (res->srtp) {
		res->lkeylen = 30;
		err = fresh_key(res->lkey, res->lkeylen);
		if (err)
			return err;
	}
	static const char *dn[] = {"sendrecv", "sendonly", "recvonly",
				   "inactive"};
	char fmts[64] = "", maps[256] = "";
	size_t order[NCODECS], norder = codec_order(l, order), fl = 0, ml = 0;

	for (size_t k = 0; k < norder; k++) {
		const struct codec *c = &codecs[order[k]];
		uint32_t pt = c->spt < 128 ? c->spt : l->opus_pt;

		fl += (size_t)snprintf(fmts + fl, sizeof(fmts) - fl, " %u", pt);
		if (c->channels > 1)
			ml += (size_t)snprintf(maps + ml, sizeof(maps) - ml,
					       "a=rtpmap:%u %s/%u/%u\r\n", pt,
					       c->name, c->rate, c->channels);
		else
			ml += (size_t)snprintf(maps + ml, sizeof(maps) - ml,
					       "a=rtpmap:%u %s/%u\r\n", pt,
					       c->name, c->rate);
	}
	err = print_head(out, l);
	err |= buf_printf(
		out,
		"m=audio %u %s%s %u\r\n%s"
		"a=rtpmap:%u telephone-event/8000\r\na=fmtp:%u 0-16\r\n"
		"a=ptime:20\r\na=%s\r\n",
		l->port,
		l->enc == SDP_ENC_MANDATORY ? "RTP/SAVP" : "RTP/AVP", fmts,
		l->te_pt, maps, l->te_pt, l->te_pt,
		dn[l->dir <= SDP_INACTIVE ? l->dir : 0]);
	if (res->srtp) {
		/* one key for both tags: only one will be used */
		sdp_base64_encode(key, res->lkey, res->lkeylen);
		err |= buf_printf(out,
				  "a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
				  "inline:%s\r\n"
				  "a=crypto:2 AES_CM_128_HMAC_SHA1_32 "
				  "inline:%s\r\n",
				  key, key);
	}
	return err ? ENOMEM : 0;
}

int sdp_apply_answer(struct sdp_result *res, const struct sdp_session *ans,
		     const struct sdp_local *l, const char **reason)
{
	const struct sdp_media *m = NULL;
	size_t idx = 0;

	if (reason)
		*reason = NULL;
	if (!res || !ans || !l)
		return EINVAL;
	for (size_t i = 0; i < ans->nmedia; i++)
		if (!pl_strcmp(&ans->media[i].type, "audio") &&
		    ans->media[i].port) {
			m = &ans->media[i];
			idx = i;
			break;
		}
	if (!m)
		FAIL("answer rejected the audio stream");
	bool got = false;
	size_t order[NCODECS], norder = codec_order(l, order);
	/* the answerer's first format that we offered: both ends then
	   send the same codec */
	for (size_t f = 0; f < m->nfmt && !got; f++)
		for (size_t k = 0; k < norder && !got; k++) {
			uint32_t pt;
			struct codec cc = codecs[order[k]];
			if (!fmt_match(m, &m->fmt[f], &cc, &pt))
				continue;
			res->pt = pt;
			snprintf(res->codec, sizeof(res->codec), "%s", cc.name);
			res->rate = cc.rate;
			res->channels = cc.channels;
			got = true;
		}
	if (!got)
		FAIL("answer has no codec we offered");
	res->te_pt = te_find(m);
	const struct sdp_conn *cn = m->conn.set ? &m->conn : &ans->conn;
	pl_copy(&cn->addr, res->raddr, sizeof(res->raddr));
	res->rport = (uint16_t)m->port;
	res->rrtcp_port = (uint16_t)m->rtcp_port;
	res->rtcp_mux = m->rtcp_mux;
	res->ptime = m->ptime;
	res->maxptime = m->maxptime;
	res->dir = dir_answer(sdp_media_dir(ans, idx), l->dir);

	const struct sdp_crypto *cr = NULL;
	for (size_t i = 0; i < m->ncrypto && !cr; i++)
		if ((m->crypto[i].tag == 1 &&
		     m->crypto[i].suite == SDP_SUITE_AES_CM_128_HMAC_SHA1_80) ||
		    (m->crypto[i].tag == 2 &&
		     m->crypto[i].suite == SDP_SUITE_AES_CM_128_HMAC_SHA1_32))
			cr = &m->crypto[i];
	if (l->enc == SDP_ENC_OFF || !cr) {
		if (l->enc == SDP_ENC_MANDATORY)
			FAIL("answer has no usable crypto but SRTP is mandatory");
		res->srtp = false;
		return 0;
	}
	res->srtp = true;
	res->suite = cr->suite;
	res->tag = cr->tag;
	memcpy(res->rkey, cr->key, cr->keylen);
	res->rkeylen = cr->keylen;
	return 0;
}
