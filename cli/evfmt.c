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

/* One member of an event line. */
struct member {
	const char *key;
	enum {
		M_STR,	/**< str, NULL written as ""   */
		M_OPT,	/**< str, NULL left out        */
		M_NULL, /**< str, NULL written as null */
		M_INT,	/**< num                       */
		M_BOOL, /**< num != 0                  */
	} type;
	const char *str;
	int64_t num;
};

#define MB_STR(k, v) ((struct member){(k), M_STR, (v), 0})
#define MB_OPT(k, v) ((struct member){(k), M_OPT, (v), 0})
#define MB_INT(k, v) ((struct member){(k), M_INT, NULL, (v)})

static int put_member(struct buf *b, const struct member *m)
{
	switch (m->type) {
	case M_OPT:
		return m->str ? json_cstr(b, m->key, m->str) : 0;
	case M_NULL:
		return m->str ? json_cstr(b, m->key, m->str)
			      : json_null(b, m->key);
	case M_INT:
		return json_int(b, m->key, m->num);
	case M_BOOL:
		return json_bool(b, m->key, m->num != 0);
	default:
		return json_cstr(b, m->key, m->str);
	}
}

/* {"event":@p event, then the members (json_end() closes it) */
static int line_begin(struct buf *b, const char *event)
{
	int e = json_begin(b);
	return e ? e : json_cstr(b, "event", event);
}

/* {"event":@p event, members...} and a newline */
static int put_line(struct buf *b, const char *event, const struct member *m,
		    size_t n)
{
	int e = line_begin(b, event);
	for (size_t i = 0; !e && i < n; i++)
		e = put_member(b, &m[i]);
	return e ? e : json_end(b);
}

/* The members of @p ev's kind into @p m (room for 3); @p d holds a DTMF
 * digit as a string. @return how many. */
static size_t kind_members(const struct phone_event *ev, struct member *m,
			   char d[2])
{
	size_t n = 0;
	switch (ev->kind) {
	case PHONE_EV_REGISTERED:
		m[n++] = MB_INT("expires", ev->expires);
		break;
	case PHONE_EV_REG_FAILED:
		m[n++] = MB_INT("code", ev->scode);
		m[n++] = MB_OPT("reason", ev->reason);
		break;
	case PHONE_EV_INCOMING:
		m[n++] = MB_OPT("from", ev->peer);
		m[n++] = MB_STR("display", ev->display);
		m[n++] = MB_OPT("replaces", ev->target);
		break;
	case PHONE_EV_CALLING:
		m[n++] = MB_OPT("to", ev->peer);
		break;
	case PHONE_EV_RINGING:
		m[n++] = MB_INT("code", ev->scode);
		break;
	case PHONE_EV_FORWARDED:
		m[n++] = MB_STR("from", ev->fwd_from);
		m[n++] = MB_STR("to", ev->fwd_to);
		break;
	case PHONE_EV_REDIRECTED:
		m[n++] = MB_INT("code", ev->scode);
		m[n++] = MB_STR("to", ev->target);
		break;
	case PHONE_EV_ANSWERED:
		m[n++] = MB_STR("codec", ev->codec);
		m[n++] = (struct member){"srtp", M_NULL, ev->suite, 0};
		break;
	case PHONE_EV_HOLD:
	case PHONE_EV_RESUMED:
		m[n++] = MB_OPT("by", ev->reason);
		break;
	case PHONE_EV_DTMF:
		d[0] = ev->digit;
		d[1] = '\0';
		m[n++] = MB_STR("digit", d);
		break;
	case PHONE_EV_TRANSFER:
		m[n++] = MB_INT("code", ev->scode);
		m[n++] = MB_OPT("to", ev->target);
		break;
	case PHONE_EV_ENDED:
		m[n++] = MB_STR("cause", ev->cause);
		m[n++] = MB_INT("code", ev->scode);
		m[n++] = MB_OPT("reason", ev->reason);
		break;
	case PHONE_EV_TRACE:
		m[n++] = MB_STR("dir", ev->outgoing ? "out" : "in");
		m[n++] = MB_STR("text", ev->text);
		break;
	case PHONE_EV_UNREGISTERED:
		break;
	}
	return n;
}

int evfmt_json(struct buf *b, const struct phone_event *ev)
{
	struct member m[5];
	size_t n = 0;
	char d[2];
	if (ev->call)
		m[n++] = MB_INT("call", ev->call);
	if (ev->account && ev->kind != PHONE_EV_TRACE)
		m[n++] = MB_STR("account", ev->account);
	n += kind_members(ev, m + n, d);
	return put_line(b, phone_ev_name(ev->kind), m, n);
}

int evfmt_error_json(struct buf *b, const char *command, const char *reason)
{
	struct member m[] = {MB_OPT("command", command),
			     MB_STR("reason", reason)};
	return put_line(b, "error", m, 2);
}

int evfmt_row_json(struct buf *b, const char *kind, const struct cmd_field *f,
		   size_t n)
{
	int e = line_begin(b, kind);
	for (size_t i = 0; !e && i < n; i++) {
		struct member m = {f[i].key, M_NULL, f[i].str, f[i].num};
		if (f[i].type == CMD_F_INT)
			m.type = M_INT;
		else if (f[i].type == CMD_F_BOOL)
			m.type = M_BOOL;
		e = put_member(b, &m);
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
		snprintf(buf, size, "%sincoming from %s%s%s%s%s%s", who,
			 s(ev->display),
			 ev->display && ev->display[0] ? " <" : "", s(ev->peer),
			 ev->display && ev->display[0] ? ">" : "",
			 ev->target ? ", replacing call " : "", s(ev->target));
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
