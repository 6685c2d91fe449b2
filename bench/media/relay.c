/* relay.c: bench/media part: a PBX media relay through the real RTP path.
 *
 * CALLS relayed calls on one relay thread with its own loop: per call two
 * rtp_sessions (legs, rtcp-mux, SRTP AES_CM_128_HMAC_SHA1_80 with the
 * default backend), each leg's recvh calling rtp_forward() on the other.
 * The main thread plays both phones of every call. The legs are switched
 * between one shared rtp_batch (recvmmsg/sendmmsg) and none (recvfrom until
 * EAGAIN, sendto) so both are measured in the same run on the same sessions.
 *
 * Capacity rounds: one SRTP packet waits in every leg's socket (as at full
 * load, when a pass over all sockets takes one 20 ms packet interval), then
 * the relay thread drains them all; cost = its CPU time
 * (CLOCK_THREAD_CPUTIME_ID) per relayed packet: epoll, UDP calls, SRTP
 * unprotect + protect, the loop. On loopback the relay's send also delivers
 * into the phone's socket and the phones' sends into the relay's: each side
 * pays one receive path, as with a NIC. Batched and plain rounds alternate
 * in blocks so machine noise hits both alike.
 *
 * Paced run: real time, every call's phones send every 20 ms, calls spread
 * over the interval. Added latency = kernel receive timestamp
 * (SO_TIMESTAMPNS) of the forwarded packet at the far phone minus the time
 * its original went to sendto(): the wait in the relay's socket, relaying
 * and the batching delay, whenever the bench thread gets to read it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "audio/rtp/rtp.h"
#include "audio/rtp/rtp_batch.h"
#include "base/loop.h"
#include "base/mem.h"
#include "media_bench.h"

enum {
	CALLS = 500,
	PACED = 150, /* calls in the paced run: a load this shared, niced
			bench thread keeps up with, so the latency is the
			relay's and not the machine's backlog */
	TICKS = 150, /* 3 s of 20 ms ticks after one warm-up tick */
	PAYLOAD = 160,
	TICK_NS = 20000000,
};

/* DESIGN.md section 10: 2000 calls x 2 directions x 50 packets/s. */
static const double ref_pps = 2000.0 * 100;

struct leg {
	struct rtp_session *rs;
	struct leg *other;
	uint64_t *relayed; /**< relay thread's counter */
	int fwd_err;
};

struct relay {
	struct loop *loop;
	struct rtp_batch *batch; /**< shared by the legs when batched  */
	struct leg legs[CALLS][2];
	uint64_t relayed;     /**< packets forwarded (relay thread) */
	atomic_int cmd;	      /**< enum relay_cmd                   */
	atomic_uint finished; /**< commands completed               */
	uint64_t round_pkts;  /**< packets a round waits for        */
	int acct;	      /**< enum acct of the rounds running  */
	uint64_t cpu_ns[3];   /**< relay CPU per accounting class   */
	uint64_t pkts[3];     /**< packets relayed per class        */
	/* The floor: the same number of sockets relaying the same packets
	 * with the fewest calls (epoll, one recvfrom, one sendto) and no
	 * RTP or SRTP work at all: what the kernel alone costs here. */
	int floor_ep;
	int floor_fd[CALLS][2];
	struct sockaddr_in floor_to[CALLS][2]; /**< phone it forwards to */
};

/* Accounting classes of the capacity rounds. */
enum acct { ACCT_PLAIN, ACCT_BATCHED, ACCT_FLOOR };

struct phones {
	int fd[CALLS][2];
	struct sockaddr_in addr[CALLS][2];
	struct sockaddr_storage leg[CALLS][2]; /**< relay leg it sends to */
	uint16_t base[CALLS][2]; /**< seq of the warm-up packet received */
	bool based[CALLS][2];
	uint64_t sent_ns[CALLS][2][TICKS + 1];
	uint64_t *lat_ns; /**< added latency samples */
	size_t nlat;
	struct sockaddr_storage floor_leg[CALLS][2]; /**< floor socket */
	uint64_t got;	/**< RTP packets the phones received */
	bool timed;	/**< paced run: record times         */
	bool to_floor;	/**< capacity round of the floor     */
	unsigned ticks; /**< paced run length after warm-up  */
};

