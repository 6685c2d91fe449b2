/* decode.c: SDP text to struct sdp_session (zero-copy views). */
#include <errno.h>

#include "ua/sdp/sdp.h"

#define FAIL(r)                                                              \
	do {                                                                 \
		if (reason)                                                  \
			*reason = (r);                                       \
		return EBADMSG;                                              \
	} while (0)

/* Split the next space-separated word off @p pl. */
static bool word(struct pl *pl, struct pl *w)
{
	size_t i = 0, j;

	while (i < pl->l && pl->p[i] == ' ')
		i++;
	j = i;
	while (j < pl->l && pl->p[j] != ' ')
		j++;
	if (j == i)
		return false;
	*w = (struct pl){pl->p + i, j - i};
	pl->p += j;
	pl->l -= j;
	return true;
}

static bool rest(struct pl *pl)
{
	while (pl->l && pl->p[0] == ' ') {
		pl->p++;
		pl->l--;
	}
	return pl->l > 0;
}

static int conn_decode(struct sdp_conn *c, struct pl v, bool origin)
{
	struct pl nt, at, addr;

	if (!word(&v, &nt) || !word(&v, &at) || !word(&v, &addr) || rest(&v))
		return EBADMSG;
	if (pl_strcmp(&nt, "IN"))
		return EBADMSG;
	if (!pl_strcmp(&at, "IP4"))
		c->ip6 = false;
	else if (!pl_strcmp(&at, "IP6"))
		c->ip6 = true;
	else
		return EBADMSG;
	if (!origin) {
		const char *sl = pl_chr(&addr, '/');
		if (sl)
			addr.l = (size_t)(sl - addr.p);
	}
	if (!addr.l)
		return EBADMSG;
	c->addr = addr;
	c->set = true;
	return 0;
}

static const struct {
	const char *name;
	enum sdp_proto p;
} protos[] = {
	{"RTP/AVP", SDP_PROTO_RTP_AVP},
	{"RTP/SAVP", SDP_PROTO_RTP_SAVP},
	{"RTP/AVPF", SDP_PROTO_RTP_AVPF},
	{"RTP/SAVPF", SDP_PROTO_RTP_SAVPF},
	{"UDP/TLS/RTP/SAVPF", SDP_PROTO_UDP_TLS_RTP_SAVPF},
};

static int media_decode(struct sdp_media *m, struct pl v, const char **reason)
{
	struct pl type, port, proto, f;
	uint64_t n;

	if (!word(&v, &type) || !word(&v, &port) || !word(&v, &proto))
		FAIL("m= line needs media, port and proto");
	m->type = type;
	const char *sl = pl_chr(&port, '/');
	if (sl) {
		struct pl np = {sl + 1, port.l - (size_t)(sl + 1 - port.p)};
		if (pl_u64(&np, 65535, &n))
			FAIL("m= port count invalid");
		port.l = (size_t)(sl - port.p);
	}
	if (pl_u64(&port, 65535, &n))
		FAIL("m= port not in 0..65535");
	m->port = (uint32_t)n;
	m->proto_name = proto;
	m->proto = SDP_PROTO_OTHER;
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (!pl_strcmp(&proto, protos[i].name))
			m->proto = protos[i].p;
	while (word(&v, &f))
		if (m->nfmt < SDP_MAX_FMT)
			m->fmt[m->nfmt++] = f;
	if (!m->nfmt)
		FAIL("m= line without formats");
	return 0;
}

static struct sdp_rtpmap *map_get(struct sdp_media *m, uint32_t pt)
{
	for (size_t i = 0; i < m->nmap; i++)
		if (m->map[i].pt == pt)
			return &m->map[i];
	if (m->nmap >= SDP_MAX_FMT)
		return NULL;
	m->map[m->nmap] = (struct sdp_rtpmap){.pt = pt};
	return &m->map[m->nmap++];
}

