/* test_sess_misc.c: 181 forwarding hops, 3xx redirects (followed and
 * looping), digest on INVITE, REFER/NOTIFY, and odd in-dialog requests
 * from a raw socket that must be answered, never crash. */
#include <sys/socket.h>

#include "sess_fix.h"

static void test_two_181_forwardh_in_order(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];

	REQUIRE(!fix_open(&f, 2, false));
	b->act = FIX_FWD181;
	fix_call(a, b);
	CHECK(fix_run(&f, &a->nclose, 1));
	CHECK_EQ_INT(a->nfwd, 2);
	CHECK_EQ_STR(a->fwd_user[0], "userb");
	CHECK_EQ_STR(a->fwd_contact[0], "userc");
	CHECK_EQ_STR(a->fwd_user[1], "userc");
	CHECK_EQ_STR(a->fwd_contact[1], "userd");
	CHECK_EQ_INT(a->nprogress, 2);
	CHECK_EQ_INT(a->progress[0], 181);
	CHECK_EQ_INT(a->progress[1], 181);
	CHECK_EQ_INT(a->how, SESS_END_REJECTED);
	CHECK_EQ_INT(a->close_scode, 480);
	fix_close(&f);
}

static void forwarding_hops(bool rel)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	const char *r1, *r2;
	char v[160];

	REQUIRE(!fix_open(&f, 2, false));
	if (!rel)
		a->o.rel100 = SESS_100REL_OFF;
	b->act = FIX_FORWARD_ANSWER;
	fix_call(a, b);
	CHECK(fix_run(&f, &a->nestablished, 1));
	CHECK_EQ_INT(a->nfwd, 2);
	CHECK_EQ_STR(a->fwd_user[0], "userb");
	CHECK_EQ_STR(a->fwd_contact[0], "userc");
	CHECK_EQ_STR(a->fwd_user[1], "userc");
	CHECK_EQ_STR(a->fwd_contact[1], "userd");
	CHECK_EQ_INT(a->nprogress, 3);
	CHECK_EQ_INT(a->progress[0], 181);
	CHECK_EQ_INT(a->progress[1], 181);
	CHECK_EQ_INT(a->progress[2], 180);
	r1 = fix_sent(b, "SIP/2.0 181", 0);
	r2 = fix_sent(b, "SIP/2.0 181", 1);
	REQUIRE(r1 && r2);
	CHECK(strstr(fix_hdr(r1, "Call-Info", v, sizeof(v)),
		     ">;purpose=forwarding, username=\"userb\", "
		     "contact=\"userc\""));
	CHECK_EQ_INT(fix_count(a, "PRACK "), rel ? 3 : 0);
	fix_hangup(&f, a, b);
	fix_close(&f);
}

static void test_sess_forwarding_hops_reliable(void)
{
	forwarding_hops(true);
}

static void test_sess_forwarding_hops_unreliable(void)
{
	forwarding_hops(false);
}

static void test_302_followed_to_third_party(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1], *c = &f.ua[2];
	char v1[128], v2[128];
	const char *i1, *i2;

	REQUIRE(!fix_open(&f, 3, false));
	b->act = FIX_REDIRECT;
	b->redirect = c->uri;
	c->act = FIX_RING_ANSWER;
	fix_call(a, b);
	CHECK(fix_run(&f, &a->nestablished, 1));
	CHECK_EQ_INT(a->nredirect, 1);
	CHECK_EQ_STR(a->redirect_target[0], c->uri);
	CHECK_EQ_INT(a->redirect_hop[0], 1);
	CHECK_EQ_INT(c->nincoming, 1);
	i1 = fix_sent(a, "INVITE ", 0);
	i2 = fix_sent(a, "INVITE ", 1);
	REQUIRE(i1 && i2);
	CHECK(!strncmp(i2 + 7, c->uri, strlen(c->uri)));
	CHECK_EQ_STR(fix_hdr(i1, "Call-ID", v1, sizeof(v1)),
		     fix_hdr(i2, "Call-ID", v2, sizeof(v2)));
	CHECK_EQ_STR(fix_hdr(i1, "From", v1, sizeof(v1)),
		     fix_hdr(i2, "From", v2, sizeof(v2)));
	CHECK_EQ_STR(fix_hdr(i1, "CSeq", v1, sizeof(v1)), "1 INVITE");
	CHECK_EQ_STR(fix_hdr(i2, "CSeq", v2, sizeof(v2)), "2 INVITE");
	CHECK(strcmp(fix_hdr(i1, "Via", v1, sizeof(v1)),
		     fix_hdr(i2, "Via", v2, sizeof(v2))));
	CHECK_EQ_STR(sess_peer_uri(a->s), b->uri); /* To stays as dialled */
	fix_hangup(&f, a, c);
	CHECK_EQ_INT(c->how, SESS_END_REMOTE);
	fix_close(&f);
}

