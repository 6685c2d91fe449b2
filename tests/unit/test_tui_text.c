/* test_tui_text.c: the exact text of the TUI's status line, call list,
 * incoming-call prompt, event log lines and help. */
#include <stdio.h>
#include <string.h>

#include "cli/tui_int.h"
#include "harness.h"

static const struct phone_call_info bob_srtp = {
    .id = 1,
    .peer = "sip:bob@127.0.0.1:5070",
    .display = "Bob",
    .state = "active",
    .duration = 65,
    .codec = "PCMU",
    .suite = "AES_CM_128_HMAC_SHA1_80",
};

static void test_duration(void)
{
	char b[32];

	tui_fmt_duration(b, sizeof(b), 0);
	CHECK_EQ_STR(b, "0:00");
	tui_fmt_duration(b, sizeof(b), 65);
	CHECK_EQ_STR(b, "1:05");
	tui_fmt_duration(b, sizeof(b), 3599);
	CHECK_EQ_STR(b, "59:59");
	tui_fmt_duration(b, sizeof(b), 3723);
	CHECK_EQ_STR(b, "1:02:03");
}

static void test_media(void)
{
	char b[64];

	tui_fmt_media(b, sizeof(b), "PCMU", "AES_CM_128_HMAC_SHA1_80");
	CHECK_EQ_STR(b, "SRTP AES_CM_128_HMAC_SHA1_80");
	tui_fmt_media(b, sizeof(b), "opus", NULL);
	CHECK_EQ_STR(b, "plain RTP");
	tui_fmt_media(b, sizeof(b), NULL, NULL);
	CHECK_EQ_STR(b, "-");
}

static void test_status_line(void)
{
	const struct phone_account_info v[] = {
	    {.name = "alice", .state = "registered"},
	    {.name = "work", .state = "failed", .reason = "403 Forbidden"},
	};
	char b[256];

	tui_fmt_status(b, sizeof(b), 100, v, 2);
	CHECK_EQ_STR(b, "phonebox  alice: registered  work: failed "
			"(403 Forbidden)");
	tui_fmt_status(b, sizeof(b), 30, v, 2);
	CHECK_EQ_STR(b, "phonebox  alice: registered  w");
	tui_fmt_status(b, sizeof(b), 100, NULL, 0);
	CHECK_EQ_STR(b, "phonebox  no accounts (direct calls only)");
}

static void test_call_list(void)
{
	const struct phone_call_info in = {
	    .id = 2,
	    .incoming = true,
	    .peer = "sip:carol@example.com",
	    .state = "incoming",
	};
	const struct phone_call_info held = {
	    .id = 3,
	    .peer = "sip:dave@h",
	    .display = "",
	    .state = "held",
	    .duration = 3723,
	    .codec = "opus",
	    .muted = true,
	    .held = true,
	};
	const struct phone_call_info early = {
	    .id = 4,
	    .peer = "sip:eve@h",
	    .state = "early",
	    .codec = "PCMA",
	};
	char b[512];

	/* early media: codec and media known, no duration before answer */
	tui_fmt_call(b, sizeof(b), 100, &early);
	CHECK_EQ_STR(b, "  4 out sip:eve@h                           early  "
			"      -       PCMA   plain RTP");
	tui_fmt_call_header(b, sizeof(b), 100);
	CHECK_EQ_STR(b, "  # dir peer                                state  "
			"      time    codec  media");
	tui_fmt_call(b, sizeof(b), 100, &bob_srtp);
	CHECK_EQ_STR(b, "  1 out Bob <sip:bob@127.0.0.1:5070>        active "
			"      1:05    PCMU   SRTP AES_CM_128_HMAC_SHA1_80");
	tui_fmt_call(b, sizeof(b), 100, &in);
	CHECK_EQ_STR(b, "  2 in  sip:carol@example.com               incoming"
			"     -       -      -");
	tui_fmt_call(b, sizeof(b), 100, &held);
	CHECK_EQ_STR(b, "  3 out sip:dave@h                          held "
			"muted   1:02:03 opus   plain RTP");
}

