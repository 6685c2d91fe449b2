/* rtp_session.c: RTP session lifecycle, sockets, sending and receiving. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#define LOG_TAG "rtp"
#include "audio/rtp/rtp_batch.h"
#include "audio/rtp/rtp_int.h"
#include "base/log.h"
#include "base/mem.h"

uint32_t rtp_random32(void)
{
	uint32_t v = 0;
	if (RAND_bytes((unsigned char *)&v, sizeof(v)) != 1) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		v = (uint32_t)ts.tv_nsec ^ (uint32_t)getpid() << 16;
	}
	return v;
}

void rtp_opts_default(struct rtp_opts *o)
{
	if (!o)
		return;
	memset(o, 0, sizeof(*o));
	o->af = AF_INET;
	o->clock_rate = 8000;
	o->max_packet = RTP_MAX_PACKET;
	o->rtcp_interval_ms = 5000;
}

static void session_destroy(void *data)
{
	struct rtp_session *rs = data;
	tmr_cancel(&rs->rtcp_tmr);
	if (rs->batch) {
		/* queued datagrams name our sockets: send them first */
		rtp_batch_flush(rs->batch);
		rs->batch = obj_deref(rs->batch);
	}
	if (rs->fd_rtp >= 0) {
		loop_fd_close(rs->loop, rs->fd_rtp);
		close(rs->fd_rtp);
	}
	if (rs->fd_rtcp >= 0) {
		loop_fd_close(rs->loop, rs->fd_rtcp);
		close(rs->fd_rtcp);
	}
	obj_deref(rs->srtp_tx);
	obj_deref(rs->srtp_rx);
}

socklen_t rtp_sa_len(const struct sockaddr *sa)
{
	return sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
					 : sizeof(struct sockaddr_in);
}

static void sa_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)ss)->sin_port = htons(port);
}

static uint16_t sa_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

static int laddr_get(const struct rtp_opts *o, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	if (!o->laddr) {
		ss->ss_family =
		    (sa_family_t)(o->af == AF_INET6 ? AF_INET6 : AF_INET);
		return 0;
	}
	if (inet_pton(AF_INET, o->laddr, &in4->sin_addr) == 1) {
		ss->ss_family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, o->laddr, &in6->sin6_addr) == 1) {
		ss->ss_family = AF_INET6;
		return 0;
	}
	return EINVAL;
}

static int sock_bind(int *fdp, struct sockaddr_storage *ss, uint16_t port)
{
	int fd =
	    socket(ss->ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	sa_set_port(ss, port);
	if (bind(fd, (struct sockaddr *)ss,
		 rtp_sa_len((struct sockaddr *)ss))) {
		int err = errno;
		close(fd);
		return err;
	}
	*fdp = fd;
	return 0;
}

/* Bind RTP on an even port of the range and RTCP on the next one. */
static int sockets_open(struct rtp_session *rs)
{
	struct sockaddr_storage ss;
	int err = laddr_get(&rs->opts, &ss);
	if (err)
		return err;
	const struct rtp_opts *o = &rs->opts;
	if (!o->port_min) {
		err = sock_bind(&rs->fd_rtp, &ss, 0);
		if (!err && !o->rtcp_mux)
			err = sock_bind(&rs->fd_rtcp, &ss, 0);
		return err;
	}
	uint32_t first = o->port_min + (o->port_min & 1);
	uint32_t n =
	    (uint32_t)(o->port_max - first + 1 + (o->rtcp_mux ? 1 : 0)) / 2;
	if (o->port_max < first || !n)
		return EINVAL;
	uint32_t start = rtp_random32() % n;
	for (uint32_t i = 0; i < n; i++) {
		uint16_t port = (uint16_t)(first + 2 * ((start + i) % n));
		if (sock_bind(&rs->fd_rtp, &ss, port))
			continue;
		if (o->rtcp_mux ||
		    !sock_bind(&rs->fd_rtcp, &ss, (uint16_t)(port + 1)))
			return 0;
		close(rs->fd_rtp);
		rs->fd_rtp = -1;
	}
	return EADDRINUSE;
}

uint64_t rtp_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000;
}

