/* auth.h: HTTP Digest authentication for SIP (RFC 2617, 7616, 8760). */
#ifndef PB_UA_AUTH_H
#define PB_UA_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/pl.h"

/** Digest algorithms, weakest first (so a larger value is stronger). */
enum auth_alg {
	AUTH_ALG_UNKNOWN = 0, /**< named but not supported      */
	AUTH_ALG_MD5,
	AUTH_ALG_MD5_SESS,
	AUTH_ALG_SHA256,
	AUTH_ALG_SHA256_SESS,
};

/** Longest hex digest (SHA-256) plus NUL. */
#define AUTH_HEX_MAX 65

/**
 * A parsed challenge. Views point into the header value; quoted values are
 * the text between the quotes, still escaped (use auth_unquote()).
 */
struct auth_chal {
	struct pl realm;
	struct pl nonce;
	struct pl opaque;
	struct pl domain;
	struct pl algorithm; /**< as written; empty means MD5     */
	enum auth_alg alg;
	bool stale;
	bool qop_auth;     /**< "auth" offered                  */
	bool qop_auth_int; /**< "auth-int" offered              */
};

/** Parsed Authorization / Proxy-Authorization credentials. */
struct auth_cred {
	struct pl username;
	struct pl realm;
	struct pl nonce;
	struct pl uri;
	struct pl response;
	struct pl algorithm;
	struct pl cnonce;
	struct pl nc;
	struct pl qop;
	struct pl opaque;
	enum auth_alg alg;
	uint32_t ncv; /**< nc as a number (0 when absent) */
};

/**
 * Parse a WWW-Authenticate / Proxy-Authenticate value.
 * @return 0, EPROTO for a scheme other than Digest, EBADMSG for malformed
 *         input or missing realm/nonce.
 */
int auth_chal_decode(struct auth_chal *ch, const struct pl *val);

/**
 * Pick the strongest challenge with a supported algorithm among @p n.
 * @return the chosen one, or NULL when none is usable.
 */
const struct auth_chal *auth_chal_best(const struct auth_chal *chv, size_t n);

/**
 * Parse an Authorization / Proxy-Authorization value.
 * @return 0, EPROTO for another scheme, EBADMSG when malformed or missing
 *         username, realm, nonce, uri or response.
 */
int auth_cred_decode(struct auth_cred *cr, const struct pl *val);

/** Copy a quoted-string body into @p buf removing escapes; NUL-terminates.
 *  @return 0 or ERANGE when it does not fit. */
int auth_unquote(char *buf, size_t size, const struct pl *qs);

/** Algorithm from its token (case-insensitive); empty means MD5. */
enum auth_alg auth_alg_decode(const struct pl *pl);
/** Canonical name ("MD5", "SHA-256-sess", ...). */
const char *auth_alg_name(enum auth_alg alg);

/**
 * HA1 = H(username ":" realm ":" password) as lowercase hex (the non-sess
 * form; the -sess step happens per response). @p realm is unescaped text.
 * @return 0, EINVAL for an unknown algorithm.
 */
int auth_ha1(char hex[AUTH_HEX_MAX], enum auth_alg alg, const char *user,
	     const char *realm, const char *password);

/** Inputs of one response computation (plain, unescaped strings). */
struct auth_calc {
	enum auth_alg alg;
	const char *ha1;    /**< hex HA1 (non-sess form)             */
	const char *nonce;
	const char *cnonce; /**< required with qop or -sess          */
	const char *nc;     /**< 8 hex digits, with qop              */
	const char *qop;    /**< NULL, "auth" or "auth-int"          */
	const char *method;
	const char *uri;
	const struct pl *body; /**< entity body for auth-int (may be NULL) */
};

/** Compute the request-digest as hex. @return 0 or EINVAL. */
int auth_response(char hex[AUTH_HEX_MAX], const struct auth_calc *c);

/* ---- client ---- */

struct auth_client;

/**
 * Per-account digest state. @p password may be NULL when an HA1 is set
 * later with auth_client_set_ha1().
 */
int auth_client_alloc(struct auth_client **cp, const char *user,
		      const char *password);
/** Use a precomputed HA1 (hex) for @p alg instead of the password. */
int auth_client_set_ha1(struct auth_client *c, enum auth_alg alg,
			const char *ha1hex);

/**
 * Feed the challenges of a 401/407 (already parsed). Picks the strongest.
 * @return 0 when a retry should be sent (new challenge, stale=true, or
 *         a challenge to credentials reused from an earlier one),
 *         EACCES when the credentials were rejected (a challenge with
 *         stale=false answering the first use of the previous one, no
 *         success since), ENOSYS when no challenge has a supported
 *         algorithm.
 */
int auth_client_challenge(struct auth_client *c, const struct auth_chal *chv,
			  size_t n);
/** Report that a request carrying our credentials succeeded. */
void auth_client_ok(struct auth_client *c);
/** True when a challenge is remembered (requests can be pre-authorized). */
bool auth_client_ready(const struct auth_client *c);

/**
 * Append an Authorization value for the remembered challenge to @p out:
 * fresh cnonce, next nc, qop=auth (or auth-int when only that is offered
 * and a body is given), no qop when the server offered none.
 * @return 0, ENOENT when no challenge is known, ENOMEM.
 */
int auth_client_authorize(struct auth_client *c, struct buf *out,
			  const struct pl *method, const struct pl *uri,
			  const struct pl *body);

/* ---- server ---- */

struct auth_server;

struct auth_server_opts {
	uint32_t nonce_ttl;   /**< seconds a nonce is fresh (300)       */
	size_t replay_slots;  /**< nonces tracked for nc replay (1024)  */
	bool bind_source;     /**< mix the source address into nonces   */
};

void auth_server_opts_default(struct auth_server_opts *o);

/**
 * Server state: realm plus HMAC secret for stateless nonces.
 * @p secret of @p len bytes (use 32 random bytes; NULL draws them).
 */
int auth_server_alloc(struct auth_server **sp,
		      const struct auth_server_opts *opts, const char *realm,
		      const uint8_t *secret, size_t len);

/**
 * Append a challenge value (Digest realm, nonce, algorithm, qop="auth",
 * stale) to @p out. @p now is seconds (any monotonic epoch), @p src is
 * the source address text (used when bind_source is on; may be NULL).
 * It never depends on the user, so unknown user and wrong password
 * produce the same form.
 */
int auth_server_challenge(struct auth_server *s, struct buf *out,
			  enum auth_alg alg, bool stale, uint64_t now,
			  const struct pl *src);

/**
 * Verify credentials for a request with @p method. @p ha1hex is the stored
 * HA1 for cr->username (for the credentials' algorithm) or NULL for an
 * unknown user: a dummy is computed and the result is the same EACCES as
 * for a wrong password. The caller checks cr->uri against the request.
 * @return 0 accepted; EACCES wrong password / unknown user / forged or
 *         foreign nonce / replayed nc / wrong realm / missing qop;
 *         ETIMEDOUT authentic but expired nonce (challenge with stale=true).
 */
int auth_server_verify(struct auth_server *s, const struct auth_cred *cr,
		       const struct pl *method, const char *ha1hex,
		       uint64_t now, const struct pl *src);

#endif
