/* fuzz_auth.c: fuzz the Digest challenge and credentials parsers. */
#include <stddef.h>
#include <stdint.h>

#include "ua/auth/auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pl v = {(const char *)data, size};
	struct auth_chal ch[2];
	struct auth_cred cr;
	char buf[64];

	if (!auth_chal_decode(&ch[0], &v)) {
		auth_unquote(buf, sizeof(buf), &ch[0].realm);
		auth_unquote(buf, sizeof(buf), &ch[0].nonce);
		ch[1] = ch[0];
		(void)auth_chal_best(ch, 2);
	}
	if (!auth_cred_decode(&cr, &v))
		auth_unquote(buf, sizeof(buf), &cr.username);
	return 0;
}