static void test_redirect_loop_stops_at_hop_limit(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];

	REQUIRE(!fix_open(&f, 2, false));
	b->act = FIX_REDIRECT;
	b->redirect = b->uri;
	a->o.max_redirects = 3;
	fix_call(a, b);
	CHECK(fix_run(&f, &a->nclose, 1));
	CHECK_EQ_INT(a->how, SESS_END_REJECTED);
	CHECK_EQ_INT(a->close_scode, 302);
	CHECK_EQ_INT(a->nredirect, 3);
	CHECK_EQ_INT(b->nincoming, 4);
	CHECK_EQ_INT(fix_count(a, "INVITE "), 4);
	fix_close(&f);
}

static void test_invite_digest_407_answered(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	const char *i2;

	REQUIRE(!fix_open(&f, 2, false));
	REQUIRE(!auth_server_alloc(&b->auth, NULL, "test", NULL, 0));
	a->o.auth_pass = "secret";
	fix_established(&f, a, b);
	CHECK_EQ_INT(fix_count(b, "SIP/2.0 407"), 1);
	CHECK_EQ_INT(fix_count(a, "INVITE "), 2);
	i2 = fix_sent(a, "INVITE ", 1);
	CHECK(i2 && strstr(i2, "Proxy-Authorization: Digest") &&
	      strstr(i2, "username=\"alice\""));
	CHECK(!strstr(fix_sent(a, "INVITE ", 0), "Authorization"));
	fix_hangup(&f, a, b);
	fix_close(&f);
}

static void test_invite_digest_wrong_password_rejected(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];

	REQUIRE(!fix_open(&f, 2, false));
	REQUIRE(!auth_server_alloc(&b->auth, NULL, "test", NULL, 0));
	a->o.auth_pass = "wrong";
	b->act = FIX_ANSWER;
	fix_call(a, b);
	CHECK(fix_run(&f, &a->nclose, 1));
	CHECK_EQ_INT(a->how, SESS_END_REJECTED);
	CHECK_EQ_INT(a->close_scode, 407);
	CHECK_EQ_INT(fix_count(a, "INVITE "), 2);
	CHECK_EQ_INT(b->nincoming, 0);
	fix_close(&f);
}

static void test_refer_and_notify(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1], *c = &f.ua[2];
	const char *n;
	char v[128];

	REQUIRE(!fix_open(&f, 3, false));
	fix_established(&f, a, b);
	CHECK_EQ_INT(sess_refer_notify(b->s, 200, NULL), ENOTCONN);
	CHECK_EQ_INT(sess_refer(a->s, c->uri), 0);
	CHECK(fix_run(&f, &b->nrefer, 1));
	CHECK_EQ_STR(b->refer_target, c->uri);
	CHECK(fix_resp(b, "SIP/2.0 202", "REFER") != NULL);
	CHECK(fix_run(&f, &a->nrefer_status, 1));
	CHECK_EQ_INT(a->refer_status[0], 100);
	CHECK_EQ_INT(sess_refer_notify(b->s, 200, "OK"), 0);
	CHECK(fix_run(&f, &a->nrefer_status, 2));
	CHECK_EQ_INT(a->refer_status[1], 200);
	n = fix_sent(b, "NOTIFY ", 1);
	REQUIRE(n);
	CHECK_EQ_STR(fix_hdr(n, "Event", v, sizeof(v)), "refer");
	CHECK(strstr(fix_hdr(n, "Content-Type", v, sizeof(v)),
		     "message/sipfrag"));
	CHECK(strstr(fix_hdr(n, "Subscription-State", v, sizeof(v)),
		     "terminated"));
	CHECK(strstr(n, "\r\n\r\nSIP/2.0 200 OK\r\n") != NULL);
	fix_settle(&f, 5);
	CHECK_EQ_INT(fix_count(a, "SIP/2.0 200"), 2); /* both NOTIFYs */
	fix_hangup(&f, a, b);
	fix_close(&f);
}

