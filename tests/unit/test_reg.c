/* test_reg.c: registration client against the mock registrar. */
#include <errno.h>

#include "harness.h"
#include "mock/netsim.h"
#include "mock/registrar.h"
#include "ua/reg/reg.h"
#include "ua/stack/stack.h"

struct rfix {
	struct loop *loop;
	struct netsim *ns;
	struct netsim_ep ua, srv;
	struct stack *st;
	struct tsx_layer *tlr;
	struct mockreg mr;
	/* events seen */
	int nev[4];
	enum reg_state last;
	uint32_t expires, retry_in;
	uint16_t scode;
	char reason[128];
};

static void srv_reqh(struct tsx_layer *tl, const struct sip_msg *msg,
		     const struct tsx_addr *src, void *arg)
{
	struct rfix *f = arg;

	mockreg_handle(&f->mr, tl, msg, src);
}

static const struct tsx_layer_handlers srv_h = {srv_reqh, NULL};

static void ev_h(const struct reg_event *ev, void *arg)
{
	struct rfix *f = arg;

	f->nev[ev->state]++;
	f->last = ev->state;
	f->expires = ev->expires;
	f->retry_in = ev->retry_in;
	f->scode = ev->scode;
	snprintf(f->reason, sizeof(f->reason), "%s", ev->reason);
}

static int rfix_init(struct rfix *f, enum tsx_tp tp,
		     const struct mockreg_opts *mo)
{
	int err;

	memset(f, 0, sizeof(*f));
	err = loop_alloc(&f->loop);
	if (err)
		return err;
	loop_clock_fake(f->loop, 0);
	err = netsim_alloc(&f->ns, f->loop);
	if (err)
		return err;
	netsim_ep_init(&f->ua, f->ns, "10.0.0.1", 5060, tp);
	netsim_ep_init(&f->srv, f->ns, "10.0.0.9", 5060, tp);
	err = stack_alloc(&f->st, f->loop, NULL, NULL, NULL);
	if (!err)
		err = stack_transport_add(f->st, tp, &f->ua.addr, netsim_send,
					  &f->ua);
	if (!err)
		err = tsx_layer_alloc(&f->tlr, f->loop, NULL, netsim_send,
				      &f->srv, &srv_h, f);
	f->ua.tl = stack_tsx(f->st);
	f->srv.tl = f->tlr;
	mockreg_init(&f->mr, mo);
	return err;
}

static void rfix_close(struct rfix *f)
{
	f->st = obj_deref(f->st);
	f->tlr = obj_deref(f->tlr);
	netsim_ep_close(&f->ua);
	netsim_ep_close(&f->srv);
	f->ns = obj_deref(f->ns);
	f->loop = obj_deref(f->loop);
}

static int reg_new(struct rfix *f, struct reg **rp, const char *aor,
		   const char *password, uint32_t expires)
{
	struct reg_opts o;

	reg_opts_default(&o);
	o.aor = aor;
	o.password = password;
	o.expires = expires;
	return reg_alloc(rp, f->st, &o, ev_h, f);
}

/* Set up the fixture, create a registration for @p aor and start it; the
   first exchange has run when it returns 0. */
static int rfix_start(struct rfix *f, struct reg **rp, enum tsx_tp tp,
		      const struct mockreg_opts *mo, const char *aor,
		      const char *password, uint32_t expires)
{
	int err = rfix_init(f, tp, mo);

	if (!err)
		err = reg_new(f, rp, aor, password, expires);
	if (!err)
		err = reg_start(*rp);
	if (!err)
		loop_advance(f->loop, 0);
	return err;
}

/* rfix_start() for sip:alice@10.0.0.9 over UDP. */
static int rfix_start_udp(struct rfix *f, struct reg **rp,
			  const struct mockreg_opts *mo, const char *password,
			  uint32_t expires)
{
	return rfix_start(f, rp, TSX_TP_UDP, mo, "sip:alice@10.0.0.9", password,
			  expires);
}

static void rfix_end(struct rfix *f, struct reg *r)
{
	obj_deref(r);
	rfix_close(f);
}

