/* test_cmd.c: the command table: parsing, usage errors, listings, quit. */
#include <errno.h>

#include "base/loop.h"
#include "cli/cmd.h"
#include "harness.h"
#include "mock/testphone.h"

struct rows {
	unsigned n;	 /**< rows seen          */
	char kind[32];	 /**< last row's kind    */
	char text[256];	 /**< last row's text    */
	char field0[64]; /**< last row's first string field */
	unsigned quits;	 /**< quith calls        */
};

static void out_h(const char *kind, const struct cmd_field *f, size_t n,
		  const char *text, void *arg)
{
	struct rows *r = arg;
	r->n++;
	snprintf(r->kind, sizeof(r->kind), "%s", kind);
	snprintf(r->text, sizeof(r->text), "%s", text);
	r->field0[0] = '\0';
	if (n && f[0].type == CMD_F_STR && f[0].str)
		snprintf(r->field0, sizeof(r->field0), "%s", f[0].str);
}

static void quit_h(void *arg)
{
	struct rows *r = arg;
	r->quits++;
}

struct fx {
	struct loop *loop;
	struct phone *phone;
	struct rows rows;
	struct cmd_ctx ctx;
};

static void ev_h(const struct phone_event *ev, void *arg)
{
	(void)ev;
	(void)arg;
}

static bool fx_open(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	if (loop_alloc(&f->loop) ||
	    testphone_alloc(&f->phone, f->loop, ev_h, NULL))
		return false;
	f->ctx = (struct cmd_ctx){f->phone, f->loop, out_h, quit_h, &f->rows};
	return true;
}

static void fx_close(struct fx *f)
{
	f->phone = phone_free(f->phone);
	/* let the phone's deferred frees run */
	for (int i = 0; i < 10; i++)
		loop_poll(f->loop, 0);
	f->loop = obj_deref(f->loop);
}

static int run(struct fx *f, const char *line, char *err, size_t n)
{
	return cmd_exec(&f->ctx, line, err, n);
}

static void test_table_and_lookup(void)
{
	static const char *const names[] = {
	    "dial",   "answer",	  "reject",  "hangup", "hold",
	    "resume", "transfer", "dtmf",    "mute",   "unmute",
	    "calls",  "accounts", "devices", "help",   "quit"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct cmd *c = cmd_find(names[i], strlen(names[i]));
		REQUIRE(c);
		CHECK_EQ_STR(c->name, names[i]);
		CHECK(c->help && c->help[0]);
		CHECK(c->run != NULL);
	}
	CHECK(cmd_find("DIAL", 4) == cmd_find("dial", 4));
	CHECK(cmd_find("dia", 3) == NULL);
	CHECK(cmd_by_key('a') == cmd_find("answer", 6));
	CHECK(cmd_by_key(0) == NULL);
	/* keys are unique */
	for (const struct cmd *a = cmd_table; a->name; a++)
		for (const struct cmd *b = a + 1; b->name; b++)
			CHECK(!a->key || a->key != b->key);
}

/* a command line, what cmd_exec() returns and its message (NULL: not
   checked) */
struct cmd_case {
	const char *line;
	int ret;
	const char *err;
};

static void check_cases(struct fx *f, const struct cmd_case *tv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int fails = harness_failed_checks;
		char err[256] = "";

		CHECK_EQ_INT(run(f, tv[i].line, err, sizeof(err)), tv[i].ret);
		if (tv[i].err)
			CHECK_EQ_STR(err, tv[i].err);
		if (harness_failed_checks != fails)
			fprintf(stderr, "  ... for '%.60s'\n", tv[i].line);
	}
}

static void test_unknown_blank_and_usage(void)
{
	static const struct cmd_case tv[] = {
	    {"frobnicate 1", ENOENT, "unknown command 'frobnicate' (try help)"},
	    {"   ", 0, NULL},
	    {":", 0, NULL},
	    {"dial", EINVAL, "usage: dial URI [ACCOUNT]"},
	    {":answer x", EINVAL, "usage: answer [N]"},
	    {"hangup 1 2", EINVAL, "usage: hangup [N]"},
	    {"hold 0", EINVAL, "usage: hold [N]"},
	    {"transfer", EINVAL, "usage: transfer URI [N]"},
	    {"dtmf 12x4", EINVAL, "bad DTMF digit 'x' (use 0-9, *, #, A-D)"},
	    {"dtmf", EINVAL, "usage: dtmf DIGITS [N]"},
	    {"calls now", EINVAL, "usage: calls "},
	    {"quit now", EINVAL, NULL},
	};
	struct fx f;
	char longl[2000], err[256];

	REQUIRE(fx_open(&f));
	check_cases(&f, tv, sizeof(tv) / sizeof(tv[0]));
	CHECK_EQ_INT(f.rows.quits, 0);

	memset(longl, 'a', sizeof(longl) - 1);
	longl[sizeof(longl) - 1] = '\0';
	CHECK_EQ_INT(run(&f, longl, err, sizeof(err)), EINVAL);
	CHECK_EQ_STR(err, "command too long (at most 1023 bytes)");
	fx_close(&f);
}

