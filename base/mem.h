/* mem.h: reference-counted allocator with destructors and debug accounting. */
#ifndef PB_BASE_MEM_H
#define PB_BASE_MEM_H

#include <stddef.h>
#include <stdint.h>

/** Destructor: release what the object owns; never free the block itself. */
typedef void(obj_destroy_h)(void *data);

/**
 * Allocate a zeroed block with reference count 1.
 * @return the block, or NULL when out of memory (or when a debug failure
 *         injection picked this allocation).
 */
void *obj_zalloc(size_t size, obj_destroy_h *dh);
/** Like obj_zalloc but does not clear the memory. */
void *obj_alloc(size_t size, obj_destroy_h *dh);
/** Resize a block that has exactly one reference; NULL on failure. */
void *obj_realloc(void *data, size_t size);
/** Take another reference; NULL passes through. */
void *obj_ref(void *data);
/** Drop a reference; runs the destructor and frees at zero. Returns NULL. */
void *obj_deref(void *data);
/** Current reference count (0 for NULL). */
uint32_t obj_nrefs(const void *data);
/** Change the destructor of a live object. */
void obj_set_destructor(void *data, obj_destroy_h *dh);

/** Copy a C string into a refcounted block. */
char *obj_strdup(const char *s);
/** Copy @p n bytes into a NUL-terminated refcounted string. */
char *obj_strndup(const char *s, size_t n);
/** printf into a new refcounted string. */
char *obj_printf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/** Debug accounting: number of live blocks and bytes. */
struct obj_stats {
	size_t blocks; /**< live blocks                  */
	size_t bytes;  /**< bytes requested by live ones */
	size_t allocs; /**< allocations since start      */
};
void obj_stats_get(struct obj_stats *st);

/**
 * Failure injection: make allocation number @p n (counted from now, 1-based)
 * and every later one fail; 0 switches injection off.
 */
void obj_fail_after(size_t n);
/** Allocations attempted since the last obj_fail_after() call. */
size_t obj_fail_count(void);

#endif