static void sock_readable(int fd, int flags, void *arg)
{
	struct rtp_session *rs = arg;
	(void)flags;
	if (rs->batch) {
		rtp_batch_read(rs->batch, rs, fd);
		return;
	}
	/* bounded batch so one busy socket cannot starve the loop */
	for (int i = 0; i < 64; i++) {
		uint8_t buf[RTP_BUF];
		struct sockaddr_storage src;
		socklen_t sl = sizeof(src);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), MSG_TRUNC,
				     (struct sockaddr *)&src, &sl);
		if (n < 0)
			return;
		if ((size_t)n > sizeof(buf)) {
			rs->st.rx_bad++; /* larger than any packet we take */
			continue;
		}
		obj_ref(rs); /* a handler may close the session */
		rtp_session_input(rs, buf, (size_t)n, (struct sockaddr *)&src,
				  fd == rs->fd_rtcp, rtp_mono_us());
		bool last = obj_nrefs(rs) == 1;
		obj_deref(rs);
		if (last)
			return;
	}
}

int rtp_session_alloc(struct rtp_session **rsp, struct loop *loop,
		      const struct rtp_opts *opts, const struct rtp_handlers *h,
		      void *arg)
{
	if (!rsp || !loop)
		return EINVAL;
	struct rtp_opts def;
	if (!opts) {
		rtp_opts_default(&def);
		opts = &def;
	}
	if (!opts->clock_rate ||
	    (opts->port_min && opts->port_max < opts->port_min))
		return EINVAL;

	int err = 0;
	struct rtp_session *rs = obj_zalloc(sizeof(*rs), session_destroy);
	if (!rs)
		return ENOMEM;
	rs->fd_rtp = rs->fd_rtcp = -1;
	rs->loop = loop;
	rs->opts = *opts;
	if (!rs->opts.max_packet)
		rs->opts.max_packet = RTP_MAX_PACKET;
	if (!rs->opts.rtcp_interval_ms)
		rs->opts.rtcp_interval_ms = 5000;
	if (h)
		rs->h = *h;
	rs->arg = arg;
	rs->ssrc = rtp_random32();
	rs->seq = (uint16_t)rtp_random32();
	rs->ts_offset = rtp_random32();
	rs->st.ssrc = rs->ssrc;
	if (opts->cname)
		snprintf(rs->cname, sizeof(rs->cname), "%s", opts->cname);
	else
		snprintf(rs->cname, sizeof(rs->cname), "pb-%08x@phonebox",
			 rtp_random32());
	rs->opts.cname = rs->cname;

	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	uint64_t ntp_s = (uint64_t)now.tv_sec + 2208988800u;
	uint64_t ntp =
	    ntp_s << 32 | ((uint64_t)now.tv_nsec << 32) / 1000000000u;
	rs->ntp_base = ntp - (loop_now(loop) << 32) / 1000;

	err = sockets_open(rs);
	if (err)
		goto out;
	err = loop_fd_listen(loop, rs->fd_rtp, FD_READ, sock_readable, rs);
	if (!err && rs->fd_rtcp >= 0)
		err = loop_fd_listen(loop, rs->fd_rtcp, FD_READ, sock_readable,
				     rs);
	if (err)
		goto out;
	rtp_rtcp_start(rs);
	*rsp = rs;
	rs = NULL;
out:
	obj_deref(rs);
	return err;
}

struct rtp_session *rtp_session_close(struct rtp_session *rs)
{
	if (!rs)
		return NULL;
	if (rs->has_peer)
		rtp_rtcp_send(rs, true);
	tmr_cancel(&rs->rtcp_tmr);
	return obj_deref(rs);
}

int rtp_session_set_peer(struct rtp_session *rs, const struct sockaddr *rtp,
			 const struct sockaddr *rtcp)
{
	if (!rs || !rtp ||
	    (rtp->sa_family != AF_INET && rtp->sa_family != AF_INET6))
		return EINVAL;
	memset(&rs->peer_rtp, 0, sizeof(rs->peer_rtp));
	memcpy(&rs->peer_rtp, rtp, rtp_sa_len(rtp));
	if (rtcp) {
		memset(&rs->peer_rtcp, 0, sizeof(rs->peer_rtcp));
		memcpy(&rs->peer_rtcp, rtcp, rtp_sa_len(rtcp));
	} else {
		rs->peer_rtcp = rs->peer_rtp;
		if (!rs->opts.rtcp_mux)
			sa_set_port(&rs->peer_rtcp,
				    (uint16_t)(sa_port(&rs->peer_rtp) + 1));
	}
	rs->has_peer = true;
	return 0;
}

