/* opts.c: command-line options of `phonebox` and `phonebox call`, setup. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "audio/dev.h"
#include "base/loop.h"
#include "base/mem.h"
#include "cli/opts.h"

enum opt_arg { ARG_NONE = 0, ARG_REQ, ARG_OPT_NUM };

enum opt_id {
	O_CONFIG,
	O_SCRIPT,
	O_LISTEN,
	O_AUTO,
	O_PLAY,
	O_RECORD,
	O_AUDIO,
	O_TRACE,
	O_HELP,
	O_VERSION,
	O_ACCOUNT,
	O_DTMF,
	O_HANGUP,
	O_TIMEOUT,
	O_JSON,
};

static const struct {
	const char *name;
	enum opt_id id;
	enum opt_arg arg;
	unsigned set; /**< 0 = every command */
} opt_tab[] = {
    {"--config", O_CONFIG, ARG_REQ, 0},
    {"--script", O_SCRIPT, ARG_NONE, CLI_OPT_PHONE},
    {"--listen", O_LISTEN, ARG_REQ, 0},
    {"--auto-answer", O_AUTO, ARG_OPT_NUM, CLI_OPT_PHONE},
    {"--play", O_PLAY, ARG_REQ, 0},
    {"--record", O_RECORD, ARG_REQ, 0},
    {"--audio", O_AUDIO, ARG_REQ, 0},
    {"--sip-trace", O_TRACE, ARG_NONE, 0},
    {"--help", O_HELP, ARG_NONE, 0},
    {"-h", O_HELP, ARG_NONE, 0},
    {"--version", O_VERSION, ARG_NONE, CLI_OPT_PHONE},
    {"--account", O_ACCOUNT, ARG_REQ, CLI_OPT_CALL},
    {"--dtmf", O_DTMF, ARG_REQ, CLI_OPT_CALL},
    {"--hangup-after", O_HANGUP, ARG_REQ, CLI_OPT_CALL},
    {"--timeout", O_TIMEOUT, ARG_REQ, CLI_OPT_CALL},
    {"--json", O_JSON, ARG_NONE, CLI_OPT_CALL},
};

static bool is_number(const char *s)
{
	char *end;
	if (!s || !*s || *s == '-')
		return false;
	double v = strtod(s, &end);
	return !*end && isfinite(v);
}

/* seconds: 0 to 1 day */
static int seconds(const char *opt, const char *v, double *out, char *err,
		   size_t errlen)
{
	if (!is_number(v) || strtod(v, NULL) > 86400) {
		snprintf(err, errlen,
			 "%s: '%s' is not a number of seconds (0 to 86400)",
			 opt, v);
		return EINVAL;
	}
	*out = strtod(v, NULL);
	return 0;
}

static int set_opt(struct cli_opts *o, enum opt_id id, const char *name,
		   const char *v, char *err, size_t errlen)
{
	double d;
	switch (id) {
	case O_CONFIG:
		o->config = v;
		break;
	case O_SCRIPT:
		o->script = true;
		break;
	case O_LISTEN:
		if (o->nlisten == CONFIG_LISTEN_MAX) {
			snprintf(err, errlen, "--listen: at most %d",
				 CONFIG_LISTEN_MAX);
			return EINVAL;
		}
		o->listen[o->nlisten++] = v;
		break;
	case O_AUTO:
		o->auto_answer_set = true;
		o->auto_answer = 0;
		if (v) {
			if (seconds(name, v, &d, err, errlen))
				return EINVAL;
			o->auto_answer = (int)d;
		}
		break;
	case O_PLAY:
		o->play = v;
		break;
	case O_RECORD:
		o->record = v;
		break;
	case O_AUDIO:
		if (strcmp(v, "null") && strcmp(v, "portaudio")) {
			snprintf(err, errlen,
				 "--audio: unknown '%s' (use null or "
				 "portaudio)",
				 v);
			return EINVAL;
		}
		o->audio = audev_backend_parse(v);
		break;
	case O_TRACE:
		o->sip_trace = true;
		break;
	case O_HELP:
		o->help = true;
		break;
	case O_VERSION:
		o->version = true;
		break;
	case O_ACCOUNT:
		o->account = v;
		break;
	case O_DTMF:
		if (!*v || v[strspn(v, "0123456789*#ABCDabcd")]) {
			snprintf(err, errlen,
				 "--dtmf: '%s' has a character that is not "
				 "a DTMF digit (0-9 * # A-D)",
				 v);
			return EINVAL;
		}
		o->dtmf = v;
		break;
	case O_HANGUP:
		return seconds(name, v, &o->hangup_after, err, errlen);
	case O_TIMEOUT:
		return seconds(name, v, &o->timeout, err, errlen);
	case O_JSON:
		o->json = true;
		break;
	}
	return 0;
}

