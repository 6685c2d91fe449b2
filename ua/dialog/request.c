/* request.c: printing in-dialog requests with loose or strict routing. */
#include <errno.h>

#include "ua/sip/print.h"
#include "ua/dialog/dlg.h"
#include "ua/sip/addr.h"
#include "ua/sip/uri.h"

/* The URI inside a route value "<sip:p1;lr>" (or its addr-spec). */
static bool route_is_loose(const char *route, struct pl *uri)
{
	struct sip_addr a;
	struct pl v = pl_from_str(route);

	if (sip_addr_decode(&a, &v, false)) {
		*uri = v;
		return true;
	}
	*uri = a.auri;
	return !sip_uri_param(&a.uri, "lr", NULL);
}

static int print_routes(struct buf *mb, const struct dlg *d, size_t from,
			bool strict)
{
	size_t i;
	int err = 0;

	for (i = from; i < d->routec && !err; i++)
		err = buf_printf(mb, "Route: %s\r\n", d->routev[i]);
	if (!err && strict)
		err = buf_printf(mb, "Route: <%s>\r\n", d->rtarget);
	return err;
}

int dlg_request_print(struct buf *mb, struct dlg *d, const char *method,
		      const char *via, uint32_t cseq, const char *hdrs,
		      const struct pl *body)
{
	struct pl first = PL_INIT;
	bool strict = false;
	int err;

	if (!mb || !d || !method || !via || !d->rtarget)
		return EINVAL;
	if (d->routec)
		strict = !route_is_loose(d->routev[0], &first);
	if (!cseq)
		cseq = ++d->lseq;
	if (strict)
		err = buf_printf(mb, "%s %.*s SIP/2.0\r\n", method,
				 PL_ARG(first));
	else
		err = buf_printf(mb, "%s %s SIP/2.0\r\n", method, d->rtarget);
	if (!err)
		err = buf_printf(mb, "Via: %s\r\nMax-Forwards: 70\r\n", via);
	if (!err)
		err = print_routes(mb, d, strict ? 1 : 0, strict);
	if (!err)
		err = buf_printf(mb,
				 "From: %s;tag=%s\r\nTo: %s%s%s\r\n"
				 "Call-ID: %s\r\nCSeq: %u %s\r\n",
				 d->luri, d->ltag, d->ruri,
				 *d->rtag ? ";tag=" : "", d->rtag, d->callid,
				 cseq, method);
	return err ? err : sip_print_tail(mb, hdrs, body);
}
