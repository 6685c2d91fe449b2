/* register.c: `phonebox register URI ...`: register an account, print status.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/loop.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "ua/reg/reg.h"
#include "ua/stack/resolve.h"
#include "ua/stack/stack.h"
#include "ua/stack/stacktp.h"

struct regcmd {
	struct loop *loop; /**< event loop                     */
	bool once;	   /**< stop after the first result    */
	bool done;	   /**< leave the loop                 */
	bool ever_ok;	   /**< registered at least once       */
	bool failed;	   /**< permanent failure              */
	struct reg *reg;   /**< the account                    */
	const char *ca;	   /**< --ca: CA file for TLS          */
};

static volatile sig_atomic_t regcmd_sig;

static void on_signal(int sig)
{
	regcmd_sig = sig;
}

static void ev_h(const struct reg_event *ev, void *arg)
{
	struct regcmd *c = arg;

	switch (ev->state) {
	case REG_REGISTERED:
		printf("registered %s expires=%u\n", ev->aor, ev->expires);
		c->ever_ok = true;
		if (c->once)
			(void)reg_stop(c->reg);
		break;
	case REG_FAILED:
		if (!strncmp(ev->reason, "wrong password", 14))
			printf("failed %u wrong password\n", ev->scode);
		else
			printf("failed %u %s\n", ev->scode, ev->reason);
		c->failed = true;
		c->done = true;
		break;
	case REG_RETRYING:
		printf("retrying in %u s (%s)\n", ev->retry_in, ev->reason);
		if (c->once) {
			c->failed = true;
			c->done = true;
		}
		break;
	case REG_UNREGISTERED:
		printf("unregistered %s\n", ev->aor);
		c->done = true;
		break;
	}
	fflush(stdout);
}