static void test_call_line_narrow(void)
{
	const struct phone_call_info c = {
	    .id = 12,
	    .peer = "sip:a-very-long-user-name@pbx.example.com",
	    .state = "ringing",
	};
	char b[512];

	/* the peer column keeps 20 columns and shows the cut with '~' */
	tui_fmt_call(b, sizeof(b), 60, &c);
	CHECK_EQ_STR(b, " 12 out sip:a-very-long-use~ ringing      -       -"
			"      -");
	tui_fmt_call(b, sizeof(b), 30, &c);
	CHECK_EQ_STR(b, " 12 out sip:a-very-long-use~ r");
	CHECK_EQ_INT(tui_cols(b), 30);
}

static void test_prompt(void)
{
	struct phone_call_info v[3] = {
	    bob_srtp,
	    {.id = 4,
	     .incoming = true,
	     .peer = "sip:bob@h",
	     .display = "Bob",
	     .state = "incoming"},
	    {.id = 5,
	     .incoming = true,
	     .peer = "sip:eve@h",
	     .state = "incoming"},
	};
	char b[256];

	CHECK_EQ_INT(tui_fmt_prompt(b, sizeof(b), 100, v, 1), 0);
	CHECK_EQ_STR(b, "");
	CHECK_EQ_INT(tui_fmt_prompt(b, sizeof(b), 100, v, 2), 4);
	CHECK_EQ_STR(b,
		     "Incoming call from Bob <sip:bob@h>  [a]nswer [r]eject");
	CHECK_EQ_INT(tui_fmt_prompt(b, sizeof(b), 100, v, 3), 4);
	CHECK_EQ_STR(b, "Incoming call from Bob <sip:bob@h>  [a]nswer [r]eject"
			"  (1 more waiting)");
	/* once answered it is no longer prompted */
	v[1].state = "active";
	CHECK_EQ_INT(tui_fmt_prompt(b, sizeof(b), 100, v, 3), 5);
	CHECK_EQ_STR(b, "Incoming call from sip:eve@h  [a]nswer [r]eject");
}

static void test_hostile_display_name(void)
{
	const struct phone_call_info c = {
	    .id = 7,
	    .incoming = true,
	    .peer = "sip:x@h",
	    .display = "Ev\x1b[2Je\r\n\x7f",
	    .state = "incoming",
	};
	char b[256];

	/* escape sequences and control bytes cannot reach the terminal */
	CHECK_EQ_INT(tui_fmt_prompt(b, sizeof(b), 100, &c, 1), 7);
	CHECK_EQ_STR(b, "Incoming call from Ev?[2Je??? <sip:x@h>  [a]nswer "
			"[r]eject");
	/* invalid UTF-8 and C1 controls too; valid UTF-8 stays */
	CHECK_EQ_INT(tui_clean(b, sizeof(b),
			       "J\xc3\xb8rn \xff\xc0\xaf "
			       "\xc2\x9b!",
			       80),
		     11);
	CHECK_EQ_STR(b, "J\xc3\xb8rn ??? ?!");
}

