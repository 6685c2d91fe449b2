/* fuzz_dns.c: the SRV answer parser and the ordering of what it returns
 * never crash, hang or read outside the message. */
#include <stdint.h>
#include <string.h>

#include "ua/dns/srv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_srv v[DNS_SRV_MAX];
	unsigned seed = size ? data[0] : 1;
	size_t n = 0, i;

	if (dns_srv_parse(data, size, v, DNS_SRV_MAX, &n))
		return 0;
	if (n > DNS_SRV_MAX)
		__builtin_trap();
	for (i = 0; i < n; i++) {
		if (strlen(v[i].target) >= sizeof(v[i].target))
			__builtin_trap();
	}
	dns_srv_order(v, n, &seed);
	for (i = 1; i < n; i++) {
		if (v[i].prio < v[i - 1].prio)
			__builtin_trap();
	}
	return 0;
}
