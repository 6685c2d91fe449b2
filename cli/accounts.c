/* accounts.c: decoder for the accounts file (one SIP name-addr a line).
 *
 * A line is an address followed by account parameters:
 *
 *   Alice <sips:alice@pbx.example.com;transport=tls>;auth_pass=s;100rel=off
 *   \___/ \________________________________________/ \_____________________/
 *   display        AOR (URI params inside <>)          account parameters
 *
 * The address is decoded by the SIP grammar (ua/sip/addr.h); the account
 * parameters are split here, more liberally than SIP header parameters, so
 * that `codecs=opus,PCMU` and `registrar=sip:pbx.example.com` need no
 * quotes. A value in double quotes may hold ';', spaces and '#', with
 * backslash escapes. Every error names the parameter and says what would
 * be accepted, so the user knows how to fix the line.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "cli/accounts.h"
#include "cli/conf.h"
#include "ua/sip/addr.h"

enum {
	ACC_LINE_MAX = 2048,
	ACC_SIZE_MAX = 1 << 20,
	ACC_MAX = 256,
	ACC_VAL_MAX = 512,
};

/* One account parameter: name, and how its value is stored. */
struct acc_param {
	const char *name;
	int (*set)(struct phone_account *a, const struct acc_param *p,
		   const char *val, char *err, size_t errlen);
	size_t off;  /**< offset of the char[] field, for set_str */
	size_t size; /**< size of that field                      */
};

static int set_str(struct phone_account *a, const struct acc_param *p,
		   const char *val, char *err, size_t errlen)
{
	size_t l = strlen(val);
	if (l >= p->size) {
		snprintf(err, errlen, "%s too long (at most %zu bytes)",
			 p->name, p->size - 1);
		return EBADMSG;
	}
	memcpy((char *)a + p->off, val, l + 1);
	return 0;
}

/* yes/no flags: accept the spellings the config file accepts */
static int parse_bool(const char *val, bool *b)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};
	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(val, yes[i])) {
			*b = true;
			return 0;
		}
		if (!strcasecmp(val, no[i])) {
			*b = false;
			return 0;
		}
	}
	return EINVAL;
}

static int set_bool(struct phone_account *a, const struct acc_param *p,
		    const char *val, char *err, size_t errlen)
{
	if (parse_bool(val, (bool *)((char *)a + p->off))) {
		snprintf(err, errlen, "bad %s '%s' (use yes or no)", p->name,
			 val);
		return EBADMSG;
	}
	return 0;
}

/* a sip:/sips: URI, e.g. a registrar or an outbound proxy */
static bool is_sip_uri(const char *val)
{
	struct sip_uri u;
	struct pl pl = pl_from_str(val);
	if (sip_uri_decode(&u, &pl))
		return false;
	return (u.scheme == SIP_URI_SIP || u.scheme == SIP_URI_SIPS) &&
	       u.host.l > 0;
}

static int set_registrar(struct phone_account *a, const struct acc_param *p,
			 const char *val, char *err, size_t errlen)
{
	if (!strcasecmp(val, "none"))
		val = "none";
	else if (!is_sip_uri(val)) {
		snprintf(err, errlen,
			 "bad registrar '%s' (use a sip: or sips: URI, "
			 "or none)",
			 val);
		return EBADMSG;
	}
	return set_str(a, p, val, err, errlen);
}

static int set_proxy(struct phone_account *a, const struct acc_param *p,
		     const char *val, char *err, size_t errlen)
{
	if (!is_sip_uri(val)) {
		snprintf(err, errlen,
			 "bad %s '%s' (use a sip: or sips: URI, e.g. "
			 "sip:proxy.example.com;transport=tcp)",
			 p->name, val);
		return EBADMSG;
	}
	return set_str(a, p, val, err, errlen);
}

