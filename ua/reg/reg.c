/* reg.c: the registration state machine.
 *
 *   idle --start--> registering --200--> registered --refresh timer-->
 *   registering ...; 401/407 -> same REGISTER with credentials (a second
 *   non-stale challenge right after fresh credentials = wrong password);
 *   423 -> again with Min-Expires; no answer / unreachable with another
 *   SRV server of the name left -> at once to that one;
 *   408/5xx/6xx/timeout/transport loss -> retry after a doubling delay;
 *   other 4xx -> failed. reg_stop() sends Expires: 0 and reports
 *   unregistered.
 */
#include <errno.h>
#include <stdio.h>

#include "base/mem.h"
#include "base/rand.h"
#include "ua/auth/auth.h"
#include "ua/reg/reg.h"
#include "ua/sip/param.h"

struct reg {
	struct stack *st;	     /**< stack (not referenced)           */
	char *aor;		     /**< address of record                */
	char *ruri;		     /**< Request-URI                      */
	char *user;		     /**< auth user                        */
	char *aor_user;		     /**< user part (Contact user)         */
	char *password;		     /**< password or NULL                 */
	char *callid;		     /**< one Call-ID for all REGISTERs    */
	char *ftag;		     /**< From tag                         */
	char contact[160];	     /**< our Contact URI                  */
	struct tsx_addr dst;	     /**< registrar                        */
	bool named;		     /**< its host is a name to look up    */
	bool resolved;		     /**< dst holds the name's address     */
	struct stack_lookup *lookup; /**< lookup in progress or NULL */
	struct reg_opts opts;	     /**< numeric options                  */
	uint32_t expires;	     /**< what we ask for                  */
	uint32_t cseq;		     /**< last CSeq                        */
	struct tmr tmr;		     /**< refresh or retry                 */
	struct tsx *tsx;	     /**< REGISTER in flight (borrowed)    */
	uint32_t retries;	     /**< consecutive transient failures   */
	uint32_t n423;		     /**< consecutive 423s                 */
	bool registered;	     /**< binding in place                 */
	bool stopping;		     /**< unregistering                    */
	struct auth_client *ac;	     /**< digest state (with a password)   */
	bool chall_proxy;	     /**< 407 (Proxy-Authorization)        */
	reg_h *h;		     /**< owner's handler                  */
	void *arg;		     /**< its argument                     */
};

void reg_opts_default(struct reg_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->expires = 3600;
	o->retry_min = 5;
	o->retry_max = 300;
}

static void reg_destroy(void *data)
{
	struct reg *r = data;

	tmr_cancel(&r->tmr);
	tsx_abandon(r->tsx);
	obj_deref(r->lookup);
	obj_deref(r->ac);
	obj_deref(r->aor);
	obj_deref(r->ruri);
	obj_deref(r->user);
	obj_deref(r->aor_user);
	obj_deref(r->password);
	obj_deref(r->callid);
	obj_deref(r->ftag);
}

/* "sip:host[:port][;transport=x][;params]" from the AOR */
static char *ruri_from_aor(const struct sip_uri *u, const char *params)
{
	struct pl tp = PL_INIT;
	char port[8] = "";

	if (u->port)
		snprintf(port, sizeof(port), ":%u", u->port);
	(void)sip_uri_param(u, "transport", &tp);
	return obj_printf("%s:%s%.*s%s%s%s%.*s%s%s",
			  u->scheme == SIP_URI_SIPS ? "sips" : "sip",
			  u->ipv6 ? "[" : "", PL_ARG(u->host),
			  u->ipv6 ? "]" : "", port, tp.l ? ";transport=" : "",
			  PL_ARG(tp), params && *params ? ";" : "",
			  params ? params : "");
}