/* the local address (IPv4 or IPv6) the kernel would use to reach @p dst */
static int local_ip(const struct tsx_addr *dst, char *ip, size_t size)
{
	struct sa la;
	socklen_t len = sizeof(la.u.ss);
	int fd = socket(dst->sa.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int err = 0;

	if (fd < 0)
		return errno;
	if (connect(fd, (const struct sockaddr *)&dst->sa,
		    dst->sa.ss_family == AF_INET6
			? sizeof(struct sockaddr_in6)
			: sizeof(struct sockaddr_in)) ||
	    getsockname(fd, &la.u.sa, &len))
		err = errno;
	close(fd);
	if (err)
		return err;
	la.len = len;
	if (!sa_isset(&la))
		return EAFNOSUPPORT;
	sa_print_ip(&la, ip, size);
	return 0;
}

/* the registrar's address, to pick our own IP; before the loop runs,
   so a name may be looked up here (reg looks it up again on the loop) */
static int uri_dst(const struct sip_uri *u, struct tsx_addr *dst)
{
	char why[RESOLVE_REASON_MAX];
	int err = stack_uri_dst(u, dst);

	if (err != ENOTSUP || !dst->host[0])
		return err;
	err = resolve_getaddrinfo(dst->host, &dst->sa, why, sizeof(why), NULL);
	if (err && !resolve_sip_srv_addr(dst->host, &dst->sa))
		err = 0; /* a domain with SIP SRV records only */
	if (err) {
		fprintf(stderr, "phonebox register: cannot resolve %s: %s\n",
			dst->host, why);
		return err;
	}
	/* any port: only the route to the host matters */
	if (dst->sa.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&dst->sa)->sin6_port = htons(5060);
	else
		((struct sockaddr_in *)&dst->sa)->sin_port = htons(5060);
	return 0;
}

static void conn_lost(struct stack *st, const struct tsx_addr *peer, int err,
		      const char *reason, void *arg)
{
	struct regcmd *c = arg;

	(void)st;
	(void)peer;
	(void)err;
	if (c->reg && reg_transport(c->reg) != TSX_TP_UDP) {
		printf("connection lost (%s)\n", reason ? reason : "");
		reg_transport_lost(c->reg);
	}
}

static const struct stack_handlers regcmd_stack_h = {NULL, conn_lost};

static int rm_entry(const char *path, const struct stat *sb, int flag,
		    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* transports on @p ip: UDP and TCP, and TLS (with a throw-away
   self-signed certificate for the listener) when @p tls */
static int open_tp(struct regcmd *c, struct stack *st, struct tp **tpp,
		   const char *ip, bool tls, char *tlsdir)
{
	struct tp_opts to;
	struct sa la;
	int err;

	tp_opts_default(&to);
	to.tls.ca_file = c->ca;
	if (tls) {
		/* mkdtemp() template: the prefix and six 'X' */
		strcpy(tlsdir, "/tmp/phonebox-tls.");
		memset(tlsdir + strlen(tlsdir), 'X', 6);
		tlsdir[strlen("/tmp/phonebox-tls.") + 6] = '\0';
		if (!mkdtemp(tlsdir)) {
			tlsdir[0] = '\0';
			return errno;
		}
		to.tls.data_dir = tlsdir;
	}
	err = tp_alloc(tpp, c->loop, &to, &stack_tp_handlers, st);
	if (!err)
		err = sa_set(&la, ip, 0);
	if (!err)
		err =
		    tp_listen(*tpp, TP_UDP | TP_TCP | (tls ? TP_TLS : 0), &la);
	if (!err)
		err = stack_tp_attach(st, *tpp);
	return err;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: phonebox register URI [--password P] [--user U] "
		"[--expires N]\n"
		"       [--ruri-params P] [--ca FILE] [--once | --hold S]\n");
}

static int parse(int argc, char **argv, struct reg_opts *o, bool *once,
		 long *hold, const char **ca)
{
	static const struct option lo[] = {
	    {"password", required_argument, NULL, 'p'},
	    {"user", required_argument, NULL, 'u'},
	    {"expires", required_argument, NULL, 'e'},
	    {"ruri-params", required_argument, NULL, 'r'},
	    {"ca", required_argument, NULL, 'c'},
	    {"once", no_argument, NULL, 'o'},
	    {"hold", required_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'p':
			o->password = optarg;
			break;
		case 'u':
			o->user = optarg;
			break;
		case 'e':
			o->expires = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 'r':
			o->ruri_params = optarg;
			break;
		case 'c':
			*ca = optarg;
			break;
		case 'o':
			*once = true;
			break;
		case 'h':
			*hold = strtol(optarg, NULL, 10);
			break;
		default:
			return EINVAL;
		}
	}
	if (optind != argc - 1)
		return EINVAL;
	o->aor = argv[optind];
	return 0;
}

static int run(struct regcmd *c, struct stack *st, long hold)
{
	uint64_t end = loop_now(c->loop) + (uint64_t)hold * 1000;
	bool stopping = false;
	int err = reg_start(c->reg);

	(void)st;
	while (!err && !c->done) {
		loop_poll(c->loop, 200);
		if (!stopping &&
		    (regcmd_sig || (!c->once && loop_now(c->loop) >= end))) {
			stopping = true;
			if (reg_stop(c->reg) == EALREADY)
				break;
		}
	}
	return err;
}

/** `phonebox register`: see usage(). */
int cli_register(int argc, char **argv)
{
	struct regcmd c = {0};
	struct reg_opts o;
	struct stack *st = NULL;
	struct tp *tp = NULL;
	char tlsdir[64] = "";
	struct tsx_addr dst;
	struct sip_uri u;
	struct pl pl;
	char ip[64];
	long hold = 0;
	int err;

	reg_opts_default(&o);
	c.once = false;
	if (parse(argc, argv, &o, &c.once, &hold, &c.ca)) {
		usage();
		return 2;
	}
	if (!hold)
		c.once = true;
	pl = pl_from_str(o.aor);
	if (sip_uri_decode(&u, &pl) || uri_dst(&u, &dst)) {
		fprintf(stderr,
			"phonebox register: bad or unsupported URI %s "
			"(need sip:user@host[:port])\n",
			o.aor);
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	err = loop_alloc(&c.loop);
	if (!err)
		err = local_ip(&dst, ip, sizeof(ip));
	if (!err)
		err = stack_alloc(&st, c.loop, NULL, &regcmd_stack_h, &c);
	if (!err)
		err = open_tp(&c, st, &tp, ip, dst.tp == TSX_TP_TLS, tlsdir);
	if (!err)
		err = reg_alloc(&c.reg, st, &o, ev_h, &c);
	if (err == ENOTSUP)
		fprintf(stderr,
			"phonebox register: transport of %s is not "
			"available\n",
			o.aor);
	else if (err)
		fprintf(stderr, "phonebox register: %s\n", strerror(err));
	if (!err)
		err = run(&c, st, hold);
	c.reg = obj_deref(c.reg);
	tp = obj_deref(tp); /* may report closes to the stack */
	obj_deref(st);
	obj_deref(c.loop);
	if (*tlsdir)
		nftw(tlsdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	if (err)
		return 2;
	return c.ever_ok && !c.failed ? 0 : 1;
}
