/* test_tp_tls.c: SIP over TLS on loopback: delivery, verification policy
 * (CA, host name, expiry, pin, verification off), old protocol peers,
 * garbage, and the self-signed certificate kept in a data folder. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "harness.h"
#include "mock/tmpdir.h"
#include "tp_util.h"

static char dir[64]; /* temp dir with the test PKI */
static char ca_crt[128], ca_key[128], srv_crt[128], srv_key[128];
static char exp_crt[128], exp_key[128], oth_crt[128], oth_key[128];

/* Log lines captured from the tp/tls modules. */
static int n_handshake_logs, n_verify_off_warns;
static char last_log[300];

static void log_capture(enum log_level lvl, const char *tag, const char *msg,
			void *arg)
{
	(void)arg;
	if (strstr(msg, "handshake with"))
		n_handshake_logs++;
	if (lvl == LOG_LVL_WARN && strstr(msg, "verification is OFF"))
		n_verify_off_warns++;
	snprintf(last_log, sizeof(last_log), "%s: %s", tag, msg);
	if (lvl >= LOG_LVL_WARN)
		fprintf(stderr, "log %s: %s\n", tag, msg);
}

static int make_pki(void)
{
	int e = tmpdir_make(dir, sizeof(dir), "pb_tls");

	if (e)
		return e;
#define P(v, name) snprintf(v, sizeof(v), "%s/%s", dir, name)
	P(ca_crt, "ca.pem");
	P(ca_key, "ca.key");
	P(srv_crt, "srv.pem");
	P(srv_key, "srv.key");
	P(exp_crt, "exp.pem");
	P(exp_key, "exp.key");
	P(oth_crt, "oth.pem");
	P(oth_key, "oth.key");
#undef P
	struct tls_cert_req ca = {.cn = "Test CA",
				  .not_before = -60,
				  .not_after = 86400,
				  .is_ca = true};
	struct tls_cert_req srv = {.cn = "localhost",
				   .san = "IP:127.0.0.1,IP:::1,DNS:localhost",
				   .not_before = -60,
				   .not_after = 86400,
				   .issuer_cert = ca_crt,
				   .issuer_key = ca_key};
	struct tls_cert_req ex = srv, oth = srv;
	ex.not_before = -2 * 86400;
	ex.not_after = -86400;
	oth.san = "DNS:other.example";
	int err = tls_cert_make(&ca, ca_crt, ca_key);
	if (!err)
		err = tls_cert_make(&srv, srv_crt, srv_key);
	if (!err)
		err = tls_cert_make(&ex, exp_crt, exp_key);
	if (!err)
		err = tls_cert_make(&oth, oth_crt, oth_key);
	return err;
}

/* Server with @p crt/@p key on @p ip, client with options from @p co. */
static int tpair_open(struct pair *p, const char *ip, const char *crt,
		      const char *key, const struct tls_opts *cto)
{
	struct tp_opts so, co;
	struct sa any;
	int err;
	memset(p, 0, sizeof(*p));
	tp_opts_default(&so);
	tp_opts_default(&co);
	so.tls.cert_file = crt;
	so.tls.key_file = key;
	co.tls = *cto;
	if ((err = loop_alloc(&p->loop)) ||
	    (err = tp_alloc(&p->srv, p->loop, &so, &rec_handlers, &p->rs)) ||
	    (err = tp_alloc(&p->cli, p->loop, &co, &rec_handlers, &p->rc)) ||
	    (err = sa_set(&any, ip, 0)) ||
	    (err = tp_listen(p->srv, TP_TLS, &any)))
		return err;
	return tp_laddr(p->srv, TP_TLS, sa_af(&any), &p->saddr);
}