/* Call commands with no call reach the phone and report its reason. */
static void test_no_call_errors_come_from_the_phone(void)
{
	struct fx f;
	char err[256];
	REQUIRE(fx_open(&f));
	static const char *const lines[] = {
	    "answer", "hangup 3", "hold",    "resume 1",
	    "mute",   "unmute",	  "dtmf 1#", "transfer sip:x@h"};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		int e = run(&f, lines[i], err, sizeof(err));
		CHECK(e == ENOENT || e == EPROTO);
		CHECK(err[0] != '\0');
	}
	CHECK_EQ_INT(run(&f, "reject", err, sizeof(err)), EPROTO);
	CHECK_EQ_STR(err, "no incoming call to reject");
	CHECK_EQ_INT(run(&f, "reject 2", err, sizeof(err)), EPROTO);
	CHECK_EQ_STR(err, "call 2 is not ringing here");
	fx_close(&f);
}

static void test_listings_and_quit(void)
{
	struct fx f;
	char err[256];
	REQUIRE(fx_open(&f));

	CHECK_EQ_INT(run(&f, "help", err, sizeof(err)), 0);
	unsigned n = 0;
	for (const struct cmd *c = cmd_table; c->name; c++)
		n++;
	CHECK_EQ_INT(f.rows.n, n);
	CHECK_EQ_STR(f.rows.kind, "help");
	CHECK_EQ_STR(f.rows.field0, "quit");

	f.rows.n = 0;
	CHECK_EQ_INT(run(&f, "help dial", err, sizeof(err)), 0);
	CHECK_EQ_INT(f.rows.n, 1);
	CHECK(strstr(f.rows.text, "dial URI [ACCOUNT]") == f.rows.text);
	CHECK(strstr(f.rows.text, "(key d)") != NULL);

	f.rows.n = 0;
	CHECK_EQ_INT(run(&f, "calls", err, sizeof(err)), 0);
	CHECK_EQ_INT(f.rows.n, 1);
	CHECK_EQ_STR(f.rows.kind, "info");
	CHECK_EQ_STR(f.rows.text, "no calls");

	f.rows.n = 0;
	CHECK_EQ_INT(run(&f, "accounts", err, sizeof(err)), 0);
	CHECK_EQ_STR(f.rows.kind, "info");

	struct phone_account a;
	phone_account_default(&a);
	snprintf(a.name, sizeof(a.name), "lab");
	snprintf(a.aor, sizeof(a.aor), "sip:lab@127.0.0.1");
	snprintf(a.registrar, sizeof(a.registrar), "none");
	REQUIRE(!phone_account_add(f.phone, &a, err, sizeof(err)));
	f.rows.n = 0;
	CHECK_EQ_INT(run(&f, "accounts", err, sizeof(err)), 0);
	CHECK_EQ_INT(f.rows.n, 1);
	CHECK_EQ_STR(f.rows.kind, "account");
	CHECK_EQ_STR(f.rows.field0, "lab");
	CHECK(strstr(f.rows.text, "lab <sip:lab@127.0.0.1>") == f.rows.text);

	/* dial through an account, named in any case; an unknown one fails */
	CHECK_EQ_INT(run(&f, "dial sip:x@127.0.0.1:9 nosuch", err, sizeof(err)),
		     ENOENT);
	CHECK(err[0] != '\0');
	CHECK_EQ_INT(run(&f, "dial sip:x@127.0.0.1:9 LAB", err, sizeof(err)),
		     0);
	f.rows.n = 0;
	CHECK_EQ_INT(run(&f, "calls", err, sizeof(err)), 0);
	CHECK_EQ_INT(f.rows.n, 1);
	CHECK_EQ_STR(f.rows.kind, "call");
	CHECK(strstr(f.rows.text, "1 to sip:x@127.0.0.1:9 ") == f.rows.text);
	CHECK_EQ_INT(run(&f, "hangup", err, sizeof(err)), 0);

	CHECK_EQ_INT(run(&f, "  :QUIT  ", err, sizeof(err)), 0);
	CHECK_EQ_INT(f.rows.quits, 1);
	fx_close(&f);
}

static void quit_tmr_h(void *arg)
{
	struct fx *f = arg;
	char err[64];
	CHECK_EQ_INT(run(f, "quit", err, sizeof(err)), 0);
}

/* Without a quit handler, quit stops the loop it runs in. */
static void test_quit_stops_loop(void)
{
	struct fx f;
	struct tmr t = {0};
	REQUIRE(fx_open(&f));
	f.ctx.quith = NULL;
	tmr_start(f.loop, &t, 10, quit_tmr_h, &f);
	CHECK_EQ_INT(loop_run(f.loop), 0);
	CHECK(!tmr_isrunning(&t));
	fx_close(&f);
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_table_and_lookup);
	RUN(test_unknown_blank_and_usage);
	RUN(test_no_call_errors_come_from_the_phone);
	RUN(test_listings_and_quit);
	RUN(test_quit_stops_loop);
	return harness_done();
}
