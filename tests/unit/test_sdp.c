/* test_sdp.c: SDP decode/encode, SDES crypto, offer/answer, redaction. */
#include <errno.h>

#include "audio/srtp/srtp.h"
#include "harness.h"
#include "ua/sdp/sdp.h"

#define BPL(x) ((struct pl){(const char *)(x)->b, (x)->end})

/* MicroSIP style: RTP/AVP with two crypto lines, AES-256 first. */
static const char microsip[] =
	"v=0\r\n"
	"o=- 3917321466 3917321466 IN IP4 192.168.1.20\r\n"
	"s=pjmedia\r\n"
	"b=AS:84\r\n"
	"t=0 0\r\n"
	"a=X-nat:0\r\n"
	"m=audio 4000 RTP/AVP 8 0 9 101\r\n"
	"c=IN IP4 192.168.1.20\r\n"
	"b=TIAS:64000\r\n"
	"a=rtcp:4001 IN IP4 192.168.1.20\r\n"
	"a=sendrecv\r\n"
	"a=rtpmap:8 PCMA/8000\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtpmap:9 G722/8000\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=fmtp:101 0-16\r\n"
	"a=crypto:1 AES_256_CM_HMAC_SHA1_80 "
	"inline:ytSc0aP5Kn5ZVuYqr9lsFsHjjcL4vPDoVJamKiAxbHEaz76Tq0k8kJ1Ua8kXtA==\r\n"
	"a=crypto:2 AES_CM_128_HMAC_SHA1_80 "
	"inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4\r\n";

static void test_decode_microsip(void)
{
	struct sdp_session s;
	const char *why = NULL;

	REQUIRE(!sdp_decode(&s, &PL(microsip), &why));
	CHECK_PL(s.o_addr.addr, "192.168.1.20");
	CHECK_PL(s.name, "pjmedia");
	REQUIRE(s.nmedia == 1);
	const struct sdp_media *m = &s.media[0];
	CHECK_PL(m->type, "audio");
	CHECK_EQ_INT(m->port, 4000);
	CHECK_EQ_INT(m->proto, SDP_PROTO_RTP_AVP);
	CHECK_EQ_INT(m->nfmt, 4);
	CHECK_EQ_INT(m->rtcp_port, 4001);
	CHECK_PL(m->conn.addr, "192.168.1.20");
	CHECK_EQ_INT(m->nmap, 4);
	CHECK_PL(m->map[3].name, "telephone-event");
	CHECK_PL(m->map[3].fmtp, "0-16");
	CHECK_EQ_INT(sdp_media_dir(&s, 0), SDP_SENDRECV);
	REQUIRE(m->ncrypto == 2);
	CHECK_EQ_INT(m->crypto[0].suite, SDP_SUITE_AES_256_CM_HMAC_SHA1_80);
	CHECK_EQ_INT(m->crypto[0].keylen, 46);
	CHECK_EQ_INT(m->crypto[1].tag, 2);
	CHECK_EQ_INT(m->crypto[1].keylen, 30);
	CHECK_EQ_INT(m->crypto[1].lifetime_v, 1 << 20);
	CHECK_EQ_INT(m->crypto[1].mki, 1);
	CHECK_EQ_INT(m->crypto[1].mki_len, 4);
}

static int answer_text(const char *offer, const struct sdp_local *l,
		       struct buf *out, struct sdp_result *res,
		       const char **why)
{
	struct sdp_session s;
	int err = sdp_decode(&s, &(struct pl){offer, strlen(offer)}, why);

	if (err)
		return err;
	return sdp_answer(out, res, &s, l, why);
}

