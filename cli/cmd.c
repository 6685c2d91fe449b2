/* cmd.c: the command table shared by the terminal UI and script mode.
 *
 * A line is "NAME ARGS" (leading ':' and spaces allowed). Arguments are
 * words separated by spaces; an optional call number N defaults to 0,
 * which the phone reads as "the current call". Listing commands write
 * their rows through ctx->outh (see cmd.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audio/dev.h"
#include "base/loop.h"
#include "cli/cmd.h"

enum { CMD_WORD_MAX = 512 };

/* Split the next space-separated word off *@p s into @p w. */
static bool next_word(const char **s, char *w, size_t size)
{
	const char *p = *s;
	while (*p == ' ' || *p == '\t')
		p++;
	size_t n = 0;
	while (p[n] && p[n] != ' ' && p[n] != '\t')
		n++;
	if (!n)
		return false;
	if (n >= size)
		n = size - 1;
	memcpy(w, p, n);
	w[n] = '\0';
	p += n;
	while (*p == ' ' || *p == '\t')
		p++;
	*s = p;
	return true;
}

static int usage(const char *name, char *err, size_t errlen)
{
	const struct cmd *c = cmd_find(name, strlen(name));
	snprintf(err, errlen, "usage: %s %s", name, c ? c->args : "");
	return EINVAL;
}

/* A call number 1..99999. */
static bool parse_call(const char *w, unsigned *n)
{
	char *end;
	if (w[0] < '0' || w[0] > '9')
		return false;
	unsigned long v = strtoul(w, &end, 10);
	if (*end || !v || v > 99999)
		return false;
	*n = (unsigned)v;
	return true;
}

/* "[N]": nothing, or one call number. */
static int opt_call(const char *name, const char *args, unsigned *n, char *err,
		    size_t errlen)
{
	char w[CMD_WORD_MAX];
	*n = 0;
	if (!next_word(&args, w, sizeof(w)))
		return 0;
	if (!parse_call(w, n) || *args)
		return usage(name, err, errlen);
	return 0;
}

static int phone_result(const struct cmd_ctx *ctx, int e, char *err,
			size_t errlen)
{
	if (e) {
		const char *why = phone_error(ctx->phone);
		snprintf(err, errlen, "%s", why && why[0] ? why : strerror(e));
	}
	return e;
}

/* The phone's spelling of account @p name (names match case-insensitively,
 * as in the accounts file), or @p name itself. */
static const char *account_name(const struct cmd_ctx *ctx, const char *name)
{
	struct phone_account_info v[32];
	size_t n = phone_accounts(ctx->phone, v, 32);
	for (size_t i = 0; i < n && i < 32; i++)
		if (v[i].name && !strcasecmp(v[i].name, name))
			return v[i].name;
	return name;
}

static int run_dial(const struct cmd_ctx *ctx, const char *args, char *err,
		    size_t errlen)
{
	char uri[CMD_WORD_MAX];
	unsigned call;
	if (!next_word(&args, uri, sizeof(uri)))
		return usage("dial", err, errlen);
	const char *acc = *args ? account_name(ctx, args) : NULL;
	return phone_result(ctx, phone_dial(ctx->phone, acc, uri, &call), err,
			    errlen);
}

#define CALL_CMD(fn, name, expr)                                               \
	static int fn(const struct cmd_ctx *ctx, const char *args, char *err,  \
		      size_t errlen)                                           \
	{                                                                      \
		unsigned n;                                                    \
		int e = opt_call(name, args, &n, err, errlen);                 \
		return e ? e : phone_result(ctx, (expr), err, errlen);         \
	}

CALL_CMD(run_answer, "answer", phone_answer(ctx->phone, n))
CALL_CMD(run_hangup, "hangup", phone_hangup(ctx->phone, n))
CALL_CMD(run_hold, "hold", phone_hold(ctx->phone, n, true))
CALL_CMD(run_resume, "resume", phone_hold(ctx->phone, n, false))
CALL_CMD(run_mute, "mute", phone_mute(ctx->phone, n, true))
CALL_CMD(run_unmute, "unmute", phone_mute(ctx->phone, n, false))

