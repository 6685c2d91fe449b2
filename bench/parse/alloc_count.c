/* alloc_count.c: count heap allocations of the whole process, shared
 * libraries included.
 *
 * Defining malloc, calloc and realloc in the executable interposes them for
 * every shared object (libre, libosip2, libc itself); each forwards to
 * glibc's own allocator (__libc_*) after bumping a counter, so blocks stay
 * compatible with glibc's free(). -Wl,--wrap would miss calls made inside
 * the shared libraries, which is where libre and osip2 allocate.
 * Sanitizer builds keep their own allocator: there the count is 0.
 */
#include <stddef.h>

#include "driver.h"

#ifndef BP_NO_ALLOC_COUNT
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t nmemb, size_t n);
extern void *__libc_realloc(void *p, size_t n);

static size_t alloc_count;

void *malloc(size_t n);
void *calloc(size_t nmemb, size_t n);
void *realloc(void *p, size_t n);

void *malloc(size_t n)
{
	++alloc_count;
	return __libc_malloc(n);
}

void *calloc(size_t nmemb, size_t n)
{
	++alloc_count;
	return __libc_calloc(nmemb, n);
}

void *realloc(void *p, size_t n)
{
	++alloc_count;
	return __libc_realloc(p, n);
}

size_t bp_alloc_count(void)
{
	return alloc_count;
}
#else
size_t bp_alloc_count(void)
{
	return 0;
}
#endif
