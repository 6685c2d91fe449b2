/* pl.c: comparisons and conversions on pointer-length views. */
#include <ctype.h>
#include <errno.h>
#include <strings.h>

#include "mem.h"
#include "pl.h"

int pl_cmp(const struct pl *a, const struct pl *b)
{
	if (a->l != b->l)
		return a->l < b->l ? -1 : 1;
	return a->l ? memcmp(a->p, b->p, a->l) : 0;
}

int pl_casecmp(const struct pl *a, const struct pl *b)
{
	if (a->l != b->l)
		return a->l < b->l ? -1 : 1;
	return a->l ? strncasecmp(a->p, b->p, a->l) : 0;
}

int pl_strcmp(const struct pl *pl, const char *s)
{
	struct pl b = pl_from_str(s);
	return pl_cmp(pl, &b);
}

int pl_strcasecmp(const struct pl *pl, const char *s)
{
	struct pl b = pl_from_str(s);
	return pl_casecmp(pl, &b);
}

const char *pl_chr(const struct pl *pl, char c)
{
	return pl->l ? memchr(pl->p, c, pl->l) : NULL;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void pl_trim(struct pl *pl)
{
	while (pl->l && is_ws(pl->p[0])) {
		pl->p++;
		pl->l--;
	}
	while (pl->l && is_ws(pl->p[pl->l - 1]))
		pl->l--;
}

void pl_advance(struct pl *pl, const char *p)
{
	size_t n = (size_t)(p - pl->p);
	if (n > pl->l)
		n = pl->l;
	pl->p += n;
	pl->l -= n;
}

int pl_u64(const struct pl *pl, uint64_t max, uint64_t *v)
{
	if (!pl || !pl->l)
		return EINVAL;
	uint64_t x = 0;
	for (size_t i = 0; i < pl->l; i++) {
		unsigned char c = (unsigned char)pl->p[i];
		if (!isdigit(c))
			return EINVAL;
		unsigned d = c - '0';
		if (x > (max - d) / 10)
			return ERANGE;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

int pl_u32(const struct pl *pl, uint32_t *v)
{
	uint64_t x;
	int err = pl_u64(pl, UINT32_MAX, &x);
	if (!err)
		*v = (uint32_t)x;
	return err;
}

char *pl_strdup(const struct pl *pl)
{
	return obj_strndup(pl->p ? pl->p : "", pl->l);
}

char *pl_copy(const struct pl *pl, char *buf, size_t size)
{
	if (!size)
		return buf;
	size_t n = pl->l < size - 1 ? pl->l : size - 1;
	if (n)
		memcpy(buf, pl->p, n);
	buf[n] = '\0';
	return buf;
}
