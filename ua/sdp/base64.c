/* base64.c: strict base64 for SDES inline keys, and suite tables. */
#include <errno.h>

#include "ua/sdp/sdp.h"

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void sdp_base64_encode(char *out, const uint8_t *in, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? b64[v & 63] : '=';
	}
	out[o] = '\0';
}

static int val(char c)
{
	const char *p = c ? strchr(b64, c) : NULL;
	return p ? (int)(p - b64) : -1;
}

int sdp_base64_decode(uint8_t *out, size_t size, size_t *n,
		      const struct pl *in)
{
	size_t o = 0, pad = 0;
	uint32_t acc = 0;
	int bits = 0;

	if (!in || !in->l || in->l % 4)
		return EBADMSG;
	for (size_t i = 0; i < in->l; i++) {
		char c = in->p[i];
		if (c == '=') {
			if (i + 2 < in->l || ++pad > 2)
				return EBADMSG;
			continue;
		}
		int v = val(c);
		if (v < 0 || pad)
			return EBADMSG;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= size)
				return ERANGE;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	*n = o;
	return 0;
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