int rtp_session_local(const struct rtp_session *rs, bool rtcp,
		      struct sockaddr_storage *ss)
{
	if (!rs || !ss)
		return EINVAL;
	int fd = rtcp && rs->fd_rtcp >= 0 ? rs->fd_rtcp : rs->fd_rtp;
	socklen_t sl = sizeof(*ss);
	memset(ss, 0, sizeof(*ss));
	return getsockname(fd, (struct sockaddr *)ss, &sl) ? errno : 0;
}

int rtp_session_set_srtp(struct rtp_session *rs, enum srtpx_suite suite,
			 const uint8_t *tx_key, size_t tx_len,
			 const uint8_t *rx_key, size_t rx_len)
{
	if (!rs)
		return EINVAL;
	struct srtpx *tx = NULL, *rx = NULL;
	enum srtpx_backend be = rs->opts.srtp_backend;
	int err = srtpx_ctx_alloc_be(&tx, be, suite, tx_key, tx_len, SRTPX_TX);
	if (!err)
		err = srtpx_ctx_alloc_be(&rx, be, suite, rx_key, rx_len,
					 SRTPX_RX);
	if (err) {
		WARN("SRTP %s setup failed: %s", srtpx_suite_name(suite),
		     strerror(err));
		obj_deref(tx);
		obj_deref(rx);
		return err;
	}
	obj_deref(rs->srtp_tx);
	obj_deref(rs->srtp_rx);
	rs->srtp_tx = tx;
	rs->srtp_rx = rx;
	return 0;
}

int rtp_sendto(struct rtp_session *rs, bool rtcp, const uint8_t *buf,
	       size_t len)
{
	const struct sockaddr_storage *to =
	    rtcp ? &rs->peer_rtcp : &rs->peer_rtp;
	int fd = rtcp && rs->fd_rtcp >= 0 ? rs->fd_rtcp : rs->fd_rtp;
	if (!rs->has_peer)
		return ENOTCONN;
	if (rs->batch)
		return rtp_batch_queue(rs->batch, fd, to, buf, len);
	ssize_t n = sendto(fd, buf, len, 0, (const struct sockaddr *)to,
			   rtp_sa_len((const struct sockaddr *)to));
	return n < 0 ? errno : 0;
}

static bool tx_drop(struct rtp_session *rs)
{
	if (!rs->loss_permille)
		return false;
	/* xorshift32: deterministic for a given seed */
	uint32_t x = rs->loss_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	rs->loss_state = x;
	return x % 1000 < rs->loss_permille;
}

int rtp_send_hdr(struct rtp_session *rs, const struct rtp_hdr *h,
		 const uint8_t *payload, size_t len)
{
	uint8_t buf[RTP_BUF];
	size_t n;
	if (RTP_HDR_SIZE + len > rs->opts.max_packet)
		return EMSGSIZE;
	int err = rtp_encode(buf, sizeof(buf) - SRTPX_MAX_TRAILER, &n, h,
			     payload, len);
	if (err)
		return err == ENOMEM ? EMSGSIZE : err;
	if (rs->srtp_tx) {
		err = srtpx_protect(rs->srtp_tx, buf, &n, sizeof(buf));
		if (err)
			return err;
	}
	/* a late (reordered) packet must not move sequence or clock back */
	if ((int16_t)(h->seq - rs->seq) >= 0) {
		rs->seq = (uint16_t)(h->seq + 1);
		rs->last_ts = h->ts;
		rs->last_ts_ms = loop_now(rs->loop);
	}
	rs->sent_since_report = true;
	rs->st.tx_packets++;
	rs->st.tx_bytes += len;
	if (tx_drop(rs))
		return 0;
	return rtp_sendto(rs, false, buf, n);
}

int rtp_send(struct rtp_session *rs, uint8_t pt, bool marker, uint32_t ts,
	     const uint8_t *payload, size_t len)
{
	if (!rs || pt > 127 || (len && !payload))
		return EINVAL;
	if (!rs->has_peer)
		return ENOTCONN;
	struct rtp_hdr h = {.marker = marker,
			    .pt = pt,
			    .seq = rs->seq,
			    .ts = rs->ts_offset + ts,
			    .ssrc = rs->ssrc};
	return rtp_send_hdr(rs, &h, payload, len);
}