static void test_bye_challenged_401_retried(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	const char *bye2;

	REQUIRE(!fix_open(&f, 2, false));
	REQUIRE(!auth_server_alloc(&b->auth, NULL, "test", NULL, 0));
	b->auth_bye = true;
	a->o.auth_pass = "secret";
	fix_established(&f, a, b);
	fix_hangup(&f, a, a);
	CHECK(fix_run(&f, &b->nclose, 1));
	CHECK_EQ_INT(fix_count(b, "SIP/2.0 401"), 1);
	CHECK_EQ_INT(fix_count(a, "BYE "), 2);
	bye2 = fix_sent(a, "BYE ", 1);
	CHECK(bye2 && strstr(bye2, "\r\nAuthorization: Digest"));
	CHECK_EQ_INT(a->how, SESS_END_LOCAL);
	CHECK_EQ_INT(a->close_scode, 200);
	CHECK_EQ_INT(b->how, SESS_END_REMOTE);
	fix_close(&f);
}

static void test_outbound_proxy_preloaded_route(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	char proxy[64], v[128];
	const char *inv, *bye;

	REQUIRE(!fix_open(&f, 2, false));
	/* bob's stack plays the proxy: the INVITE for carol goes there */
	snprintf(proxy, sizeof(proxy), "sip:%s", strchr(b->uri, '@') + 1);
	a->o.proxy = proxy;
	a->o.hdrs = "X-Test: yes"; /* the CRLF is added */
	b->act = FIX_ANSWER;
	CHECK_EQ_INT(sess_connect(&a->s, a->sl, "sip:carol@example.com", &a->o,
				  &fix_h, a),
		     0);
	CHECK(fix_run(&f, &a->nestablished, 1));
	inv = fix_sent(a, "INVITE ", 0);
	REQUIRE(inv);
	CHECK(!strncmp(inv, "INVITE sip:carol@example.com SIP/2.0", 36));
	snprintf(proxy + strlen(proxy), sizeof(proxy) - strlen(proxy), ";lr>");
	CHECK_EQ_STR(fix_hdr(inv, "Route", v, sizeof(v)) + 1, proxy);
	CHECK_EQ_STR(fix_hdr(inv, "X-Test", v, sizeof(v)), "yes");
	fix_hangup(&f, a, b);
	bye = fix_sent(a, "BYE ", 0);
	CHECK(bye && !strncmp(bye, "BYE sip:bob@127.0.0.1:", 22));
	fix_close(&f);
}

static void test_2xx_crossing_cancel_gets_ack_and_bye(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];

	REQUIRE(!fix_open(&f, 2, false));
	fix_ringing(&f, a, b);
	CHECK_EQ_INT(sess_answer(b->s), 0); /* 200 on its way ...      */
	CHECK_EQ_INT(sess_hangup(a->s), 0); /* ... while CANCEL leaves  */
	CHECK(fix_run(&f, &a->nclose, 1));
	CHECK(fix_run(&f, &b->nclose, 1));
	CHECK_EQ_INT(fix_count(a, "CANCEL "), 1);
	CHECK_EQ_INT(fix_count(a, "ACK "), 1);
	CHECK_EQ_INT(fix_count(a, "BYE "), 1);
	CHECK_EQ_INT(fix_count(b, "SIP/2.0 487"), 0);
	CHECK_EQ_INT(a->how, SESS_END_LOCAL);
	CHECK_EQ_INT(a->nestablished, 0);
	CHECK_EQ_INT(b->how, SESS_END_REMOTE);
	fix_close(&f);
}

