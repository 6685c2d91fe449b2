/* srtp_suite.c: SRTP crypto suite names and key/salt lengths. */
#include <errno.h>

#include "audio/srtp/srtp.h"

static const struct {
	const char *name;
	size_t key;
	size_t salt;
} suites[SRTPX_SUITE_COUNT] = {
    [SRTPX_AES_CM_128_HMAC_SHA1_80] = {"AES_CM_128_HMAC_SHA1_80", 16, 14},
    [SRTPX_AES_CM_128_HMAC_SHA1_32] = {"AES_CM_128_HMAC_SHA1_32", 16, 14},
    [SRTPX_AES_256_CM_HMAC_SHA1_80] = {"AES_256_CM_HMAC_SHA1_80", 32, 14},
    [SRTPX_AEAD_AES_128_GCM] = {"AEAD_AES_128_GCM", 16, 12},
    [SRTPX_AEAD_AES_256_GCM] = {"AEAD_AES_256_GCM", 32, 12},
};

static bool valid(enum srtpx_suite s)
{
	return (unsigned)s < SRTPX_SUITE_COUNT;
}

const char *srtpx_suite_name(enum srtpx_suite s)
{
	return valid(s) ? suites[s].name : "?";
}

int srtpx_suite_parse(const struct pl *name, enum srtpx_suite *s)
{
	if (!name || !s)
		return EINVAL;
	for (unsigned i = 0; i < SRTPX_SUITE_COUNT; i++) {
		if (!pl_strcmp(name, suites[i].name)) {
			*s = (enum srtpx_suite)i;
			return 0;
		}
	}
	return ENOENT;
}

size_t srtpx_key_len(enum srtpx_suite s)
{
	return valid(s) ? suites[s].key : 0;
}

size_t srtpx_salt_len(enum srtpx_suite s)
{
	return valid(s) ? suites[s].salt : 0;
}

size_t srtpx_keysalt_len(enum srtpx_suite s)
{
	return srtpx_key_len(s) + srtpx_salt_len(s);
}
