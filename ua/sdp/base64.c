/* base64.c: strict base64 for SDES inline keys, and suite tables. */
#include <errno.h>

#include "audio/srtp/srtp_sdes.h"
#include "ua/sdp/sdp.h"

/* One base64 for the whole program: the SRTP layer's SDES one. */
void sdp_base64_encode(char *out, const uint8_t *in, size_t n)
{
	(void)srtpx_b64_encode(out, (n + 2) / 3 * 4 + 1, in, n);
}

int sdp_base64_decode(uint8_t *out, size_t size, size_t *n, const struct pl *in)
{
	int err = in ? srtpx_b64_decode(out, size, n, in->p, in->l) : EBADMSG;

	return err == ENOMEM ? ERANGE : err;
}

static const struct {
	const char *name;
	size_t keylen;
} suites[] = {
    [SDP_SUITE_AES_CM_128_HMAC_SHA1_80] = {"AES_CM_128_HMAC_SHA1_80", 30},
    [SDP_SUITE_AES_CM_128_HMAC_SHA1_32] = {"AES_CM_128_HMAC_SHA1_32", 30},
    [SDP_SUITE_AES_256_CM_HMAC_SHA1_80] = {"AES_256_CM_HMAC_SHA1_80", 46},
    [SDP_SUITE_AEAD_AES_128_GCM] = {"AEAD_AES_128_GCM", 28},
    [SDP_SUITE_AEAD_AES_256_GCM] = {"AEAD_AES_256_GCM", 44},
};

enum sdp_suite sdp_suite_decode(const struct pl *name)
{
	for (size_t i = 1; i < sizeof(suites) / sizeof(suites[0]); i++)
		if (!pl_strcmp(name, suites[i].name))
			return (enum sdp_suite)i;
	return SDP_SUITE_UNKNOWN;
}

const char *sdp_suite_name(enum sdp_suite s)
{
	if (s <= SDP_SUITE_UNKNOWN || s > SDP_SUITE_AEAD_AES_256_GCM)
		return "unknown";
	return suites[s].name;
}

size_t sdp_suite_keylen(enum sdp_suite s)
{
	if (s <= SDP_SUITE_UNKNOWN || s > SDP_SUITE_AEAD_AES_256_GCM)
		return 0;
	return suites[s].keylen;
}
