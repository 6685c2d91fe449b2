/* replaces.c: attended transfer (RFC 3891 Replaces, RFC 5589): the
 * Replaces value naming one of our dialogs, the REFER that carries it in
 * Refer-To, and finding the dialog a new INVITE's Replaces takes over.
 */
#include <errno.h>
#include <stdio.h>

#include "base/mem.h"
#define LOG_TAG "sess"
#include "base/log.h"
#include "ua/sess/priv.h"
#include "ua/sip/param.h"

int sess_replaces_decode(struct sess_replaces *r, const struct pl *val)
{
	struct pl v, name, pv;
	const char *semi;
	size_t pos = 0;
	bool to = false, from = false;
	int err;

	if (!r || !val)
		return EINVAL;
	memset(r, 0, sizeof(*r));
	v = *val;
	pl_trim(&v);
	semi = pl_chr(&v, ';');
	if (!semi)
		return EBADMSG;
	r->callid.p = v.p;
	r->callid.l = (size_t)(semi - v.p);
	pl_trim(&r->callid);
	if (!r->callid.l || pl_chr(&r->callid, ' '))
		return EBADMSG;
	v.l -= (size_t)(semi - v.p);
	v.p = semi;
	while (!(err = sip_param_next(&v, &pos, &name, &pv))) {
		if (!pl_strcasecmp(&name, "to-tag") && pv.l && !to) {
			r->to_tag = pv;
			to = true;
		} else if (!pl_strcasecmp(&name, "from-tag") && pv.l && !from) {
			r->from_tag = pv;
			from = true;
		} else if (!pl_strcasecmp(&name, "early-only") && !pv.l) {
			r->early_only = true;
		} else if (!pl_strcasecmp(&name, "to-tag") ||
			   !pl_strcasecmp(&name, "from-tag")) {
			return EBADMSG; /* twice, or empty */
		}
	}
	if (err != ENOENT || !to || !from)
		return EBADMSG;
	return 0;
}

/* RFC 3261 hvalue characters that need no escaping in a URI header */
static bool hvalue_plain(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || strchr("-_.!~*'()[]/:+$", ch);
}

static int put(struct buf *mb, const char *str, bool escaped)
{
	int err = 0;

	for (; *str && !err; str++) {
		if (!escaped || hvalue_plain(*str))
			err = buf_write(mb, str, 1);
		else
			err = buf_printf(mb, "%%%02X", (unsigned char)*str);
	}
	return err;
}

int sess_replaces_print(struct buf *mb, const struct sess *s, bool escaped)
{
	int err;

	if (!mb || !s || !s->dlg || !s->callid)
		return EINVAL;
	/* as the peer sees the dialog: its tag is the to-tag */
	err = put(mb, s->callid, escaped);
	if (!err)
		err = put(mb, ";to-tag=", escaped);
	if (!err)
		err = put(mb, s->dlg->rtag, escaped);
	if (!err)
		err = put(mb, ";from-tag=", escaped);
	if (!err)
		err = put(mb, s->ltag, escaped);
	return err;
}

/* one of our sessions is the dialog @p r names, seen from here */
static bool dialog_is(const struct sess *s, const struct sess_replaces *r)
{
	return s->dlg && s->dlg->rtag && !pl_strcmp(&r->callid, s->callid) &&
	       !pl_strcmp(&r->to_tag, s->ltag) &&
	       !pl_strcmp(&r->from_tag, s->dlg->rtag);
}

uint16_t sess_replaces_find(struct sess_layer *l, const struct sip_msg *msg,
			    struct sess **sp)
{
	const struct sip_hdr *h;
	struct sess_replaces r;
	struct le *le;

	if (!l || !msg || !sp)
		return 500;
	*sp = NULL;
	h = sip_msg_hdr_name(msg, "Replaces");
	if (!h)
		return 0;
	if (sip_msg_hdr_next(msg, h) || sess_replaces_decode(&r, &h->val))
		return 400;
	LIST_FOREACH(&l->sessl, le)
	{
		struct sess *s = le->data;

		if (!dialog_is(s, &r))
			continue;
		if (s->state == SESS_ST_CLOSING || s->state == SESS_ST_CLOSED)
			return 603;
		/* RFC 3891 3: an early dialog we did not originate is not
		   ours to give away; a confirmed one not when early-only */
		if (s->state == SESS_ST_INCOMING)
			return 481;
		if (r.early_only && s->state != SESS_ST_CALLING)
			return 486;
		*sp = s;
		return 0;
	}
	return 481;
}

int sess_refer_replaces(struct sess *s, const struct sess *other,
			const char *target)
{
	struct buf *hb = NULL;
	struct sip_uri u;
	struct pl pl = pl_from_str(target ? target : "");
	int err;

	if (!s || !other || s == other || !target || sip_uri_decode(&u, &pl) ||
	    u.headers.l)
		return EINVAL;
	if (!sess_in_dialog(s) || !sess_in_dialog(other))
		return ENOTCONN;
	err = buf_alloc(&hb, 768);
	if (!err)
		err = buf_printf(hb, "Refer-To: <%s?Replaces=", target);
	if (!err)
		err = sess_replaces_print(hb, other, true);
	if (!err)
		err = buf_printf(hb, ">\r\nReferred-By: %s\r\n", s->dlg->luri);
	if (!err)
		err = sess_refer_send(s, hb);
	obj_deref(hb);
	return err;
}
