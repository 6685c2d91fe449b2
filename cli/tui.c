/* tui.c: the terminal UI on the loop: keys in, commands out, lines drawn.
 *
 * Everything is event-driven on the loop: stdin readable (keys), the
 * SIGWINCH pipe (resize), the stderr pipe (library messages), a 1 s tick
 * (call durations, registration states) and a zero-delay timer that
 * coalesces redraws after events. The text of the screen comes from
 * tui_render() (tui_screen.c); this file only maps keys and draws lines.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>
#include <term.h>

#include "base/loop.h"
#include "base/mem.h"
#include "cli/cmd.h"
#include "cli/tui.h"
#include "cli/tui_int.h"

enum {
	TUI_MAX_CALLS = 64,
	TUI_MAX_ACCOUNTS = 32,
	TUI_TICK_MS = 1000,
};

struct tui {
	struct loop *loop;	/**< not referenced                  */
	struct phone *phone;	/**< not referenced                  */
	struct cmd_ctx ctx;	/**< for cmd_exec                    */
	SCREEN *term;		/**< the ncurses screen              */
	struct tui_screen *scr; /**< rendered lines                  */
	struct tui_log log;	/**< log pane                        */
	struct tui_edit edit;	/**< ':' command line                */
	bool cmdline;		/**< command line open               */
	bool help;		/**< help open                       */
	size_t help_scroll;
	bool trace;	   /**< SIP trace lines shown           */
	bool saw_trace;	   /**< any trace arrived               */
	bool quit_armed;   /**< first 'q' pressed               */
	size_t scroll;	   /**< log lines scrolled back         */
	unsigned selected; /**< selected call id                */
	char msg[256];	   /**< message line                    */
	bool msg_error;
	struct tmr tick;      /**< durations                       */
	struct tmr redraw;    /**< coalesced redraw                */
	int winch_rd, err_rd; /**< pipes from tui_term             */
	char errbuf[1024];    /**< partial stderr line             */
	size_t rows;	      /**< rows a listing command wrote     */
	size_t errlen;
	bool started;		  /**< tui_term_start() succeeded      */
	void (*quith)(void *arg); /**< owner's quit, else loop_stop     */
	void *quitarg;
};

/* -- drawing -------------------------------------------------------------- */

static attr_t curses_attr(enum tui_attr a)
{
	switch (a) {
	case TUI_A_STATUS:
		return A_REVERSE;
	case TUI_A_HEADER:
	case TUI_A_SELECTED:
		return A_BOLD;
	case TUI_A_PROMPT:
		return A_STANDOUT | A_BOLD;
	case TUI_A_ERROR:
		return A_BOLD;
	case TUI_A_DIM:
		return A_DIM;
	default:
		return A_NORMAL;
	}
}

static void draw(struct tui *t)
{
	struct phone_account_info acc[TUI_MAX_ACCOUNTS];
	struct phone_call_info calls[TUI_MAX_CALLS];
	size_t nacc, ncalls;
	int rows, cols;

	getmaxyx(stdscr, rows, cols);
	if (!t->scr || t->scr->rows != rows || t->scr->cols != cols) {
		t->scr = obj_deref(t->scr);
		if (tui_screen_alloc(&t->scr, rows, cols))
			return;
	}
	nacc = phone_accounts(t->phone, acc, TUI_MAX_ACCOUNTS);
	ncalls = phone_calls(t->phone, calls, TUI_MAX_CALLS);
	struct tui_model m = {
	    .accounts = acc,
	    .naccounts = nacc < TUI_MAX_ACCOUNTS ? nacc : TUI_MAX_ACCOUNTS,
	    .calls = calls,
	    .ncalls = ncalls < TUI_MAX_CALLS ? ncalls : TUI_MAX_CALLS,
	    .selected = t->selected,
	    .log = &t->log,
	    .trace = t->trace,
	    .scroll = t->scroll,
	    .help = t->help,
	    .help_scroll = t->help_scroll,
	    .table = cmd_table,
	    .edit = t->cmdline ? &t->edit : NULL,
	    .msg = t->msg[0] ? t->msg : NULL,
	    .msg_error = t->msg_error,
	};
	/* a selection that ended falls back to the newest call */
	const struct phone_call_info *sel =
	    tui_key_call(calls, m.ncalls, t->selected);
	m.selected = t->selected = sel ? sel->id : 0;
	tui_render(t->scr, &m);

	erase();
	for (int r = 0; r < rows; r++) {
		attrset(curses_attr(t->scr->attr[r]));
		mvaddstr(r, 0, t->scr->line[r]);
		if (t->scr->attr[r] == TUI_A_STATUS)
			for (int c = tui_cols(t->scr->line[r]); c < cols; c++)
				addch(' ');
	}
	attrset(A_NORMAL);
	if (t->scr->cursor) {
		move(t->scr->cur_row, t->scr->cur_col);
		curs_set(1);
	} else {
		curs_set(0);
	}
	refresh();
}

