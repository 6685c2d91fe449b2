/* opts.h: command-line options of `phonebox` and `phonebox call`, setup. */
#ifndef PB_CLI_OPTS_H
#define PB_CLI_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/accounts.h"
#include "cli/config.h"

struct loop;

/** Which options a command accepts. */
enum cli_opt_set {
	CLI_OPT_PHONE = 1 << 0, /**< --script, --auto-answer (phonebox)  */
	CLI_OPT_CALL = 1 << 1,	/**< URI, --account, --dtmf, --hangup-after,
				     --timeout, --json (phonebox call)   */
};

/** Parsed options; strings point into argv. */
struct cli_opts {
	const char *config; /**< --config DIR                     */
	bool script;	    /**< --script                         */
	const char *listen[CONFIG_LISTEN_MAX]; /**< --listen (repeatable) */
	size_t nlisten;
	bool auto_answer_set; /**< --auto-answer given              */
	int auto_answer;      /**< its seconds (0 when none given)  */
	const char *play;     /**< --play FILE                      */
	const char *record;   /**< --record FILE                    */
	int audio;	      /**< --audio (enum audev_backend), -1 */
	bool sip_trace;	      /**< --sip-trace                      */
	bool help, version;   /**< --help, --version                */
	const char *target;   /**< call: the URI                    */
	const char *account;  /**< call: --account A                */
	const char *dtmf;     /**< call: --dtmf DIGITS              */
	double hangup_after;  /**< call: --hangup-after S, -1 = none */
	double timeout;	      /**< call: --timeout S (60)           */
	bool json;	      /**< call: --json event lines         */
};

/**
 * Parse @p argv (argv[0] is the program or subcommand name). Options take
 * their value as the next word or after '='; `--auto-answer` takes an
 * optional number of seconds.
 * @return 0, or EINVAL with a one-line reason in @p err.
 */
int cli_opts_parse(struct cli_opts *o, int argc, char **argv, unsigned allowed,
		   char *err, size_t errlen);

/** Everything the phone is started with. */
struct cli_setup {
	struct config cfg;		     /**< folder, file and options */
	struct accounts *acc;		     /**< the accounts file        */
	char acc_path[CONFIG_PATH_MAX + 16]; /**< its path              */
};

/**
 * Find the config folder, write the templates on first start, read
 * `config` and `accounts`, then apply the command-line overrides of @p o.
 * @return 0 or an errno with the reason in @p err.
 */
int cli_setup_load(struct cli_setup *su, const struct cli_opts *o, char *err,
		   size_t errlen);

/** Release what cli_setup_load() holds. */
void cli_setup_close(struct cli_setup *su);

/**
 * Watch SIGINT, SIGTERM and SIGHUP on @p loop (signalfd) and call @p h
 * on each; SIGPIPE is ignored. @return a handle for cli_signals_close(),
 * or NULL when signals could not be watched.
 */
struct cli_signals *cli_signals_open(struct loop *loop,
				     void (*h)(int sig, void *arg), void *arg);
/** Stop watching; NULL-safe. */
void cli_signals_close(struct cli_signals *cs);

#endif