static void test_register_200_with_expires_each_transport(void)
{
	static const struct {
		enum tsx_tp tp;
		const char *aor;
		const char *contact;
	} tv[] = {
	    {TSX_TP_UDP, "sip:alice@10.0.0.9", "sip:alice@10.0.0.1:5060"},
	    {TSX_TP_TCP, "sip:alice@10.0.0.9;transport=tcp",
	     "sip:alice@10.0.0.1:5060;transport=tcp"},
	    {TSX_TP_TLS, "sips:alice@10.0.0.9:5060",
	     "sip:alice@10.0.0.1:5060;transport=tls"},
	};
	struct mockreg_opts mo = {.max_expires = 300};
	size_t i;

	for (i = 0; i < sizeof(tv) / sizeof(tv[0]); i++) {
		struct rfix f;
		struct reg *r = NULL;

		REQUIRE(!rfix_init(&f, tv[i].tp, &mo));
		REQUIRE(!reg_new(&f, &r, tv[i].aor, NULL, 3600));
		CHECK_EQ_INT(reg_transport(r), tv[i].tp);
		REQUIRE(!reg_start(r));
		loop_advance(f.loop, 0);
		loop_advance(f.loop, 0);
		CHECK_EQ_INT(f.last, REG_REGISTERED);
		CHECK_EQ_INT(f.expires, 300);
		CHECK_EQ_STR(f.reason, "200 OK");
		CHECK_EQ_STR(f.mr.contact, tv[i].contact);
		CHECK_EQ_INT(f.mr.last_expires, 3600);
		CHECK(reg_isregistered(r));
		rfix_end(&f, r);
	}
}

static void test_401_challenge_then_200(void)
{
	struct mockreg_opts mo = {.password = "secret"};
	struct rfix f;
	struct reg *r = NULL;

	REQUIRE(!rfix_start_udp(&f, &r, &mo, "secret", 600));
	CHECK_EQ_INT(f.mr.nchallenged, 1);
	CHECK_EQ_INT(f.mr.nauth_ok, 1);
	CHECK_EQ_INT(f.last, REG_REGISTERED);
	CHECK_EQ_INT(f.expires, 600);
	CHECK_EQ_INT(f.nev[REG_FAILED], 0);
	rfix_end(&f, r);
}

/* A refusal the client cannot fix by itself: reported once, with the reason
   a user reads, and never sent again on its own. */
static void test_refusals_fail_clearly_without_hammering(void)
{
	static const struct {
		struct mockreg_opts mo;
		const char *password;
		uint16_t scode;
		const char *reason;
		uint32_t nregister;
	} tv[] = {
	    {{.password = "secret"},
	     "wrong",
	     401,
	     "wrong password (401 after fresh credentials)",
	     2},
	    {{.password = "secret"},
	     NULL,
	     401,
	     "authentication required, no password",
	     1},
	    {{.fail_scode = 403}, NULL, 403, "403 Forbidden", 1},
	};
	size_t i;

	for (i = 0; i < sizeof(tv) / sizeof(tv[0]); i++) {
		struct rfix f;
		struct reg *r = NULL;

		REQUIRE(
		    !rfix_start_udp(&f, &r, &tv[i].mo, tv[i].password, 600));
		CHECK_EQ_INT(f.last, REG_FAILED);
		CHECK_EQ_INT(f.scode, tv[i].scode);
		CHECK_EQ_STR(f.reason, tv[i].reason);
		CHECK_EQ_INT(f.mr.nregister, tv[i].nregister);
		loop_advance(f.loop, 600000);
		CHECK_EQ_INT(f.mr.nregister,
			     tv[i].nregister); /* no hammering */
		CHECK_EQ_INT(f.nev[REG_FAILED], 1);
		rfix_end(&f, r);
	}
}

static void test_stale_nonce_handled_silently(void)
{
	struct mockreg_opts mo = {.password = "secret", .stale_next = true};
	struct rfix f;
	struct reg *r = NULL;

	REQUIRE(!rfix_start_udp(&f, &r, &mo, "secret", 600));
	CHECK_EQ_INT(f.mr.nchallenged, 2);
	CHECK_EQ_INT(f.last, REG_REGISTERED);
	CHECK_EQ_INT(f.nev[REG_FAILED], 0);
	CHECK_EQ_INT(f.nev[REG_REGISTERED], 1);
	rfix_end(&f, r);
}

