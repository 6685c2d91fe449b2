/* cert.c: make ECDSA P-256 certificates and compute their fingerprints. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ua/tls/priv.h"

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	X509_EXTENSION *ex = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ex)
		return EPROTO;
	int ok = X509_add_ext(cert, ex, -1);
	X509_EXTENSION_free(ex);
	return ok ? 0 : EPROTO;
}

static int load_issuer(const struct tls_cert_req *req, X509 **ic, EVP_PKEY **ik)
{
	FILE *f = fopen(req->issuer_cert, "r");
	if (!f)
		return EIO;
	*ic = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	f = fopen(req->issuer_key, "r");
	if (!f)
		return EIO;
	*ik = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	return (*ic && *ik) ? 0 : EPROTO;
}

static int build(X509 *c, EVP_PKEY *key, const struct tls_cert_req *req,
		 X509 *ic, EVP_PKEY *ik)
{
	unsigned char serial[16];
	BIGNUM *bn = NULL;
	int err = EPROTO;
	X509_set_version(c, 2);
	if (tls_rand(serial, sizeof(serial)))
		goto out;
	serial[0] &= 0x7f;
	bn = BN_bin2bn(serial, sizeof(serial), NULL);
	if (!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(c)))
		goto out;
	X509_time_adj_ex(X509_getm_notBefore(c), 0, (long)req->not_before,
			 NULL);
	X509_time_adj_ex(X509_getm_notAfter(c), 0, (long)req->not_after, NULL);
	X509_set_pubkey(c, key);
	X509_NAME *name = X509_get_subject_name(c);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
				   (const unsigned char *)req->cn, -1, -1, 0);
	X509_set_issuer_name(c, ic ? X509_get_subject_name(ic) : name);
	X509 *iss = ic ? ic : c;
	if ((err = add_ext(c, iss, NID_basic_constraints,
			   req->is_ca ? "critical,CA:TRUE" : "CA:FALSE")))
		goto out;
	if ((err = add_ext(c, iss, NID_subject_key_identifier, "hash")))
		goto out;
	if (req->is_ca) {
		err = add_ext(c, iss, NID_key_usage,
			      "critical,keyCertSign,cRLSign");
	} else {
		err =
		    add_ext(c, iss, NID_ext_key_usage, "serverAuth,clientAuth");
	}
	if (err)
		goto out;
	if (req->san && *req->san &&
	    (err = add_ext(c, iss, NID_subject_alt_name, req->san)))
		goto out;
	err = X509_sign(c, ik ? ik : key, EVP_sha256()) ? 0 : EPROTO;
out:
	BN_free(bn);
	return err;
}

static int write_pem(const char *cert_file, const char *key_file, X509 *c,
		     EVP_PKEY *key)
{
	int fd = open(key_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return EIO;
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return EIO;
	}
	int ok = PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
	if (fclose(f) || !ok)
		return EIO;
	f = fopen(cert_file, "w");
	if (!f)
		return EIO;
	ok = PEM_write_X509(f, c);
	if (fclose(f) || !ok)
		return EIO;
	return 0;
}

int tls_cert_make(const struct tls_cert_req *req, const char *cert_file,
		  const char *key_file)
{
	X509 *c = NULL, *ic = NULL;
	EVP_PKEY *key = NULL, *ik = NULL;
	int err;
	if (!req || !req->cn || !cert_file || !key_file ||
	    (!req->issuer_cert != !req->issuer_key))
		return EINVAL;
	if (req->issuer_cert && (err = load_issuer(req, &ic, &ik)))
		goto out;
	key = EVP_EC_gen("P-256");
	c = X509_new();
	if (!key || !c) {
		err = ENOMEM;
		goto out;
	}
	if ((err = build(c, key, req, ic, ik)))
		goto out;
	err = write_pem(cert_file, key_file, c, key);
out:
	X509_free(c);
	X509_free(ic);
	EVP_PKEY_free(key);
	EVP_PKEY_free(ik);
	return err;
}

int tls_x509_fingerprint(X509 *c, char *buf, size_t size)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (!c || !buf || size < (size_t)32 * 3)
		return EINVAL;
	if (!X509_digest(c, EVP_sha256(), md, &n))
		return EPROTO;
	for (unsigned int i = 0; i < n; i++)
		snprintf(buf + i * 3, size - i * 3,
			 i + 1 < n ? "%02X:" : "%02X", md[i]);
	return 0;
}

int tls_cert_fingerprint(const char *cert_file, char *buf, size_t size)
{
	if (!cert_file)
		return EINVAL;
	FILE *f = fopen(cert_file, "r");
	if (!f)
		return ENOENT;
	X509 *c = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (!c)
		return EPROTO;
	int err = tls_x509_fingerprint(c, buf, size);
	X509_free(c);
	return err;
}
