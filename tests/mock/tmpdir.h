/* tmpdir.h: a fresh temporary directory for a test, removed afterwards. */
#ifndef PB_TESTS_MOCK_TMPDIR_H
#define PB_TESTS_MOCK_TMPDIR_H

#include <stddef.h>

/**
 * Make a new directory /tmp/PREFIX.XXXXXX (mkdtemp) and put its path in
 * @p dir (@p size bytes). @return 0, or an errno with @p dir set to "".
 */
int tmpdir_make(char *dir, size_t size, const char *prefix);

/** Remove @p dir and everything below it; "" removes nothing. */
void tmpdir_remove(const char *dir);

#endif