static void tls_roundtrip(const char *ip)
{
	struct pair p;
	struct tls_opts to;
	tls_opts_default(&to);
	to.ca_file = ca_crt;
	REQUIRE(tpair_open(&p, ip, srv_crt, srv_key, &to) == 0);
	struct buf *m1 = make_msg("tls1", 100), *m2 = make_msg("tls2", 0);
	CHECK_EQ_INT(tp_send(p.cli, TP_TLS, &p.saddr, m1, NULL), 0);
	CHECK_EQ_INT(tp_send(p.cli, TP_TLS, &p.saddr, m2, NULL), 0);
	CHECK(run_until(p.loop, &p.rs.n, 2));
	REQUIRE(p.rs.n == 2);
	CHECK(rec_is(&p.rs, 0, m1) && rec_is(&p.rs, 1, m2));
	CHECK_EQ_INT(p.rs.type[0], TP_TLS);
	CHECK(sa_cmp(&p.rs.local[0], &p.saddr));
	CHECK_EQ_INT(tp_conn_count(p.cli), 1);
	/* reply and a new request back over the same connection */
	CHECK_EQ_INT(tp_send(p.srv, TP_TLS, NULL, m2, p.rs.conn[0]), 0);
	CHECK_EQ_INT(tp_send(p.srv, TP_TLS, &p.rs.src[0], m1, NULL), 0);
	CHECK(run_until(p.loop, &p.rc.n, 2));
	CHECK(p.rc.n == 2 && rec_is(&p.rc, 0, m2) && rec_is(&p.rc, 1, m1));
	CHECK(p.rc.n >= 1 && sa_cmp(&p.rc.src[0], &p.saddr));
	CHECK_EQ_INT(tp_conn_count(p.srv), 1);
	CHECK_EQ_INT(p.rc.closes + p.rs.closes, 0);
	obj_deref(m1);
	obj_deref(m2);
	pair_close(&p);
}

static void test_tls_v4(void)
{
	tls_roundtrip("127.0.0.1");
}

static void test_tls_v6(void)
{
	tls_roundtrip("::1");
}

/* Send to the server and expect a refusal whose reason has @p want. */
static void expect_refused(const char *crt, const char *key,
			   const struct tls_opts *to, const char *host,
			   const char *want)
{
	struct pair p;
	REQUIRE(tpair_open(&p, "127.0.0.1", crt, key, to) == 0);
	struct buf *m = make_msg("refuse", 0);
	n_handshake_logs = 0;
	CHECK_EQ_INT(tp_send_host(p.cli, TP_TLS, &p.saddr, host, m, NULL), 0);
	CHECK(run_until(p.loop, &p.rc.closes, 1));
	CHECK_EQ_INT(p.rc.close_err, EPROTO);
	CHECK(p.rc.close_queued);
	if (!strstr(p.rc.reason, want)) {
		fprintf(stderr, "reason '%s' lacks '%s'\n", p.rc.reason, want);
		CHECK(0);
	}
	CHECK_EQ_INT(p.rs.n, 0);
	run_rounds(p.loop, 3);
	CHECK_EQ_INT(n_handshake_logs, 1); /* one line, client side */
	obj_deref(m);
	pair_close(&p);
}

static void test_tls_expired_refused(void)
{
	struct tls_opts to;
	tls_opts_default(&to);
	to.ca_file = ca_crt;
	expect_refused(exp_crt, exp_key, &to, NULL, "expired");
}

static void test_tls_wrong_host_refused(void)
{
	struct tls_opts to;
	tls_opts_default(&to);
	to.ca_file = ca_crt;
	expect_refused(oth_crt, oth_key, &to, NULL, "IP address mismatch");
	expect_refused(srv_crt, srv_key, &to, "sip.example.org",
		       "hostname mismatch");
}

static void test_tls_unknown_ca_refused(void)
{
	struct tls_opts to;
	tls_opts_default(&to); /* system CAs do not know the test CA */
	expect_refused(srv_crt, srv_key, &to, NULL, "local issuer");
}

static void test_tls_self_signed_not_pinned_refused(void)
{
	struct tls_opts to;
	tls_opts_default(&to);
	to.ca_file = srv_crt; /* a CA that did not sign the server */
	expect_refused(ca_crt, ca_key, &to, NULL, "self-signed");
}

static void test_tls_pinned_accepted(void)
{
	struct pair p;
	struct tls_opts to;
	char fp[TLS_FP_STR];
	REQUIRE(tls_cert_fingerprint(ca_crt, fp, sizeof(fp)) == 0);
	CHECK_EQ_INT(strlen(fp), 95);
	tls_opts_default(&to);
	to.pin_sha256 = fp;
	/* the server's own self-signed certificate, pinned */
	REQUIRE(tpair_open(&p, "127.0.0.1", ca_crt, ca_key, &to) == 0);
	CHECK_EQ_STR(tls_fingerprint(tp_tls(p.srv)), fp);
	pair_send_one(&p, TP_TLS, "pinned");
	pair_close(&p);
	/* another certificate (even a CA-valid one) fails the pin */
	expect_refused(srv_crt, srv_key, &to, NULL, "does not match the pin");
}

static void test_tls_verify_off_warns(void)
{
	struct pair p;
	struct tls_opts to;
	tls_opts_default(&to);
	to.verify_off = true;
	n_verify_off_warns = 0;
	REQUIRE(tpair_open(&p, "127.0.0.1", exp_crt, exp_key, &to) == 0);
	CHECK_EQ_INT(n_verify_off_warns, 1);
	pair_send_one(&p, TP_TLS, "nover");
	pair_close(&p);
}

