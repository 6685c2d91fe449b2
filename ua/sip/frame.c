/* frame.c: find message boundaries in a TCP/TLS byte stream. */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "ua/sip/msg.h"

/* Content-Length value of a header line [s, e) if it is one. */
static int clen_line(const char *s, const char *e, bool *is_cl,
		     uint64_t *v)
{
	const char *c = memchr(s, ':', (size_t)(e - s));
	*is_cl = false;
	if (!c)
		return 0;
	const char *ne = c;
	while (ne > s && (ne[-1] == ' ' || ne[-1] == '\t'))
		ne--;
	if (sip_hdr_lookup(s, (size_t)(ne - s)) != SIP_HDR_CONTENT_LENGTH)
		return 0;
	*is_cl = true;
	struct pl val = {c + 1, (size_t)(e - c - 1)};
	pl_trim(&val);
	return pl_u64(&val, UINT32_MAX, v) ? EBADMSG : 0;
}

int sip_msg_frame_ex(const char *p, size_t len, size_t max_size,
		     size_t *msg_len, size_t *skipped)
{
	size_t sk = 0;
	if (!p || !msg_len)
		return EINVAL;
	while (sk < len && (p[sk] == '\r' || p[sk] == '\n'))
		sk++;
	if (skipped)
		*skipped = sk;
	if (sk == len && sk) {
		/* keep-alives only; a lone trailing CR may start a CRLF */
		if (p[len - 1] == '\r')
			return ENODATA;
		*msg_len = sk;
		return 0;
	}
	const char *s = p + sk, *e = p + len;
	size_t avail = len - sk;

	/* end of the head: an empty line (CRLF CRLF, or LF LF) */
	const char *line = s, *hend = NULL;
	uint64_t clen = 0;
	bool have_cl = false, first = true;
	while (line < e) {
		const char *nl = memchr(line, '\n', (size_t)(e - line));
		if (!nl)
			break;
		const char *le = (nl > line && nl[-1] == '\r') ? nl - 1 : nl;
		if (le == line) {
			hend = nl + 1;
			break;
		}
		if (!first && *line != ' ' && *line != '\t') {
			bool is_cl;
			uint64_t v;
			if (clen_line(line, le, &is_cl, &v))
				return EBADMSG;
			if (is_cl) {
				if (have_cl)
					return EBADMSG;
				have_cl = true;
				clen = v;
			}
		}
		first = false;
		line = nl + 1;
	}
	if (!hend)
		return avail > max_size ? EBADMSG : ENODATA;
	if (!have_cl)
		return EBADMSG;
	size_t head = (size_t)(hend - s);
	if (head > max_size || clen > max_size - head)
		return EBADMSG;
	if (avail < head + clen)
		return ENODATA;
	*msg_len = sk + head + (size_t)clen;
	return 0;
}

int sip_msg_frame(const char *p, size_t len, size_t max_size,
		  size_t *msg_len)
{
	return sip_msg_frame_ex(p, len, max_size, msg_len, NULL);
}
