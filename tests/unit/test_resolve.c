/* test_resolve.c: host name lookups (worker thread, answers on the loop),
 * and registration / TLS to a registrar named by host name. */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>

#include "base/loop.h"
#include "harness.h"
#include "mock/fakedns.h"
#include "mock/regsock.h"
#include "ua/reg/reg.h"
#include "ua/stack/resolve.h"
#include "ua/stack/stack.h"
#include "ua/stack/stacktp.h"

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

/* a loop, a resolver on the fake DNS, and up to two queries on it */
struct rt {
	struct loop *l;
	struct resolver *res;
	struct resolve_query *q[2];
	struct ans a[2];
};

static int rt_ask(struct rt *t, int i, const char *host)
{
	return resolve_query(&t->q[i], t->res, host, ans_h, &t->a[i]);
}

/* open @p t with a lookup timeout, and ask for @p host0 and @p host1 (if
   not NULL) */
static int rt_open(struct rt *t, uint32_t timeout, const char *host0,
		   const char *host1)
{
	struct resolve_opts o;
	int err;

	memset(t, 0, sizeof(*t));
	resolve_opts_default(&o);
	o.lookh = fakedns_lookup;
	o.timeout_ms = timeout;
	err = loop_alloc(&t->l);
	if (!err)
		err = resolver_alloc(&t->res, t->l, &o);
	if (!err)
		err = rt_ask(t, 0, host0);
	if (!err && host1)
		err = rt_ask(t, 1, host1);
	return err;
}

/* free all; the loop must have no fd left */
static void rt_close(struct rt *t)
{
	t->q[0] = obj_deref(t->q[0]);
	t->q[1] = obj_deref(t->q[1]);
	t->res = obj_deref(t->res);
	CHECK_EQ_INT(loop_fd_count(t->l), 0);
	t->l = obj_deref(t->l);
}

static void test_resolve_answers_on_loop(void)
{
	struct rt t;

	REQUIRE(!rt_open(&t, 5000, "pbx.test", "nowhere.test"));
	CHECK_EQ_INT(t.a[0].n, 0); /* never from inside the call */
	poll_until(t.l, &t.a[1].n, 1);
	CHECK_EQ_INT(t.a[0].n, 1);
	CHECK_EQ_INT(t.a[0].err, 0);
	CHECK_EQ_INT(t.a[0].sa.ss_family, AF_INET);
	CHECK_EQ_INT(t.a[1].n, 1);
	CHECK_EQ_INT(t.a[1].err, ENOENT);
	CHECK_EQ_STR(t.a[1].reason, "Name or service not known");
	rt_close(&t);
}

static void test_resolve_cancel_and_free_while_pending(void)
{
	struct rt t;

	REQUIRE(!rt_open(&t, 5000, "pbx.test", "pbx.test"));
	t.q[0] = obj_deref(t.q[0]); /* the requester went away */
	poll_until(t.l, &t.a[1].n, 1);
	CHECK_EQ_INT(t.a[0].n, 0);
	CHECK_EQ_INT(t.a[1].n, 1);
	t.q[1] = obj_deref(t.q[1]);
	/* the resolver goes away with a lookup on the worker and one queued */
	REQUIRE(!rt_ask(&t, 0, "pbx.test"));
	REQUIRE(!rt_ask(&t, 1, "pbx.test"));
	t.res = obj_deref(t.res);
	for (int i = 0; i < 5; i++)
		loop_poll(t.l, 10);
	CHECK_EQ_INT(t.a[0].n, 0);
	rt_close(&t);
}

static void test_resolve_timeout(void)
{
	struct rt t;

	REQUIRE(!rt_open(&t, 50, "slow.test", NULL));
	poll_until(t.l, &t.a[0].n, 1);
	CHECK_EQ_INT(t.a[0].n, 1);
	CHECK_EQ_INT(t.a[0].err, ETIMEDOUT);
	/* the late answer is dropped */
	for (int i = 0; i < 40; i++)
		loop_poll(t.l, 10);
	CHECK_EQ_INT(t.a[0].n, 1);
	rt_close(&t);
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

struct sfix {
	struct regsock rs;
	char ca_crt[96], ca_key[96], crt[96], key[96];
};

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

	snprintf(f->ca_crt, sizeof(f->ca_crt), "%s/ca.pem", f->rs.dir);
	snprintf(f->ca_key, sizeof(f->ca_key), "%s/ca.key", f->rs.dir);
	snprintf(f->crt, sizeof(f->crt), "%s/srv.pem", f->rs.dir);
	snprintf(f->key, sizeof(f->key), "%s/srv.key", f->rs.dir);
	err = tls_cert_make(&ca, f->ca_crt, f->ca_key);
	return err ? err : tls_cert_make(&srv, f->crt, f->key);
}