static void test_answer_microsip(void)
{
	struct sdp_local l;
	struct sdp_result r1, r2;
	struct buf *b1 = NULL, *b2 = NULL;
	struct sdp_session a;
	const char *why;

	sdp_local_default(&l);
	l.addr = "10.0.0.1";
	l.port = 5000;
	l.srtp_aes256 = false; /* a backend without AES-256 first */
	REQUIRE(!buf_alloc(&b1, 1024));
	REQUIRE(!buf_alloc(&b2, 1024));
	REQUIRE(!answer_text(microsip, &l, b1, &r1, &why));
	REQUIRE(!answer_text(microsip, &l, b2, &r2, &why));
	REQUIRE(!sdp_decode(&a, &BPL(b1), &why));
	REQUIRE(a.nmedia == 1);
	REQUIRE(a.media[0].ncrypto == 1);
	CHECK_EQ_INT(a.media[0].crypto[0].tag, 2);
	CHECK_EQ_INT(a.media[0].crypto[0].suite,
		     SDP_SUITE_AES_CM_128_HMAC_SHA1_80);
	CHECK_EQ_INT(a.media[0].proto, SDP_PROTO_RTP_AVP);
	/* the inline key is 40 base64 chars and fresh per call */
	const char *k1 = strstr((const char *)b1->b, "inline:");
	REQUIRE(k1);
	const char *eol = strstr(k1, "\r\n");
	CHECK_EQ_INT(eol - (k1 + 7), 40);
	CHECK_EQ_INT(r1.lkeylen, 30);
	CHECK(memcmp(r1.lkey, r2.lkey, 30) != 0);
	CHECK(!memcmp(a.media[0].crypto[0].key, r1.lkey, 30));
	CHECK_EQ_INT(r1.rkeylen, 30);
	CHECK(r1.srtp);
	CHECK_EQ_INT(r1.tag, 2);
	/* our preference order: PCMU first though the offer lists PCMA */
	CHECK_EQ_INT(r1.pt, 0);
	CHECK_EQ_STR(r1.codec, "PCMU");
	CHECK_EQ_INT(r1.te_pt, 101);
	CHECK_EQ_STR(r1.raddr, "192.168.1.20");
	CHECK_EQ_INT(r1.rport, 4000);
	CHECK_EQ_INT(r1.rrtcp_port, 4001);
	CHECK_PL(a.media[0].fmt[0], "0");
	CHECK_PL(a.media[0].fmt[1], "8");
	CHECK_PL(a.media[0].fmt[2], "9");
	CHECK_PL(a.media[0].fmt[3], "101");

	/* with AES-256 in the backend, tag 1 wins (first supported) */
	l.srtp_aes256 = true;
	buf_reset(b1);
	REQUIRE(!answer_text(microsip, &l, b1, &r1, &why));
	CHECK_EQ_INT(r1.tag, 1);
	CHECK_EQ_INT(r1.lkeylen, 46);
	CHECK_EQ_INT(r1.suite, SDP_SUITE_AES_256_CM_HMAC_SHA1_80);

	/* encryption off: answer plain, no crypto line */
	l.enc = SDP_ENC_OFF;
	buf_reset(b1);
	REQUIRE(!answer_text(microsip, &l, b1, &r1, &why));
	CHECK(!r1.srtp);
	CHECK(!strstr((const char *)b1->b, "a=crypto"));
	obj_deref(b1);
	obj_deref(b2);
}

/* The defaults offer what the SRTP layer runs here, nothing more. */
static void test_local_default_asks_srtp_layer(void)
{
	struct sdp_local l;

	sdp_local_default(&l);
	CHECK_EQ_INT(l.enc, SDP_ENC_OPTIONAL);
	CHECK(l.srtp_aes256 ==
	      srtpx_suite_supported(SRTPX_AES_256_CM_HMAC_SHA1_80));
	CHECK(l.srtp_gcm == (srtpx_suite_supported(SRTPX_AEAD_AES_128_GCM) &&
			     srtpx_suite_supported(SRTPX_AEAD_AES_256_GCM)));
	/* MicroSIP lists AES-256 first (tag 1): taken when it runs here */
	struct sdp_result r;
	struct buf *b = NULL;
	const char *why;
	REQUIRE(!buf_alloc(&b, 1024));
	REQUIRE(!answer_text(microsip, &l, b, &r, &why));
	if (srtpx_suite_supported(SRTPX_AES_256_CM_HMAC_SHA1_80)) {
		CHECK_EQ_INT(r.tag, 1);
		CHECK_EQ_INT(r.suite, SDP_SUITE_AES_256_CM_HMAC_SHA1_80);
	} else {
		CHECK_EQ_INT(r.tag, 2);
	}
	obj_deref(b);
}

