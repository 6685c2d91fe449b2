/* conn.c: one non-blocking TLS session on a socket the caller owns.
 *
 * Verification: by default the chain is checked against the CA store and
 * the certificate must name @p host (DNS SAN, or IP SAN for IP literals).
 * With a pinned fingerprint the chain is not checked; only the leaf's
 * SHA-256 must equal the pin. Failures keep one reason string for the log.
 */
#include <errno.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "base/loop.h"
#include "base/mem.h"
#include "ua/tls/priv.h"
#include "ua/tp/sa.h"

struct tls_conn {
	struct tls *tls;  /**< context (referenced) */
	SSL *ssl;	  /**< the session          */
	int want;	  /**< FD_READ / FD_WRITE   */
	bool pin_bad;	  /**< pin did not match    */
	char reason[160]; /**< last failure         */
};

static void conn_destroy(void *arg)
{
	struct tls_conn *tc = arg;
	SSL_free(tc->ssl);
	obj_deref(tc->tls);
}

static int verify_pin(int preverify, X509_STORE_CTX *xs)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(
	    xs, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct tls_conn *tc = SSL_get_app_data(ssl);
	char fp[TLS_FP_STR];
	(void)preverify;
	if (X509_STORE_CTX_get_error_depth(xs) > 0)
		return 1; /* only the leaf matters with a pin */
	if (tls_x509_fingerprint(X509_STORE_CTX_get_current_cert(xs), fp,
				 sizeof(fp)) ||
	    strcasecmp(fp, tc->tls->pin)) {
		tc->pin_bad = true;
		X509_STORE_CTX_set_error(xs,
					 X509_V_ERR_APPLICATION_VERIFICATION);
		return 0;
	}
	X509_STORE_CTX_set_error(xs, X509_V_OK);
	return 1;
}

static int client_setup(struct tls_conn *tc, const char *host)
{
	if (tc->tls->verify_off || !host || !*host)
		return (tc->tls->verify_off || tc->tls->pin) ? 0 : EINVAL;
	if (tc->tls->pin) {
		SSL_set_verify(tc->ssl, SSL_VERIFY_PEER, verify_pin);
	} else {
		X509_VERIFY_PARAM *vp = SSL_get0_param(tc->ssl);
		if (sa_is_ip_literal(host)) {
			if (X509_VERIFY_PARAM_set1_ip_asc(vp, host) != 1)
				return EINVAL;
		} else if (SSL_set1_host(tc->ssl, host) != 1) {
			return EINVAL;
		}
	}
	if (!sa_is_ip_literal(host) &&
	    SSL_set_tlsext_host_name(tc->ssl, host) != 1)
		return EINVAL;
	return 0;
}

int tls_conn_alloc(struct tls_conn **tcp, struct tls *tls, int fd, bool server,
		   const char *host)
{
	struct tls_conn *tc;
	int err = 0;
	if (!tcp || !tls || fd < 0 || (server && !tls->srv))
		return EINVAL;
	tc = obj_zalloc(sizeof(*tc), conn_destroy);
	if (!tc)
		return ENOMEM;
	tc->tls = obj_ref(tls);
	tc->ssl = SSL_new(server ? tls->srv : tls->cli);
	if (!tc->ssl || SSL_set_fd(tc->ssl, fd) != 1) {
		err = ENOMEM;
		goto out;
	}
	SSL_set_app_data(tc->ssl, tc);
	if (server)
		SSL_set_accept_state(tc->ssl);
	else {
		SSL_set_connect_state(tc->ssl);
		err = client_setup(tc, host);
	}
out:
	ERR_clear_error();
	if (err)
		obj_deref(tc);
	else
		*tcp = tc;
	return err;
}

/* Map an SSL_* result to 0/EAGAIN/ECONNRESET/EPROTO and a reason. */
static int result(struct tls_conn *tc, int ret)
{
	int e = SSL_get_error(tc->ssl, ret);
	unsigned long ec;
	switch (e) {
	case SSL_ERROR_NONE:
		return 0;
	case SSL_ERROR_WANT_READ:
		tc->want = FD_READ;
		return EAGAIN;
	case SSL_ERROR_WANT_WRITE:
		tc->want = FD_WRITE;
		return EAGAIN;
	case SSL_ERROR_ZERO_RETURN:
		snprintf(tc->reason, sizeof(tc->reason), "peer closed");
		return ECONNRESET;
	default:
		break;
	}
	long vr = SSL_get_verify_result(tc->ssl);
	ec = ERR_peek_last_error();
	if (tc->pin_bad)
		snprintf(tc->reason, sizeof(tc->reason),
			 "certificate fingerprint does not match the pin");
	else if (vr != X509_V_OK)
		snprintf(tc->reason, sizeof(tc->reason), "%s",
			 X509_verify_cert_error_string(vr));
	else if (ec && ERR_reason_error_string(ec))
		snprintf(tc->reason, sizeof(tc->reason), "%s",
			 ERR_reason_error_string(ec));
	else if (e == SSL_ERROR_SYSCALL)
		snprintf(tc->reason, sizeof(tc->reason), "%s",
			 errno ? strerror(errno) : "connection closed");
	else
		snprintf(tc->reason, sizeof(tc->reason), "TLS error %d", e);
	ERR_clear_error();
	return e == SSL_ERROR_SYSCALL && !ec ? ECONNRESET : EPROTO;
}

int tls_conn_handshake(struct tls_conn *tc)
{
	if (!tc)
		return EINVAL;
	ERR_clear_error();
	errno = 0;
	return result(tc, SSL_do_handshake(tc->ssl));
}

int tls_conn_read(struct tls_conn *tc, void *p, size_t n, size_t *got)
{
	size_t r = 0;
	if (!tc || !p || !got)
		return EINVAL;
	ERR_clear_error();
	errno = 0;
	int ret = SSL_read_ex(tc->ssl, p, n, &r);
	*got = r;
	return ret == 1 ? 0 : result(tc, ret);
}

int tls_conn_write(struct tls_conn *tc, const void *p, size_t n, size_t *sent)
{
	size_t w = 0;
	if (!tc || !p || !sent)
		return EINVAL;
	ERR_clear_error();
	errno = 0;
	int ret = SSL_write_ex(tc->ssl, p, n, &w);
	*sent = w;
	return ret == 1 ? 0 : result(tc, ret);
}

size_t tls_conn_pending(const struct tls_conn *tc)
{
	return tc ? (size_t)SSL_pending(tc->ssl) : 0;
}

int tls_conn_want(const struct tls_conn *tc)
{
	return tc ? tc->want : 0;
}

const char *tls_conn_reason(const struct tls_conn *tc)
{
	return tc ? tc->reason : "";
}

const char *tls_conn_version(const struct tls_conn *tc)
{
	return tc ? SSL_get_version(tc->ssl) : "";
}
