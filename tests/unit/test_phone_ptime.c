/* test_phone_ptime.c: the far end's a=ptime / a=maxptime in SDP decides
 * the packets the phone sends (payload size and RTP timestamp step seen
 * on the wire by a raw peer on 127.0.0.1), in the answer to its offer and
 * in its answer to ours; absurd values give 20 ms; our offers say
 * a=ptime:20, our answers the packet time we send. */
#include "phone_fix.h"

enum { RTP_WANT = 8 };

/* RTP packets of payload type 0 seen by a raw socket. */
struct rtp_seen {
	struct pf_raw *m;
	size_t n;
	size_t len[RTP_WANT];
	uint32_t ts[RTP_WANT];
};

static bool rtp_got(void *arg)
{
	struct rtp_seen *s = arg;
	uint8_t b[1500];
	ssize_t n;

	while (s->n < RTP_WANT && (n = recv(s->m->fd, b, sizeof(b), 0)) >= 12) {
		size_t h = 12 + 4 * (size_t)(b[0] & 0x0f);

		/* RTP version 2, PCMU, no extension, no padding */
		if ((b[0] & 0xf0) != 0x80 || (b[1] & 0x7f) != 0 ||
		    (size_t)n < h)
			continue;
		s->len[s->n] = (size_t)n - h;
		s->ts[s->n] = (uint32_t)b[4] << 24 | (uint32_t)b[5] << 16 |
			      (uint32_t)b[6] << 8 | b[7];
		s->n++;
	}
	return s->n >= RTP_WANT;
}

/* Wait for RTP_WANT packets on @p m; check each holds @p ms of PCMU. */
static void rtp_check(struct pf *x, struct pf_raw *m, unsigned ms)
{
	struct rtp_seen s = {.m = m};
	size_t bad = 0;

	CHECK(pf_run(x, rtp_got, &s, 3000));
	for (size_t i = 0; i < s.n; i++) {
		if (s.len[i] != 8 * ms)
			bad++;
		if (i && s.ts[i] - s.ts[i - 1] != 8 * ms)
			bad++;
	}
	printf("  want %u ms: %zu packets, first %zu bytes, ts step %u\n", ms,
	       s.n, s.n ? s.len[0] : 0, s.n > 1 ? s.ts[1] - s.ts[0] : 0);
	CHECK_EQ_INT(s.n, RTP_WANT);
	CHECK_EQ_INT(bad, 0);
}

static void ack(struct pf_raw *r, const char *hp, int k)
{
	char v[300], contact[200], totag[80], req[1000];
	const char *t;

	pf_raw_hdr(r, "Contact", v, sizeof(v));
	snprintf(contact, sizeof(contact), "%.*s", (int)strcspn(v + 1, ">"),
		 v + 1);
	pf_raw_hdr(r, "To", v, sizeof(v));
	t = strstr(v, ";tag=");
	snprintf(totag, sizeof(totag), "%s", t ? t + 5 : "");
	snprintf(
	    req, sizeof(req),
	    "ACK %s SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bKack%d;rport\r\n"
	    "Max-Forwards: 70\r\n"
	    "From: <sip:t@127.0.0.1>;tag=%d\r\nTo: <sip:b@%s>;tag=%s\r\n"
	    "Call-ID: pt%d@test\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n",
	    contact, r->port, k, k, hp, totag, k);
	CHECK(!pf_raw_send(r, hp, req));
}

/* The raw peer offers PCMU with @p attrs; the phone answers and must send
 * packets of @p want ms to the offered port. */
static void offer_case(struct pf *x, struct pf_phone *b, struct pf_raw *r,
		       int k, const char *attrs, unsigned want)
{
	struct pf_raw m;
	char req[2000], sdp[400], want_sdp[32];
	const char *hp = phone_listen_addr(b->p, "udp");
	const struct pf_ev *ev;

	REQUIRE(!pf_raw_open(&m));
	snprintf(sdp, sizeof(sdp),
		 "v=0\r\no=t 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
		 "c=IN IP4 127.0.0.1\r\nt=0 0\r\n"
		 "m=audio %u RTP/AVP 0\r\n%s",
		 m.port, attrs);
	snprintf(req, sizeof(req),
		 "INVITE sip:b@%s SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bKpt%d;rport\r\n"
		 "Max-Forwards: 70\r\n"
		 "From: <sip:t@127.0.0.1>;tag=%d\r\nTo: <sip:b@%s>\r\n"
		 "Call-ID: pt%d@test\r\nCSeq: 1 INVITE\r\n"
		 "Contact: <sip:t@127.0.0.1:%u>\r\n"
		 "Content-Type: application/sdp\r\n"
		 "Content-Length: %zu\r\n\r\n%s",
		 hp, r->port, k, k, hp, k, r->port, strlen(sdp), sdp);
	printf("  offer with \"%.*s\"\n", (int)strcspn(attrs, "\r"), attrs);
	REQUIRE(!pf_raw_send(r, hp, req));
	REQUIRE(pf_raw_wait(x, r, "SIP/2.0 200", 3000));
	/* our answer asks for what we send: both directions alike */
	snprintf(want_sdp, sizeof(want_sdp), "a=ptime:%u\r\n", want);
	CHECK(strstr(r->rx, want_sdp) != NULL);
	ack(r, hp, k);
	rtp_check(x, &m, want);
	ev = pf_last(b, PHONE_EV_ANSWERED);
	REQUIRE(ev != NULL);
	CHECK(!phone_hangup(b->p, ev->call));
	CHECK(pf_raw_wait(x, r, "BYE ", 3000));
	CHECK(!pf_raw_reply(r, "200 OK", NULL, NULL));
	pf_raw_close(&m);
}