static const char savp_tags[] =
	"v=0\r\no=bob 1 1 IN IP4 10.1.1.1\r\ns=-\r\nc=IN IP4 10.1.1.1\r\n"
	"t=0 0\r\nm=audio 7078 RTP/SAVP 111 0\r\n"
	"a=rtpmap:111 opus/48000/2\r\n"
	"a=crypto:7 AEAD_AES_256_GCM "
	"inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKis=\r\n"
	"a=crypto:42 AES_CM_128_HMAC_SHA1_32 "
	"inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz FEC_ORDER=FEC_SRTP "
	"UNKNOWN_PARAM=1\r\n"
	"a=sendonly\r\n"
	"m=video 9000 RTP/SAVP 96\r\na=rtpmap:96 VP8/90000\r\n";

static void test_answer_tags_hold_codecs(void)
{
	struct sdp_local l;
	struct sdp_result r;
	struct buf *b = NULL;
	struct sdp_session a;
	const char *why;

	sdp_local_default(&l);
	l.enc = SDP_ENC_MANDATORY;
	l.srtp_gcm = false; /* a backend without GCM first */
	REQUIRE(!buf_alloc(&b, 1024));
	REQUIRE(!answer_text(savp_tags, &l, b, &r, &why));
	CHECK_EQ_INT(r.tag, 42);
	CHECK_EQ_INT(r.suite, SDP_SUITE_AES_CM_128_HMAC_SHA1_32);
	CHECK_EQ_INT(r.dir, SDP_RECVONLY);
	/* PCMU (static, no rtpmap) preferred over opus; opus keeps PT 111 */
	CHECK_EQ_INT(r.pt, 0);
	REQUIRE(!sdp_decode(&a, &BPL(b), &why));
	REQUIRE(a.nmedia == 2);
	CHECK_EQ_INT(a.media[0].proto, SDP_PROTO_RTP_SAVP);
	CHECK_EQ_INT(sdp_media_dir(&a, 0), SDP_RECVONLY);
	CHECK_PL(a.media[0].fmt[1], "111");
	CHECK_EQ_INT(a.media[1].port, 0);
	CHECK_PL(a.media[1].type, "video");

	/* GCM backend: tag 7 */
	l.srtp_gcm = true;
	buf_reset(b);
	REQUIRE(!answer_text(savp_tags, &l, b, &r, &why));
	CHECK_EQ_INT(r.tag, 7);
	CHECK_EQ_INT(r.lkeylen, 44);

	/* SAVP-only offer with encryption off: refused */
	l.enc = SDP_ENC_OFF;
	buf_reset(b);
	CHECK_EQ_INT(answer_text(savp_tags, &l, b, &r, &why), EPROTO);
	CHECK(why && strstr(why, "SRTP"));

	/* inactive offer -> inactive answer; opus only -> opus */
	static const char inact[] =
		"v=0\r\no=- 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\n"
		"a=inactive\r\nm=audio 7078 RTP/AVP 96 97\r\n"
		"a=rtpmap:96 opus/48000/2\r\n"
		"a=rtpmap:97 telephone-event/8000\r\n";
	buf_reset(b);
	REQUIRE(!answer_text(inact, &l, b, &r, &why));
	CHECK_EQ_INT(r.dir, SDP_INACTIVE);
	CHECK_EQ_INT(r.pt, 96);
	CHECK_EQ_STR(r.codec, "opus");
	CHECK_EQ_INT(r.channels, 2);
	CHECK_EQ_INT(r.te_pt, 97);
	CHECK_EQ_STR(r.raddr, "::1");

	/* no common codec */
	static const char gsm[] =
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\n"
		"t=0 0\r\nm=audio 7078 RTP/AVP 3\r\n";
	buf_reset(b);
	CHECK_EQ_INT(answer_text(gsm, &l, b, &r, &why), EPROTO);
	CHECK_EQ_STR(why, "no common codec");
	obj_deref(b);
}

