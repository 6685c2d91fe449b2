/* stream.c: the stream object: sockets and devices, mute, stats, close. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "audio/stream/stream_int.h"
#include "base/mem.h"

void stream_opts_default(struct stream_opts *o)
{
	if (!o)
		return;
	memset(o, 0, sizeof(*o));
	o->src_be = AUDEV_NULL;
	o->sink_be = AUDEV_NULL;
	o->srtp_be = SRTPX_BACKEND_AUTO;
	o->rate = 16000;
	o->dtmf_ms = 100;
}

/* Stop the clock, say BYE, close the devices; safe to call twice. */
static void stream_shutdown(struct stream *s)
{
	s->closed = true;
	tmr_cancel(&s->tmr);
	s->rtp = rtp_session_close(s->rtp);
	audev_stop(s->src);
	audev_stop(s->sink);
}

static void stream_destroy(void *data)
{
	struct stream *s = data;

	stream_shutdown(s);
	s->src = obj_deref(s->src);
	s->sink = obj_deref(s->sink);
	s->m = obj_deref(s->m);
	memset(s->tx_key, 0, sizeof(s->tx_key));
	memset(s->rx_key, 0, sizeof(s->rx_key));
}

static void src_end(struct audev *d, void *arg)
{
	struct stream *s = arg;

	(void)d;
	if (s->h.src_endh)
		s->h.src_endh(s->arg);
}

static int devices_open(struct stream *s, const struct stream_opts *o,
			char *err, size_t errlen)
{
	static const struct audev_handlers srch = {.end_h = src_end};
	struct audev_opts ao;
	int e;

	audev_opts_default(&ao);
	ao.rate = s->rate;
	ao.frame = s->frame;
	ao.device = o->src_dev;
	ao.loop = o->src_loop;
	e = audev_alloc(&s->src, o->src_be, AUDEV_SOURCE, &ao, &srch, s, err,
			errlen);
	if (e)
		return e;
	ao.device = o->sink_dev;
	ao.loop = false;
	return audev_alloc(&s->sink, o->sink_be, AUDEV_SINK, &ao, NULL, NULL,
			   err, errlen);
}

static int rtp_open(struct stream *s, const struct stream_opts *o, char *err,
		    size_t errlen)
{
	static const struct rtp_handlers rh = {stream_rtp_recv, NULL};
	struct rtp_opts ro;
	int e;

	rtp_opts_default(&ro);
	ro.laddr = o->laddr;
	ro.af = AF_INET;
	ro.port_min = o->port_min;
	ro.port_max = o->port_max;
	if (!o->port_min && !o->port_max) {
		/* "any": still a pair with RTCP on port + 1, as SDP without
		 * a=rtcp promises; below the kernel's ephemeral range */
		ro.port_min = STRM_PORT_MIN;
		ro.port_max = STRM_PORT_MAX;
	}
	ro.rtcp_mux = o->rtcp_mux;
	ro.symmetric = o->symmetric;
	ro.srtp_backend = o->srtp_be;
	e = rtp_session_alloc(&s->rtp, s->loop, &ro, &rh, s);
	if (e && err && errlen)
		snprintf(err, errlen,
			 "cannot open RTP socket on %s ports "
			 "%u-%u: %s",
			 o->laddr ? o->laddr : "0.0.0.0", (unsigned)ro.port_min,
			 (unsigned)ro.port_max, strerror(e));
	return e;
}

int stream_alloc(struct stream **sp, struct loop *loop,
		 const struct stream_opts *o, const struct stream_handlers *h,
		 void *arg, char *err, size_t errlen)
{
	struct stream_opts def;
	struct stream *s;
	int e;

	if (err && errlen)
		err[0] = '\0';
	if (!o) {
		stream_opts_default(&def);
		o = &def;
	}
	if (!sp || !loop ||
	    (o->rate != 8000 && o->rate != 16000 && o->rate != 48000)) {
		if (err && errlen)
			snprintf(err, errlen, "bad stream arguments");
		return EINVAL;
	}
	s = obj_zalloc(sizeof(*s), stream_destroy);
	if (!s)
		return ENOMEM;
	s->loop = loop;
	if (h)
		s->h = *h;
	s->arg = arg;
	s->rate = o->rate;
	s->frame = codec_frame_samples(o->rate);
	s->src_be = o->src_be;
	s->sink_be = o->sink_be;
	s->dtmf_ms = o->dtmf_ms ? o->dtmf_ms : 100;
	e = devices_open(s, o, err, errlen);
	if (!e)
		e = rtp_open(s, o, err, errlen);
	if (e)
		goto out;
	*sp = s;
	s = NULL;
out:
	obj_deref(s);
	return e;
}

uint16_t stream_port(const struct stream *s)
{
	struct sockaddr_storage ss;

	if (!s || !s->rtp || rtp_session_local(s->rtp, false, &ss))
		return 0;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

uint16_t stream_rtcp_port(const struct stream *s)
{
	struct sockaddr_storage ss;

	if (!s || !s->rtp || rtp_session_local(s->rtp, true, &ss))
		return 0;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

int stream_dtmf(struct stream *s, char digit)
{
	if (!s || dtmf_ev_code(digit) < 0)
		return EINVAL;
	if (!s->m || s->closed)
		return ENOTCONN;
	if (s->dq_n >= STRM_DQ_SIZE)
		return ENOSPC;
	if (digit >= 'a' && digit <= 'd')
		digit = (char)(digit - 'a' + 'A');
	s->dq[(s->dq_head + s->dq_n++) % STRM_DQ_SIZE] = digit;
	return 0;
}

void stream_mute(struct stream *s, bool mute)
{
	if (s)
		s->muted = mute;
}

void stream_stats(const struct stream *s, struct stream_stats *st)
{
	struct rtp_stats rs;
	struct jb_stats js;
	struct audev_stats ds;

	if (!st)
		return;
	memset(st, 0, sizeof(*st));
	if (!s)
		return;
	rtp_session_stats(s->rtp, &rs);
	st->codec = s->m ? s->m->desc->name : NULL;
	st->suite = s->srtp_on ? srtpx_suite_name(s->suite) : NULL;
	st->tx_packets = rs.tx_packets;
	st->rx_packets = rs.rx_packets;
	st->rx_lost = rs.lost > 0 ? (uint64_t)rs.lost : 0;
	st->srtp_fail = rs.rx_auth_fail + rs.rx_replay;
	st->dtmf_rx = s->dtmf_rx;
	st->jitter_ms = rs.jitter_ms;
	if (s->m) {
		jb_stats_get(s->m->jb, &js);
		st->jitter_ms = js.jitter_ms;
		st->jb_delay_ms = js.delay_ms;
		st->tx_ptime = s->m->ptime;
	}
	st->muted = s->muted;
	st->concealed = s->concealed;
	st->rtt_valid = rs.rtt_valid;
	st->rtt_ms = rs.rtt_ms;
	st->sending = s->tx_on && !s->closed;
	st->remote_bye = rs.bye;
	audev_stats_get(s->sink, &ds);
	st->play_underruns = ds.underruns;
	st->play_overruns = ds.overruns;
	audev_stats_get(s->src, &ds);
	st->cap_overruns = ds.overruns;
}

struct stream *stream_close(struct stream *s)
{
	if (!s)
		return NULL;
	stream_shutdown(s);
	return obj_deref(s);
}
