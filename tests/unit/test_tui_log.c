/* test_tui_log.c: the TUI log pane: timestamps, wrapping, trace filter,
 * scrolling, the bound on kept lines; and the ':' command line editor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/tui_int.h"
#include "harness.h"

enum { ROWS = 6, COLS = 40 };

/* 2026-11-27 01:02:03 UTC */
static const time_t T0 = 1795741323;

struct pane {
	char buf[ROWS][COLS * 4 + 1];
	char *out[ROWS];
};

static size_t view(struct pane *p, const struct tui_log *lg, bool trace,
		   size_t scroll, int rows, int cols)
{
	for (int r = 0; r < ROWS; r++)
		p->out[r] = p->buf[r];
	return tui_log_view(lg, trace, scroll, rows, cols, p->out,
			    sizeof(p->buf[0]));
}

static void test_log_lines_and_time(void)
{
	struct tui_log lg = {0};
	struct pane p;

	CHECK_EQ_INT(tui_log_add(&lg, T0, false,
				 "call 1: ringing (180 "
				 "Ringing)"),
		     0);
	CHECK_EQ_INT(tui_log_add(&lg, T0 + 62, false, "call 1: answered"), 0);
	CHECK_EQ_INT(view(&p, &lg, true, 0, ROWS, COLS), 2);
	CHECK_EQ_STR(p.out[0], "01:02:03 call 1: ringing (180 Ringing)");
	CHECK_EQ_STR(p.out[1], "01:03:05 call 1: answered");
	CHECK_EQ_STR(p.out[2], "");
	CHECK_EQ_STR(p.out[5], "");
	tui_log_clear(&lg);
}

