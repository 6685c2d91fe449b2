/* encode.c: print a session description; redact inline keys for traces. */
#include <errno.h>
#include <inttypes.h>

#include "base/mem.h"
#include "ua/sdp/sdp.h"

static const char *dir_name(enum sdp_dir d)
{
	static const char *n[] = {"sendrecv", "sendonly", "recvonly",
				  "inactive"};
	return d <= SDP_INACTIVE ? n[d] : "sendrecv";
}

static int conn_print(struct buf *b, const struct sdp_conn *c)
{
	return buf_printf(b, "c=IN %s %.*s\r\n", c->ip6 ? "IP6" : "IP4",
			  PL_ARG(c->addr));
}

static int media_print(struct buf *b, const struct sdp_media *m)
{
	char key[4 * ((SDP_KEY_MAX + 2) / 3) + 1];
	int err;

	err = buf_printf(b, "m=%.*s %u %.*s", PL_ARG(m->type), m->port,
			 PL_ARG(m->proto_name));
	for (size_t i = 0; i < m->nfmt; i++)
		err |= buf_printf(b, " %.*s", PL_ARG(m->fmt[i]));
	err |= buf_write_str(b, "\r\n");
	if (m->conn.set)
		err |= conn_print(b, &m->conn);
	for (size_t i = 0; i < m->nmap; i++) {
		const struct sdp_rtpmap *r = &m->map[i];
		if (r->name.l) {
			err |= buf_printf(b, "a=rtpmap:%u %.*s/%u", r->pt,
					  PL_ARG(r->name), r->rate);
			if (r->params.l)
				err |= buf_printf(b, "/%.*s",
						  PL_ARG(r->params));
			err |= buf_write_str(b, "\r\n");
		}
		if (r->fmtp.l)
			err |= buf_printf(b, "a=fmtp:%u %.*s\r\n", r->pt,
					  PL_ARG(r->fmtp));
	}
	if (m->ptime)
		err |= buf_printf(b, "a=ptime:%u\r\n", m->ptime);
	if (m->maxptime)
		err |= buf_printf(b, "a=maxptime:%u\r\n", m->maxptime);
	if (m->rtcp_port)
		err |= buf_printf(b, "a=rtcp:%u\r\n", m->rtcp_port);
	if (m->rtcp_mux)
		err |= buf_write_str(b, "a=rtcp-mux\r\n");
	for (size_t i = 0; i < m->ncrypto; i++) {
		const struct sdp_crypto *c = &m->crypto[i];
		sdp_base64_encode(key, c->key, c->keylen);
		err |= buf_printf(b, "a=crypto:%u %s inline:%s", c->tag,
				  sdp_suite_name(c->suite), key);
		if (c->lifetime.l)
			err |= buf_printf(b, "|%.*s", PL_ARG(c->lifetime));
		if (c->mki_len)
			err |= buf_printf(b, "|%u:%u", c->mki, c->mki_len);
		if (c->params.l)
			err |= buf_printf(b, " %.*s", PL_ARG(c->params));
		err |= buf_write_str(b, "\r\n");
	}
	if (m->dir_set)
		err |= buf_printf(b, "a=%s\r\n", dir_name(m->dir));
	return err ? ENOMEM : 0;
}

int sdp_encode(struct buf *b, const struct sdp_session *s)
{
	int err;

	if (!b || !s)
		return EINVAL;
	err = buf_printf(b, "v=0\r\no=%.*s %.*s %.*s IN %s %.*s\r\n",
			 PL_ARG(s->o_user), PL_ARG(s->o_id), PL_ARG(s->o_ver),
			 s->o_addr.ip6 ? "IP6" : "IP4", PL_ARG(s->o_addr.addr));
	err |= buf_printf(b, "s=%.*s\r\n", s->name.l ? (int)s->name.l : 1,
			  s->name.l ? s->name.p : "-");
	if (s->conn.set)
		err |= conn_print(b, &s->conn);
	err |= buf_write_str(b, "t=0 0\r\n");
	if (s->dir_set)
		err |= buf_printf(b, "a=%s\r\n", dir_name(s->dir));
	for (size_t i = 0; !err && i < s->nmedia; i++)
		err = media_print(b, &s->media[i]);
	return err ? ENOMEM : 0;
}

char *sdp_redact(const struct pl *text)
{
	static const char mark[] = "inline:";
	static const char red[] = "inline:<redacted>";
	struct buf *b = NULL;
	char *out = NULL;
	size_t i = 0;

	if (!text || buf_alloc(&b, text->l + 64))
		return NULL;
	while (i < text->l) {
		if (text->l - i >= 7 && !strncasecmp(text->p + i, mark, 7)) {
			if (buf_write(b, red, sizeof(red) - 1))
				goto out;
			i += 7;
			/* key material runs to '|', ';', space or EOL;
			 * lifetime/MKI after '|' are not secret */
			while (i < text->l && !strchr("|; \r\n", text->p[i]))
				i++;
			continue;
		}
		if (buf_write(b, text->p + i, 1))
			goto out;
		i++;
	}
	out = obj_strndup((const char *)b->b, b->end);
out:
	obj_deref(b);
	return out;
}