int cli_opts_parse(struct cli_opts *o, int argc, char **argv, unsigned allowed,
		   char *err, size_t errlen)
{
	memset(o, 0, sizeof(*o));
	o->audio = -1;
	o->hangup_after = -1;
	o->timeout = 60;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || !a[1]) {
			if ((allowed & CLI_OPT_CALL) && !o->target) {
				o->target = a;
				continue;
			}
			snprintf(err, errlen, "unexpected argument '%s'", a);
			return EINVAL;
		}
		const char *eq = strchr(a, '=');
		size_t nl = eq ? (size_t)(eq - a) : strlen(a);
		size_t k, n = sizeof(opt_tab) / sizeof(opt_tab[0]);
		for (k = 0; k < n; k++)
			if (strlen(opt_tab[k].name) == nl &&
			    !strncmp(opt_tab[k].name, a, nl) &&
			    (!opt_tab[k].set || (opt_tab[k].set & allowed)))
				break;
		if (k == n) {
			snprintf(err, errlen, "unknown option '%.*s'", (int)nl,
				 a);
			return EINVAL;
		}
		const char *v = eq ? eq + 1 : NULL;
		if (opt_tab[k].arg == ARG_NONE && v) {
			snprintf(err, errlen, "%s takes no value",
				 opt_tab[k].name);
			return EINVAL;
		}
		if (opt_tab[k].arg == ARG_REQ && !v) {
			if (i + 1 >= argc) {
				snprintf(err, errlen, "%s needs a value",
					 opt_tab[k].name);
				return EINVAL;
			}
			v = argv[++i];
		}
		if (opt_tab[k].arg == ARG_OPT_NUM && !v && i + 1 < argc &&
		    is_number(argv[i + 1]))
			v = argv[++i];
		if (set_opt(o, opt_tab[k].id, opt_tab[k].name, v, err, errlen))
			return EINVAL;
	}
	if ((allowed & CLI_OPT_CALL) && !o->target && !o->help) {
		snprintf(err, errlen, "which URI to call? (phonebox call URI)");
		return EINVAL;
	}
	return 0;
}

static void apply(struct config *c, const struct cli_opts *o)
{
	struct phone_opts *p = &c->opts;
	if (o->nlisten) {
		for (size_t i = 0; i < o->nlisten; i++)
			p->listen[i] = o->listen[i];
		p->nlisten = o->nlisten;
	}
	if (o->auto_answer_set)
		p->auto_answer = o->auto_answer;
	if (o->play)
		p->play = o->play;
	if (o->record)
		p->record = o->record;
	if (o->audio >= 0)
		p->audio = (enum audev_backend)o->audio;
	if (o->sip_trace)
		p->sip_trace = true;
}

int cli_setup_load(struct cli_setup *su, const struct cli_opts *o, char *err,
		   size_t errlen)
{
	char dir[CONFIG_PATH_MAX];
	memset(su, 0, sizeof(*su));
	int e = config_dir(dir, sizeof(dir), o->config, err, errlen);
	if (!e)
		e = config_init(dir, NULL, err, errlen);
	if (!e)
		e = config_load(&su->cfg, dir, err, errlen);
	if (e)
		return e;
	snprintf(su->acc_path, sizeof(su->acc_path), "%s/accounts", dir);
	e = accounts_load(&su->acc, su->acc_path, err, errlen);
	if (e == ENOENT)
		e = 0;
	if (e)
		return e;
	apply(&su->cfg, o);
	return 0;
}

void cli_setup_close(struct cli_setup *su)
{
	su->acc = obj_deref(su->acc);
}

struct cli_signals {
	struct loop *loop;
	int fd;
	void (*h)(int sig, void *arg);
	void *arg;
};

static void sig_h(int fd, int flags, void *arg)
{
	struct cli_signals *cs = arg;
	struct signalfd_siginfo si;
	(void)flags;
	if (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		cs->h((int)si.ssi_signo, cs->arg);
}

struct cli_signals *cli_signals_open(struct loop *loop,
				     void (*h)(int sig, void *arg), void *arg)
{
	sigset_t set;
	signal(SIGPIPE, SIG_IGN);
	struct cli_signals *cs = obj_zalloc(sizeof(*cs), NULL);
	if (!cs)
		return NULL;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	cs->loop = loop;
	cs->h = h;
	cs->arg = arg;
	cs->fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (cs->fd < 0 || loop_fd_listen(loop, cs->fd, FD_READ, sig_h, cs)) {
		if (cs->fd >= 0)
			close(cs->fd);
		return obj_deref(cs);
	}
	sigprocmask(SIG_BLOCK, &set, NULL);
	return cs;
}

void cli_signals_close(struct cli_signals *cs)
{
	if (!cs)
		return;
	loop_fd_close(cs->loop, cs->fd);
	close(cs->fd);
	obj_deref(cs);
}
