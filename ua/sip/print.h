/* print.h: strict SIP message printer: CRLF lines, always Content-Length. */
#ifndef PB_UA_SIP_PRINT_H
#define PB_UA_SIP_PRINT_H

#include <stdint.h>

#include "base/buf.h"
#include "base/pl.h"
#include "ua/sip/msg.h"

/**
 * Append a request to @p b: "METHOD RURI SIP/2.0", the header lines in
 * @p hdrs (lines separated by LF or CRLF, may be NULL; must not contain
 * Content-Length), Content-Length, blank line, @p body (may be NULL).
 * @return 0, EINVAL (bad method/URI or Content-Length in hdrs), ENOMEM.
 */
int sip_print_request(struct buf *b, const char *method,
		      const struct pl *ruri, const char *hdrs,
		      const struct pl *body);

/**
 * Append a response to request @p req: status line, all Vias, From, To
 * (with ";tag=@p totag" added when To has no tag and @p totag is set),
 * Record-Route (101..299 only, RFC 3261 12.1.1), Call-ID, CSeq, then
 * @p hdrs lines, Content-Length and @p body.
 * @return 0, EINVAL (scode outside 100..699), ENOMEM.
 */
int sip_print_response(struct buf *b, const struct sip_msg *req,
		       uint16_t scode, const char *reason,
		       const struct pl *totag, const char *hdrs,
		       const struct pl *body);

/**
 * Append the end of a message: the header lines in @p hdrs (LF or CRLF
 * separated, may be NULL; must not contain Content-Length), Content-Length,
 * the blank line and @p body (may be NULL). Shared by every printer.
 * @return 0, EINVAL (Content-Length or a line without ':'), ENOMEM.
 */
int sip_print_tail(struct buf *b, const char *hdrs, const struct pl *body);

/**
 * Re-print a decoded message: start line, every header value on its own
 * line (name as written), Content-Length set to the body, body.
 * Decoding the output gives the same fields.
 */
int sip_msg_print(struct buf *b, const struct sip_msg *m);

/** Default reason phrase of status code @p scode. */
const char *sip_reason(uint16_t scode);

#endif
