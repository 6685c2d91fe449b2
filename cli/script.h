/* script.h: script mode: commands on stdin, one JSON event a line out. */
#ifndef PB_CLI_SCRIPT_H
#define PB_CLI_SCRIPT_H

#include <stdio.h>

#include "ua/phone/phone.h"

struct loop;
struct script;

enum {
	SCRIPT_LINE_MAX = 4096, /**< longest command line, with its '\n' */
};

/**
 * Read commands from @p in_fd on @p loop (line by line, without blocking
 * the loop; a regular file or /dev/null works too) and run them through
 * the command table against @p phone. Results and phone events go to
 * @p out as JSON lines, flushed per line. At end of input or on `quit`,
 * @p quith is called once (the owner hangs up and unregisters).
 * @return 0, ENOMEM, or an errno from watching @p in_fd.
 */
int script_alloc(struct script **sp, struct loop *loop, struct phone *phone,
		 int in_fd, FILE *out, void (*quith)(void *arg), void *arg);

/** Write a phone event (the owner's phone_event_h forwards here). */
void script_event(struct script *s, const struct phone_event *ev);

/**
 * Write {"event":"ready","udp":"IP:PORT","tcp":...,"tls":...}: the phone
 * listens (ports read back, so `--listen udp:127.0.0.1:0` works).
 */
void script_ready(struct script *s);

/** Write {"event":"error",...} for a problem not tied to a command. */
void script_error(struct script *s, const char *reason);

/** Stop reading; free. NULL-safe. */
struct script *script_free(struct script *s);

#endif