static int set_codecs(struct phone_account *a, const struct acc_param *p,
		      const char *val, char *err, size_t errlen)
{
	static const char *const known[] = {"opus", "G722", "PCMU", "PCMA"};
	char out[sizeof(a->codecs)] = "";
	bool seen[4] = {false};
	const char *s = val;

	(void)p;
	for (;;) {
		const char *e = strchr(s, ',');
		size_t l = e ? (size_t)(e - s) : strlen(s);
		struct pl name = {s, l};
		pl_trim(&name);
		size_t k = 0;
		while (k < 4 && pl_strcasecmp(&name, known[k]))
			k++;
		if (k == 4) {
			snprintf(err, errlen,
				 "unknown codec '%.*s' (use opus, G722, PCMU "
				 "or PCMA, separated by commas)",
				 PL_ARG(name));
			return EBADMSG;
		}
		if (seen[k]) {
			snprintf(err, errlen, "codec '%s' listed twice",
				 known[k]);
			return EBADMSG;
		}
		seen[k] = true;
		if (out[0])
			strcat(out, ",");
		strcat(out, known[k]);
		if (!e)
			break;
		s = e + 1;
	}
	memcpy(a->codecs, out, sizeof(out));
	return 0;
}

static int set_mediaenc(struct phone_account *a, const struct acc_param *p,
			const char *val, char *err, size_t errlen)
{
	(void)p;
	if (!strcasecmp(val, "off"))
		a->mediaenc = SDP_ENC_OFF;
	else if (!strcasecmp(val, "optional") || !strcasecmp(val, "srtp"))
		a->mediaenc = SDP_ENC_OPTIONAL;
	else if (!strcasecmp(val, "mandatory") || !strcasecmp(val, "srtp-mand"))
		a->mediaenc = SDP_ENC_MANDATORY;
	else {
		snprintf(err, errlen,
			 "unknown mediaenc '%s' (use off, optional or "
			 "mandatory)",
			 val);
		return EBADMSG;
	}
	return 0;
}

static int set_100rel(struct phone_account *a, const struct acc_param *p,
		      const char *val, char *err, size_t errlen)
{
	(void)p;
	if (!strcasecmp(val, "supported"))
		a->rel100 = SESS_100REL_SUPPORTED;
	else if (!strcasecmp(val, "required"))
		a->rel100 = SESS_100REL_REQUIRED;
	else if (!strcasecmp(val, "off"))
		a->rel100 = SESS_100REL_OFF;
	else {
		snprintf(err, errlen,
			 "unknown 100rel '%s' (use supported, required or "
			 "off)",
			 val);
		return EBADMSG;
	}
	return 0;
}

/* regint=0 means "do not register", as in baresip */
static int set_regint(struct phone_account *a, const struct acc_param *p,
		      const char *val, char *err, size_t errlen)
{
	struct pl pl = pl_from_str(val);
	uint32_t v;

	(void)p;
	if (pl_u32(&pl, &v) || (v && (v < 30 || v > 86400))) {
		snprintf(err, errlen,
			 "bad regint '%s' (seconds from 30 to 86400, or 0 "
			 "for no registration)",
			 val);
		return EBADMSG;
	}
	a->regint = v;
	if (!v)
		strcpy(a->registrar, "none");
	return 0;
}

#define STR(n, f)                                                              \
	{                                                                      \
		n, set_str, offsetof(struct phone_account, f),                 \
		    sizeof(((struct phone_account *)0)->f)                     \
	}
#define FLD(n, h, f)                                                           \
	{                                                                      \
		n, h, offsetof(struct phone_account, f),                       \
		    sizeof(((struct phone_account *)0)->f)                     \
	}

static const struct acc_param acc_params[] = {
    STR("auth_user", auth_user),
    STR("auth_pass", auth_pass),
    FLD("registrar", set_registrar, registrar),
    FLD("proxy", set_proxy, proxy),
    FLD("outbound_proxy", set_proxy, proxy),
    FLD("codecs", set_codecs, codecs),
    FLD("mediaenc", set_mediaenc, mediaenc),
    FLD("100rel", set_100rel, rel100),
    FLD("regint", set_regint, regint),
    FLD("answer_after", set_bool, answer_after),
    STR("ca", ca),
    FLD("tls_verify", set_bool, tls_verify),
    STR("ruri_params", ruri_params),
};

enum { ACC_NPARAMS = sizeof(acc_params) / sizeof(acc_params[0]) };

static const struct acc_param *param_find(const struct pl *name)
{
	for (size_t i = 0; i < ACC_NPARAMS; i++)
		if (!pl_strcasecmp(name, acc_params[i].name))
			return &acc_params[i];
	return NULL;
}