static void test_refresh_before_expiry(void)
{
	struct mockreg_opts mo = {.password = "secret", .max_expires = 100};
	struct rfix f;
	struct reg *r = NULL;

	REQUIRE(!rfix_start_udp(&f, &r, &mo, "secret", 3600));
	CHECK_EQ_INT(f.expires, 100);
	uint32_t n = f.mr.nregister;
	loop_advance(f.loop, 89999);
	CHECK_EQ_INT(f.mr.nregister, n);
	loop_advance(f.loop, 1);
	CHECK(f.mr.nregister > n);
	CHECK_EQ_INT(f.nev[REG_REGISTERED], 2);
	CHECK_EQ_INT(f.nev[REG_FAILED], 0);
	rfix_end(&f, r);
}

static void test_refresh_with_expired_nonce_is_no_password_failure(void)
{
	struct mockreg_opts mo = {
	    .password = "secret", .max_expires = 100, .strict_nonce = true};
	struct rfix f;
	struct reg *r = NULL;

	REQUIRE(!rfix_start_udp(&f, &r, &mo, "secret", 100));
	CHECK_EQ_INT(f.last, REG_REGISTERED);
	f.mr.nonce_seq += 10; /* the server forgot our nonce */
	loop_advance(f.loop, 90000);
	CHECK_EQ_INT(f.nev[REG_FAILED], 0);
	CHECK_EQ_INT(f.nev[REG_REGISTERED], 2);
	CHECK_EQ_INT(f.mr.nchallenged, 2);
	rfix_end(&f, r);
}

static void test_short_binding_refreshed_five_seconds_early(void)
{
	struct mockreg_opts mo = {.max_expires = 20};
	struct rfix f;
	struct reg *r = NULL;

	REQUIRE(!rfix_start_udp(&f, &r, &mo, NULL, 3600));
	loop_advance(f.loop, 14999);
	CHECK_EQ_INT(f.mr.nregister, 1);
	loop_advance(f.loop, 1);
	CHECK_EQ_INT(f.mr.nregister, 2);
	rfix_end(&f, r);
}

static void test_423_retries_with_min_expires(void)
{
	struct mockreg_opts mo = {.min_expires = 600};
	struct rfix f;
	struct reg *r = NULL;

	REQUIRE(!rfix_start_udp(&f, &r, &mo, NULL, 60));
	CHECK_EQ_INT(f.mr.nregister, 2);
	CHECK_EQ_INT(f.mr.last_expires, 600);
	CHECK_EQ_INT(f.last, REG_REGISTERED);
	CHECK_EQ_INT(f.expires, 600);
	rfix_end(&f, r);
}

static void test_unregister_on_close(void)
{
	struct mockreg_opts mo = {.password = "secret"};
	struct rfix f;
	struct reg *r = NULL;

	REQUIRE(!rfix_start(&f, &r, TSX_TP_TCP, &mo,
			    "sip:alice@10.0.0.9;transport=tcp", "secret", 600));
	CHECK(f.mr.contact[0] != '\0');
	REQUIRE(!reg_stop(r));
	loop_advance(f.loop, 0);
	CHECK_EQ_INT(f.last, REG_UNREGISTERED);
	CHECK_EQ_INT(f.mr.last_expires, 0);
	CHECK_EQ_STR(f.mr.contact, "");
	CHECK(!reg_isregistered(r));
	loop_advance(f.loop, 3600000);
	CHECK_EQ_INT(f.nev[REG_REGISTERED], 1);
	rfix_end(&f, r);
}

