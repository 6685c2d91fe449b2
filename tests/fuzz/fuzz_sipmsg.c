/* fuzz_sipmsg.c: SIP message decode, stream framing and re-printing. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "base/buf.h"
#include "base/mem.h"
#include "ua/sip/msg.h"
#include "ua/sip/print.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(const struct sip_msg *m)
{
	struct buf *out = NULL;
	if (buf_alloc(&out, 512))
		return;
	/* accessors on every header */
	for (size_t i = 0; i < m->hdrc; i++) {
		const struct sip_hdr *h = &m->hdrv[i];
		(void)sip_msg_hdr_next(m, h);
		if (h->id == SIP_HDR_VIA) {
			struct sip_via v;
			(void)sip_via_decode(&v, &h->val);
		}
	}
	if (!sip_msg_print(out, m)) {
		/* the re-printed message decodes to the same fields */
		struct sip_msg *m2 = NULL;
		if (sip_msg_decode(&m2, out))
			__builtin_trap();
		size_t n1 = m->hdrc, n2 = m2->hdrc;
		n1 -= sip_msg_hdr_count(m, SIP_HDR_CONTENT_LENGTH);
		n2 -= sip_msg_hdr_count(m2, SIP_HDR_CONTENT_LENGTH);
		if (m2->req != m->req || n1 != n2 ||
		    m2->body.l != m->body.l || m2->cseq.num != m->cseq.num ||
		    pl_cmp(&m2->callid, &m->callid))
			__builtin_trap();
		obj_deref(m2);
	}
	buf_reset(out);
	if (m->req)
		(void)sip_print_response(out, m, 400, NULL, &PL("t1"), NULL,
					 NULL);
	obj_deref(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf *b = NULL;
	struct sip_decode_err de;
	struct sip_msg *m = NULL;
	size_t len = 0, skipped = 0;

	int fe = sip_msg_frame_ex((const char *)data, size, 65535, &len,
				  &skipped);
	if (!fe && (len > size || skipped > len))
		__builtin_trap();

	if (buf_alloc(&b, size + 1))
		return 0;
	if (size)
		buf_write(b, data, size);
	if (!sip_msg_decode_ex(&m, b, &de)) {
		exercise(m);
		obj_deref(m);
	}
	obj_deref(de.partial);
	obj_deref(b);
	return 0;
}