/* "reject [N]": refuse a call that is still ringing here. */
static int run_reject(const struct cmd_ctx *ctx, const char *args, char *err,
		      size_t errlen)
{
	struct phone_call_info v[32];
	unsigned n;
	int e = opt_call("reject", args, &n, err, errlen);
	if (e)
		return e;
	size_t k = phone_calls(ctx->phone, v, 32), i;
	if (k > 32)
		k = 32;
	for (i = 0; i < k; i++)
		if ((n && v[i].id == n) ||
		    (!n && v[i].incoming && !strcmp(v[i].state, "incoming")))
			break;
	if (i == k || !v[i].incoming || strcmp(v[i].state, "incoming")) {
		if (n)
			snprintf(err, errlen, "call %u is not ringing here", n);
		else
			snprintf(err, errlen, "no incoming call to reject");
		return EPROTO;
	}
	return phone_result(ctx, phone_hangup(ctx->phone, v[i].id), err,
			    errlen);
}

/* "transfer URI [N]" and "dtmf DIGITS [N]" */
static int word_and_call(const char *name, const char **args, char *w,
			 size_t size, unsigned *n, char *err, size_t errlen)
{
	if (!next_word(args, w, size))
		return usage(name, err, errlen);
	return opt_call(name, *args, n, err, errlen);
}

static int run_transfer(const struct cmd_ctx *ctx, const char *args, char *err,
			size_t errlen)
{
	char uri[CMD_WORD_MAX];
	unsigned n;
	int e =
	    word_and_call("transfer", &args, uri, sizeof(uri), &n, err, errlen);
	return e ? e
		 : phone_result(ctx, phone_transfer(ctx->phone, n, uri), err,
				errlen);
}

/* "xfer N M": attended transfer of call N's party to call M's */
static int run_xfer(const struct cmd_ctx *ctx, const char *args, char *err,
		    size_t errlen)
{
	char w[CMD_WORD_MAX];
	unsigned n, m;
	if (!next_word(&args, w, sizeof(w)) || !parse_call(w, &n) ||
	    !next_word(&args, w, sizeof(w)))
		return usage("xfer", err, errlen);
	if (!strcasecmp(w, "to") && !next_word(&args, w, sizeof(w)))
		return usage("xfer", err, errlen);
	if (!parse_call(w, &m) || *args)
		return usage("xfer", err, errlen);
	return phone_result(ctx, phone_transfer_attended(ctx->phone, n, m), err,
			    errlen);
}

static int run_dtmf(const struct cmd_ctx *ctx, const char *args, char *err,
		    size_t errlen)
{
	char d[64];
	unsigned n;
	int e = word_and_call("dtmf", &args, d, sizeof(d), &n, err, errlen);
	if (e)
		return e;
	size_t bad = strspn(d, "0123456789*#ABCDabcd");
	if (d[bad]) {
		snprintf(err, errlen,
			 "bad DTMF digit '%c' (use 0-9, *, #, A-D)", d[bad]);
		return EINVAL;
	}
	return phone_result(ctx, phone_dtmf(ctx->phone, n, d), err, errlen);
}

static void out(const struct cmd_ctx *ctx, const char *kind,
		const struct cmd_field *f, size_t n, const char *text)
{
	if (ctx->outh)
		ctx->outh(kind, f, n, text, ctx->arg);
}

/* a row that is only a sentence ("no calls") */
static void info(const struct cmd_ctx *ctx, const char *text)
{
	struct cmd_field f = {"text", CMD_F_STR, text, 0};
	out(ctx, "info", &f, 1, text);
}

#define FSTR(k, v)                                                             \
	{                                                                      \
		(k), CMD_F_STR, (v), 0                                         \
	}
#define FINT(k, v)                                                             \
	{                                                                      \
		(k), CMD_F_INT, NULL, (int64_t)(v)                             \
	}
