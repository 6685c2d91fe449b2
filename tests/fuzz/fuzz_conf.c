/* fuzz_conf.c: the configuration decoder never crashes, hangs or leaks. */
#include <stdint.h>
#include <stdio.h>

#include "base/mem.h"
#include "cli/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf *c = NULL;
	struct conf_err ce;
	if (!conf_decode(&c, (const char *)data, size, &ce)) {
		char buf[32];
		uint32_t v;
		bool b;
		conf_get_str(c, "listen", buf, sizeof(buf));
		conf_get_u32(c, "rtp_port", &v);
		conf_get_bool(c, "prack", &b);
		obj_deref(c);
	}
	return 0;
}
