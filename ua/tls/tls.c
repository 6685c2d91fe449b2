/* tls.c: client and server TLS contexts; the self-signed certificate. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#define LOG_TAG "tls"
#include "base/log.h"
#include "base/mem.h"
#include "ua/tls/priv.h"

void tls_opts_default(struct tls_opts *o)
{
	if (o)
		memset(o, 0, sizeof(*o));
}

static void tls_destroy(void *arg)
{
	struct tls *tls = arg;
	SSL_CTX_free(tls->srv);
	SSL_CTX_free(tls->cli);
	obj_deref(tls->pin);
}

static SSL_CTX *ctx_new(bool server)
{
	SSL_CTX *ctx =
	    SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
	if (!ctx)
		return NULL;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
				  SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION |
				     SSL_OP_CIPHER_SERVER_PREFERENCE);
	return ctx;
}

int tls_selfsigned(const char *dir, char **certp, char **keyp)
{
	char host[256] = "localhost";
	char *cert = obj_printf("%s/tls-cert.pem", dir);
	char *key = obj_printf("%s/tls-key.pem", dir);
	char *san = NULL;
	int err = 0;
	if (!cert || !key) {
		err = ENOMEM;
		goto out;
	}
	if (!access(cert, R_OK) && !access(key, R_OK))
		goto out;
	gethostname(host, sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	san = strcmp(host, "localhost")
		  ? obj_printf("IP:127.0.0.1,IP:::1,DNS:localhost,DNS:%s", host)
		  : obj_printf("IP:127.0.0.1,IP:::1,DNS:localhost");
	if (!san) {
		err = ENOMEM;
		goto out;
	}
	mkdir(dir, 0700);
	struct tls_cert_req req = {.cn = host,
				   .san = san,
				   .not_before = -3600,
				   .not_after = 10LL * 365 * 86400};
	err = tls_cert_make(&req, cert, key);
	if (err) {
		ERR("cannot create a self-signed certificate in %s: %s", dir,
		    strerror(err));
		goto out;
	}
	INFO("created a self-signed certificate %s", cert);
out:
	obj_deref(san);
	if (err) {
		obj_deref(cert);
		obj_deref(key);
	} else {
		*certp = cert;
		*keyp = key;
	}
	return err;
}

static int load_server(struct tls *tls, const char *cert, const char *key)
{
	tls->srv = ctx_new(true);
	if (!tls->srv)
		return ENOMEM;
	if (SSL_CTX_use_certificate_chain_file(tls->srv, cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(tls->srv, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(tls->srv) != 1) {
		ERR("cannot use certificate %s / key %s: %s", cert, key,
		    ERR_reason_error_string(ERR_get_error()));
		ERR_clear_error();
		return EPROTO;
	}
	int err = tls_cert_fingerprint(cert, tls->fp, sizeof(tls->fp));
	if (!err)
		INFO("server certificate %s SHA-256 fingerprint %s", cert,
		     tls->fp);
	return err;
}

static int setup_server(struct tls *tls, const struct tls_opts *o)
{
	char *cert = NULL, *key = NULL;
	int err;
	if (o->cert_file)
		return load_server(tls, o->cert_file,
				   o->key_file ? o->key_file : o->cert_file);
	if (!o->data_dir)
		return 0;
	if ((err = tls_selfsigned(o->data_dir, &cert, &key)))
		return err;
	err = load_server(tls, cert, key);
	obj_deref(cert);
	obj_deref(key);
	return err;
}

static int setup_client(struct tls *tls, const struct tls_opts *o)
{
	tls->cli = ctx_new(false);
	if (!tls->cli)
		return ENOMEM;
	tls->verify_off = o->verify_off;
	if (o->verify_off) {
		WARN("server certificate verification is OFF: any server can "
		     "impersonate the peer");
		SSL_CTX_set_verify(tls->cli, SSL_VERIFY_NONE, NULL);
		return 0;
	}
	SSL_CTX_set_verify(tls->cli, SSL_VERIFY_PEER, NULL);
	if (o->pin_sha256) {
		tls->pin = obj_strdup(o->pin_sha256);
		return tls->pin ? 0 : ENOMEM;
	}
	if (o->ca_file) {
		if (SSL_CTX_load_verify_locations(tls->cli, o->ca_file, NULL) !=
		    1) {
			ERR("cannot load CA file %s", o->ca_file);
			ERR_clear_error();
			return ENOENT;
		}
		return 0;
	}
	SSL_CTX_set_default_verify_paths(tls->cli);
	return 0;
}

int tls_alloc(struct tls **tlsp, const struct tls_opts *opts)
{
	struct tls_opts def;
	struct tls *tls;
	int err;
	if (!tlsp)
		return EINVAL;
	if (!opts) {
		tls_opts_default(&def);
		opts = &def;
	}
	if (opts->key_file && !opts->cert_file)
		return EINVAL;
	tls = obj_zalloc(sizeof(*tls), tls_destroy);
	if (!tls)
		return ENOMEM;
	if ((err = setup_client(tls, opts)))
		goto out;
	err = setup_server(tls, opts);
out:
	if (err)
		obj_deref(tls);
	else
		*tlsp = tls;
	return err;
}

int tls_client_trust(struct tls *tls, const char *ca_file, bool verify_off)
{
	if (!tls || !tls->cli)
		return EINVAL;
	if (verify_off) {
		if (!tls->verify_off)
			WARN("server certificate verification is OFF: any "
			     "server can impersonate the peer");
		tls->verify_off = true;
		SSL_CTX_set_verify(tls->cli, SSL_VERIFY_NONE, NULL);
		return 0;
	}
	if (!ca_file || !*ca_file)
		return 0;
	if (SSL_CTX_load_verify_locations(tls->cli, ca_file, NULL) != 1) {
		ERR("cannot load CA file %s", ca_file);
		ERR_clear_error();
		return ENOENT;
	}
	return 0;
}

bool tls_has_server(const struct tls *tls)
{
	return tls && tls->srv;
}

const char *tls_fingerprint(const struct tls *tls)
{
	return tls ? tls->fp : "";
}
