/* evfmt.c: phone events as JSON lines (script mode) and as text lines.
 *
 * The JSON members per event are documented in README.md ("Script mode");
 * every event has "event", call events have "call", account events have
 * "account". Strings from the network go through the JSON escaper, which
 * keeps every line valid whatever a peer sent.
 */
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "cli/evfmt.h"

static int opt_str(struct buf *b, const char *key, const char *val)
{
	return val ? json_cstr(b, key, val) : 0;
}

static int kind_json(struct buf *b, const struct phone_event *ev)
{
	int e = 0;
	switch (ev->kind) {
	case PHONE_EV_REGISTERED:
		e = json_int(b, "expires", ev->expires);
		break;
	case PHONE_EV_REG_FAILED:
		e = json_int(b, "code", ev->scode);
		if (!e)
			e = opt_str(b, "reason", ev->reason);
		break;
	case PHONE_EV_INCOMING:
		e = opt_str(b, "from", ev->peer);
		if (!e)
			e = json_cstr(b, "display", ev->display);
		break;
	case PHONE_EV_CALLING:
		e = opt_str(b, "to", ev->peer);
		break;
	case PHONE_EV_RINGING:
		e = json_int(b, "code", ev->scode);
		break;
	case PHONE_EV_FORWARDED:
		e = json_cstr(b, "from", ev->fwd_from);
		if (!e)
			e = json_cstr(b, "to", ev->fwd_to);
		break;
	case PHONE_EV_REDIRECTED:
		e = json_int(b, "code", ev->scode);
		if (!e)
			e = json_cstr(b, "to", ev->target);
		break;
	case PHONE_EV_ANSWERED:
		e = json_cstr(b, "codec", ev->codec);
		if (!e)
			e = ev->suite ? json_cstr(b, "srtp", ev->suite)
				      : json_null(b, "srtp");
		break;
	case PHONE_EV_HOLD:
	case PHONE_EV_RESUMED:
		e = opt_str(b, "by", ev->reason);
		break;
	case PHONE_EV_DTMF: {
		char d[2] = {ev->digit, '\0'};
		e = json_cstr(b, "digit", d);
		break;
	}
	case PHONE_EV_TRANSFER:
		e = json_int(b, "code", ev->scode);
		if (!e)
			e = opt_str(b, "to", ev->target);
		break;
	case PHONE_EV_ENDED:
		e = json_cstr(b, "cause", ev->cause);
		if (!e)
			e = json_int(b, "code", ev->scode);
		if (!e)
			e = opt_str(b, "reason", ev->reason);
		break;
	case PHONE_EV_TRACE:
		e = json_cstr(b, "dir", ev->outgoing ? "out" : "in");
		if (!e)
			e = json_cstr(b, "text", ev->text);
		break;
	case PHONE_EV_UNREGISTERED:
		break;
	}
	return e;
}

int evfmt_json(struct buf *b, const struct phone_event *ev)
{
	int e = json_begin(b);
	if (!e)
		e = json_cstr(b, "event", phone_ev_name(ev->kind));
	if (!e && ev->call)
		e = json_int(b, "call", ev->call);
	if (!e && ev->account && ev->kind != PHONE_EV_TRACE)
		e = json_cstr(b, "account", ev->account);
	if (!e)
		e = kind_json(b, ev);
	return e ? e : json_end(b);
}

int evfmt_error_json(struct buf *b, const char *command, const char *reason)
{
	int e = json_begin(b);
	if (!e)
		e = json_cstr(b, "event", "error");
	if (!e && command)
		e = json_cstr(b, "command", command);
	if (!e)
		e = json_cstr(b, "reason", reason);
	return e ? e : json_end(b);
}

int evfmt_row_json(struct buf *b, const char *kind, const struct cmd_field *f,
		   size_t n)
{
	int e = json_begin(b);
	if (!e)
		e = json_cstr(b, "event", kind);
	for (size_t i = 0; !e && i < n; i++) {
		switch (f[i].type) {
		case CMD_F_STR:
			e = f[i].str ? json_cstr(b, f[i].key, f[i].str)
				     : json_null(b, f[i].key);
			break;
		case CMD_F_INT:
			e = json_int(b, f[i].key, f[i].num);
			break;
		case CMD_F_BOOL:
			e = json_bool(b, f[i].key, f[i].num != 0);
			break;
		}
	}
	return e ? e : json_end(b);
}

static const char *s(const char *v)
{
	return v ? v : "";
}

void evfmt_text(char *buf, size_t size, const struct phone_event *ev)
{
	char who[32] = "";
	if (ev->call)
		snprintf(who, sizeof(who), "call %u: ", ev->call);
	switch (ev->kind) {
	case PHONE_EV_REGISTERED:
		snprintf(buf, size, "%s: registered (expires in %u s)",
			 s(ev->account), ev->expires);
		break;
	case PHONE_EV_REG_FAILED:
		snprintf(buf, size, "%s: registration failed: %u %s",
			 s(ev->account), ev->scode, s(ev->reason));
		break;
	case PHONE_EV_UNREGISTERED:
		snprintf(buf, size, "%s: unregistered", s(ev->account));
		break;
	case PHONE_EV_INCOMING:
		snprintf(buf, size, "%sincoming from %s%s%s%s", who,
			 s(ev->display),
			 ev->display && ev->display[0] ? " <" : "", s(ev->peer),
			 ev->display && ev->display[0] ? ">" : "");
		break;
	case PHONE_EV_CALLING:
		snprintf(buf, size, "%scalling %s", who, s(ev->peer));
		break;
	case PHONE_EV_RINGING:
		snprintf(buf, size, "%sringing (%u)", who, ev->scode);
		break;
	case PHONE_EV_FORWARDED:
		snprintf(buf, size, "%s%s forwarded to %s", who,
			 s(ev->fwd_from), s(ev->fwd_to));
		break;
	case PHONE_EV_REDIRECTED:
		snprintf(buf, size, "%sredirected (%u) to %s", who, ev->scode,
			 s(ev->target));
		break;
	case PHONE_EV_ANSWERED:
		snprintf(buf, size, "%sanswered, %s, %s%s", who, s(ev->codec),
			 ev->suite ? "SRTP " : "unencrypted",
			 ev->suite ? ev->suite : "");
		break;
	case PHONE_EV_HOLD:
		snprintf(buf, size, "%son hold (%s)", who, s(ev->reason));
		break;
	case PHONE_EV_RESUMED:
		snprintf(buf, size, "%sresumed", who);
		break;
	case PHONE_EV_DTMF:
		snprintf(buf, size, "%sDTMF %c", who, ev->digit);
		break;
	case PHONE_EV_TRANSFER:
		snprintf(buf, size, "%stransfer to %s: %u", who, s(ev->target),
			 ev->scode);
		break;
	case PHONE_EV_ENDED:
		if (ev->scode)
			snprintf(buf, size, "%sended: %s (%u %s)", who,
				 s(ev->cause), ev->scode, s(ev->reason));
		else
			snprintf(buf, size, "%sended: %s", who, s(ev->cause));
		break;
	case PHONE_EV_TRACE:
		snprintf(buf, size, "%s", s(ev->text));
		break;
	}
}
