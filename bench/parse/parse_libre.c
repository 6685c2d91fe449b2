/* parse_libre.c: bench/parse adapter for libre's sip_msg_decode (reference). */
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <re.h>

#include "driver.h"

const char bp_name[] = "libre";

/* The receive buffer as libre's transport would hold it. */
struct bp_input {
	struct mbuf *mb;
};

int bp_setup(void)
{
	return libre_init();
}

int bp_prepare(struct bp_input **inp, const uint8_t *p, size_t n)
{
	struct bp_input *in = calloc(1, sizeof(*in));
	int err;

	if (!in)
		return ENOMEM;
	in->mb = mbuf_alloc(n);
	if (!in->mb) {
		free(in);
		return ENOMEM;
	}
	err = mbuf_write_mem(in->mb, p, n);
	if (err) {
		bp_release(in);
		return err;
	}
	*inp = in;
	return 0;
}

int bp_parse(struct bp_input *in)
{
	struct sip_msg *msg = NULL;
	int err;

	in->mb->pos = 0;
	err = sip_msg_decode(&msg, in->mb);
	mem_deref(msg);
	return err;
}

int bp_check(struct bp_input *in, uint32_t *cseq, unsigned *nvia)
{
	struct sip_msg *msg = NULL;
	int err;

	in->mb->pos = 0;
	err = sip_msg_decode(&msg, in->mb);
	if (err)
		return err;
	*cseq = msg->cseq.num;
	*nvia = sip_msg_hdr_count(msg, SIP_HDR_VIA);
	mem_deref(msg);
	return 0;
}

void bp_release(struct bp_input *in)
{
	if (!in)
		return;
	mem_deref(in->mb);
	free(in);
}
