/* test_srtp_kdf.c: RFC 3711 B.2/B.3 vectors for our AES-CM and KDF, and a
 * cross-check that libsrtp2's packets match our derived session keys. */
#include <errno.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "audio/srtp/srtp.h"
#include "harness.h"

static void hex(const char *s, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		sscanf(s + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
}

static int cmp_hex(const uint8_t *a, const char *s, size_t n)
{
	uint8_t b[64];
	hex(s, b, n);
	return memcmp(a, b, n);
}

static void test_b2_aes_cm_keystream(void)
{
	uint8_t key[16], iv[16];
	hex("2B7E151628AED2A6ABF7158809CF4F3C", key, 16);
	hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000", iv, 16);
	static uint8_t ks[0xff02 * 16];
	memset(ks, 0, sizeof(ks));
	REQUIRE(srtpx_aes_cm(key, 16, iv, ks, sizeof(ks)) == 0);
	CHECK(!cmp_hex(ks, "E03EAD0935C95E80E166B16DD92B4EB4", 16));
	CHECK(!cmp_hex(ks + 16, "D23513162B02D0F72A43A2FE4A5F97AB", 16));
	CHECK(!cmp_hex(ks + 32, "41E95B3BB0A2E8DD477901E4FCA894C0", 16));
	CHECK(
	    !cmp_hex(ks + 0xfeff * 16, "EC8CDF7398607CB0F2D21675EA9EA1E4", 16));
	CHECK(
	    !cmp_hex(ks + 0xff00 * 16, "362B7C3C6773516318A077D7FC5073AE", 16));
	CHECK(
	    !cmp_hex(ks + 0xff01 * 16, "6A2CC3787889374FBEB4C81B17BA6C44", 16));
	CHECK(srtpx_aes_cm(key, 15, iv, ks, 16) == EINVAL);
}

static void test_b3_key_derivation(void)
{
	uint8_t mk[16], ms[14], out[20];
	hex("E1F97A0D3E018BE0D64FA32C06DE4139", mk, 16);
	hex("0EC675AD498AFEEBB6960B3AABE6", ms, 14);
	REQUIRE(srtpx_kdf(mk, 16, ms, SRTPX_LABEL_RTP_ENC, out, 16) == 0);
	CHECK(!cmp_hex(out, "C61E7A93744F39EE10734AFE3FF7A087", 16));
	REQUIRE(srtpx_kdf(mk, 16, ms, SRTPX_LABEL_RTP_SALT, out, 14) == 0);
	CHECK(!cmp_hex(out, "30CBBC08863D8C85D49DB34A9AE1", 14));
	REQUIRE(srtpx_kdf(mk, 16, ms, SRTPX_LABEL_RTP_AUTH, out, 20) == 0);
	CHECK(!cmp_hex(out, "CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4", 20));
}

/* Protect with libsrtp2, decrypt and authenticate with our own keys. */
static void test_libsrtp2_agrees_with_own_kdf(void)
{
	uint8_t master[30];
	for (unsigned i = 0; i < sizeof(master); i++)
		master[i] = (uint8_t)(i * 7 + 3);
	struct srtpx *tx = NULL;
	REQUIRE(srtpx_ctx_alloc(&tx, SRTPX_AES_CM_128_HMAC_SHA1_80, master, 30,
				SRTPX_TX) == 0);

	uint8_t ke[16], ks[14], ka[20];
	REQUIRE(srtpx_kdf(master, 16, master + 16, SRTPX_LABEL_RTP_ENC, ke,
			  16) == 0);
	REQUIRE(srtpx_kdf(master, 16, master + 16, SRTPX_LABEL_RTP_SALT, ks,
			  14) == 0);
	REQUIRE(srtpx_kdf(master, 16, master + 16, SRTPX_LABEL_RTP_AUTH, ka,
			  20) == 0);

	for (uint16_t seq = 0xfffe; seq != 3; seq++) { /* crosses a wrap */
		uint8_t pkt[12 + 160 + SRTPX_MAX_TRAILER], plain[160];
		uint32_t ssrc = 0xcafebabe;
		static uint32_t roc;
		memset(pkt, 0, sizeof(pkt));
		pkt[0] = 0x80;
		pkt[2] = (uint8_t)(seq >> 8);
		pkt[3] = (uint8_t)seq;
		pkt[8] = 0xca, pkt[9] = 0xfe, pkt[10] = 0xba, pkt[11] = 0xbe;
		for (unsigned i = 0; i < 160; i++)
			plain[i] = pkt[12 + i] = (uint8_t)(i ^ seq);
		size_t len = 172;
		REQUIRE(srtpx_protect(tx, pkt, &len, sizeof(pkt)) == 0);
		CHECK_EQ_INT(len, 182);
		CHECK(memcmp(pkt + 12, plain, 160) != 0);

		/* IV = salt*2^16 ^ SSRC*2^64 ^ index*2^16 */
		uint8_t iv[16] = {0};
		memcpy(iv, ks, 14);
		for (int i = 0; i < 4; i++)
			iv[4 + i] ^= (uint8_t)(ssrc >> (24 - 8 * i));
		uint64_t index = (uint64_t)roc << 16 | seq;
		for (int i = 0; i < 6; i++)
			iv[8 + i] ^= (uint8_t)(index >> (40 - 8 * i));
		uint8_t tag[20], mac_in[172 + 4];
		memcpy(mac_in, pkt, 172);
		for (int i = 0; i < 4; i++)
			mac_in[172 + i] = (uint8_t)(roc >> (24 - 8 * i));
		unsigned tl = 0;
		HMAC(EVP_sha1(), ka, 20, mac_in, sizeof(mac_in), tag, &tl);
		CHECK(memcmp(tag, pkt + 172, 10) == 0);

		REQUIRE(srtpx_aes_cm(ke, 16, iv, pkt + 12, 160) == 0);
		CHECK(memcmp(pkt + 12, plain, 160) == 0);
		if (seq == 0xffff)
			roc++;
	}
	obj_deref(tx);
}

int main(void)
{
	harness_watchdog(60);
	RUN(test_b2_aes_cm_keystream);
	RUN(test_b3_key_derivation);
	RUN(test_libsrtp2_agrees_with_own_kdf);
	return harness_done();
}
