/* tui_edit.c: the ':' command line: editing keys and history. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"
#include "cli/tui_int.h"

static bool is_cont(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

/* Byte offset of the character before / after @p pos. */
static size_t prev_char(const struct tui_edit *e, size_t pos)
{
	while (pos > 0 && is_cont(e->buf[--pos]))
		;
	return pos;
}

static size_t next_char(const struct tui_edit *e, size_t pos)
{
	if (pos < e->len)
		pos++;
	while (pos < e->len && is_cont(e->buf[pos]))
		pos++;
	return pos;
}

/* Remove bytes [from, to). */
static void cut(struct tui_edit *e, size_t from, size_t to)
{
	memmove(e->buf + from, e->buf + to, e->len - to + 1);
	e->len -= to - from;
	e->pos = from;
}

static void set_line(struct tui_edit *e, const char *s)
{
	size_t n = strlen(s);

	if (n >= sizeof(e->buf))
		n = sizeof(e->buf) - 1;
	memcpy(e->buf, s, n);
	e->buf[n] = '\0';
	e->len = n;
	e->pos = n;
}

void tui_edit_reset(struct tui_edit *e)
{
	e->buf[0] = '\0';
	e->len = 0;
	e->pos = 0;
	e->hpos = e->nhist;
	e->draft[0] = '\0';
}

static void insert(struct tui_edit *e, int key)
{
	if (key < 0x20 || key > 0xff || key == 0x7f ||
	    e->len + 1 >= sizeof(e->buf))
		return;
	memmove(e->buf + e->pos + 1, e->buf + e->pos, e->len - e->pos + 1);
	e->buf[e->pos++] = (char)key;
	e->len++;
}

static void history(struct tui_edit *e, bool back)
{
	if (back && e->hpos > 0) {
		if (e->hpos == e->nhist)
			memcpy(e->draft, e->buf, sizeof(e->draft));
		set_line(e, e->hist[--e->hpos]);
	} else if (!back && e->hpos < e->nhist) {
		e->hpos++;
		set_line(e, e->hpos == e->nhist ? e->draft : e->hist[e->hpos]);
	}
}

/* Ctrl-W: the word before the cursor and the spaces after it. */
static void kill_word(struct tui_edit *e)
{
	size_t p = e->pos;

	while (p > 0 && e->buf[p - 1] == ' ')
		p--;
	while (p > 0 && e->buf[p - 1] != ' ')
		p--;
	cut(e, p, e->pos);
}

enum tui_edit_result tui_edit_key(struct tui_edit *e, int key)
{
	switch (key) {
	case TUI_KEY_ENTER:
	case '\r':
		return TUI_EDIT_DONE;
	case TUI_KEY_ESC:
	case TUI_CTRL('c'):
	case TUI_CTRL('g'):
		return TUI_EDIT_CANCEL;
	case TUI_KEY_BACKSPACE:
	case TUI_CTRL('h'):
		if (!e->len)
			return TUI_EDIT_CANCEL;
		cut(e, prev_char(e, e->pos), e->pos);
		break;
	case TUI_KEY_DELETE:
	case TUI_CTRL('d'):
		cut(e, e->pos, next_char(e, e->pos));
		break;
	case TUI_KEY_LEFT:
	case TUI_CTRL('b'):
		e->pos = prev_char(e, e->pos);
		break;
	case TUI_KEY_RIGHT:
	case TUI_CTRL('f'):
		e->pos = next_char(e, e->pos);
		break;
	case TUI_KEY_HOME:
	case TUI_CTRL('a'):
		e->pos = 0;
		break;
	case TUI_KEY_END:
	case TUI_CTRL('e'):
		e->pos = e->len;
		break;
	case TUI_CTRL('u'):
		cut(e, 0, e->pos);
		break;
	case TUI_CTRL('k'):
		cut(e, e->pos, e->len);
		break;
	case TUI_CTRL('w'):
		kill_word(e);
		break;
	case TUI_KEY_UP:
	case TUI_CTRL('p'):
		history(e, true);
		break;
	case TUI_KEY_DOWN:
	case TUI_CTRL('n'):
		history(e, false);
		break;
	default:
		insert(e, key);
		break;
	}
	return TUI_EDIT_CONTINUE;
}

size_t tui_edit_complete(struct tui_edit *e, const struct cmd *table, char *buf,
			 size_t size)
{
	const struct cmd *one = NULL;
	size_t n = 0, len = 0, word = strcspn(e->buf, " ");

	if (size)
		buf[0] = '\0';
	/* only the command word, with the cursor at its end */
	if (e->pos != word || !word)
		return 0;
	for (const struct cmd *c = table; c && c->name; c++) {
		if (strncmp(c->name, e->buf, word))
			continue;
		one = c;
		n++;
		if (len + strlen(c->name) + 2 < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s",
						len ? " " : "", c->name);
	}
	if (n == 1) {
		char line[2 * TUI_EDIT_MAX];
		const char *rest = e->buf + word;
		size_t at = strlen(one->name) + (*rest ? 0 : 1);

		snprintf(line, sizeof(line), "%s%s%s", one->name,
			 *rest ? "" : " ", rest);
		set_line(e, line);
		e->pos = at < e->len ? at : e->len;
	}
	return n;
}

int tui_edit_remember(struct tui_edit *e, const char *line)
{
	char *copy;

	if (!line || !*line)
		return 0;
	if (e->nhist && !strcmp(e->hist[e->nhist - 1], line))
		return 0;
	copy = obj_strdup(line);
	if (!copy)
		return ENOMEM;
	if (e->nhist == TUI_HIST_MAX) {
		obj_deref(e->hist[0]);
		memmove(e->hist, e->hist + 1,
			(TUI_HIST_MAX - 1) * sizeof(e->hist[0]));
		e->nhist--;
	}
	e->hist[e->nhist++] = copy;
	e->hpos = e->nhist;
	return 0;
}

void tui_edit_free(struct tui_edit *e)
{
	for (size_t i = 0; i < e->nhist; i++)
		e->hist[i] = obj_deref(e->hist[i]);
	e->nhist = 0;
	tui_edit_reset(e);
}