static bool is_uri_param(const struct pl *name)
{
	static const char *const up[] = {"transport", "user", "maddr",
					 "lr",	      "ttl",  "method"};
	for (size_t i = 0; i < sizeof(up) / sizeof(up[0]); i++)
		if (!pl_strcasecmp(name, up[i]))
			return true;
	return false;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Unquote "..." at *pp (backslash escapes) into @p out. */
static int unquote(const char **pp, const char *e, char *out, size_t size)
{
	const char *p = *pp + 1;
	size_t n = 0;
	while (p < e && *p != '"') {
		if (*p == '\\' && p + 1 < e)
			p++;
		if (n + 1 >= size)
			return E2BIG;
		out[n++] = *p++;
	}
	if (p >= e)
		return EBADMSG;
	out[n] = '\0';
	*pp = p + 1;
	return 0;
}

/* Read one value after '=' into @p out; *pp ends at ';' or the end. */
static int read_value(const char **pp, const char *e, char *out, size_t size,
		      const struct pl *name, char *err, size_t errlen)
{
	const char *p = *pp;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p < e && *p == '"') {
		int r = unquote(&p, e, out, size);
		if (r == EBADMSG) {
			snprintf(err, errlen, "unterminated quote in %.*s",
				 PL_ARG(*name));
			return EBADMSG;
		}
		if (r) {
			snprintf(err, errlen, "%.*s too long", PL_ARG(*name));
			return EBADMSG;
		}
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (p < e && *p != ';') {
			snprintf(err, errlen,
				 "text after the quoted value of %.*s",
				 PL_ARG(*name));
			return EBADMSG;
		}
	} else {
		const char *s = p;
		while (p < e && *p != ';')
			p++;
		struct pl v = {s, (size_t)(p - s)};
		pl_trim(&v);
		if (v.l >= size) {
			snprintf(err, errlen, "%.*s too long", PL_ARG(*name));
			return EBADMSG;
		}
		memcpy(out, v.p, v.l);
		out[v.l] = '\0';
	}
	*pp = p;
	return 0;
}

static int decode_params(struct phone_account *a, const struct pl *params,
			 char *err, size_t errlen)
{
	const char *p = params->p, *e = params->p + params->l;
	bool given[ACC_NPARAMS] = {false};
	char val[ACC_VAL_MAX];

	while (p < e) {
		if (*p != ';') {
			int l = e - p > 20 ? 20 : (int)(e - p);
			snprintf(err, errlen,
				 "expected ';' before '%.*s' (account "
				 "parameters are ;name=value)",
				 l, p);
			return EBADMSG;
		}
		p++;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		const char *ns = p;
		while (p < e && is_name_char(*p))
			p++;
		struct pl name = {ns, (size_t)(p - ns)};
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (!name.l) {
			snprintf(err, errlen, "empty account parameter");
			return EBADMSG;
		}
		const struct acc_param *ap = param_find(&name);
		if (!ap && is_uri_param(&name)) {
			snprintf(err, errlen,
				 "'%.*s' is a URI parameter: put the URI in "
				 "<> (Name <sip:user@host;%.*s=...>)",
				 PL_ARG(name), PL_ARG(name));
			return EBADMSG;
		}
		if (!ap) {
			snprintf(err, errlen,
				 "unknown parameter '%.*s' (known: auth_user, "
				 "auth_pass, registrar, proxy, codecs, "
				 "mediaenc, 100rel, regint, answer_after, ca, "
				 "tls_verify, ruri_params)",
				 PL_ARG(name));
			return EBADMSG;
		}
		size_t idx = (size_t)(ap - acc_params);
		if (ap->set == set_proxy)
			idx = (size_t)(param_find(&PL("proxy")) - acc_params);
		if (given[idx]) {
			snprintf(err, errlen, "parameter '%.*s' given twice",
				 PL_ARG(name));
			return EBADMSG;
		}
		given[idx] = true;
		if (p >= e || *p != '=') {
			snprintf(err, errlen,
				 "parameter '%s' needs a value "
				 "(%s=...)",
				 ap->name, ap->name);
			return EBADMSG;
		}
		p++;
		int r = read_value(&p, e, val, sizeof(val), &name, err, errlen);
		if (r)
			return r;
		if (!val[0]) {
			snprintf(err, errlen,
				 "parameter '%s' needs a value "
				 "(%s=...)",
				 ap->name, ap->name);
			return EBADMSG;
		}
		r = ap->set(a, ap, val, err, errlen);
		if (r)
			return r;
	}
	return 0;
}

