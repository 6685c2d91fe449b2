/* fuzz_sipuri.c: URI and address decoding, comparison and unescaping. */
#include <stdint.h>
#include <string.h>

#include "ua/sip/addr.h"
#include "ua/sip/uri.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pl pl = {(const char *)data, size};
	struct sip_uri u, u2;
	struct sip_addr a;
	char tmp[256];
	size_t n;

	/* split at the first newline: two URIs to compare */
	const char *nl = memchr(data, '\n', size);
	struct pl first = nl ? (struct pl){pl.p, (size_t)(nl - pl.p)} : pl;
	struct pl second = nl ? (struct pl){nl + 1, size - first.l - 1}
			      : pl;
	if (!sip_uri_decode(&u, &first)) {
		(void)sip_uri_param(&u, "transport", NULL);
		(void)sip_uri_unescape(&u.user, tmp, sizeof(tmp), &n);
		if (!sip_uri_cmp(&u, &u))
			__builtin_trap();
		if (!sip_uri_decode(&u2, &second) &&
		    sip_uri_cmp(&u, &u2) != sip_uri_cmp(&u2, &u))
			__builtin_trap();
	}
	if (!sip_addr_decode(&a, &pl, true))
		(void)sip_addr_param(&a, "tag", NULL);
	return 0;
}