static void test_mandatory_refuses_plain(void)
{
	static const char plain[] =
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\n"
		"t=0 0\r\nm=audio 7078 RTP/AVP 0 8\r\n";
	struct sdp_local l;
	struct sdp_result r;
	struct buf *b = NULL;
	const char *why = NULL;

	sdp_local_default(&l);
	l.enc = SDP_ENC_MANDATORY;
	REQUIRE(!buf_alloc(&b, 512));
	CHECK_EQ_INT(answer_text(plain, &l, b, &r, &why), EPROTO);
	CHECK(why && strstr(why, "mandatory"));
	CHECK_EQ_INT(b->end, 0);
	l.enc = SDP_ENC_OPTIONAL;
	CHECK_EQ_INT(answer_text(plain, &l, b, &r, &why), 0);
	CHECK(!r.srtp);
	obj_deref(b);
}

static void test_decode_errors(void)
{
	static const struct {
		const char *in;
		const char *why;
	} bad[] = {
		{"o=- 1 1 IN IP4 a\r\ns=-\r\n", "v= must come first"},
		{"v=0\r\ns=-\r\n", "missing o="},
		{"v=0\r\no=- 1 1 IN IP4 a\r\n", "missing s="},
		{"v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nt=0 0\r\n"
		 "m=audio 4000 RTP/AVP 0\r\n",
		 "missing c= for an active media stream"},
		{"v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\n"
		 "m=audio 70000 RTP/AVP 0\r\n",
		 "m= port not in 0..65535"},
		{"v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\n"
		 "m=audio -1 RTP/AVP 0\r\n",
		 "m= port not in 0..65535"},
		{"v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\n"
		 "m=audio 4000 RTP/SAVP 0\r\n"
		 "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:!!!!\r\n",
		 "crypto key is not valid base64"},
		{"v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\n"
		 "m=audio 4000 RTP/SAVP 0\r\n"
		 "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:AAAA\r\n",
		 "crypto key length wrong for the suite"},
		{"v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\n"
		 "m=audio 4000 RTP/SAVP 0\r\n"
		 "a=crypto:1 AES_CM_128_HMAC_SHA1_80 key:AAAA\r\n",
		 "crypto key-params must be inline:"},
		{"v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=IN IP9 a\r\n",
		 "c= malformed"},
		{"v=0\r\nbogus\r\n", "line is not type=value"},
	};
	struct sdp_session s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = NULL;
		int err = sdp_decode(&s, &(struct pl){bad[i].in,
						      strlen(bad[i].in)},
				     &why);
		CHECK_EQ_INT(err, EBADMSG);
		CHECK_EQ_STR(why, bad[i].why);
	}
	/* port 0 stream needs no c=; unknown profile kept as other */
	static const char ok[] = "v=0\no=- 1 1 IN IP4 a\ns=-\nt=0 0\n"
				 "m=audio 0 RTP/AVP 0\n"
				 "m=image 0 udptl t38\n";
	REQUIRE(!sdp_decode(&s, &PL(ok), NULL));
	CHECK_EQ_INT(s.media[1].proto, SDP_PROTO_OTHER);
	CHECK_PL(s.media[1].proto_name, "udptl");
}

