/* hdr.c: header name table with a case-insensitive hash lookup; methods. */
#include <string.h>
#include <strings.h>

#include "ua/sip/hdr.h"
#include "ua/sip/msg.h"

struct hdr_def {
	const char *name;
	unsigned char len;
	char compact;
	bool list;
};

#define SIP_HDR_DEF_(id, n, c, l) [SIP_HDR_##id] = {n, sizeof(n) - 1, c, l},
static const struct hdr_def hdr_defs[SIP_HDR_COUNT_] = {
	[SIP_HDR_OTHER] = {"", 0, 0, false},
	SIP_HDR_TABLE(SIP_HDR_DEF_)
};
#undef SIP_HDR_DEF_

enum { HASH_SIZE = 256 };
static unsigned char hdr_hash[HASH_SIZE]; /* id, 0 = empty */
static unsigned char hdr_compact[32];     /* 'a'..'z' -> id */

static unsigned hash_name(const char *p, size_t l)
{
	unsigned h = (unsigned)l * 31u;
	for (size_t i = 0; i < l; i++)
		h = h * 33u + ((unsigned char)p[i] | 0x20u);
	return (h ^ (h >> 8)) & (HASH_SIZE - 1);
}

/* Fill the tables once at load time (read-only afterwards). */
__attribute__((constructor)) static void hdr_init(void)
{
	for (int id = 1; id < SIP_HDR_COUNT_; id++) {
		const struct hdr_def *d = &hdr_defs[id];
		unsigned h = hash_name(d->name, d->len);
		while (hdr_hash[h])
			h = (h + 1) & (HASH_SIZE - 1);
		hdr_hash[h] = (unsigned char)id;
		if (d->compact)
			hdr_compact[d->compact - 'a'] = (unsigned char)id;
	}
}

/* Case-insensitive compare of a table name (letters, digits, '-'). */
static bool name_eq(const char *t, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char a = (unsigned char)t[i], b = (unsigned char)s[i];
		if (a != b && !((a ^ b) == 0x20 && ((a | 0x20) >= 'a' &&
						     (a | 0x20) <= 'z')))
			return false;
	}
	return true;
}

enum sip_hdr_id sip_hdr_lookup(const char *name, size_t len)
{
	if (len == 1) {
		unsigned c = (unsigned char)name[0] | 0x20u;
		if (c >= 'a' && c <= 'z')
			return (enum sip_hdr_id)hdr_compact[c - 'a'];
		return SIP_HDR_OTHER;
	}
	if (len > 32)
		return SIP_HDR_OTHER;
	unsigned h = hash_name(name, len);
	while (hdr_hash[h]) {
		const struct hdr_def *d = &hdr_defs[hdr_hash[h]];
		if (d->len == len && name_eq(d->name, name, len))
			return (enum sip_hdr_id)hdr_hash[h];
		h = (h + 1) & (HASH_SIZE - 1);
	}
	return SIP_HDR_OTHER;
}

const char *sip_hdr_name(enum sip_hdr_id id)
{
	if ((unsigned)id >= SIP_HDR_COUNT_)
		return "";
	return hdr_defs[id].name;
}

bool sip_hdr_is_list(enum sip_hdr_id id)
{
	return (unsigned)id < SIP_HDR_COUNT_ && hdr_defs[id].list;
}

static const char *const method_names[] = {
	[SIP_METHOD_OTHER] = "",	 [SIP_METHOD_INVITE] = "INVITE",
	[SIP_METHOD_ACK] = "ACK",	 [SIP_METHOD_BYE] = "BYE",
	[SIP_METHOD_CANCEL] = "CANCEL",	 [SIP_METHOD_REGISTER] = "REGISTER",
	[SIP_METHOD_OPTIONS] = "OPTIONS", [SIP_METHOD_PRACK] = "PRACK",
	[SIP_METHOD_UPDATE] = "UPDATE",	 [SIP_METHOD_INFO] = "INFO",
	[SIP_METHOD_REFER] = "REFER",	 [SIP_METHOD_NOTIFY] = "NOTIFY",
	[SIP_METHOD_SUBSCRIBE] = "SUBSCRIBE", [SIP_METHOD_MESSAGE] = "MESSAGE",
};

enum sip_method sip_method_lookup(const struct pl *pl)
{
	if (!pl || pl->l < 3 || pl->l > 9)
		return SIP_METHOD_OTHER;
	for (size_t i = 1; i < sizeof(method_names) / sizeof(*method_names);
	     i++) {
		const char *n = method_names[i];
		if (n[0] == pl->p[0] && strlen(n) == pl->l &&
		    !memcmp(n, pl->p, pl->l))
			return (enum sip_method)i;
	}
	return SIP_METHOD_OTHER;
}

const char *sip_method_name(enum sip_method m)
{
	if ((unsigned)m >= sizeof(method_names) / sizeof(*method_names))
		return "";
	return method_names[m];
}
