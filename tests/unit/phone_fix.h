/* phone_fix.h: fixtures for the phone core tests: phones on 127.0.0.1,
 * an event log per phone, a raw UDP SIP peer, a temp dir. */
#ifndef PB_TESTS_PHONE_FIX_H
#define PB_TESTS_PHONE_FIX_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/loop.h"
#include "base/mem.h"
#include "harness.h"
#include "mock/tmpdir.h"
#include "ua/phone/phone.h"

enum { PF_MAX_EV = 256 };

struct pf_ev {
	enum phone_ev_kind kind;
	unsigned call;
	uint16_t scode;
	char cause[16];
	char codec[16];
	char suite[40];
	char digit;
	char reason[128];
	char target[160];
	char peer[160];
	char fwd[80]; /**< FORWARDED: "from>to" */
	bool outgoing;
};

/** One phone and what it reported. */
struct pf_phone {
	struct phone *p;
	const char *name;
	struct pf_ev ev[PF_MAX_EV];
	size_t nev;
	char seq[1024];	   /**< "incoming answered ended" ...     */
	struct buf *trace; /**< all TRACE texts when enabled      */
	int auto_hangup;   /**< hang up call N on ANSWERED (0 off) */
};

static void pf_evh(const struct phone_event *ev, void *arg)
{
	struct pf_phone *f = arg;
	struct pf_ev *e;

	if (ev->kind == PHONE_EV_TRACE) {
		if (f->trace)
			(void)buf_write_str(f->trace, ev->text);
		return;
	}
	if (f->nev >= PF_MAX_EV)
		return;
	e = &f->ev[f->nev++];
	memset(e, 0, sizeof(*e));
	e->kind = ev->kind;
	e->call = ev->call;
	e->scode = ev->scode;
	e->digit = ev->digit;
	snprintf(e->cause, sizeof(e->cause), "%s", ev->cause ? ev->cause : "");
	snprintf(e->codec, sizeof(e->codec), "%s", ev->codec ? ev->codec : "");
	snprintf(e->suite, sizeof(e->suite), "%s", ev->suite ? ev->suite : "");
	snprintf(e->reason, sizeof(e->reason), "%s",
		 ev->reason ? ev->reason : "");
	snprintf(e->target, sizeof(e->target), "%s",
		 ev->target ? ev->target : "");
	snprintf(e->peer, sizeof(e->peer), "%s", ev->peer ? ev->peer : "");
	if (ev->kind == PHONE_EV_FORWARDED)
		snprintf(e->fwd, sizeof(e->fwd), "%s>%s",
			 ev->fwd_from ? ev->fwd_from : "",
			 ev->fwd_to ? ev->fwd_to : "");
	if (strlen(f->seq) + 20 < sizeof(f->seq)) {
		if (f->seq[0])
			strcat(f->seq, " ");
		strcat(f->seq, phone_ev_name(ev->kind));
	}
}

/** Number of events of @p kind (for call @p call, 0 = any). */
static inline int pf_count(const struct pf_phone *f, enum phone_ev_kind kind,
			   unsigned call)
{
	int n = 0;

	for (size_t i = 0; i < f->nev; i++)
		if (f->ev[i].kind == kind && (!call || f->ev[i].call == call))
			n++;
	return n;
}

/** Last event of @p kind, or NULL. */
static inline const struct pf_ev *pf_last(const struct pf_phone *f,
					  enum phone_ev_kind kind)
{
	for (size_t i = f->nev; i > 0; i--)
		if (f->ev[i - 1].kind == kind)
			return &f->ev[i - 1];
	return NULL;
}

struct pf {
	struct loop *loop;
	char dir[64];
};

static inline int pf_init(struct pf *x)
{
	int err;

	memset(x, 0, sizeof(*x));
	err = tmpdir_make(x->dir, sizeof(x->dir), "pb-phone");
	return err ? err : loop_alloc(&x->loop);
}

static inline void pf_close(struct pf *x)
{
	x->loop = obj_deref(x->loop);
	tmpdir_remove(x->dir);
}

