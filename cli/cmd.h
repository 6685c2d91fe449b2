/* cmd.h: the one command table shared by the terminal UI and script mode. */
#ifndef PB_CLI_CMD_H
#define PB_CLI_CMD_H

#include <stddef.h>

#include "ua/phone/phone.h"

/** A command: `dial URI`, `answer [N]`, `hangup [N]`, ... */
struct cmd {
	const char *name;  /**< "dial"                                 */
	const char *args;  /**< usage of the arguments, "URI [ACCOUNT]" */
	const char *help;  /**< one line for :help                     */
	char key;	   /**< TUI key binding (0 = none)             */
	/** Run with the rest of the line @p args; on failure write a one-line
	 *  reason to @p err. @return 0 or an errno. */
	int (*run)(struct phone *p, const char *args, char *err, size_t errlen);
};

/** The table, ended by an entry with name NULL. */
extern const struct cmd cmd_table[];

/**
 * Run one command line ("dial sip:bob@h", leading ':' allowed).
 * @return 0, ENOENT (unknown command: reason in @p err), or the command's.
 */
int cmd_exec(struct phone *p, const char *line, char *err, size_t errlen);

#endif
