/* test_srtp_ossl.c: the own libcrypto SRTP backend interoperates with
 * libsrtp2 in both directions (RTP across a ROC wrap, SRTCP), and rejects
 * replays, tampering and wrong keys. */
#include <errno.h>

#include "audio/srtp/srtp.h"
#include "harness.h"

static uint8_t key[30];

static size_t mkpkt(uint8_t *b, uint16_t seq, unsigned extra_csrc)
{
	memset(b, 0, 12);
	b[0] = (uint8_t)(0x80 | extra_csrc);
	b[1] = 8;
	b[2] = (uint8_t)(seq >> 8);
	b[3] = (uint8_t)seq;
	b[7] = (uint8_t)seq;
	b[8] = 0xab, b[9] = 0xcd, b[10] = 0xef, b[11] = 0x01;
	size_t h = 12 + 4 * extra_csrc;
	memset(b + 12, 0x77, 4 * extra_csrc);
	for (unsigned i = 0; i < 160; i++)
		b[h + i] = (uint8_t)(i + seq);
	return h + 160;
}

static void one_way(enum srtpx_backend txb, enum srtpx_backend rxb,
		    enum srtpx_suite s)
{
	struct srtpx *tx = NULL, *rx = NULL;
	REQUIRE(srtpx_ctx_alloc_be(&tx, txb, s, key, 30, SRTPX_TX) == 0);
	REQUIRE(srtpx_ctx_alloc_be(&rx, rxb, s, key, 30, SRTPX_RX) == 0);
	unsigned ok = 0;
	/* 0xff00 .. 0x0100 crosses the sequence wrap (ROC 0 -> 1) */
	for (uint32_t i = 0; i < 512; i++) {
		uint16_t seq = (uint16_t)(0xff00 + i);
		uint8_t b[400], ref[400];
		size_t len = mkpkt(b, seq, i % 3), rl = len;
		memcpy(ref, b, len);
		REQUIRE(srtpx_protect(tx, b, &len, sizeof(b)) == 0);
		if (srtpx_unprotect(rx, b, &len) == 0 && len == rl &&
		    !memcmp(b, ref, rl))
			ok++;
		if (i % 64 == 0) {
			uint8_t r[200] = {0x81, 201, 0, 7, 0xab, 0xcd, 0xef, 1};
			for (int j = 8; j < 32; j++)
				r[j] = (uint8_t)(j * i);
			uint8_t rref[32];
			memcpy(rref, r, 32);
			size_t l = 32;
			REQUIRE(srtcpx_protect(tx, r, &l, sizeof(r)) == 0);
			CHECK_EQ_INT(l, 32 + 4 + 10);
			CHECK_EQ_INT(srtcpx_unprotect(rx, r, &l), 0);
			CHECK(l == 32 && !memcmp(r, rref, 32));
		}
	}
	CHECK_EQ_INT(ok, 512);
	obj_deref(tx);
	obj_deref(rx);
}

static void test_openssl_to_libsrtp2(void)
{
	one_way(SRTPX_BACKEND_OPENSSL, SRTPX_BACKEND_LIBSRTP2,
		SRTPX_AES_CM_128_HMAC_SHA1_80);
	one_way(SRTPX_BACKEND_OPENSSL, SRTPX_BACKEND_LIBSRTP2,
		SRTPX_AES_CM_128_HMAC_SHA1_32);
}

static void test_libsrtp2_to_openssl(void)
{
	one_way(SRTPX_BACKEND_LIBSRTP2, SRTPX_BACKEND_OPENSSL,
		SRTPX_AES_CM_128_HMAC_SHA1_80);
	one_way(SRTPX_BACKEND_LIBSRTP2, SRTPX_BACKEND_OPENSSL,
		SRTPX_AES_CM_128_HMAC_SHA1_32);
}

