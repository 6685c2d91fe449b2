/* test_tui_screen.c: the whole TUI screen, row by row, and what each key
 * does outside the command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/tui_int.h"
#include "harness.h"

static const time_t T0 = 1795741323; /* 01:02:03 UTC */

static const struct phone_account_info accounts[] = {
    {.name = "alice", .aor = "sip:alice@h", .state = "registered"},
};

static const struct phone_call_info calls[] = {
    {.id = 1,
     .peer = "sip:bob@127.0.0.1:5070",
     .display = "Bob",
     .state = "active",
     .duration = 65,
     .codec = "PCMU",
     .suite = "AES_CM_128_HMAC_SHA1_80"},
    {.id = 2,
     .incoming = true,
     .peer = "sip:carol@h",
     .display = "Carol",
     .state = "incoming"},
};

/* "--- TITLE " followed by dashes to the full width */
static void check_rule(const char *line, const char *title, int cols)
{
	char want[256];
	int n = snprintf(want, sizeof(want), "--- %s ", title);

	while (n < cols)
		want[n++] = '-';
	want[n] = '\0';
	CHECK_EQ_STR(line, want);
}

static void test_screen_with_calls(void)
{
	struct tui_log lg = {0};
	struct tui_screen *s = NULL;
	struct tui_model m = {
	    .accounts = accounts,
	    .naccounts = 1,
	    .calls = calls,
	    .ncalls = 2,
	    .selected = 1,
	    .log = &lg,
	    .trace = true,
	};

	tui_log_add(&lg, T0, false,
		    "call 1: answered, PCMU, SRTP "
		    "AES_CM_128_HMAC_SHA1_80");
	tui_log_add(&lg, T0 + 5, false,
		    "call 2: incoming call from Carol <sip:carol@h>");
	REQUIRE(tui_screen_alloc(&s, 12, 100) == 0);
	tui_render(s, &m);
	CHECK_EQ_STR(s->line[0], "phonebox  alice: registered");
	CHECK_EQ_INT(s->attr[0], TUI_A_STATUS);
	CHECK_EQ_STR(s->line[1], "  # dir peer                                "
				 "state        time    codec  media");
	CHECK_EQ_STR(s->line[2], "> 1 out Bob <sip:bob@127.0.0.1:5070>        "
				 "active       1:05    PCMU   SRTP "
				 "AES_CM_128_HMAC_SHA1_80");
	CHECK_EQ_INT(s->attr[2], TUI_A_SELECTED);
	CHECK_EQ_STR(s->line[3], "  2 in  Carol <sip:carol@h>                 "
				 "incoming     -       -      -");
	CHECK_EQ_INT(s->attr[3], TUI_A_NORMAL);
	check_rule(s->line[4], "log [SIP trace shown: T]", 100);
	CHECK_EQ_STR(s->line[5], "01:02:03 call 1: answered, PCMU, SRTP "
				 "AES_CM_128_HMAC_SHA1_80");
	CHECK_EQ_STR(s->line[6], "01:02:08 call 2: incoming call from Carol "
				 "<sip:carol@h>");
	CHECK_EQ_STR(s->line[7], "");
	CHECK_EQ_STR(s->line[10], "Incoming call from Carol <sip:carol@h>  "
				  "[a]nswer [r]eject");
	CHECK_EQ_INT(s->attr[10], TUI_A_PROMPT);
	CHECK_EQ_STR(s->line[11], "a answer  h hang up  H hold  m mute  0-9 "
				  "DTMF  : command  ? help  q q quit");
	CHECK(!s->cursor);
	CHECK_EQ_INT(s->log_rows, 5);
	CHECK_EQ_INT(s->log_lines, 2);
	obj_deref(s);
	tui_log_clear(&lg);
}

static void test_screen_idle_with_command_line(void)
{
	struct tui_screen *s = NULL;
	struct tui_edit e = {0};
	struct tui_model m = {
	    .edit = &e, .msg = "dial: bad target 'x y'", .msg_error = true};

	tui_edit_reset(&e);
	for (const char *p = "dial sip:bob@h"; *p; p++)
		tui_edit_key(&e, *p);
	tui_edit_key(&e, TUI_KEY_LEFT);
	REQUIRE(tui_screen_alloc(&s, 8, 60) == 0);
	tui_render(s, &m);
	CHECK_EQ_STR(s->line[0], "phonebox  no accounts (direct calls only)");
	CHECK_EQ_STR(s->line[2], "  no calls (:dial URI to call)");
	check_rule(s->line[3], "log [SIP trace hidden: T]", 60);
	CHECK_EQ_STR(s->line[6], "dial: bad target 'x y'");
	CHECK_EQ_INT(s->attr[6], TUI_A_ERROR);
	CHECK_EQ_STR(s->line[7], ":dial sip:bob@h");
	CHECK(s->cursor);
	CHECK_EQ_INT(s->cur_row, 7);
	CHECK_EQ_INT(s->cur_col, 14);
	obj_deref(s);
	tui_edit_free(&e);
}

static void test_screen_long_command_scrolls_sideways(void)
{
	struct tui_screen *s = NULL;
	struct tui_edit e = {0};
	struct tui_model m = {.edit = &e};

	tui_edit_reset(&e);
	for (const char *p = "dial sip:someone-with-a-long-name@example.com";
	     *p; p++)
		tui_edit_key(&e, *p);
	REQUIRE(tui_screen_alloc(&s, 8, 20) == 0);
	tui_render(s, &m);
	/* the end of the line and the cursor stay visible */
	CHECK_EQ_STR(s->line[7], ":g-name@example.com");
	CHECK_EQ_INT(s->cur_col, 19);
	obj_deref(s);
	tui_edit_free(&e);
}

