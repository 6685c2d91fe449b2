/* sip_util.h: helpers shared by the SIP message tests (file loading). */
#ifndef PB_TESTS_SIP_UTIL_H
#define PB_TESTS_SIP_UTIL_H

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/mem.h"
#include "harness.h"

/*
 * harness.h's CHECK_PL names its parameter "pl", which also replaces the
 * "struct pl" inside the macro; this copy works with any expression.
 */
#undef CHECK_PL
#define CHECK_PL(view, s)                                                    \
	do {                                                                 \
		struct pl pv_ = (view);                                      \
		const char *s_ = (s);                                        \
		if (pv_.l != strlen(s_) ||                                   \
		    (pv_.l && memcmp(pv_.p, s_, pv_.l))) {                   \
			fprintf(stderr, "%s:%d: %s: %s: '%.*s' != '%s'\n",  \
				__FILE__, __LINE__, harness_cur, #view,      \
				(int)pv_.l, pv_.p ? pv_.p : "", s_);         \
			harness_failed_checks++;                             \
		}                                                            \
	} while (0)

/** Load tests/data/@p rel into a new buffer; NULL when unreadable. */
static inline struct buf *sip_test_load(const char *rel)
{
	char path[512];
	struct buf *b = NULL;
	FILE *f = fopen(harness_data(rel, path, sizeof(path)), "rb");
	if (!f)
		return NULL;
	if (buf_alloc(&b, 70000)) {
		fclose(f);
		return NULL;
	}
	b->end = fread(b->b, 1, 70000, f);
	fclose(f);
	return b;
}

/** A buffer holding the C string @p s. */
static inline struct buf *sip_test_str(const char *s)
{
	struct buf *b = NULL;
	if (buf_alloc(&b, strlen(s) + 1) || buf_write_str(b, s)) {
		obj_deref(b);
		return NULL;
	}
	return b;
}

#endif
