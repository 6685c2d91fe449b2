/* registrar.c: mock registrar: digest check, 423, bindings, for tests. */
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "mock/registrar.h"
#include "ua/sip/addr.h"

void mockreg_init(struct mockreg *m, const struct mockreg_opts *opts)
{
	memset(m, 0, sizeof(*m));
	if (opts)
		m->opts = *opts;
	if (!m->opts.realm)
		m->opts.realm = "test";
}

static void md5_hex(char out[33], const char *s)
{
	static const char hx[] = "0123456789abcdef";
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	EVP_Digest(s, strlen(s), d, &n, EVP_md5(), NULL);
	for (i = 0; i < n && i < 16; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[32] = '\0';
}

/* value of digest param @p name in Authorization value @p v into @p out */
static bool auth_param(const struct pl *v, const char *name, char *out,
		       size_t size)
{
	size_t n = strlen(name), i;

	for (i = 0; i + n + 1 < v->l; i++) {
		const char *p = v->p + i, *e = v->p + v->l, *s;
		if ((i && p[-1] != ' ' && p[-1] != ',') ||
		    strncasecmp(p, name, n) || p[n] != '=')
			continue;
		p += n + 1;
		if (p < e && *p == '"') {
			s = ++p;
			while (p < e && *p != '"')
				p++;
		} else {
			s = p;
			while (p < e && *p != ',' && *p != ' ')
				p++;
		}
		snprintf(out, size, "%.*s", (int)(p - s), s);
		return true;
	}
	return false;
}

/* 1 = valid, 0 = wrong, -1 = no credentials */
static int check_auth(struct mockreg *m, const struct sip_msg *msg)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_AUTHORIZATION);
	char user[64], nonce[64], uri[160], resp[80], qop[16] = "";
	char nc[16] = "", cnonce[64] = "", ha1[33], ha2[33], want[33];
	char buf[512];

	if (!h)
		return -1;
	if (m->opts.strict_nonce &&
	    auth_param(&h->val, "nonce", nonce, sizeof(nonce))) {
		char cur[32];
		snprintf(cur, sizeof(cur), "n%llu",
			 (unsigned long long)m->nonce_seq);
		if (strcmp(cur, nonce))
			return -1; /* unknown nonce: challenge again */
	}
	if (!auth_param(&h->val, "username", user, sizeof(user)) ||
	    !auth_param(&h->val, "nonce", nonce, sizeof(nonce)) ||
	    !auth_param(&h->val, "uri", uri, sizeof(uri)) ||
	    !auth_param(&h->val, "response", resp, sizeof(resp)))
		return 0;
	auth_param(&h->val, "qop", qop, sizeof(qop));
	auth_param(&h->val, "nc", nc, sizeof(nc));
	auth_param(&h->val, "cnonce", cnonce, sizeof(cnonce));
	snprintf(buf, sizeof(buf), "%s:%s:%s", user, m->opts.realm,
		 m->opts.password);
	md5_hex(ha1, buf);
	snprintf(buf, sizeof(buf), "REGISTER:%s", uri);
	md5_hex(ha2, buf);
	if (*qop)
		snprintf(buf, sizeof(buf), "%s:%s:%s:%s:%s:%s", ha1, nonce, nc,
			 cnonce, qop, ha2);
	else
		snprintf(buf, sizeof(buf), "%s:%s:%s", ha1, nonce, ha2);
	md5_hex(want, buf);
	return strcmp(want, resp) ? 0 : 1;
}

static void reply(struct tsx_layer *tl, const struct sip_msg *msg,
		  const struct tsx_addr *src, uint16_t scode, const char *hdrs)
{
	struct tsx *t;

	if (tsx_server_alloc(&t, tl, msg, src))
		return;
	tsx_reply(t, scode, NULL, "regtag", hdrs, NULL);
}

static void challenge(struct mockreg *m, struct tsx_layer *tl,
		      const struct sip_msg *msg, const struct tsx_addr *src,
		      bool stale)
{
	char h[256];

	m->nchallenged++;
	snprintf(h, sizeof(h),
		 "WWW-Authenticate: Digest realm=\"%s\", "
		 "nonce=\"n%llu\", qop=\"auth\", algorithm=MD5%s\r\n",
		 m->opts.realm, (unsigned long long)++m->nonce_seq,
		 stale ? ", stale=true" : "");
	reply(tl, msg, src, 401, h);
}

void mockreg_handle(struct mockreg *m, struct tsx_layer *tl,
		    const struct sip_msg *msg, const struct tsx_addr *src)
{
	char h[256];
	uint32_t exp;
	int a;

	if (msg->method == SIP_METHOD_ACK)
		return;
	if (msg->method != SIP_METHOD_REGISTER) {
		reply(tl, msg, src, 405, "Allow: REGISTER\r\n");
		return;
	}
	m->nregister++;
	pl_copy(&msg->ruri_pl, m->ruri, sizeof(m->ruri));
	exp = msg->expires >= 0 ? (uint32_t)msg->expires : 3600;
	m->last_expires = exp;
	if (m->opts.fail_scode) {
		reply(tl, msg, src, m->opts.fail_scode, NULL);
		return;
	}
	if (m->opts.password) {
		a = check_auth(m, msg);
		if (a == 1 && m->opts.stale_next) {
			m->opts.stale_next = false;
			challenge(m, tl, msg, src, true);
			return;
		}
		if (a != 1) {
			if (a == 0)
				m->nauth_bad++;
			challenge(m, tl, msg, src, false);
			return;
		}
		m->nauth_ok++;
	}
	if (exp && m->opts.min_expires && exp < m->opts.min_expires) {
		snprintf(h, sizeof(h), "Min-Expires: %u\r\n",
			 m->opts.min_expires);
		reply(tl, msg, src, 423, h);
		return;
	}
	if (m->opts.max_expires && exp > m->opts.max_expires)
		exp = m->opts.max_expires;
	if (!exp) {
		m->contact[0] = '\0';
		m->bound_expires = 0;
		reply(tl, msg, src, 200, NULL);
		return;
	}
	if (msg->contactc)
		pl_copy(&msg->contact.auri, m->contact, sizeof(m->contact));
	m->bound_expires = exp;
	snprintf(h, sizeof(h), "Contact: <%s>;expires=%u\r\n", m->contact, exp);
	reply(tl, msg, src, 200, h);
}
