/* tui_text.c: the text of the status line, call list, prompt, events, help. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "cli/tui_int.h"

/* -- clean, column-counted text ------------------------------------------ */

/* Decode one UTF-8 sequence at @p s (shortest form, no surrogates, at most
 * U+10FFFF). @return its length, or 0 when invalid. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	size_t n, i;
	uint32_t c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2, c &= 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3, c &= 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Columns of a code point; unknown widths (e.g. in the C locale) count 1. */
static int cp_cols(uint32_t cp)
{
	int w;

	if (cp < 0x80)
		return 1;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

static bool cp_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
}

int tui_clean(char *buf, size_t size, const char *s, int cols)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = 0, n;
	int used = 0, w;
	uint32_t cp;

	if (!size)
		return 0;
	while (*p) {
		n = utf8_decode(p, &cp);
		if (!n || cp_control(cp)) {
			cp = '?';
			w = 1;
			n = n ? n : 1;
			if (used + w > cols || len + 1 >= size)
				break;
			buf[len++] = '?';
		} else {
			w = cp_cols(cp);
			if (used + w > cols || len + n >= size)
				break;
			memcpy(buf + len, p, n);
			len += n;
		}
		used += w;
		p += n;
	}
	buf[len] = '\0';
	return used;
}

int tui_cols(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;
	uint32_t cp;
	int cols = 0;

	while (*p) {
		n = utf8_decode(p, &cp);
		cols += n ? cp_cols(cp) : 1;
		p += n ? n : 1;
	}
	return cols;
}

/* A line being built: clean text appended up to a column limit. */
struct lb {
	char *b;
	size_t size, len;
	int col, max;
};

static void lb_init(struct lb *l, char *buf, size_t size, int cols)
{
	l->b = buf;
	l->size = size;
	l->len = 0;
	l->col = 0;
	l->max = cols < 0 ? 0 : cols;
	if (size)
		buf[0] = '\0';
}

/* Append @p s in at most @p width columns (the rest of the line if < 0). */
static void lb_put(struct lb *l, const char *s, int width)
{
	int room = l->max - l->col;

	if (width >= 0 && width < room)
		room = width;
	if (room <= 0 || l->len + 1 >= l->size)
		return;
	l->col += tui_clean(l->b + l->len, l->size - l->len, s, room);
	l->len += strlen(l->b + l->len);
}