static void test_answer_before_prack_waits_for_it(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	int i183, iprack, iok;

	REQUIRE(!fix_open(&f, 2, false));
	b->act = FIX_PROGRESS_ANSWER;
	fix_call(a, b);
	CHECK(fix_run(&f, &a->nestablished, 1));
	CHECK(fix_run(&f, &b->nestablished, 1));
	i183 = fix_index(b, fix_sent(b, "SIP/2.0 183", 0));
	iprack = fix_index(b, fix_resp(b, "SIP/2.0 200", "PRACK"));
	iok = fix_index(b, fix_resp(b, "SIP/2.0 200", "INVITE"));
	CHECK(i183 >= 0 && iprack > i183 && iok > iprack);
	CHECK_EQ_INT(a->nremote_answer, 1);
	fix_hangup(&f, b, a);
	fix_close(&f);
}

static int tls_capture(const struct tsx_addr *dst, struct buf *mb, void *arg)
{
	char *out = arg;
	size_t n = mb->end - mb->pos;

	(void)dst;
	if (n > 2047)
		n = 2047;
	memcpy(out, mb->b + mb->pos, n);
	out[n] = '\0';
	return 0;
}

static void test_tls_contact_is_sips(void)
{
	struct sockaddr_storage la = {0};
	struct sockaddr_in *s4 = (struct sockaddr_in *)&la;
	struct loop *loop = NULL;
	struct stack *st = NULL;
	struct sess_layer *sl = NULL;
	struct sess *s = NULL;
	struct sess_opts o;
	static char sent[2048];
	struct fix_ua u = {.offer = "v=0 tls"};
	char v[128];

	s4->sin_family = AF_INET;
	s4->sin_port = htons(5061);
	s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	REQUIRE(!loop_alloc(&loop));
	REQUIRE(!stack_alloc(&st, loop, NULL, NULL, NULL));
	REQUIRE(!stack_transport_add(st, TSX_TP_TLS, &la, tls_capture, sent));
	REQUIRE(!sess_layer_alloc(&sl, st));
	sess_opts_default(&o);
	o.from = "sips:alice@example.com";
	o.contact_user = "alice";
	CHECK_EQ_INT(
	    sess_connect(&s, sl, "sips:bob@127.0.0.1:5062", &o, &fix_h, &u), 0);
	CHECK(!strncmp(sent, "INVITE sips:bob@127.0.0.1:5062 SIP/2.0", 38));
	CHECK_EQ_STR(fix_hdr(sent, "Contact", v, sizeof(v)),
		     "<sips:alice@127.0.0.1:5061>");
	CHECK(!strncmp(fix_hdr(sent, "Via", v, sizeof(v)), "SIP/2.0/TLS ", 12));
	obj_deref(s);
	s = NULL;
	/* a sip: target over TLS keeps sip: with ;transport=tls (RFC 5630;
	   older peers fail on a sips: Contact they did not ask for) */
	CHECK_EQ_INT(sess_connect(&s, sl,
				  "sip:bob@127.0.0.1:5062;transport=tls", &o,
				  &fix_h, &u),
		     0);
	CHECK_EQ_STR(fix_hdr(sent, "Contact", v, sizeof(v)),
		     "<sip:alice@127.0.0.1:5061;transport=tls>");
	/* no UDP transport: a sip: target cannot be reached */
	CHECK_EQ_INT(sess_connect(&s, sl, "sip:bob@127.0.0.1", &o, &fix_h, &u),
		     ENOTSUP);
	CHECK_EQ_INT(sess_connect(&s, sl, "bob", &o, &fix_h, &u), EINVAL);
	CHECK_EQ_INT(sess_connect(&s, sl, "tel:+123", &o, &fix_h, &u), EINVAL);
	obj_deref(s);
	obj_deref(sl);
	obj_deref(st);
	obj_deref(loop);
}

