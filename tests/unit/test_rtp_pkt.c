/* test_rtp_pkt.c: RTP header and RTCP compound encode/decode, bad input. */
#include <errno.h>

#include "audio/rtp/rtp_pkt.h"
#include "harness.h"

static void test_rtp_round_trip_with_csrc_and_extension(void)
{
	uint8_t ext[8] = {1, 2, 3, 4, 5, 6, 7, 8}, pl[20], buf[200];
	memset(pl, 0xab, sizeof(pl));
	struct rtp_hdr h = {.marker = true,
			    .pt = 96,
			    .seq = 65535,
			    .ts = 0xdeadbeef,
			    .ssrc = 0x01020304,
			    .cc = 2,
			    .csrc = {7, 8},
			    .ext = true,
			    .ext_profile = 0xbede,
			    .ext_data = ext,
			    .ext_len = 8};
	size_t n;
	REQUIRE(rtp_encode(buf, sizeof(buf), &n, &h, pl, sizeof(pl)) == 0);
	CHECK_EQ_INT(n, 12 + 8 + 4 + 8 + 20);
	struct rtp_hdr d;
	REQUIRE(rtp_hdr_decode(&d, buf, n, 0) == 0);
	CHECK(d.marker);
	CHECK_EQ_INT(d.pt, 96);
	CHECK_EQ_INT(d.seq, 65535);
	CHECK_EQ_INT(d.ts, 0xdeadbeef);
	CHECK_EQ_INT(d.ssrc, 0x01020304);
	CHECK_EQ_INT(d.cc, 2);
	CHECK_EQ_INT(d.csrc[1], 8);
	CHECK(d.ext && d.ext_profile == 0xbede && d.ext_len == 8);
	CHECK(!memcmp(d.ext_data, ext, 8));
	CHECK_EQ_INT(d.payload_len, 20);
	CHECK(!memcmp(d.payload, pl, 20));
	CHECK_EQ_INT(rtp_encode(buf, 30, &n, &h, pl, sizeof(pl)), ENOMEM);
	h.pt = 128;
	CHECK_EQ_INT(rtp_encode(buf, sizeof(buf), &n, &h, pl, 2), EINVAL);
}

static void test_rtp_padding_removed(void)
{
	uint8_t b[] = {0xa0, 0, 0, 1,	0,   0, 0, 2, 0,
		       0,    0, 3, 'h', 'i', 0, 0, 3};
	struct rtp_hdr d;
	REQUIRE(rtp_hdr_decode(&d, b, sizeof(b), 0) == 0);
	CHECK_EQ_INT(d.pad, 3);
	CHECK_EQ_INT(d.payload_len, 2);
	CHECK(d.payload[0] == 'h');
}

static void test_rtp_bad_input_rejected(void)
{
	uint8_t big[1600] = {0x80};
	static const struct {
		const char *what;
		uint8_t b[32];
		size_t len;
	} t[] = {
	    {"truncated header", {0x80, 0, 0, 1, 0, 0}, 6},
	    {"version 1", {0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, 12},
	    {"version 0", {0x00, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, 12},
	    {"CSRC count beyond packet",
	     {0x8f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4},
	     16},
	    {"extension header cut",
	     {0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe},
	     13},
	    {"extension length beyond packet",
	     {0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe, 0xde, 0, 9},
	     16},
	    {"padding larger than payload",
	     {0xa0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 9},
	     14},
	    {"padding count zero",
	     {0xa0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0},
	     14},
	};
	struct rtp_hdr d;
	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int err = rtp_hdr_decode(&d, t[i].b, t[i].len, 0);
		if (err != EBADMSG)
			fprintf(stderr, "accepted: %s\n", t[i].what);
		CHECK_EQ_INT(err, EBADMSG);
	}
	CHECK_EQ_INT(rtp_hdr_decode(&d, big, 1501, 0), EBADMSG);
	CHECK_EQ_INT(rtp_hdr_decode(&d, big, 1500, 0), 0);
	CHECK_EQ_INT(rtp_hdr_decode(&d, big, 201, 200), EBADMSG);
}

static void test_rtcp_sr_sdes_bye_round_trip(void)
{
	struct rtcp_rr rr = {.ssrc = 42,
			     .fraction = 12,
			     .lost = -3,
			     .ext_seq = 0x10005,
			     .jitter = 77,
			     .lsr = 0x12345678,
			     .dlsr = 65536};
	struct rtcp_out o = {.ssrc = 7,
			     .sr = true,
			     .ntp = 0x0102030405060708ull,
			     .rtp_ts = 1000,
			     .pkt_count = 50,
			     .octet_count = 8000,
			     .n_rr = 1,
			     .rr = &rr,
			     .cname = "alice@example",
			     .bye = true};
	uint8_t buf[300];
	size_t n;
	REQUIRE(rtcp_encode(buf, sizeof(buf), &n, &o) == 0);
	CHECK_EQ_INT(n % 4, 0);
	CHECK(rtp_is_rtcp(buf, n));
	struct rtcp_info in;
	REQUIRE(rtcp_decode(&in, buf, n) == 0);
	CHECK(in.has_sr && in.ssrc == 7);
	CHECK(in.ntp == 0x0102030405060708ull);
	CHECK_EQ_INT(in.pkt_count, 50);
	CHECK_EQ_INT(in.octet_count, 8000);
	CHECK_EQ_INT(in.n_rr, 1);
	CHECK_EQ_INT(in.rr[0].lost, -3);
	CHECK_EQ_INT(in.rr[0].ext_seq, 0x10005);
	CHECK_EQ_INT(in.rr[0].lsr, 0x12345678);
	CHECK_EQ_STR(in.cname, "alice@example");
	CHECK(in.bye);

	/* SR (52) + SDES (24) + BYE (8); a cut at a packet boundary is a
	 * valid shorter compound, any other cut is refused */
	CHECK_EQ_INT(n, 84);
	for (size_t l = 0; l < n; l++)
		CHECK_EQ_INT(rtcp_decode(&in, buf, l),
			     l == 52 || l == 76 ? 0 : EBADMSG);
	CHECK_EQ_INT(rtcp_encode(buf, 40, &n, &o), ENOMEM);
}

static void test_rtcp_bad_input_rejected(void)
{
	struct rtcp_info in;
	uint8_t sdes_first[] = {0x81, 202, 0, 1, 0, 0, 0, 1};
	CHECK_EQ_INT(rtcp_decode(&in, sdes_first, 8), EBADMSG);
	uint8_t v1[] = {0x40, 201, 0, 1, 0, 0, 0, 1};
	CHECK_EQ_INT(rtcp_decode(&in, v1, 8), EBADMSG);
	uint8_t rr_count[] = {0x83, 201, 0, 1, 0, 0, 0, 1};
	CHECK_EQ_INT(rtcp_decode(&in, rr_count, 8), EBADMSG);
	uint8_t rr_ok[] = {0x80, 201, 0, 1, 0, 0, 0, 1};
	CHECK_EQ_INT(rtcp_decode(&in, rr_ok, 8), 0);
	CHECK_EQ_INT(in.ssrc, 1);
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_rtp_round_trip_with_csrc_and_extension);
	RUN(test_rtp_padding_removed);
	RUN(test_rtp_bad_input_rejected);
	RUN(test_rtcp_sr_sdes_bye_round_trip);
	RUN(test_rtcp_bad_input_rejected);
	return harness_done();
}
