/* list.h: intrusive doubly linked lists; the element lives in its owner. */
#ifndef PB_BASE_LIST_H
#define PB_BASE_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list;

/** List element, embedded in the object it links. */
struct le {
	struct le *prev;   /**< previous element    */
	struct le *next;   /**< next element        */
	struct list *list; /**< list it is on, or NULL */
	void *data;        /**< the owning object   */
};

struct list {
	struct le *head; /**< first element */
	struct le *tail; /**< last element  */
	size_t n;        /**< element count */
};

#define LIST_INIT {NULL, NULL, 0}
#define LE_INIT {NULL, NULL, NULL, NULL}

void list_init(struct list *l);
void list_append(struct list *l, struct le *le, void *data);
void list_prepend(struct list *l, struct le *le, void *data);
/** Unlink from whatever list it is on; harmless when on none. */
void list_unlink(struct le *le);
/**
 * Unlink every element and obj_deref() its data: lists own their members.
 */
void list_flush(struct list *l);
/** Unlink every element without touching the data. */
void list_clear(struct list *l);
static inline size_t list_count(const struct list *l)
{
	return l ? l->n : 0;
}

typedef bool(list_apply_h)(struct le *le, void *arg);
/** First element for which @p h returns true, or NULL. */
struct le *list_apply(const struct list *l, list_apply_h *h, void *arg);

#define LIST_FOREACH(l, le) for ((le) = (l)->head; (le); (le) = (le)->next)

#endif