static void test_server_error_retries_with_backoff(void)
{
	struct mockreg_opts mo = {.fail_scode = 503};
	struct rfix f;
	struct reg *r = NULL;

	REQUIRE(!rfix_start_udp(&f, &r, &mo, NULL, 600));
	CHECK_EQ_INT(f.last, REG_RETRYING);
	CHECK_EQ_INT(f.retry_in, 5);
	CHECK_EQ_STR(f.reason, "503 Service Unavailable");
	loop_advance(f.loop, 5000);
	CHECK_EQ_INT(f.retry_in, 10); /* doubled */
	f.mr.opts.fail_scode = 0;
	loop_advance(f.loop, 10000);
	CHECK_EQ_INT(f.last, REG_REGISTERED);
	rfix_end(&f, r);
}

static void test_no_answer_then_transport_loss_retry(void)
{
	struct rfix f;
	struct reg *r = NULL;

	REQUIRE(!rfix_init(&f, TSX_TP_UDP, NULL));
	f.ua.drop_all = 1;
	REQUIRE(!reg_new(&f, &r, "sip:alice@10.0.0.9", NULL, 600));
	REQUIRE(!reg_start(r));
	loop_advance(f.loop, 32000);
	CHECK_EQ_INT(f.last, REG_RETRYING);
	CHECK_EQ_INT(f.scode, 408);
	f.ua.drop_all = 0;
	loop_advance(f.loop, 5000);
	CHECK_EQ_INT(f.last, REG_REGISTERED);
	reg_transport_lost(r);
	CHECK_EQ_INT(f.last, REG_RETRYING);
	CHECK(!reg_isregistered(r));
	loop_advance(f.loop, 5000);
	CHECK_EQ_INT(f.last, REG_REGISTERED);
	rfix_end(&f, r);
}

static void test_ruri_params_and_several_accounts(void)
{
	struct rfix f;
	struct reg *r1 = NULL, *r2 = NULL;
	struct reg_opts o;

	REQUIRE(!rfix_init(&f, TSX_TP_UDP, NULL));
	reg_opts_default(&o);
	o.aor = "sip:+4930123@10.0.0.9";
	o.ruri_params = "user=phone";
	REQUIRE(!reg_alloc(&r1, f.st, &o, ev_h, &f));
	REQUIRE(!reg_new(&f, &r2, "sip:bob@10.0.0.9", NULL, 600));
	REQUIRE(!reg_start(r1));
	loop_advance(f.loop, 0);
	CHECK_EQ_STR(f.mr.ruri, "sip:10.0.0.9;user=phone");
	REQUIRE(!reg_start(r2));
	loop_advance(f.loop, 0);
	CHECK_EQ_STR(f.mr.ruri, "sip:10.0.0.9");
	CHECK_EQ_INT(f.nev[REG_REGISTERED], 2);
	CHECK(reg_isregistered(r1) && reg_isregistered(r2));
	obj_deref(r1);
	obj_deref(r2);
	rfix_close(&f);
}

static void test_bad_aor_rejected(void)
{
	struct rfix f;
	struct reg *r = NULL;

	REQUIRE(!rfix_init(&f, TSX_TP_UDP, NULL));
	CHECK_EQ_INT(reg_new(&f, &r, "alice", NULL, 60), EINVAL);
	/* a host name is looked up at reg_start(); an unknown scheme or a
	   transport without a listener is refused at once */
	CHECK_EQ_INT(reg_new(&f, &r, "sips:alice@example.com", NULL, 60),
		     ENOTSUP);
	CHECK_EQ_INT(
	    reg_new(&f, &r, "sip:alice@10.0.0.9;transport=tcp", NULL, 60),
	    ENOTSUP);
	rfix_close(&f);
}

int main(void)
{
	harness_watchdog(20);
	RUN(test_register_200_with_expires_each_transport);
	RUN(test_401_challenge_then_200);
	RUN(test_refusals_fail_clearly_without_hammering);
	RUN(test_stale_nonce_handled_silently);
	RUN(test_refresh_before_expiry);
	RUN(test_refresh_with_expired_nonce_is_no_password_failure);
	RUN(test_short_binding_refreshed_five_seconds_early);
	RUN(test_423_retries_with_min_expires);
	RUN(test_unregister_on_close);
	RUN(test_server_error_retries_with_backoff);
	RUN(test_no_answer_then_transport_loss_retry);
	RUN(test_ruri_params_and_several_accounts);
	RUN(test_bad_aor_rejected);
	return harness_done();
}