static void test_round_trip(void)
{
	struct sdp_session s, s2;
	struct buf *b = NULL, *b2 = NULL;

	REQUIRE(!sdp_decode(&s, &PL(microsip), NULL));
	REQUIRE(!buf_alloc(&b, 1024));
	REQUIRE(!buf_alloc(&b2, 1024));
	REQUIRE(!sdp_encode(b, &s));
	REQUIRE(!sdp_decode(&s2, &BPL(b), NULL));
	REQUIRE(!sdp_encode(b2, &s2));
	CHECK(b->end == b2->end && !memcmp(b->b, b2->b, b->end));
	REQUIRE(s2.nmedia == 1 && s2.media[0].ncrypto == 2);
	CHECK(!memcmp(s2.media[0].crypto[0].key, s.media[0].crypto[0].key,
		      46));
	CHECK_EQ_INT(s2.media[0].crypto[1].lifetime_v, 1 << 20);
	CHECK_EQ_INT(s2.media[0].crypto[1].mki_len, 4);
	CHECK_EQ_INT(s2.media[0].rtcp_port, 4001);
	CHECK_EQ_INT(s2.media[0].nmap, 4);
	CHECK(strncmp((const char *)b->b, "v=0\r\no=", 7) == 0);
	obj_deref(b);
	obj_deref(b2);
}

static void test_offer_and_apply(void)
{
	struct sdp_local l;
	struct sdp_result off, ans;
	struct buf *o = NULL, *a = NULL;
	struct sdp_session s;
	const char *why;

	sdp_local_default(&l);
	REQUIRE(!buf_alloc(&o, 1024));
	REQUIRE(!buf_alloc(&a, 1024));
	for (int enc = SDP_ENC_OFF; enc <= SDP_ENC_MANDATORY; enc++) {
		l.enc = (enum sdp_enc)enc;
		buf_reset(o);
		REQUIRE(!sdp_offer(o, &off, &l));
		REQUIRE(!sdp_decode(&s, &BPL(o), &why));
		CHECK_EQ_INT(s.media[0].proto, enc == SDP_ENC_MANDATORY
						       ? SDP_PROTO_RTP_SAVP
						       : SDP_PROTO_RTP_AVP);
		CHECK_EQ_INT(s.media[0].ncrypto, enc == SDP_ENC_OFF ? 0 : 2);
	}
	/* answer our own mandatory offer, then apply that answer */
	struct sdp_local peer;
	sdp_local_default(&peer);
	peer.addr = "127.0.0.2";
	peer.port = 6000;
	buf_reset(a);
	REQUIRE(!sdp_answer(a, &ans, &s, &peer, &why));
	REQUIRE(!sdp_decode(&s, &BPL(a), &why));
	REQUIRE(!sdp_apply_answer(&off, &s, &l, &why));
	CHECK(off.srtp);
	CHECK_EQ_INT(off.tag, 1);
	CHECK(!memcmp(off.rkey, ans.lkey, 30));
	CHECK(!memcmp(ans.rkey, off.lkey, 30));
	CHECK_EQ_INT(off.rport, 6000);
	CHECK_EQ_STR(off.raddr, "127.0.0.2");
	CHECK_EQ_STR(off.codec, "PCMU");
	obj_deref(o);
	obj_deref(a);
}

static void test_redact(void)
{
	char *r = sdp_redact(&PL(microsip));

	REQUIRE(r);
	CHECK(!strstr(r, "ytSc0aP5"));
	CHECK(!strstr(r, "WVNfX19z"));
	CHECK(strstr(r, "AES_256_CM_HMAC_SHA1_80 inline:<redacted>\r\n"));
	CHECK(strstr(r, "inline:<redacted>|2^20|1:4\r\n"));
	CHECK(strstr(r, "m=audio 4000 RTP/AVP 8 0 9 101\r\n"));
	obj_deref(r);
}

int main(void)
{
	harness_watchdog(20);
	RUN(test_decode_microsip);
	RUN(test_answer_microsip);
	RUN(test_answer_tags_hold_codecs);
	RUN(test_local_default_asks_srtp_layer);
	RUN(test_mandatory_refuses_plain);
	RUN(test_decode_errors);
	RUN(test_round_trip);
	RUN(test_offer_and_apply);
	RUN(test_redact);
	return harness_done();
}
