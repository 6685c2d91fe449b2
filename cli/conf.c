/* conf.c: decoder for `key value` configuration files.
 *
 * The text is copied once into the conf object; every key and value is a
 * pl view into that copy. Lines longer than CONF_LINE_MAX, keys with odd
 * characters, unterminated quotes and NUL bytes are refused with the line
 * number, so a user sees exactly what to fix.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"
#include "cli/conf.h"

enum {
	CONF_LINE_MAX = 4096,
	CONF_SIZE_MAX = 1 << 20,
	CONF_PAIRS_MAX = 4096,
};

struct conf_pair {
	struct pl key; /**< view into text */
	struct pl val; /**< view into text */
};

struct conf {
	char *text;		 /**< owned copy of the input */
	struct conf_pair *pairs; /**< in file order           */
	size_t n;		 /**< used pairs              */
	size_t alloc;		 /**< allocated pairs         */
};

static void conf_destroy(void *arg)
{
	struct conf *c = arg;
	obj_deref(c->text);
	obj_deref(c->pairs);
}

static int fail(struct conf_err *err, unsigned line, const char *reason)
{
	if (err) {
		err->line = line;
		snprintf(err->reason, sizeof(err->reason), "%s", reason);
	}
	return EBADMSG;
}

static bool key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

static int add_pair(struct conf *c, struct pl key, struct pl val)
{
	if (c->n == c->alloc) {
		size_t n = c->alloc ? c->alloc * 2 : 16;
		struct conf_pair *p = obj_realloc(c->pairs, n * sizeof(*p));
		if (!p)
			return ENOMEM;
		c->pairs = p;
		c->alloc = n;
	}
	c->pairs[c->n].key = key;
	c->pairs[c->n].val = val;
	c->n++;
	return 0;
}

/* Split the value part of a line: quoted or bare, comment stripped. */
static int decode_value(struct pl *rest, struct pl *val, const char **why)
{
	pl_trim(rest);
	if (rest->l && rest->p[0] == '"') {
		const char *q = memchr(rest->p + 1, '"', rest->l - 1);
		if (!q) {
			*why = "unterminated quoted value";
			return EBADMSG;
		}
		*val = (struct pl){rest->p + 1, (size_t)(q - rest->p - 1)};
		struct pl after = {q + 1, rest->l - (size_t)(q + 1 - rest->p)};
		pl_trim(&after);
		if (after.l && after.p[0] != '#') {
			*why = "text after the closing quote";
			return EBADMSG;
		}
		return 0;
	}
	const char *hash = pl_chr(rest, '#');
	*val = (struct pl){rest->p, hash ? (size_t)(hash - rest->p) : rest->l};
	pl_trim(val);
	return 0;
}

struct decode_ctx {
	struct conf *c;
	struct conf_err *err;
};

static int decode_line(const struct pl *text, unsigned no, void *arg)
{
	const struct decode_ctx *x = arg;
	struct conf *c = x->c;
	struct conf_err *err = x->err;
	struct pl line = *text;
	if (line.l > CONF_LINE_MAX)
		return fail(err, no, "line too long");
	if (memchr(line.p, '\0', line.l))
		return fail(err, no, "NUL byte in line");
	pl_trim(&line);
	if (!line.l || line.p[0] == '#')
		return 0;
	size_t k = 0;
	while (k < line.l && key_char(line.p[k]))
		k++;
	if (!k)
		return fail(err, no, "line does not start with a key");
	if (k < line.l && line.p[k] != ' ' && line.p[k] != '\t' &&
	    line.p[k] != '#')
		return fail(err, no, "invalid character in key");
	struct pl key = {line.p, k};
	struct pl rest = {line.p + k, line.l - k}, val;
	const char *why = NULL;
	if (decode_value(&rest, &val, &why))
		return fail(err, no, why);
	if (c->n >= CONF_PAIRS_MAX)
		return fail(err, no, "too many entries");
	int e = add_pair(c, key, val);
	return e ? e : 0;
}

