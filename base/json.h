/* json.h: write one JSON object per line (script-mode events, reports). */
#ifndef PB_BASE_JSON_H
#define PB_BASE_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "pl.h"

/**
 * A flat JSON object under construction in a buf: json_begin(), then
 * json_str/json_int/json_bool for each member, then json_end() which
 * closes the object and appends a newline. Strings are escaped per
 * RFC 8259; bytes that are not valid UTF-8 are replaced by U+FFFD so the
 * output is always valid JSON whatever a peer sent.
 */
int json_begin(struct buf *b);
int json_str(struct buf *b, const char *key, const struct pl *val);
int json_cstr(struct buf *b, const char *key, const char *val);
int json_int(struct buf *b, const char *key, int64_t val);
int json_bool(struct buf *b, const char *key, bool val);
/** A member whose value is JSON null. */
int json_null(struct buf *b, const char *key);
int json_end(struct buf *b);
/** Append @p val as an escaped JSON string (with quotes). */
int json_escape(struct buf *b, const struct pl *val);

#endif