/* ---- odd requests from a raw socket ---- */

struct raw {
	int fd;
	struct sockaddr_in to;
	char callid[64], ftag[64], ttag[64], ruri[96];
	unsigned cseq;
};

static int raw_open(struct raw *r, const struct fix_ua *a,
		    const struct fix_ua *b)
{
	struct sockaddr_in la = {.sin_family = AF_INET};
	const char *inv = fix_sent(a, "INVITE ", 0);
	const char *ok = fix_resp(b, "SIP/2.0 200", "INVITE");
	char v[160];
	const char *t;

	if (!inv || !ok)
		return EINVAL;
	r->fd = socket(AF_INET, SOCK_DGRAM, 0);
	la.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (r->fd < 0 || bind(r->fd, (void *)&la, sizeof(la)))
		return errno;
	r->to = *(const struct sockaddr_in *)stack_laddr(b->st, TSX_TP_UDP);
	snprintf(r->callid, sizeof(r->callid), "%s",
		 fix_hdr(inv, "Call-ID", v, sizeof(v)));
	t = strstr(fix_hdr(inv, "From", v, sizeof(v)), "tag=");
	snprintf(r->ftag, sizeof(r->ftag), "%s", t ? t + 4 : "");
	t = strstr(fix_hdr(ok, "To", v, sizeof(v)), "tag=");
	snprintf(r->ttag, sizeof(r->ttag), "%s", t ? t + 4 : "");
	snprintf(r->ruri, sizeof(r->ruri), "%s", b->uri);
	r->cseq = 100;
	return 0;
}

/* send "METHOD" with @p hdrs and @p body in the dialog; the status back */
static int raw_req(struct fix *f, struct raw *r, const char *method,
		   const char *ttag, const char *hdrs, const char *body)
{
	char m[2048], in[4096];
	int i, n, code = 0;

	n = snprintf(m, sizeof(m),
		     "%s %s SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;"
		     "branch=z9hG4bKraw%u;rport\r\nMax-Forwards: 70\r\n"
		     "From: <sip:alice@127.0.0.1>;tag=%s\r\n"
		     "To: <%s>;tag=%s\r\nCall-ID: %s\r\nCSeq: %u %s\r\n%s"
		     "Content-Length: %zu\r\n\r\n%s",
		     method, r->ruri, r->cseq, r->ftag, r->ruri, ttag,
		     r->callid, r->cseq, method, hdrs, strlen(body), body);
	r->cseq++;
	sendto(r->fd, m, (size_t)n, 0, (void *)&r->to, sizeof(r->to));
	for (i = 0; i < 200 && !code; i++) {
		loop_poll(f->loop, 5);
		n = (int)recv(r->fd, in, sizeof(in) - 1, MSG_DONTWAIT);
		if (n > 12 && !strncmp(in, "SIP/2.0 ", 8))
			code = atoi(in + 8);
		if (code == 100)
			code = 0;
	}
	return code;
}

