/* media.c: a call's SDP offer/answer and its audio stream.
 *
 * Offers we make keep their keys in call.pend until the answer arrives;
 * what was negotiated last is call.res, which is turned into struct
 * stream_params (suite names mapped, addresses parsed) for stream_start().
 * Offers from the far end are checked before a session is taken, so a
 * bad one is refused with 488 (400 when it does not parse) and a Warning.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"
#define LOG_TAG "phone"
#include "base/log.h"
#include "ua/phone/priv.h"

static enum srtpx_suite suite_map(enum sdp_suite s)
{
	switch (s) {
	case SDP_SUITE_AES_CM_128_HMAC_SHA1_32:
		return SRTPX_AES_CM_128_HMAC_SHA1_32;
	case SDP_SUITE_AES_256_CM_HMAC_SHA1_80:
		return SRTPX_AES_256_CM_HMAC_SHA1_80;
	case SDP_SUITE_AEAD_AES_128_GCM:
		return SRTPX_AEAD_AES_128_GCM;
	case SDP_SUITE_AEAD_AES_256_GCM:
		return SRTPX_AEAD_AES_256_GCM;
	default:
		return SRTPX_AES_CM_128_HMAC_SHA1_80;
	}
}

/* The suites the SRTP layer can run here (AES-256 and GCM come from
 * libsrtp2): an offer listing AES-256 first gets it when it can. */
void call_sdp_caps(struct sdp_local *l)
{
	l->srtp_aes256 = srtpx_suite_supported(SRTPX_AES_256_CM_HMAC_SHA1_80);
	l->srtp_gcm = srtpx_suite_supported(SRTPX_AEAD_AES_128_GCM) &&
		      srtpx_suite_supported(SRTPX_AEAD_AES_256_GCM);
}

/* record file of call @p id: FILE for call 1, FILE-N.wav after */
static void record_name(const char *rec, unsigned id, char *out, size_t size)
{
	const char *dot = strrchr(rec, '.');
	const char *slash = strrchr(rec, '/');

	if (id <= 1) {
		snprintf(out, size, "%s", rec);
		return;
	}
	if (!dot || (slash && dot < slash))
		dot = rec + strlen(rec);
	snprintf(out, size, "%.*s-%u.wav", (int)(dot - rec), rec, id);
}

int call_media_open(struct call *c, char *err, size_t errlen)
{
	const struct phone_opts *po = &c->p->opts;
	struct stream_handlers sh = {call_dtmfh, NULL};
	struct stream_opts so;
	char rec[512];
	int e;

	snprintf(c->maddr, sizeof(c->maddr), "%s",
		 po->media_addr ? po->media_addr : c->p->addr);
	stream_opts_default(&so);
	so.laddr = c->maddr;
	so.port_min = po->rtp_min;
	so.port_max = po->rtp_max;
	so.src_be = po->play ? AUDEV_WAV : po->audio;
	so.src_dev = po->play ? po->play : po->audio_in;
	so.sink_be = po->record ? AUDEV_WAV : po->audio;
	if (po->record) {
		record_name(po->record, c->id, rec, sizeof(rec));
		so.sink_dev = rec;
	} else {
		so.sink_dev = po->audio_out;
	}
	e = stream_alloc(&c->strm, c->p->loop, &so, &sh, c, err, errlen);
	if (e)
		return e;
	sdp_local_default(&c->sl);
	call_sdp_caps(&c->sl);
	c->sl.enc = c->acc->a.mediaenc;
	c->sl.codecs = c->acc->a.codecs;
	c->sl.addr = c->maddr;
	c->sl.ip6 = strchr(c->maddr, ':') != NULL;
	c->sl.port = stream_port(c->strm);
	c->sl.sess_id = (loop_now(c->p->loop) << 8) ^ (uint64_t)c->id;
	c->sl.sess_ver = 1;
	return 0;
}

