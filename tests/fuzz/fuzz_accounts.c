/* fuzz_accounts.c: the accounts decoder never crashes, hangs or leaks. */
#include <stdint.h>
#include <stdio.h>

#include "base/mem.h"
#include "cli/accounts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct accounts *as = NULL;
	char err[256];
	if (!accounts_decode(&as, "accounts", (const char *)data, size, err,
			     sizeof(err))) {
		for (size_t i = 0; i < as->n; i++)
			(void)accounts_find(as, as->v[i].name);
		obj_deref(as);
	}
	return 0;
}