/* what the log line says for each kind of event */
static void test_events(void)
{
	static const struct {
		struct phone_event ev;
		const char *want;
	} tv[] = {
	    {{.kind = PHONE_EV_REGISTERED, .account = "alice", .expires = 3600},
	     "alice: registered (expires in 3600 s)"},
	    {{.kind = PHONE_EV_REG_FAILED,
	      .account = "alice",
	      .scode = 403,
	      .reason = "Forbidden"},
	     "alice: registration failed (403 Forbidden)"},
	    {{.kind = PHONE_EV_INCOMING,
	      .call = 2,
	      .peer = "sip:bob@h",
	      .display = "Bob"},
	     "call 2: incoming call from Bob <sip:bob@h>"},
	    {{.kind = PHONE_EV_CALLING,
	      .call = 1,
	      .peer = "sip:x@127.0.0.1:5070"},
	     "call 1: calling sip:x@127.0.0.1:5070"},
	    {{.kind = PHONE_EV_RINGING,
	      .call = 1,
	      .scode = 180,
	      .reason = "Ringing"},
	     "call 1: ringing (180 Ringing)"},
	    {{.kind = PHONE_EV_FORWARDED,
	      .call = 1,
	      .fwd_from = "userb",
	      .fwd_to = "userc"},
	     "call 1: userb forwarded to userc"},
	    {{.kind = PHONE_EV_FORWARDED, .call = 1},
	     "call 1: call is being forwarded"},
	    {{.kind = PHONE_EV_REDIRECTED,
	      .call = 1,
	      .target = "sip:carol@h",
	      .scode = 302,
	      .reason = "Moved Temporarily"},
	     "call 1: redirected to sip:carol@h (302 Moved Temporarily)"},
	    {{.kind = PHONE_EV_ANSWERED,
	      .call = 1,
	      .codec = "G722",
	      .suite = "AEAD_AES_128_GCM"},
	     "call 1: answered, G722, SRTP AEAD_AES_128_GCM"},
	    {{.kind = PHONE_EV_ANSWERED, .call = 1, .codec = "PCMU"},
	     "call 1: answered, PCMU, plain RTP"},
	    {{.kind = PHONE_EV_HOLD, .call = 1, .reason = "remote"},
	     "call 1: put on hold by the peer"},
	    {{.kind = PHONE_EV_HOLD, .call = 1, .reason = "local"},
	     "call 1: on hold"},
	    {{.kind = PHONE_EV_DTMF, .call = 1, .digit = '#'},
	     "call 1: DTMF # received"},
	    {{.kind = PHONE_EV_TRANSFER,
	      .call = 1,
	      .target = "sip:c@h",
	      .scode = 202,
	      .reason = "Accepted"},
	     "call 1: transfer to sip:c@h (202 Accepted)"},
	    {{.kind = PHONE_EV_ENDED,
	      .call = 1,
	      .cause = "busy",
	      .scode = 486,
	      .reason = "Busy Here"},
	     "call 1: ended, busy (486 Busy Here)"},
	    {{.kind = PHONE_EV_ENDED, .call = 3, .cause = "remote"},
	     "call 3: ended, remote"},
	    {{.kind = PHONE_EV_ENDED,
	      .call = 1,
	      .cause = "local",
	      .scode = 200,
	      .reason = "hung up"},
	     "call 1: ended, local"},
	};
	char b[512];

	for (size_t i = 0; i < sizeof(tv) / sizeof(tv[0]); i++) {
		tui_fmt_event(b, sizeof(b), &tv[i].ev);
		CHECK_EQ_STR(b, tv[i].want);
	}
}

static int dummy_run(const struct cmd_ctx *ctx, const char *args, char *err,
		     size_t errlen)
{
	(void)ctx, (void)args, (void)err, (void)errlen;
	return 0;
}

static void test_help(void)
{
	const struct cmd table[] = {
	    {"dial", "URI [ACCOUNT]", "call URI", 0, dummy_run},
	    {"hangup", "[N]", "end call N", 'h', dummy_run},
	    {NULL, NULL, NULL, 0, NULL},
	};
	char b[256];
	size_t i = 0, n;

	CHECK(tui_help_line(b, sizeof(b), 80, table, 0));
	CHECK_EQ_STR(b, "Keys:");
	while (tui_help_line(b, sizeof(b), 80, table, i) &&
	       strcmp(b, "Commands:"))
		i++;
	CHECK(tui_help_line(b, sizeof(b), 80, table, i + 1));
	CHECK_EQ_STR(b, "  :dial URI [ACCOUNT]        call URI");
	CHECK(tui_help_line(b, sizeof(b), 80, table, i + 2));
	CHECK_EQ_STR(b, "  :hangup [N]                end call N");
	CHECK(tui_help_line(b, sizeof(b), 80, table, i + 3));
	CHECK_EQ_STR(b, "  :quit                      leave phonebox");
	CHECK(!tui_help_line(b, sizeof(b), 80, table, i + 4));
	/* lines are cut to the width */
	for (n = 0; tui_help_line(b, sizeof(b), 20, table, n); n++)
		CHECK(tui_cols(b) <= 20);
	CHECK_EQ_INT(n, i + 4);
}

int main(void)
{
	harness_watchdog(20);
	RUN(test_duration);
	RUN(test_media);
	RUN(test_status_line);
	RUN(test_call_list);
	RUN(test_call_line_narrow);
	RUN(test_prompt);
	RUN(test_hostile_display_name);
	RUN(test_events);
	RUN(test_help);
	return harness_done();
}
