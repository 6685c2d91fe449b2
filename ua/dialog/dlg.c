/* dlg.c: dialog creation, matching, CSeq checks and target refresh. */
#include <errno.h>

#include "base/mem.h"
#include "ua/dialog/dlg.h"

static void routes_free(struct dlg *d)
{
	size_t i;

	for (i = 0; i < d->routec; i++)
		obj_deref(d->routev[i]);
	d->routev = obj_deref(d->routev);
	d->routec = 0;
}

static void dlg_destroy(void *data)
{
	struct dlg *d = data;

	list_unlink(&d->le);
	routes_free(d);
	obj_deref(d->callid);
	obj_deref(d->ltag);
	obj_deref(d->rtag);
	obj_deref(d->luri);
	obj_deref(d->ruri);
	obj_deref(d->rtarget);
}

/* Record-Route values of @p m, reversed when @p reverse (UAC) */
static int routes_set(struct dlg *d, const struct sip_msg *m, bool reverse)
{
	size_t n = sip_msg_hdr_count(m, SIP_HDR_RECORD_ROUTE), i = 0;

	routes_free(d);
	if (!n)
		return 0;
	d->routev = obj_zalloc(n * sizeof(*d->routev), NULL);
	if (!d->routev)
		return ENOMEM;
	SIP_MSG_FOREACH(m, SIP_HDR_RECORD_ROUTE, h)
	{
		size_t k = reverse ? n - 1 - i : i;
		if (i >= n)
			break;
		d->routev[k] = pl_strdup(&h->val);
		if (!d->routev[k])
			return ENOMEM;
		d->routec = ++i;
	}
	return 0;
}

static char *angle_uri(const struct sip_addr *a)
{
	return obj_printf("<%.*s>", PL_ARG(a->auri));
}

static int set_target(struct dlg *d, const struct sip_msg *m)
{
	char *t;

	if (!m->contactc || m->contact.wildcard)
		return EINVAL;
	t = pl_strdup(&m->contact.auri);
	if (!t)
		return ENOMEM;
	obj_deref(d->rtarget);
	d->rtarget = t;
	return 0;
}

int dlg_alloc_uac(struct dlg **dp, const struct sip_msg *req,
		  const struct sip_msg *resp)
{
	struct dlg *d;
	int err;

	if (!dp || !req || !resp || resp->req || !req->req ||
	    !pl_isset(&resp->to.tag) || resp->scode < 101 || resp->scode >= 300)
		return EINVAL;
	d = obj_zalloc(sizeof(*d), dlg_destroy);
	if (!d)
		return ENOMEM;
	d->callid = pl_strdup(&req->callid);
	d->ltag = pl_strdup(&req->from.tag);
	d->rtag = pl_strdup(&resp->to.tag);
	d->luri = angle_uri(&req->from);
	d->ruri = angle_uri(&req->to);
	d->lseq = req->cseq.num;
	d->early = resp->scode < 200;
	d->secure = req->ruri.scheme == SIP_URI_SIPS;
	if (!d->callid || !d->ltag || !d->rtag || !d->luri || !d->ruri) {
		err = ENOMEM;
		goto out;
	}
	err = routes_set(d, resp, true);
	if (!err)
		err = set_target(d, resp);
out:
	if (err)
		obj_deref(d);
	else
		*dp = d;
	return err;
}

int dlg_alloc_uas(struct dlg **dp, const struct sip_msg *req, const char *ltag)
{
	struct dlg *d;
	int err;

	if (!dp || !req || !req->req || !ltag || !*ltag)
		return EINVAL;
	d = obj_zalloc(sizeof(*d), dlg_destroy);
	if (!d)
		return ENOMEM;
	d->callid = pl_strdup(&req->callid);
	d->ltag = obj_strdup(ltag);
	d->rtag = pl_strdup(&req->from.tag);
	d->luri = angle_uri(&req->to);
	d->ruri = angle_uri(&req->from);
	d->rseq = req->cseq.num;
	d->rseq_set = true;
	d->secure = req->ruri.scheme == SIP_URI_SIPS;
	if (!d->callid || !d->ltag || !d->rtag || !d->luri || !d->ruri) {
		err = ENOMEM;
		goto out;
	}
	err = routes_set(d, req, false);
	if (!err)
		err = set_target(d, req);
out:
	if (err)
		obj_deref(d);
	else
		*dp = d;
	return err;
}

bool dlg_match(const struct dlg *d, const struct sip_msg *m)
{
	const struct pl *lt, *rt;

	if (!d || !m || pl_strcmp(&m->callid, d->callid))
		return false;
	/* requests from the peer: To = us; responses: From = us */
	lt = m->req ? &m->to.tag : &m->from.tag;
	rt = m->req ? &m->from.tag : &m->to.tag;
	if (pl_strcmp(lt, d->ltag))
		return false;
	if (!m->req && d->early && !*d->rtag)
		return true;
	return !pl_strcmp(rt, d->rtag) || (!rt->l && !*d->rtag);
}

struct dlg *dlg_find(const struct list *l, const struct sip_msg *msg)
{
	struct le *le;

	LIST_FOREACH(l, le)
	{
		struct dlg *d = le->data;
		if (dlg_match(d, msg))
			return d;
	}
	return NULL;
}

int dlg_recv_request(struct dlg *d, const struct sip_msg *req, uint16_t *scode)
{
	if (!d || !req || !req->req)
		return EINVAL;
	if (req->method == SIP_METHOD_ACK || req->method == SIP_METHOD_CANCEL)
		return 0;
	if (d->rseq_set && req->cseq.num < d->rseq) {
		if (scode)
			*scode = 500;
		return EPROTO;
	}
	d->rseq = req->cseq.num;
	d->rseq_set = true;
	if ((req->method == SIP_METHOD_INVITE ||
	     req->method == SIP_METHOD_UPDATE) &&
	    req->contactc)
		(void)set_target(d, req);
	return 0;
}

int dlg_target_refresh(struct dlg *d, const struct sip_msg *resp)
{
	int err;

	if (!d || !resp || resp->req || resp->scode < 200 || resp->scode >= 300)
		return EINVAL;
	if (d->early) {
		err = routes_set(d, resp, true);
		if (err)
			return err;
		if (pl_isset(&resp->to.tag) &&
		    pl_strcmp(&resp->to.tag, d->rtag)) {
			char *t = pl_strdup(&resp->to.tag);
			if (!t)
				return ENOMEM;
			obj_deref(d->rtag);
			d->rtag = t;
		}
		d->early = false;
	}
	return resp->contactc ? set_target(d, resp) : 0;
}
