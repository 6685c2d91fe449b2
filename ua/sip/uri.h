/* uri.h: SIP/SIPS (RFC 3261), tel (RFC 3966) and opaque URIs: decode, compare. */
#ifndef PB_UA_SIP_URI_H
#define PB_UA_SIP_URI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/pl.h"

/** URI schemes the stack understands; anything else is kept opaque. */
enum sip_uri_scheme {
	SIP_URI_OTHER = 0, /**< unknown scheme: only scheme + opaque set */
	SIP_URI_SIP,
	SIP_URI_SIPS,
	SIP_URI_TEL,
};

/**
 * A decoded URI: views into the text given to sip_uri_decode(); all views
 * are still escaped (see sip_uri_unescape()).
 */
struct sip_uri {
	enum sip_uri_scheme scheme; /**< which grammar applied              */
	struct pl full;     /**< the whole URI text                         */
	struct pl scheme_pl; /**< scheme as written ("sip", "tel", ...)     */
	struct pl user;     /**< userinfo user; tel: the number as written  */
	struct pl password; /**< after ':' in userinfo (sip/sips only)       */
	struct pl host;     /**< host; IPv6 without the brackets             */
	uint16_t port;      /**< 0 when absent                               */
	bool ipv6;          /**< host was an IPv6 reference [..]             */
	bool has_user;      /**< userinfo '@' present                        */
	struct pl params;   /**< ";a=b;c" (with leading ';'), may be empty   */
	struct pl headers;  /**< after '?' (without it), may be empty        */
	struct pl opaque;   /**< SIP_URI_OTHER: everything after "scheme:"   */
};

/**
 * Decode @p pl as a URI (no surrounding whitespace or <> allowed).
 * @return 0, EINVAL on a syntax error (e.g. unbracketed IPv6 host, bad port,
 *         bad escape, LWS inside).
 */
int sip_uri_decode(struct sip_uri *u, const struct pl *pl);

/**
 * Compare two URIs. sip/sips by RFC 3261 19.1.4 (escapes decoded; scheme,
 * host, parameter names case-insensitive; user/password case-sensitive;
 * user, ttl, method, maddr, transport must match if either has them; other
 * params only when both have them; headers all must match). tel by RFC 3966
 * (visual separators ignored, params as a set). Other schemes: byte-wise
 * after scheme case folding.
 */
bool sip_uri_cmp(const struct sip_uri *a, const struct sip_uri *b);

/**
 * Look up URI parameter @p name (case-insensitive).
 * @return 0 and @p val (empty for a flag parameter; may be NULL), ENOENT.
 */
int sip_uri_param(const struct sip_uri *u, const char *name, struct pl *val);

/**
 * Decode %HH escapes of @p src into @p dst (length-counted: %00 yields a NUL
 * byte and does not end the string). Never decodes recursively.
 * @return 0 and *@p len, EINVAL on a bad escape, E2BIG if @p size too small.
 */
int sip_uri_unescape(const struct pl *src, char *dst, size_t size,
		     size_t *len);

/**
 * Compare two escaped strings after unescaping, case-sensitive or not.
 * @return true when equal (false also when either has a bad escape).
 */
bool sip_pl_esc_equal(const struct pl *a, const struct pl *b, bool icase);

/** tel: true for a global number (+E.164), false for a local one. */
bool sip_uri_tel_global(const struct sip_uri *u);

#endif