static void on_rtp(const struct rtp_hdr *h, void *arg)
{
	struct leg *l = arg;
	int err = rtp_forward(l->other->rs, h);
	if (err && !l->fwd_err)
		l->fwd_err = err;
	(*l->relayed)++;
}

static const struct rtp_handlers leg_h = {on_rtp, NULL};

static uint64_t now_real_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

enum relay_cmd { CMD_IDLE = 0, CMD_ROUND, CMD_PACED, CMD_QUIT };

/* One pass of the floor relay: whatever epoll reports, one packet each. */
static void floor_poll(struct relay *r)
{
	struct epoll_event ev[64];
	int n = epoll_wait(r->floor_ep, ev, 64, 1);
	for (int i = 0; i < n; i++) {
		unsigned c = ev[i].data.u32 >> 1, s = ev[i].data.u32 & 1;
		uint8_t buf[2048];
		struct sockaddr_in src;
		socklen_t sl = sizeof(src);
		ssize_t len = recvfrom(r->floor_fd[c][s], buf, sizeof(buf), 0,
				       (struct sockaddr *)&src, &sl);
		if (len <= 0)
			continue;
		sendto(r->floor_fd[c][1 - s], buf, (size_t)len, 0,
		       (struct sockaddr *)&r->floor_to[c][1 - s],
		       sizeof(r->floor_to[c][1 - s]));
		r->relayed++;
	}
}

/* The relay thread: idle until told; a round runs until the round's
 * packets are relayed (CPU counted), a paced run until told to stop. */
static void *relay_main(void *arg)
{
	struct relay *r = arg;
	for (;;) {
		int cmd = atomic_load(&r->cmd);
		if (cmd == CMD_QUIT)
			break;
		if (cmd == CMD_IDLE) {
			struct timespec ts = {0, 100000};
			nanosleep(&ts, NULL);
			continue;
		}
		uint64_t t0 = thread_cpu_ns(), start = r->relayed;
		uint64_t deadline = now_real_ns() + 500000000u;
		if (cmd == CMD_ROUND) {
			while (r->relayed - start < r->round_pkts &&
			       now_real_ns() < deadline) {
				if (r->acct == ACCT_FLOOR)
					floor_poll(r);
				else
					loop_poll(r->loop, 1);
			}
		} else {
			while (atomic_load(&r->cmd) == CMD_PACED)
				loop_poll(r->loop, 5);
		}
		r->cpu_ns[r->acct] += thread_cpu_ns() - t0;
		r->pkts[r->acct] += r->relayed - start;
		atomic_store(&r->cmd, CMD_IDLE);
		atomic_fetch_add(&r->finished, 1);
	}
	return NULL;
}

static void key(uint8_t k[30], uint8_t seed)
{
	for (int i = 0; i < 30; i++)
		k[i] = (uint8_t)(seed + 17 * i);
}

static int phone_open(struct phones *p, int c, int side)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in *sa = &p->addr[c][side];
	socklen_t sl = sizeof(*sa);
	int on = 1;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	p->fd[c][side] = fd;
	if (fd < 0 || bind(fd, (struct sockaddr *)sa, sizeof(*sa)) ||
	    getsockname(fd, (struct sockaddr *)sa, &sl) ||
	    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)))
		return errno ? errno : EINVAL;
	return 0;
}

/* Relay legs of call c: leg s talks to phone s with key pair (s). */
static int legs_open(struct relay *r, struct phones *p, int c)
{
	struct rtp_opts o;
	rtp_opts_default(&o);
	o.laddr = "127.0.0.1";
	o.rtcp_mux = true;
	int err = 0;
	for (int s = 0; s < 2 && !err; s++) {
		struct leg *l = &r->legs[c][s];
		uint8_t rx[30], tx[30];
		l->other = &r->legs[c][1 - s];
		l->relayed = &r->relayed;
		key(rx, (uint8_t)(10 + s));
		key(tx, (uint8_t)(20 + s));
		err = rtp_session_alloc(&l->rs, r->loop, &o, &leg_h, l);
		if (!err)
			err = rtp_session_set_peer(
			    l->rs, (struct sockaddr *)&p->addr[c][s], NULL);
		if (!err)
			err = rtp_session_set_srtp(
			    l->rs, SRTPX_AES_CM_128_HMAC_SHA1_80, tx, 30, rx,
			    30);
		if (!err)
			err = rtp_session_local(l->rs, false, &p->leg[c][s]);
	}
	return err;
}

