/* parse_osip2.c: bench/parse adapter for osip2's osip_message_parse. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <osipparser2/osip_parser.h>

#include "driver.h"

const char bp_name[] = "osip2";

/* osip2 parses from a plain byte array; it copies it internally. */
struct bp_input {
	size_t n;
	char p[];
};

int bp_setup(void)
{
	return parser_init() == 0 ? 0 : ENOMEM;
}

int bp_prepare(struct bp_input **inp, const uint8_t *p, size_t n)
{
	struct bp_input *in = malloc(sizeof(*in) + n + 1);

	if (!in)
		return ENOMEM;
	memcpy(in->p, p, n);
	in->p[n] = '\0';
	in->n = n;
	*inp = in;
	return 0;
}

static int decode(osip_message_t **mp, struct bp_input *in)
{
	if (osip_message_init(mp) != 0)
		return ENOMEM;
	if (osip_message_parse(*mp, in->p, in->n) != 0) {
		osip_message_free(*mp);
		*mp = NULL;
		return EBADMSG;
	}
	return 0;
}

int bp_parse(struct bp_input *in)
{
	osip_message_t *m = NULL;
	int err = decode(&m, in);

	if (!err)
		osip_message_free(m);
	return err;
}

int bp_check(struct bp_input *in, uint32_t *cseq, unsigned *nvia)
{
	osip_message_t *m = NULL;
	int err = decode(&m, in);

	if (err)
		return err;
	if (!m->cseq || !m->cseq->number) {
		osip_message_free(m);
		return EBADMSG;
	}
	*cseq = (uint32_t)strtoul(m->cseq->number, NULL, 10);
	*nvia = (unsigned)osip_list_size(&m->vias);
	osip_message_free(m);
	return 0;
}

void bp_release(struct bp_input *in)
{
	free(in);
}