#define FBOOL(k, v)                                                            \
	{                                                                      \
		(k), CMD_F_BOOL, NULL, (int64_t)(v)                            \
	}

static int run_calls(const struct cmd_ctx *ctx, const char *args, char *err,
		     size_t errlen)
{
	struct phone_call_info v[32];
	char text[512];
	if (*args)
		return usage("calls", err, errlen);
	size_t n = phone_calls(ctx->phone, v, 32);
	if (n > 32)
		n = 32;
	for (size_t i = 0; i < n; i++) {
		const struct phone_call_info *c = &v[i];
		struct cmd_field f[] = {
		    FINT("call", c->id),	 FSTR("peer", c->peer),
		    FSTR("display", c->display), FBOOL("incoming", c->incoming),
		    FSTR("state", c->state),	 FINT("duration", c->duration),
		    FSTR("codec", c->codec),	 FSTR("srtp", c->suite),
		    FBOOL("muted", c->muted),	 FBOOL("held", c->held),
		    FSTR("account", c->account),
		};
		snprintf(text, sizeof(text), "%u %s %s %s %u:%02u %s%s%s%s%s",
			 c->id, c->incoming ? "from" : "to",
			 c->peer ? c->peer : "", c->state ? c->state : "",
			 c->duration / 60, c->duration % 60,
			 c->codec ? c->codec : "-", c->suite ? " SRTP " : "",
			 c->suite ? c->suite : "", c->muted ? " muted" : "",
			 c->held ? " held" : "");
		out(ctx, "call", f, sizeof(f) / sizeof(f[0]), text);
	}
	if (!n)
		info(ctx, "no calls");
	return 0;
}

static int run_accounts(const struct cmd_ctx *ctx, const char *args, char *err,
			size_t errlen)
{
	struct phone_account_info v[32];
	char text[600];
	if (*args)
		return usage("accounts", err, errlen);
	size_t n = phone_accounts(ctx->phone, v, 32);
	if (n > 32)
		n = 32;
	for (size_t i = 0; i < n; i++) {
		const struct phone_account_info *a = &v[i];
		struct cmd_field f[] = {
		    FSTR("name", a->name),
		    FSTR("aor", a->aor),
		    FSTR("state", a->state),
		    FSTR("reason", a->reason),
		};
		snprintf(text, sizeof(text), "%s <%s> %s%s%s",
			 a->name ? a->name : "", a->aor ? a->aor : "",
			 a->state ? a->state : "",
			 a->reason && a->reason[0] ? ": " : "",
			 a->reason ? a->reason : "");
		out(ctx, "account", f, sizeof(f) / sizeof(f[0]), text);
	}
	if (!n)
		info(ctx, "no accounts (direct calls only; see the accounts "
			  "file)");
	return 0;
}

static void device_h(const struct audev_info *d, void *arg)
{
	const struct cmd_ctx *ctx = arg;
	char text[400];
	struct cmd_field f[] = {
	    FINT("index", d->index),	    FSTR("name", d->name),
	    FINT("inputs", d->in_channels), FINT("outputs", d->out_channels),
	    FBOOL("default_in", d->def_in), FBOOL("default_out", d->def_out),
	};
	snprintf(text, sizeof(text), "%d %s (in %d, out %d)%s%s", d->index,
		 d->name ? d->name : "", d->in_channels, d->out_channels,
		 d->def_in ? " default input" : "",
		 d->def_out ? " default output" : "");
	out(ctx, "device", f, sizeof(f) / sizeof(f[0]), text);
}

static int run_devices(const struct cmd_ctx *ctx, const char *args, char *err,
		       size_t errlen)
{
	if (*args)
		return usage("devices", err, errlen);
	return audev_list(device_h, (void *)ctx, err, errlen);
}

