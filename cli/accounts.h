/* accounts.h: the accounts file (DESIGN.md section 7): one account a line. */
#ifndef PB_CLI_ACCOUNTS_H
#define PB_CLI_ACCOUNTS_H

#include <stddef.h>

#include "base/pl.h"
#include "ua/phone/phone.h"

/** The decoded accounts of one file, in file order. */
struct accounts {
	struct phone_account *v; /**< the accounts (obj_ block)  */
	size_t n;		 /**< how many                   */
};

/**
 * Decode one account line: a SIP name-addr or addr-spec (URI parameters
 * inside <>), then `;name=value` account parameters (auth_user, auth_pass,
 * registrar, proxy/outbound_proxy, codecs, mediaenc, 100rel, regint,
 * answer_after, ca, tls_verify, ruri_params). A value may be quoted
 * ("a;b" keeps the ';'). Fields the line leaves out get
 * phone_account_default() values.
 * @return 0, or EBADMSG with a one-line reason (no location) in @p err.
 */
int accounts_line_decode(struct phone_account *a, const struct pl *line,
			 char *err, size_t errlen);

/**
 * Decode a whole accounts text: lines as above, blank lines and `#`
 * comments (a line starting with '#', or ' #' outside quotes) ignored.
 * Errors read "NAME:LINE: reason", NAME being @p name (e.g. the path).
 * @return 0, EBADMSG (reason in @p err), ENOMEM.
 */
int accounts_decode(struct accounts **ap, const char *name, const char *text,
		    size_t len, char *err, size_t errlen);

/** Read and decode the file @p path; ENOENT when it does not exist. */
int accounts_load(struct accounts **ap, const char *path, char *err,
		  size_t errlen);

/** The account named @p name (case-insensitive), or NULL. */
const struct phone_account *accounts_find(const struct accounts *a,
					  const char *name);

#endif
