/* hash.c: a fixed-size table of bucket lists. */
#include <ctype.h>
#include <errno.h>

#include "hash.h"
#include "mem.h"

struct hash {
	struct list *bucket; /**< bsize buckets */
	uint32_t mask;       /**< bsize - 1     */
};

static void hash_destroy(void *arg)
{
	struct hash *h = arg;
	hash_flush(h);
	obj_deref(h->bucket);
}

int hash_alloc(struct hash **hp, uint32_t bsize)
{
	if (!hp || !bsize || bsize > (1u << 24))
		return EINVAL;
	uint32_t n = 1;
	while (n < bsize)
		n <<= 1;
	struct hash *h = obj_zalloc(sizeof(*h), hash_destroy);
	if (!h)
		return ENOMEM;
	h->bucket = obj_zalloc(sizeof(*h->bucket) * n, NULL);
	if (!h->bucket) {
		obj_deref(h);
		return ENOMEM;
	}
	h->mask = n - 1;
	*hp = h;
	return 0;
}

struct list *hash_bucket(const struct hash *h, uint32_t key)
{
	return &h->bucket[key & h->mask];
}

void hash_append(struct hash *h, uint32_t key, struct le *le, void *data)
{
	list_append(hash_bucket(h, key), le, data);
}

void hash_unlink(struct le *le)
{
	list_unlink(le);
}

struct le *hash_lookup(const struct hash *h, uint32_t key, list_apply_h *ah,
		       void *arg)
{
	return list_apply(hash_bucket(h, key), ah, arg);
}

void hash_flush(struct hash *h)
{
	if (!h || !h->bucket)
		return;
	for (uint32_t i = 0; i <= h->mask; i++)
		list_flush(&h->bucket[i]);
}

uint32_t hash_count(const struct hash *h)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i <= h->mask; i++)
		n += (uint32_t)h->bucket[i].n;
	return n;
}

uint32_t hash_fnv(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint32_t x = 2166136261u;
	for (size_t i = 0; i < n; i++)
		x = (x ^ s[i]) * 16777619u;
	return x;
}

uint32_t hash_fnv_ci(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint32_t x = 2166136261u;
	for (size_t i = 0; i < n; i++)
		x = (x ^ (uint32_t)tolower(s[i])) * 16777619u;
	return x;
}
