/* test_srtp_ctx.c: SRTP/SRTCP contexts: round trip per suite, wrong key,
 * replay, tampering, suite mismatch, bad key lengths, names. */
#include <errno.h>

#include "audio/srtp/srtp.h"
#include "harness.h"

static uint8_t key_a[SRTPX_MAX_KEYSALT], key_b[SRTPX_MAX_KEYSALT];

static size_t mkpkt(uint8_t *buf, uint16_t seq, uint8_t fill)
{
	memset(buf, 0, 12);
	buf[0] = 0x80;
	buf[1] = 0;
	buf[2] = (uint8_t)(seq >> 8);
	buf[3] = (uint8_t)seq;
	buf[8] = 0x11, buf[9] = 0x22, buf[10] = 0x33, buf[11] = 0x44;
	memset(buf + 12, fill, 160);
	return 172;
}

static void pair(enum srtpx_suite s, struct srtpx **tx, struct srtpx **rx,
		 const uint8_t *rxkey)
{
	size_t n = srtpx_keysalt_len(s);
	*tx = *rx = NULL;
	CHECK_EQ_INT(srtpx_ctx_alloc(tx, s, key_a, n, SRTPX_TX), 0);
	CHECK_EQ_INT(srtpx_ctx_alloc(rx, s, rxkey, n, SRTPX_RX), 0);
}

static void test_round_trip_every_supported_suite(void)
{
	CHECK(srtpx_suite_supported(SRTPX_AES_CM_128_HMAC_SHA1_80));
	CHECK(srtpx_suite_supported(SRTPX_AES_CM_128_HMAC_SHA1_32));
	static const size_t tags[] = {10, 4, 10, 16, 16};
	for (int s = 0; s < SRTPX_SUITE_COUNT; s++) {
		if (!srtpx_suite_supported((enum srtpx_suite)s)) {
			printf("     %s: not in this libsrtp2\n",
			       srtpx_suite_name((enum srtpx_suite)s));
			continue;
		}
		struct srtpx *tx, *rx;
		pair((enum srtpx_suite)s, &tx, &rx, key_a);
		REQUIRE(tx && rx);
		for (uint16_t seq = 100; seq < 110; seq++) {
			uint8_t b[400];
			size_t len = mkpkt(b, seq, (uint8_t)seq);
			REQUIRE(srtpx_protect(tx, b, &len, sizeof(b)) == 0);
			CHECK_EQ_INT(len, 172 + tags[s]);
			CHECK(b[12] != (uint8_t)seq || b[13] != (uint8_t)seq);
			REQUIRE(srtpx_unprotect(rx, b, &len) == 0);
			CHECK_EQ_INT(len, 172);
			CHECK(b[12] == (uint8_t)seq && b[171] == (uint8_t)seq);

			/* SRTCP: a minimal RR */
			uint8_t r[200] = {0x80, 201,  0,    1,
					  0x11, 0x22, 0x33, 0x44};
			size_t rl = 8;
			REQUIRE(srtcpx_protect(tx, r, &rl, sizeof(r)) == 0);
			CHECK(rl > 8);
			REQUIRE(srtcpx_unprotect(rx, r, &rl) == 0);
			CHECK_EQ_INT(rl, 8);
			CHECK(r[1] == 201 && r[7] == 0x44);
		}
		struct srtpx_stats st;
		srtpx_stats_get(rx, false, &st);
		CHECK_EQ_INT(st.ok, 10);
		srtpx_stats_get(rx, true, &st);
		CHECK_EQ_INT(st.ok, 10);
		obj_deref(tx);
		obj_deref(rx);
	}
}

static void test_wrong_key_rejects_every_packet(void)
{
	struct srtpx *tx, *rx;
	pair(SRTPX_AES_CM_128_HMAC_SHA1_80, &tx, &rx, key_b);
	REQUIRE(tx && rx);
	for (uint16_t seq = 1; seq <= 50; seq++) {
		uint8_t b[400];
		size_t len = mkpkt(b, seq, 0x55);
		REQUIRE(srtpx_protect(tx, b, &len, sizeof(b)) == 0);
		CHECK_EQ_INT(srtpx_unprotect(rx, b, &len), EBADMSG);
	}
	struct srtpx_stats st;
	srtpx_stats_get(rx, false, &st);
	CHECK_EQ_INT(st.ok, 0);
	CHECK_EQ_INT(st.auth_fail, 50);
	obj_deref(tx);
	obj_deref(rx);
}

static void test_replay_rejected_and_counted(void)
{
	struct srtpx *tx, *rx;
	pair(SRTPX_AES_CM_128_HMAC_SHA1_80, &tx, &rx, key_a);
	REQUIRE(tx && rx);
	uint8_t b[400], copy[400];
	size_t len = mkpkt(b, 7, 1);
	REQUIRE(srtpx_protect(tx, b, &len, sizeof(b)) == 0);
	size_t clen = len;
	memcpy(copy, b, len);
	CHECK_EQ_INT(srtpx_unprotect(rx, b, &len), 0);
	CHECK_EQ_INT(srtpx_unprotect(rx, copy, &clen), EALREADY);
	struct srtpx_stats st;
	srtpx_stats_get(rx, false, &st);
	CHECK_EQ_INT(st.ok, 1);
	CHECK_EQ_INT(st.replay, 1);
	obj_deref(tx);
	obj_deref(rx);
}