static int run_help(const struct cmd_ctx *ctx, const char *args, char *err,
		    size_t errlen)
{
	char text[300], key[2] = "";
	(void)err;
	(void)errlen;
	for (const struct cmd *c = cmd_table; c->name; c++) {
		if (*args && strcasecmp(args, c->name))
			continue;
		key[0] = c->key;
		struct cmd_field f[] = {
		    FSTR("command", c->name),
		    FSTR("args", c->args),
		    FSTR("help", c->help),
		    FSTR("key", c->key ? key : NULL),
		};
		char usage_s[80];
		snprintf(usage_s, sizeof(usage_s), "%s %s", c->name, c->args);
		snprintf(text, sizeof(text), "%-26s %s%s%s%s", usage_s, c->help,
			 c->key ? " (key " : "", key, c->key ? ")" : "");
		out(ctx, "help", f, sizeof(f) / sizeof(f[0]), text);
	}
	return 0;
}

static int run_quit(const struct cmd_ctx *ctx, const char *args, char *err,
		    size_t errlen)
{
	if (*args)
		return usage("quit", err, errlen);
	if (ctx->quith)
		ctx->quith(ctx->arg);
	else if (ctx->loop)
		loop_stop(ctx->loop);
	return 0;
}

const struct cmd cmd_table[] = {
    {"dial", "URI [ACCOUNT]", "call URI (or a number via the account)", 'd',
     run_dial},
    {"answer", "[N]", "answer the incoming call", 'a', run_answer},
    {"reject", "[N]", "refuse a ringing call (603 Decline)", 'r', run_reject},
    {"hangup", "[N]", "end a call (or cancel/decline it)", 'h', run_hangup},
    {"hold", "[N]", "put a call on hold", 'H', run_hold},
    {"resume", "[N]", "take a call off hold", 'R', run_resume},
    {"transfer", "URI [N]", "blind transfer (REFER) to URI", 't', run_transfer},
    {"xfer", "N [to] M",
     "attended transfer: connect call N's party to call M's", 'x', run_xfer},
    {"dtmf", "DIGITS [N]", "send DTMF digits 0-9 * # A-D", 0, run_dtmf},
    {"mute", "[N]", "stop sending the microphone", 'm', run_mute},
    {"unmute", "[N]", "send the microphone again", 'M', run_unmute},
    {"calls", "", "list the calls", 'c', run_calls},
    {"accounts", "", "list the accounts and their registration", 0,
     run_accounts},
    {"devices", "", "list the sound devices", 0, run_devices},
    {"help", "[COMMAND]", "list the commands", '?', run_help},
    {"quit", "", "hang up everything, unregister and leave", 'q', run_quit},
    {NULL, NULL, NULL, 0, NULL},
};

const struct cmd *cmd_find(const char *name, size_t len)
{
	for (const struct cmd *c = cmd_table; c->name; c++)
		if (strlen(c->name) == len && !strncasecmp(c->name, name, len))
			return c;
	return NULL;
}

const struct cmd *cmd_by_key(char key)
{
	for (const struct cmd *c = cmd_table; key && c->name; c++)
		if (c->key == key)
			return c;
	return NULL;
}

int cmd_exec(const struct cmd_ctx *ctx, const char *line, char *err,
	     size_t errlen)
{
	char buf[CMD_WORD_MAX * 2];
	if (!ctx || !line)
		return EINVAL;
	err[0] = '\0';
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == ':')
		line++;
	size_t l = strlen(line);
	while (l && (line[l - 1] == ' ' || line[l - 1] == '\t' ||
		     line[l - 1] == '\r' || line[l - 1] == '\n'))
		l--;
	if (l >= sizeof(buf)) {
		snprintf(err, errlen, "command too long (at most %zu bytes)",
			 sizeof(buf) - 1);
		return EINVAL;
	}
	memcpy(buf, line, l);
	buf[l] = '\0';
	const char *p = buf;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return 0;
	size_t nl = strcspn(p, " \t");
	const struct cmd *c = cmd_find(p, nl);
	if (!c) {
		snprintf(err, errlen, "unknown command '%.*s' (try help)",
			 (int)(nl > 40 ? 40 : nl), p);
		return ENOENT;
	}
	p += nl;
	while (*p == ' ' || *p == '\t')
		p++;
	return c->run(ctx, p, err, errlen);
}