/* The address part: "Name <uri>", "\"Name\" <uri>", "<uri>" or "uri". */
static const char *addr_end(const struct pl *line)
{
	const char *p = line->p, *e = line->p + line->l;
	if (p < e && *p == '"') {
		for (p++; p < e && *p != '"'; p++)
			if (*p == '\\' && p + 1 < e)
				p++;
		if (p >= e)
			return NULL;
	}
	const char *lt = p;
	while (lt < e && *lt != '<' && *lt != ';')
		lt++;
	if (lt < e && *lt == '<') {
		const char *gt = memchr(lt, '>', (size_t)(e - lt));
		return gt ? gt + 1 : NULL;
	}
	while (p < e && *p != ';' && *p != ' ' && *p != '\t')
		p++;
	return p;
}

/* Copy a display name, undoing backslash escapes of a quoted one. */
static int copy_display(char *out, size_t size, const struct sip_addr *ad)
{
	size_t n = 0;
	for (size_t i = 0; i < ad->dname.l; i++) {
		char c = ad->dname.p[i];
		if (ad->dname_quoted && c == '\\' && i + 1 < ad->dname.l)
			c = ad->dname.p[++i];
		if (n + 1 >= size)
			return E2BIG;
		out[n++] = c;
	}
	out[n] = '\0';
	return 0;
}

static int decode_addr(struct phone_account *a, const struct pl *ap, char *err,
		       size_t errlen)
{
	struct sip_addr ad;
	if (sip_addr_decode(&ad, ap, false)) {
		snprintf(err, errlen,
			 "bad address '%.*s' (expected e.g. Alice "
			 "<sip:alice@example.com>)",
			 PL_ARG(*ap));
		return EBADMSG;
	}
	if (ad.params.l) {
		snprintf(err, errlen,
			 "bad address '%.*s' (URI parameters go inside <>)",
			 PL_ARG(*ap));
		return EBADMSG;
	}
	if (ad.uri.scheme != SIP_URI_SIP && ad.uri.scheme != SIP_URI_SIPS) {
		snprintf(err, errlen,
			 "'%.*s' is not a sip: or sips: address of record",
			 PL_ARG(ad.auri));
		return EBADMSG;
	}
	if (!ad.uri.has_user || !ad.uri.user.l) {
		snprintf(err, errlen,
			 "address '%.*s' has no user (use sip:user@host)",
			 PL_ARG(ad.auri));
		return EBADMSG;
	}
	if (ad.uri.headers.l) {
		snprintf(err, errlen, "address '%.*s' has URI headers ('?')",
			 PL_ARG(ad.auri));
		return EBADMSG;
	}
	if (ad.auri.l >= sizeof(a->aor)) {
		snprintf(err, errlen, "address too long (at most %zu bytes)",
			 sizeof(a->aor) - 1);
		return EBADMSG;
	}
	pl_copy(&ad.auri, a->aor, sizeof(a->aor));
	if (copy_display(a->display, sizeof(a->display), &ad)) {
		snprintf(err, errlen,
			 "display name too long (at most %zu "
			 "bytes)",
			 sizeof(a->display) - 1);
		return EBADMSG;
	}
	size_t ul = 0;
	if (a->display[0])
		snprintf(a->name, sizeof(a->name), "%s", a->display);
	else if (sip_uri_unescape(&ad.uri.user, a->name, sizeof(a->name),
				  &ul) ||
		 memchr(a->name, '\0', ul)) {
		snprintf(err, errlen, "bad user in '%.*s'", PL_ARG(ad.auri));
		return EBADMSG;
	}
	return 0;
}

