/* test_reg_sockets.c: registration over real UDP, TCP and TLS sockets
 * (ua/tp) with the mock registrar on a second stack. */
#include "harness.h"
#include "mock/regsock.h"
#include "ua/tls/tls.h"

static int sfix_init(struct regsock *f, const struct mockreg_opts *mo)
{
	int types = TP_UDP | TP_TCP | TP_TLS;
	struct tp_opts to;
	int err = regsock_init(f, "pb-regtls", mo);

	if (err)
		return err;
	tp_opts_default(&to);
	to.tls.data_dir = f->dir; /* self-signed server certificate */
	err = regsock_side_open(&f->srv, f->loop, &f->mr, types, &to, NULL);
	if (err)
		return err;
	/* the UA trusts exactly the registrar's certificate */
	to.tls.pin_sha256 = tls_fingerprint(tp_tls(f->srv.tp));
	return regsock_side_open(&f->ua, f->loop, NULL, types, &to, NULL);
}

static void test_register_over_udp_tcp_tls_sockets(void)
{
	static const struct {
		enum tp_type type;
		const char *fmt;
		const char *suffix; /* of the bound Contact */
	} tv[] = {
	    {TP_UDP, "sip:alice@%s", ""},
	    {TP_TCP, "sip:alice@%s;transport=tcp", ";transport=tcp"},
	    {TP_TLS, "sips:alice@%s", ";transport=tls"},
	};
	struct mockreg_opts mo = {.password = "secret", .max_expires = 120};
	struct regsock f;
	size_t i;

	REQUIRE(!sfix_init(&f, &mo));
	for (i = 0; i < sizeof(tv) / sizeof(tv[0]); i++) {
		struct reg_opts o;
		struct reg *r = NULL;
		struct sa la;
		char hp[SA_STR_MAX], aor[128];
		int unreg0 = f.mr.nregister;

		REQUIRE(!tp_laddr(f.srv.tp, tv[i].type, AF_INET, &la));
		snprintf(aor, sizeof(aor), tv[i].fmt,
			 sa_print(&la, hp, sizeof(hp)));
		reg_opts_default(&o);
		o.aor = aor;
		o.password = "secret";
		REQUIRE(!reg_alloc(&r, f.ua.st, &o, regsock_reg_h, &f));
		REQUIRE(!reg_start(r));
		CHECK(regsock_run(&f, &f.nreg, (int)i + 1));
		CHECK_EQ_INT(f.expires, 120);
		CHECK_EQ_INT(f.nfail + f.nretry, 0);
		CHECK(f.mr.nregister >= (uint32_t)unreg0 + 2); /* 401 + 200 */
		CHECK(f.mr.contact[0] != '\0');
		CHECK(strlen(f.mr.contact) > strlen(tv[i].suffix) &&
		      !strcmp(f.mr.contact + strlen(f.mr.contact) -
				  strlen(tv[i].suffix),
			      tv[i].suffix));
		CHECK(strchr(f.mr.contact, ';') == NULL || *tv[i].suffix);
		REQUIRE(!reg_stop(r));
		for (int k = 0; k < 300 && f.mr.contact[0]; k++)
			loop_poll(f.loop, 10);
		CHECK_EQ_STR(f.mr.contact, "");
		obj_deref(r);
	}
	regsock_close(&f);
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_register_over_udp_tcp_tls_sockets);
	return harness_done();
}
