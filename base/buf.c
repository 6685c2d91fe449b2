/* buf.c: growable byte buffers. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "mem.h"

static void buf_destroy(void *arg)
{
	struct buf *b = arg;
	obj_deref(b->b);
}

int buf_alloc(struct buf **bp, size_t size)
{
	if (!bp)
		return EINVAL;
	struct buf *b = obj_zalloc(sizeof(*b), buf_destroy);
	if (!b)
		return ENOMEM;
	if (size && !(b->b = obj_alloc(size, NULL))) {
		obj_deref(b);
		return ENOMEM;
	}
	b->size = size;
	*bp = b;
	return 0;
}

int buf_reserve(struct buf *b, size_t n)
{
	if (b->end + n <= b->size)
		return 0;
	if (n > SIZE_MAX / 2 - b->end)
		return ENOMEM;
	size_t want = b->size ? b->size : 64;
	while (want < b->end + n)
		want *= 2;
	uint8_t *nb = obj_realloc(b->b, want);
	if (!nb)
		return ENOMEM;
	b->b = nb;
	b->size = want;
	return 0;
}

int buf_write(struct buf *b, const void *p, size_t n)
{
	int err = buf_reserve(b, n);
	if (err)
		return err;
	if (n)
		memcpy(b->b + b->end, p, n);
	b->end += n;
	return 0;
}

int buf_write_str(struct buf *b, const char *s)
{
	return buf_write(b, s, strlen(s));
}

int buf_write_pl(struct buf *b, const struct pl *pl)
{
	return buf_write(b, pl->p, pl->l);
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	size_t room = b->size - b->end;
	int n = vsnprintf(room ? (char *)b->b + b->end : NULL, room, fmt, ap);
	if (n < 0) {
		va_end(ap2);
		return EINVAL;
	}
	if ((size_t)n >= room) {
		int err = buf_reserve(b, (size_t)n + 1);
		if (err) {
			va_end(ap2);
			return err;
		}
		vsnprintf((char *)b->b + b->end, (size_t)n + 1, fmt, ap2);
	}
	va_end(ap2);
	b->end += (size_t)n;
	return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int err = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return err;
}

void buf_reset(struct buf *b)
{
	b->pos = b->end = 0;
}

void buf_compact(struct buf *b)
{
	if (!b->pos)
		return;
	memmove(b->b, b->b + b->pos, b->end - b->pos);
	b->end -= b->pos;
	b->pos = 0;
}