/** Path of @p name in the temp dir. */
static inline const char *pf_path(const struct pf *x, const char *name,
				  char *buf, size_t n)
{
	snprintf(buf, n, "%s/%s", x->dir, name);
	return buf;
}

/** Options for a test phone: UDP/TCP/TLS on 127.0.0.1, null audio. */
static inline void pf_opts(const struct pf *x, struct phone_opts *o)
{
	static char certdir[96];

	phone_opts_default(o);
	o->listen[0] = "udp:127.0.0.1:0";
	o->listen[1] = "tcp:127.0.0.1:0";
	o->nlisten = 2;
	snprintf(certdir, sizeof(certdir), "%s/cert", x->dir);
	o->cert_dir = certdir;
	o->audio = AUDEV_NULL;
	o->media_addr = "127.0.0.1";
}

static inline int pf_phone_open(struct pf *x, struct pf_phone *f,
				const char *name, const struct phone_opts *o)
{
	char err[200];
	int e;

	memset(f, 0, sizeof(*f));
	f->name = name;
	e = phone_alloc(&f->p, x->loop, o, pf_evh, f, err, sizeof(err));
	if (e)
		fprintf(stderr, "phone_alloc %s: %s\n", name, err);
	return e;
}

static inline void pf_phone_close(struct pf_phone *f)
{
	f->p = phone_free(f->p);
	f->trace = obj_deref(f->trace);
}

/** Set up @p x and phone "a" with pf_opts(), which stay in @p o. */
static inline int pf_open_a(struct pf *x, struct pf_phone *a,
			    struct phone_opts *o)
{
	int err = pf_init(x);

	if (err)
		return err;
	pf_opts(x, o);
	return pf_phone_open(x, a, "a", o);
}

/**
 * Set up @p x with phones "a" (answers at once) and "b" (does not), both
 * with pf_opts(); with @p b_trace B keeps a SIP trace in b->trace.
 */
static inline int pf_open_pair(struct pf *x, struct pf_phone *a,
			       struct pf_phone *b, bool b_trace)
{
	struct phone_opts o;
	int err = pf_open_a(x, a, &o);

	o.auto_answer = 0;
	o.sip_trace = b_trace;
	if (!err)
		err = pf_phone_open(x, b, "b", &o);
	if (!err && b_trace)
		err = buf_alloc(&b->trace, 8192);
	return err;
}

/** Free what pf_open_pair() set up. */
static inline void pf_close_pair(struct pf *x, struct pf_phone *a,
				 struct pf_phone *b)
{
	pf_phone_close(a);
	pf_phone_close(b);
	pf_close(x);
}

typedef bool(pf_cond_h)(void *arg);

/** Run the loop until @p cond holds or @p ms pass. */
static inline bool pf_run(struct pf *x, pf_cond_h *cond, void *arg, unsigned ms)
{
	uint64_t end = loop_now(x->loop) + ms;

	while (!cond(arg)) {
		if (loop_now(x->loop) >= end)
			return false;
		loop_poll(x->loop, 5);
	}
	return true;
}

/** Run the loop for @p ms (media flowing, nothing to wait for). */
static inline void pf_spin(struct pf *x, unsigned ms)
{
	uint64_t end = loop_now(x->loop) + ms;

	while (loop_now(x->loop) < end)
		loop_poll(x->loop, 5);
}

/* ---- a raw UDP SIP peer ---- */

struct pf_raw {
	int fd;
	uint16_t port;
	char rx[8192];
	struct sockaddr_in src; /**< sender of rx */
};

static inline int pf_raw_open(struct pf_raw *r)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (r->fd < 0 || bind(r->fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(r->fd, (struct sockaddr *)&a, &len))
		return errno;
	r->port = ntohs(a.sin_port);
	return 0;
}

