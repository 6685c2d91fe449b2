/* test_auth.c: Digest auth: RFC vectors, parsers, client state, server. */
#include <errno.h>

#include "harness.h"
#include "ua/auth/auth.h"

#define PLS(s) {(s), strlen(s)}
#define BPL(x) {(const char *)(x)->b, (x)->end}

/* the worked examples of RFC 2617 (3.5) and RFC 7616 (3.9.1): user
   "Mufasa", GET /dir/index.html, qop=auth, nc=00000001 */
static void test_rfc_digest_vectors(void)
{
	static const struct {
		enum auth_alg alg;
		const char *realm, *password, *nonce, *cnonce, *want;
	} tv[] = {
	    {AUTH_ALG_MD5, "testrealm@host.com", "Circle Of Life",
	     "dcd98b7102dd2f0e8b11d0f600bfb0c093", "0a4f113b",
	     "6629fae49393a05397450978507c4ef1"},
	    {AUTH_ALG_MD5, "http-auth@example.org", "Circle of Life",
	     "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
	     "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
	     "8ca523f5e9506fed4657c9700eebdbec"},
	    {AUTH_ALG_SHA256, "http-auth@example.org", "Circle of Life",
	     "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
	     "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
	     "753927fa0e85d155564e2e272a28d180"
	     "2ca10daf4496794697cf8db5856cb6c1"},
	};

	for (size_t i = 0; i < sizeof(tv) / sizeof(tv[0]); i++) {
		char ha1[AUTH_HEX_MAX], resp[AUTH_HEX_MAX];
		struct auth_calc c = {
		    .alg = tv[i].alg, .ha1 = ha1,
		    .nonce = tv[i].nonce, .cnonce = tv[i].cnonce,
		    .nc = "00000001", .qop = "auth", .method = "GET",
		    .uri = "/dir/index.html",
		};

		REQUIRE(!auth_ha1(ha1, tv[i].alg, "Mufasa", tv[i].realm,
				  tv[i].password));
		REQUIRE(!auth_response(resp, &c));
		CHECK_EQ_STR(resp, tv[i].want);
	}
}

static void test_chal_parse(void)
{
	struct auth_chal ch;
	struct pl v = PL("digest   REALM=\"a\\\"b\" ,, nonce=\"n1\",\r\n "
			 "algorithm=sha-256, qop=\"auth,auth-int\", "
			 "opaque=\"op\", stale=TRUE, foo=bar, "
			 "domain=\"sip:x sip:y\"");

	REQUIRE(!auth_chal_decode(&ch, &v));
	CHECK_PL(ch.realm, "a\\\"b");
	CHECK_PL(ch.nonce, "n1");
	CHECK_PL(ch.opaque, "op");
	CHECK_PL(ch.domain, "sip:x sip:y");
	CHECK_EQ_INT(ch.alg, AUTH_ALG_SHA256);
	CHECK(ch.stale);
	CHECK(ch.qop_auth);
	CHECK(ch.qop_auth_int);
	char buf[16];
	REQUIRE(!auth_unquote(buf, sizeof(buf), &ch.realm));
	CHECK_EQ_STR(buf, "a\"b");

	v = pl_from_str("Digest realm=\"r\", nonce=abc/=");
	REQUIRE(!auth_chal_decode(&ch, &v));
	CHECK_EQ_INT(ch.alg, AUTH_ALG_MD5);
	CHECK(!ch.stale);
	CHECK(!ch.qop_auth);
	CHECK_PL(ch.nonce, "abc/=");

	v = pl_from_str("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512");
	REQUIRE(!auth_chal_decode(&ch, &v));
	CHECK_EQ_INT(ch.alg, AUTH_ALG_UNKNOWN);

	static const struct {
		const char *in;
		int err;
	} bad[] = {
		{"", EBADMSG},
		{"Digest", EBADMSG},
		{"Digest ", EBADMSG},
		{"Basic realm=\"x\"", EPROTO},
		{"Digest realm=\"r\"", EBADMSG},
		{"Digest nonce=\"n\"", EBADMSG},
		{"Digest realm=\"r, nonce=\"n\"", EBADMSG},
		{"Digest realm=\"r\" nonce=\"n\"", EBADMSG},
		{"Digest realm=\"r\", nonce=", EBADMSG},
		{"Digest realm=\"r\", =x, nonce=\"n\"", EBADMSG},
		{"Digest realm=\"r\\", EBADMSG},
		{"Digestrealm=\"r\", nonce=\"n\"", EPROTO},
		{"Digest realm=\"r\", nonce=\"n\", qop=\"au;th\"", EBADMSG},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = pl_from_str(bad[i].in);
		int err = auth_chal_decode(&ch, &v);
		if (err != bad[i].err)
			fprintf(stderr, "input '%s'\n", bad[i].in);
		CHECK_EQ_INT(err, bad[i].err);
	}
}

