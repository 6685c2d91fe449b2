/* cmd.h: the one command table shared by the terminal UI and script mode.
 *
 * A front end (TUI, script mode) fills a struct cmd_ctx once and passes
 * every line the user typed to cmd_exec(). Commands that list something
 * (calls, accounts, devices, help) hand each row to ctx->outh, both as
 * human text (for the TUI) and as typed fields (script mode turns them
 * into one JSON object). `quit` calls ctx->quith (or stops ctx->loop).
 */
#ifndef PB_CLI_CMD_H
#define PB_CLI_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ua/phone/phone.h"

struct loop;

/** Type of one output field. */
enum cmd_field_type {
	CMD_F_STR = 0, /**< str (NULL is written as JSON null)   */
	CMD_F_INT,     /**< num                                   */
	CMD_F_BOOL,    /**< num != 0                              */
};

/** One typed field of an output row ("call": 1, "state": "active"). */
struct cmd_field {
	const char *key;	  /**< JSON member name               */
	enum cmd_field_type type; /**< which of str/num is set        */
	const char *str;	  /**< CMD_F_STR value                */
	int64_t num;		  /**< CMD_F_INT / CMD_F_BOOL value   */
};

/**
 * One row of a listing command. @p kind names the row ("call", "account",
 * "device", "help"); @p text is the same row as one human-readable line.
 * All pointers are valid during the call only.
 */
typedef void(cmd_out_h)(const char *kind, const struct cmd_field *f, size_t n,
			const char *text, void *arg);

/** What commands run against; owned by the front end. */
struct cmd_ctx {
	struct phone *phone;	  /**< the phone                        */
	struct loop *loop;	  /**< `quit` stops it if quith is NULL */
	cmd_out_h *outh;	  /**< listing rows; NULL = dropped      */
	void (*quith)(void *arg); /**< `quit` (e.g. a clean shutdown)    */
	void *arg;		  /**< for outh and quith               */
};

/** A command: `dial URI`, `answer [N]`, `hangup [N]`, ... */
struct cmd {
	const char *name; /**< "dial"                                 */
	const char *args; /**< usage of the arguments, "URI [ACCOUNT]" */
	const char *help; /**< one line for :help                     */
	char key;	  /**< TUI key binding (0 = none)             */
	/** Run with the rest of the line @p args (trimmed, may be ""); on
	 *  failure write a one-line reason to @p err. @return 0 or an errno. */
	int (*run)(const struct cmd_ctx *ctx, const char *args, char *err,
		   size_t errlen);
};

/** The table, ended by an entry with name NULL. */
extern const struct cmd cmd_table[];

/** The command named @p name (case-insensitive), or NULL. */
const struct cmd *cmd_find(const char *name, size_t len);

/** The command bound to TUI key @p key, or NULL. */
const struct cmd *cmd_by_key(char key);

/**
 * Run one command line ("dial sip:bob@h", leading ':' allowed, blank
 * line = nothing to do).
 * @return 0, ENOENT (unknown command: reason in @p err), EINVAL (bad
 *         arguments: the usage in @p err), or the command's errno.
 */
int cmd_exec(const struct cmd_ctx *ctx, const char *line, char *err,
	     size_t errlen);

#endif
