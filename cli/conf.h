/* conf.h: `key value` configuration files (DESIGN.md section 7). */
#ifndef PB_CLI_CONF_H
#define PB_CLI_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/pl.h"

struct conf;

/** Where a decode error was found, for a message that names the line. */
struct conf_err {
	unsigned line;	  /**< 1-based line number, 0 when not line-specific */
	char reason[128]; /**< what is wrong, e.g. "line too long"           */
};

/**
 * Decode configuration text: one `key value` pair a line, `#` starts a
 * comment (outside quotes), blank lines ignored, keys are [A-Za-z0-9_.-]+,
 * the value is the rest of the line trimmed; a value in double quotes keeps
 * leading/trailing spaces and `#`. Repeated keys are kept in order.
 * @return 0, or EBADMSG with @p err filled.
 */
int conf_decode(struct conf **confp, const char *text, size_t len,
		struct conf_err *err);
/** Read and decode a file; ENOENT when it does not exist. */
int conf_load(struct conf **confp, const char *path, struct conf_err *err);

/** First value of @p key; ENOENT when absent. */
int conf_get(const struct conf *conf, const char *key, struct pl *val);
/** Copy the first value into @p buf as a C string; ENOENT when absent. */
int conf_get_str(const struct conf *conf, const char *key, char *buf,
		 size_t size);
/** Unsigned value; ENOENT when absent, EINVAL/ERANGE when malformed. */
int conf_get_u32(const struct conf *conf, const char *key, uint32_t *v);
/** yes/no, true/false, on/off, 1/0; EINVAL when something else. */
int conf_get_bool(const struct conf *conf, const char *key, bool *v);

typedef void(conf_apply_h)(const struct pl *key, const struct pl *val,
			   void *arg);
/** Call @p h for every value of @p key (or every pair when key is NULL). */
void conf_apply(const struct conf *conf, const char *key, conf_apply_h *h,
		void *arg);
size_t conf_count(const struct conf *conf);

/** 1-based line of a key or value view given out by @p conf (0 if not). */
unsigned conf_line(const struct conf *conf, const struct pl *view);

/** One line of a text (no line end), numbered from 1; non-zero stops. */
typedef int(conf_line_h)(const struct pl *line, unsigned no, void *arg);
/**
 * Call @p h for every line of @p text (split at '\n'; the last line may
 * lack one). @return 0 or the first error of @p h.
 */
int conf_lines(const char *text, size_t len, conf_line_h *h, void *arg);
/**
 * Read file @p path into a new obj block *@p bp of *@p lenp bytes: at most
 * @p max + 1, so that a decoder can tell the file is too large.
 * @return 0, the error of fopen() (ENOENT, EACCES, ...), ENOMEM or EIO.
 */
int conf_file_read(const char *path, size_t max, char **bp, size_t *lenp);

#endif