static void test_chal_best(void)
{
	struct auth_chal chv[3];
	const char *in[] = {
		"Digest realm=\"r\", nonce=\"1\", algorithm=MD5",
		"Digest realm=\"r\", nonce=\"2\", algorithm=SHA-256",
		"Digest realm=\"r\", nonce=\"3\", algorithm=SHA-512-256",
	};
	for (int i = 0; i < 3; i++)
		REQUIRE(!auth_chal_decode(&chv[i], &(struct pl)PLS(in[i])));
	const struct auth_chal *b = auth_chal_best(chv, 3);
	REQUIRE(b);
	CHECK_PL(b->nonce, "2");
	CHECK(auth_chal_best(&chv[2], 1) == NULL);
}

static int client_answer(struct auth_client *c, const char *chal,
			 struct buf *out)
{
	struct auth_chal ch;
	int err = auth_chal_decode(&ch, &(struct pl)PLS(chal));

	if (err)
		return err;
	err = auth_client_challenge(c, &ch, 1);
	if (err)
		return err;
	buf_reset(out);
	return auth_client_authorize(c, out, &PL("REGISTER"),
				     &PL("sip:example.org"), NULL);
}

static void test_client_nc_and_stale(void)
{
	struct auth_client *c = NULL;
	struct buf *b = NULL;
	struct auth_cred cr;

	REQUIRE(!auth_client_alloc(&c, "alice", "pw"));
	REQUIRE(!buf_alloc(&b, 256));
	CHECK_EQ_INT(auth_client_authorize(c, b, &PL("REGISTER"),
					   &PL("sip:x"), NULL),
		     ENOENT);
	CHECK(!auth_client_ready(c));
	REQUIRE(!client_answer(c, "Digest realm=\"r\", nonce=\"N1\", "
				  "qop=\"auth\", opaque=\"o\"", b));
	CHECK(auth_client_ready(c));
	REQUIRE(!auth_cred_decode(&cr, &(struct pl)BPL(b)));
	CHECK_PL(cr.nc, "00000001");
	CHECK_PL(cr.qop, "auth");
	CHECK_PL(cr.opaque, "o");
	CHECK_PL(cr.username, "alice");
	CHECK_EQ_INT(cr.cnonce.l, 32);
	char cn1[40];
	pl_copy(&cr.cnonce, cn1, sizeof(cn1));
	auth_client_ok(c);

	/* pre-authorize the next request: nc 2, new cnonce */
	buf_reset(b);
	REQUIRE(!auth_client_authorize(c, b, &PL("INVITE"), &PL("sip:bob@r"),
				       NULL));
	REQUIRE(!auth_cred_decode(&cr, &(struct pl)BPL(b)));
	CHECK_PL(cr.nc, "00000002");
	CHECK(pl_strcmp(&cr.cnonce, cn1) != 0);
	CHECK_EQ_INT(cr.ncv, 2);

	/* stale=true: new nonce, nc restarts, no EACCES */
	REQUIRE(!client_answer(c, "Digest realm=\"r\", nonce=\"N2\", "
				  "qop=\"auth\", stale=true", b));
	REQUIRE(!auth_cred_decode(&cr, &(struct pl)BPL(b)));
	CHECK_PL(cr.nonce, "N2");
	CHECK_PL(cr.nc, "00000001");

	/* rejected again without stale: wrong credentials */
	struct auth_chal ch;
	REQUIRE(!auth_chal_decode(&ch, &PL("Digest realm=\"r\", nonce=\"N2\","
					   " qop=\"auth\"")));
	CHECK_EQ_INT(auth_client_challenge(c, &ch, 1), EACCES);
	REQUIRE(!auth_chal_decode(&ch, &PL("Digest realm=\"r\", nonce=\"N3\","
					   " qop=\"auth\"")));
	CHECK_EQ_INT(auth_client_challenge(c, &ch, 1), EACCES);

	obj_deref(b);
	obj_deref(c);
}

