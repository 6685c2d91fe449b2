/* rand.h: random tokens from the kernel CSPRNG (tags, Call-IDs, branches). */
#ifndef PB_BASE_RAND_H
#define PB_BASE_RAND_H

#include <stddef.h>

/**
 * A new refcounted string of @p n (1-32) characters from [a-z0-9], drawn
 * from getrandom(). @return the string, or NULL (n out of range, ENOMEM,
 * or no entropy).
 */
char *rand_token(size_t n);

#endif
