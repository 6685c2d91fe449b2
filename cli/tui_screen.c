/* tui_screen.c: the whole screen as lines of text, from a plain model. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"
#include "cli/tui_int.h"

static void screen_destroy(void *data)
{
	struct tui_screen *s = data;

	for (int r = 0; s->line && r < s->rows; r++)
		obj_deref(s->line[r]);
	obj_deref(s->line);
	obj_deref(s->attr);
}

int tui_screen_alloc(struct tui_screen **sp, int rows, int cols)
{
	struct tui_screen *s;
	int err = 0;

	if (!sp)
		return EINVAL;
	rows = rows < 1 ? 1 : rows;
	cols = cols < 1 ? 1 : cols;
	s = obj_zalloc(sizeof(*s), screen_destroy);
	if (!s)
		return ENOMEM;
	s->line = obj_zalloc((size_t)rows * sizeof(*s->line), NULL);
	s->attr = obj_zalloc((size_t)rows * sizeof(*s->attr), NULL);
	if (!s->line || !s->attr) {
		err = ENOMEM;
		goto out;
	}
	for (; s->rows < rows; s->rows++) {
		/* up to 4 bytes of UTF-8 per column */
		s->line[s->rows] = obj_zalloc((size_t)cols * 4 + 1, NULL);
		if (!s->line[s->rows]) {
			err = ENOMEM;
			goto out;
		}
	}
	s->cols = cols;
out:
	if (err)
		s = obj_deref(s);
	*sp = s;
	return err;
}

static size_t linesize(const struct tui_screen *s)
{
	return (size_t)s->cols * 4 + 1;
}

static void put(struct tui_screen *s, int row, enum tui_attr attr,
		const char *text)
{
	if (row < 0 || row >= s->rows)
		return;
	tui_clean(s->line[row], linesize(s), text, s->cols);
	s->attr[row] = attr;
}

/* A rule across the screen: "--- title " then dashes. */
static void rule(struct tui_screen *s, int row, const char *title)
{
	char tmp[512];
	int n;

	if (row < 0 || row >= s->rows)
		return;
	n = snprintf(tmp, sizeof(tmp), "--- %s ", title);
	while (n < s->cols && n + 1 < (int)sizeof(tmp))
		tmp[n++] = '-';
	tmp[n] = '\0';
	put(s, row, TUI_A_HEADER, tmp);
}

/* Call rows: keep the selected call in view. */
static void render_calls(struct tui_screen *s, const struct tui_model *m,
			 int top, int nrows)
{
	size_t first = 0, sel = 0;

	if (!m->ncalls) {
		put(s, top, TUI_A_DIM, "  no calls (:dial URI to call)");
		return;
	}
	for (size_t i = 0; i < m->ncalls; i++)
		if (m->calls[i].id == m->selected)
			sel = i;
	if (sel >= (size_t)nrows)
		first = sel - (size_t)nrows + 1;
	for (int r = 0; r < nrows && first + r < m->ncalls; r++) {
		const struct phone_call_info *c = &m->calls[first + r];
		if (top + r >= s->rows)
			break;
		tui_fmt_call(s->line[top + r], linesize(s), s->cols, c);
		s->attr[top + r] = TUI_A_NORMAL;
		/* with several calls, '>' marks the one keys act on */
		if (c->id == m->selected && m->ncalls > 1) {
			s->attr[top + r] = TUI_A_SELECTED;
			if (s->line[top + r][0] == ' ')
				s->line[top + r][0] = '>';
		}
	}
}

static void render_help(struct tui_screen *s, const struct tui_model *m,
			int top, int nrows)
{
	rule(s, top - 1, "help (any key closes it)");
	for (int r = 0; r < nrows; r++) {
		if (!tui_help_line(s->line[top + r], linesize(s), s->cols,
				   m->table, m->help_scroll + (size_t)r))
			break;
	}
}

static void render_log(struct tui_screen *s, const struct tui_model *m, int top,
		       int nrows)
{
	char title[128];

	if (nrows > 0 && m->log)
		s->log_lines =
		    tui_log_view(m->log, m->trace, m->scroll, nrows, s->cols,
				 s->line + top, linesize(s));
	s->log_rows = nrows;
	if (m->scroll && s->log_lines > (size_t)nrows)
		snprintf(title, sizeof(title), "log, %zu lines back (PgDn) ",
			 m->scroll);
	else
		snprintf(title, sizeof(title), "log ");
	snprintf(title + strlen(title), sizeof(title) - strlen(title),
		 "[SIP trace %s: T]", m->trace ? "shown" : "hidden");
	rule(s, top - 1, title);
}

static void render_cmdline(struct tui_screen *s, const struct tui_model *m,
			   int row)
{
	const struct tui_edit *e = m->edit;
	char before[TUI_EDIT_MAX + 2];
	int width = s->cols - 1, col;
	size_t start = 0;

	if (!e) {
		put(s, row, TUI_A_DIM,
		    "a answer  h hang up  H hold  m mute  0-9 DTMF  "
		    ": command  ? help  q q quit");
		return;
	}
	/* scroll sideways so that the cursor stays on the screen */
	memcpy(before, e->buf, e->pos);
	before[e->pos] = '\0';
	col = tui_cols(before);
	while (col >= width && start < e->pos) {
		start++;
		while (start < e->pos && (e->buf[start] & 0xc0) == 0x80)
			start++;
		col = tui_cols(before + start);
	}
	snprintf(before, sizeof(before), ":%s", e->buf + start);
	put(s, row, TUI_A_NORMAL, before);
	s->cursor = true;
	s->cur_row = row;
	s->cur_col = 1 + col < s->cols ? 1 + col : s->cols - 1;
}

void tui_render(struct tui_screen *s, const struct tui_model *m)
{
	char tmp[1024];
	int ncallrows, logtop, logrows;

	for (int r = 0; r < s->rows; r++) {
		s->line[r][0] = '\0';
		s->attr[r] = TUI_A_NORMAL;
	}
	s->cursor = false;
	s->log_lines = 0;
	s->log_rows = 0;

	tui_fmt_status(tmp, sizeof(tmp), s->cols, m->accounts, m->naccounts);
	put(s, 0, TUI_A_STATUS, tmp);
	tui_fmt_call_header(tmp, sizeof(tmp), s->cols);
	put(s, 1, TUI_A_HEADER, tmp);

	/* the call list gets up to a third of what is left */
	ncallrows = m->ncalls ? (int)m->ncalls : 1;
	if (ncallrows > (s->rows - 5) / 3)
		ncallrows = (s->rows - 5) / 3 > 1 ? (s->rows - 5) / 3 : 1;
	render_calls(s, m, 2, ncallrows);
	logtop = 2 + ncallrows + 1;
	logrows = s->rows - 2 - logtop;
	if (logrows > 0) {
		if (m->help)
			render_help(s, m, logtop, logrows);
		else
			render_log(s, m, logtop, logrows);
	}

	if (tui_fmt_prompt(tmp, sizeof(tmp), s->cols, m->calls, m->ncalls))
		put(s, s->rows - 2, TUI_A_PROMPT, tmp);
	else if (m->msg)
		put(s, s->rows - 2, m->msg_error ? TUI_A_ERROR : TUI_A_NORMAL,
		    m->msg);
	render_cmdline(s, m, s->rows - 1);
}