/* Only the refusal of a challenge's first use says the credentials are
 * wrong: credentials reused from an earlier challenge (a refresh, a retry
 * after a 423 or a lost request) are merely outdated. */
static void test_client_reused_credentials_refused_is_no_verdict(void)
{
	struct auth_client *c = NULL;
	struct buf *b = NULL;
	struct auth_chal ch;
	struct auth_cred cr;

	REQUIRE(!auth_client_alloc(&c, "alice", "pw"));
	REQUIRE(!buf_alloc(&b, 256));
	REQUIRE(!client_answer(c, "Digest realm=\"r\", nonce=\"N1\", "
				  "qop=\"auth\"", b));
	auth_client_ok(c);
	/* a refresh reuses N1; the server forgot it and sends N2, no stale */
	buf_reset(b);
	REQUIRE(!auth_client_authorize(c, b, &PL("REGISTER"), &PL("sip:r"),
				       NULL));
	REQUIRE(!auth_chal_decode(&ch, &PL("Digest realm=\"r\", nonce=\"N2\","
					   " qop=\"auth\"")));
	CHECK_EQ_INT(auth_client_challenge(c, &ch, 1), 0);
	/* first use of N2 gets no success (a 423), the retry reuses it and
	 * N2 comes back without stale: start over, nc from 1 again */
	buf_reset(b);
	REQUIRE(!auth_client_authorize(c, b, &PL("REGISTER"), &PL("sip:r"),
				       NULL));
	buf_reset(b);
	REQUIRE(!auth_client_authorize(c, b, &PL("REGISTER"), &PL("sip:r"),
				       NULL));
	CHECK_EQ_INT(auth_client_challenge(c, &ch, 1), 0);
	buf_reset(b);
	REQUIRE(!auth_client_authorize(c, b, &PL("REGISTER"), &PL("sip:r"),
				       NULL));
	REQUIRE(!auth_cred_decode(&cr, &(struct pl)BPL(b)));
	CHECK_PL(cr.nonce, "N2");
	CHECK_PL(cr.nc, "00000001");
	/* the refusal of that first use is the verdict */
	REQUIRE(!auth_chal_decode(&ch, &PL("Digest realm=\"r\", nonce=\"N3\","
					   " qop=\"auth\"")));
	CHECK_EQ_INT(auth_client_challenge(c, &ch, 1), EACCES);

	obj_deref(b);
	obj_deref(c);
}

static void test_client_rfc2069(void)
{
	struct auth_client *c = NULL;
	struct buf *b = NULL;
	struct auth_cred cr;
	char ha1[AUTH_HEX_MAX], resp[AUTH_HEX_MAX];

	REQUIRE(!auth_client_alloc(&c, "bob", NULL));
	REQUIRE(!auth_ha1(ha1, AUTH_ALG_MD5, "bob", "r", "secret"));
	REQUIRE(!auth_client_set_ha1(c, AUTH_ALG_MD5, ha1));
	REQUIRE(!buf_alloc(&b, 256));
	struct auth_chal ch;
	REQUIRE(!auth_chal_decode(&ch, &PL("Digest realm=\"r\", nonce=\"X\", "
					   "algorithm=SHA-256")));
	/* no SHA-256 HA1 and no password: unusable */
	CHECK_EQ_INT(auth_client_challenge(c, &ch, 1), ENOSYS);
	REQUIRE(!client_answer(c, "Digest realm=\"r\", nonce=\"X\"", b));
	REQUIRE(!auth_cred_decode(&cr, &(struct pl)BPL(b)));
	CHECK(!cr.qop.p);
	CHECK(!cr.nc.p);
	struct auth_calc calc = {
		.alg = AUTH_ALG_MD5, .ha1 = ha1, .nonce = "X",
		.method = "REGISTER", .uri = "sip:example.org",
	};
	REQUIRE(!auth_response(resp, &calc));
	CHECK_PL(cr.response, resp);
	obj_deref(b);
	obj_deref(c);
}

static const uint8_t secret[] = "0123456789abcdef0123456789abcdef";