static void redraw_h(void *arg)
{
	draw(arg);
}

/* Redraw once the current loop turn is done (events come in bursts). */
static void dirty(struct tui *t)
{
	if (!tmr_isrunning(&t->redraw))
		tmr_start(t->loop, &t->redraw, 0, redraw_h, t);
}

static void tick_h(void *arg)
{
	struct tui *t = arg;

	tmr_start(t->loop, &t->tick, TUI_TICK_MS, tick_h, t);
	draw(t);
}

static void set_msg(struct tui *t, bool error, const char *text)
{
	size_t n = text ? strlen(text) : 0;

	if (n >= sizeof(t->msg))
		n = sizeof(t->msg) - 1;
	memcpy(t->msg, text ? text : "", n);
	t->msg[n] = '\0';
	t->msg_error = error;
}

static void log_line(struct tui *t, bool trace, const char *text)
{
	(void)tui_log_add(&t->log, time(NULL), trace, text);
	if (t->scroll && !trace)
		t->scroll++; /* keep the scrolled-back view still */
	dirty(t);
}

/* -- commands ------------------------------------------------------------- */

static void quit(struct tui *t)
{
	set_msg(t, false, "quitting...");
	draw(t);
	if (t->quith)
		t->quith(t->quitarg);
	else
		loop_stop(t->loop);
}

static void quit_h(void *arg)
{
	quit(arg);
}

static void row_h(const char *kind, const struct cmd_field *f, size_t n,
		  const char *text, void *arg)
{
	struct tui *t = arg;

	(void)kind;
	(void)f;
	(void)n;
	t->rows++;
	log_line(t, false, text);
}

/* Sound-card probing prints pages of ALSA/JACK noise on stderr; what the
 * probe left in the pipe is dropped rather than shown. */
static void drop_stderr(struct tui *t)
{
	char b[4096];

	while (read(t->err_rd, b, sizeof(b)) > 0)
		;
	t->errlen = 0;
}

static bool is_cmd(const char *line, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(line, name, n) && (!line[n] || line[n] == ' ');
}

static void run(struct tui *t, const char *line)
{
	char err[256], echo[TUI_EDIT_MAX + 4];
	const char *p = line;

	while (*p == ' ' || *p == ':')
		p++;
	if (!*p)
		return;
	if (!strcmp(p, "help") || !strcmp(p, "?")) {
		t->help = true;
		t->help_scroll = 0;
		return;
	}
	snprintf(echo, sizeof(echo), ":%s", p);
	log_line(t, false, echo);
	set_msg(t, false, NULL);
	t->rows = 0;
	if (cmd_exec(&t->ctx, p, err, sizeof(err))) {
		set_msg(t, true, err);
		log_line(t, false, err);
	} else if (is_cmd(p, "devices") && !t->rows) {
		log_line(t, false,
			 "no audio device found (calls work with "
			 "--audio null)");
	}
	if (is_cmd(p, "devices"))
		drop_stderr(t);
}

