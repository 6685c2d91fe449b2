/* test_resolve.c: host name lookups (worker thread, answers on the loop),
 * and registration / TLS to a registrar named by host name. */
#include <errno.h>
#include <ftw.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <time.h>

#include "base/loop.h"
#include "harness.h"
#include "mock/registrar.h"
#include "ua/reg/reg.h"
#include "ua/stack/resolve.h"
#include "ua/stack/stack.h"
#include "ua/stack/stacktp.h"

static void nap_ms(long ms)
{
	struct timespec ts = {0, ms * 1000000L};

	nanosleep(&ts, NULL);
}

/* the test's "DNS": *.test names on loopback after a delay (on the
   worker: a slow server); "slow.test" takes longer than the timeout */
static _Atomic int nlookups; /* lookups done by test_lookup() */

static int test_lookup(const char *host, struct sockaddr_storage *sa,
		       char *reason, size_t rsize, void *arg)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)sa;

	(void)arg;
	nlookups++;
	nap_ms(!strcmp(host, "slow.test") ? 300 : 20);
	if (strcmp(host, "pbx.test") && strcmp(host, "slow.test")) {
		snprintf(reason, rsize, "Name or service not known");
		return ENOENT;
	}
	memset(sa, 0, sizeof(*sa));
	s4->sin_family = AF_INET;
	s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return 0;
}

struct ans {
	int n, err;
	struct sockaddr_storage sa;
	char reason[128];
};

static void ans_h(int err, const struct sockaddr_storage *sa,
		  const char *reason, void *arg)
{
	struct ans *a = arg;

	a->n++;
	a->err = err;
	if (sa)
		a->sa = *sa;
	snprintf(a->reason, sizeof(a->reason), "%s", reason);
}

static void poll_until(struct loop *l, const int *n, int want)
{
	for (int i = 0; i < 300 && *n < want; i++)
		loop_poll(l, 10);
}

static struct resolver *test_resolver(struct loop *l, uint32_t timeout)
{
	struct resolve_opts o;
	struct resolver *res = NULL;

	resolve_opts_default(&o);
	o.lookh = test_lookup;
	o.timeout_ms = timeout;
	if (resolver_alloc(&res, l, &o))
		return NULL;
	return res;
}

static void test_resolve_answers_on_loop(void)
{
	struct loop *l = NULL;
	struct resolver *res;
	struct resolve_query *q1 = NULL, *q2 = NULL;
	struct ans a1 = {0}, a2 = {0};

	REQUIRE(!loop_alloc(&l));
	res = test_resolver(l, 5000);
	REQUIRE(res);
	REQUIRE(!resolve_query(&q1, res, "pbx.test", ans_h, &a1));
	REQUIRE(!resolve_query(&q2, res, "nowhere.test", ans_h, &a2));
	CHECK_EQ_INT(a1.n, 0); /* never from inside the call */
	poll_until(l, &a2.n, 1);
	CHECK_EQ_INT(a1.n, 1);
	CHECK_EQ_INT(a1.err, 0);
	CHECK_EQ_INT(a1.sa.ss_family, AF_INET);
	CHECK_EQ_INT(a2.n, 1);
	CHECK_EQ_INT(a2.err, ENOENT);
	CHECK_EQ_STR(a2.reason, "Name or service not known");
	obj_deref(q1);
	obj_deref(q2);
	obj_deref(res);
	CHECK_EQ_INT(loop_fd_count(l), 0);
	obj_deref(l);
}