struct srv_fixture {
	struct auth_server *s;
	struct buf *b;
	struct auth_client *c;
	struct auth_cred cr;
};

/* Challenge at @p t0 from the server, client answers. */
static int srv_round(struct srv_fixture *f, enum auth_alg alg, uint64_t t0,
		     const char *pw)
{
	struct auth_chal ch;
	int err;

	buf_reset(f->b);
	err = auth_server_challenge(f->s, f->b, alg, false, t0, NULL);
	if (err)
		return err;
	char *txt = obj_strndup((char *)f->b->b, f->b->end);
	err = auth_chal_decode(&ch, &(struct pl)PLS(txt));
	if (!err) {
		f->c = obj_deref(f->c);
		err = auth_client_alloc(&f->c, "alice", pw);
	}
	if (!err)
		err = auth_client_challenge(f->c, &ch, 1);
	obj_deref(txt);
	if (err)
		return err;
	buf_reset(f->b);
	err = auth_client_authorize(f->c, f->b, &PL("REGISTER"),
				    &PL("sip:pbx"), NULL);
	if (err)
		return err;
	return auth_cred_decode(&f->cr,
				&(struct pl)BPL(f->b));
}

static void test_server(void)
{
	struct srv_fixture f = {0};
	char ha1[AUTH_HEX_MAX], ha1s[AUTH_HEX_MAX];
	struct auth_server_opts o;

	auth_server_opts_default(&o);
	o.replay_slots = 4;
	REQUIRE(!auth_server_alloc(&f.s, &o, "pbx", secret, 32));
	REQUIRE(!buf_alloc(&f.b, 512));
	REQUIRE(!auth_ha1(ha1, AUTH_ALG_MD5, "alice", "pbx", "pw"));
	REQUIRE(!auth_ha1(ha1s, AUTH_ALG_SHA256, "alice", "pbx", "pw"));

	/* fresh nonce accepted (MD5 and SHA-256) */
	REQUIRE(!srv_round(&f, AUTH_ALG_MD5, 1000, "pw"));
	CHECK_EQ_INT(auth_server_verify(f.s, &f.cr, &PL("REGISTER"), ha1, 1010,
					NULL),
		     0);
	/* same nc again: replay */
	CHECK_EQ_INT(auth_server_verify(f.s, &f.cr, &PL("REGISTER"), ha1, 1011,
					NULL),
		     EACCES);
	/* expired but authentic: stale */
	CHECK_EQ_INT(auth_server_verify(f.s, &f.cr, &PL("REGISTER"), ha1,
					1000 + 301, NULL),
		     ETIMEDOUT);
	/* method mismatch */
	CHECK_EQ_INT(auth_server_verify(f.s, &f.cr, &PL("INVITE"), ha1, 1010,
					NULL),
		     EACCES);

	REQUIRE(!srv_round(&f, AUTH_ALG_SHA256, 2000, "pw"));
	CHECK_EQ_INT(f.cr.alg, AUTH_ALG_SHA256);
	CHECK_EQ_INT(auth_server_verify(f.s, &f.cr, &PL("REGISTER"), ha1s,
					2000, NULL),
		     0);

	/* tampered nonce: flip one char of the timestamp part */
	REQUIRE(!srv_round(&f, AUTH_ALG_MD5, 3000, "pw"));
	char *raw = (char *)f.b->b;
	char *np = strstr(raw, "nonce=\"");
	REQUIRE(np);
	np[7 + 5] = np[7 + 5] == 'A' ? 'B' : 'A';
	REQUIRE(!auth_cred_decode(&f.cr, &(struct pl){raw, f.b->end}));
	CHECK_EQ_INT(auth_server_verify(f.s, &f.cr, &PL("REGISTER"), ha1, 3000,
					NULL),
		     EACCES);

	/* a nonce from another server's secret is not accepted */
	struct auth_server *other = NULL;
	REQUIRE(!auth_server_alloc(&other, &o, "pbx", NULL, 0));
	REQUIRE(!srv_round(&f, AUTH_ALG_MD5, 3000, "pw"));
	CHECK_EQ_INT(auth_server_verify(other, &f.cr, &PL("REGISTER"), ha1,
					3000, NULL),
		     EACCES);
	obj_deref(other);

	/* wrong password vs unknown user: same result, same challenge */
	REQUIRE(!srv_round(&f, AUTH_ALG_MD5, 4000, "bad"));
	int e1 = auth_server_verify(f.s, &f.cr, &PL("REGISTER"), ha1, 4000,
				    NULL);
	REQUIRE(!srv_round(&f, AUTH_ALG_MD5, 4000, "pw"));
	int e2 = auth_server_verify(f.s, &f.cr, &PL("REGISTER"), NULL, 4000,
				    NULL);
	CHECK_EQ_INT(e1, EACCES);
	CHECK_EQ_INT(e2, EACCES);
	struct buf *c1 = NULL, *c2 = NULL;
	REQUIRE(!buf_alloc(&c1, 128));
	REQUIRE(!buf_alloc(&c2, 128));
	REQUIRE(!auth_server_challenge(f.s, c1, AUTH_ALG_MD5, e1 == ETIMEDOUT,
				       4001, NULL));
	REQUIRE(!auth_server_challenge(f.s, c2, AUTH_ALG_MD5, e2 == ETIMEDOUT,
				       4001, NULL));
	CHECK(c1->end == c2->end && !memcmp(c1->b, c2->b, c1->end));
	obj_deref(c1);
	obj_deref(c2);

	obj_deref(f.c);
	obj_deref(f.b);
	obj_deref(f.s);
}

