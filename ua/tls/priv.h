/* priv.h: internals shared by the TLS sources. */
#ifndef PB_UA_TLS_PRIV_H
#define PB_UA_TLS_PRIV_H

#include <openssl/rand.h>
#include <openssl/ssl.h>

#include "ua/tls/tls.h"

struct tls {
	SSL_CTX *srv;	     /**< server context or NULL */
	SSL_CTX *cli;	     /**< client context          */
	char *pin;	     /**< pinned fingerprint      */
	bool verify_off;     /**< accept any server cert  */
	char fp[TLS_FP_STR]; /**< server cert fingerprint */
};

/** 0 when @p n random bytes were written to @p p. */
static inline int tls_rand(unsigned char *p, int n)
{
	return RAND_bytes(p, n) == 1 ? 0 : 1;
}

int tls_x509_fingerprint(X509 *c, char *buf, size_t size);
/** Make (or reuse) the self-signed pair in @p dir; paths returned. */
int tls_selfsigned(const char *dir, char **certp, char **keyp);

#endif