static void test_tampered_packet_rejected(void)
{
	struct srtpx *tx, *rx;
	pair(SRTPX_AES_CM_128_HMAC_SHA1_80, &tx, &rx, key_a);
	REQUIRE(tx && rx);
	static const size_t where[] = {1, 5, 20, 171, 181};
	for (unsigned i = 0; i < 5; i++) {
		uint8_t b[400];
		size_t len = mkpkt(b, (uint16_t)(20 + i), 9);
		REQUIRE(srtpx_protect(tx, b, &len, sizeof(b)) == 0);
		b[where[i]] ^= 0x01;
		CHECK_EQ_INT(srtpx_unprotect(rx, b, &len), EBADMSG);
	}
	struct srtpx_stats st;
	srtpx_stats_get(rx, false, &st);
	CHECK_EQ_INT(st.auth_fail, 5);
	CHECK_EQ_INT(st.ok, 0);
	obj_deref(tx);
	obj_deref(rx);
}

static void test_suite_mismatch_rejected(void)
{
	struct srtpx *tx = NULL, *rx = NULL;
	REQUIRE(srtpx_ctx_alloc(&tx, SRTPX_AES_CM_128_HMAC_SHA1_80, key_a, 30,
				SRTPX_TX) == 0);
	REQUIRE(srtpx_ctx_alloc(&rx, SRTPX_AES_CM_128_HMAC_SHA1_32, key_a, 30,
				SRTPX_RX) == 0);
	uint8_t b[400];
	size_t len = mkpkt(b, 3, 3);
	REQUIRE(srtpx_protect(tx, b, &len, sizeof(b)) == 0);
	CHECK_EQ_INT(srtpx_unprotect(rx, b, &len), EBADMSG);
	struct srtpx_stats st;
	srtpx_stats_get(rx, false, &st);
	CHECK_EQ_INT(st.auth_fail, 1);
	obj_deref(tx);
	obj_deref(rx);
}

static void test_bad_setup_refused(void)
{
	struct srtpx *c = NULL;
	CHECK_EQ_INT(srtpx_ctx_alloc(&c, SRTPX_AES_CM_128_HMAC_SHA1_80, key_a,
				     29, SRTPX_TX),
		     EINVAL);
	CHECK_EQ_INT(srtpx_ctx_alloc(&c, SRTPX_AES_CM_128_HMAC_SHA1_80, key_a,
				     46, SRTPX_TX),
		     EINVAL);
	CHECK_EQ_INT(
	    srtpx_ctx_alloc(&c, SRTPX_SUITE_COUNT, key_a, 30, SRTPX_TX),
	    EINVAL);
	CHECK(c == NULL);
	/* wrong direction */
	REQUIRE(srtpx_ctx_alloc(&c, SRTPX_AES_CM_128_HMAC_SHA1_80, key_a, 30,
				SRTPX_RX) == 0);
	uint8_t b[400];
	size_t len = mkpkt(b, 1, 1);
	CHECK_EQ_INT(srtpx_protect(c, b, &len, sizeof(b)), EINVAL);
	len = 5;
	CHECK_EQ_INT(srtpx_unprotect(c, b, &len), EBADMSG);
	c = obj_deref(c);
	/* no room for the tag */
	REQUIRE(srtpx_ctx_alloc(&c, SRTPX_AES_CM_128_HMAC_SHA1_80, key_a, 30,
				SRTPX_TX) == 0);
	len = mkpkt(b, 1, 1);
	CHECK_EQ_INT(srtpx_protect(c, b, &len, 180), ENOMEM);
	obj_deref(c);
}

static void test_suite_names_and_lengths(void)
{
	for (int s = 0; s < SRTPX_SUITE_COUNT; s++) {
		enum srtpx_suite got;
		struct pl n =
		    pl_from_str(srtpx_suite_name((enum srtpx_suite)s));
		CHECK_EQ_INT(srtpx_suite_parse(&n, &got), 0);
		CHECK_EQ_INT(got, s);
	}
	struct pl bad = PL("AES_CM_128_HMAC_SHA1_81");
	enum srtpx_suite got;
	CHECK_EQ_INT(srtpx_suite_parse(&bad, &got), ENOENT);
	CHECK_EQ_INT(srtpx_keysalt_len(SRTPX_AES_CM_128_HMAC_SHA1_80), 30);
	CHECK_EQ_INT(srtpx_keysalt_len(SRTPX_AES_256_CM_HMAC_SHA1_80), 46);
	CHECK_EQ_INT(srtpx_keysalt_len(SRTPX_AEAD_AES_128_GCM), 28);
	CHECK_EQ_INT(srtpx_keysalt_len(SRTPX_AEAD_AES_256_GCM), 44);
	CHECK_EQ_STR(srtpx_suite_name(SRTPX_SUITE_COUNT), "?");
}

int main(void)
{
	harness_watchdog(60);
	for (unsigned i = 0; i < sizeof(key_a); i++) {
		key_a[i] = (uint8_t)(i + 1);
		key_b[i] = (uint8_t)(i + 2);
	}
	RUN(test_round_trip_every_supported_suite);
	RUN(test_wrong_key_rejects_every_packet);
	RUN(test_replay_rejected_and_counted);
	RUN(test_tampered_packet_rejected);
	RUN(test_suite_mismatch_rejected);
	RUN(test_bad_setup_refused);
	RUN(test_suite_names_and_lengths);
	return harness_done();
}