/* -- keys ----------------------------------------------------------------- */

static int map_key(int ch)
{
	switch (ch) {
	case KEY_UP:
		return TUI_KEY_UP;
	case KEY_DOWN:
		return TUI_KEY_DOWN;
	case KEY_LEFT:
		return TUI_KEY_LEFT;
	case KEY_RIGHT:
		return TUI_KEY_RIGHT;
	case KEY_HOME:
		return TUI_KEY_HOME;
	case KEY_END:
		return TUI_KEY_END;
	case KEY_DC:
		return TUI_KEY_DELETE;
	case KEY_PPAGE:
		return TUI_KEY_PGUP;
	case KEY_NPAGE:
		return TUI_KEY_PGDN;
	case KEY_BACKSPACE:
	case 8:
		return TUI_KEY_BACKSPACE;
	case KEY_ENTER:
	case '\r':
		return TUI_KEY_ENTER;
	case KEY_RESIZE:
		return TUI_KEY_RESIZE;
	default:
		return ch;
	}
}

static void cmdline_key(struct tui *t, int key)
{
	char line[TUI_EDIT_MAX];

	if (key == '\t') {
		if (tui_edit_complete(&t->edit, cmd_table, line, sizeof(line)) >
		    1)
			set_msg(t, false, line);
		return;
	}
	switch (tui_edit_key(&t->edit, key)) {
	case TUI_EDIT_DONE:
		snprintf(line, sizeof(line), "%s", t->edit.buf);
		(void)tui_edit_remember(&t->edit, line);
		t->cmdline = false;
		run(t, line);
		break;
	case TUI_EDIT_CANCEL:
		t->cmdline = false;
		break;
	default:
		break;
	}
}

static void select_call(struct tui *t, int dir)
{
	struct phone_call_info v[TUI_MAX_CALLS];
	size_t n = phone_calls(t->phone, v, TUI_MAX_CALLS), i;

	n = n < TUI_MAX_CALLS ? n : TUI_MAX_CALLS;
	const struct phone_call_info *c = tui_key_call(v, n, t->selected);
	if (!c)
		return;
	i = (size_t)(c - v);
	if (dir < 0 && i > 0)
		t->selected = v[i - 1].id;
	else if (dir > 0 && i + 1 < n)
		t->selected = v[i + 1].id;
	else
		t->selected = c->id;
}

static void scroll_log(struct tui *t, int dir)
{
	size_t page =
	    t->scr && t->scr->log_rows > 1 ? (size_t)t->scr->log_rows - 1 : 1;
	size_t max = t->scr && t->scr->log_lines > (size_t)t->scr->log_rows
			 ? t->scr->log_lines - (size_t)t->scr->log_rows
			 : 0;

	if (dir < 0)
		t->scroll = t->scroll + page > max ? max : t->scroll + page;
	else
		t->scroll = t->scroll > page ? t->scroll - page : 0;
}

/* In the help, Up/Down/PgUp/PgDn scroll; any other key closes it. */
static void help_key(struct tui *t, int key)
{
	size_t step = key == TUI_KEY_UP || key == TUI_KEY_DOWN ? 1 : 10;

	if (key == TUI_KEY_DOWN || key == TUI_KEY_PGDN)
		t->help_scroll += step;
	else if (key == TUI_KEY_UP || key == TUI_KEY_PGUP)
		t->help_scroll -= t->help_scroll < step ? t->help_scroll : step;
	else
		t->help = false;
}

