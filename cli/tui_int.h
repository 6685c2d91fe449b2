/* tui_int.h: the terminal UI's pure parts: text of every pane, log, editor.
 *
 * The UI is split in two. Everything a user reads is made here, by
 * functions of plain data (account and call snapshots, events, the log,
 * the command line being edited) into lines of text; tests assert on that
 * text. tui.c only reads the terminal, runs commands and draws the lines
 * with ncurses. Nothing in these files touches the terminal or the phone.
 *
 * Screen layout (rows x cols):
 *
 *   row 0           status: each account's registration state
 *   row 1           call list header
 *   rows 2..        one line per call (at least one row, at most a third)
 *   next            rule naming the log pane (trace on/off, scrolled)
 *   ...             log pane (or the help text while it is open)
 *   rows-2          prompt: incoming call, or the last message
 *   rows-1          command line (":dial ..."), or the key hints
 */
#ifndef PB_CLI_TUI_INT_H
#define PB_CLI_TUI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cli/cmd.h"
#include "ua/phone/phone.h"

/* -- keys: the UI's own codes, so the pure parts need no curses.h -------- */

enum tui_key {
	TUI_KEY_ENTER = '\n',
	TUI_KEY_ESC = 27,
	TUI_KEY_BACKSPACE = 127,
	TUI_KEY_UP = 0x1000,
	TUI_KEY_DOWN,
	TUI_KEY_LEFT,
	TUI_KEY_RIGHT,
	TUI_KEY_HOME,
	TUI_KEY_END,
	TUI_KEY_DELETE,
	TUI_KEY_PGUP,
	TUI_KEY_PGDN,
	TUI_KEY_RESIZE,
};

/** Control-key code for letter @p c ('a' -> 1). */
#define TUI_CTRL(c) ((c)&0x1f)

/* -- text: one line per pane element (tui_text.c) ------------------------ */

/** "12", "1:05", "1:02:03" style: m:ss under an hour, else h:mm:ss. */
void tui_fmt_duration(char *buf, size_t size, uint32_t secs);

/** Media column: "SRTP AES_CM_128_HMAC_SHA1_80", "plain RTP", or "-". */
void tui_fmt_media(char *buf, size_t size, const char *codec,
		   const char *suite);

/** "Bob <sip:bob@h>" or "sip:bob@h" when there is no display name. */
void tui_fmt_party(char *buf, size_t size, const char *display,
		   const char *peer);

/** Status line: "alice: registered  bob: failed (403 Forbidden)". */
void tui_fmt_status(char *buf, size_t size, int cols,
		    const struct phone_account_info *v, size_t n);

/** Header of the call list, matching tui_fmt_call()'s columns. */
void tui_fmt_call_header(char *buf, size_t size, int cols);

/** One call: id, direction, peer, state, duration, codec, media. */
void tui_fmt_call(char *buf, size_t size, int cols,
		  const struct phone_call_info *c);

/**
 * The incoming-call prompt for the first ringing incoming call:
 * "Incoming call from Bob <sip:bob@h>  [a]nswer [r]eject".
 * @return the call's id, or 0 (and an empty @p buf) when none rings.
 */
unsigned tui_fmt_prompt(char *buf, size_t size, int cols,
			const struct phone_call_info *v, size_t n);

/**
 * What the log pane says about a phone event ("call 1: ringing (180
 * Ringing)", "call 1: userb forwarded to userc"). TRACE events are not
 * formatted here (their text goes to the log line by line).
 */
void tui_fmt_event(char *buf, size_t size, const struct phone_event *ev);

/**
 * Help text line @p i (0-based): the key bindings, then the commands
 * of @p table. @return false past the last line.
 */
bool tui_help_line(char *buf, size_t size, int cols, const struct cmd *table,
		   size_t i);

/**
 * Copy @p s into @p buf for display in at most @p cols columns: control
 * bytes and invalid UTF-8 become '?', so nothing from the wire can move
 * the cursor or change the terminal (newlines too).
 * @return the number of columns used.
 */
