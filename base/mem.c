/* mem.c: reference-counted blocks with a header in front of the data. */
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

/*
 * Layout: [struct obj_hdr][data ...]. The header is padded to max_align_t so
 * the data keeps the platform's strictest alignment. Reference counts are
 * atomic so that a block may be handed across threads (e.g. to a worker),
 * although objects are normally used on the loop thread only.
 */
struct obj_hdr {
	_Atomic uint32_t nrefs; /**< reference count     */
	uint32_t magic;         /**< catches bad pointers */
	size_t size;            /**< requested data size */
	obj_destroy_h *dh;      /**< destructor or NULL  */
} __attribute__((aligned(_Alignof(max_align_t))));

enum { OBJ_MAGIC = 0x0b1ec7u };

static _Atomic size_t live_blocks;
static _Atomic size_t live_bytes;
static _Atomic size_t total_allocs;
static _Atomic size_t fail_at;    /* 0: no failure injection */
static _Atomic size_t fail_count; /* allocations since fail_after() */

static inline struct obj_hdr *hdr_of(const void *data)
{
	struct obj_hdr *h = (struct obj_hdr *)data - 1;
	if (h->magic != OBJ_MAGIC) {
		fprintf(stderr, "obj: bad block %p\n", data);
		abort();
	}
	return h;
}

static bool inject_failure(void)
{
	size_t n = atomic_fetch_add(&fail_count, 1) + 1;
	size_t at = atomic_load(&fail_at);
	return at && n >= at;
}

void *obj_alloc(size_t size, obj_destroy_h *dh)
{
	if (size > SIZE_MAX - sizeof(struct obj_hdr) || inject_failure())
		return NULL;
	struct obj_hdr *h = malloc(sizeof(*h) + size);
	if (!h)
		return NULL;
	atomic_init(&h->nrefs, 1);
	h->magic = OBJ_MAGIC;
	h->size = size;
	h->dh = dh;
	atomic_fetch_add(&live_blocks, 1);
	atomic_fetch_add(&live_bytes, size);
	atomic_fetch_add(&total_allocs, 1);
	return h + 1;
}

void *obj_zalloc(size_t size, obj_destroy_h *dh)
{
	void *p = obj_alloc(size, dh);
	if (p)
		memset(p, 0, size);
	return p;
}

void *obj_realloc(void *data, size_t size)
{
	if (!data)
		return obj_alloc(size, NULL);
	struct obj_hdr *h = hdr_of(data);
	if (atomic_load(&h->nrefs) != 1 ||
	    size > SIZE_MAX - sizeof(struct obj_hdr) || inject_failure())
		return NULL;
	size_t old = h->size;
	struct obj_hdr *nh = realloc(h, sizeof(*nh) + size);
	if (!nh)
		return NULL;
	nh->size = size;
	atomic_fetch_add(&live_bytes, size);
	atomic_fetch_sub(&live_bytes, old);
	return nh + 1;
}

void *obj_ref(void *data)
{
	if (data)
		atomic_fetch_add(&hdr_of(data)->nrefs, 1);
	return data;
}

void *obj_deref(void *data)
{
	if (!data)
		return NULL;
	struct obj_hdr *h = hdr_of(data);
	if (atomic_fetch_sub(&h->nrefs, 1) != 1)
		return NULL;
	if (h->dh)
		h->dh(data);
	/* A destructor may not resurrect the block. */
	atomic_fetch_sub(&live_blocks, 1);
	atomic_fetch_sub(&live_bytes, h->size);
	h->magic = 0;
	free(h);
	return NULL;
}

uint32_t obj_nrefs(const void *data)
{
	return data ? atomic_load(&hdr_of(data)->nrefs) : 0;
}

void obj_set_destructor(void *data, obj_destroy_h *dh)
{
	if (data)
		hdr_of(data)->dh = dh;
}

char *obj_strndup(const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *d = obj_alloc(n + 1, NULL);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *obj_strdup(const char *s)
{
	return s ? obj_strndup(s, strlen(s)) : NULL;
}

char *obj_printf(const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = NULL;
	if (n >= 0 && (s = obj_alloc((size_t)n + 1, NULL)))
		vsnprintf(s, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return s;
}

void obj_stats_get(struct obj_stats *st)
{
	st->blocks = atomic_load(&live_blocks);
	st->bytes = atomic_load(&live_bytes);
	st->allocs = atomic_load(&total_allocs);
}

void obj_fail_after(size_t n)
{
	atomic_store(&fail_count, 0);
	atomic_store(&fail_at, n);
}

size_t obj_fail_count(void)
{
	return atomic_load(&fail_count);
}