static void test_odd_in_dialog_requests_answered(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	struct raw r;
	static const struct {
		const char *method, *hdrs, *body;
		int want;
	} tv[] = {
	    {"PRACK", "RAck: 999 1 INVITE\r\n", "", 481},
	    {"PRACK", "RAck: x y z\r\n", "", 400},
	    {"PRACK", "", "", 400},
	    {"NOTIFY", "", "", 489},
	    {"NOTIFY", "Event: presence\r\n", "", 489},
	    {"NOTIFY", "Event: refer\r\n", "garbage", 200},
	    {"REFER", "", "", 400},
	    {"REFER", "Refer-To: not a uri\r\n", "", 400},
	    {"INFO", "Content-Type: text/plain\r\n", "hello", 415},
	    {"INFO", "Content-Type: application/dtmf\r\n", "7", 200},
	    {"INFO", "Content-Type: application/dtmf-relay\r\n", "Signal=\r\n",
	     400},
	    {"INFO", "Content-Type: application/dtmf-relay\r\n",
	     "Duration=100\r\nsignal = *\r\n", 200},
	    {"FOO", "", "", 405},
	    {"UPDATE", "Content-Type: application/sdp\r\n", "v=0 upd", 200},
	    {"INVITE", "Contact: <sip:alice@127.0.0.1:9>\r\n", "", 200},
	};
	size_t i;

	REQUIRE(!fix_open(&f, 2, false));
	fix_established(&f, a, b);
	REQUIRE(!raw_open(&r, a, b));
	for (i = 0; i < sizeof(tv) / sizeof(tv[0]); i++) {
		int code = raw_req(&f, &r, tv[i].method, r.ttag, tv[i].hdrs,
				   tv[i].body);
		if (code != tv[i].want)
			fprintf(stderr, "case %zu (%s %s)\n", i, tv[i].method,
				tv[i].hdrs);
		CHECK_EQ_INT(code, tv[i].want);
	}
	CHECK_EQ_STR(b->digits, "7*");
	CHECK_EQ_INT(raw_req(&f, &r, "BYE", "wrongtag", "", ""), 481);
	/* an old CSeq is refused */
	r.cseq = 50;
	CHECK_EQ_INT(raw_req(&f, &r, "INFO", r.ttag, "", ""), 500);
	CHECK_EQ_INT(b->nclose, 0);
	close(r.fd);
	fix_close(&f);
}

/* ---- a forking peer on a raw socket ---- */

struct fork_peer {
	int fd;
	struct sockaddr_in me, ua;
	char log[16384]; /* every datagram received, "\n====\n" between */
	char via[200], from[200], to[200], callid[100], cseq[40];
};

static void peer_poll(struct fix *f, struct fork_peer *p, int rounds)
{
	char in[4096];
	int i, n;

	for (i = 0; i < rounds; i++) {
		loop_poll(f->loop, 2);
		while ((n = (int)recv(p->fd, in, sizeof(in) - 1,
				      MSG_DONTWAIT)) > 0) {
			in[n] = '\0';
			strncat(p->log, in,
				sizeof(p->log) - strlen(p->log) - 1);
			strncat(p->log, "\n====\n",
				sizeof(p->log) - strlen(p->log) - 1);
		}
	}
}

static int peer_count(const struct fork_peer *p, const char *needle)
{
	const char *x = p->log;
	int n = 0;

	while ((x = strstr(x, needle))) {
		n++;
		x++;
	}
	return n;
}

static void peer_resp(struct fork_peer *p, const char *status, const char *tag,
		      const char *hdrs, const char *body)
{
	char m[2048];
	int n =
	    snprintf(m, sizeof(m),
		     "SIP/2.0 %s\r\nVia: %s\r\nFrom: %s\r\nTo: %s;tag=%s\r\n"
		     "Call-ID: %s\r\nCSeq: %s\r\n"
		     "Contact: <sip:%s@127.0.0.1:%u>\r\n%s"
		     "Content-Length: %zu\r\n\r\n%s",
		     status, p->via, p->from, p->to, tag, p->callid, p->cseq,
		     tag, ntohs(p->me.sin_port), hdrs, strlen(body), body);

	sendto(p->fd, m, (size_t)n, 0, (void *)&p->ua, sizeof(p->ua));
}

