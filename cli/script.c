/* script.c: script mode: commands on stdin, one JSON event a line out.
 *
 * Input is read on the loop whenever the fd is readable (one read() per
 * wake-up, so a pipe never blocks the loop) and split into lines; each
 * line runs through the shared command table (cli/cmd.h). A line longer
 * than SCRIPT_LINE_MAX is answered with an error event and skipped up to
 * its newline. epoll cannot watch a regular file, so input redirected
 * from a file (or /dev/null) is read from a zero-delay timer instead.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/loop.h"
#include "base/mem.h"
#include "cli/cmd.h"
#include "cli/evfmt.h"
#include "cli/script.h"

struct script {
	struct loop *loop;	    /**< the loop (not referenced)         */
	struct phone *phone;	    /**< the phone (not referenced)        */
	int fd;			    /**< input                             */
	bool watched;		    /**< fd is on the loop (else timer)    */
	struct tmr tmr;		    /**< reads a regular file              */
	FILE *out;		    /**< JSON lines go here                */
	struct buf *ob;		    /**< one JSON line being built         */
	char line[SCRIPT_LINE_MAX]; /**< the line being read             */
	size_t len;		    /**< bytes in line                     */
	bool skipping;		    /**< dropping an over-long line        */
	bool done;		    /**< EOF or quit seen; quith called    */
	struct cmd_ctx ctx;	    /**< for cmd_exec                      */
	void (*quith)(void *arg);   /**< owner's shutdown                  */
	void *arg;		    /**< for quith                         */
};

static void flush_line(struct script *s)
{
	struct pl pl = buf_pl(s->ob);
	if (pl.l) {
		fwrite(pl.p, 1, pl.l, s->out);
		fflush(s->out);
	}
	buf_reset(s->ob);
}

static void emit_error(struct script *s, const char *cmd, const char *why)
{
	buf_reset(s->ob);
	if (!evfmt_error_json(s->ob, cmd, why))
		flush_line(s);
	buf_reset(s->ob);
}

static void row_h(const char *kind, const struct cmd_field *f, size_t n,
		  const char *text, void *arg)
{
	struct script *s = arg;
	(void)text;
	buf_reset(s->ob);
	if (!evfmt_row_json(s->ob, kind, f, n))
		flush_line(s);
	buf_reset(s->ob);
}

static void finish(struct script *s)
{
	if (s->done)
		return;
	s->done = true;
	if (s->watched) {
		loop_fd_listen(s->loop, s->fd, 0, NULL, NULL);
		s->watched = false;
	}
	tmr_cancel(&s->tmr);
	if (s->quith)
		s->quith(s->arg);
}

static void quit_h(void *arg)
{
	finish(arg);
}

static void run_line(struct script *s)
{
	char err[256];
	s->line[s->len] = '\0';
	s->len = 0;
	if (cmd_exec(&s->ctx, s->line, err, sizeof(err))) {
		struct pl cmd = pl_from_str(s->line);
		pl_trim(&cmd);
		char c[200];
		pl_copy(&cmd, c, sizeof(c));
		emit_error(s, c, err);
	}
}

static void feed(struct script *s, const char *p, size_t n)
{
	while (n && !s->done) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;
		if (!s->skipping) {
			if (s->len + take >= sizeof(s->line)) {
				char why[80];
				snprintf(why, sizeof(why),
					 "line too long (at most %d bytes)",
					 SCRIPT_LINE_MAX - 1);
				emit_error(s, NULL, why);
				s->len = 0;
				s->skipping = true;
			} else {
				memcpy(s->line + s->len, p, take);
				s->len += take;
			}
		}
		if (!nl)
			return;
		if (s->skipping)
			s->skipping = false;
		else
			run_line(s);
		p = nl + 1;
		n -= take + 1;
	}
}

/* One read(); returns false at end of input. */
static bool read_some(struct script *s)
{
	char b[4096];
	ssize_t n = read(s->fd, b, sizeof(b));
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (n <= 0) {
		if (n < 0)
			emit_error(s, NULL, strerror(errno));
		if (s->len && !s->skipping)
			run_line(s);
		finish(s);
		return false;
	}
	feed(s, b, (size_t)n);
	return !s->done;
}

static void in_h(int fd, int flags, void *arg)
{
	(void)fd;
	(void)flags;
	read_some(arg);
}

static void file_h(void *arg)
{
	struct script *s = arg;
	if (read_some(s))
		tmr_start(s->loop, &s->tmr, 0, file_h, s);
}

static void script_destroy(void *arg)
{
	struct script *s = arg;
	if (s->watched)
		loop_fd_listen(s->loop, s->fd, 0, NULL, NULL);
	tmr_cancel(&s->tmr);
	obj_deref(s->ob);
}

int script_alloc(struct script **sp, struct loop *loop, struct phone *phone,
		 int in_fd, FILE *out, void (*quith)(void *arg), void *arg)
{
	if (!sp || !loop || in_fd < 0 || !out)
		return EINVAL;
	struct script *s = obj_zalloc(sizeof(*s), script_destroy);
	if (!s)
		return ENOMEM;
	s->loop = loop;
	s->phone = phone;
	s->fd = in_fd;
	s->out = out;
	s->quith = quith;
	s->arg = arg;
	s->ctx = (struct cmd_ctx){phone, loop, row_h, quit_h, s};
	int e = buf_alloc(&s->ob, 512);
	if (e)
		goto out;
	e = loop_fd_listen(loop, in_fd, FD_READ, in_h, s);
	if (!e)
		s->watched = true;
	else if (e == EPERM) {
		e = 0;
		tmr_start(loop, &s->tmr, 0, file_h, s);
	}
out:
	if (e)
		obj_deref(s);
	else
		*sp = s;
	return e;
}

void script_event(struct script *s, const struct phone_event *ev)
{
	if (!s || !ev)
		return;
	buf_reset(s->ob);
	if (!evfmt_json(s->ob, ev))
		flush_line(s);
	buf_reset(s->ob);
}

void script_ready(struct script *s)
{
	/* "udp": the IPv4 listener (IPv6 when alone), "udp6": the IPv6 one */
	static const char *const tps[] = {"udp",  "tcp",  "tls",
					  "udp6", "tcp6", "tls6"};
	if (!s)
		return;
	buf_reset(s->ob);
	int e = json_begin(s->ob);
	if (!e)
		e = json_cstr(s->ob, "event", "ready");
	for (size_t i = 0; !e && i < sizeof(tps) / sizeof(tps[0]); i++) {
		const char *a = phone_listen_addr(s->phone, tps[i]);
		if (a)
			e = json_cstr(s->ob, tps[i], a);
	}
	if (!e && !json_end(s->ob))
		flush_line(s);
	buf_reset(s->ob);
}

void script_error(struct script *s, const char *reason)
{
	if (s)
		emit_error(s, NULL, reason);
}

struct script *script_free(struct script *s)
{
	return obj_deref(s);
}
