/* test_xfer_cmd.c: the attended-transfer command "xfer N [to] M" (usage
 * errors, the phone's reasons, help row) and the terminal UI's x key. */
#include <errno.h>
#include <string.h>

#include "base/loop.h"
#include "cli/cmd.h"
#include "cli/tui_int.h"
#include "harness.h"

struct rows {
	unsigned n;
	char text[256];
};

static void out_h(const char *kind, const struct cmd_field *f, size_t n,
		  const char *text, void *arg)
{
	struct rows *r = arg;

	(void)kind;
	(void)f;
	(void)n;
	r->n++;
	snprintf(r->text, sizeof(r->text), "%s", text);
}

static void ev_h(const struct phone_event *ev, void *arg)
{
	(void)ev;
	(void)arg;
}

static void test_xfer_command(void)
{
	struct phone_opts o;
	struct loop *loop = NULL;
	struct phone *p = NULL;
	struct rows rows = {0, ""};
	struct cmd_ctx ctx;
	char err[256];
	static const char *const bad[] = {
	    "xfer",	  "xfer 1",   "xfer 1 to",    "xfer x 2",
	    "xfer 1 2 3", "xfer 0 2", "xfer 1 to to", "xfer 1 sip:c@h",
	};

	phone_opts_default(&o);
	o.listen[0] = "udp:127.0.0.1:0";
	o.nlisten = 1;
	o.audio = AUDEV_NULL;
	REQUIRE(!loop_alloc(&loop));
	REQUIRE(!phone_alloc(&p, loop, &o, ev_h, NULL, err, sizeof(err)));
	ctx = (struct cmd_ctx){p, loop, out_h, NULL, &rows};

	CHECK(cmd_find("xfer", 4) != NULL);
	CHECK(cmd_by_key('x') == cmd_find("xfer", 4));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ_INT(cmd_exec(&ctx, bad[i], err, sizeof(err)), EINVAL);
		CHECK_EQ_STR(err, "usage: xfer N [to] M");
	}
	/* well formed: the phone says what is missing */
	CHECK_EQ_INT(cmd_exec(&ctx, "xfer 1 2", err, sizeof(err)), ENOENT);
	CHECK_EQ_STR(err, "no call 1");
	CHECK_EQ_INT(cmd_exec(&ctx, "XFER 3 to 4", err, sizeof(err)), ENOENT);
	CHECK_EQ_STR(err, "no call 3");
	CHECK_EQ_INT(phone_transfer_attended(p, 0, 2), EINVAL);
	CHECK_EQ_INT(phone_transfer_attended(NULL, 1, 2), EINVAL);
	/* help lists it with its key */
	CHECK_EQ_INT(cmd_exec(&ctx, "help xfer", err, sizeof(err)), 0);
	CHECK_EQ_INT(rows.n, 1);
	CHECK(strstr(rows.text, "xfer N [to] M") &&
	      strstr(rows.text, "attended transfer") &&
	      strstr(rows.text, "(key x)"));

	p = phone_free(p);
	for (int i = 0; i < 10; i++)
		loop_poll(loop, 0);
	obj_deref(loop);
}

static void test_x_key(void)
{
	struct phone_call_info v[3];
	struct tui_keyctx ctx = {.calls = v, .ncalls = 2, .selected = 1};
	char b[64];

	memset(v, 0, sizeof(v));
	v[0].id = 1;
	v[0].state = "held";
	v[1].id = 2;
	v[1].state = "active";
	v[2].id = 5;
	v[2].state = "active";
	/* the selected call goes to the other one: check, then Enter */
	CHECK_EQ_INT(tui_key_action('x', &ctx, b, sizeof(b)), TUI_ACT_CMDLINE);
	CHECK_EQ_STR(b, "xfer 1 2");
	ctx.selected = 2;
	CHECK_EQ_INT(tui_key_action('x', &ctx, b, sizeof(b)), TUI_ACT_CMDLINE);
	CHECK_EQ_STR(b, "xfer 2 1");
	/* no selection: the newest call */
	ctx.selected = 0;
	ctx.ncalls = 3;
	CHECK_EQ_INT(tui_key_action('x', &ctx, b, sizeof(b)), TUI_ACT_CMDLINE);
	CHECK_EQ_STR(b, "xfer 5 1");
	/* one call: nothing to connect it to */
	ctx.ncalls = 1;
	CHECK_EQ_INT(tui_key_action('x', &ctx, b, sizeof(b)), TUI_ACT_MSG);
	CHECK(strstr(b, "needs a second call") != NULL);
	ctx.ncalls = 0;
	CHECK_EQ_INT(tui_key_action('x', &ctx, b, sizeof(b)), TUI_ACT_MSG);
	CHECK_EQ_STR(b, "no call");
}

int main(void)
{
	harness_watchdog(20);
	RUN(test_xfer_command);
	RUN(test_x_key);
	return harness_done();
}
