/* test_cli_opts.c: command-line options and how they override the config. */
#include <errno.h>
#include <sys/stat.h>

#include "cli/opts.h"
#include "harness.h"
#include "mock/tmpdir.h"

static int parse(struct cli_opts *o, unsigned set, char *err, size_t n,
		 const char *const *args)
{
	char *argv[32];
	int argc = 0;
	argv[argc++] = (char *)"phonebox";
	while (*args && argc < 31)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	err[0] = '\0';
	return cli_opts_parse(o, argc, argv, set, err, n);
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

static void test_phone_options(void)
{
	struct cli_opts o;
	char err[256];
	REQUIRE(!parse(
	    &o, CLI_OPT_PHONE, err, sizeof(err),
	    ARGS("--config", "/c", "--script", "--listen", "udp:127.0.0.1:0",
		 "--listen=tcp:[::1]:5070", "--auto-answer", "3", "--play",
		 "a.wav", "--record=b.wav", "--audio", "null", "--sip-trace")));
	CHECK_EQ_STR(o.config, "/c");
	CHECK(o.script);
	CHECK_EQ_INT(o.nlisten, 2);
	CHECK_EQ_STR(o.listen[0], "udp:127.0.0.1:0");
	CHECK_EQ_STR(o.listen[1], "tcp:[::1]:5070");
	CHECK(o.auto_answer_set);
	CHECK_EQ_INT(o.auto_answer, 3);
	CHECK_EQ_STR(o.play, "a.wav");
	CHECK_EQ_STR(o.record, "b.wav");
	CHECK_EQ_INT(o.audio, AUDEV_NULL);
	CHECK(o.sip_trace);

	/* --auto-answer without a number means 0 and leaves the next option */
	REQUIRE(!parse(&o, CLI_OPT_PHONE, err, sizeof(err),
		       ARGS("--auto-answer", "--audio", "portaudio")));
	CHECK(o.auto_answer_set);
	CHECK_EQ_INT(o.auto_answer, 0);
	CHECK_EQ_INT(o.audio, AUDEV_PORTAUDIO);
	REQUIRE(!parse(&o, CLI_OPT_PHONE, err, sizeof(err),
		       ARGS("--auto-answer=2")));
	CHECK_EQ_INT(o.auto_answer, 2);
}

static void test_call_options(void)
{
	struct cli_opts o;
	char err[256];
	REQUIRE(!parse(&o, CLI_OPT_CALL, err, sizeof(err),
		       ARGS("sip:bob@127.0.0.1:5070", "--account", "Alice",
			    "--dtmf", "12*#A", "--hangup-after", "2.5",
			    "--timeout", "9", "--json")));
	CHECK_EQ_STR(o.target, "sip:bob@127.0.0.1:5070");
	CHECK_EQ_STR(o.account, "Alice");
	CHECK_EQ_STR(o.dtmf, "12*#A");
	CHECK(o.hangup_after > 2.49 && o.hangup_after < 2.51);
	CHECK(o.timeout > 8.9 && o.timeout < 9.1);
	CHECK(o.json);
	/* defaults */
	REQUIRE(!parse(&o, CLI_OPT_CALL, err, sizeof(err), ARGS("sip:x@h")));
	CHECK(o.hangup_after < 0);
	CHECK(o.timeout > 59.9 && o.timeout < 60.1);
	CHECK_EQ_INT(o.audio, -1);
}

static void test_errors(void)
{
	const struct {
		unsigned set;
		const char *const *args;
		const char *err;
	} cases[] = {
	    {CLI_OPT_PHONE, ARGS("--frob"), "unknown option '--frob'"},
	    {CLI_OPT_PHONE, ARGS("--dtmf", "1"), "unknown option '--dtmf'"},
	    {CLI_OPT_CALL, ARGS("sip:x@h", "--script"),
	     "unknown option '--script'"},
	    {CLI_OPT_PHONE, ARGS("--listen"), "--listen needs a value"},
	    {CLI_OPT_PHONE, ARGS("--script=yes"), "--script takes no value"},
	    {CLI_OPT_PHONE, ARGS("--audio", "alsa"),
	     "--audio: unknown 'alsa' (use null or portaudio)"},
	    {CLI_OPT_PHONE, ARGS("stray"), "unexpected argument 'stray'"},
	    {CLI_OPT_PHONE, ARGS("--auto-answer=soon"),
	     "--auto-answer: 'soon' is not a number of seconds (0 to "
	     "86400)"},
	    {CLI_OPT_CALL, ARGS("sip:x@h", "--timeout", "-1"),
	     "--timeout: '-1' is not a number of seconds (0 to 86400)"},
	    {CLI_OPT_CALL, ARGS("sip:x@h", "--hangup-after", "1e9"),
	     "--hangup-after: '1e9' is not a number of seconds (0 to "
	     "86400)"},
	    {CLI_OPT_CALL, ARGS("sip:x@h", "--dtmf", "12z"),
	     "--dtmf: '12z' has a character that is not a DTMF digit "
	     "(0-9 * # A-D)"},
	    {CLI_OPT_CALL, ARGS("--json"),
	     "which URI to call? (phonebox call URI)"},
	    {CLI_OPT_CALL, ARGS("sip:x@h", "sip:y@h"),
	     "unexpected argument 'sip:y@h'"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cli_opts o;
		char err[256];
		CHECK_EQ_INT(
		    parse(&o, cases[i].set, err, sizeof(err), cases[i].args),
		    EINVAL);
		CHECK_EQ_STR(err, cases[i].err);
	}
	struct cli_opts o;
	char err[256];
	CHECK_EQ_INT(
	    parse(&o, CLI_OPT_PHONE, err, sizeof(err),
		  ARGS("--listen", "a", "--listen", "b", "--listen", "c",
		       "--listen", "d", "--listen", "e", "--listen", "f",
		       "--listen", "g", "--listen", "h", "--listen", "i")),
	    EINVAL);
	CHECK_EQ_STR(err, "--listen: at most 8");
}

/* The command line overrides the config file; the accounts file is read. */
static void test_setup_overrides_config(void)
{
	char dir[64], p[128], err[512];
	REQUIRE(!tmpdir_make(dir, sizeof(dir), "pb_opts"));
	snprintf(p, sizeof(p), "%s/config", dir);
	FILE *f = fopen(p, "w");
	REQUIRE(f);
	fputs("listen udp:127.0.0.1:5070\naudio portaudio\nauto_answer 5\n", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/accounts", dir);
	f = fopen(p, "w");
	REQUIRE(f);
	fputs("Lab <sip:lab@127.0.0.1>;registrar=none\n", f);
	fclose(f);

	struct cli_opts o;
	struct cli_setup su;
	REQUIRE(!parse(&o, CLI_OPT_PHONE, err, sizeof(err),
		       ARGS("--config", dir, "--listen", "udp:127.0.0.1:0",
			    "--audio", "null", "--record", "r.wav")));
	REQUIRE(!cli_setup_load(&su, &o, err, sizeof(err)));
	CHECK_EQ_INT(su.cfg.opts.nlisten, 1);
	CHECK_EQ_STR(su.cfg.opts.listen[0], "udp:127.0.0.1:0");
	CHECK_EQ_INT(su.cfg.opts.audio, AUDEV_NULL);
	CHECK_EQ_INT(su.cfg.opts.auto_answer, 5);
	CHECK_EQ_STR(su.cfg.opts.record, "r.wav");
	REQUIRE(su.acc && su.acc->n == 1);
	CHECK_EQ_STR(su.acc->v[0].name, "Lab");
	cli_setup_close(&su);

	/* a broken accounts file stops the start with its line */
	f = fopen(p, "w");
	REQUIRE(f);
	fputs("Lab <sip:lab@127.0.0.1>;100rel=sometimes\n", f);
	fclose(f);
	CHECK_EQ_INT(cli_setup_load(&su, &o, err, sizeof(err)), EBADMSG);
	char want[300];
	snprintf(want, sizeof(want),
		 "%s:1: unknown 100rel 'sometimes' (use supported, required "
		 "or off)",
		 p);
	CHECK_EQ_STR(err, want);
	cli_setup_close(&su);
	tmpdir_remove(dir);
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_phone_options);
	RUN(test_call_options);
	RUN(test_errors);
	RUN(test_setup_overrides_config);
	return harness_done();
}
