/* start.c: stream_start(): check the negotiated parameters, then apply
 * codec, keys, peer and direction, all or nothing. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "audio/stream/stream_int.h"
#include "base/mem.h"

static bool family_ok(const struct stream *s, const struct sockaddr *sa)
{
	struct sockaddr_storage local;

	if (rtp_session_local(s->rtp, false, &local))
		return false;
	return local.ss_family == sa->sa_family;
}

static bool peer_given(const struct stream_params *p)
{
	const struct sockaddr_storage *ss = &p->raddr;

	if (ss->ss_family == AF_INET)
		return ((const struct sockaddr_in *)ss)->sin_port != 0;
	if (ss->ss_family == AF_INET6)
		return ((const struct sockaddr_in6 *)ss)->sin6_port != 0;
	return false;
}

static int keys_check(const struct stream *s, const struct stream_params *p)
{
	size_t kl;

	if (!p->srtp)
		return s->srtp_on ? ENOTSUP : 0;
	if ((unsigned)p->suite >= SRTPX_SUITE_COUNT)
		return EINVAL;
	kl = srtpx_keysalt_len(p->suite);
	if (p->tx_keylen != kl || p->rx_keylen != kl)
		return EINVAL;
	return srtpx_suite_supported(p->suite) ? 0 : ENOTSUP;
}

/* Everything stream_start() can refuse before it changes anything. */
static int params_check(const struct stream *s, const struct stream_params *p,
			const struct codec_desc **descp)
{
	const struct codec_desc *d;
	int fam = p->raddr.ss_family;

	if (!p->codec)
		return EINVAL;
	d = codec_find(p->codec, p->clock);
	if (!d || d->id == CODEC_TEL_EVENT)
		return EINVAL;
	if (p->pt > 127 || p->te_pt < -1 || p->te_pt > 127 ||
	    p->te_pt == (int)p->pt)
		return EINVAL;
	if (fam != AF_UNSPEC && fam != AF_INET && fam != AF_INET6)
		return EINVAL;
	if (peer_given(p) && !family_ok(s, (const struct sockaddr *)&p->raddr))
		return EINVAL;
	*descp = d;
	return keys_check(s, p);
}

static bool keys_same(const struct stream *s, const struct stream_params *p)
{
	return s->srtp_on && s->suite == p->suite &&
	       s->tx_keylen == p->tx_keylen && s->rx_keylen == p->rx_keylen &&
	       !memcmp(s->tx_key, p->tx_key, p->tx_keylen) &&
	       !memcmp(s->rx_key, p->rx_key, p->rx_keylen);
}

static int keys_apply(struct stream *s, const struct stream_params *p)
{
	int e;

	if (!p->srtp || keys_same(s, p))
		return 0;
	e = rtp_session_set_srtp(s->rtp, p->suite, p->tx_key, p->tx_keylen,
				 p->rx_key, p->rx_keylen);
	if (e)
		return e == ENOSYS ? ENOTSUP : e;
	s->srtp_on = true;
	s->suite = p->suite;
	memcpy(s->tx_key, p->tx_key, p->tx_keylen);
	memcpy(s->rx_key, p->rx_key, p->rx_keylen);
	s->tx_keylen = p->tx_keylen;
	s->rx_keylen = p->rx_keylen;
	return 0;
}

static int peer_apply(struct stream *s, const struct stream_params *p)
{
	struct sockaddr_storage rtcp;
	bool own_rtcp = p->rtcp_mux || p->rtcp_port;

	s->has_peer = peer_given(p);
	if (!s->has_peer)
		return 0;
	rtcp = p->raddr;
	if (!p->rtcp_mux && p->rtcp_port) {
		if (rtcp.ss_family == AF_INET6)
			((struct sockaddr_in6 *)&rtcp)->sin6_port =
			    htons(p->rtcp_port);
		else
			((struct sockaddr_in *)&rtcp)->sin_port =
			    htons(p->rtcp_port);
	}
	return rtp_session_set_peer(s->rtp, (const struct sockaddr *)&p->raddr,
				    own_rtcp ? (const struct sockaddr *)&rtcp
					     : NULL);
}

static int devices_start(struct stream *s)
{
	if (s->started)
		return 0;
	if (audev_start(s->src) || audev_start(s->sink)) {
		audev_stop(s->src);
		return EIO;
	}
	return 0;
}

int stream_start(struct stream *s, const struct stream_params *p)
{
	const struct codec_desc *d = NULL;
	struct stream_media *m = NULL;
	bool was_tx;
	int e;

	if (!s || !p || s->closed)
		return EINVAL;
	e = params_check(s, p, &d);
	if (e)
		return e;
	if (!s->m || !stream_media_same(s->m, d, p)) {
		e = stream_media_alloc(&m, s, d, p);
		if (e)
			return e;
	}
	e = devices_start(s);
	if (!e)
		e = keys_apply(s, p);
	if (!e)
		e = peer_apply(s, p);
	if (e) {
		obj_deref(m);
		return e;
	}
	if (m) {
		obj_deref(s->m);
		s->m = m;
		s->ev_active = false;
		s->ev_gap = 0;
		stream_rx_reset(s);
	}
	was_tx = s->tx_on;
	s->tx_on = p->send && s->has_peer;
	if (s->tx_on && !was_tx)
		s->tx_marker = true;
	if (s->rx_on && !p->recv)
		stream_rx_reset(s);
	s->rx_on = p->recv;
	if (!s->started) {
		s->started = true;
		stream_tick_start(s);
	}
	return 0;
}
