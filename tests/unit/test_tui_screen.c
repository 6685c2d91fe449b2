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

/* a screen of @p rows x @p cols with @p m drawn on it */
static int render_new(struct tui_screen **sp, int rows, int cols,
		      const struct tui_model *m)
{
	int err = tui_screen_alloc(sp, rows, cols);

	if (!err)
		tui_render(*sp, m);
	return err;
}

/* a fresh command line with @p text typed into it */
static void type_line(struct tui_edit *e, const char *text)
{
	tui_edit_reset(e);
	for (const char *p = text; *p; p++)
		tui_edit_key(e, *p);
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
	REQUIRE(render_new(&s, 12, 100, &m) == 0);
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

	type_line(&e, "dial sip:bob@h");
	tui_edit_key(&e, TUI_KEY_LEFT);
	REQUIRE(render_new(&s, 8, 60, &m) == 0);
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

	type_line(&e, "dial sip:someone-with-a-long-name@example.com");
	REQUIRE(render_new(&s, 8, 20, &m) == 0);
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

	REQUIRE(render_new(&s, 10, 70, &m) == 0);
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

/* one key press and what it must do; text NULL: the text is not checked */
struct keystep {
	int k;
	enum tui_act act;
	const char *text;
};

static void check_keys(const struct tui_keyctx *ctx, const struct keystep *ks,
		       size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int fails = harness_failed_checks;
		char b[64];

		CHECK_EQ_INT(tui_key_action(ks[i].k, ctx, b, sizeof(b)),
			     ks[i].act);
		if (ks[i].text)
			CHECK_EQ_STR(b, ks[i].text);
		if (harness_failed_checks != fails)
			fprintf(stderr, "  ... for key %d ('%c')\n", ks[i].k,
				ks[i].k > ' ' && ks[i].k < 127 ? ks[i].k : '?');
	}
}

#define CHECK_KEYS(ctx, ks) check_keys(ctx, ks, sizeof(ks) / sizeof(ks[0]))

static void test_keys(void)
{
	static const struct keystep on_calls[] = {
	    {'a', TUI_ACT_CMD, "answer 2"}, {'r', TUI_ACT_CMD, "reject 2"},
	    {'h', TUI_ACT_CMD, "hangup 1"}, {'H', TUI_ACT_CMD, "hold 1"},
	    {'m', TUI_ACT_CMD, "mute 1"},   {'5', TUI_ACT_CMD, "dtmf 5 1"},
	    {'#', TUI_ACT_CMD, "dtmf # 1"},
	};
	/* toggles follow the call's state */
	static const struct keystep on_held[] = {
	    {'H', TUI_ACT_CMD, "resume 1"},
	    {'m', TUI_ACT_CMD, "unmute 1"},
	    {'R', TUI_ACT_CMD, "resume 1"},
	    {'M', TUI_ACT_CMD, "unmute 1"},
	    {'7', TUI_ACT_MSG, "DTMF needs an active call"},
	};
	/* the far end holds us: H puts the call on hold here as well */
	static const struct keystep held_there[] = {
	    {'H', TUI_ACT_CMD, "hold 1"},
	    {'7', TUI_ACT_MSG, "DTMF needs an active call"},
	};
	/* without a selection keys act on the newest call */
	static const struct keystep unselected[] = {
	    {'h', TUI_ACT_CMD, "hangup 2"},
	};
	static const struct keystep no_calls[] = {
	    {'a', TUI_ACT_MSG, "no incoming call"},
	    {'h', TUI_ACT_MSG, "no call"},
	    {'5', TUI_ACT_MSG, NULL},
	    {'q', TUI_ACT_QUIT_ARM, NULL}, /* quitting takes two q */
	};
	static const struct keystep quit_armed[] = {
	    {'q', TUI_ACT_QUIT, NULL},
	    {':', TUI_ACT_CMDLINE, NULL},
	    {'?', TUI_ACT_HELP, NULL},
	    {'T', TUI_ACT_TRACE, NULL},
	    {'d', TUI_ACT_CMDLINE, "dial "},
	    {'t', TUI_ACT_CMDLINE, "transfer "},
	    {TUI_CTRL('c'), TUI_ACT_MSG, "press q twice to quit"},
	    {TUI_KEY_PGUP, TUI_ACT_SCROLL_UP, NULL},
	    {'z', TUI_ACT_NONE, ""},
	};
	struct phone_call_info v[2] = {calls[0], calls[1]};
	struct tui_keyctx ctx = {.calls = v, .ncalls = 2, .selected = 1};

	CHECK_KEYS(&ctx, on_calls);
	v[0].held = true;
	v[0].state = "held";
	CHECK_KEYS(&ctx, held_there);
	v[0].held_here = true;
	v[0].muted = true;
	CHECK_KEYS(&ctx, on_held);
	ctx.selected = 0;
	CHECK_KEYS(&ctx, unselected);
	ctx.ncalls = 0;
	CHECK_KEYS(&ctx, no_calls);
	ctx.quit_armed = true;
	CHECK_KEYS(&ctx, quit_armed);
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