static int setup(struct reg *r, const struct reg_opts *o)
{
	struct sip_uri u;
	struct pl pl = pl_from_str(o->aor);
	int err;

	if (sip_uri_decode(&u, &pl) || !u.has_user || !u.user.l ||
	    (u.scheme != SIP_URI_SIP && u.scheme != SIP_URI_SIPS))
		return EINVAL;
	r->aor_user = pl_strdup(&u.user);
	r->user = o->user ? obj_strdup(o->user) : pl_strdup(&u.user);
	if (o->registrar) {
		const char *p = o->ruri_params;
		r->ruri = obj_printf("%s%s%s", o->registrar, p && *p ? ";" : "",
				     p ? p : "");
	} else {
		r->ruri = ruri_from_aor(&u, o->ruri_params);
	}
	if (!r->aor_user || !r->user || !r->ruri)
		return ENOMEM;
	pl = pl_from_str(r->ruri);
	if (sip_uri_decode(&u, &pl))
		return EINVAL;
	err = stack_uri_dst(&u, &r->dst);
	r->named = err == ENOTSUP && r->dst.host[0];
	if (err && !r->named)
		return err;
	if (!stack_laddr(r->st, r->dst.tp))
		return ENOTSUP;
	return stack_contact(r->st, &r->dst, r->aor_user, r->contact,
			     sizeof(r->contact));
}

int reg_alloc(struct reg **rp, struct stack *st, const struct reg_opts *opts,
	      reg_h *h, void *arg)
{
	struct reg *r;
	int err;

	if (!rp || !st || !opts || !opts->aor)
		return EINVAL;
	r = obj_zalloc(sizeof(*r), reg_destroy);
	if (!r)
		return ENOMEM;
	r->st = st;
	r->opts = *opts;
	r->opts.aor = r->opts.registrar = r->opts.user = NULL;
	r->opts.password = r->opts.ruri_params = NULL;
	if (!r->opts.retry_min)
		r->opts.retry_min = 5;
	if (r->opts.retry_max < r->opts.retry_min)
		r->opts.retry_max = r->opts.retry_min;
	r->expires = opts->expires ? opts->expires : 3600;
	r->h = h;
	r->arg = arg;
	r->aor = obj_strdup(opts->aor);
	r->password = opts->password ? obj_strdup(opts->password) : NULL;
	r->callid = rand_token(24);
	r->ftag = rand_token(12);
	if (!r->aor || !r->callid || !r->ftag ||
	    (opts->password && !r->password)) {
		err = ENOMEM;
		goto out;
	}
	err = setup(r, opts);
	if (!err && r->password)
		err = auth_client_alloc(&r->ac, r->user, r->password);
out:
	if (err)
		obj_deref(r);
	else
		*rp = r;
	return err;
}

static void report(struct reg *r, enum reg_state s, uint16_t scode,
		   const char *reason, uint32_t expires, uint32_t retry_in)
{
	struct reg_event ev = {s,	 expires, scode, reason ? reason : "",
			       retry_in, r->aor};

	if (r->h)
		r->h(&ev, r->arg);
}

static void resp_h(int err, const struct sip_msg *msg, void *arg);
static void send_register(struct reg *r);
static void fail(struct reg *r, uint16_t scode, const char *reason);

static void timer_h(void *arg)
{
	send_register(arg);
}

static void retry_later(struct reg *r, uint16_t scode, const char *reason)
{
	uint64_t d = r->opts.retry_min;
	uint32_t i;

	for (i = 0; i < r->retries && d < r->opts.retry_max; i++)
		d *= 2;
	if (d > r->opts.retry_max)
		d = r->opts.retry_max;
	r->retries++;
	r->registered = false;
	tmr_start(tsx_layer_loop(stack_tsx(r->st)), &r->tmr, d * 1000, timer_h,
		  r);
	report(r, REG_RETRYING, scode, reason, 0, (uint32_t)d);
}

static int auth_print(struct reg *r, struct buf *mb)
{
	struct pl uri = pl_from_str(r->ruri);
	int err;

	if (!r->ac || !auth_client_ready(r->ac))
		return 0;
	err = buf_write_str(mb, r->chall_proxy ? "Proxy-Authorization: "
					       : "Authorization: ");
	if (!err)
		err = auth_client_authorize(r->ac, mb, &PL("REGISTER"), &uri,
					    NULL);
	if (!err)
		err = buf_write_str(mb, "\r\n");
	return err;
}

static void lookup_h(int err, const struct tsx_addr *dst, const char *reason,
		     void *arg)
{
	struct reg *r = arg;

	r->lookup = obj_deref(r->lookup);
	if (!err) {
		r->dst = *dst;
		r->resolved = true;
		send_register(r);
		return;
	}
	if (err == ENOENT || r->stopping)
		fail(r, 0, reason);
	else
		retry_later(r, 0, reason);
}