static inline void pf_raw_close(struct pf_raw *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

/** Set up @p x with phone "a" (pf_opts()) and the raw peer @p r. */
static inline int pf_open_raw(struct pf *x, struct pf_phone *a,
			      struct pf_raw *r)
{
	struct phone_opts o;
	int err = pf_open_a(x, a, &o);

	return err ? err : pf_raw_open(r);
}

/** Free what pf_open_raw() set up. */
static inline void pf_close_raw(struct pf *x, struct pf_phone *a,
				struct pf_raw *r)
{
	pf_raw_close(r);
	pf_phone_close(a);
	pf_close(x);
}

/** Send @p text to "ip:port" @p hp. */
static inline int pf_raw_send(struct pf_raw *r, const char *hp,
			      const char *text)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	char ip[32];
	const char *colon = strchr(hp, ':');

	if (!colon || (size_t)(colon - hp) >= sizeof(ip))
		return EINVAL;
	memcpy(ip, hp, (size_t)(colon - hp));
	ip[colon - hp] = '\0';
	inet_pton(AF_INET, ip, &a.sin_addr);
	a.sin_port = htons((uint16_t)atoi(colon + 1));
	if (sendto(r->fd, text, strlen(text), 0, (struct sockaddr *)&a,
		   sizeof(a)) < 0)
		return errno;
	return 0;
}

struct pf_rawwait {
	struct pf_raw *r;
	const char *want; /**< prefix of the datagram waited for */
};

static bool pf_raw_got(void *arg)
{
	struct pf_rawwait *w = arg;
	ssize_t n;

	for (;;) {
		socklen_t sl = sizeof(w->r->src);

		n = recvfrom(w->r->fd, w->r->rx, sizeof(w->r->rx) - 1, 0,
			     (struct sockaddr *)&w->r->src, &sl);
		if (n < 0)
			return false;
		w->r->rx[n] = '\0';
		if (!strncmp(w->r->rx, w->want, strlen(w->want)))
			return true;
	}
}

/** Run the loop until a datagram starting with @p prefix arrives. */
static inline bool pf_raw_wait(struct pf *x, struct pf_raw *r,
			       const char *prefix, unsigned ms)
{
	struct pf_rawwait w = {r, prefix};

	return pf_run(x, pf_raw_got, &w, ms);
}

/** Value of header @p name in the last received datagram, or "". */
static inline const char *pf_raw_hdr(const struct pf_raw *r, const char *name,
				     char *out, size_t n)
{
	const char *p = r->rx;
	size_t l = strlen(name);

	*out = '\0';
	while ((p = strstr(p, "\r\n"))) {
		p += 2;
		if (!strncasecmp(p, name, l) && p[l] == ':') {
			const char *v = p + l + 1, *e;

			while (*v == ' ')
				v++;
			e = strstr(v, "\r\n");
			snprintf(out, n, "%.*s", (int)(e ? e - v : 0), v);
			break;
		}
	}
	return out;
}

/**
 * Answer the request in r->rx: "SIP/2.0 @p status", its Via, From, To
 * (with ;tag=@p totag when given), Call-ID and CSeq lines, @p hdrs.
 */
static inline int pf_raw_reply(struct pf_raw *r, const char *status,
			       const char *totag, const char *hdrs)
{
	static const char *const copy[] = {"Via", "From", "To", "Call-ID",
					   "CSeq"};
	char out[4096];
	size_t n = 0, i;

	n += (size_t)snprintf(out + n, sizeof(out) - n, "SIP/2.0 %s\r\n",
			      status);
	for (i = 0; i < sizeof(copy) / sizeof(copy[0]); i++) {
		const char *p = r->rx;
		size_t l = strlen(copy[i]);

		while ((p = strstr(p, "\r\n"))) {
			const char *e;

			p += 2;
			if (strncasecmp(p, copy[i], l) || p[l] != ':')
				continue;
			e = strstr(p, "\r\n");
			n += (size_t)snprintf(out + n, sizeof(out) - n,
					      "%.*s%s%s\r\n", (int)(e - p), p,
					      i == 2 && totag ? ";tag=" : "",
					      i == 2 && totag ? totag : "");
		}
	}
	n += (size_t)snprintf(out + n, sizeof(out) - n,
			      "%sContent-Length: 0\r\n\r\n", hdrs ? hdrs : "");
	if (n >= sizeof(out))
		return ENOSPC;
	if (sendto(r->fd, out, n, 0, (struct sockaddr *)&r->src,
		   sizeof(r->src)) < 0)
		return errno;
	return 0;
}

#endif
