/* test_phone.c: the phone core without media: listeners, OPTIONS and
 * other requests outside calls, SIP trace redaction, offers refused
 * before a call exists, accounts and registration, call errors. */
#include "mock/regsock.h"
#include "phone_fix.h"
#include "ua/stack/stack.h"
#include "ua/stack/stacktp.h"

static void test_listen_defaults_open_udp_tcp_tls(void)
{
	struct pf x;
	struct pf_phone a;
	struct phone_opts o;
	char cert[128];

	REQUIRE(!pf_init(&x));
	phone_opts_default(&o);
	o.cert_dir = pf_path(&x, "cert", cert, sizeof(cert));
	o.audio = AUDEV_NULL;
	REQUIRE(!pf_phone_open(&x, &a, "a", &o));
	CHECK(phone_listen_addr(a.p, "udp") != NULL);
	CHECK(phone_listen_addr(a.p, "tcp") != NULL);
	CHECK(phone_listen_addr(a.p, "TLS") != NULL);
	CHECK(phone_listen_addr(a.p, "sctp") == NULL);
	/* the TLS identity was made in the cert dir */
	CHECK(!access(pf_path(&x, "cert/tls-cert.pem", cert, sizeof(cert)),
		      R_OK));
	pf_phone_close(&a);
	pf_close(&x);
}

static void test_listen_specs(void)
{
	struct pf x;
	struct pf_phone a;
	struct phone_opts o;
	const char *udp;

	REQUIRE(!pf_init(&x));
	pf_opts(&x, &o);
	REQUIRE(!pf_phone_open(&x, &a, "a", &o));
	udp = phone_listen_addr(a.p, "udp");
	REQUIRE(udp != NULL);
	CHECK(!strncmp(udp, "127.0.0.1:", 10) && atoi(udp + 10) > 0);
	CHECK(phone_listen_addr(a.p, "tcp") != NULL);
	CHECK(phone_listen_addr(a.p, "tls") == NULL); /* not asked for */
	pf_phone_close(&a);
	pf_close(&x);
}

static void test_bad_listen_specs_are_refused_with_a_reason(void)
{
	static const struct {
		const char *spec[2];
		size_t n;
		const char *reason; /* part of the message */
	} tv[] = {
	    {{"sctp:127.0.0.1:5060"}, 1, "bad listen address"},
	    {{"udp:nonsense"}, 1, "bad listen address"},
	    {{"udp127.0.0.1"}, 1, "bad listen address"},
	    {{"udp:::1:5060"}, 1, "IPv6 in brackets"},
	    {{"udp:[::1"}, 1, "bad listen address"},
	    {{"udp:127.0.0.1:0", "udp:127.0.0.1:0"}, 2, "one listener"},
	    {{"udp:[::1]:0", "udp:[::1]:0"}, 2, "one listener"},
	};
	struct pf x;
	size_t i;

	REQUIRE(!pf_init(&x));
	for (i = 0; i < sizeof(tv) / sizeof(tv[0]); i++) {
		struct phone_opts o;
		struct phone *p = NULL;
		char err[200] = "";

		pf_opts(&x, &o);
		o.listen[0] = tv[i].spec[0];
		o.listen[1] = tv[i].spec[1];
		o.nlisten = tv[i].n;
		CHECK_EQ_INT(
		    phone_alloc(&p, x.loop, &o, NULL, NULL, err, sizeof(err)),
		    EINVAL);
		CHECK(p == NULL);
		CHECK(strstr(err, tv[i].reason) != NULL);
	}
	pf_close(&x);
}

/* Send a @p method request from the raw peer @p r to phone @p a, outside a
   call: branch, From tag and Call-ID are made from @p id; @p totag (or NULL)
   names a dialog; @p sdp (or NULL) is an SDP body, sent with a Contact.
   Wait for a response starting with @p want. */
static bool raw_send_req(struct pf *x, struct pf_raw *r, struct pf_phone *a,
			 const char *method, const char *id, const char *totag,
			 const char *sdp, const char *want)
{
	char req[3000], hdrs[128] = "";
	const char *hp = phone_listen_addr(a->p, "udp");

	if (sdp)
		snprintf(hdrs, sizeof(hdrs),
			 "Contact: <sip:t@127.0.0.1:%u>\r\n"
			 "Content-Type: application/sdp\r\n",
			 r->port);
	snprintf(req, sizeof(req),
		 "%s sip:b@%s SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bK%s;rport\r\n"
		 "Max-Forwards: 70\r\n"
		 "From: <sip:t@127.0.0.1>;tag=%s\r\nTo: <sip:b@%s>%s%s\r\n"
		 "Call-ID: %s@test\r\nCSeq: 1 %s\r\n"
		 "%sContent-Length: %zu\r\n\r\n%s",
		 method, hp, r->port, id, id, hp, totag ? ";tag=" : "",
		 totag ? totag : "", id, method, hdrs, sdp ? strlen(sdp) : 0,
		 sdp ? sdp : "");
	return !pf_raw_send(r, hp, req) && pf_raw_wait(x, r, want, 2000);
}

