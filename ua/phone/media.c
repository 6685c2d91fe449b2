/* media.c: a call's SDP offer/answer and its audio stream.
 *
 * Offers we make keep their keys in call.pend until the answer arrives;
 * what was negotiated last is call.res, which is turned into struct
 * stream_params (suite names mapped, addresses parsed) for stream_start().
 * Offers from the far end are checked before a session is taken, so a
 * bad one is refused with 488 (400 when it does not parse) and a Warning.
 *
 * A call's media runs in one address family (call.af): an incoming offer's
 * (its c= line), else that of the SIP peer (the destination's, once a
 * name has been looked up: an outgoing call's stream is reopened in that
 * family before the first offer). Its address is media_addr when that is
 * of the family, else the phone's advertised address of the family.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"
#include "ua/sip/addr.h"
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

/* family of IP literal @p ip (no brackets), AF_UNSPEC for others */
static int ip_af(const char *ip)
{
	struct sa sa;

	return sa_set(&sa, ip, 0) ? AF_UNSPEC : sa_af(&sa);
}

/* our media address of family @p af (AF_UNSPEC: the first); "" = none */
static const char *media_addr_af(const struct phone *p, int af)
{
	const char *ma = p->opts.media_addr;

	if (ma && (!af || ip_af(ma) == af || ip_af(ma) == AF_UNSPEC))
		return ma;
	return phone_addr_af(p, af);
}

int call_dst_af(const struct call *c)
{
	const char *t = c->acc->a.proxy[0] ? c->acc->a.proxy : c->target;
	struct pl pl = pl_from_str(t);
	struct tsx_addr dst;
	struct sip_addr a;
	struct sip_uri u;

	if (strchr(t, '<') && !sip_addr_decode(&a, &pl, false))
		u = a.uri;
	else if (sip_uri_decode(&u, &pl))
		return AF_UNSPEC;
	if (stack_uri_dst_cached(c->p->st, &u, &dst))
		return AF_UNSPEC;
	return dst.sa.ss_family;
}

int call_media_open(struct call *c, char *err, size_t errlen)
{
	const struct phone_opts *po = &c->p->opts;
	struct stream_handlers sh = {call_dtmfh, NULL};
	struct stream_opts so;
	char rec[512];
	int e;

	snprintf(c->maddr, sizeof(c->maddr), "%s", media_addr_af(c->p, c->af));
	if (!c->maddr[0]) {
		snprintf(err, errlen, "no IPv%c address for media",
			 c->af == AF_INET6 ? '6' : '4');
		return EAFNOSUPPORT;
	}
	if (ip_af(c->maddr))
		c->af = ip_af(c->maddr);
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
	c->sl.enc = c->acc->a.mediaenc;
	c->sl.codecs = c->acc->a.codecs;
	c->sl.addr = c->maddr;
	c->sl.ip6 = c->af == AF_INET6;
	c->sl.port = stream_port(c->strm);
	c->sl.sess_id = (loop_now(c->p->loop) << 8) ^ (uint64_t)c->id;
	c->sl.sess_ver = 1;
	return 0;
}

/* the connection (c=) of audio stream @p i: its own, else the session's */
static const struct sdp_conn *media_conn(const struct sdp_session *s, size_t i)
{
	return s->media[i].conn.set ? &s->media[i].conn : &s->conn;
}

/* family of the first used audio stream's c= line (AF_UNSPEC: none) */
static int offer_af(const struct sdp_session *s)
{
	size_t i;

	for (i = 0; i < s->nmedia; i++) {
		const struct sdp_conn *cn = media_conn(s, i);

		if (!pl_strcmp(&s->media[i].type, "audio") &&
		    s->media[i].port && cn->set)
			return cn->ip6 ? AF_INET6 : AF_INET;
	}
	return AF_UNSPEC;
}

/* every used audio stream's c= address is an IP of its IN IP4/IP6 type */
static const char *conn_sane(const struct sdp_session *s)
{
	char ip[64];
	size_t i;

	for (i = 0; i < s->nmedia; i++) {
		const struct sdp_conn *cn = media_conn(s, i);

		if (pl_strcmp(&s->media[i].type, "audio") ||
		    !s->media[i].port || !cn->set)
			continue;
		if (cn->addr.l >= sizeof(ip))
			return "connection address is not an IP address";
		pl_copy(&cn->addr, ip, sizeof(ip));
		if (ip_af(ip) != (cn->ip6 ? AF_INET6 : AF_INET))
			return cn->ip6 ? "IN IP6 connection address is not "
					 "an IPv6 address"
				       : "IN IP4 connection address is not "
					 "an IPv4 address";
	}
	return NULL;
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
	if (!sa_is_ip_literal(r->raddr))
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
	if ((*reason = offer_sane(s)) || (*reason = conn_sane(s)))
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

uint16_t call_offer_check(const struct phone *p, struct sdp_local *l,
			  const struct pl *body, int *af, const char **reason)
{
	struct sdp_session *s = obj_zalloc(sizeof(*s), NULL);
	struct sdp_result r;
	struct buf *out = NULL;
	uint16_t sc = 0;

	*reason = NULL;
	if (!s || buf_alloc(&out, 1024)) {
		obj_deref(s);
		*reason = "out of memory";
		return 500;
	}
	/* answer from our address of the offer's family */
	if (!sdp_decode(s, body, NULL) && !conn_sane(s) &&
	    (*af = offer_af(s))) {
		l->addr = media_addr_af(p, *af);
		l->ip6 = *af == AF_INET6;
		if (!*l->addr) {
			*reason = *af == AF_INET6 ? "no IPv6 address for media"
						  : "no IPv4 address for media";
			sc = 488;
		}
	}
	if (!sc)
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
	if (strcmp(r->raddr, "0.0.0.0") && strcmp(r->raddr, "::") && r->rport &&
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

/* the negotiated far end is in our stream's family (or on hold) */
static const char *family_sane(const struct call *c, const struct sdp_result *r)
{
	int af = ip_af(r->raddr);

	if (!strcmp(r->raddr, "0.0.0.0") || !strcmp(r->raddr, "::") ||
	    af == c->af)
		return NULL;
	return af == AF_INET6 ? "IPv6 media address on an IPv4 media stream"
			      : "IPv4 media address on an IPv6 media stream";
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

/* our first offer goes where the call's name resolved to: reopen the
   stream in that family when it differs from the guess made at dial */
static int offer_family(struct call *c)
{
	char err[160] = "";
	int af = call_dst_af(c), e;

	if (c->incoming || c->have_res || !af || af == c->af)
		return 0;
	c->strm = stream_close(c->strm);
	c->af = af;
	e = call_media_open(c, err, sizeof(err));
	if (e)
		WARN("call %u: cannot open media: %s", c->id, err);
	return e;
}

int call_offerh(struct sess *s, struct buf *sdp, void *arg)
{
	struct call *c = arg;
	int e;

	(void)s;
	if ((e = offer_family(c)))
		return e;
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
	if (!sc && (*reason = family_sane(c, &r)))
		sc = 488;
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
	if (!e &&
	    ((why = result_sane(&c->pend)) || (why = family_sane(c, &c->pend))))
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