int tui_clean(char *buf, size_t size, const char *s, int cols);

/** Columns that the (clean) UTF-8 text @p s takes up. */
int tui_cols(const char *s);

/* -- log pane (tui_log.c) ------------------------------------------------ */

/** A bounded log: the newest TUI_LOG_MAX lines are kept. */
enum { TUI_LOG_MAX = 2000 };

struct tui_log {
	struct tui_logline {
		char *text;  /**< refcounted copy, one line, no '\n'   */
		time_t when; /**< wall clock of the line               */
		bool trace;  /**< SIP trace (hidden when trace is off) */
		bool cont;   /**< continues the line before (no time)  */
	} * v;		     /**< ring of TUI_LOG_MAX                  */
	size_t head;	     /**< index of the oldest line             */
	size_t n;	     /**< lines held                           */
};

/** Add @p text (split at newlines; '\r' dropped). @return 0, ENOMEM. */
int tui_log_add(struct tui_log *lg, time_t when, bool trace, const char *text);
/** Drop every line. */
void tui_log_clear(struct tui_log *lg);

/**
 * Lay out the log pane into @p out (@p rows buffers of @p outsize bytes):
 * the last @p rows screen lines, or @p scroll lines further back; long
 * lines wrapped. A line reads "HH:MM:SS text" (local time); wrapped and
 * continuation lines are indented instead. A log shorter than the pane
 * starts at the top; the rows below it are left empty.
 * @return the number of screen lines the whole (filtered) log takes.
 */
size_t tui_log_view(const struct tui_log *lg, bool trace, size_t scroll,
		    int rows, int cols, char **out, size_t outsize);

/* -- command line editor (tui_edit.c) ------------------------------------ */

enum { TUI_EDIT_MAX = 512, TUI_HIST_MAX = 100 };

struct tui_edit {
	char buf[TUI_EDIT_MAX];	  /**< the line, NUL-terminated           */
	size_t len;		  /**< bytes in buf                       */
	size_t pos;		  /**< cursor (byte offset, on a char)    */
	char *hist[TUI_HIST_MAX]; /**< refcounted, oldest first         */
	size_t nhist;		  /**< entries in hist                    */
	size_t hpos;		  /**< browsing: nhist = the new line     */
	char draft[TUI_EDIT_MAX]; /**< the new line while browsing      */
};

enum tui_edit_result {
	TUI_EDIT_CONTINUE = 0, /**< still editing                      */
	TUI_EDIT_DONE,	       /**< Enter: run buf                     */
	TUI_EDIT_CANCEL,       /**< Esc, or backspace on an empty line */
};

/** Start a new, empty line (history is kept). */
void tui_edit_reset(struct tui_edit *e);
/** Apply one key. */
enum tui_edit_result tui_edit_key(struct tui_edit *e, int key);
/**
 * Tab: complete the command word before the cursor from @p table. One
 * match is filled in (with a space); several are listed in @p buf
 * ("hangup hold"). @return the number of matches.
 */
size_t tui_edit_complete(struct tui_edit *e, const struct cmd *table, char *buf,
			 size_t size);
/** Remember @p line (not empty, not equal to the last). @return 0, ENOMEM */
int tui_edit_remember(struct tui_edit *e, const char *line);
/** Free the history. */
void tui_edit_free(struct tui_edit *e);

/* -- keys in normal mode (tui_keys.c) ------------------------------------ */

enum tui_act {
	TUI_ACT_NONE = 0,  /**< key means nothing now                  */
	TUI_ACT_CMD,	   /**< run the command line in the buffer     */
	TUI_ACT_MSG,	   /**< show the message in the buffer         */
	TUI_ACT_CMDLINE,   /**< open the ':' command line, buf typed in */
	TUI_ACT_HELP,	   /**< open the help                          */
	TUI_ACT_TRACE,	   /**< toggle the SIP trace in the log        */
	TUI_ACT_QUIT_ARM,  /**< first 'q': ask for the second          */
	TUI_ACT_QUIT,	   /**< quit                                   */
	TUI_ACT_SELECT_UP, /**< select the call above                  */
	TUI_ACT_SELECT_DOWN,
	TUI_ACT_SCROLL_UP, /**< log pane one page back                 */
	TUI_ACT_SCROLL_DOWN,
	TUI_ACT_REDRAW, /**< repaint the whole terminal             */
};

