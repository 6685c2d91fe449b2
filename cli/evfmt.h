/* evfmt.h: phone events as JSON lines (script mode) and as text lines. */
#ifndef PB_CLI_EVFMT_H
#define PB_CLI_EVFMT_H

#include <stddef.h>

#include "base/buf.h"
#include "cli/cmd.h"
#include "ua/phone/phone.h"

/**
 * Append @p ev as one JSON object and a newline, e.g.
 * {"event":"answered","call":1,"codec":"opus","srtp":null}.
 * @return 0 or ENOMEM.
 */
int evfmt_json(struct buf *b, const struct phone_event *ev);

/** Append {"event":"error","command":...,"reason":...} and a newline. */
int evfmt_error_json(struct buf *b, const char *command, const char *reason);

/** Append a listing row {"event":KIND, fields...} and a newline. */
int evfmt_row_json(struct buf *b, const char *kind, const struct cmd_field *f,
		   size_t n);

/**
 * Write @p ev as one human line ("call 1: answered, opus, SRTP
 * AES_CM_128_HMAC_SHA1_80") into @p buf; the text of a TRACE event is
 * copied as is (several lines).
 */
void evfmt_text(char *buf, size_t size, const struct phone_event *ev);

#endif