int accounts_line_decode(struct phone_account *a, const struct pl *line,
			 char *err, size_t errlen)
{
	if (!a || !line)
		return EINVAL;
	phone_account_default(a);
	struct pl l = *line;
	pl_trim(&l);
	if (!l.l) {
		snprintf(err, errlen, "empty account line");
		return EBADMSG;
	}
	const char *ae = addr_end(&l);
	if (!ae) {
		snprintf(err, errlen,
			 "unterminated address (a '\"' or '<' is not "
			 "closed)");
		return EBADMSG;
	}
	struct pl addr = {l.p, (size_t)(ae - l.p)};
	int r = decode_addr(a, &addr, err, errlen);
	if (r)
		return r;
	struct pl params = {ae, (size_t)(l.p + l.l - ae)};
	pl_trim(&params);
	return decode_params(a, &params, err, errlen);
}

/* Cut a comment: '#' at the start or after a space, outside quotes. */
static void strip_comment(struct pl *line)
{
	bool q = false;
	for (size_t i = 0; i < line->l; i++) {
		char c = line->p[i];
		if (q && c == '\\') {
			i++;
			continue;
		}
		if (c == '"')
			q = !q;
		else if (!q && c == '#' &&
			 (i == 0 || line->p[i - 1] == ' ' ||
			  line->p[i - 1] == '\t')) {
			line->l = i;
			break;
		}
	}
	pl_trim(line);
}

static void accounts_destroy(void *arg)
{
	struct accounts *as = arg;
	obj_deref(as->v);
}

struct add_ctx {
	struct accounts *as;
	const char *name; /**< for messages */
	char *err;
	size_t errlen;
};

static int add_line(const struct pl *text, unsigned no, void *arg)
{
	const struct add_ctx *x = arg;
	struct accounts *as = x->as;
	const char *name = x->name;
	char *err = x->err;
	size_t errlen = x->errlen;
	struct pl line = *text;
	char why[256];
	if (line.l > ACC_LINE_MAX) {
		snprintf(err, errlen, "%s:%u: line too long (at most %d bytes)",
			 name, no, ACC_LINE_MAX);
		return EBADMSG;
	}
	if (memchr(line.p, '\0', line.l)) {
		snprintf(err, errlen, "%s:%u: NUL byte in line", name, no);
		return EBADMSG;
	}
	strip_comment(&line);
	if (!line.l)
		return 0;
	if (as->n == ACC_MAX) {
		snprintf(err, errlen, "%s:%u: too many accounts (at most %d)",
			 name, no, ACC_MAX);
		return EBADMSG;
	}
	struct phone_account *v =
	    obj_realloc(as->v, (as->n + 1) * sizeof(*as->v));
	if (!v)
		return ENOMEM;
	as->v = v;
	struct phone_account *a = &as->v[as->n];
	if (accounts_line_decode(a, &line, why, sizeof(why))) {
		snprintf(err, errlen, "%s:%u: %s", name, no, why);
		return EBADMSG;
	}
	if (accounts_find(as, a->name)) {
		snprintf(err, errlen,
			 "%s:%u: account name '%s' is used twice (give one "
			 "a different display name)",
			 name, no, a->name);
		return EBADMSG;
	}
	as->n++;
	return 0;
}

int accounts_decode(struct accounts **ap, const char *name, const char *text,
		    size_t len, char *err, size_t errlen)
{
	if (!ap || (!text && len))
		return EINVAL;
	if (!name)
		name = "accounts";
	if (len > ACC_SIZE_MAX) {
		snprintf(err, errlen, "%s: file larger than 1 MiB", name);
		return EBADMSG;
	}
	struct accounts *as = obj_zalloc(sizeof(*as), accounts_destroy);
	if (!as)
		return ENOMEM;
	struct add_ctx x = {as, name, err, errlen};
	int e = conf_lines(text, len, add_line, &x);
	if (e)
		obj_deref(as);
	else
		*ap = as;
	return e;
}

int accounts_load(struct accounts **ap, const char *path, char *err,
		  size_t errlen)
{
	char *b;
	size_t n;
	int e = conf_file_read(path, ACC_SIZE_MAX, &b, &n);
	if (e) {
		snprintf(err, errlen, "%s: %s", path,
			 e == EIO ? "read error" : strerror(e));
		return e;
	}
	e = accounts_decode(ap, path, b, n, err, errlen);
	obj_deref(b);
	return e;
}

const struct phone_account *accounts_find(const struct accounts *a,
					  const char *name)
{
	for (size_t i = 0; a && name && i < a->n; i++)
		if (!strcasecmp(a->v[i].name, name))
			return &a->v[i];
	return NULL;
}
