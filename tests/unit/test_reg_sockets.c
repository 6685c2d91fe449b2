/* test_reg_sockets.c: registration over real UDP, TCP and TLS sockets
 * (ua/tp) with the mock registrar on a second stack. */
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>

#include "base/loop.h"
#include "harness.h"
#include "mock/registrar.h"
#include "ua/reg/reg.h"
#include "ua/stack/stack.h"
#include "ua/stack/stacktp.h"

struct side {
	struct stack *st;
	struct tp *tp;
};

struct sfix {
	struct loop *loop;
	struct side ua, srv;
	struct mockreg mr;
	char dir[64];
	int nreg, nfail;
	uint32_t expires;
	char reason[128];
};

static void srv_reqh(struct stack *st, const struct sip_msg *msg,
		     const struct tsx_addr *src, void *arg)
{
	struct sfix *f = arg;

	mockreg_handle(&f->mr, stack_tsx(st), msg, src);
}

static const struct stack_handlers srv_h = {srv_reqh, NULL};

static void ev_h(const struct reg_event *ev, void *arg)
{
	struct sfix *f = arg;

	if (ev->state == REG_REGISTERED) {
		f->nreg++;
		f->expires = ev->expires;
	}
	if (ev->state == REG_FAILED || ev->state == REG_RETRYING)
		f->nfail++;
	snprintf(f->reason, sizeof(f->reason), "%s", ev->reason);
}

static int side_open(struct sfix *f, struct side *s,
		     const struct stack_handlers *h, const struct tp_opts *to)
{
	struct sa la;
	int err = stack_alloc(&s->st, f->loop, NULL, h, f);

	if (!err)
		err = tp_alloc(&s->tp, f->loop, to, &stack_tp_handlers, s->st);
	if (!err)
		err = sa_set(&la, "127.0.0.1", 0);
	if (!err)
		err = tp_listen(s->tp, TP_UDP | TP_TCP | TP_TLS, &la);
	if (!err)
		err = stack_tp_attach(s->st, s->tp);
	return err;
}

static int sfix_init(struct sfix *f, const struct mockreg_opts *mo)
{
	struct tp_opts to;
	int err;

	memset(f, 0, sizeof(*f));
	strcpy(f->dir, "/tmp/pb-regtls.");
	memset(f->dir + strlen(f->dir), 'X', 6); /* mkdtemp() template */
	f->dir[strlen("/tmp/pb-regtls.") + 6] = '\0';
	if (!mkdtemp(f->dir))
		return errno;
	mockreg_init(&f->mr, mo);
	err = loop_alloc(&f->loop);
	if (err)
		return err;
	tp_opts_default(&to);
	to.tls.data_dir = f->dir; /* self-signed server certificate */
	err = side_open(f, &f->srv, &srv_h, &to);
	if (err)
		return err;
	/* the UA trusts exactly the registrar's certificate */
	to.tls.pin_sha256 = tls_fingerprint(tp_tls(f->srv.tp));
	return side_open(f, &f->ua, NULL, &to);
}

static int rm_entry(const char *p, const struct stat *sb, int fl,
		    struct FTW *ftw)
{
	(void)sb;
	(void)fl;
	(void)ftw;
	return remove(p);
}

static void side_close(struct side *s)
{
	s->tp = obj_deref(s->tp);
	s->st = obj_deref(s->st);
}

static void sfix_close(struct sfix *f)
{
	side_close(&f->ua);
	side_close(&f->srv);
	f->loop = obj_deref(f->loop);
	nftw(f->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static bool run_until(struct sfix *f, const int *counter, int want)
{
	int i;

	for (i = 0; i < 300 && *counter < want; i++)
		loop_poll(f->loop, 10);
	return *counter >= want;
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
	struct sfix f;
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
		REQUIRE(!reg_alloc(&r, f.ua.st, &o, ev_h, &f));
		REQUIRE(!reg_start(r));
		CHECK(run_until(&f, &f.nreg, (int)i + 1));
		CHECK_EQ_INT(f.expires, 120);
		CHECK_EQ_INT(f.nfail, 0);
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
	sfix_close(&f);
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_register_over_udp_tcp_tls_sockets);
	return harness_done();
}
