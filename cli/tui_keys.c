/* tui_keys.c: what a key does outside the command line. */
#include <stdio.h>
#include <string.h>

#include "cli/tui_int.h"

const struct phone_call_info *tui_key_call(const struct phone_call_info *v,
					   size_t n, unsigned selected)
{
	const struct phone_call_info *newest = NULL;

	for (size_t i = 0; i < n; i++) {
		if (v[i].id == selected)
			return &v[i];
		if (!newest || v[i].id > newest->id)
			newest = &v[i];
	}
	return newest;
}

static const struct phone_call_info *incoming_call(const struct tui_keyctx *ctx)
{
	for (size_t i = 0; i < ctx->ncalls; i++)
		if (ctx->calls[i].incoming && ctx->calls[i].state &&
		    !strcmp(ctx->calls[i].state, "incoming"))
			return &ctx->calls[i];
	return NULL;
}

static enum tui_act msg(char *buf, size_t size, const char *text)
{
	snprintf(buf, size, "%s", text);
	return TUI_ACT_MSG;
}

/* Keys that act on a call; the command names the call explicitly, so the
 * key acts on the call the user sees selected. */
static enum tui_act call_key(int key, const struct tui_keyctx *ctx, char *buf,
			     size_t size)
{
	const struct phone_call_info *c;
	const char *verb;

	if (key == 'a' || key == 'r') {
		c = incoming_call(ctx);
		if (!c)
			return msg(buf, size, "no incoming call");
		snprintf(buf, size, "%s %u", key == 'a' ? "answer" : "reject",
			 c->id);
		return TUI_ACT_CMD;
	}
	c = tui_key_call(ctx->calls, ctx->ncalls, ctx->selected);
	if (!c)
		return msg(buf, size, "no call");
	switch (key) {
	case 'h':
		verb = "hangup";
		break;
	case 'H':
		/* toggles our own hold: a call the far end holds is put on
		 * hold here too, not "resumed" */
		verb = c->held_here ? "resume" : "hold";
		break;
	case 'R':
		verb = "resume";
		break;
	case 'M':
		verb = "unmute";
		break;
	case 'm':
		verb = c->muted ? "unmute" : "mute";
		break;
	default:
		if (!c->state || strcmp(c->state, "active"))
			return msg(buf, size, "DTMF needs an active call");
		snprintf(buf, size, "dtmf %c %u", key, c->id);
		return TUI_ACT_CMD;
	}
	snprintf(buf, size, "%s %u", verb, c->id);
	return TUI_ACT_CMD;
}

/* 'x': "xfer N M" on the command line for the selected call and the
   other one (the consultation call), to check and confirm with Enter */
static enum tui_act xfer_key(const struct tui_keyctx *ctx, char *buf,
			     size_t size)
{
	const struct phone_call_info *c, *o = NULL;

	c = tui_key_call(ctx->calls, ctx->ncalls, ctx->selected);
	if (!c)
		return msg(buf, size, "no call");
	for (size_t i = 0; i < ctx->ncalls; i++)
		if (ctx->calls[i].id != c->id && !o)
			o = &ctx->calls[i];
	if (!o)
		return msg(buf, size,
			   "attended transfer needs a second call: dial the "
			   "target first");
	snprintf(buf, size, "xfer %u %u", c->id, o->id);
	return TUI_ACT_CMDLINE;
}

enum tui_act tui_key_action(int key, const struct tui_keyctx *ctx, char *buf,
			    size_t size)
{
	if (size)
		buf[0] = '\0';
	if (key == 'q')
		return ctx->quit_armed ? TUI_ACT_QUIT : TUI_ACT_QUIT_ARM;
	switch (key) {
	case 'a':
	case 'r':
	case 'h':
	case 'H':
	case 'R':
	case 'm':
	case 'M':
	case '*':
	case '#':
		return call_key(key, ctx, buf, size);
	case ':':
		return TUI_ACT_CMDLINE;
	case 'd':
		snprintf(buf, size, "dial ");
		return TUI_ACT_CMDLINE;
	case 't':
		snprintf(buf, size, "transfer ");
		return TUI_ACT_CMDLINE;
	case 'x':
		return xfer_key(ctx, buf, size);
	case '?':
		return TUI_ACT_HELP;
	case 'T':
		return TUI_ACT_TRACE;
	case TUI_CTRL('c'):
		return msg(buf, size, "press q twice to quit");
	case TUI_KEY_UP:
		return TUI_ACT_SELECT_UP;
	case TUI_KEY_DOWN:
		return TUI_ACT_SELECT_DOWN;
	case TUI_KEY_PGUP:
		return TUI_ACT_SCROLL_UP;
	case TUI_KEY_PGDN:
		return TUI_ACT_SCROLL_DOWN;
	case TUI_CTRL('l'):
		return TUI_ACT_REDRAW;
	default:
		if (key >= '0' && key <= '9')
			return call_key(key, ctx, buf, size);
		return TUI_ACT_NONE;
	}
}