int conf_decode(struct conf **confp, const char *text, size_t len,
		struct conf_err *err)
{
	if (!confp || (!text && len))
		return EINVAL;
	if (len > CONF_SIZE_MAX)
		return fail(err, 0, "file larger than 1 MiB");
	struct conf *c = obj_zalloc(sizeof(*c), conf_destroy);
	if (!c)
		return ENOMEM;
	int e = 0;
	c->text = obj_strndup(len ? text : "", len);
	if (!c->text) {
		e = ENOMEM;
		goto out;
	}
	struct decode_ctx x = {c, err};
	e = conf_lines(c->text, len, decode_line, &x);
out:
	if (e)
		obj_deref(c);
	else
		*confp = c;
	return e;
}

int conf_lines(const char *text, size_t len, conf_line_h *h, void *arg)
{
	const char *p = text, *end = text + len;
	unsigned no = 0;
	int e = 0;
	while (!e && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct pl line = {p, (size_t)((nl ? nl : end) - p)};
		e = h(&line, ++no, arg);
		p = nl ? nl + 1 : end;
	}
	return e;
}

int conf_file_read(const char *path, size_t max, char **bp, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return errno;
	char *b = obj_alloc(max + 1, NULL);
	if (!b) {
		fclose(f);
		return ENOMEM;
	}
	*lenp = fread(b, 1, max + 1, f);
	int e = ferror(f) ? EIO : 0;
	fclose(f);
	if (e)
		obj_deref(b);
	else
		*bp = b;
	return e;
}

int conf_load(struct conf **confp, const char *path, struct conf_err *err)
{
	char *b;
	size_t n;
	int e = conf_file_read(path, CONF_SIZE_MAX, &b, &n);
	if (e)
		return e;
	e = conf_decode(confp, b, n, err);
	obj_deref(b);
	return e;
}

int conf_get(const struct conf *conf, const char *key, struct pl *val)
{
	for (size_t i = 0; conf && i < conf->n; i++) {
		if (!pl_strcmp(&conf->pairs[i].key, key)) {
			*val = conf->pairs[i].val;
			return 0;
		}
	}
	return ENOENT;
}

int conf_get_str(const struct conf *conf, const char *key, char *buf,
		 size_t size)
{
	struct pl v;
	int e = conf_get(conf, key, &v);
	if (!e)
		pl_copy(&v, buf, size);
	return e;
}

int conf_get_u32(const struct conf *conf, const char *key, uint32_t *v)
{
	struct pl pl;
	int e = conf_get(conf, key, &pl);
	return e ? e : pl_u32(&pl, v);
}

int conf_get_bool(const struct conf *conf, const char *key, bool *v)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};
	struct pl pl;
	int e = conf_get(conf, key, &pl);
	if (e)
		return e;
	for (size_t i = 0; i < 4; i++) {
		if (!pl_strcasecmp(&pl, yes[i])) {
			*v = true;
			return 0;
		}
		if (!pl_strcasecmp(&pl, no[i])) {
			*v = false;
			return 0;
		}
	}
	return EINVAL;
}

void conf_apply(const struct conf *conf, const char *key, conf_apply_h *h,
		void *arg)
{
	for (size_t i = 0; conf && i < conf->n; i++)
		if (!key || !pl_strcmp(&conf->pairs[i].key, key))
			h(&conf->pairs[i].key, &conf->pairs[i].val, arg);
}

size_t conf_count(const struct conf *conf)
{
	return conf ? conf->n : 0;
}

unsigned conf_line(const struct conf *conf, const struct pl *view)
{
	if (!conf || !view || !view->p || view->p < conf->text)
		return 0;
	size_t off = (size_t)(view->p - conf->text);
	size_t len = strlen(conf->text);
	if (off > len)
		return 0;
	unsigned line = 1;
	for (size_t i = 0; i < off; i++)
		if (conf->text[i] == '\n')
			line++;
	return line;
}