static int sfix_init(struct sfix *f, const char *san)
{
	struct mockreg_opts mo = {.max_expires = 120};
	int types = TP_UDP | TP_TLS;
	struct tp_opts to;
	int err = regsock_init(&f->rs, "pb-resolve", &mo);

	if (!err)
		err = make_certs(f, san);
	if (err)
		return err;
	tp_opts_default(&to);
	to.tls.cert_file = f->crt;
	to.tls.key_file = f->key;
	err = regsock_side_open(&f->rs.srv, f->rs.loop, &f->rs.mr, types, &to,
				fakedns_lookup);
	if (err)
		return err;
	to.tls.ca_file = f->ca_crt; /* verification on, by name */
	return regsock_side_open(&f->rs.ua, f->rs.loop, NULL, types, &to,
				 fakedns_lookup);
}

static uint16_t srv_port(struct sfix *f, enum tp_type type)
{
	struct sa la;

	if (tp_laddr(f->rs.srv.tp, type, AF_INET, &la))
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
	if (reg_alloc(&r, f->rs.ua.st, &o, regsock_reg_h, &f->rs) ||
	    reg_start(r)) {
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
	CHECK_EQ_INT(f.rs.mr.nregister, 0); /* waits for the lookup */
	poll_until(f.rs.loop, &f.rs.nreg, 1);
	CHECK_EQ_INT(f.rs.nreg, 1);
	CHECK_EQ_INT(f.rs.nfail + f.rs.nretry, 0);
	CHECK(f.rs.mr.contact[0] != '\0');
	/* a second account on the same registrar: the name is cached */
	int n0 = fakedns_count();
	struct reg *r2 =
	    reg_to(&f, "sip:alice@pbx.test:%u", srv_port(&f, TP_UDP));
	REQUIRE(r2);
	poll_until(f.rs.loop, &f.rs.nreg, 2);
	CHECK_EQ_INT(f.rs.nreg, 2);
	CHECK_EQ_INT(fakedns_count(), n0);
	obj_deref(r2);
	obj_deref(r);
	regsock_close(&f.rs);
}

static void test_register_unknown_name_fails(void)
{
	struct sfix f;
	struct reg *r;

	REQUIRE(!sfix_init(&f, "DNS:pbx.test"));
	r = reg_to(&f, "sip:alice@nowhere.test:%u", 5060);
	REQUIRE(r);
	poll_until(f.rs.loop, &f.rs.nfail, 1);
	CHECK_EQ_INT(f.rs.nfail, 1);
	CHECK_EQ_INT(f.rs.nreg, 0);
	CHECK_EQ_STR(f.rs.reason,
		     "cannot resolve nowhere.test: Name or service not known");
	CHECK_EQ_INT(f.rs.mr.nregister, 0);
	obj_deref(r);
	regsock_close(&f.rs);
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
		loop_poll(f.rs.loop, 10);
	CHECK_EQ_INT(f.rs.nreg + f.rs.nfail + f.rs.nretry, 0);
	CHECK_EQ_INT(f.rs.mr.nregister, 0);
	/* and the stack goes while a lookup is on the worker */
	r = reg_to(&f, "sip:alice@pbx.test:%u", srv_port(&f, TP_UDP));
	REQUIRE(r);
	obj_deref(r);
	regsock_close(&f.rs);
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
	for (i = 0; i < 300 && !f.rs.nreg && !f.rs.nretry && !f.rs.nfail; i++)
		loop_poll(f.rs.loop, 10);
	CHECK_EQ_INT(f.rs.nreg, nreg);
	if (want && !strstr(f.rs.reason, want)) {
		fprintf(stderr, "reason '%s' lacks '%s'\n", f.rs.reason, want);
		CHECK(0);
	}
	obj_deref(r);
	regsock_close(&f.rs);
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
