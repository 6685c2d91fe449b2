/* driver.h: what each parser adapter gives the shared benchmark driver. */
#ifndef PB_BENCH_PARSE_DRIVER_H
#define PB_BENCH_PARSE_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/** One message as the parser under test wants it (its own buffer type). */
struct bp_input;

/** Short name printed in figures: "ours", "libre", "osip2". */
extern const char bp_name[];

/** One-time library set-up; 0 or an errno. */
int bp_setup(void);
/** Wrap the message bytes the way the parser's caller holds them. */
int bp_prepare(struct bp_input **inp, const uint8_t *p, size_t n);
/** Decode the message once and release the result; 0 or an errno. */
int bp_parse(struct bp_input *in);
/**
 * Decode once and report what was understood, so the driver can show that
 * every parser saw the same message: CSeq number and number of Via headers.
 */
int bp_check(struct bp_input *in, uint32_t *cseq, unsigned *nvia);
/** Free what bp_prepare() made. */
void bp_release(struct bp_input *in);

/** Heap allocations (malloc, calloc, realloc) since start; 0 if not counted. */
size_t bp_alloc_count(void);

/**
 * Optional (weak): the parser library's own allocation counter, printed as
 * objs_NAME_TYPE to cross-check the malloc count (ours: obj_stats_get()).
 */
size_t bp_own_alloc_count(void) __attribute__((weak));

#endif