static void test_resolve_cancel_and_free_while_pending(void)
{
	struct loop *l = NULL;
	struct resolver *res;
	struct resolve_query *q1 = NULL, *q2 = NULL;
	struct ans a1 = {0}, a2 = {0};

	REQUIRE(!loop_alloc(&l));
	res = test_resolver(l, 5000);
	REQUIRE(res);
	REQUIRE(!resolve_query(&q1, res, "pbx.test", ans_h, &a1));
	REQUIRE(!resolve_query(&q2, res, "pbx.test", ans_h, &a2));
	obj_deref(q1); /* the requester went away */
	poll_until(l, &a2.n, 1);
	CHECK_EQ_INT(a1.n, 0);
	CHECK_EQ_INT(a2.n, 1);
	obj_deref(q2);
	/* the resolver goes away with a lookup on the worker and one queued */
	REQUIRE(!resolve_query(&q1, res, "pbx.test", ans_h, &a1));
	REQUIRE(!resolve_query(&q2, res, "pbx.test", ans_h, &a2));
	obj_deref(res);
	for (int i = 0; i < 5; i++)
		loop_poll(l, 10);
	CHECK_EQ_INT(a1.n, 0);
	obj_deref(q1);
	obj_deref(q2);
	CHECK_EQ_INT(loop_fd_count(l), 0);
	obj_deref(l);
}

static void test_resolve_timeout(void)
{
	struct loop *l = NULL;
	struct resolver *res;
	struct resolve_query *q = NULL;
	struct ans a = {0};

	REQUIRE(!loop_alloc(&l));
	res = test_resolver(l, 50);
	REQUIRE(res);
	REQUIRE(!resolve_query(&q, res, "slow.test", ans_h, &a));
	poll_until(l, &a.n, 1);
	CHECK_EQ_INT(a.n, 1);
	CHECK_EQ_INT(a.err, ETIMEDOUT);
	/* the late answer is dropped */
	for (int i = 0; i < 40; i++)
		loop_poll(l, 10);
	CHECK_EQ_INT(a.n, 1);
	obj_deref(q);
	obj_deref(res);
	obj_deref(l);
}

static void test_resolve_getaddrinfo_localhost(void)
{
	struct sockaddr_storage sa;
	char reason[96] = "";

	CHECK_EQ_INT(
	    resolve_getaddrinfo("localhost", &sa, reason, sizeof(reason), NULL),
	    0);
	CHECK(sa.ss_family == AF_INET || sa.ss_family == AF_INET6);
	CHECK_EQ_INT(resolve_query(NULL, NULL, "x", ans_h, NULL), EINVAL);
}

/* --- registration to a named registrar over real sockets --- */

struct side {
	struct stack *st;
	struct tp *tp;
};

struct sfix {
	struct loop *loop;
	struct side ua, srv;
	struct mockreg mr;
	char dir[64], ca_crt[96], ca_key[96], crt[96], key[96];
	int nreg, nfail, nretry;
	char reason[160];
};

static void srv_reqh(struct stack *st, const struct sip_msg *msg,
		     const struct tsx_addr *src, void *arg)
{
	struct sfix *f = arg;

	mockreg_handle(&f->mr, stack_tsx(st), msg, src);
}

static const struct stack_handlers srv_h = {srv_reqh, NULL};

static void ev_h(const struct reg_event *ev, void *arg)
{
	struct sfix *f = arg;

	f->nreg += ev->state == REG_REGISTERED;
	f->nfail += ev->state == REG_FAILED;
	f->nretry += ev->state == REG_RETRYING;
	snprintf(f->reason, sizeof(f->reason), "%s", ev->reason);
}

static int side_open(struct sfix *f, struct side *s,
		     const struct stack_handlers *h, const struct tp_opts *to)
{
	struct resolve_opts ro;
	struct sa la;
	int err = stack_alloc(&s->st, f->loop, NULL, h, f);

	resolve_opts_default(&ro);
	ro.lookh = test_lookup;
	if (!err)
		err = stack_set_resolve_opts(s->st, &ro);
	if (!err)
		err = tp_alloc(&s->tp, f->loop, to, &stack_tp_handlers, s->st);
	if (!err)
		err = sa_set(&la, "127.0.0.1", 0);
	if (!err)
		err = tp_listen(s->tp, TP_UDP | TP_TLS, &la);
	if (!err)
		err = stack_tp_attach(s->st, s->tp);
	return err;
}

