/* tmpdir.c: a fresh temporary directory for a test, removed afterwards. */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

#include "mock/tmpdir.h"

int tmpdir_make(char *dir, size_t size, const char *prefix)
{
	int n = snprintf(dir, size, "/tmp/%s.XXXXXX", prefix);

	if (n < 0 || (size_t)n >= size) {
		if (size)
			dir[0] = '\0';
		return ENAMETOOLONG;
	}
	if (!mkdtemp(dir)) {
		int err = errno;

		dir[0] = '\0';
		return err;
	}
	return 0;
}

static int rm_entry(const char *p, const struct stat *sb, int fl,
		    struct FTW *ftw)
{
	(void)sb;
	(void)fl;
	(void)ftw;
	return remove(p);
}

void tmpdir_remove(const char *dir)
{
	if (dir && dir[0])
		nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}
