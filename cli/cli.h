/* cli.h: subcommands of the phonebox executable. */
#ifndef PB_CLI_CLI_H
#define PB_CLI_CLI_H

#include <stdio.h>

/** A subcommand: `phonebox NAME args...`; returns the process exit status. */
struct cli_subcmd {
	const char *name;		   /**< word after phonebox */
	const char *usage;		   /**< one-line synopsis   */
	int (*run)(int argc, char **argv); /**< argv[0] is NAME     */
};

/** The table of subcommands, ended by an entry with name NULL. */
extern const struct cli_subcmd cli_subcmds[];

int cli_version(int argc, char **argv);
/** `phonebox lint FILE...`: verdict per SIP message file. */
int cli_lint(int argc, char **argv);

/** `phonebox register URI ...`: register, print status lines. */
int cli_register(int argc, char **argv);
/** `phonebox devices`: list sound-card devices (exit 1 when none). */
int cli_devices(int argc, char **argv);

/** `phonebox [OPTIONS]`: the phone (TUI on a tty, else script mode). */
int cli_run(int argc, char **argv);
/** Print the usage of `phonebox` (options, commands, subcommands). */
void cli_run_usage(FILE *f);
/** `phonebox call URI ...`: one call; the exit status tells how it ended. */
int cli_call(int argc, char **argv);

#endif