static void test_screen_help(void)
{
	struct tui_screen *s = NULL;
	struct tui_model m = {.help = true};

	REQUIRE(tui_screen_alloc(&s, 10, 70) == 0);
	tui_render(s, &m);
	check_rule(s->line[3], "help (any key closes it)", 70);
	CHECK_EQ_STR(s->line[4], "Keys:");
	CHECK_EQ_STR(s->line[5], "  a        answer the incoming call");
	m.help_scroll = 2;
	tui_render(s, &m);
	CHECK_EQ_STR(s->line[4], "  r        reject the incoming call");
	obj_deref(s);
}

static void test_screen_tiny_terminal(void)
{
	struct tui_screen *s = NULL;
	struct tui_model m = {.calls = calls, .ncalls = 2};

	/* nothing is drawn outside the screen, and nothing crashes */
	for (int rows = 1; rows <= 6; rows++) {
		for (int cols = 1; cols <= 12; cols += 11) {
			REQUIRE(tui_screen_alloc(&s, rows, cols) == 0);
			tui_render(s, &m);
			for (int r = 0; r < rows; r++)
				CHECK(tui_cols(s->line[r]) <= cols);
			s = obj_deref(s);
		}
	}
}

static enum tui_act key(int k, const struct tui_keyctx *ctx, char *buf)
{
	return tui_key_action(k, ctx, buf, 64);
}

static void test_keys(void)
{
	struct phone_call_info v[2] = {calls[0], calls[1]};
	struct tui_keyctx ctx = {.calls = v, .ncalls = 2, .selected = 1};
	char b[64];

	CHECK_EQ_INT(key('a', &ctx, b), TUI_ACT_CMD);
	CHECK_EQ_STR(b, "answer 2");
	CHECK_EQ_INT(key('r', &ctx, b), TUI_ACT_CMD);
	CHECK_EQ_STR(b, "reject 2");
	CHECK_EQ_INT(key('h', &ctx, b), TUI_ACT_CMD);
	CHECK_EQ_STR(b, "hangup 1");
	CHECK_EQ_INT(key('H', &ctx, b), TUI_ACT_CMD);
	CHECK_EQ_STR(b, "hold 1");
	CHECK_EQ_INT(key('m', &ctx, b), TUI_ACT_CMD);
	CHECK_EQ_STR(b, "mute 1");
	CHECK_EQ_INT(key('5', &ctx, b), TUI_ACT_CMD);
	CHECK_EQ_STR(b, "dtmf 5 1");
	CHECK_EQ_INT(key('#', &ctx, b), TUI_ACT_CMD);
	CHECK_EQ_STR(b, "dtmf # 1");
	/* toggles follow the call's state */
	v[0].held = true;
	v[0].muted = true;
	v[0].state = "held";
	CHECK_EQ_INT(key('H', &ctx, b), TUI_ACT_CMD);
	CHECK_EQ_STR(b, "resume 1");
	CHECK_EQ_INT(key('m', &ctx, b), TUI_ACT_CMD);
	CHECK_EQ_STR(b, "unmute 1");
	CHECK_EQ_INT(key('R', &ctx, b), TUI_ACT_CMD);
	CHECK_EQ_STR(b, "resume 1");
	CHECK_EQ_INT(key('M', &ctx, b), TUI_ACT_CMD);
	CHECK_EQ_STR(b, "unmute 1");
	CHECK_EQ_INT(key('7', &ctx, b), TUI_ACT_MSG);
	CHECK_EQ_STR(b, "DTMF needs an active call");
	/* without a selection keys act on the newest call */
	ctx.selected = 0;
	CHECK_EQ_INT(key('h', &ctx, b), TUI_ACT_CMD);
	CHECK_EQ_STR(b, "hangup 2");
	/* no calls */
	ctx.ncalls = 0;
	CHECK_EQ_INT(key('a', &ctx, b), TUI_ACT_MSG);
	CHECK_EQ_STR(b, "no incoming call");
	CHECK_EQ_INT(key('h', &ctx, b), TUI_ACT_MSG);
	CHECK_EQ_STR(b, "no call");
	CHECK_EQ_INT(key('5', &ctx, b), TUI_ACT_MSG);
	/* quitting takes two q */
	CHECK_EQ_INT(key('q', &ctx, b), TUI_ACT_QUIT_ARM);
	ctx.quit_armed = true;
	CHECK_EQ_INT(key('q', &ctx, b), TUI_ACT_QUIT);
	CHECK_EQ_INT(key(':', &ctx, b), TUI_ACT_CMDLINE);
	CHECK_EQ_INT(key('?', &ctx, b), TUI_ACT_HELP);
	CHECK_EQ_INT(key('T', &ctx, b), TUI_ACT_TRACE);
	CHECK_EQ_INT(key('d', &ctx, b), TUI_ACT_CMDLINE);
	CHECK_EQ_STR(b, "dial ");
	CHECK_EQ_INT(key('t', &ctx, b), TUI_ACT_CMDLINE);
	CHECK_EQ_STR(b, "transfer ");
	CHECK_EQ_INT(key(TUI_CTRL('c'), &ctx, b), TUI_ACT_MSG);
	CHECK_EQ_STR(b, "press q twice to quit");
	CHECK_EQ_INT(key(TUI_KEY_PGUP, &ctx, b), TUI_ACT_SCROLL_UP);
	CHECK_EQ_INT(key('z', &ctx, b), TUI_ACT_NONE);
	CHECK_EQ_STR(b, "");
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	harness_watchdog(20);
	RUN(test_screen_with_calls);
	RUN(test_screen_idle_with_command_line);
	RUN(test_screen_long_command_scrolls_sideways);
	RUN(test_screen_help);
	RUN(test_screen_tiny_terminal);
	RUN(test_keys);
	return harness_done();
}
