/* test_srtp_sdes.c: RFC 4568 key-params parsing, base64, key generation. */
#include <errno.h>

#include "audio/srtp/srtp_sdes.h"
#include "harness.h"

/* 30 bytes: "YS___Zlig fatters try not looking" style filler */
#define K30 "WVNfX19abGlnIGZhdHRlcnMgdHJ5IG5vdCBsb29r"

static void test_keyparams_grammar(void)
{
	static const struct {
		const char *in;
		int err;
		bool lt;
		uint64_t lifetime;
		bool mki;
		uint32_t mki_val;
		unsigned mki_len;
	} t[] = {
	    {"inline:" K30, 0, false, 0, false, 0, 0},
	    {"inline:" K30 "|2^20", 0, true, 1u << 20, false, 0, 0},
	    {"inline:" K30 "|1048576", 0, true, 1048576, false, 0, 0},
	    {"inline:" K30 "|2^31|1:4", 0, true, 1u << 31, true, 1, 4},
	    {"inline:" K30 "|7:1", 0, false, 0, true, 7, 1},
	    {"inline:" K30 "|256:1", EBADMSG, false, 0, false, 0,
	     0}, /* MKI value too big */
	    {"inline:" K30 "|1:0", EBADMSG, false, 0, false, 0,
	     0}, /* MKI length 0 */
	    {"inline:" K30 "|1:129", EBADMSG, false, 0, false, 0,
	     0}, /* MKI length > 128 */
	    {"inline:" K30 "|1:4|2^20", EBADMSG, false, 0, false, 0,
	     0}, /* wrong order */
	    {"inline:" K30 "|2^20|2^20", EBADMSG, false, 0, false, 0, 0},
	    {"inline:" K30 "|2^64", EBADMSG, false, 0, false, 0, 0},
	    {"inline:" K30 "|0", EBADMSG, false, 0, false, 0, 0},
	    {"inline:" K30 "|", EBADMSG, false, 0, false, 0, 0},
	    {"inline:" K30 "|x", EBADMSG, false, 0, false, 0, 0},
	    {"inline:" K30 "|2^20|1:4|5", EBADMSG, false, 0, false, 0, 0},
	    {"inline:" K30 "A", EBADMSG, false, 0, false, 0,
	     0}, /* not a multiple of 4 */
	    {"inline:WVN!X19abGlnIGZhdHRlcnMgdHJ5IG5vdCBsb29r", EBADMSG, false,
	     0, false, 0, 0},
	    {"inline:QUJD", EINVAL, false, 0, false, 0,
	     0}, /* 3 bytes: too short */
	    {"inline:", EBADMSG, false, 0, false, 0, 0},
	    {"uri:" K30, EBADMSG, false, 0, false, 0, 0},
	    {"", EBADMSG, false, 0, false, 0, 0},
	};
	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct srtpx_keyparams kp;
		struct pl s = pl_from_str(t[i].in);
		int err = srtpx_keyparams_decode(
		    &kp, SRTPX_AES_CM_128_HMAC_SHA1_80, &s);
		if (err != t[i].err)
			fprintf(stderr, "case %u: %s\n", i, t[i].in);
		CHECK_EQ_INT(err, t[i].err);
		if (err)
			continue;
		CHECK_EQ_INT(kp.keylen, 30);
		CHECK(!memcmp(kp.key, "YS___Zlig fatters", 17));
		CHECK_EQ_INT(kp.has_lifetime, t[i].lt);
		CHECK_EQ_INT(kp.lifetime, t[i].lifetime);
		CHECK_EQ_INT(kp.has_mki, t[i].mki);
		CHECK_EQ_INT(kp.mki, t[i].mki_val);
		CHECK_EQ_INT(kp.mki_len, t[i].mki_len);
	}
}

static void test_key_length_checked_per_suite(void)
{
	struct srtpx_keyparams kp;
	struct pl s = PL("inline:" K30);
	CHECK_EQ_INT(
	    srtpx_keyparams_decode(&kp, SRTPX_AES_256_CM_HMAC_SHA1_80, &s),
	    EINVAL);
	CHECK_EQ_INT(srtpx_keyparams_decode(&kp, SRTPX_AEAD_AES_128_GCM, &s),
		     EINVAL);
	CHECK_EQ_INT(
	    srtpx_keyparams_decode(&kp, SRTPX_AES_CM_128_HMAC_SHA1_32, &s), 0);
}

static void test_generate_encode_decode_round_trip(void)
{
	for (int su = 0; su < SRTPX_SUITE_COUNT; su++) {
		enum srtpx_suite suite = (enum srtpx_suite)su;
		uint8_t k1[SRTPX_MAX_KEYSALT], k2[SRTPX_MAX_KEYSALT];
		REQUIRE(srtpx_key_generate(suite, k1, sizeof(k1)) == 0);
		REQUIRE(srtpx_key_generate(suite, k2, sizeof(k2)) == 0);
		size_t n = srtpx_keysalt_len(suite);
		CHECK(memcmp(k1, k2, n) != 0);
		char line[128];
		REQUIRE(srtpx_keyparams_encode(line, sizeof(line), k1, n) == 0);
		CHECK(!strncmp(line, "inline:", 7));
		struct srtpx_keyparams kp;
		struct pl s = pl_from_str(line);
		REQUIRE(srtpx_keyparams_decode(&kp, suite, &s) == 0);
		CHECK_EQ_INT(kp.keylen, n);
		CHECK(!memcmp(kp.key, k1, n));
	}
	uint8_t k[8];
	CHECK_EQ_INT(
	    srtpx_key_generate(SRTPX_AES_CM_128_HMAC_SHA1_80, k, sizeof(k)),
	    EINVAL);
	char small[20];
	uint8_t key[30] = {0};
	CHECK_EQ_INT(srtpx_keyparams_encode(small, sizeof(small), key, 30),
		     ENOMEM);
}

static void test_base64_vectors(void)
{
	static const char *plain[] = {"",     "f",     "fo",	"foo",
				      "foob", "fooba", "foobar"};
	static const char *enc[] = {"",		"Zg==",	    "Zm8=",    "Zm9v",
				    "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	for (unsigned i = 1; i < 7; i++) {
		char out[16];
		uint8_t dec[16];
		size_t n;
		CHECK(srtpx_b64_encode(out, sizeof(out),
				       (const uint8_t *)plain[i],
				       strlen(plain[i])) == strlen(enc[i]));
		CHECK_EQ_STR(out, enc[i]);
		CHECK_EQ_INT(srtpx_b64_decode(dec, sizeof(dec), &n, enc[i],
					      strlen(enc[i])),
			     0);
		CHECK(n == strlen(plain[i]) && !memcmp(dec, plain[i], n));
	}
	uint8_t d[8];
	size_t n;
	CHECK_EQ_INT(srtpx_b64_decode(d, 8, &n, "Zg=v", 4), EBADMSG);
	CHECK_EQ_INT(srtpx_b64_decode(d, 8, &n, "Z===", 4), EBADMSG);
	CHECK_EQ_INT(srtpx_b64_decode(d, 8, &n, "Zg==Zg==", 8), EBADMSG);
	CHECK_EQ_INT(srtpx_b64_decode(d, 2, &n, "Zm9v", 4), ENOMEM);
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_keyparams_grammar);
	RUN(test_key_length_checked_per_suite);
	RUN(test_generate_encode_decode_round_trip);
	RUN(test_base64_vectors);
	return harness_done();
}
