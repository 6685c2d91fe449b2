/* pl.h: pointer-length string views into a buffer owned by someone else. */
#ifndef PB_BASE_PL_H
#define PB_BASE_PL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/** A view of @p l bytes at @p p; not NUL-terminated. */
struct pl {
	const char *p; /**< first byte (NULL when unset) */
	size_t l;      /**< length in bytes              */
};

#define PL(s) ((struct pl){(s), sizeof(s) - 1})
#define PL_INIT {NULL, 0}
/** printf helper: printf("%.*s", PL_ARG(pl)). */
#define PL_ARG(x) (int)(x).l, (x).p

static inline struct pl pl_from_str(const char *s)
{
	return (struct pl){s, s ? strlen(s) : 0};
}
static inline bool pl_isset(const struct pl *pl)
{
	return pl && pl->p && pl->l;
}

int pl_cmp(const struct pl *a, const struct pl *b);
int pl_casecmp(const struct pl *a, const struct pl *b);
/** 0 when @p pl equals the C string @p s. */
int pl_strcmp(const struct pl *pl, const char *s);
int pl_strcasecmp(const struct pl *pl, const char *s);
/** Find byte @p c; NULL when absent. */
const char *pl_chr(const struct pl *pl, char c);
/** Trim SP/HTAB/CR/LF at both ends. */
void pl_trim(struct pl *pl);
/** Advance the start of @p pl to @p p (which must be inside it). */
void pl_advance(struct pl *pl, const char *p);

/**
 * Parse a decimal unsigned integer that fills the whole view.
 * @return 0, EINVAL when empty or not all digits, ERANGE past @p max.
 */
int pl_u64(const struct pl *pl, uint64_t max, uint64_t *v);
int pl_u32(const struct pl *pl, uint32_t *v);

/** Copy into a refcounted NUL-terminated string; NULL on ENOMEM. */
char *pl_strdup(const struct pl *pl);
/** Copy into a caller buffer (truncating); returns @p buf. */
char *pl_copy(const struct pl *pl, char *buf, size_t size);

#endif