/* the offered audio stream is usable as our stack sees it */
static const char *offer_sane(const struct sdp_session *s)
{
	size_t i;

	for (i = 0; i < s->nmedia; i++) {
		const struct sdp_media *m = &s->media[i];

		if (pl_strcmp(&m->type, "audio"))
			continue;
		if (m->port > 65535 || m->rtcp_port > 65535)
			return "media port out of range";
	}
	return NULL;
}

static const char *result_sane(const struct sdp_result *r)
{
	if (!sa_is_ip_literal(r->raddr) && strcmp(r->raddr, "0.0.0.0"))
		return "connection address is not an IP address";
	if (!r->rport)
		return "no media port";
	return NULL;
}

/* decode @p body and answer it into @p out; 0 or the status to send */
static uint16_t answer_into(struct buf *out, struct sdp_result *r,
			    struct sdp_session *s, const struct pl *body,
			    const struct sdp_local *l, const char **reason)
{
	int e;

	if (sdp_decode(s, body, reason))
		return 400;
	if ((*reason = offer_sane(s)))
		return 488;
	e = sdp_answer(out, r, s, l, reason);
	if (e == EPROTO)
		return 488;
	if (e) {
		*reason = "cannot build an answer";
		return 500;
	}
	if ((*reason = result_sane(r)))
		return 488;
	return 0;
}

uint16_t call_offer_check(const struct sdp_local *l, const struct pl *body,
			  const char **reason)
{
	struct sdp_session *s = obj_zalloc(sizeof(*s), NULL);
	struct sdp_result r;
	struct buf *out = NULL;
	uint16_t sc;

	*reason = NULL;
	if (!s || buf_alloc(&out, 1024)) {
		obj_deref(s);
		*reason = "out of memory";
		return 500;
	}
	sc = answer_into(out, &r, s, body, l, reason);
	if (sc && !*reason)
		*reason = "unacceptable session description";
	memset(&r, 0, sizeof(r)); /* keys */
	obj_deref(out);
	obj_deref(s);
	return sc;
}

/* stream parameters from what was negotiated */
static int params_from(const struct call *c, struct stream_params *sp)
{
	const struct sdp_result *r = &c->res;
	struct sa sa;

	memset(sp, 0, sizeof(*sp));
	sp->codec = r->codec;
	sp->pt = r->pt;
	sp->clock = r->rate;
	sp->te_pt = r->te_pt;
	sp->ptime = r->ptime;
	sp->maxptime = r->maxptime;
	if (strcmp(r->raddr, "0.0.0.0") && r->rport &&
	    !sa_set(&sa, r->raddr, r->rport))
		memcpy(&sp->raddr, &sa.u.ss, sa.len);
	else
		sp->raddr.ss_family = AF_UNSPEC;
	sp->rtcp_port = r->rrtcp_port;
	sp->rtcp_mux = r->rtcp_mux;
	sp->send = r->dir == SDP_SENDRECV || r->dir == SDP_SENDONLY;
	sp->recv = r->dir == SDP_SENDRECV || r->dir == SDP_RECVONLY;
	sp->srtp = r->srtp;
	if (!r->srtp)
		return 0;
	sp->suite = suite_map(r->suite);
	if (r->lkeylen > sizeof(sp->tx_key) || r->rkeylen > sizeof(sp->rx_key))
		return EINVAL;
	memcpy(sp->tx_key, r->lkey, r->lkeylen);
	sp->tx_keylen = r->lkeylen;
	memcpy(sp->rx_key, r->rkey, r->rkeylen);
	sp->rx_keylen = r->rkeylen;
	return 0;
}