/* a registrar named by host name: look it up first (0: dst ready) */
static int resolve(struct reg *r)
{
	struct sip_uri u;
	struct pl pl = pl_from_str(r->ruri);
	int err;

	if (!r->named || r->resolved)
		return 0;
	if (r->lookup)
		return EINPROGRESS;
	if (sip_uri_decode(&u, &pl))
		return EINVAL;
	err = stack_uri_resolve(&r->lookup, r->st, &u, &r->dst, lookup_h, r);
	if (!err)
		r->resolved = true;
	return err;
}

static void send_register(struct reg *r)
{
	uint32_t exp = r->stopping ? 0 : r->expires;
	struct buf *hb;
	int err;

	tmr_cancel(&r->tmr);
	tsx_abandon(r->tsx);
	r->tsx = NULL;
	err = resolve(r);
	if (err == EINPROGRESS)
		return;
	if (!err && r->named) /* our address of the family it resolved to */
		err = stack_contact(r->st, &r->dst, r->aor_user, r->contact,
				    sizeof(r->contact));
	if (err)
		goto fail;
	err = buf_alloc(&hb, 512);
	if (err)
		goto fail;
	err = buf_printf(hb,
			 "From: <%s>;tag=%s\r\nTo: <%s>\r\nCall-ID: %s\r\n"
			 "CSeq: %u REGISTER\r\nContact: <%s>\r\n"
			 "Expires: %u\r\n",
			 r->aor, r->ftag, r->aor, r->callid, ++r->cseq,
			 r->contact, exp);
	if (!err)
		err = auth_print(r, hb);
	if (!err)
		err = buf_write(hb, "", 1);
	if (!err)
		err =
		    stack_request(&r->tsx, r->st, "REGISTER", r->ruri, &r->dst,
				  (const char *)hb->b, NULL, resp_h, r);
	obj_deref(hb);
	if (!err)
		return;
fail:
	r->tsx = NULL;
	if (r->stopping) {
		r->stopping = false;
		report(r, REG_UNREGISTERED, 0, strerror(err), 0, 0);
		return;
	}
	retry_later(r, 0, strerror(err));
}

int reg_start(struct reg *r)
{
	if (!r)
		return EINVAL;
	r->stopping = false;
	r->retries = 0;
	send_register(r);
	return 0;
}

int reg_stop(struct reg *r)
{
	if (!r)
		return EINVAL;
	tmr_cancel(&r->tmr);
	if (!r->registered) {
		tsx_abandon(r->tsx);
		r->tsx = NULL;
		r->lookup = obj_deref(r->lookup);
		report(r, REG_UNREGISTERED, 0, "not registered", 0, 0);
		return EALREADY;
	}
	r->stopping = true;
	send_register(r);
	return 0;
}

bool reg_isregistered(const struct reg *r)
{
	return r && r->registered;
}

enum tsx_tp reg_transport(const struct reg *r)
{
	return r->dst.tp;
}

/* the registrar's address failed: look its name up again next time */
static void forget(struct reg *r)
{
	if (!r->named)
		return;
	r->resolved = false;
	stack_host_forget(r->st, r->dst.host);
}

void reg_transport_lost(struct reg *r)
{
	if (!r || r->stopping)
		return;
	tsx_abandon(r->tsx);
	r->tsx = NULL;
	forget(r);
	retry_later(r, 0, "transport connection lost");
}

/* granted time: our Contact's expires param, else Expires, else asked */
static uint32_t granted(const struct reg *r, const struct sip_msg *msg)
{
	struct pl me = pl_from_str(r->contact), v;
	uint64_t e;

	SIP_MSG_FOREACH(msg, SIP_HDR_CONTACT, h)
	{
		struct sip_addr a;
		if (sip_addr_decode(&a, &h->val, true) || a.wildcard)
			continue;
		struct sip_uri u;
		if (sip_uri_decode(&u, &me) || !sip_uri_cmp(&u, &a.uri))
			continue;
		if (!sip_addr_param(&a, "expires", &v) &&
		    !pl_u64(&v, UINT32_MAX, &e))
			return (uint32_t)e;
	}
	if (msg->expires >= 0 && msg->expires <= UINT32_MAX)
		return (uint32_t)msg->expires;
	return r->expires;
}