static void test_server_replay_eviction(void)
{
	struct srv_fixture f = {0};
	char ha1[AUTH_HEX_MAX];
	struct auth_server_opts o;
	struct auth_cred first;
	char keep[512];

	auth_server_opts_default(&o);
	o.replay_slots = 2;
	o.bind_source = true;
	REQUIRE(!auth_server_alloc(&f.s, &o, "pbx", secret, 32));
	REQUIRE(!buf_alloc(&f.b, 512));
	REQUIRE(!auth_ha1(ha1, AUTH_ALG_MD5, "alice", "pbx", "pw"));
	REQUIRE(!srv_round(&f, AUTH_ALG_MD5, 100, "pw"));
	/* bound to the source address */
	buf_reset(f.b);
	REQUIRE(!auth_server_challenge(f.s, f.b, AUTH_ALG_MD5, false, 100,
				       &PL("10.0.0.1:5060")));
	pl_copy(&(struct pl)BPL(f.b), keep, sizeof(keep));
	struct auth_chal ch;
	REQUIRE(!auth_chal_decode(&ch, &(struct pl)PLS(keep)));
	auth_client_ok(f.c);
	REQUIRE(!auth_client_challenge(f.c, &ch, 1));
	buf_reset(f.b);
	REQUIRE(!auth_client_authorize(f.c, f.b, &PL("REGISTER"),
				       &PL("sip:pbx"), NULL));
	char keep2[512];
	pl_copy(&(struct pl)BPL(f.b), keep2, sizeof(keep2));
	REQUIRE(!auth_cred_decode(&first, &(struct pl)PLS(keep2)));
	CHECK_EQ_INT(auth_server_verify(f.s, &first, &PL("REGISTER"), ha1, 100,
					&PL("10.0.0.2:5060")),
		     EACCES);
	CHECK_EQ_INT(auth_server_verify(f.s, &first, &PL("REGISTER"), ha1, 100,
					&PL("10.0.0.1:5060")),
		     0);
	/* two newer nonces evict it; replaying then is refused as stale */
	for (uint64_t t = 101; t <= 102; t++) {
		REQUIRE(!srv_round(&f, AUTH_ALG_MD5, t, "pw"));
		CHECK_EQ_INT(auth_server_verify(f.s, &f.cr, &PL("REGISTER"),
						ha1, t, NULL),
			     0);
	}
	CHECK_EQ_INT(auth_server_verify(f.s, &first, &PL("REGISTER"), ha1, 103,
					&PL("10.0.0.1:5060")),
		     ETIMEDOUT);
	obj_deref(f.c);
	obj_deref(f.b);
	obj_deref(f.s);
}

int main(void)
{
	harness_watchdog(20);
	RUN(test_rfc_digest_vectors);
	RUN(test_chal_parse);
	RUN(test_chal_best);
	RUN(test_client_nc_and_stale);
	RUN(test_client_reused_credentials_refused_is_no_verdict);
	RUN(test_client_rfc2069);
	RUN(test_server);
	RUN(test_server_replay_eviction);
	return harness_done();
}
