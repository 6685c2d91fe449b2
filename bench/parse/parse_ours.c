/* parse_ours.c: bench/parse adapter for phonebox's sip_msg_decode. */
#include <errno.h>

#include "base/buf.h"
#include "base/mem.h"
#include "ua/sip/msg.h"

#include "driver.h"

const char bp_name[] = "ours";

/* The receive buffer as phonebox's transport holds it. */
struct bp_input {
	struct buf *b;
};

int bp_setup(void)
{
	return 0;
}

int bp_prepare(struct bp_input **inp, const uint8_t *p, size_t n)
{
	struct bp_input *in = obj_zalloc(sizeof(*in), NULL);
	int err;

	if (!in)
		return ENOMEM;
	err = buf_alloc(&in->b, n);
	if (!err)
		err = buf_write(in->b, p, n);
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

	in->b->pos = 0;
	err = sip_msg_decode(&msg, in->b);
	obj_deref(msg);
	return err;
}

int bp_check(struct bp_input *in, uint32_t *cseq, unsigned *nvia)
{
	struct sip_msg *msg = NULL;
	int err;

	in->b->pos = 0;
	err = sip_msg_decode(&msg, in->b);
	if (err)
		return err;
	*cseq = msg->cseq.num;
	*nvia = (unsigned)msg->viac;
	obj_deref(msg);
	return 0;
}

size_t bp_own_alloc_count(void)
{
	struct obj_stats st;

	obj_stats_get(&st);
	return st.allocs;
}

void bp_release(struct bp_input *in)
{
	if (!in)
		return;
	obj_deref(in->b);
	obj_deref(in);
}