/* a request outside a call from the raw peer; wait for @p want */
static bool raw_request(struct pf *x, struct pf_raw *r, struct pf_phone *a,
			const char *method, const char *totag, const char *want)
{
	char id[32];

	snprintf(id, sizeof(id), "%s%s", method, totag ? "d" : "");
	return raw_send_req(x, r, a, method, id, totag, NULL, want);
}

static void test_options_gets_200_with_allow_accept_supported(void)
{
	struct pf x;
	struct pf_phone a;
	struct pf_raw r;
	char req[600], v[200];

	REQUIRE(!pf_open_raw(&x, &a, &r));
	/* to the bare host, as proxies' keep-alive pings are */
	snprintf(req, sizeof(req),
		 "OPTIONS sip:%s SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bKopt1;rport\r\n"
		 "Max-Forwards: 70\r\n"
		 "From: <sip:t@127.0.0.1>;tag=1\r\nTo: <sip:%s>\r\n"
		 "Call-ID: opt1@test\r\nCSeq: 1 OPTIONS\r\n"
		 "Content-Length: 0\r\n\r\n",
		 phone_listen_addr(a.p, "udp"), r.port,
		 phone_listen_addr(a.p, "udp"));
	REQUIRE(!pf_raw_send(&r, phone_listen_addr(a.p, "udp"), req));
	CHECK(pf_raw_wait(&x, &r, "SIP/2.0 200", 2000));
	pf_raw_hdr(&r, "Allow", v, sizeof(v));
	CHECK(strstr(v, "INVITE") && strstr(v, "BYE") && strstr(v, "REFER") &&
	      strstr(v, "OPTIONS") && strstr(v, "INFO"));
	CHECK_EQ_STR(pf_raw_hdr(&r, "Accept", v, sizeof(v)), "application/sdp");
	CHECK(strstr(pf_raw_hdr(&r, "Supported", v, sizeof(v)), "100rel"));
	pf_close_raw(&x, &a, &r);
}

static void test_other_requests_get_405_or_481(void)
{
	struct pf x;
	struct pf_phone a;
	struct pf_raw r;
	char v[200];

	REQUIRE(!pf_open_raw(&x, &a, &r));
	CHECK(raw_request(&x, &r, &a, "MESSAGE", NULL, "SIP/2.0 405"));
	CHECK(strstr(pf_raw_hdr(&r, "Allow", v, sizeof(v)), "INVITE"));
	CHECK(raw_request(&x, &r, &a, "SUBSCRIBE", NULL, "SIP/2.0 405"));
	CHECK(raw_request(&x, &r, &a, "BYE", "nosuch", "SIP/2.0 481"));
	CHECK(raw_request(&x, &r, &a, "INFO", "nosuch", "SIP/2.0 481"));
	CHECK(raw_request(&x, &r, &a, "NOTIFY", NULL, "SIP/2.0 481"));
	CHECK(a.nev == 0); /* nothing a user needs to see */
	pf_close_raw(&x, &a, &r);
}

/* ---- offers refused before a call exists ---- */

static const char key_b64[] = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";

/* INVITE number @p n offering @p sdp from the raw peer; wait for @p want */
static bool send_invite(struct pf *x, struct pf_raw *r, struct pf_phone *a,
			int n, const char *sdp, const char *want)
{
	char id[32];

	snprintf(id, sizeof(id), "inv%d", n);
	return raw_send_req(x, r, a, "INVITE", id, NULL, sdp, want);
}

#define SDP_HEAD "v=0\r\no=t 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"