static void test_log_wraps_long_lines(void)
{
	struct tui_log lg = {0};
	struct pane p;

	tui_log_add(&lg, T0, false,
		    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ");
	/* 40 columns: 9 for the time, 31 of text per row */
	CHECK_EQ_INT(view(&p, &lg, true, 0, ROWS, COLS), 2);
	CHECK_EQ_STR(p.out[0], "01:02:03 0123456789abcdefghijklmnopqrstu");
	CHECK_EQ_STR(p.out[1], "         vwxyzABCDEFGHIJ");
	tui_log_clear(&lg);
}

static void test_log_trace_filter(void)
{
	struct tui_log lg = {0};
	struct pane p;

	tui_log_add(&lg, T0, false, "call 1: calling sip:x@h");
	tui_log_add(&lg, T0, true,
		    "-> 127.0.0.1:5070 udp\r\nINVITE sip:x@h SIP/2.0\r\n"
		    "Via: SIP/2.0/UDP 127.0.0.1:5060\r\n\r\n");
	tui_log_add(&lg, T0 + 1, false, "call 1: ringing");
	CHECK_EQ_INT(view(&p, &lg, true, 0, ROWS, COLS), 6);
	CHECK_EQ_STR(p.out[0], "01:02:03 call 1: calling sip:x@h");
	CHECK_EQ_STR(p.out[1], "01:02:03 -> 127.0.0.1:5070 udp");
	CHECK_EQ_STR(p.out[2], "         INVITE sip:x@h SIP/2.0");
	CHECK_EQ_STR(p.out[3], "         Via: SIP/2.0/UDP 127.0.0.1:5060");
	CHECK_EQ_STR(p.out[4], "         ");
	CHECK_EQ_STR(p.out[5], "01:02:04 call 1: ringing");
	/* trace hidden: only the events */
	CHECK_EQ_INT(view(&p, &lg, false, 0, ROWS, COLS), 2);
	CHECK_EQ_STR(p.out[0], "01:02:03 call 1: calling sip:x@h");
	CHECK_EQ_STR(p.out[1], "01:02:04 call 1: ringing");
	tui_log_clear(&lg);
}

static void test_log_scrolls(void)
{
	struct tui_log lg = {0};
	struct pane p;
	char line[32];

	for (int i = 1; i <= 10; i++) {
		snprintf(line, sizeof(line), "line %d", i);
		tui_log_add(&lg, T0, false, line);
	}
	/* newest at the bottom of a full pane */
	CHECK_EQ_INT(view(&p, &lg, true, 0, 3, COLS), 10);
	CHECK_EQ_STR(p.out[0], "01:02:03 line 8");
	CHECK_EQ_STR(p.out[2], "01:02:03 line 10");
	CHECK_EQ_INT(view(&p, &lg, true, 4, 3, COLS), 10);
	CHECK_EQ_STR(p.out[0], "01:02:03 line 4");
	CHECK_EQ_STR(p.out[2], "01:02:03 line 6");
	/* scrolling past the start stops at the first line */
	view(&p, &lg, true, 100, 3, COLS);
	CHECK_EQ_STR(p.out[0], "01:02:03 line 1");
	CHECK_EQ_STR(p.out[2], "01:02:03 line 3");
	tui_log_clear(&lg);
}

static void test_log_keeps_newest(void)
{
	struct tui_log lg = {0};
	struct pane p;
	char line[32];

	for (int i = 1; i <= TUI_LOG_MAX + 5; i++) {
		snprintf(line, sizeof(line), "line %d", i);
		REQUIRE(tui_log_add(&lg, T0, false, line) == 0);
	}
	CHECK_EQ_INT(lg.n, TUI_LOG_MAX);
	CHECK_EQ_INT(view(&p, &lg, true, 100000, 1, COLS), TUI_LOG_MAX);
	CHECK_EQ_STR(p.out[0], "01:02:03 line 6");
	tui_log_clear(&lg);
	CHECK_EQ_INT(lg.n, 0);
}

static void test_log_narrow_pane_has_no_time(void)
{
	struct tui_log lg = {0};
	struct pane p;

	tui_log_add(&lg, T0, false, "call 1: ended, remote");
	CHECK_EQ_INT(view(&p, &lg, true, 0, ROWS, 12), 2);
	CHECK_EQ_STR(p.out[0], "call 1: ende");
	CHECK_EQ_STR(p.out[1], "d, remote");
	tui_log_clear(&lg);
}

static void type(struct tui_edit *e, const char *s)
{
	while (*s)
		CHECK_EQ_INT(tui_edit_key(e, (unsigned char)*s++),
			     TUI_EDIT_CONTINUE);
}

static void test_edit_basics(void)
{
	struct tui_edit e = {0};

	tui_edit_reset(&e);
	type(&e, "dail sip:x@h");
	/* fix the typo: Home, Right, Delete, Right, insert 'a' */
	tui_edit_key(&e, TUI_KEY_HOME);
	tui_edit_key(&e, TUI_KEY_RIGHT);
	tui_edit_key(&e, TUI_KEY_DELETE);
	tui_edit_key(&e, TUI_KEY_RIGHT);
	type(&e, "a");
	CHECK_EQ_STR(e.buf, "dial sip:x@h");
	CHECK_EQ_INT(e.pos, 3);
	tui_edit_key(&e, TUI_KEY_END);
	tui_edit_key(&e, TUI_KEY_BACKSPACE);
	type(&e, "host");
	CHECK_EQ_STR(e.buf, "dial sip:x@host");
	tui_edit_key(&e, TUI_CTRL('w'));
	CHECK_EQ_STR(e.buf, "dial ");
	type(&e, "bob");
	tui_edit_key(&e, TUI_KEY_LEFT);
	tui_edit_key(&e, TUI_CTRL('k'));
	CHECK_EQ_STR(e.buf, "dial bo");
	tui_edit_key(&e, TUI_CTRL('u'));
	CHECK_EQ_STR(e.buf, "");
	/* backspace on an empty line closes it, like Esc */
	CHECK_EQ_INT(tui_edit_key(&e, TUI_KEY_BACKSPACE), TUI_EDIT_CANCEL);
	CHECK_EQ_INT(tui_edit_key(&e, TUI_KEY_ESC), TUI_EDIT_CANCEL);
	type(&e, "answer");
	CHECK_EQ_INT(tui_edit_key(&e, TUI_KEY_ENTER), TUI_EDIT_DONE);
	CHECK_EQ_STR(e.buf, "answer");
	tui_edit_free(&e);
}

static void test_edit_utf8_and_limits(void)
{
	struct tui_edit e = {0};

	tui_edit_reset(&e);
	type(&e, "dial j\xc3\xb8rn");
	tui_edit_key(&e, TUI_KEY_LEFT);
	tui_edit_key(&e, TUI_KEY_LEFT);
	tui_edit_key(&e, TUI_KEY_BACKSPACE);
	CHECK_EQ_STR(e.buf, "dial jrn");
	tui_edit_key(&e, 1); /* Ctrl-A */
	CHECK_EQ_INT(e.pos, 0);
	/* control keys without a meaning insert nothing */
	tui_edit_key(&e, TUI_CTRL('t'));
	tui_edit_key(&e, TUI_KEY_PGUP);
	CHECK_EQ_STR(e.buf, "dial jrn");
	/* a full line takes no more */
	tui_edit_reset(&e);
	for (int i = 0; i < TUI_EDIT_MAX + 10; i++)
		tui_edit_key(&e, 'x');
	CHECK_EQ_INT(e.len, TUI_EDIT_MAX - 1);
	CHECK_EQ_INT(strlen(e.buf), TUI_EDIT_MAX - 1);
	tui_edit_free(&e);
}

static void test_edit_history(void)
{
	struct tui_edit e = {0};

	tui_edit_reset(&e);
	CHECK_EQ_INT(tui_edit_remember(&e, "dial sip:a@h"), 0);
	CHECK_EQ_INT(tui_edit_remember(&e, "dtmf 123"), 0);
	CHECK_EQ_INT(tui_edit_remember(&e, "dtmf 123"), 0);
	CHECK_EQ_INT(tui_edit_remember(&e, ""), 0);
	CHECK_EQ_INT(e.nhist, 2);
	tui_edit_reset(&e);
	type(&e, "hang");
	tui_edit_key(&e, TUI_KEY_UP);
	CHECK_EQ_STR(e.buf, "dtmf 123");
	tui_edit_key(&e, TUI_KEY_UP);
	CHECK_EQ_STR(e.buf, "dial sip:a@h");
	tui_edit_key(&e, TUI_KEY_UP);
	CHECK_EQ_STR(e.buf, "dial sip:a@h");
	tui_edit_key(&e, TUI_KEY_DOWN);
	tui_edit_key(&e, TUI_KEY_DOWN);
	/* back at the line being typed */
	CHECK_EQ_STR(e.buf, "hang");
	for (int i = 0; i < TUI_HIST_MAX + 3; i++) {
		char l[16];
		snprintf(l, sizeof(l), "dtmf %d", i);
		tui_edit_remember(&e, l);
	}
	CHECK_EQ_INT(e.nhist, TUI_HIST_MAX);
	CHECK_EQ_STR(e.hist[0], "dtmf 3");
	tui_edit_free(&e);
}

static int none(const struct cmd_ctx *ctx, const char *args, char *err,
		size_t errlen)
{
	(void)ctx, (void)args, (void)err, (void)errlen;
	return 0;
}

static void test_edit_tab_completes_commands(void)
{
	const struct cmd table[] = {
	    {"dial", "URI", "call", 0, none},
	    {"hangup", "[N]", "end", 0, none},
	    {"hold", "[N]", "hold", 0, none},
	    {NULL, NULL, NULL, 0, NULL},
	};
	struct tui_edit e = {0};
	char b[64];

	tui_edit_reset(&e);
	type(&e, "di");
	CHECK_EQ_INT(tui_edit_complete(&e, table, b, sizeof(b)), 1);
	CHECK_EQ_STR(e.buf, "dial ");
	CHECK_EQ_INT(e.pos, 5);
	tui_edit_reset(&e);
	type(&e, "h");
	CHECK_EQ_INT(tui_edit_complete(&e, table, b, sizeof(b)), 2);
	CHECK_EQ_STR(b, "hangup hold");
	CHECK_EQ_STR(e.buf, "h");
	/* keeps the arguments after the word */
	tui_edit_reset(&e);
	type(&e, "ha 2");
	tui_edit_key(&e, TUI_KEY_HOME);
	tui_edit_key(&e, TUI_KEY_RIGHT);
	tui_edit_key(&e, TUI_KEY_RIGHT);
	CHECK_EQ_INT(tui_edit_complete(&e, table, b, sizeof(b)), 1);
	CHECK_EQ_STR(e.buf, "hangup 2");
	CHECK_EQ_INT(e.pos, 6);
	/* not in the arguments, and nothing for no match */
	tui_edit_key(&e, TUI_KEY_END);
	CHECK_EQ_INT(tui_edit_complete(&e, table, b, sizeof(b)), 0);
	tui_edit_reset(&e);
	type(&e, "zz");
	CHECK_EQ_INT(tui_edit_complete(&e, table, b, sizeof(b)), 0);
	CHECK_EQ_STR(e.buf, "zz");
	tui_edit_free(&e);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	harness_watchdog(20);
	RUN(test_log_lines_and_time);
	RUN(test_log_wraps_long_lines);
	RUN(test_log_trace_filter);
	RUN(test_log_scrolls);
	RUN(test_log_keeps_newest);
	RUN(test_log_narrow_pane_has_no_time);
	RUN(test_edit_basics);
	RUN(test_edit_utf8_and_limits);
	RUN(test_edit_history);
	RUN(test_edit_tab_completes_commands);
	return harness_done();
}
