/* tui_log.c: the log pane's lines: a bounded ring, wrapped into rows. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "base/mem.h"
#include "cli/tui_int.h"

enum {
	PREFIX_COLS = 9, /* "HH:MM:SS " */
	LINE_MAX = 4096, /* longest line kept; longer ones are cut */
};

static int add_line(struct tui_log *lg, time_t when, bool trace, bool cont,
		    const char *s, size_t n)
{
	struct tui_logline *ln;
	char *text;

	if (n && s[n - 1] == '\r')
		n--;
	if (n > LINE_MAX)
		n = LINE_MAX;
	text = obj_strndup(s, n);
	if (!text)
		return ENOMEM;
	if (lg->n == TUI_LOG_MAX) {
		ln = &lg->v[lg->head];
		obj_deref(ln->text);
		lg->head = (lg->head + 1) % TUI_LOG_MAX;
		lg->n--;
	}
	ln = &lg->v[(lg->head + lg->n) % TUI_LOG_MAX];
	ln->text = text;
	ln->when = when;
	ln->trace = trace;
	ln->cont = cont;
	lg->n++;
	return 0;
}

int tui_log_add(struct tui_log *lg, time_t when, bool trace, const char *text)
{
	const char *p = text ? text : "", *nl;
	bool cont = false;
	int err;

	if (!lg->v) {
		lg->v = obj_zalloc(TUI_LOG_MAX * sizeof(*lg->v), NULL);
		if (!lg->v)
			return ENOMEM;
	}
	do {
		nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		/* a trailing newline does not make an empty last line */
		if (!n && !nl && cont)
			break;
		err = add_line(lg, when, trace, cont, p, n);
		if (err)
			return err;
		cont = true;
		p = nl ? nl + 1 : NULL;
	} while (p && *p);
	return 0;
}

void tui_log_clear(struct tui_log *lg)
{
	for (size_t i = 0; i < lg->n; i++)
		obj_deref(lg->v[(lg->head + i) % TUI_LOG_MAX].text);
	lg->v = obj_deref(lg->v);
	lg->head = 0;
	lg->n = 0;
}

/* Bytes of the clean UTF-8 text @p s that fit in @p cols columns. */
static size_t fit(const char *s, int cols)
{
	char one[8];
	size_t len = 0, n = 1;
	int used = 0, w;

	while (s[len]) {
		n = 1;
		while ((s[len + n] & 0xc0) == 0x80 && n < 4)
			n++;
		memcpy(one, s + len, n);
		one[n] = '\0';
		w = tui_cols(one);
		if (used + w > cols)
			break;
		used += w;
		len += n;
	}
	/* a character wider than the whole row still moves on */
	if (!len && s[0])
		len = n;
	return len;
}

struct view {
	int cols, body; /* row width; columns after the prefix */
	size_t first;	/* first screen line shown              */
	int rows;
	char **out;
	size_t outsize;
	size_t line; /* screen line counter                  */
};

/* Lay one log line out; when @p v->out is set, write the rows in view. */
static void view_line(struct view *v, const struct tui_logline *ln)
{
	char clean[LINE_MAX + 1];
	char prefix[PREFIX_COLS + 1];
	size_t off = 0, n;
	struct tm tm;
	bool firstrow = true;

	tui_clean(clean, sizeof(clean), ln->text, LINE_MAX);
	do {
		n = fit(clean + off, v->body);
		if (v->out && v->line >= v->first &&
		    v->line < v->first + (size_t)v->rows) {
			if (v->body == v->cols) {
				prefix[0] = '\0';
			} else if (firstrow && !ln->cont) {
				localtime_r(&ln->when, &tm);
				snprintf(prefix, sizeof(prefix),
					 "%02d:%02d:%02d ", tm.tm_hour,
					 tm.tm_min, tm.tm_sec);
			} else {
				snprintf(prefix, sizeof(prefix), "%*s",
					 PREFIX_COLS, "");
			}
			snprintf(v->out[v->line - v->first], v->outsize,
				 "%s%.*s", prefix, (int)n, clean + off);
		}
		v->line++;
		off += n;
		firstrow = false;
	} while (clean[off]);
}

size_t tui_log_view(const struct tui_log *lg, bool trace, size_t scroll,
		    int rows, int cols, char **out, size_t outsize)
{
	struct view v = {.cols = cols, .rows = rows, .outsize = outsize};
	size_t i, total, last;

	for (int r = 0; out && r < rows; r++)
		out[r][0] = '\0';
	if (cols < 1 || rows < 1)
		return 0;
	v.body = cols > 2 * PREFIX_COLS ? cols - PREFIX_COLS : cols;
	/* pass 1: count the screen lines; pass 2: write those in view */
	for (i = 0; i < lg->n; i++) {
		const struct tui_logline *ln =
		    &lg->v[(lg->head + i) % TUI_LOG_MAX];
		if (!ln->trace || trace)
			view_line(&v, ln);
	}
	total = v.line;
	if (total <= (size_t)rows)
		v.first = 0;
	else {
		last = total - 1;
		if (scroll > total - (size_t)rows)
			scroll = total - (size_t)rows;
		v.first = last - scroll - (size_t)rows + 1;
	}
	v.out = out;
	v.line = 0;
	for (i = 0; out && i < lg->n; i++) {
		const struct tui_logline *ln =
		    &lg->v[(lg->head + i) % TUI_LOG_MAX];
		if (!ln->trace || trace)
			view_line(&v, ln);
		if (v.line >= v.first + (size_t)rows)
			break;
	}
	return total;
}