static void test_bad_offers_get_488_or_400_with_a_reason(void)
{
	static const struct {
		const char *name;
		const char *sdp;
		const char *want;
	} tv[] = {
	    {"missing c=", SDP_HEAD "m=audio 4000 RTP/AVP 0\r\n", "SIP/2.0 4"},
	    {"bad crypto base64",
	     SDP_HEAD "c=IN IP4 127.0.0.1\r\nm=audio 4000 RTP/SAVP 0\r\n"
		      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:@@@@!!\r\n",
	     "SIP/2.0 4"},
	    {"absurd port",
	     SDP_HEAD "c=IN IP4 127.0.0.1\r\nm=audio 99999 RTP/AVP 0\r\n",
	     "SIP/2.0 4"},
	    {"unknown profile",
	     SDP_HEAD "c=IN IP4 127.0.0.1\r\nm=audio 4000 RTP/XYZ 0\r\n",
	     "SIP/2.0 488"},
	    {"no common codec",
	     SDP_HEAD "c=IN IP4 127.0.0.1\r\nm=audio 4000 RTP/AVP 3\r\n",
	     "SIP/2.0 488"},
	    {"host name address",
	     SDP_HEAD
	     "c=IN IP4 media.example.com\r\nm=audio 4000 RTP/AVP 0\r\n",
	     "SIP/2.0 488"},
	    {"garbage", "this is not SDP at all\r\n", "SIP/2.0 4"},
	};
	struct pf x;
	struct pf_phone a;
	struct pf_raw r;
	char v[200];
	size_t i;

	REQUIRE(!pf_open_raw(&x, &a, &r));
	for (i = 0; i < sizeof(tv) / sizeof(tv[0]); i++) {
		bool ok =
		    send_invite(&x, &r, &a, (int)i + 1, tv[i].sdp, tv[i].want);

		if (!ok)
			fprintf(stderr, "%s: got %.40s\n", tv[i].name, r.rx);
		CHECK(ok);
		CHECK(!strncmp(r.rx, "SIP/2.0 488", 11) ||
		      !strncmp(r.rx, "SIP/2.0 400", 11));
		pf_raw_hdr(&r, "Warning", v, sizeof(v));
		CHECK(!strncmp(v, "399 ", 4) && strchr(v, '"'));
	}
	/* none of them became a call the user sees */
	CHECK_EQ_INT(pf_count(&a, PHONE_EV_INCOMING, 0), 0);
	CHECK_EQ_INT(phone_calls(a.p, NULL, 0), 0);
	pf_close_raw(&x, &a, &r);
}

static void test_mandatory_srtp_refuses_plain_offer(void)
{
	struct pf x;
	struct pf_phone a;
	struct phone_opts o;
	struct phone_account acc;
	struct pf_raw r;
	char v[200], err[200];

	REQUIRE(!pf_init(&x));
	pf_opts(&x, &o);
	REQUIRE(!pf_phone_open(&x, &a, "a", &o));
	phone_account_default(&acc);
	snprintf(acc.aor, sizeof(acc.aor), "sip:b@127.0.0.1");
	snprintf(acc.registrar, sizeof(acc.registrar), "none");
	acc.mediaenc = SDP_ENC_MANDATORY;
	REQUIRE(!phone_account_add(a.p, &acc, err, sizeof(err)));
	REQUIRE(!pf_raw_open(&r));
	CHECK(send_invite(&x, &r, &a, 1,
			  SDP_HEAD "c=IN IP4 127.0.0.1\r\n"
				   "m=audio 4000 RTP/AVP 0\r\n",
			  "SIP/2.0 488"));
	CHECK(strstr(pf_raw_hdr(&r, "Warning", v, sizeof(v)), "\""));
	pf_close_raw(&x, &a, &r);
}

static void test_trace_shows_messages_with_keys_redacted(void)
{
	struct pf x;
	struct pf_phone a;
	struct phone_opts o;
	struct pf_raw r;
	char sdp[600];
	const char *t;

	REQUIRE(!pf_init(&x));
	pf_opts(&x, &o);
	o.sip_trace = true;
	REQUIRE(!pf_phone_open(&x, &a, "a", &o));
	REQUIRE(!buf_alloc(&a.trace, 4096));
	REQUIRE(!pf_raw_open(&r));
	/* an offer we refuse (unknown profile), carrying a key */
	snprintf(sdp, sizeof(sdp),
		 SDP_HEAD "c=IN IP4 127.0.0.1\r\nm=audio 4000 RTP/XYZ 0\r\n"
			  "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n",
		 key_b64);
	CHECK(send_invite(&x, &r, &a, 1, sdp, "SIP/2.0 488"));
	(void)buf_write(a.trace, "", 1);
	t = (const char *)a.trace->b;
	CHECK(strstr(t, "<- 127.0.0.1:") != NULL);
	CHECK(strstr(t, "-> 127.0.0.1:") != NULL);
	CHECK(strstr(t, "INVITE sip:b@") != NULL);
	CHECK(strstr(t, "SIP/2.0 488") != NULL);
	CHECK(strstr(t, "inline:<redacted>") != NULL);
	CHECK(strstr(t, key_b64) == NULL);
	CHECK(strstr(t, "WVNfX19z") == NULL);
	pf_close_raw(&x, &a, &r);
}

