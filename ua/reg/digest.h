/* digest.h: the digest client part the registration needs (RFC 7616). */
#ifndef PB_UA_REG_DIGEST_H
#define PB_UA_REG_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/pl.h"

/** A parsed Digest challenge (views into the response). */
struct reg_chall {
	struct pl realm;  /**< realm                          */
	struct pl nonce;  /**< nonce                          */
	struct pl opaque; /**< opaque (may be empty)          */
	struct pl algo;   /**< algorithm (empty = MD5)        */
	bool qop_auth;    /**< qop list contains "auth"       */
	bool stale;       /**< stale=true                     */
};

/** Parse a WWW-/Proxy-Authenticate value. @return 0, EBADMSG, ENOTSUP. */
int reg_chall_decode(struct reg_chall *c, const struct pl *val);

/**
 * Append "@p hname: Digest ..." with a response for @p method @p uri to
 * @p mb; @p nc is the nonce count. @return 0, ENOTSUP (algorithm), ENOMEM.
 */
int reg_digest_print(struct buf *mb, const char *hname,
		     const struct reg_chall *c, const char *user,
		     const char *password, const char *method,
		     const char *uri, uint32_t nc);

#endif