static int crypto_keyparams(struct sdp_crypto *c, struct pl kp,
			    const char **reason)
{
	struct pl key, parts[2] = {PL_INIT, PL_INIT};
	size_t np = 0;
	const char *semi = pl_chr(&kp, ';');

	if (semi) /* several keys: we use the first */
		kp.l = (size_t)(semi - kp.p);
	if (kp.l < 7 || memcmp(kp.p, "inline:", 7))
		FAIL("crypto key-params must be inline:");
	key = (struct pl){kp.p + 7, kp.l - 7};
	const char *bar = pl_chr(&key, '|');
	if (bar) {
		struct pl r = {bar + 1, key.l - (size_t)(bar + 1 - key.p)};
		key.l = (size_t)(bar - key.p);
		while (r.l) {
			const char *b2 = pl_chr(&r, '|');
			size_t l = b2 ? (size_t)(b2 - r.p) : r.l;
			if (np >= 2)
				FAIL("crypto key has too many | fields");
			parts[np++] = (struct pl){r.p, l};
			if (!b2)
				break;
			r.p = b2 + 1;
			r.l -= l + 1;
		}
	}
	for (size_t i = 0; i < np; i++) {
		struct pl p = parts[i];
		const char *colon = pl_chr(&p, ':');
		uint64_t a, b;
		if (colon) { /* MKI:length */
			struct pl x = {p.p, (size_t)(colon - p.p)};
			struct pl y = {colon + 1,
				       p.l - (size_t)(colon + 1 - p.p)};
			if (pl_u64(&x, UINT32_MAX, &a) ||
			    pl_u64(&y, 128, &b) || !b)
				FAIL("crypto MKI invalid");
			c->mki = (uint32_t)a;
			c->mki_len = (uint32_t)b;
		}
		else if (p.l > 2 && p.p[0] == '2' && p.p[1] == '^') {
			struct pl e = {p.p + 2, p.l - 2};
			if (pl_u64(&e, 63, &a))
				FAIL("crypto lifetime invalid");
			c->lifetime = p;
			c->lifetime_v = (uint64_t)1 << a;
		}
		else {
			if (pl_u64(&p, UINT64_MAX, &a) || !a)
				FAIL("crypto lifetime invalid");
			c->lifetime = p;
			c->lifetime_v = a;
		}
	}
	if (c->suite == SDP_SUITE_UNKNOWN)
		return 0; /* kept; the answerer skips it */
	if (sdp_base64_decode(c->key, sizeof(c->key), &c->keylen, &key))
		FAIL("crypto key is not valid base64");
	if (c->keylen != sdp_suite_keylen(c->suite))
		FAIL("crypto key length wrong for the suite");
	return 0;
}

static int crypto_decode(struct sdp_media *m, struct pl v, const char **reason)
{
	struct pl tag, suite, kp;
	struct sdp_crypto *c;
	uint64_t t;

	if (!word(&v, &tag) || !word(&v, &suite) || !word(&v, &kp))
		FAIL("crypto needs tag, suite and key-params");
	if (pl_u64(&tag, 999999999, &t))
		FAIL("crypto tag invalid");
	if (m->ncrypto >= SDP_MAX_CRYPTO)
		return 0;
	c = &m->crypto[m->ncrypto];
	memset(c, 0, sizeof(*c));
	c->tag = (uint32_t)t;
	c->suite_name = suite;
	c->suite = sdp_suite_decode(&suite);
	if (rest(&v))
		c->params = v;
	int err = crypto_keyparams(c, kp, reason);
	if (err)
		return err;
	m->ncrypto++;
	return 0;
}

static bool dir_decode(struct pl *a, enum sdp_dir *d)
{
	static const char *names[] = {"sendrecv", "sendonly", "recvonly",
				      "inactive"};
	for (int i = 0; i < 4; i++)
		if (!pl_strcmp(a, names[i])) {
			*d = (enum sdp_dir)i;
			return true;
		}
	return false;
}

static int attr_decode(struct sdp_session *s, struct sdp_media *m,
		       struct pl a, const char **reason)
{
	const char *colon = pl_chr(&a, ':');
	struct pl name = a, val = PL_INIT, w;
	enum sdp_dir d;
	uint64_t n;

