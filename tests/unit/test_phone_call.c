/* test_phone_call.c: calls between phones in one loop over loopback:
 * audio end to end (a 1 kHz tone detected in the callee's recording),
 * SRTP negotiation, refusals, hold/resume, DTMF, transfer, dial forms. */
#include "audio/tone.h"
#include "audio/wav.h"
#include "phone_fix.h"

/* a 2 s 1 kHz tone at 8 kHz in @p path */
static int write_tone(const char *path)
{
	enum { N = 16000 };
	static int16_t pcm[N];
	double ph = 0;
	char err[200];

	tone_sine(pcm, N, 8000, 1000, 12000, &ph);
	return wav_save(path, pcm, N, 8000, err, sizeof(err));
}

/* strongest 1 kHz amplitude over 20 ms windows of a recording */
static double tone_in(const char *path, double *freq)
{
	struct wav_pcm *w = NULL;
	char err[200];
	double best = 0;
	size_t i;

	*freq = 0;
	if (wav_load(&w, path, 8000, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 0;
	}
	for (i = 0; i + 160 <= w->n; i += 160) {
		double a = tone_goertzel(w->s + i, 160, 8000, 1000);

		if (a > best) {
			best = a;
			*freq = tone_detect_freq(w->s + i, 160, 8000);
		}
	}
	obj_deref(w);
	return best;
}

struct want {
	struct pf_phone *f;
	enum phone_ev_kind kind;
	int n;
};

static bool got(void *arg)
{
	struct want *w = arg;

	return pf_count(w->f, w->kind, 0) >= w->n;
}

static bool wait_ev(struct pf *x, struct pf_phone *f, enum phone_ev_kind k,
		    int n)
{
	struct want w = {f, k, n};
	bool ok = pf_run(x, got, &w, 5000);

	if (!ok)
		fprintf(stderr, "%s: waited for %d %s; saw: %s\n", f->name, n,
			phone_ev_name(k), f->seq);
	return ok;
}

static void uri_of(const struct pf_phone *f, const char *user, char *buf,
		   size_t n)
{
	snprintf(buf, n, "sip:%s@%s", user, phone_listen_addr(f->p, "udp"));
}

/* add account @p a as USER at @p f's address, with no registrar */
static void acc_add_as(struct pf_phone *f, struct phone_account *a,
		       const char *user)
{
	char err[200];

	snprintf(a->aor, sizeof(a->aor), "sip:%s@%s", user,
		 phone_listen_addr(f->p, "udp"));
	snprintf(a->registrar, sizeof(a->registrar), "none");
	if (phone_account_add(f->p, a, err, sizeof(err)))
		fprintf(stderr, "account: %s\n", err);
}

static void acc_add(struct pf_phone *f, const char *user, enum sdp_enc enc)
{
	struct phone_account a;

	phone_account_default(&a);
	a.mediaenc = enc;
	acc_add_as(f, &a, user);
}

static void test_call_carries_a_tone_with_srtp_and_events_in_order(void)
{
	struct pf x;
	struct pf_phone a, b;
	struct phone_opts o;
	char tone[128], rec[128], uri[128];
	const struct pf_ev *ev;
	unsigned id = 0;
	double amp, freq;

	REQUIRE(!pf_init(&x));
	REQUIRE(!write_tone(pf_path(&x, "tone.wav", tone, sizeof(tone))));
	pf_opts(&x, &o);
	o.play = tone;
	REQUIRE(!pf_phone_open(&x, &a, "a", &o));
	pf_opts(&x, &o);
	o.auto_answer = 0;
	o.record = pf_path(&x, "b.wav", rec, sizeof(rec));
	REQUIRE(!pf_phone_open(&x, &b, "b", &o));
	uri_of(&b, "b", uri, sizeof(uri));
	REQUIRE(!phone_dial(a.p, NULL, uri, &id));
	CHECK_EQ_INT(id, 1);
	CHECK(wait_ev(&x, &a, PHONE_EV_ANSWERED, 1));
	CHECK(wait_ev(&x, &b, PHONE_EV_ANSWERED, 1));
	ev = pf_last(&a, PHONE_EV_ANSWERED);
	REQUIRE(ev != NULL);
	CHECK_EQ_STR(ev->codec, "PCMU");
	CHECK_EQ_STR(ev->suite, "AES_CM_128_HMAC_SHA1_80");
	ev = pf_last(&b, PHONE_EV_ANSWERED);
	CHECK_EQ_STR(ev->suite, "AES_CM_128_HMAC_SHA1_80");
	{
		struct phone_call_info ci;

		CHECK_EQ_INT(phone_calls(a.p, &ci, 1), 1);
		CHECK_EQ_STR(ci.state, "active");
		CHECK_EQ_STR(ci.suite, "AES_CM_128_HMAC_SHA1_80");
		CHECK(!ci.incoming);
	}
	pf_spin(&x, 800); /* media flows */
	CHECK_EQ_INT(phone_hangup(a.p, id), 0);
	CHECK(wait_ev(&x, &a, PHONE_EV_ENDED, 1));
	CHECK(wait_ev(&x, &b, PHONE_EV_ENDED, 1));
	CHECK_EQ_STR(a.seq, "calling ringing answered ended");
	CHECK_EQ_STR(b.seq, "incoming answered ended");
	CHECK_EQ_STR(pf_last(&a, PHONE_EV_ENDED)->cause, "local");
	CHECK_EQ_STR(pf_last(&b, PHONE_EV_ENDED)->cause, "remote");
	CHECK_EQ_INT(phone_calls(a.p, NULL, 0), 0);
	amp = tone_in(rec, &freq);
	CHECK(amp > 2000);
	CHECK(freq > 980 && freq < 1020);
	pf_close_pair(&x, &a, &b);
}

static void refused(enum sdp_enc ea, enum sdp_enc eb)
{
	struct pf x;
	struct pf_phone a, b;
	struct phone_opts o;
	char uri[128];
	const struct pf_ev *ev;
	unsigned id;

	REQUIRE(!pf_init(&x));
	pf_opts(&x, &o);
	REQUIRE(!pf_phone_open(&x, &a, "a", &o));
	o.auto_answer = 0;
	REQUIRE(!pf_phone_open(&x, &b, "b", &o));
	acc_add(&a, "a", ea);
	acc_add(&b, "b", eb);
	uri_of(&b, "b", uri, sizeof(uri));
	REQUIRE(!phone_dial(a.p, NULL, uri, &id));
	CHECK(wait_ev(&x, &a, PHONE_EV_ENDED, 1));
	ev = pf_last(&a, PHONE_EV_ENDED);
	REQUIRE(ev != NULL);
	CHECK_EQ_STR(ev->cause, "rejected");
	CHECK_EQ_INT(ev->scode, 488);
	CHECK_EQ_INT(pf_count(&b, PHONE_EV_INCOMING, 0), 0);
	pf_close_pair(&x, &a, &b);
}

static void test_mandatory_against_off_is_rejected_488(void)
{
	refused(SDP_ENC_MANDATORY, SDP_ENC_OFF);
	refused(SDP_ENC_OFF, SDP_ENC_MANDATORY);
}

/* A calls B (B auto-answers); both ANSWERED */
static bool connect_ab(struct pf *x, struct pf_phone *a, struct pf_phone *b,
		       unsigned *id)
{
	char uri[128];

	uri_of(b, "b", uri, sizeof(uri));
	return !phone_dial(a->p, NULL, uri, id) &&
	       wait_ev(x, a, PHONE_EV_ANSWERED, 1) &&
	       wait_ev(x, b, PHONE_EV_ANSWERED, 1);
}

static void test_hold_and_resume_on_both_sides(void)
{
	struct pf x;
	struct pf_phone a, b;
	struct phone_call_info ci;
	unsigned id;

	REQUIRE(!pf_open_pair(&x, &a, &b, false));
	REQUIRE(connect_ab(&x, &a, &b, &id));
	CHECK_EQ_INT(phone_hold(a.p, id, true), 0);
	CHECK(wait_ev(&x, &a, PHONE_EV_HOLD, 1));
	CHECK(wait_ev(&x, &b, PHONE_EV_HOLD, 1));
	CHECK_EQ_STR(pf_last(&a, PHONE_EV_HOLD)->reason, "local");
	CHECK_EQ_STR(pf_last(&b, PHONE_EV_HOLD)->reason, "remote");
	phone_calls(b.p, &ci, 1);
	CHECK(ci.held);
	CHECK(!ci.held_here); /* B did not hold: its UI offers "hold" */
	CHECK_EQ_STR(ci.state, "held");
	phone_calls(a.p, &ci, 1);
	CHECK(ci.held);
	CHECK(ci.held_here);
	CHECK_EQ_INT(phone_hold(a.p, id, false), 0);
	CHECK(wait_ev(&x, &a, PHONE_EV_RESUMED, 1));
	CHECK(wait_ev(&x, &b, PHONE_EV_RESUMED, 1));
	phone_calls(b.p, &ci, 1);
	CHECK(!ci.held);
	CHECK_EQ_STR(ci.state, "active");
	CHECK_EQ_STR(a.seq, "calling ringing answered hold resumed");
	CHECK_EQ_STR(b.seq, "incoming answered hold resumed");
	pf_close_pair(&x, &a, &b);
}

static bool digits_are(const struct pf_phone *f, const char *want)
{
	char s[32];
	size_t i, n = 0;

	for (i = 0; i < f->nev && n + 1 < sizeof(s); i++)
		if (f->ev[i].kind == PHONE_EV_DTMF)
			s[n++] = f->ev[i].digit;
	s[n] = '\0';
	if (strcmp(s, want))
		fprintf(stderr, "%s: digits '%s', want '%s'\n", f->name, s,
			want);
	return !strcmp(s, want);
}

static void test_dtmf_both_ways(void)
{
	struct pf x;
	struct pf_phone a, b;
	unsigned id;

	REQUIRE(!pf_open_pair(&x, &a, &b, false));
	REQUIRE(connect_ab(&x, &a, &b, &id));
	CHECK_EQ_INT(phone_dtmf(a.p, id, "12#"), 0);
	CHECK(wait_ev(&x, &b, PHONE_EV_DTMF, 3));
	CHECK(digits_are(&b, "12#"));
	CHECK_EQ_INT(phone_dtmf(b.p, 0, "*9"), 0);
	CHECK(wait_ev(&x, &a, PHONE_EV_DTMF, 2));
	CHECK(digits_are(&a, "*9"));
	CHECK_EQ_INT(phone_dtmf(a.p, id, "1x"), EINVAL);
	pf_close_pair(&x, &a, &b);
}

static void test_transfer_b_refers_a_to_c(void)
{
	struct pf x;
	struct pf_phone a, b, c;
	struct phone_opts o;
	char uri[128];
	const struct pf_ev *ev;
	unsigned id;

	REQUIRE(!pf_open_pair(&x, &a, &b, false));
	pf_opts(&x, &o);
	o.auto_answer = 0;
	REQUIRE(!pf_phone_open(&x, &c, "c", &o));
	REQUIRE(connect_ab(&x, &a, &b, &id));
	uri_of(&c, "c", uri, sizeof(uri));
	CHECK_EQ_INT(phone_transfer(b.p, 0, uri), 0);
	CHECK(wait_ev(&x, &c, PHONE_EV_ANSWERED, 1));
	CHECK(wait_ev(&x, &a, PHONE_EV_ANSWERED, 2));
	CHECK(wait_ev(&x, &b, PHONE_EV_ENDED, 1));
	CHECK(wait_ev(&x, &a, PHONE_EV_ENDED, 1));
	/* A: the REFER, the new call 2 answered, call 1 ended */
	ev = pf_last(&a, PHONE_EV_TRANSFER);
	REQUIRE(ev != NULL);
	CHECK_EQ_INT(ev->call, 1);
	CHECK(strstr(ev->target, "sip:c@") != NULL);
	ev = pf_last(&a, PHONE_EV_ANSWERED);
	CHECK_EQ_INT(ev->call, 2);
	CHECK(strstr(ev->peer, "sip:c@") != NULL);
	CHECK_EQ_INT(pf_last(&a, PHONE_EV_ENDED)->call, 1);
	/* B: told the transfer worked, then the call ended */
	ev = pf_last(&b, PHONE_EV_TRANSFER);
	REQUIRE(ev != NULL);
	CHECK_EQ_INT(ev->scode, 200);
	CHECK_EQ_STR(pf_last(&b, PHONE_EV_ENDED)->cause, "remote");
	CHECK_EQ_INT(phone_calls(a.p, NULL, 0), 1);
	CHECK_EQ_INT(phone_calls(b.p, NULL, 0), 0);
	pf_phone_close(&a);
	pf_phone_close(&b);
	pf_phone_close(&c);
	pf_close(&x);
}

static void test_reject_and_cancel(void)
{
	struct pf x;
	struct pf_phone a, b;
	struct phone_opts o;
	char uri[128];
	unsigned id;

	REQUIRE(!pf_init(&x));
	pf_opts(&x, &o);
	REQUIRE(!pf_phone_open(&x, &a, "a", &o));
	REQUIRE(!pf_phone_open(&x, &b, "b", &o)); /* no auto-answer */
	uri_of(&b, "b", uri, sizeof(uri));
	/* B declines */
	REQUIRE(!phone_dial(a.p, NULL, uri, &id));
	CHECK(wait_ev(&x, &b, PHONE_EV_INCOMING, 1));
	CHECK(wait_ev(&x, &a, PHONE_EV_RINGING, 1));
	CHECK_EQ_INT(phone_answer(a.p, id), EPROTO); /* not ringing here */
	CHECK_EQ_INT(phone_hangup(b.p, 0), 0);
	CHECK(wait_ev(&x, &a, PHONE_EV_ENDED, 1));
	CHECK_EQ_STR(pf_last(&a, PHONE_EV_ENDED)->cause, "rejected");
	CHECK_EQ_INT(pf_last(&a, PHONE_EV_ENDED)->scode, 603);
	/* A gives up while B rings */
	REQUIRE(!phone_dial(a.p, NULL, uri, &id));
	CHECK_EQ_INT(id, 2);
	CHECK(wait_ev(&x, &b, PHONE_EV_INCOMING, 2));
	CHECK(wait_ev(&x, &a, PHONE_EV_RINGING, 2));
	CHECK_EQ_INT(phone_hangup(a.p, id), 0);
	CHECK(wait_ev(&x, &a, PHONE_EV_ENDED, 2));
	CHECK(wait_ev(&x, &b, PHONE_EV_ENDED, 2));
	CHECK_EQ_STR(pf_last(&a, PHONE_EV_ENDED)->cause, "cancelled");
	CHECK_EQ_STR(pf_last(&b, PHONE_EV_ENDED)->cause, "unanswered");
	pf_close_pair(&x, &a, &b);
}

static void test_dial_forms_through_the_account(void)
{
	struct pf x;
	struct pf_phone a, b;
	struct phone_account acc;
	char err[200];
	const char *t;
	unsigned id;

	REQUIRE(!pf_open_pair(&x, &a, &b, true));
	/* A's account lives at B's address: plain numbers go there */
	phone_account_default(&acc);
	snprintf(acc.aor, sizeof(acc.aor), "sip:alice@%s",
		 phone_listen_addr(b.p, "udp"));
	snprintf(acc.registrar, sizeof(acc.registrar), "none");
	snprintf(acc.ruri_params, sizeof(acc.ruri_params), "user=phone");
	REQUIRE(!phone_account_add(a.p, &acc, err, sizeof(err)));
	REQUIRE(!phone_dial(a.p, NULL, "tel:+4930123", &id));
	CHECK(wait_ev(&x, &a, PHONE_EV_ANSWERED, 1));
	REQUIRE(!phone_dial(a.p, "alice", "200", &id));
	CHECK(wait_ev(&x, &a, PHONE_EV_ANSWERED, 2));
	(void)buf_write(b.trace, "", 1);
	t = (const char *)b.trace->b;
	CHECK(strstr(t, "INVITE sip:+4930123@127.0.0.1:") != NULL);
	CHECK(strstr(t, ";user=phone SIP/2.0") != NULL);
	CHECK(strstr(t, "INVITE sip:200@127.0.0.1:") != NULL);
	pf_close_pair(&x, &a, &b);
}

static void test_bad_offer_then_a_normal_call(void)
{
	struct pf x;
	struct pf_phone a, b;
	struct pf_raw r;
	char req[1500];
	const char *hp;
	unsigned id;

	REQUIRE(!pf_open_pair(&x, &a, &b, false));
	REQUIRE(!pf_raw_open(&r));
	hp = phone_listen_addr(b.p, "udp");
	snprintf(req, sizeof(req),
		 "INVITE sip:b@%s SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bKbad1;rport\r\n"
		 "Max-Forwards: 70\r\n"
		 "From: <sip:t@127.0.0.1>;tag=9\r\nTo: <sip:b@%s>\r\n"
		 "Call-ID: bad1@test\r\nCSeq: 1 INVITE\r\n"
		 "Contact: <sip:t@127.0.0.1:%u>\r\n"
		 "Content-Type: application/sdp\r\nContent-Length: 86\r\n\r\n"
		 "v=0\r\no=t 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
		 "m=audio 4000 RTP/AVP 0\r\n",
		 hp, r.port, hp, r.port);
	REQUIRE(!pf_raw_send(&r, hp, req));
	CHECK(pf_raw_wait(&x, &r, "SIP/2.0 4", 2000));
	CHECK(connect_ab(&x, &a, &b, &id));
	CHECK_EQ_INT(b.ev[0].kind, PHONE_EV_INCOMING);
	pf_raw_close(&r);
	pf_close_pair(&x, &a, &b);
}

static void acc_codecs(struct pf_phone *f, const char *user, const char *codecs,
		       enum sess_rel100 rel)
{
	struct phone_account a;

	phone_account_default(&a);
	snprintf(a.codecs, sizeof(a.codecs), "%s", codecs);
	a.rel100 = rel;
	acc_add_as(f, &a, user);
}

static void test_codec_preference_from_the_account(void)
{
	static const struct {
		const char *a, *b, *want;
	} tv[] = {
	    {"", "", "PCMU"},
	    {"PCMA", "", "PCMA"},
	    {"", "G722,PCMU", "G722"}, /* the answerer's order */
	    {"opus,PCMA", "PCMA,opus", "PCMA"},
	};
	size_t i;

	for (i = 0; i < sizeof(tv) / sizeof(tv[0]); i++) {
		struct pf x;
		struct pf_phone a, b;
		unsigned id;

		REQUIRE(!pf_open_pair(&x, &a, &b, false));
		acc_codecs(&a, "a", tv[i].a, SESS_100REL_SUPPORTED);
		acc_codecs(&b, "b", tv[i].b, SESS_100REL_SUPPORTED);
		CHECK(connect_ab(&x, &a, &b, &id));
		CHECK_EQ_STR(pf_last(&a, PHONE_EV_ANSWERED)->codec, tv[i].want);
		CHECK_EQ_STR(pf_last(&b, PHONE_EV_ANSWERED)->codec, tv[i].want);
		pf_close_pair(&x, &a, &b);
	}
}

/* the INVITE as B saw it (from B's trace) */
static const char *invite_text(struct pf_phone *b)
{
	const char *t;

	(void)buf_write(b->trace, "", 1);
	t = strstr((const char *)b->trace->b, "INVITE sip:");
	return t ? t : "";
}

static void test_100rel_per_account(void)
{
	static const struct {
		enum sess_rel100 rel;
		bool supported, required;
	} tv[] = {
	    {SESS_100REL_SUPPORTED, true, false},
	    {SESS_100REL_REQUIRED, true, true},
	    {SESS_100REL_OFF, false, false},
	};
	size_t i;

	for (i = 0; i < sizeof(tv) / sizeof(tv[0]); i++) {
		struct pf x;
		struct pf_phone a, b;
		const char *t, *end;
		char inv[2048];
		unsigned id;

		REQUIRE(!pf_open_pair(&x, &a, &b, true));
		acc_codecs(&a, "a", "", tv[i].rel);
		CHECK(connect_ab(&x, &a, &b, &id));
		t = invite_text(&b);
		end = strstr(t, "\r\n\r\n");
		snprintf(inv, sizeof(inv), "%.*s", end ? (int)(end - t) : 0, t);
		CHECK_EQ_INT(strstr(inv, "Supported: 100rel") != NULL,
			     tv[i].supported);
		CHECK_EQ_INT(strstr(inv, "Require: 100rel") != NULL,
			     tv[i].required);
		pf_close_pair(&x, &a, &b);
	}
}

static void test_call_info_answer_after_per_account(void)
{
	struct pf x;
	struct pf_phone b;
	struct phone_opts o;
	struct phone_account acc;
	struct pf_raw r;
	char req[2000], sdp[300], err[200];
	const char *hp;
	int k;

	REQUIRE(!pf_init(&x));
	pf_opts(&x, &o);
	REQUIRE(!pf_phone_open(&x, &b, "b", &o)); /* no auto-answer */
	phone_account_default(&acc);
	snprintf(acc.aor, sizeof(acc.aor), "sip:b@%s",
		 phone_listen_addr(b.p, "udp"));
	snprintf(acc.registrar, sizeof(acc.registrar), "none");
	acc.mediaenc = SDP_ENC_OFF;
	acc.answer_after = true;
	REQUIRE(!phone_account_add(b.p, &acc, err, sizeof(err)));
	REQUIRE(!pf_raw_open(&r));
	hp = phone_listen_addr(b.p, "udp");
	for (k = 0; k < 2; k++) {
		snprintf(sdp, sizeof(sdp),
			 "v=0\r\no=t 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
			 "c=IN IP4 127.0.0.1\r\nt=0 0\r\n"
			 "m=audio %u RTP/AVP 0\r\n",
			 r.port + 2);
		snprintf(req, sizeof(req),
			 "INVITE sip:b@%s SIP/2.0\r\n"
			 "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bKaa%d;"
			 "rport\r\nMax-Forwards: 70\r\n"
			 "From: <sip:t@127.0.0.1>;tag=%d\r\nTo: <sip:b@%s>\r\n"
			 "Call-ID: aa%d@test\r\nCSeq: 1 INVITE\r\n"
			 "Contact: <sip:t@127.0.0.1:%u>\r\n%s"
			 "Content-Type: application/sdp\r\n"
			 "Content-Length: %zu\r\n\r\n%s",
			 hp, r.port, k, k, hp, k, r.port,
			 k ? "Call-Info: <sip:t@127.0.0.1>;answer-after=0\r\n"
			   : "",
			 strlen(sdp), sdp);
		REQUIRE(!pf_raw_send(&r, hp, req));
		CHECK(pf_raw_wait(&x, &r, "SIP/2.0 180", 2000));
		if (k)
			CHECK(pf_raw_wait(&x, &r, "SIP/2.0 200", 2000));
		else
			CHECK(!pf_raw_wait(&x, &r, "SIP/2.0 200", 300));
	}
	CHECK_EQ_INT(pf_count(&b, PHONE_EV_INCOMING, 0), 2);
	pf_raw_close(&r);
	pf_phone_close(&b);
	pf_close(&x);
}

static void test_call_over_tls(void)
{
	struct pf x;
	struct pf_phone a, b;
	struct phone_opts o;
	struct phone_account acc;
	char uri[128], err[200];
	unsigned id;

	REQUIRE(!pf_init(&x));
	pf_opts(&x, &o);
	o.listen[2] = "tls:127.0.0.1:0";
	o.nlisten = 3;
	REQUIRE(!pf_phone_open(&x, &a, "a", &o));
	o.auto_answer = 0;
	REQUIRE(!pf_phone_open(&x, &b, "b", &o));
	REQUIRE(phone_listen_addr(b.p, "tls") != NULL);
	/* both phones use the self-signed certificate made in the cert
	   dir; the accounts trust it as their CA */
	phone_account_default(&acc);
	snprintf(acc.aor, sizeof(acc.aor), "sips:a@%s",
		 phone_listen_addr(a.p, "tls"));
	snprintf(acc.registrar, sizeof(acc.registrar), "none");
	snprintf(acc.ca, sizeof(acc.ca), "%s/tls-cert.pem", o.cert_dir);
	REQUIRE(!phone_account_add(a.p, &acc, err, sizeof(err)));
	/* B's BYE goes to A's Contact over a new connection */
	snprintf(acc.aor, sizeof(acc.aor), "sips:b@%s",
		 phone_listen_addr(b.p, "tls"));
	REQUIRE(!phone_account_add(b.p, &acc, err, sizeof(err)));
	snprintf(uri, sizeof(uri), "sips:b@%s", phone_listen_addr(b.p, "tls"));
	REQUIRE(!phone_dial(a.p, NULL, uri, &id));
	CHECK(wait_ev(&x, &a, PHONE_EV_ANSWERED, 1));
	CHECK(wait_ev(&x, &b, PHONE_EV_ANSWERED, 1));
	CHECK_EQ_STR(pf_last(&a, PHONE_EV_ANSWERED)->suite,
		     "AES_CM_128_HMAC_SHA1_80");
	CHECK_EQ_INT(phone_hangup(b.p, 0), 0);
	CHECK(wait_ev(&x, &a, PHONE_EV_ENDED, 1));
	CHECK_EQ_STR(pf_last(&a, PHONE_EV_ENDED)->cause, "remote");
	pf_close_pair(&x, &a, &b);
}

static void shut_done(void *arg)
{
	*(int *)arg += 1;
}

static bool is_set(void *arg)
{
	return *(int *)arg != 0;
}

static void test_shutdown_ends_calls_and_mute_shows(void)
{
	struct pf x;
	struct pf_phone a, b;
	struct phone_call_info ci;
	unsigned id;
	int done = 0;

	REQUIRE(!pf_open_pair(&x, &a, &b, false));
	REQUIRE(connect_ab(&x, &a, &b, &id));
	CHECK_EQ_INT(phone_mute(a.p, id, true), 0);
	REQUIRE(phone_calls(a.p, &ci, 1) == 1);
	CHECK(ci.muted);
	CHECK_EQ_STR(ci.codec, "PCMU");
	CHECK_EQ_INT(phone_mute(a.p, id, false), 0);
	phone_calls(a.p, &ci, 1);
	CHECK(!ci.muted);
	phone_shutdown(a.p, shut_done, &done);
	CHECK(pf_run(&x, is_set, &done, 5000));
	CHECK(wait_ev(&x, &b, PHONE_EV_ENDED, 1));
	CHECK_EQ_STR(pf_last(&b, PHONE_EV_ENDED)->cause, "remote");
	CHECK_EQ_STR(pf_last(&a, PHONE_EV_ENDED)->cause, "local");
	/* no new calls while shutting down */
	CHECK_EQ_INT(phone_dial(a.p, NULL, "sip:b@127.0.0.1", &id), EPROTO);
	pf_close_pair(&x, &a, &b);
}

/* A calls a raw peer that says 181 twice then 302 to B */
static void test_forwarded_and_redirected(void)
{
	struct pf x;
	struct pf_phone a, b;
	struct pf_raw r;
	char uri[128], hdr[300];
	const struct pf_ev *ev;
	unsigned id;
	size_t i, k = 0;
	static const enum phone_ev_kind want[] = {
	    PHONE_EV_CALLING,	 PHONE_EV_FORWARDED, PHONE_EV_FORWARDED,
	    PHONE_EV_REDIRECTED, PHONE_EV_ANSWERED,
	};

	REQUIRE(!pf_open_pair(&x, &a, &b, false));
	REQUIRE(!pf_raw_open(&r));
	snprintf(uri, sizeof(uri), "sip:userb@127.0.0.1:%u", r.port);
	REQUIRE(!phone_dial(a.p, NULL, uri, &id));
	REQUIRE(pf_raw_wait(&x, &r, "INVITE ", 2000));
	CHECK(!pf_raw_reply(&r, "181 Call Is Being Forwarded", "f1",
			    "Call-Info: <sip:127.0.0.1>;purpose=forwarding;"
			    "username=\"userb\";contact=\"userc\"\r\n"));
	CHECK(!pf_raw_reply(&r, "181 Call Is Being Forwarded", "f1",
			    "Call-Info: <sip:127.0.0.1>;purpose=forwarding;"
			    "username=\"userc\";contact=\"userd\"\r\n"));
	uri_of(&b, "b", uri, sizeof(uri));
	snprintf(hdr, sizeof(hdr), "Contact: <%s>\r\n", uri);
	CHECK(!pf_raw_reply(&r, "302 Moved Temporarily", "f1", hdr));
	CHECK(wait_ev(&x, &a, PHONE_EV_ANSWERED, 1));
	for (i = 0; i < a.nev && k < sizeof(want) / sizeof(want[0]); i++)
		if (a.ev[i].kind == want[k])
			k++;
	CHECK_EQ_INT(k, sizeof(want) / sizeof(want[0]));
	ev = NULL;
	for (i = 0; i < a.nev; i++)
		if (a.ev[i].kind == PHONE_EV_FORWARDED && !ev)
			ev = &a.ev[i];
	REQUIRE(ev != NULL);
	CHECK_EQ_STR(ev->reason, "Call Is Being Forwarded");
	CHECK_EQ_STR(ev->fwd, "userb>userc");
	CHECK_EQ_STR(pf_last(&a, PHONE_EV_FORWARDED)->fwd, "userc>userd");
	CHECK_EQ_INT(pf_count(&a, PHONE_EV_FORWARDED, 0), 2);
	CHECK(strstr(pf_last(&a, PHONE_EV_REDIRECTED)->target, "sip:b@"));
	CHECK_EQ_INT(pf_last(&a, PHONE_EV_REDIRECTED)->scode, 302);
	CHECK(wait_ev(&x, &b, PHONE_EV_ANSWERED, 1));
	pf_raw_close(&r);
	pf_close_pair(&x, &a, &b);
}

/* a raw in-dialog request from the raw peer to @p contact */
static int raw_indialog(struct pf_raw *r, const char *hp, const char *method,
			const char *contact, const char *totag, int cseq,
			const char *ctype, const char *body)
{
	char req[1500];

	snprintf(req, sizeof(req),
		 "%s %s SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bKdlg%d;rport\r\n"
		 "Max-Forwards: 70\r\n"
		 "From: <sip:t@127.0.0.1>;tag=77\r\nTo: <sip:b@%s>;tag=%s\r\n"
		 "Call-ID: info1@test\r\nCSeq: %d %s\r\n%s%s%s"
		 "Content-Length: %zu\r\n\r\n%s",
		 method, contact, r->port, cseq, hp, totag, cseq, method,
		 ctype ? "Content-Type: " : "", ctype ? ctype : "",
		 ctype ? "\r\n" : "", strlen(body), body);
	return pf_raw_send(r, hp, req);
}

/* no telephone-event in the offer: DTMF goes by SIP INFO both ways */
static void test_dtmf_by_info_without_telephone_event(void)
{
	struct pf x;
	struct pf_phone b;
	struct phone_opts o;
	struct pf_raw r;
	char req[1500], sdp[300], v[300], contact[200], totag[80];
	const char *hp, *t;

	REQUIRE(!pf_init(&x));
	pf_opts(&x, &o);
	o.auto_answer = 0;
	REQUIRE(!pf_phone_open(&x, &b, "b", &o));
	REQUIRE(!pf_raw_open(&r));
	hp = phone_listen_addr(b.p, "udp");
	snprintf(sdp, sizeof(sdp),
		 "v=0\r\no=t 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
		 "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio %u RTP/AVP 0\r\n",
		 r.port + 2);
	snprintf(
	    req, sizeof(req),
	    "INVITE sip:b@%s SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bKinfo1;rport\r\n"
	    "Max-Forwards: 70\r\n"
	    "From: <sip:t@127.0.0.1>;tag=77\r\nTo: <sip:b@%s>\r\n"
	    "Call-ID: info1@test\r\nCSeq: 1 INVITE\r\n"
	    "Contact: <sip:t@127.0.0.1:%u>\r\n"
	    "Content-Type: application/sdp\r\nContent-Length: %zu\r\n\r\n%s",
	    hp, r.port, hp, r.port, strlen(sdp), sdp);
	REQUIRE(!pf_raw_send(&r, hp, req));
	REQUIRE(pf_raw_wait(&x, &r, "SIP/2.0 200", 3000));
	pf_raw_hdr(&r, "Contact", v, sizeof(v));
	snprintf(contact, sizeof(contact), "%.*s", (int)strcspn(v + 1, ">"),
		 v + 1);
	pf_raw_hdr(&r, "To", v, sizeof(v));
	t = strstr(v, ";tag=");
	REQUIRE(t != NULL);
	snprintf(totag, sizeof(totag), "%s", t + 5);
	REQUIRE(!raw_indialog(&r, hp, "ACK", contact, totag, 1, NULL, ""));
	CHECK(wait_ev(&x, &b, PHONE_EV_ANSWERED, 1));
	/* ours: INFO application/dtmf-relay */
	CHECK_EQ_INT(phone_dtmf(b.p, 0, "5"), 0);
	CHECK(pf_raw_wait(&x, &r, "INFO ", 2000));
	CHECK(strstr(r.rx, "application/dtmf-relay") != NULL);
	CHECK(strstr(r.rx, "Signal=5") != NULL);
	CHECK(!pf_raw_reply(&r, "200 OK", NULL, NULL));
	/* theirs */
	REQUIRE(!raw_indialog(&r, hp, "INFO", contact, totag, 2,
			      "application/dtmf-relay",
			      "Signal=7\r\nDuration=160\r\n"));
	CHECK(pf_raw_wait(&x, &r, "SIP/2.0 200", 2000));
	CHECK(wait_ev(&x, &b, PHONE_EV_DTMF, 1));
	CHECK_EQ_INT(pf_last(&b, PHONE_EV_DTMF)->digit, '7');
	REQUIRE(!raw_indialog(&r, hp, "BYE", contact, totag, 3, NULL, ""));
	CHECK(wait_ev(&x, &b, PHONE_EV_ENDED, 1));
	CHECK_EQ_STR(pf_last(&b, PHONE_EV_ENDED)->cause, "remote");
	pf_raw_close(&r);
	pf_phone_close(&b);
	pf_close(&x);
}

int main(void)
{
	harness_watchdog(90);
	RUN(test_call_carries_a_tone_with_srtp_and_events_in_order);
	RUN(test_mandatory_against_off_is_rejected_488);
	RUN(test_hold_and_resume_on_both_sides);
	RUN(test_dtmf_both_ways);
	RUN(test_dtmf_by_info_without_telephone_event);
	RUN(test_transfer_b_refers_a_to_c);
	RUN(test_reject_and_cancel);
	RUN(test_dial_forms_through_the_account);
	RUN(test_bad_offer_then_a_normal_call);
	RUN(test_codec_preference_from_the_account);
	RUN(test_100rel_per_account);
	RUN(test_call_info_answer_after_per_account);
	RUN(test_call_over_tls);
	RUN(test_forwarded_and_redirected);
	RUN(test_shutdown_ends_calls_and_mute_shows);
	return harness_done();
}
