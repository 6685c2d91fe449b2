/* tui.h: the terminal UI (ncurses): status, call list, log pane, commands. */
#ifndef PB_CLI_TUI_H
#define PB_CLI_TUI_H

#include "ua/phone/phone.h"

struct loop;
struct tui;

/**
 * Take over the terminal (stdin/stdout must be a tty) and show @p phone.
 * Keys and `:commands` go through the shared command table (cli/cmd.h).
 * The TUI stops the loop when the user quits (`:quit`, `q` twice).
 * @return 0, ENOTTY, ENOMEM.
 */
int tui_alloc(struct tui **tp, struct loop *loop, struct phone *phone);

/**
 * Call @p quith instead of stopping the loop when the user quits (e.g.
 * to hang up and unregister first). NULL restores loop_stop().
 */
void tui_set_quit(struct tui *t, void (*quith)(void *arg), void *arg);

/** Feed a phone event (the owner's phone_event_h forwards here). */
void tui_event(struct tui *t, const struct phone_event *ev);

/** A log line for the log pane (also SIP trace text). */
void tui_log(struct tui *t, const char *line);

/** Restore the terminal; free. NULL-safe. */
struct tui *tui_free(struct tui *t);

#endif
