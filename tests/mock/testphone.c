/* testphone.c: a plain phone for command and script tests. */
#include <stdio.h>

#include "audio/dev.h"
#include "mock/testphone.h"

int testphone_alloc(struct phone **pp, struct loop *loop, phone_event_h *h,
		    void *arg)
{
	struct phone_opts o;
	char err[256];
	int e;

	phone_opts_default(&o);
	o.listen[0] = "udp:127.0.0.1:0";
	o.nlisten = 1;
	o.audio = AUDEV_NULL;
	e = phone_alloc(pp, loop, &o, h, arg, err, sizeof(err));
	if (e)
		fprintf(stderr, "phone_alloc: %s\n", err);
	return e;
}