	if (colon) {
		name.l = (size_t)(colon - a.p);
		val = (struct pl){colon + 1, a.l - name.l - 1};
	}
	if (dir_decode(&name, &d)) {
		if (m) {
			m->dir = d;
			m->dir_set = true;
		}
		else {
			s->dir = d;
			s->dir_set = true;
		}
		return 0;
	}
	if (!m)
		return 0;
	if (!pl_strcmp(&name, "rtpmap")) {
		struct pl enc;
		if (!word(&val, &w) || pl_u64(&w, 127, &n) ||
		    !word(&val, &enc))
			FAIL("rtpmap malformed");
		struct sdp_rtpmap *r = map_get(m, (uint32_t)n);
		if (!r)
			return 0;
		const char *s1 = pl_chr(&enc, '/');
		if (!s1)
			FAIL("rtpmap needs encoding/rate");
		r->name = (struct pl){enc.p, (size_t)(s1 - enc.p)};
		struct pl rr = {s1 + 1, enc.l - r->name.l - 1};
		const char *s2 = pl_chr(&rr, '/');
		if (s2) {
			r->params = (struct pl){s2 + 1,
						rr.l - (size_t)(s2 + 1 - rr.p)};
			rr.l = (size_t)(s2 - rr.p);
		}
		if (pl_u64(&rr, UINT32_MAX, &n) || !n || !r->name.l)
			FAIL("rtpmap rate invalid");
		r->rate = (uint32_t)n;
	}
	else if (!pl_strcmp(&name, "fmtp")) {
		if (!word(&val, &w) || pl_u64(&w, 127, &n))
			return 0; /* non-RTP fmtp: ignore */
		struct sdp_rtpmap *r = map_get(m, (uint32_t)n);
		if (r && rest(&val))
			r->fmtp = val;
	}
	else if (!pl_strcmp(&name, "ptime")) {
		if (!pl_u64(&val, 1000, &n))
			m->ptime = (uint32_t)n;
	}
	else if (!pl_strcmp(&name, "maxptime")) {
		if (!pl_u64(&val, 1000, &n))
			m->maxptime = (uint32_t)n;
	}
	else if (!pl_strcmp(&name, "rtcp")) {
		if (!word(&val, &w) || pl_u64(&w, 65535, &n))
			FAIL("rtcp port invalid");
		m->rtcp_port = (uint32_t)n;
	}
	else if (!pl_strcmp(&name, "rtcp-mux"))
		m->rtcp_mux = true;
	else if (!pl_strcmp(&name, "crypto"))
		return crypto_decode(m, val, reason);
	return 0;
}

int sdp_decode(struct sdp_session *s, const struct pl *text,
	       const char **reason)
{
	const char *p, *e;
	struct sdp_media *m = NULL;
	bool v = false, o = false, sn = false;
	int err;

	if (reason)
		*reason = NULL;
	if (!s || !text || !text->p)
		return EINVAL;
	memset(s, 0, sizeof(*s));
	p = text->p;
	e = p + text->l;
	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		struct pl line = {p, (size_t)((nl ? nl : e) - p)};
		p = nl ? nl + 1 : e;
		if (line.l && line.p[line.l - 1] == '\r')
			line.l--;
		if (!line.l)
			continue;
		if (line.l < 2 || line.p[1] != '=')
			FAIL("line is not type=value");
		char t = line.p[0];
		struct pl val = {line.p + 2, line.l - 2};
		if (!v && t != 'v')
			FAIL("v= must come first");
		switch (t) {
		case 'v':
			if (v || pl_strcmp(&val, "0"))
				FAIL("v= must be 0 and appear once");
			v = true;
			break;
		case 'o': {
			struct pl rem = val;
			if (o || m || !word(&rem, &s->o_user) ||
			    !word(&rem, &s->o_id) || !word(&rem, &s->o_ver) ||
			    conn_decode(&s->o_addr, rem, true))
				FAIL("o= malformed");
			o = true;
			break;
		}
		case 's':
			if (m)
				FAIL("s= after m=");
			s->name = val;
			sn = true;
			break;
		case 'c':
			if (conn_decode(m ? &m->conn : &s->conn, val, false))
				FAIL("c= malformed");
			break;
		case 'm':
			if (s->nmedia >= SDP_MAX_MEDIA)
				FAIL("too many m= lines");
			m = &s->media[s->nmedia++];
			err = media_decode(m, val, reason);
			if (err)
				return err;
			break;
		case 'a':
			err = attr_decode(s, m, val, reason);
			if (err)
				return err;
			break;
		default:
			if (t < 'a' || t > 'z')
				FAIL("unknown line type");
			break;
		}
	}
	if (!v)
		FAIL("missing v=");
	if (!o)
		FAIL("missing o=");
	if (!sn)
		FAIL("missing s=");
	for (size_t i = 0; i < s->nmedia; i++)
		if (s->media[i].port && !s->media[i].conn.set && !s->conn.set)
			FAIL("missing c= for an active media stream");
	return 0;
}

enum sdp_dir sdp_media_dir(const struct sdp_session *s, size_t i)
{
	if (!s || i >= s->nmedia)
		return SDP_INACTIVE;
	if (s->media[i].dir_set)
		return s->media[i].dir;
	return s->dir;
}