/* The packet phone @p side sends at @p tick, protected once for all calls
 * (each leg has its own receive context, so no replay). */
static int pkt_make(struct srtpx *tx, int side, unsigned tick, uint8_t *buf,
		    size_t size, size_t *len)
{
	uint8_t pl[PAYLOAD];
	memset(pl, 0xd5, sizeof(pl));
	struct rtp_hdr h = {.pt = 0,
			    .seq = (uint16_t)(1000 * side + tick),
			    .ts = tick * PAYLOAD,
			    .ssrc = 0x10000 + (uint32_t)side};
	int err =
	    rtp_encode(buf, size - SRTPX_MAX_TRAILER, len, &h, pl, sizeof(pl));
	return err ? err : srtpx_protect(tx, buf, len, size);
}

static uint64_t cmsg_ts(struct msghdr *m)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;
			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			return (uint64_t)ts.tv_sec * 1000000000u +
			       (uint64_t)ts.tv_nsec;
		}
	}
	return 0;
}

enum { PHONE_RX = 4 };

/* Read what phone (c, side) got (one recvmmsg); its packets came from the
 * other side. @p warm: learn the seq of the paced run's tick 0. */
static void phone_read(struct phones *p, int c, int side, bool warm)
{
	static uint8_t buf[PHONE_RX][2048];
	static char ctl[PHONE_RX][64];
	struct iovec iov[PHONE_RX];
	struct mmsghdr m[PHONE_RX];
	memset(m, 0, sizeof(m));
	for (int i = 0; i < PHONE_RX; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = sizeof(buf[i]);
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
		m[i].msg_hdr.msg_control = ctl[i];
		m[i].msg_hdr.msg_controllen = sizeof(ctl[i]);
	}
	int n = recvmmsg(p->fd[c][side], m, PHONE_RX, MSG_DONTWAIT, NULL);
	for (int i = 0; i < n; i++) {
		const uint8_t *b = buf[i];
		if (m[i].msg_len < 12 || (b[1] >= 200 && b[1] <= 204))
			continue; /* RTCP from the relay leg */
		p->got++;
		if (!p->timed)
			continue;
		uint16_t seq = (uint16_t)(b[2] << 8 | b[3]);
		if (warm && !p->based[c][side]) {
			p->base[c][side] = seq;
			p->based[c][side] = true;
		}
		if (warm || !p->based[c][side])
			continue;
		uint16_t tick = (uint16_t)(seq - p->base[c][side]);
		uint64_t at = cmsg_ts(&m[i].msg_hdr);
		uint64_t sent =
		    tick <= TICKS ? p->sent_ns[c][1 - side][tick] : 0;
		if (at && sent && at >= sent)
			p->lat_ns[p->nlat++] = at - sent;
	}
}

static void read_all(struct phones *p, bool warm)
{
	for (int c = 0; c < (p->timed ? PACED : CALLS); c++)
		for (int s = 0; s < 2; s++)
			phone_read(p, c, s, warm);
}

static void send_call(struct phones *p, int c, const uint8_t *pkt[2],
		      const size_t len[2], unsigned tick)
{
	for (int s = 0; s < 2; s++) {
		if (p->timed)
			p->sent_ns[c][s][tick] = now_real_ns();
		sendto(p->fd[c][s], pkt[s], len[s], 0,
		       (struct sockaddr *)(p->to_floor ? &p->floor_leg[c][s]
						       : &p->leg[c][s]),
		       sizeof(struct sockaddr_in));
	}
}

static void ts_add(struct timespec *t, long add_ns)
{
	t->tv_nsec += add_ns;
	while (t->tv_nsec >= 1000000000) {
		t->tv_nsec -= 1000000000;
		t->tv_sec++;
	}
}

static void sleep_until(const struct timespec *t)
{
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, t, NULL);
}

static void cmd_wait(struct relay *r, unsigned finished)
{
	while (atomic_load(&r->finished) == finished) {
		struct timespec ts = {0, 100000};
		nanosleep(&ts, NULL);
	}
}

