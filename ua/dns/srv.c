/* srv.c: SRV lookups with glibc's libresolv, answers parsed defensively. */
#include <arpa/nameser.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ua/dns/srv.h"

enum { SRV_FIXED = 6, SRV_ANSWER_MAX = 4096, SRV_RETRANS_MAX = 2 };

/* one resource record of the answer section as an SRV record (0), or
   ENOENT (another type or class), EBADMSG */
static int srv_rr(const ns_msg *h, const ns_rr *rr, struct dns_srv *s)
{
	const uint8_t *rd = ns_rr_rdata(*rr);
	size_t rdlen = ns_rr_rdlen(*rr);
	int n;

	if (ns_rr_type(*rr) != ns_t_srv || ns_rr_class(*rr) != ns_c_in)
		return ENOENT;
	if (rdlen < SRV_FIXED + 1)
		return EBADMSG;
	s->prio = (uint16_t)(rd[0] << 8 | rd[1]);
	s->weight = (uint16_t)(rd[2] << 8 | rd[3]);
	s->port = (uint16_t)(rd[4] << 8 | rd[5]);
	s->ttl = ns_rr_ttl(*rr);
	/* the target may be compressed (some servers do), but must stay
	   inside the record's data */
	n = ns_name_uncompress(ns_msg_base(*h), ns_msg_end(*h), rd + SRV_FIXED,
			       s->target, sizeof(s->target));
	if (n < 1 || (size_t)n > rdlen - SRV_FIXED)
		return EBADMSG;
	if (!strcmp(s->target, "."))
		s->target[0] = '\0';
	return 0;
}

int dns_srv_parse(const uint8_t *msg, size_t len, struct dns_srv *v, size_t max,
		  size_t *np)
{
	ns_msg h;
	ns_rr rr;
	int i, cnt, err;
	size_t n = 0;

	if (!msg || !np || (max && !v))
		return EINVAL;
	*np = 0;
	if (len > INT32_MAX || ns_initparse(msg, (int)len, &h) < 0)
		return EBADMSG;
	cnt = ns_msg_count(h, ns_s_an);
	for (i = 0; i < cnt && n < max; i++) {
		if (ns_parserr(&h, ns_s_an, i, &rr) < 0)
			return EBADMSG;
		err = srv_rr(&h, &rr, &v[n]);
		if (err == EBADMSG)
			return err;
		if (!err)
			n++;
	}
	*np = n;
	return 0;
}

static int by_prio(const void *a, const void *b)
{
	const struct dns_srv *x = a, *y = b;

	return (int)x->prio - (int)y->prio;
}

/* RFC 2782: within one priority, pick records one by one, each with a
   chance proportional to its weight (weight 0 ones first in the list,
   so they get a small chance too) */
static void order_run(struct dns_srv *v, size_t n, unsigned *seed)
{
	struct dns_srv t;
	uint32_t sum, r, acc;
	size_t i, k;

	for (i = 0; i + 1 < n; i++) {
		for (k = i + 1; k < n; k++) { /* zero weights to the front */
			if (!v[k].weight && v[i].weight) {
				t = v[i];
				v[i] = v[k];
				v[k] = t;
			}
		}
	}
	for (i = 0; i + 1 < n; i++) {
		sum = 0;
		for (k = i; k < n; k++)
			sum += v[k].weight;
		r = (uint32_t)rand_r(seed) % (sum + 1);
		acc = 0;
		for (k = i; k < n; k++) {
			acc += v[k].weight;
			if (acc >= r)
				break;
		}
		if (k >= n)
			k = n - 1;
		t = v[i];
		v[i] = v[k];
		v[k] = t;
	}
}

void dns_srv_order(struct dns_srv *v, size_t n, unsigned *seed)
{
	size_t i, j;

	if (!v || n < 2)
		return;
	qsort(v, n, sizeof(*v), by_prio);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && v[j].prio == v[i].prio; j++)
			;
		order_run(v + i, j - i, seed);
	}
}

int dns_srv_query(const char *name, struct dns_srv *v, size_t max, size_t *np,
		  char *reason, size_t rsize)
{
	struct __res_state rs;
	uint8_t ans[SRV_ANSWER_MAX];
	int len, err = 0;

	if (!name || !np || !reason)
		return EINVAL;
	*np = 0;
	memset(&rs, 0, sizeof(rs));
	if (res_ninit(&rs)) {
		snprintf(reason, rsize,
			 "cannot read the resolver configuration");
		return EAGAIN;
	}
	/* resolv.conf may allow 5 s x 2 tries per server; the A/AAAA
	   lookup still has to fit in the resolver's time after this */
	if (rs.retrans > SRV_RETRANS_MAX)
		rs.retrans = SRV_RETRANS_MAX;
	if (rs.retry > 1)
		rs.retry = 1;
	len = res_nquery(&rs, name, ns_c_in, ns_t_srv, ans, sizeof(ans));

	if (len < 0) {
		switch (rs.res_h_errno) {
		case HOST_NOT_FOUND:
		case NO_DATA:
			break; /* no SRV records: not an error */
		case TRY_AGAIN:
			snprintf(reason, rsize, "no answer from DNS for %s",
				 name);
			err = ETIMEDOUT;
			break;
		default:
			snprintf(reason, rsize, "DNS failure for %s", name);
			err = EAGAIN;
			break;
		}
	} else {
		if ((size_t)len > sizeof(ans)) /* truncated to our buffer */
			len = (int)sizeof(ans);
		err = dns_srv_parse(ans, (size_t)len, v, max, np);
		if (err)
			snprintf(reason, rsize, "malformed DNS answer for %s",
				 name);
	}
	res_nclose(&rs);
	return err;
}