/* CA + server certificate for @p san (no IP: only a name verifies) */
static int make_certs(struct sfix *f, const char *san)
{
	struct tls_cert_req ca = {.cn = "Test CA",
				  .not_before = -60,
				  .not_after = 86400,
				  .is_ca = true};
	struct tls_cert_req srv = {.cn = "server",
				   .san = san,
				   .not_before = -60,
				   .not_after = 86400,
				   .issuer_cert = f->ca_crt,
				   .issuer_key = f->ca_key};
	int err;

	snprintf(f->ca_crt, sizeof(f->ca_crt), "%s/ca.pem", f->dir);
	snprintf(f->ca_key, sizeof(f->ca_key), "%s/ca.key", f->dir);
	snprintf(f->crt, sizeof(f->crt), "%s/srv.pem", f->dir);
	snprintf(f->key, sizeof(f->key), "%s/srv.key", f->dir);
	err = tls_cert_make(&ca, f->ca_crt, f->ca_key);
	return err ? err : tls_cert_make(&srv, f->crt, f->key);
}

static int sfix_init(struct sfix *f, const char *san)
{
	struct mockreg_opts mo = {.max_expires = 120};
	struct tp_opts to;
	int err;

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/pb-resolve.XXXXXX");
	if (!mkdtemp(f->dir))
		return errno;
	err = make_certs(f, san);
	if (err)
		return err;
	mockreg_init(&f->mr, &mo);
	err = loop_alloc(&f->loop);
	if (err)
		return err;
	tp_opts_default(&to);
	to.tls.cert_file = f->crt;
	to.tls.key_file = f->key;
	err = side_open(f, &f->srv, &srv_h, &to);
	if (err)
		return err;
	to.tls.ca_file = f->ca_crt; /* verification on, by name */
	return side_open(f, &f->ua, NULL, &to);
}

static int rm_entry(const char *p, const struct stat *sb, int fl,
		    struct FTW *ftw)
{
	(void)sb;
	(void)fl;
	(void)ftw;
	return remove(p);
}