/* An in-test TLS 1.0-only server on a plain socket. */
struct old_srv {
	SSL_CTX *ctx;
	SSL *ssl;
	int lfd, fd;
	struct loop *loop;
	int done;
};

static void old_io(int fd, int flags, void *arg)
{
	struct old_srv *o = arg;
	(void)flags;
	if (o->fd < 0) {
		o->fd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (o->fd < 0)
			return;
		o->ssl = SSL_new(o->ctx);
		SSL_set_fd(o->ssl, o->fd);
		loop_fd_listen(o->loop, o->fd, FD_READ, old_io, o);
	}
	int r = SSL_accept(o->ssl);
	int e = SSL_get_error(o->ssl, r);
	if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
		o->done = 1;
	ERR_clear_error();
}

static void test_tls10_peer_refused(void)
{
	struct old_srv o = {.lfd = -1, .fd = -1};
	struct tp *cli;
	struct rec rc;
	struct tp_opts co;
	struct sa a;
	memset(&rc, 0, sizeof(rc));
	o.ctx = SSL_CTX_new(TLS_server_method());
	REQUIRE(o.ctx);
	SSL_CTX_set_security_level(o.ctx, 0);
	SSL_CTX_set_min_proto_version(o.ctx, TLS1_VERSION);
	SSL_CTX_set_max_proto_version(o.ctx, TLS1_VERSION);
	SSL_CTX_set_cipher_list(o.ctx, "DEFAULT:@SECLEVEL=0");
	CHECK(SSL_CTX_use_certificate_file(o.ctx, srv_crt, SSL_FILETYPE_PEM));
	CHECK(SSL_CTX_use_PrivateKey_file(o.ctx, srv_key, SSL_FILETYPE_PEM));
	REQUIRE(loop_alloc(&o.loop) == 0);
	o.lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	sa_set(&a, "127.0.0.1", 0);
	REQUIRE(bind(o.lfd, &a.u.sa, a.len) == 0 && listen(o.lfd, 4) == 0);
	socklen_t sl = sizeof(a.u);
	getsockname(o.lfd, &a.u.sa, &sl);
	loop_fd_listen(o.loop, o.lfd, FD_READ, old_io, &o);
	tp_opts_default(&co);
	co.tls.verify_off = true; /* only the protocol version is tested */
	REQUIRE(tp_alloc(&cli, o.loop, &co, &rec_handlers, &rc) == 0);
	struct buf *m = make_msg("old", 0);
	CHECK_EQ_INT(tp_send(cli, TP_TLS, &a, m, NULL), 0);
	CHECK(run_until(o.loop, &rc.closes, 1));
	CHECK_EQ_INT(rc.close_err, EPROTO);
	fprintf(stderr, "TLS 1.0 peer refused: %s\n", rc.reason);
	CHECK(strstr(rc.reason, "protocol") || strstr(rc.reason, "version"));
	obj_deref(m);
	rec_clear(&rc);
	obj_deref(cli);
	if (o.fd >= 0) {
		loop_fd_close(o.loop, o.fd);
		close(o.fd);
	}
	loop_fd_close(o.loop, o.lfd);
	close(o.lfd);
	SSL_free(o.ssl);
	SSL_CTX_free(o.ctx);
	obj_deref(o.loop);
}

static void test_tls_garbage_does_not_disturb(void)
{
	struct pair p;
	struct tls_opts to;
	tls_opts_default(&to);
	to.ca_file = ca_crt;
	REQUIRE(tpair_open(&p, "127.0.0.1", srv_crt, srv_key, &to) == 0);
	struct buf *m = make_msg("live", 1);
	CHECK_EQ_INT(tp_send(p.cli, TP_TLS, &p.saddr, m, NULL), 0);
	CHECK(run_until(p.loop, &p.rs.n, 1));
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	REQUIRE(connect(fd, &p.saddr.u.sa, p.saddr.len) == 0);
	uint8_t junk[700];
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 131 + 7);
	junk[0] = 0x16; /* looks like a handshake record at first */
	CHECK(write(fd, junk, sizeof(junk)) == (ssize_t)sizeof(junk));
	CHECK(run_until(p.loop, &p.rs.closes, 1));
	CHECK_EQ_INT(p.rs.close_err, EPROTO);
	/* plain SIP on the TLS port is refused as well */
	int fd2 = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	REQUIRE(connect(fd2, &p.saddr.u.sa, p.saddr.len) == 0);
	CHECK(write(fd2, m->b, m->end) == (ssize_t)m->end);
	CHECK(run_until(p.loop, &p.rs.closes, 2));
	CHECK_EQ_INT(tp_send(p.cli, TP_TLS, &p.saddr, m, NULL), 0);
	CHECK(run_until(p.loop, &p.rs.n, 2));
	CHECK(p.rs.n == 2 && rec_is(&p.rs, 1, m));
	CHECK_EQ_INT(p.rc.closes, 0);
	close(fd);
	close(fd2);
	obj_deref(m);
	pair_close(&p);
}