static int set_batched(struct relay *r, bool on)
{
	int err = 0;
	for (int c = 0; c < CALLS && !err; c++)
		for (int s = 0; s < 2 && !err; s++)
			err = rtp_session_set_batch(r->legs[c][s].rs,
						    on ? r->batch : NULL);
	r->acct = on ? ACCT_BATCHED : ACCT_PLAIN;
	return err;
}

/* Rounds of class @p acct from now on (the phones send to its sockets). */
static int set_acct(struct relay *r, struct phones *p, enum acct acct)
{
	p->to_floor = acct == ACCT_FLOOR;
	if (acct == ACCT_FLOOR) {
		r->acct = ACCT_FLOOR;
		return 0;
	}
	return set_batched(r, acct == ACCT_BATCHED);
}

struct sender {
	struct srtpx *tx[2];
	unsigned n; /**< packets sent by each phone so far */
	uint8_t buf[2][512];
	size_t len[2];
	const uint8_t *pkt[2];
};

static int sender_next(struct sender *sd)
{
	int err = 0;
	for (int s = 0; s < 2 && !err; s++) {
		err = pkt_make(sd->tx[s], s, sd->n, sd->buf[s],
			       sizeof(sd->buf[s]), &sd->len[s]);
		sd->pkt[s] = sd->buf[s];
	}
	sd->n++;
	return err;
}

/* One capacity round: @p depth packets in every leg's socket, then drain. */
static int round_run(struct relay *r, struct phones *p, struct sender *sd,
		     unsigned depth)
{
	int err = 0;
	for (unsigned d = 0; d < depth && !err; d++) {
		err = sender_next(sd);
		for (int c = 0; c < CALLS && !err; c++)
			send_call(p, c, sd->pkt, sd->len, 0);
	}
	if (err)
		return err;
	unsigned f = atomic_load(&r->finished);
	r->round_pkts = 2 * CALLS * depth;
	atomic_store(&r->cmd, CMD_ROUND);
	cmd_wait(r, f);
	for (unsigned d = 0; d < depth; d++)
		read_all(p, false);
	return 0;
}