/** What the keys act on. */
struct tui_keyctx {
	const struct phone_call_info *calls;
	size_t ncalls;
	unsigned selected; /**< selected call id (0 = none)            */
	bool quit_armed;   /**< the last key was a first 'q'           */
};

/**
 * Map a key pressed outside the command line to an action; for
 * TUI_ACT_CMD @p buf gets the command line ("hold 2"), for TUI_ACT_MSG
 * the message ("no incoming call").
 */
enum tui_act tui_key_action(int key, const struct tui_keyctx *ctx, char *buf,
			    size_t size);

/** The call keys act on: @p selected if it exists, else the newest. */
const struct phone_call_info *tui_key_call(const struct phone_call_info *v,
					   size_t n, unsigned selected);

/* -- the whole screen (tui_screen.c) ------------------------------------- */

enum tui_attr {
	TUI_A_NORMAL = 0,
	TUI_A_STATUS,	/**< status line (reverse video)        */
	TUI_A_HEADER,	/**< call list header, log rule (bold)  */
	TUI_A_SELECTED, /**< the selected call (bold)           */
	TUI_A_PROMPT,	/**< incoming call prompt (standout)    */
	TUI_A_ERROR,	/**< a failed command's reason          */
	TUI_A_DIM,	/**< key hints                          */
};

/** Everything the screen shows, as plain data. */
struct tui_model {
	const struct phone_account_info *accounts;
	size_t naccounts;
	const struct phone_call_info *calls;
	size_t ncalls;
	unsigned selected; /**< highlighted call id               */
	const struct tui_log *log;
	bool trace;		     /**< show SIP trace lines              */
	size_t scroll;		     /**< log lines scrolled back           */
	bool help;		     /**< help open instead of the log      */
	size_t help_scroll;	     /**< first help line shown             */
	const struct cmd *table;     /**< commands for the help             */
	const struct tui_edit *edit; /**< command line, NULL when closed  */
	const char *msg;	     /**< message line, NULL = none         */
	bool msg_error;		     /**< msg is a failure                  */
};

/** A rendered screen: @p rows lines of up to @p cols columns. */
struct tui_screen {
	int rows, cols;
	char **line;	      /**< rows NUL-terminated lines (owned)  */
	enum tui_attr *attr;  /**< attribute per line                 */
	int cur_row, cur_col; /**< cursor, when cursor is true        */
	bool cursor;	      /**< show the cursor (command line)     */
	size_t log_lines;     /**< lines the log pane could show      */
	int log_rows;	      /**< rows of the log pane               */
};

/** Allocate a screen of @p rows x @p cols (at least 1x1). */
int tui_screen_alloc(struct tui_screen **sp, int rows, int cols);

/** Fill @p s from @p m. */
void tui_render(struct tui_screen *s, const struct tui_model *m);

/* -- the terminal's lifeline (tui_term.c) -------------------------------- */

/**
 * Save the terminal state, catch fatal signals (restore, then chain),
 * turn SIGWINCH into a byte on *@p winch_rd, and send stderr into a
 * pipe read from *@p err_rd (both non-blocking).
 * @return 0, ENOTTY (stdin is no terminal), or an errno.
 */
int tui_term_start(int *winch_rd, int *err_rd);
/** The terminal is in UI mode; @p caps joined restore it (rmcup...). */
void tui_term_ready(const char *const *caps, size_t ncaps);
/** Put the terminal back (async-signal-safe; idempotent). */
void tui_term_restore(void);
/** Undo tui_term_start(): handlers, stderr. */
void tui_term_stop(void);
/** The real stderr while it is redirected. */
int tui_term_stderr(void);

#endif