static void on_ok(struct reg *r, const struct sip_msg *msg)
{
	uint32_t exp = granted(r, msg);
	uint64_t ms;
	char reason[64];

	r->retries = 0;
	r->n423 = 0;
	auth_client_ok(r->ac);
	if (r->stopping) {
		r->stopping = false;
		r->registered = false;
		report(r, REG_UNREGISTERED, msg->scode, "unregistered", 0, 0);
		return;
	}
	if (!exp) {
		r->registered = false;
		report(r, REG_FAILED, msg->scode, "registrar granted 0 s", 0,
		       0);
		return;
	}
	r->registered = true;
	/* refresh at 90 %, short bindings a few seconds early */
	ms = exp > 50 ? exp * 900ULL
		      : (exp > 10 ? exp - 5 : exp / 2 + 1) * 1000ULL;
	tmr_start(tsx_layer_loop(stack_tsx(r->st)), &r->tmr, ms, timer_h, r);
	snprintf(reason, sizeof(reason), "%u %.*s", msg->scode,
		 PL_ARG(msg->reason));
	report(r, REG_REGISTERED, msg->scode, reason, exp, 0);
}

static void fail(struct reg *r, uint16_t scode, const char *reason)
{
	r->registered = false;
	if (r->stopping) {
		r->stopping = false;
		report(r, REG_UNREGISTERED, scode, reason, 0, 0);
		return;
	}
	report(r, REG_FAILED, scode, reason, 0, 0);
}

enum { REG_CHALL_MAX = 8 };

static void on_challenge(struct reg *r, const struct sip_msg *msg)
{
	bool proxy = msg->scode == 407;
	enum sip_hdr_id id =
	    proxy ? SIP_HDR_PROXY_AUTHENTICATE : SIP_HDR_WWW_AUTHENTICATE;
	struct auth_chal chv[REG_CHALL_MAX];
	size_t n = 0;
	char reason[96];
	int err;

	if (!r->ac) {
		fail(r, msg->scode, "authentication required, no password");
		return;
	}
	SIP_MSG_FOREACH(msg, id, h)
	{
		if (n < REG_CHALL_MAX && !auth_chal_decode(&chv[n], &h->val))
			n++;
	}
	err = n ? auth_client_challenge(r->ac, chv, n) : ENOSYS;
	if (err == EACCES) {
		snprintf(reason, sizeof(reason),
			 "wrong password (%u after fresh credentials)",
			 msg->scode);
		fail(r, msg->scode, reason);
		return;
	}
	if (err) {
		fail(r, msg->scode, "unsupported authentication challenge");
		return;
	}
	r->chall_proxy = proxy;
	send_register(r);
}

static void on_423(struct reg *r, const struct sip_msg *msg)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, SIP_HDR_MIN_EXPIRES);
	uint64_t v;

	if (!h || pl_u64(&h->val, UINT32_MAX, &v) || v <= r->expires ||
	    ++r->n423 > 3) {
		fail(r, 423, "423 Interval Too Brief (no usable Min-Expires)");
		return;
	}
	r->expires = (uint32_t)v;
	send_register(r);
}

static bool transient(uint16_t scode)
{
	return scode == 408 || scode == 480 || scode >= 500;
}

static void resp_h(int err, const struct sip_msg *msg, void *arg)
{
	struct reg *r = arg;
	char reason[96];

	if (!err && msg->scode < 200)
		return;
	r->tsx = NULL;
	if (err && r->named && !r->stopping &&
	    !stack_dst_failed(r->st, &r->dst)) {
		r->resolved = false; /* at once to the next SRV server */
		send_register(r);
		return;
	}
	if (err) {
		forget(r);
		snprintf(reason, sizeof(reason), "%s",
			 err == ETIMEDOUT ? "408 no answer from registrar"
					  : strerror(err));
		if (r->stopping)
			fail(r, 408, reason);
		else
			retry_later(r, 408, reason);
		return;
	}
	if (msg->scode < 300) {
		on_ok(r, msg);
		return;
	}
	if (msg->scode == 401 || msg->scode == 407) {
		on_challenge(r, msg);
		return;
	}
	if (msg->scode == 423 && !r->stopping) {
		on_423(r, msg);
		return;
	}
	snprintf(reason, sizeof(reason), "%u %.*s", msg->scode,
		 PL_ARG(msg->reason));
	if (transient(msg->scode) && !r->stopping)
		retry_later(r, msg->scode, reason);
	else
		fail(r, msg->scode, reason);
}