/* Real time: each call sends every 20 ms, calls spread over 20 slots. */
static int paced_run(struct relay *r, struct phones *p, struct sender *sd)
{
	enum { SLOTS = 20 };
	struct timespec t;
	int err = 0;
	unsigned f = atomic_load(&r->finished);
	p->timed = true;
	atomic_store(&r->cmd, CMD_PACED);
	clock_gettime(CLOCK_MONOTONIC, &t);
	p->ticks = bench_quick() ? 10 : TICKS;
	for (unsigned tick = 0; tick <= p->ticks && !err; tick++) {
		err = sender_next(sd);
		for (int slot = 0; slot < SLOTS && !err; slot++) {
			for (int c = slot; c < PACED; c += SLOTS)
				send_call(p, c, sd->pkt, sd->len, tick);
			ts_add(&t, TICK_NS / SLOTS);
			sleep_until(&t);
		}
		read_all(p, tick == 0);
	}
	ts_add(&t, 3 * TICK_NS);
	sleep_until(&t);
	read_all(p, false);
	atomic_store(&r->cmd, CMD_IDLE);
	cmd_wait(r, f);
	p->timed = false;
	read_all(p, false); /* RTCP and stragglers */
	return err;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static double pct_us(const struct phones *p, unsigned pct)
{
	if (!p->nlat)
		return 0;
	size_t i = p->nlat * pct / 100;
	return (double)p->lat_ns[i < p->nlat ? i : p->nlat - 1] / 1e3;
}

static void lat_print(const char *tag, struct phones *p)
{
	qsort(p->lat_ns, p->nlat, sizeof(*p->lat_ns), cmp_u64);
	printf("relay_paced_%s_latency_p50=%.0f us\n", tag, pct_us(p, 50));
	printf("relay_paced_%s_latency_p99=%.0f us reference=1000 "
	       "ratio=%.2f\n",
	       tag, pct_us(p, 99), pct_us(p, 99) / 1000);
	printf("relay_paced_%s_latency_max=%.0f us\n", tag, pct_us(p, 100));
	printf("relay_paced_%s_delivered=%zu packets expected=%u "
	       "ratio=%.3f\n",
	       tag, p->nlat, PACED * 2 * p->ticks,
	       (double)p->nlat / (PACED * 2 * p->ticks));
}

static void relay_free(struct relay *r, struct phones *p)
{
	for (int c = 0; c < CALLS; c++) {
		for (int s = 0; s < 2; s++) {
			r->legs[c][s].rs = rtp_session_close(r->legs[c][s].rs);
			if (p->fd[c][s] > 0)
				close(p->fd[c][s]);
			if (r->floor_fd[c][s] > 0)
				close(r->floor_fd[c][s]);
		}
	}
	if (r->floor_ep > 0)
		close(r->floor_ep);
	obj_deref(r->batch);
	obj_deref(r->loop);
	free(p->lat_ns);
}

/* Floor socket (c, s): phone s sends to it; it forwards to phone 1-s. */
static int floor_open(struct relay *r, struct phones *p, int c, int s)
{
	struct sockaddr_in *sa = (struct sockaddr_in *)&p->floor_leg[c][s];
	socklen_t sl = sizeof(*sa);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	r->floor_fd[c][s] = fd;
	r->floor_to[c][s] = p->addr[c][s];
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct epoll_event ev = {.events = EPOLLIN,
				 .data.u32 = (uint32_t)(c << 1 | s)};
	if (fd < 0 || bind(fd, (struct sockaddr *)sa, sizeof(*sa)) ||
	    getsockname(fd, (struct sockaddr *)sa, &sl) ||
	    epoll_ctl(r->floor_ep, EPOLL_CTL_ADD, fd, &ev))
		return errno ? errno : EINVAL;
	return 0;
}

static int relay_open(struct relay *r, struct phones *p)
{
	p->lat_ns = calloc((size_t)CALLS * 2 * (TICKS + 1), sizeof(*p->lat_ns));
	r->floor_ep = epoll_create1(EPOLL_CLOEXEC);
	if (r->floor_ep < 0)
		return errno;
	int err = p->lat_ns ? loop_alloc(&r->loop) : ENOMEM;
	if (!err)
		err = rtp_batch_alloc(&r->batch, r->loop, NULL);
	for (int c = 0; c < CALLS && !err; c++) {
		err = phone_open(p, c, 0);
		if (!err)
			err = phone_open(p, c, 1);
		if (!err)
			err = legs_open(r, p, c);
		for (int s = 0; s < 2 && !err; s++)
			err = floor_open(r, p, c, s);
	}
	return err;
}

static void fd_limit(void)
{
	struct rlimit rl;
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void cost_print(const char *tag, double ns)
{
	printf("relay_%s_cost=%.0f ns/packet reference=%.0f ratio=%.2f\n", tag,
	       ns, 1e9 / ref_pps, (1e9 / ref_pps) / ns);
	printf("relay_%s_pps_per_core=%.0f packets/s reference=%.0f "
	       "ratio=%.2f\n",
	       tag, 1e9 / ns, ref_pps, 1e9 / ns / ref_pps);
}

/* Capacity rounds, plain, batched and the floor taking turns in blocks of
 * BLOCK, with @p depth packets waiting per socket (1: steady full load;
 * more: the backlog after a stall). Prints under @p tag; returns the
 * batched cost and the floor's. */
static int capacity(struct relay *r, struct phones *p, struct sender *sd,
		    unsigned depth, const char *tag, double *batched_ns,
		    double *floor_ns)
{
	const int BLOCK = bench_quick() ? 2 : 10,
		  BLOCKS = bench_quick() ? 3 : 9;
	int err = 0;
	struct rtp_batch_stats b0, b1;
	uint64_t got0 = p->got, calls = 0;
	memset(r->cpu_ns, 0, sizeof(r->cpu_ns));
	memset(r->pkts, 0, sizeof(r->pkts));
	for (int blk = 0; blk < BLOCKS && !err; blk++) {
		enum acct acct = (enum acct)(blk % 3);
		err = set_acct(r, p, acct);
		rtp_batch_stats_get(r->batch, &b0);
		for (int i = 0; i < BLOCK && !err; i++)
			err = round_run(r, p, sd, depth);
		rtp_batch_stats_get(r->batch, &b1);
		if (acct == ACCT_BATCHED)
			calls += b1.rx_calls + b1.tx_calls - b0.rx_calls -
				 b0.tx_calls;
	}
	p->to_floor = false;
	if (err)
		return err;
	uint64_t sent = (uint64_t)(BLOCK * BLOCKS) * 2 * CALLS * depth;
	double ns[3];
	for (int a = 0; a < 3; a++)
		ns[a] = (double)r->cpu_ns[a] / (double)r->pkts[a];
	static const char *const cls[3] = {"unbatched", "batched", "floor"};
	char name[64];
	for (int a = 0; a < 3; a++) {
		snprintf(name, sizeof(name), "%s%s", tag, cls[a]);
		cost_print(name, ns[a]);
	}
	printf("relay_%sbatched_vs_unbatched=%.2f cost ratio\n", tag,
	       ns[ACCT_BATCHED] / ns[ACCT_PLAIN]);
	printf("relay_%sbatched_vs_floor=%.2f cost ratio (floor: same "
	       "sockets, epoll + recvfrom + sendto, no RTP/SRTP work)\n",
	       tag, ns[ACCT_BATCHED] / ns[ACCT_FLOOR]);
	/* unbatched: per socket depth recvfrom + 1 failing + depth sendto */
	double sys = (double)calls / (double)r->pkts[ACCT_BATCHED];
	double ref = (2.0 * depth + 1) / depth;
	printf("relay_%sbatched_syscalls=%.2f per packet reference=%.2f "
	       "ratio=%.2f (recvmmsg+sendmmsg vs recvfrom+sendto)\n",
	       tag, sys, ref, sys / ref);
	printf("relay_%sdelivered=%llu packets expected=%llu ratio=%.3f\n", tag,
	       (unsigned long long)(p->got - got0), (unsigned long long)sent,
	       (double)(p->got - got0) / (double)sent);
	*batched_ns = ns[ACCT_BATCHED];
	*floor_ns = ns[ACCT_FLOOR];
	return 0;
}

void bench_relay(struct media_bench *mb)
{
	struct relay *r = calloc(1, sizeof(*r));
	struct phones *p = calloc(1, sizeof(*p));
	struct sender sd = {0};
	pthread_t th;
	bool started = false;
	int err = r && p ? 0 : ENOMEM;
	fd_limit();
	printf("relay_calls=%d calls (paced run: %d; 20 ms G.711, SRTP "
	       "AES_CM_128_HMAC_SHA1_80, %s backend)\n",
	       CALLS, PACED,
	       srtpx_backend_for(SRTPX_AES_CM_128_HMAC_SHA1_80) ==
		       SRTPX_BACKEND_OPENSSL
		   ? "OpenSSL"
		   : "libsrtp2");
	if (!err)
		err = relay_open(r, p);
	for (int s = 0; s < 2 && !err; s++) {
		uint8_t k[30];
		key(k, (uint8_t)(10 + s));
		err = srtpx_ctx_alloc(&sd.tx[s], SRTPX_AES_CM_128_HMAC_SHA1_80,
				      k, 30, SRTPX_TX);
	}
	if (!err)
		err = pthread_create(&th, NULL, relay_main, r);
	started = !err;
	if (started)
		pthread_setname_np(th, "relay");
	double ns = 0, ns4 = 0, fl = 0, fl4 = 0;
	if (!err)
		err = capacity(r, p, &sd, 1, "", &ns, &fl);
	if (!err)
		err = capacity(r, p, &sd, 4, "backlog4_", &ns4, &fl4);
	mb->relay_pkt_ns = ns;
	mb->relay_floor_ns = fl;
	if (!err)
		err = set_batched(r, false);
	if (!err)
		err = paced_run(r, p, &sd);
	if (!err)
		lat_print("unbatched", p);
	p->nlat = 0;
	memset(p->based, 0, sizeof(p->based));
	if (!err)
		err = set_batched(r, true);
	if (!err)
		err = paced_run(r, p, &sd);
	if (!err) {
		lat_print("batched", p);
		mb->relay_p99_us = pct_us(p, 99);
	}
	if (started) {
		atomic_store(&r->cmd, CMD_QUIT);
		pthread_join(th, NULL);
	}
	if (err)
		printf("relay=error %s\n", strerror(err));
	obj_deref(sd.tx[0]);
	obj_deref(sd.tx[1]);
	if (r && p)
		relay_free(r, p);
	free(r);
	free(p);
}