static void test_far_offer_ptime_decides_our_packets(void)
{
	static const struct {
		const char *attrs;
		unsigned want;
	} t[] = {
	    {"a=ptime:40\r\n", 40},
	    {"a=ptime:30\r\n", 30},
	    {"a=ptime:10\r\n", 10},
	    {"a=ptime:60\r\na=maxptime:40\r\n", 40},
	    {"a=maxptime:10\r\n", 10},
	    {"", 20},
	    {"a=ptime:0\r\n", 20},
	    {"a=ptime:7\r\n", 20},
	    {"a=ptime:1000\r\n", 20},
	    {"a=ptime:99999999999\r\na=maxptime:x\r\n", 20},
	};
	struct pf x;
	struct pf_phone b;
	struct phone_opts o;
	struct pf_raw r;

	REQUIRE(!pf_init(&x));
	pf_opts(&x, &o);
	o.auto_answer = 0;
	REQUIRE(!pf_phone_open(&x, &b, "b", &o));
	REQUIRE(!pf_raw_open(&r));
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		offer_case(&x, &b, &r, (int)i, t[i].attrs, t[i].want);
	pf_raw_close(&r);
	pf_phone_close(&b);
	pf_close(&x);
}

/* Answer the INVITE in r->rx with 200 OK and an SDP body. */
static int answer_200(struct pf_raw *r, const char *sdp)
{
	static const char *const copy[] = {"Via", "From", "To", "Call-ID",
					   "CSeq"};
	char out[3000], v[600];
	size_t n;

	n = (size_t)snprintf(out, sizeof(out), "SIP/2.0 200 OK\r\n");
	for (size_t i = 0; i < 5; i++) {
		pf_raw_hdr(r, copy[i], v, sizeof(v));
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s: %s%s\r\n",
				      copy[i], v, i == 2 ? ";tag=far1" : "");
	}
	n += (size_t)snprintf(out + n, sizeof(out) - n,
			      "Contact: <sip:t@127.0.0.1:%u>\r\n"
			      "Content-Type: application/sdp\r\n"
			      "Content-Length: %zu\r\n\r\n%s",
			      r->port, strlen(sdp), sdp);
	if (n >= sizeof(out))
		return ENOSPC;
	if (sendto(r->fd, out, n, 0, (struct sockaddr *)&r->src,
		   sizeof(r->src)) < 0)
		return errno;
	return 0;
}

/* We offer (a=ptime:20); the far end answers a=ptime:30: we send 30 ms. */
static void test_far_answer_ptime_decides_our_packets(void)
{
	struct pf x;
	struct pf_phone a;
	struct phone_opts o;
	struct pf_raw r, m;
	char uri[100], sdp[400];
	unsigned id;

	REQUIRE(!pf_init(&x));
	pf_opts(&x, &o);
	REQUIRE(!pf_phone_open(&x, &a, "a", &o));
	REQUIRE(!pf_raw_open(&r));
	REQUIRE(!pf_raw_open(&m));
	snprintf(uri, sizeof(uri), "sip:t@127.0.0.1:%u", r.port);
	REQUIRE(!phone_dial(a.p, NULL, uri, &id));
	REQUIRE(pf_raw_wait(&x, &r, "INVITE ", 3000));
	CHECK(strstr(r.rx, "a=ptime:20\r\n") != NULL);
	snprintf(sdp, sizeof(sdp),
		 "v=0\r\no=t 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
		 "c=IN IP4 127.0.0.1\r\nt=0 0\r\n"
		 "m=audio %u RTP/AVP 0\r\na=ptime:30\r\na=sendrecv\r\n",
		 m.port);
	REQUIRE(!answer_200(&r, sdp));
	CHECK(pf_raw_wait(&x, &r, "ACK ", 3000));
	rtp_check(&x, &m, 30);
	CHECK(!phone_hangup(a.p, id));
	CHECK(pf_raw_wait(&x, &r, "BYE ", 3000));
	CHECK(!pf_raw_reply(&r, "200 OK", NULL, NULL));
	pf_raw_close(&m);
	pf_raw_close(&r);
	pf_phone_close(&a);
	pf_close(&x);
}

int main(void)
{
	harness_watchdog(60);
	RUN(test_far_offer_ptime_decides_our_packets);
	RUN(test_far_answer_ptime_decides_our_packets);
	return harness_done();
}
