/* buf.h: growable byte buffers with a read position. */
#ifndef PB_BASE_BUF_H
#define PB_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "pl.h"

/** A refcounted, growable buffer: bytes [0, end) are valid, pos reads. */
struct buf {
	uint8_t *b;  /**< storage (owned)          */
	size_t size; /**< allocated bytes          */
	size_t pos;  /**< read/write position      */
	size_t end;  /**< end of valid data        */
};

/** Allocate an empty buffer with @p size bytes reserved. */
int buf_alloc(struct buf **bp, size_t size);
/** Make room for @p n more bytes after end. */
int buf_reserve(struct buf *b, size_t n);
/** Append bytes at end. */
int buf_write(struct buf *b, const void *p, size_t n);
int buf_write_str(struct buf *b, const char *s);
int buf_write_pl(struct buf *b, const struct pl *pl);
/** Append formatted text at end (not NUL-terminated in the count). */
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/** Drop all data. */
void buf_reset(struct buf *b);
/** Discard bytes before pos, moving the rest to the front. */
void buf_compact(struct buf *b);
/** Bytes left to read. */
static inline size_t buf_left(const struct buf *b)
{
	return b->end - b->pos;
}
/** View of the unread bytes. */
static inline struct pl buf_pl(const struct buf *b)
{
	return (struct pl){(const char *)b->b + b->pos, b->end - b->pos};
}

#endif