static void lb_printf(struct lb *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void lb_printf(struct lb *l, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	lb_put(l, tmp, -1);
}

static void lb_pad(struct lb *l, int col)
{
	while (l->col < col && l->col < l->max && l->len + 1 < l->size) {
		l->b[l->len++] = ' ';
		l->b[l->len] = '\0';
		l->col++;
	}
}

/* A column of @p width: @p s cut with a '~' when too long, then padded;
 * one space separates it from the next column. */
static void lb_field(struct lb *l, const char *s, int width)
{
	int start = l->col;

	if (tui_cols(s) > width && width > 1) {
		lb_put(l, s, width - 1);
		lb_put(l, "~", 1);
	} else {
		lb_put(l, s, width);
	}
	lb_pad(l, start + width + 1);
}

/* Drop trailing spaces so that what tests compare is what one sees. */
static void lb_trim(struct lb *l)
{
	while (l->len && l->b[l->len - 1] == ' ')
		l->b[--l->len] = '\0';
}

/* -- small fields --------------------------------------------------------- */

void tui_fmt_duration(char *buf, size_t size, uint32_t secs)
{
	if (secs >= 3600)
		snprintf(buf, size, "%u:%02u:%02u", secs / 3600, secs / 60 % 60,
			 secs % 60);
	else
		snprintf(buf, size, "%u:%02u", secs / 60, secs % 60);
}

void tui_fmt_media(char *buf, size_t size, const char *codec, const char *suite)
{
	if (suite && *suite)
		snprintf(buf, size, "SRTP %s", suite);
	else if (codec && *codec)
		snprintf(buf, size, "plain RTP");
	else
		snprintf(buf, size, "-");
}

void tui_fmt_party(char *buf, size_t size, const char *display,
		   const char *peer)
{
	if (display && *display)
		snprintf(buf, size, "%s <%s>", display, peer ? peer : "");
	else
		snprintf(buf, size, "%s", peer && *peer ? peer : "unknown");
}

/* -- status line and call list ------------------------------------------- */

void tui_fmt_status(char *buf, size_t size, int cols,
		    const struct phone_account_info *v, size_t n)
{
	struct lb l;

	lb_init(&l, buf, size, cols);
	lb_put(&l, "phonebox", -1);
	if (!n)
		lb_put(&l, "  no accounts (direct calls only)", -1);
	for (size_t i = 0; i < n; i++) {
		lb_printf(&l, "  %s: %s", v[i].name ? v[i].name : "?",
			  v[i].state ? v[i].state : "?");
		if (v[i].reason && *v[i].reason)
			lb_printf(&l, " (%s)", v[i].reason);
	}
}

/* Columns of the call list: id, dir, peer (flexible), state, time, codec,
 * media (the rest). */
enum {
	COL_ID = 3,
	COL_DIR = 3,
	COL_STATE = 12,
	COL_TIME = 7,
	COL_CODEC = 6,
	COL_MEDIA = 28,
	COL_PEER_MIN = 20,
};

static int peer_width(int cols)
{
	int w = cols - (COL_ID + COL_DIR + COL_STATE + COL_TIME + COL_CODEC +
			COL_MEDIA + 6);

	return w < COL_PEER_MIN ? COL_PEER_MIN : w;
}

void tui_fmt_call_header(char *buf, size_t size, int cols)
{
	struct lb l;

	lb_init(&l, buf, size, cols);
	lb_field(&l, "  #", COL_ID);
	lb_field(&l, "dir", COL_DIR);
	lb_field(&l, "peer", peer_width(cols));
	lb_field(&l, "state", COL_STATE);
	lb_field(&l, "time", COL_TIME);
	lb_field(&l, "codec", COL_CODEC);
	lb_put(&l, "media", -1);
	lb_trim(&l);
}

void tui_fmt_call(char *buf, size_t size, int cols,
		  const struct phone_call_info *c)
{
	char tmp[512];
	struct lb l;

	lb_init(&l, buf, size, cols);
	snprintf(tmp, sizeof(tmp), "%3u", c->id);
	lb_field(&l, tmp, COL_ID);
	lb_field(&l, c->incoming ? "in" : "out", COL_DIR);
	tui_fmt_party(tmp, sizeof(tmp), c->display, c->peer);
	lb_field(&l, tmp, peer_width(cols));
	snprintf(tmp, sizeof(tmp), "%s%s", c->state ? c->state : "?",
		 c->muted ? " muted" : "");
	lb_field(&l, tmp, COL_STATE);
	if (c->state &&
	    (!strcmp(c->state, "active") || !strcmp(c->state, "held")))
		tui_fmt_duration(tmp, sizeof(tmp), c->duration);
	else
		snprintf(tmp, sizeof(tmp), "-");
	lb_field(&l, tmp, COL_TIME);
	lb_field(&l, c->codec && *c->codec ? c->codec : "-", COL_CODEC);
	tui_fmt_media(tmp, sizeof(tmp), c->codec, c->suite);
	lb_put(&l, tmp, -1);
	lb_trim(&l);
}

unsigned tui_fmt_prompt(char *buf, size_t size, int cols,
			const struct phone_call_info *v, size_t n)
{
	char party[512];
	size_t i, more = 0;
	unsigned id = 0;
	struct lb l;

	lb_init(&l, buf, size, cols);
	for (i = 0; i < n; i++) {
		if (!v[i].incoming || !v[i].state ||
		    strcmp(v[i].state, "incoming"))
			continue;
		if (!id)
			id = v[i].id;
		else
			more++;
	}
	if (!id)
		return 0;
	for (i = 0; v[i].id != id; i++)
		;
	tui_fmt_party(party, sizeof(party), v[i].display, v[i].peer);
	lb_printf(&l, "Incoming call from %s  [a]nswer [r]eject", party);
	if (more)
		lb_printf(&l, "  (%zu more waiting)", more);
	return id;
}

/* -- events --------------------------------------------------------------- */

static const char *str(const char *s)
{
	return s ? s : "";
}

/* " (180 Ringing)", " (486)", or "" */
static void fmt_code(char *buf, size_t size, uint16_t scode, const char *reason)
{
	if (scode && reason && *reason)
		snprintf(buf, size, " (%u %s)", scode, reason);
	else if (scode)
		snprintf(buf, size, " (%u)", scode);
	else if (reason && *reason)
		snprintf(buf, size, " (%s)", reason);
	else
		buf[0] = '\0';
}

static void fmt_call_event(char *buf, size_t size, const struct phone_event *ev,
			   const char *code)
{
	char party[512], media[128];

	switch (ev->kind) {
	case PHONE_EV_INCOMING:
		tui_fmt_party(party, sizeof(party), ev->display, ev->peer);
		snprintf(buf, size, "call %u: incoming call from %s%s%s",
			 ev->call, party, ev->target ? ", replacing call " : "",
			 str(ev->target));
		break;
	case PHONE_EV_CALLING:
		snprintf(buf, size, "call %u: calling %s", ev->call,
			 str(ev->peer));
		break;
	case PHONE_EV_RINGING:
		snprintf(buf, size, "call %u: ringing%s", ev->call, code);
		break;
	case PHONE_EV_FORWARDED:
		if (ev->fwd_from && *ev->fwd_from)
			snprintf(buf, size, "call %u: %s forwarded to %s",
				 ev->call, ev->fwd_from,
				 ev->fwd_to && *ev->fwd_to ? ev->fwd_to
							   : "another party");
		else if (ev->fwd_to && *ev->fwd_to)
			snprintf(buf, size, "call %u: forwarded to %s",
				 ev->call, ev->fwd_to);
		else
			snprintf(buf, size, "call %u: call is being forwarded",
				 ev->call);
		break;
	case PHONE_EV_REDIRECTED:
		snprintf(buf, size, "call %u: redirected to %s%s", ev->call,
			 str(ev->target), code);
		break;
	case PHONE_EV_ANSWERED:
		tui_fmt_media(media, sizeof(media), ev->codec, ev->suite);
		snprintf(buf, size, "call %u: answered, %s, %s", ev->call,
			 ev->codec && *ev->codec ? ev->codec : "no codec",
			 media);
		break;
	case PHONE_EV_HOLD:
		if (ev->reason && !strcmp(ev->reason, "remote"))
			snprintf(buf, size, "call %u: put on hold by the peer",
				 ev->call);
		else
			snprintf(buf, size, "call %u: on hold", ev->call);
		break;
	case PHONE_EV_RESUMED:
		snprintf(buf, size, "call %u: resumed", ev->call);
		break;
	case PHONE_EV_DTMF:
		snprintf(buf, size, "call %u: DTMF %c received", ev->call,
			 ev->digit ? ev->digit : '?');
		break;
	case PHONE_EV_TRANSFER:
		snprintf(buf, size, "call %u: transfer to %s%s", ev->call,
			 ev->target && *ev->target ? ev->target : "?", code);
		break;
	case PHONE_EV_ENDED:
		/* a final failure code says why; the 200 of a BYE does not */
		snprintf(buf, size, "call %u: ended, %s%s", ev->call,
			 ev->cause ? ev->cause : "unknown",
			 ev->scode >= 300 ? code : "");
		break;
	default:
		snprintf(buf, size, "call %u: event %d", ev->call,
			 (int)ev->kind);
		break;
	}
}

void tui_fmt_event(char *buf, size_t size, const struct phone_event *ev)
{
	const char *acc = ev->account && *ev->account ? ev->account : "account";
	char code[300];

	if (!size)
		return;
	fmt_code(code, sizeof(code), ev->scode, ev->reason);
	switch (ev->kind) {
	case PHONE_EV_REGISTERED:
		snprintf(buf, size, "%s: registered (expires in %u s)", acc,
			 ev->expires);
		break;
	case PHONE_EV_REG_FAILED:
		snprintf(buf, size, "%s: registration failed%s", acc, code);
		break;
	case PHONE_EV_UNREGISTERED:
		snprintf(buf, size, "%s: unregistered", acc);
		break;
	case PHONE_EV_TRACE:
		snprintf(buf, size, "%s", str(ev->text));
		break;
	default:
		fmt_call_event(buf, size, ev, code);
		break;
	}
}

/* -- help ----------------------------------------------------------------- */

static const char *const help_keys[] = {
    "Keys:",
    "  a        answer the incoming call",
    "  r        reject the incoming call",
    "  h        hang up the selected call",
    "  H        hold / resume the selected call (R resumes)",
    "  m        mute / unmute the selected call (M unmutes)",
    "  0-9 * #  send DTMF to the selected active call",
    "  d t      :dial / :transfer with the target still to type",
    "  x        :xfer the selected call to the other (attended transfer)",
    "  Up Down  select a call",
    "  PgUp PgDn scroll the log",
    "  T        show / hide the SIP trace in the log",
    "  :        open the command line (Up/Down: history, Esc: close)",
    "  ?        this help (any key closes it)",
    "  q q      quit",
    "",
    "Commands:",
};

bool tui_help_line(char *buf, size_t size, int cols, const struct cmd *table,
		   size_t i)
{
	const size_t nkeys = sizeof(help_keys) / sizeof(help_keys[0]);
	char usage[128];
	struct lb l;
	size_t k;

	lb_init(&l, buf, size, cols);
	if (i < nkeys) {
		lb_put(&l, help_keys[i], -1);
		return true;
	}
	i -= nkeys;
	for (k = 0; table && table[k].name && k < i; k++)
		;
	if (table && table[k].name) {
		snprintf(usage, sizeof(usage), ":%s%s%s", table[k].name,
			 table[k].args && *table[k].args ? " " : "",
			 str(table[k].args));
		lb_put(&l, "  ", -1);
		lb_field(&l, usage, 26);
		lb_put(&l, str(table[k].help), -1);
		lb_trim(&l);
		return true;
	}
	if (table)
		i -= k;
	for (k = 0; table && table[k].name; k++)
		if (!strcmp(table[k].name, "quit"))
			return false;
	if (i == 0) {
		lb_put(&l, "  :quit                      leave phonebox", -1);
		return true;
	}
	return false;
}
