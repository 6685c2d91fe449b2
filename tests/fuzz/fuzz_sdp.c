/* fuzz_sdp.c: SDP decode, redaction, and offer/answer against each
 * media-encryption policy (what the phone does with an offer). */
#include <stdint.h>
#include <string.h>

#include "audio/codec.h"
#include "base/mem.h"
#include "ua/sdp/sdp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the packet time the stream would send for the far end's SDP: 10..60 ms
 * in steps of 10, whatever a=ptime / a=maxptime said */
static void check_ptime(const struct sdp_result *r)
{
	unsigned t = codec_tx_ptime(r->ptime, r->maxptime);

	if (t < 10 || t > 60 || t % 10)
		__builtin_trap();
}

/* every inline: in @p red is followed by <redacted> */
static void check_redacted(const char *red)
{
	const char *p = red;

	while ((p = strstr(p, "inline:"))) {
		p += 7;
		if (strncmp(p, "<redacted>", 10))
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sdp_session s;
	struct pl pl = {(const char *)data, size};
	struct sdp_local l;
	struct sdp_result r, o;
	struct buf *out = NULL;
	const char *why;
	char *red;

	red = sdp_redact(&pl);
	if (red) {
		/* a key split by a NUL byte cannot be seen by strstr */
		if (!memchr(data, 0, size))
			check_redacted(red);
		obj_deref(red);
	}
	if (sdp_decode(&s, &pl, &why))
		return 0;
	if (buf_alloc(&out, 1024))
		return 0;
	sdp_local_default(&l);
	for (int enc = SDP_ENC_OFF; enc <= SDP_ENC_MANDATORY; enc++) {
		l.enc = (enum sdp_enc)enc;
		l.codecs = enc == SDP_ENC_OPTIONAL ? "opus,G722,PCMA" : NULL;
		buf_reset(out);
		if (!sdp_answer(out, &r, &s, &l, &why) &&
		    (r.rport == 0 || !r.codec[0]))
			__builtin_trap();
		check_ptime(&r);
		/* the same text as the answer to our offer */
		buf_reset(out);
		if (!sdp_offer(out, &o, &l) &&
		    !sdp_apply_answer(&o, &s, &l, &why))
			check_ptime(&o);
	}
	obj_deref(out);
	return 0;
}
