/* list.c: intrusive doubly linked lists. */
#include "list.h"
#include "mem.h"

void list_init(struct list *l)
{
	l->head = l->tail = NULL;
	l->n = 0;
}

void list_append(struct list *l, struct le *le, void *data)
{
	if (le->list)
		list_unlink(le);
	le->data = data;
	le->list = l;
	le->next = NULL;
	le->prev = l->tail;
	if (l->tail)
		l->tail->next = le;
	else
		l->head = le;
	l->tail = le;
	l->n++;
}

void list_prepend(struct list *l, struct le *le, void *data)
{
	if (le->list)
		list_unlink(le);
	le->data = data;
	le->list = l;
	le->prev = NULL;
	le->next = l->head;
	if (l->head)
		l->head->prev = le;
	else
		l->tail = le;
	l->head = le;
	l->n++;
}

void list_unlink(struct le *le)
{
	struct list *l = le ? le->list : NULL;
	if (!l)
		return;
	if (le->prev)
		le->prev->next = le->next;
	else
		l->head = le->next;
	if (le->next)
		le->next->prev = le->prev;
	else
		l->tail = le->prev;
	l->n--;
	le->prev = le->next = NULL;
	le->list = NULL;
}

void list_flush(struct list *l)
{
	struct le *le;
	while ((le = l->head)) {
		void *data = le->data;
		list_unlink(le);
		obj_deref(data);
	}
}

void list_clear(struct list *l)
{
	while (l->head)
		list_unlink(l->head);
}

struct le *list_apply(const struct list *l, list_apply_h *h, void *arg)
{
	struct le *le = l->head;
	while (le) {
		struct le *next = le->next;
		if (h(le, arg))
			return le;
		le = next;
	}
	return NULL;
}