static void normal_key(struct tui *t, int key)
{
	struct phone_call_info v[TUI_MAX_CALLS];
	size_t n = phone_calls(t->phone, v, TUI_MAX_CALLS);
	struct tui_keyctx kc = {
	    .calls = v,
	    .ncalls = n < TUI_MAX_CALLS ? n : TUI_MAX_CALLS,
	    .selected = t->selected,
	    .quit_armed = t->quit_armed,
	};
	char buf[256];
	enum tui_act act = tui_key_action(key, &kc, buf, sizeof(buf));

	t->quit_armed = false;
	switch (act) {
	case TUI_ACT_CMD:
		run(t, buf);
		break;
	case TUI_ACT_MSG:
		set_msg(t, false, buf);
		break;
	case TUI_ACT_CMDLINE:
		tui_edit_reset(&t->edit);
		for (const char *p = buf; *p; p++)
			tui_edit_key(&t->edit, (unsigned char)*p);
		t->cmdline = true;
		break;
	case TUI_ACT_HELP:
		t->help = true;
		t->help_scroll = 0;
		break;
	case TUI_ACT_TRACE:
		t->trace = !t->trace;
		set_msg(t, false,
			!t->trace      ? "SIP trace hidden"
			: t->saw_trace ? "SIP trace shown"
				       : "SIP trace shown (none yet: start "
					 "phonebox with --sip-trace)");
		break;
	case TUI_ACT_QUIT_ARM:
		t->quit_armed = true;
		set_msg(t, false, "press q again to quit");
		break;
	case TUI_ACT_QUIT:
		quit(t);
		break;
	case TUI_ACT_SELECT_UP:
	case TUI_ACT_SELECT_DOWN:
		select_call(t, act == TUI_ACT_SELECT_UP ? -1 : 1);
		break;
	case TUI_ACT_SCROLL_UP:
	case TUI_ACT_SCROLL_DOWN:
		scroll_log(t, act == TUI_ACT_SCROLL_UP ? -1 : 1);
		break;
	case TUI_ACT_REDRAW:
		clearok(curscr, TRUE);
		break;
	default:
		if (!strcmp(t->msg, "press q again to quit"))
			set_msg(t, false, NULL);
		break;
	}
}

static void resize(struct tui *t)
{
	struct winsize ws;

	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row && ws.ws_col)
		resize_term(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
}

static void key_in(struct tui *t, int ch)
{
	int key = map_key(ch);

	if (key == TUI_KEY_RESIZE)
		resize(t);
	else if (t->cmdline)
		cmdline_key(t, key);
	else if (t->help)
		help_key(t, key);
	else
		normal_key(t, key);
}

static void stdin_h(int fd, int flags, void *arg)
{
	struct tui *t = arg;
	int ch, n = 0;

	while ((ch = getch()) != ERR) {
		key_in(t, ch);
		n++;
	}
	/* the terminal went away (hang-up): leave, do not spin */
	if (!n && (flags & FD_ERROR)) {
		loop_fd_listen(t->loop, fd, 0, NULL, NULL);
		quit(t);
		return;
	}
	dirty(t);
}

/* -- pipes from tui_term -------------------------------------------------- */

static void winch_h(int fd, int flags, void *arg)
{
	char b[64];

	(void)flags;
	while (read(fd, b, sizeof(b)) > 0)
		;
	resize(arg);
	draw(arg);
}

static void stderr_h(int fd, int flags, void *arg)
{
	struct tui *t = arg;
	char *nl;
	ssize_t n;

	(void)flags;
	while ((n = read(fd, t->errbuf + t->errlen,
			 sizeof(t->errbuf) - 1 - t->errlen)) > 0) {
		t->errlen += (size_t)n;
		t->errbuf[t->errlen] = '\0';
		while ((nl = strchr(t->errbuf, '\n')) ||
		       t->errlen == sizeof(t->errbuf) - 1) {
			size_t len = nl ? (size_t)(nl - t->errbuf) : t->errlen;
			t->errbuf[len] = '\0';
			log_line(t, false, t->errbuf);
			len += nl ? 1 : 0;
			memmove(t->errbuf, t->errbuf + len, t->errlen - len);
			t->errlen -= len;
			t->errbuf[t->errlen] = '\0';
		}
	}
}

/* -- life cycle ----------------------------------------------------------- */

