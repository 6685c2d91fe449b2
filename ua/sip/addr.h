/* addr.h: name-addr / addr-spec with header parameters (From, To, Contact). */
#ifndef PB_UA_SIP_ADDR_H
#define PB_UA_SIP_ADDR_H

#include <stdbool.h>

#include "base/pl.h"
#include "ua/sip/uri.h"

/** A decoded address: views into the header value. */
struct sip_addr {
	struct pl val;       /**< the whole value                            */
	struct pl dname;     /**< display name; quoted: inside the quotes,
				  still with backslash escapes               */
	bool dname_quoted;   /**< display name was a quoted-string           */
	bool angle;          /**< URI was in <> (name-addr)                  */
	bool wildcard;       /**< Contact: *                                 */
	struct pl auri;      /**< the URI text                               */
	struct sip_uri uri;  /**< the decoded URI                            */
	struct pl params;    /**< header params after the URI (leading ';')  */
	struct pl tag;       /**< value of the tag parameter, if any         */
};

/**
 * Decode a name-addr or addr-spec with header params. For an addr-spec
 * params after the URI are header params (RFC 3261 20.10), so a URI with
 * '?', ',' or ';' needs <>. @p wildcard_ok accepts "*" (Contact).
 * @return 0 or EINVAL.
 */
int sip_addr_decode(struct sip_addr *a, const struct pl *pl, bool wildcard_ok);

/** Find header parameter @p name of @p a; 0, ENOENT. */
int sip_addr_param(const struct sip_addr *a, const char *name,
		   struct pl *val);

#endif