/* ---- accounts ---- */

/* the mock registrar on a UDP stack of its own, on the phone's loop */
struct regsrv {
	struct regsock_side side;
	struct mockreg mr;
};

static int regsrv_open(struct pf *x, struct regsrv *s,
		       const struct mockreg_opts *mo)
{
	memset(s, 0, sizeof(*s));
	mockreg_init(&s->mr, mo);
	return regsock_side_open(&s->side, x->loop, &s->mr, TP_UDP, NULL, NULL);
}

static bool has_registered(void *arg)
{
	return pf_count(arg, PHONE_EV_REGISTERED, 0) > 0;
}

static bool has_reg_failed(void *arg)
{
	return pf_count(arg, PHONE_EV_REG_FAILED, 0) > 0;
}

static void shut_done(void *arg)
{
	*(int *)arg += 1;
}

static bool is_set(void *arg)
{
	return *(int *)arg != 0;
}

static void account_for(struct regsrv *s, struct phone_account *acc,
			const char *pass)
{
	struct sa la;
	char hp[SA_STR_MAX];

	tp_laddr(s->side.tp, TP_UDP, AF_INET, &la);
	phone_account_default(acc);
	snprintf(acc->display, sizeof(acc->display), "Alice");
	snprintf(acc->aor, sizeof(acc->aor), "sip:alice@%s",
		 sa_print(&la, hp, sizeof(hp)));
	snprintf(acc->auth_pass, sizeof(acc->auth_pass), "%s", pass);
	acc->regint = 300;
}

static void test_account_registers_and_unregisters_on_shutdown(void)
{
	struct mockreg_opts mo = {.password = "secret", .max_expires = 120};
	struct pf x;
	struct pf_phone a;
	struct phone_opts o;
	struct phone_account acc;
	struct phone_account_info ai[2];
	struct regsrv s;
	char err[200];
	int done = 0;

	REQUIRE(!pf_init(&x));
	REQUIRE(!regsrv_open(&x, &s, &mo));
	pf_opts(&x, &o);
	REQUIRE(!pf_phone_open(&x, &a, "a", &o));
	account_for(&s, &acc, "secret");
	REQUIRE(!phone_account_add(a.p, &acc, err, sizeof(err)));
	CHECK_EQ_INT(phone_accounts(a.p, ai, 2), 1);
	CHECK_EQ_STR(ai[0].name, "Alice");
	CHECK_EQ_STR(ai[0].state, "registering");
	CHECK(pf_run(&x, has_registered, &a, 3000));
	CHECK_EQ_INT(pf_last(&a, PHONE_EV_REGISTERED)->scode, 200);
	CHECK_EQ_INT(a.ev[0].kind, PHONE_EV_REGISTERED);
	phone_accounts(a.p, ai, 2);
	CHECK_EQ_STR(ai[0].state, "registered");
	CHECK(strstr(s.mr.contact, "sip:alice@127.0.0.1:") != NULL);
	/* the same name again */
	CHECK_EQ_INT(phone_account_add(a.p, &acc, err, sizeof(err)), EEXIST);
	CHECK(strstr(err, "exists") != NULL);
	phone_shutdown(a.p, shut_done, &done);
	CHECK(pf_run(&x, is_set, &done, 3000));
	CHECK_EQ_INT(done, 1);
	CHECK_EQ_INT(pf_count(&a, PHONE_EV_UNREGISTERED, 0), 1);
	CHECK_EQ_STR(s.mr.contact, "");
	pf_phone_close(&a);
	regsock_side_close(&s.side);
	pf_close(&x);
}