/* start or update the stream with call.res */
static int media_apply(struct call *c)
{
	struct stream_params sp;
	int e;

	if (!c->strm)
		return ENOTCONN;
	e = params_from(c, &sp);
	if (!e)
		e = stream_start(c->strm, &sp);
	memset(&sp, 0, sizeof(sp)); /* keys */
	if (e) {
		WARN("call %u: cannot start media (%s %s): %s", c->id,
		     c->res.codec, c->res.srtp ? "SRTP" : "RTP", strerror(e));
		return e;
	}
	snprintf(c->codec, sizeof(c->codec), "%s", c->res.codec);
	c->suite = c->res.srtp ? sdp_suite_name(c->res.suite) : NULL;
	c->have_res = true;
	return 0;
}

static void hold_event(struct call *c, bool hold, const char *who)
{
	struct phone_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = hold ? PHONE_EV_HOLD : PHONE_EV_RESUMED;
	ev.reason = who;
	call_emit(c, &ev);
}

int call_offerh(struct sess *s, struct buf *sdp, void *arg)
{
	struct call *c = arg;

	(void)s;
	c->sl.dir = c->local_hold ? SDP_SENDONLY : SDP_SENDRECV;
	c->sl.sess_ver++;
	return sdp_offer(sdp, &c->pend, &c->sl);
}

/* the far end's offered direction: true when it holds us */
static bool offer_holds(const struct sdp_session *s)
{
	size_t i;

	for (i = 0; i < s->nmedia; i++) {
		enum sdp_dir d;

		if (pl_strcmp(&s->media[i].type, "audio") || !s->media[i].port)
			continue;
		d = sdp_media_dir(s, i);
		return d == SDP_SENDONLY || d == SDP_INACTIVE;
	}
	return false;
}

int call_answerh(struct sess *s, const struct pl *offer, struct buf *sdp,
		 uint16_t *scode, const char **reason, void *arg)
{
	struct call *c = arg;
	struct sdp_session *ss = obj_zalloc(sizeof(*ss), NULL);
	struct sdp_result r;
	bool was_held = c->remote_hold;
	uint16_t sc;

	(void)s;
	if (!ss)
		return ENOMEM;
	c->sl.dir = c->local_hold ? SDP_SENDONLY : SDP_SENDRECV;
	c->sl.sess_ver++;
	sc = answer_into(sdp, &r, ss, offer, &c->sl, reason);
	if (sc) {
		*scode = sc == 400 ? 488 : sc;
		if (!*reason)
			*reason = "unacceptable session description";
		obj_deref(ss);
		return EPROTO;
	}
	c->remote_hold = offer_holds(ss);
	obj_deref(ss);
	c->res = r;
	memset(&r, 0, sizeof(r));
	if (media_apply(c)) {
		*scode = 488;
		*reason = "cannot start the media stream";
		return EPROTO;
	}
	if (c->state == CALL_ACTIVE && was_held != c->remote_hold)
		hold_event(c, c->remote_hold, "remote");
	return 0;
}

int call_remote_answerh(struct sess *s, const struct pl *answer, void *arg)
{
	struct call *c = arg;
	struct sdp_session *ss = obj_zalloc(sizeof(*ss), NULL);
	const char *why = NULL;
	int e;

	(void)s;
	if (!ss)
		return ENOMEM;
	e = sdp_decode(ss, answer, &why);
	if (!e)
		e = sdp_apply_answer(&c->pend, ss, &c->sl, &why);
	obj_deref(ss);
	if (!e && (why = result_sane(&c->pend)))
		e = EPROTO;
	if (e) {
		WARN("call %u: unusable answer: %s", c->id,
		     why ? why : "malformed");
		return e;
	}
	c->res = c->pend;
	if ((e = media_apply(c)))
		return e;
	if (c->state == CALL_ACTIVE && c->local_hold != c->hold_reported) {
		c->hold_reported = c->local_hold;
		hold_event(c, c->local_hold, "local");
	}
	return 0;
}

void call_dtmfh(char digit, void *arg)
{
	struct call *c = arg;
	struct phone_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = PHONE_EV_DTMF;
	ev.digit = digit;
	call_emit(c, &ev);
}