static void test_openssl_rejects_replay_tamper_wrong_key(void)
{
	struct srtpx *tx = NULL, *rx = NULL, *bad = NULL;
	uint8_t other[30];
	memset(other, 0x42, sizeof(other));
	enum srtpx_suite s = SRTPX_AES_CM_128_HMAC_SHA1_80;
	REQUIRE(srtpx_ctx_alloc_be(&tx, SRTPX_BACKEND_LIBSRTP2, s, key, 30,
				   SRTPX_TX) == 0);
	REQUIRE(srtpx_ctx_alloc_be(&rx, SRTPX_BACKEND_OPENSSL, s, key, 30,
				   SRTPX_RX) == 0);
	REQUIRE(srtpx_ctx_alloc_be(&bad, SRTPX_BACKEND_OPENSSL, s, other, 30,
				   SRTPX_RX) == 0);
	uint8_t p[20][400];
	size_t l[20];
	for (int i = 0; i < 20; i++) {
		l[i] = mkpkt(p[i], (uint16_t)(1000 + i), 0);
		REQUIRE(srtpx_protect(tx, p[i], &l[i], sizeof(p[i])) == 0);
	}
	uint8_t c[400];
	size_t cl = l[0];
	memcpy(c, p[0], cl);
	CHECK_EQ_INT(srtpx_unprotect(bad, c, &cl), EBADMSG);
	/* out of order within the window is fine, repeats are not */
	for (int i = 19; i >= 10; i--) {
		cl = l[i];
		memcpy(c, p[i], cl);
		CHECK_EQ_INT(srtpx_unprotect(rx, c, &cl), 0);
	}
	cl = l[15];
	memcpy(c, p[15], cl);
	CHECK_EQ_INT(srtpx_unprotect(rx, c, &cl), EALREADY);
	cl = l[3];
	memcpy(c, p[3], cl);
	c[40] ^= 0x80;
	CHECK_EQ_INT(srtpx_unprotect(rx, c, &cl), EBADMSG);
	cl = l[3];
	memcpy(c, p[3], cl);
	CHECK_EQ_INT(srtpx_unprotect(rx, c, &cl), 0);
	struct srtpx_stats st;
	srtpx_stats_get(rx, false, &st);
	CHECK_EQ_INT(st.ok, 11);
	CHECK_EQ_INT(st.replay, 1);
	CHECK_EQ_INT(st.auth_fail, 1);
	struct srtpx *g = NULL;
	CHECK_EQ_INT(srtpx_ctx_alloc_be(&g, SRTPX_BACKEND_OPENSSL,
					SRTPX_AEAD_AES_128_GCM, key, 28,
					SRTPX_TX),
		     ENOSYS);
	obj_deref(tx);
	obj_deref(rx);
	obj_deref(bad);
}

/* The default backend (AUTO) is the OpenSSL one for AES_CM_128 and
 * libsrtp2 for the suites only libsrtp2 has; it talks to both. */
static void test_default_backend_is_openssl_where_it_has_the_suite(void)
{
	CHECK_EQ_INT(srtpx_backend_for(SRTPX_AES_CM_128_HMAC_SHA1_80),
		     SRTPX_BACKEND_OPENSSL);
	CHECK_EQ_INT(srtpx_backend_for(SRTPX_AES_CM_128_HMAC_SHA1_32),
		     SRTPX_BACKEND_OPENSSL);
	CHECK_EQ_INT(srtpx_backend_for(SRTPX_AES_256_CM_HMAC_SHA1_80),
		     SRTPX_BACKEND_LIBSRTP2);
	CHECK_EQ_INT(srtpx_backend_for(SRTPX_AEAD_AES_128_GCM),
		     SRTPX_BACKEND_LIBSRTP2);
	one_way(SRTPX_BACKEND_AUTO, SRTPX_BACKEND_LIBSRTP2,
		SRTPX_AES_CM_128_HMAC_SHA1_80);
	one_way(SRTPX_BACKEND_LIBSRTP2, SRTPX_BACKEND_AUTO,
		SRTPX_AES_CM_128_HMAC_SHA1_32);
	one_way(SRTPX_BACKEND_AUTO, SRTPX_BACKEND_OPENSSL,
		SRTPX_AES_CM_128_HMAC_SHA1_80);
	/* a suite the OpenSSL backend lacks still works by default */
	struct srtpx *g = NULL;
	if (srtpx_suite_supported(SRTPX_AES_256_CM_HMAC_SHA1_80)) {
		uint8_t k46[46];
		memset(k46, 0x42, sizeof(k46));
		CHECK_EQ_INT(srtpx_ctx_alloc(&g, SRTPX_AES_256_CM_HMAC_SHA1_80,
					     k46, 46, SRTPX_TX),
			     0);
		g = obj_deref(g);
	}
}

int main(void)
{
	harness_watchdog(60);
	for (unsigned i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 31 + 5);
	RUN(test_openssl_to_libsrtp2);
	RUN(test_libsrtp2_to_openssl);
	RUN(test_openssl_rejects_replay_tamper_wrong_key);
	RUN(test_default_backend_is_openssl_where_it_has_the_suite);
	return harness_done();
}