static void test_wrong_password_reports_reg_failed(void)
{
	struct mockreg_opts mo = {.password = "secret"};
	struct pf x;
	struct pf_phone a;
	struct phone_opts o;
	struct phone_account acc;
	struct phone_account_info ai;
	struct regsrv s;
	char err[200];

	REQUIRE(!pf_init(&x));
	REQUIRE(!regsrv_open(&x, &s, &mo));
	pf_opts(&x, &o);
	REQUIRE(!pf_phone_open(&x, &a, "a", &o));
	account_for(&s, &acc, "wrong");
	REQUIRE(!phone_account_add(a.p, &acc, err, sizeof(err)));
	CHECK(pf_run(&x, has_reg_failed, &a, 3000));
	CHECK_EQ_INT(pf_count(&a, PHONE_EV_REGISTERED, 0), 0);
	phone_accounts(a.p, &ai, 1);
	CHECK_EQ_STR(ai.state, "failed");
	CHECK(ai.reason[0] != '\0');
	pf_phone_close(&a);
	regsock_side_close(&s.side);
	pf_close(&x);
}

static void test_account_errors_and_no_registrar(void)
{
	struct pf x;
	struct pf_phone a;
	struct phone_opts o;
	struct phone_account acc;
	struct phone_account_info ai[4];
	char err[200];

	REQUIRE(!pf_init(&x));
	pf_opts(&x, &o);
	REQUIRE(!pf_phone_open(&x, &a, "a", &o));
	phone_account_default(&acc);
	snprintf(acc.aor, sizeof(acc.aor), "not a uri");
	CHECK_EQ_INT(phone_account_add(a.p, &acc, err, sizeof(err)), EINVAL);
	CHECK(strstr(err, "not a uri") != NULL);
	/* a name is fine (looked up when registering), TLS is not there */
	snprintf(acc.aor, sizeof(acc.aor), "sips:bob@pbx.example.com");
	CHECK(phone_account_add(a.p, &acc, err, sizeof(err)) != 0);
	CHECK(strstr(err, "not listening") != NULL);
	snprintf(acc.registrar, sizeof(acc.registrar), "none");
	CHECK_EQ_INT(phone_account_add(a.p, &acc, err, sizeof(err)), 0);
	CHECK_EQ_INT(phone_accounts(a.p, ai, 4), 1);
	CHECK_EQ_STR(ai[0].name, "bob");
	CHECK_EQ_STR(ai[0].state, "no registrar");
	pf_phone_close(&a);
	pf_close(&x);
}

static void test_call_functions_without_calls(void)
{
	struct pf x;
	struct pf_phone a;
	struct phone_opts o;
	unsigned id = 0;

	REQUIRE(!pf_init(&x));
	pf_opts(&x, &o);
	REQUIRE(!pf_phone_open(&x, &a, "a", &o));
	CHECK_EQ_INT(phone_hangup(a.p, 3), ENOENT);
	CHECK_EQ_STR(phone_error(a.p), "no call 3");
	CHECK_EQ_INT(phone_answer(a.p, 0), ENOENT);
	CHECK_EQ_INT(phone_hold(a.p, 0, true), ENOENT);
	CHECK_EQ_INT(phone_dtmf(a.p, 0, "1"), ENOENT);
	CHECK_EQ_INT(phone_mute(a.p, 0, true), ENOENT);
	CHECK_EQ_INT(phone_transfer(a.p, 0, "sip:x@127.0.0.1"), ENOENT);
	CHECK_EQ_INT(phone_dial(a.p, "nosuch", "sip:x@127.0.0.1", &id), ENOENT);
	CHECK(strstr(phone_error(a.p), "nosuch") != NULL);
	/* a plain number needs an account domain */
	CHECK_EQ_INT(phone_dial(a.p, NULL, "123", &id), EINVAL);
	CHECK(strstr(phone_error(a.p), "123") != NULL);
	CHECK_EQ_INT(phone_dial(a.p, NULL, "sip:", &id), EINVAL);
	CHECK_EQ_INT(phone_calls(a.p, NULL, 0), 0);
	pf_phone_close(&a);
	pf_close(&x);
}

int main(void)
{
	harness_watchdog(60);
	RUN(test_listen_defaults_open_udp_tcp_tls);
	RUN(test_listen_specs);
	RUN(test_bad_listen_specs_are_refused_with_a_reason);
	RUN(test_options_gets_200_with_allow_accept_supported);
	RUN(test_other_requests_get_405_or_481);
	RUN(test_bad_offers_get_488_or_400_with_a_reason);
	RUN(test_mandatory_srtp_refuses_plain_offer);
	RUN(test_trace_shows_messages_with_keys_redacted);
	RUN(test_account_registers_and_unregisters_on_shutdown);
	RUN(test_wrong_password_reports_reg_failed);
	RUN(test_account_errors_and_no_registrar);
	RUN(test_call_functions_without_calls);
	return harness_done();
}
