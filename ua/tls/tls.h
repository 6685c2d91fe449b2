/* tls.h: TLS 1.2/1.3 contexts and non-blocking connections (OpenSSL 3). */
#ifndef PB_UA_TLS_TLS_H
#define PB_UA_TLS_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tls;
struct tls_conn;

enum {
	TLS_FP_STR = 96, /**< room for a SHA-256 fingerprint "AA:BB:..\0" */
};

/** TLS settings; fill with tls_opts_default(). Strings are copied. */
struct tls_opts {
	const char *cert_file;	/**< server certificate chain (PEM) or NULL */
	const char *key_file;	/**< its private key (PEM) or NULL          */
	const char *data_dir;	/**< where a self-signed pair is made/kept
				     when no cert_file is set; NULL: no
				     server role                           */
	const char *ca_file;	/**< client: CAs to trust; NULL: system CAs */
	const char *pin_sha256; /**< client: accept only a server cert with
				     this SHA-256 fingerprint (AA:BB:..)   */
	bool verify_off;	/**< client: accept any certificate (WARN)  */
};

void tls_opts_default(struct tls_opts *o);

/**
 * Create client and (when a certificate is configured or can be made in
 * data_dir) server contexts. TLS 1.2 is the minimum; 1.3 is preferred.
 * @return 0, EINVAL (bad options), ENOENT/EPROTO (unusable cert/key),
 *         ENOMEM.
 */
int tls_alloc(struct tls **tlsp, const struct tls_opts *opts);
/**
 * Widen the client trust of an existing context (for later connections):
 * also trust the CAs in @p ca_file (may be NULL), or with @p verify_off
 * accept any server certificate (WARN). The context is shared by all
 * users of the transport. @return 0, EINVAL, ENOENT (unreadable CA file).
 */
int tls_client_trust(struct tls *tls, const char *ca_file, bool verify_off);
/** True when the server role is available. */
bool tls_has_server(const struct tls *tls);
/** SHA-256 fingerprint of the server certificate, or "" without one. */
const char *tls_fingerprint(const struct tls *tls);

/** What to make with tls_cert_make(). */
struct tls_cert_req {
	const char *cn;		 /**< subject common name                    */
	const char *san;	 /**< e.g. "IP:127.0.0.1,DNS:localhost"      */
	int64_t not_before;	 /**< seconds from now (may be negative)     */
	int64_t not_after;	 /**< seconds from now (may be negative)     */
	bool is_ca;		 /**< basicConstraints CA:TRUE               */
	const char *issuer_cert; /**< PEM file of the signing CA, or NULL
				      for a self-signed certificate        */
	const char *issuer_key;	 /**< PEM key of the signing CA            */
};

/**
 * Make an ECDSA P-256 key and certificate and write them as PEM to
 * @p cert_file and @p key_file (key mode 0600).
 * @return 0, EINVAL, EIO (files), EPROTO (OpenSSL), ENOMEM.
 */
int tls_cert_make(const struct tls_cert_req *req, const char *cert_file,
		  const char *key_file);
/** SHA-256 fingerprint (AA:BB:..) of the first certificate in a PEM file. */
int tls_cert_fingerprint(const char *cert_file, char *buf, size_t size);

/**
 * A TLS session on a connected non-blocking socket @p fd (not owned).
 * @p host: the name or IP literal expected in the server certificate (a
 * name is also sent as SNI); ignored for the server role.
 */
int tls_conn_alloc(struct tls_conn **tcp, struct tls *tls, int fd, bool server,
		   const char *host);
/**
 * Drive the handshake. @return 0 when done, EAGAIN (wait for
 * tls_conn_want()), EPROTO with tls_conn_reason() on failure.
 */
int tls_conn_handshake(struct tls_conn *tc);
/**
 * Read up to @p n bytes. @return 0 with *@p got > 0, EAGAIN, ECONNRESET
 * (peer closed), EPROTO.
 */
int tls_conn_read(struct tls_conn *tc, void *p, size_t n, size_t *got);
/** Write up to @p n bytes; same results as tls_conn_read(). */
int tls_conn_write(struct tls_conn *tc, const void *p, size_t n, size_t *sent);
/** Decrypted bytes waiting inside the session (read them first). */
size_t tls_conn_pending(const struct tls_conn *tc);
/** FD_READ or FD_WRITE: what the last EAGAIN waits for. */
int tls_conn_want(const struct tls_conn *tc);
/** Why the last operation failed (human-readable), or "". */
const char *tls_conn_reason(const struct tls_conn *tc);
/** Negotiated protocol, e.g. "TLSv1.3". */
const char *tls_conn_version(const struct tls_conn *tc);

#endif
