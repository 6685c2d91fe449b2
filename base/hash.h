/* hash.h: hash table of intrusive lists, keyed by a caller-computed hash. */
#ifndef PB_BASE_HASH_H
#define PB_BASE_HASH_H

#include <stdint.h>

#include "list.h"
#include "pl.h"

struct hash;

/** Allocate a table with @p bsize buckets (rounded up to a power of 2). */
int hash_alloc(struct hash **hp, uint32_t bsize);
void hash_append(struct hash *h, uint32_t key, struct le *le, void *data);
void hash_unlink(struct le *le);
/** First element in the key's bucket for which @p h returns true. */
struct le *hash_lookup(const struct hash *h, uint32_t key, list_apply_h *ah,
		       void *arg);
/** Unlink everything and deref the members. */
void hash_flush(struct hash *h);
/** The bucket list for @p key. */
struct list *hash_bucket(const struct hash *h, uint32_t key);
uint32_t hash_count(const struct hash *h);

/** FNV-1a over bytes, and a case-insensitive variant. */
uint32_t hash_fnv(const void *p, size_t n);
uint32_t hash_fnv_ci(const void *p, size_t n);
static inline uint32_t hash_pl_ci(const struct pl *pl)
{
	return hash_fnv_ci(pl->p, pl->l);
}

#endif
