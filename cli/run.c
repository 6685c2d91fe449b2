/* run.c: `phonebox` without a subcommand: the phone, in the TUI or script
 * mode. A terminal gets the TUI; anything else (or --script) gets script
 * mode. Quitting (`quit`, end of input, SIGINT/SIGTERM) hangs up every
 * call and unregisters before the process exits; a second signal exits
 * at once.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/loop.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/opts.h"
#include "cli/script.h"
#include "cli/tui.h"

struct app {
	struct loop *loop;     /**< the event loop        */
	struct phone *phone;   /**< the phone core        */
	struct script *script; /**< script mode, or NULL  */
	struct tui *tui;       /**< the TUI, or NULL      */
	bool quitting;	       /**< shutdown started      */
	bool done;	       /**< shutdown finished     */
};

void cli_run_usage(FILE *f)
{
	fprintf(
	    f, "usage: phonebox [OPTIONS]          the phone (terminal UI on "
	       "a tty,\n"
	       "                                   script mode otherwise)\n"
	       "       phonebox call URI [OPTIONS] one call; see phonebox "
	       "call --help\n"
	       "       phonebox SUBCOMMAND [ARGS]  see below\n"
	       "\n"
	       "options:\n"
	       "  --config DIR       config folder (default "
	       "$XDG_CONFIG_HOME/phonebox\n"
	       "                     or ~/.config/phonebox; made with "
	       "commented templates)\n"
	       "  --script           commands on stdin, JSON events on stdout\n"
	       "  --listen SPEC      udp:IP:PORT, tcp:IP:PORT or tls:IP:PORT, "
	       "IPv6 in\n"
	       "                     brackets (udp:[::1]:5060); repeatable; "
	       "PORT 0 = any\n"
	       "                     free port (default: all three on 0.0.0.0 "
	       "and [::])\n"
	       "  --auto-answer [S]  answer incoming calls after S seconds "
	       "(default 0)\n"
	       "  --play FILE        play this WAV file into every call\n"
	       "  --record FILE      record every call to this WAV file "
	       "(call N>1:\n"
	       "                     FILE-N.wav)\n"
	       "  --audio null|portaudio  sound card (default) or none\n"
	       "  --sip-trace        show every SIP message (keys redacted)\n"
	       "  --help, --version\n"
	       "\n"
	       "script-mode commands (also :commands in the terminal UI):\n");
	for (const struct cmd *c = cmd_table; c->name; c++)
		fprintf(f, "  %s %s%*s%s\n", c->name, c->args,
			(int)(24 - strlen(c->name) - strlen(c->args)), "",
			c->help);
	fprintf(f, "\nsubcommands:\n");
	for (const struct cli_subcmd *c = cli_subcmds; c->name; c++)
		fprintf(f, "  phonebox %s\n", c->usage);
}

static void ev_h(const struct phone_event *ev, void *arg)
{
	struct app *a = arg;
	if (a->tui) {
		tui_event(a->tui, ev);
		return;
	}
	script_event(a->script, ev);
}

static void shut_done(void *arg)
{
	struct app *a = arg;
	a->done = true;
	loop_stop(a->loop);
}

static void app_quit(void *arg)
{
	struct app *a = arg;
	if (a->quitting) {
		/* asked twice: leave now */
		shut_done(a);
		return;
	}
	a->quitting = true;
	phone_shutdown(a->phone, shut_done, a);
}

static void sig_h(int sig, void *arg)
{
	(void)sig;
	app_quit(arg);
}

static int add_accounts(struct app *a, const struct cli_setup *su)
{
	char err[256];
	for (size_t i = 0; su->acc && i < su->acc->n; i++) {
		if (phone_account_add(a->phone, &su->acc->v[i], err,
				      sizeof(err))) {
			fprintf(stderr, "phonebox: %s: account '%s': %s\n",
				su->acc_path, su->acc->v[i].name, err);
			return 1;
		}
	}
	return 0;
}

/* Log lines go to the TUI's log pane: stderr would tear the screen. */
static void tui_log_h(enum log_level lvl, const char *tag, const char *msg,
		      void *arg)
{
	static const char *const lv[] = {"debug", "info", "warn", "error", ""};
	struct app *a = arg;
	char line[512];
	snprintf(line, sizeof(line), "%s %s: %s",
		 lvl <= LOG_LVL_NONE ? lv[lvl] : "", tag ? tag : "", msg);
	tui_log(a->tui, line);
}

/* Start the front end; @return 0 or 1 after a message. */
static int start_ui(struct app *a, bool script)
{
	if (!script) {
		int e = tui_alloc(&a->tui, a->loop, a->phone);
		if (!e) {
			/* :quit hangs up and unregisters with the UI up */
			tui_set_quit(a->tui, app_quit, a);
			log_set_handler(tui_log_h, a);
			return 0;
		}
		fprintf(stderr,
			"phonebox: no terminal UI (%s); using script "
			"mode\n",
			strerror(e));
	}
	int e = script_alloc(&a->script, a->loop, a->phone, STDIN_FILENO,
			     stdout, app_quit, a);
	if (e) {
		fprintf(stderr, "phonebox: cannot read commands: %s\n",
			strerror(e));
		return 1;
	}
	script_ready(a->script);
	return 0;
}

static int run_phone(const struct cli_opts *o, struct cli_setup *su)
{
	struct app a = {0};
	struct cli_signals *sig = NULL;
	char err[256] = "";
	int st = 1;

	if (loop_alloc(&a.loop)) {
		fprintf(stderr, "phonebox: out of memory\n");
		return 1;
	}
	if (phone_alloc(&a.phone, a.loop, &su->cfg.opts, ev_h, &a, err,
			sizeof(err))) {
		fprintf(stderr, "phonebox: %s\n", err);
		goto out;
	}
	if (add_accounts(&a, su))
		goto out;
	sig = cli_signals_open(a.loop, sig_h, &a);
	bool script =
	    o->script || !isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO);
	if (start_ui(&a, script))
		goto out;
	/* runs until shutdown is done, or until the TUI stops the loop */
	if (!a.done)
		loop_run(a.loop);
	if (!a.quitting) {
		/* the TUI stopped the loop: hang up and unregister first */
		a.quitting = true;
		phone_shutdown(a.phone, shut_done, &a);
	}
	while (!a.done && !loop_poll(a.loop, -1))
		;
	st = 0;
out:
	if (a.tui)
		log_set_handler(NULL, NULL);
	a.tui = tui_free(a.tui);
	a.script = script_free(a.script);
	cli_signals_close(sig);
	a.phone = phone_free(a.phone);
	obj_deref(a.loop);
	return st;
}

int cli_run(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_setup su;
	char err[512];

	if (cli_opts_parse(&o, argc, argv, CLI_OPT_PHONE, err, sizeof(err))) {
		fprintf(stderr, "phonebox: %s (try phonebox --help)\n", err);
		return 1;
	}
	if (o.help) {
		cli_run_usage(stdout);
		return 0;
	}
	if (o.version)
		return cli_version(argc, argv);
	if (cli_setup_load(&su, &o, err, sizeof(err))) {
		fprintf(stderr, "phonebox: %s\n", err);
		cli_setup_close(&su);
		return 1;
	}
	int st = run_phone(&o, &su);
	cli_setup_close(&su);
	return st;
}
