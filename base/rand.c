/* rand.c: random tokens from the kernel CSPRNG. */
#include <stdint.h>
#include <sys/random.h>
#include <sys/types.h>

#include "base/mem.h"
#include "base/rand.h"

char *rand_token(size_t n)
{
	static const char a[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	uint8_t rnd[32];
	char *s;
	size_t i;

	if (!n || n > sizeof(rnd) || getrandom(rnd, n, 0) != (ssize_t)n)
		return NULL;
	s = obj_zalloc(n + 1, NULL);
	for (i = 0; s && i < n; i++)
		s[i] = a[rnd[i] % (sizeof(a) - 1)];
	return s;
}