static void test_tls_selfsigned_made_once(void)
{
	char data[128], fp1[TLS_FP_STR], crt[160];
	struct tls_opts o;
	struct tls *t1, *t2;
	struct stat st;
	snprintf(data, sizeof(data), "%s/data", dir);
	snprintf(crt, sizeof(crt), "%s/tls-cert.pem", data);
	tls_opts_default(&o);
	o.data_dir = data;
	CHECK(stat(crt, &st) != 0);
	REQUIRE(tls_alloc(&t1, &o) == 0);
	CHECK(tls_has_server(t1));
	CHECK(stat(crt, &st) == 0);
	snprintf(fp1, sizeof(fp1), "%s", tls_fingerprint(t1));
	CHECK_EQ_INT(strlen(fp1), 95);
	obj_deref(t1);
	REQUIRE(tls_alloc(&t2, &o) == 0);
	CHECK_EQ_STR(tls_fingerprint(t2), fp1);
	obj_deref(t2);
	/* the key is private */
	snprintf(crt, sizeof(crt), "%s/tls-key.pem", data);
	CHECK(stat(crt, &st) == 0 && (st.st_mode & 077) == 0);
	/* a phone pinning that fingerprint reaches a server using the pair */
	struct tp_opts so;
	struct tp *srv;
	struct loop *l;
	struct rec r;
	memset(&r, 0, sizeof(r));
	tp_opts_default(&so);
	so.tls.data_dir = data;
	REQUIRE(loop_alloc(&l) == 0);
	REQUIRE(tp_alloc(&srv, l, &so, &rec_handlers, &r) == 0);
	CHECK_EQ_STR(tls_fingerprint(tp_tls(srv)), fp1);
	obj_deref(srv);
	obj_deref(l);
}

static void test_tls_listen_without_cert(void)
{
	struct loop *l;
	struct tp *tp;
	struct rec r;
	struct sa a;
	memset(&r, 0, sizeof(r));
	REQUIRE(loop_alloc(&l) == 0);
	REQUIRE(tp_alloc(&tp, l, NULL, &rec_handlers, &r) == 0);
	sa_set(&a, "127.0.0.1", 0);
	CHECK_EQ_INT(tp_listen(tp, TP_TLS, &a), EINVAL);
	obj_deref(tp);
	obj_deref(l);
}

static void test_tls_alloc_failures(void)
{
	struct tp_opts so;
	tp_opts_default(&so);
	so.tls.cert_file = srv_crt;
	so.tls.key_file = srv_key;
	for (size_t n = 1; n < 100; n++) {
		struct loop *l;
		struct tp *tp = NULL;
		struct rec r;
		struct sa a;
		memset(&r, 0, sizeof(r));
		sa_set(&a, "127.0.0.1", 0);
		REQUIRE(loop_alloc(&l) == 0);
		obj_fail_after(n);
		int err = tp_alloc(&tp, l, &so, &rec_handlers, &r);
		if (!err)
			err = tp_listen(tp, TP_TLS, &a);
		obj_fail_after(0);
		obj_deref(tp);
		obj_deref(l);
		if (!err)
			break;
		CHECK_EQ_INT(err, ENOMEM);
	}
}

int main(void)
{
	harness_watchdog(90);
	log_set_handler(log_capture, NULL);
	if (make_pki()) {
		fprintf(stderr, "cannot make the test PKI\n");
		return 1;
	}
	RUN(test_tls_v4);
	RUN(test_tls_v6);
	RUN(test_tls_expired_refused);
	RUN(test_tls_wrong_host_refused);
	RUN(test_tls_unknown_ca_refused);
	RUN(test_tls_self_signed_not_pinned_refused);
	RUN(test_tls_pinned_accepted);
	RUN(test_tls_verify_off_warns);
	RUN(test_tls10_peer_refused);
	RUN(test_tls_garbage_does_not_disturb);
	RUN(test_tls_selfsigned_made_once);
	RUN(test_tls_listen_without_cert);
	RUN(test_tls_alloc_failures);
	tmpdir_remove(dir);
	return harness_done();
}