static void sfix_close(struct sfix *f)
{
	f->ua.tp = obj_deref(f->ua.tp);
	f->ua.st = obj_deref(f->ua.st);
	f->srv.tp = obj_deref(f->srv.tp);
	f->srv.st = obj_deref(f->srv.st);
	f->loop = obj_deref(f->loop);
	nftw(f->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static uint16_t srv_port(struct sfix *f, enum tp_type type)
{
	struct sa la;

	if (tp_laddr(f->srv.tp, type, AF_INET, &la))
		return 0;
	return sa_port(&la);
}

static struct reg *reg_to(struct sfix *f, const char *fmt, uint16_t port)
{
	struct reg_opts o;
	struct reg *r = NULL;
	char aor[128];

	snprintf(aor, sizeof(aor), fmt, port);
	reg_opts_default(&o);
	o.aor = aor;
	if (reg_alloc(&r, f->ua.st, &o, ev_h, f) || reg_start(r)) {
		obj_deref(r);
		return NULL;
	}
	return r;
}

static void test_register_to_named_registrar(void)
{
	struct sfix f;
	struct reg *r;

	REQUIRE(!sfix_init(&f, "DNS:pbx.test"));
	r = reg_to(&f, "sip:alice@pbx.test:%u", srv_port(&f, TP_UDP));
	REQUIRE(r);
	CHECK_EQ_INT(f.mr.nregister, 0); /* waits for the lookup */
	poll_until(f.loop, &f.nreg, 1);
	CHECK_EQ_INT(f.nreg, 1);
	CHECK_EQ_INT(f.nfail + f.nretry, 0);
	CHECK(f.mr.contact[0] != '\0');
	/* a second account on the same registrar: the name is cached */
	int n0 = nlookups;
	struct reg *r2 =
	    reg_to(&f, "sip:alice@pbx.test:%u", srv_port(&f, TP_UDP));
	REQUIRE(r2);
	poll_until(f.loop, &f.nreg, 2);
	CHECK_EQ_INT(f.nreg, 2);
	CHECK_EQ_INT(nlookups, n0);
	obj_deref(r2);
	obj_deref(r);
	sfix_close(&f);
}

static void test_register_unknown_name_fails(void)
{
	struct sfix f;
	struct reg *r;

	REQUIRE(!sfix_init(&f, "DNS:pbx.test"));
	r = reg_to(&f, "sip:alice@nowhere.test:%u", 5060);
	REQUIRE(r);
	poll_until(f.loop, &f.nfail, 1);
	CHECK_EQ_INT(f.nfail, 1);
	CHECK_EQ_INT(f.nreg, 0);
	CHECK_EQ_STR(f.reason,
		     "cannot resolve nowhere.test: Name or service not known");
	CHECK_EQ_INT(f.mr.nregister, 0);
	obj_deref(r);
	sfix_close(&f);
}

static void test_register_freed_while_lookup_pending(void)
{
	struct sfix f;
	struct reg *r;

	REQUIRE(!sfix_init(&f, "DNS:pbx.test"));
	r = reg_to(&f, "sip:alice@pbx.test:%u", srv_port(&f, TP_UDP));
	REQUIRE(r);
	obj_deref(r); /* the answer must not reach the freed reg */
	for (int i = 0; i < 10; i++)
		loop_poll(f.loop, 10);
	CHECK_EQ_INT(f.nreg + f.nfail + f.nretry, 0);
	CHECK_EQ_INT(f.mr.nregister, 0);
	/* and the stack goes while a lookup is on the worker */
	r = reg_to(&f, "sip:alice@pbx.test:%u", srv_port(&f, TP_UDP));
	REQUIRE(r);
	obj_deref(r);
	sfix_close(&f);
}

/* TLS by name: the certificate names only the host (no IP), so it
   verifies only when the stack passes the name (SNI + host check) */
static void tls_register_by_name(const char *san, const char *fmt, int nreg,
				 const char *want)
{
	struct sfix f;
	struct reg *r;
	int i;

	REQUIRE(!sfix_init(&f, san));
	r = reg_to(&f, fmt, srv_port(&f, TP_TLS));
	REQUIRE(r);
	for (i = 0; i < 300 && !f.nreg && !f.nretry && !f.nfail; i++)
		loop_poll(f.loop, 10);
	CHECK_EQ_INT(f.nreg, nreg);
	if (want && !strstr(f.reason, want)) {
		fprintf(stderr, "reason '%s' lacks '%s'\n", f.reason, want);
		CHECK(0);
	}
	obj_deref(r);
	sfix_close(&f);
}

static void test_tls_localhost_verifies_by_name(void)
{
	tls_register_by_name("DNS:localhost", "sips:alice@localhost:%u", 1,
			     NULL);
}

static void test_tls_named_registrar_verifies_by_name(void)
{
	tls_register_by_name("DNS:pbx.test", "sips:alice@pbx.test:%u", 1, NULL);
	tls_register_by_name("DNS:other.test", "sips:alice@pbx.test:%u", 0,
			     NULL);
}

int main(void)
{
	harness_watchdog(60);
	RUN(test_resolve_answers_on_loop);
	RUN(test_resolve_cancel_and_free_while_pending);
	RUN(test_resolve_timeout);
	RUN(test_resolve_getaddrinfo_localhost);
	RUN(test_register_to_named_registrar);
	RUN(test_register_unknown_name_fails);
	RUN(test_register_freed_while_lookup_pending);
	RUN(test_tls_localhost_verifies_by_name);
	RUN(test_tls_named_registrar_verifies_by_name);
	return harness_done();
}