static void test_forked_18x_pracked_second_2xx_ended(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0];
	struct fork_peer p;
	socklen_t len = sizeof(p.me);
	char target[64];
	const char *inv;
	static const char rel[] = "Require: 100rel\r\nRSeq: 1\r\n";

	REQUIRE(!fix_open(&f, 1, false));
	memset(&p, 0, sizeof(p));
	p.fd = socket(AF_INET, SOCK_DGRAM, 0);
	p.me.sin_family = AF_INET;
	p.me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	REQUIRE(p.fd >= 0 && !bind(p.fd, (void *)&p.me, sizeof(p.me)));
	getsockname(p.fd, (void *)&p.me, &len);
	p.ua = *(const struct sockaddr_in *)stack_laddr(a->st, TSX_TP_UDP);
	snprintf(target, sizeof(target), "sip:bob@127.0.0.1:%u",
		 ntohs(p.me.sin_port));
	CHECK_EQ_INT(sess_connect(&a->s, a->sl, target, &a->o, &fix_h, a), 0);
	peer_poll(&f, &p, 20);
	inv = strstr(p.log, "INVITE ");
	REQUIRE(inv);
	fix_hdr(inv, "Via", p.via, sizeof(p.via));
	fix_hdr(inv, "From", p.from, sizeof(p.from));
	fix_hdr(inv, "To", p.to, sizeof(p.to));
	fix_hdr(inv, "Call-ID", p.callid, sizeof(p.callid));
	fix_hdr(inv, "CSeq", p.cseq, sizeof(p.cseq));
	/* two phones ring, both with reliable 180s, one of them twice */
	peer_resp(&p, "180 Ringing", "fone", rel, "");
	peer_resp(&p, "180 Ringing", "ftwo", rel, "");
	peer_resp(&p, "180 Ringing", "ftwo", rel, "");
	peer_poll(&f, &p, 20);
	CHECK_EQ_INT(peer_count(&p, "PRACK sip:fone@"), 1);
	CHECK_EQ_INT(peer_count(&p, "PRACK sip:ftwo@"), 1);
	CHECK_EQ_INT(peer_count(&p, "RAck: 1 1 INVITE"), 2);
	CHECK_EQ_INT(a->nprogress, 2); /* the repeated 180 is not news */
	/* both answer: the first wins, the second is ACKed and ended */
	peer_resp(&p, "200 OK", "fone", "Content-Type: application/sdp\r\n",
		  "v=0 fone");
	peer_resp(&p, "200 OK", "ftwo", "Content-Type: application/sdp\r\n",
		  "v=0 ftwo");
	CHECK(fix_run(&f, &a->nestablished, 1));
	peer_poll(&f, &p, 20);
	CHECK_EQ_STR(a->answer_got, "v=0 fone");
	CHECK_EQ_INT(peer_count(&p, "\nACK sip:fone@"), 1);
	CHECK_EQ_INT(peer_count(&p, "\nACK sip:ftwo@"), 1);
	CHECK_EQ_INT(peer_count(&p, "BYE sip:ftwo@"), 1);
	CHECK_EQ_INT(peer_count(&p, "BYE sip:fone@"), 0);
	/* a retransmitted second 2xx is ACKed again, not BYEd again */
	peer_resp(&p, "200 OK", "ftwo", "", "");
	peer_poll(&f, &p, 20);
	CHECK_EQ_INT(peer_count(&p, "\nACK sip:ftwo@"), 2);
	CHECK_EQ_INT(peer_count(&p, "BYE sip:ftwo@"), 1);
	CHECK_EQ_INT(a->nclose, 0);
	close(p.fd);
	fix_close(&f);
}

int main(void)
{
	harness_watchdog(60);
	RUN(test_two_181_forwardh_in_order);
	RUN(test_sess_forwarding_hops_reliable);
	RUN(test_sess_forwarding_hops_unreliable);
	RUN(test_302_followed_to_third_party);
	RUN(test_redirect_loop_stops_at_hop_limit);
	RUN(test_invite_digest_407_answered);
	RUN(test_invite_digest_wrong_password_rejected);
	RUN(test_refer_and_notify);
	RUN(test_bye_challenged_401_retried);
	RUN(test_outbound_proxy_preloaded_route);
	RUN(test_2xx_crossing_cancel_gets_ack_and_bye);
	RUN(test_answer_before_prack_waits_for_it);
	RUN(test_odd_in_dialog_requests_answered);
	RUN(test_tls_contact_is_sips);
	RUN(test_forked_18x_pracked_second_2xx_ended);
	return harness_done();
}