static bool sa_equal(const struct sockaddr_storage *a, const struct sockaddr *b)
{
	return a->ss_family == b->sa_family && !memcmp(a, b, rtp_sa_len(b));
}

static void latch(struct rtp_session *rs, struct sockaddr_storage *peer,
		  const struct sockaddr *src)
{
	if (!rs->opts.symmetric || !src || sa_equal(peer, src))
		return;
	memset(peer, 0, sizeof(*peer));
	memcpy(peer, src, rtp_sa_len(src));
	if (!rs->has_peer) {
		rs->peer_rtcp = rs->peer_rtp;
		if (!rs->opts.rtcp_mux)
			sa_set_port(&rs->peer_rtcp,
				    (uint16_t)(sa_port(&rs->peer_rtp) + 1));
	}
	rs->has_peer = true;
	DEBUG("symmetric RTP: latched to new peer port %u", sa_port(peer));
}

static int srtp_rx_err(struct rtp_session *rs, int err)
{
	if (err == EALREADY)
		rs->st.rx_replay++;
	else if (err)
		rs->st.rx_auth_fail++;
	return err;
}

void rtp_session_input(struct rtp_session *rs, uint8_t *buf, size_t len,
		       const struct sockaddr *src, bool rtcp_port,
		       uint64_t arrival_us)
{
	if (!rs || !buf)
		return;
	size_t trailer = rs->srtp_rx ? SRTPX_MAX_TRAILER : 0;
	/* the largest SRTP auth tag plus MKI fit in SRTPX_MAX_TRAILER */
	if (len > rs->opts.max_packet + trailer || len < 2) {
		rs->st.rx_bad++;
		return;
	}
	if (rtcp_port || (rs->opts.rtcp_mux && rtp_is_rtcp(buf, len))) {
		if (rs->srtp_rx &&
		    srtp_rx_err(rs, srtcpx_unprotect(rs->srtp_rx, buf, &len)))
			return;
		/* a handler may close the session: latch before it runs */
		struct rtcp_info probe;
		if (src && rtcp_port && !rtcp_decode(&probe, buf, len))
			latch(rs, &rs->peer_rtcp, src);
		rtp_rtcp_input(rs, buf, len);
		return;
	}
	struct rtp_hdr h;
	if (rs->srtp_rx) {
		/* the padding byte is under encryption: check the rest first */
		if (len < RTP_HDR_SIZE || buf[0] >> 6 != RTP_VERSION) {
			rs->st.rx_bad++;
			return;
		}
		if (srtp_rx_err(rs, srtpx_unprotect(rs->srtp_rx, buf, &len)))
			return;
	}
	if (rtp_hdr_decode(&h, buf, len, rs->opts.max_packet)) {
		rs->st.rx_bad++;
		return;
	}
	latch(rs, &rs->peer_rtp, src);
	if (rs->opts.rtcp_mux && rs->opts.symmetric && src)
		rs->peer_rtcp = rs->peer_rtp;
	rtp_source_update(rs, &h, arrival_us);
	rs->st.rx_packets++;
	rs->st.rx_bytes += h.payload_len;
	if (rs->h.recvh)
		rs->h.recvh(&h, rs->arg);
}

void rtp_session_set_tx_loss(struct rtp_session *rs, unsigned permille,
			     uint32_t seed)
{
	if (!rs)
		return;
	rs->loss_permille = permille > 1000 ? 1000 : permille;
	rs->loss_state = seed ? seed : 0x9e3779b9u;
}

void rtp_session_stats(const struct rtp_session *rs, struct rtp_stats *st)
{
	if (!st)
		return;
	memset(st, 0, sizeof(*st));
	if (!rs)
		return;
	*st = rs->st;
	const struct rtp_source *s = &rs->src;
	if (s->valid) {
		st->remote_ssrc = s->ssrc;
		st->ext_max_seq = rtp_source_ext_max(s);
		st->lost = rtp_source_lost(s);
		st->fraction_lost = s->fraction;
		st->jitter_ts = (uint32_t)s->jitter;
		st->jitter_ms = s->jitter * 1000.0 / rs->opts.clock_rate;
	}
}
