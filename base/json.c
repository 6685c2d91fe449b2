/* json.c: escaping JSON writer for flat objects, one per line. */
#include <errno.h>

#include "json.h"

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *p, size_t left)
{
	size_t n;
	uint32_t cp;
	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

int json_escape(struct buf *b, const struct pl *val)
{
	int e = buf_write(b, "\"", 1);
	const unsigned char *p = (const unsigned char *)val->p;
	size_t i = 0;
	while (!e && i < val->l) {
		unsigned char c = p[i];
		size_t n = utf8_len(p + i, val->l - i);
		if (c == '"' || c == '\\') {
			char esc[2] = {'\\', (char)c};
			e = buf_write(b, esc, 2);
		} else if (c == '\n') {
			e = buf_write(b, "\\n", 2);
		} else if (c == '\r') {
			e = buf_write(b, "\\r", 2);
		} else if (c == '\t') {
			e = buf_write(b, "\\t", 2);
		} else if (c < 0x20 || c == 0x7f) {
			e = buf_printf(b, "\\u%04x", c);
		} else if (!n) {
			e = buf_write(b, "\xef\xbf\xbd", 3); /* U+FFFD */
			n = 1;
		} else {
			e = buf_write(b, p + i, n);
		}
		i += n ? n : 1;
	}
	return e ? e : buf_write(b, "\"", 1);
}

static int json_key(struct buf *b, const char *key)
{
	if (b->end && b->b[b->end - 1] != '{') {
		int e = buf_write(b, ",", 1);
		if (e)
			return e;
	}
	struct pl k = pl_from_str(key);
	int e = json_escape(b, &k);
	return e ? e : buf_write(b, ":", 1);
}

int json_begin(struct buf *b)
{
	return buf_write(b, "{", 1);
}

int json_str(struct buf *b, const char *key, const struct pl *val)
{
	int e = json_key(b, key);
	return e ? e : json_escape(b, val);
}

int json_cstr(struct buf *b, const char *key, const char *val)
{
	struct pl v = pl_from_str(val ? val : "");
	return json_str(b, key, &v);
}

int json_int(struct buf *b, const char *key, int64_t val)
{
	int e = json_key(b, key);
	return e ? e : buf_printf(b, "%lld", (long long)val);
}

int json_bool(struct buf *b, const char *key, bool val)
{
	int e = json_key(b, key);
	return e ? e : buf_write_str(b, val ? "true" : "false");
}

int json_null(struct buf *b, const char *key)
{
	int e = json_key(b, key);
	return e ? e : buf_write_str(b, "null");
}

int json_end(struct buf *b)
{
	return buf_write(b, "}\n", 2);
}