static void tui_destroy(void *arg)
{
	struct tui *t = arg;
	char b[512];
	ssize_t n;

	tmr_cancel(&t->tick);
	tmr_cancel(&t->redraw);
	loop_fd_listen(t->loop, STDIN_FILENO, 0, NULL, NULL);
	if (t->term) {
		endwin();
		delscreen(t->term);
	}
	if (t->started) {
		loop_fd_listen(t->loop, t->winch_rd, 0, NULL, NULL);
		loop_fd_listen(t->loop, t->err_rd, 0, NULL, NULL);
		/* endwin() gave the terminal back; only stderr and the
		 * signal handlers are left to undo */
		tui_term_stop();
		/* what was still on its way to stderr goes there now */
		if (t->errlen)
			n = write(STDERR_FILENO, t->errbuf, t->errlen);
		while ((n = read(t->err_rd, b, sizeof(b))) > 0)
			n = write(STDERR_FILENO, b, (size_t)n);
		close(t->winch_rd);
		close(t->err_rd);
	}
	obj_deref(t->scr);
	tui_log_clear(&t->log);
	tui_edit_free(&t->edit);
}

/* The sequence that takes a terminal out of the UI, for tui_term. */
static void capture_restore_caps(void)
{
	static const char *const names[] = {"rmcup", "rmkx", "sgr0", "cnorm"};
	const char *caps[4];

	for (size_t i = 0; i < 4; i++) {
		char *s = tigetstr(names[i]);
		caps[i] = s && s != (char *)-1 ? s : NULL;
	}
	tui_term_ready(caps, 4);
}

static int start_curses(struct tui *t)
{
	setlocale(LC_CTYPE, "");
	t->term = newterm(NULL, stdout, stdin);
	if (!t->term)
		return ENOTTY;
	set_term(t->term);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	capture_restore_caps();
	return 0;
}

int tui_alloc(struct tui **tp, struct loop *loop, struct phone *phone)
{
	struct tui *t;
	int err;

	if (!tp || !loop || !phone)
		return EINVAL;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return ENOTTY;
	t = obj_zalloc(sizeof(*t), tui_destroy);
	if (!t)
		return ENOMEM;
	t->loop = loop;
	t->phone = phone;
	t->trace = true;
	t->ctx = (struct cmd_ctx){phone, loop, row_h, quit_h, t};
	tui_edit_reset(&t->edit);
	err = tui_term_start(&t->winch_rd, &t->err_rd);
	if (err)
		goto out;
	t->started = true;
	err = start_curses(t);
	if (!err)
		err = loop_fd_listen(loop, STDIN_FILENO, FD_READ, stdin_h, t);
	if (!err)
		err = loop_fd_listen(loop, t->winch_rd, FD_READ, winch_h, t);
	if (!err)
		err = loop_fd_listen(loop, t->err_rd, FD_READ, stderr_h, t);
	if (err)
		goto out;
	log_line(t, false, "phonebox: press : for commands, ? for help");
	tmr_start(loop, &t->tick, TUI_TICK_MS, tick_h, t);
	draw(t);
out:
	if (err)
		t = obj_deref(t);
	*tp = t;
	return err;
}

void tui_set_quit(struct tui *t, void (*quith)(void *arg), void *arg)
{
	if (!t)
		return;
	t->quith = quith;
	t->quitarg = arg;
}

void tui_event(struct tui *t, const struct phone_event *ev)
{
	char line[1024];

	if (!t || !ev)
		return;
	if (ev->kind == PHONE_EV_TRACE) {
		t->saw_trace = true;
		log_line(t, true, ev->text);
		return;
	}
	tui_fmt_event(line, sizeof(line), ev);
	log_line(t, false, line);
	switch (ev->kind) {
	case PHONE_EV_INCOMING:
		beep();
		/* fall through */
	case PHONE_EV_CALLING:
		t->selected = ev->call;
		break;
	default:
		break;
	}
}

void tui_log(struct tui *t, const char *line)
{
	if (t && line)
		log_line(t, false, line);
}

struct tui *tui_free(struct tui *t)
{
	return obj_deref(t);
}
