/* account.c: the phone's accounts and their registrations. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"
#define LOG_TAG "phone"
#include "base/log.h"
#include "ua/phone/priv.h"

static void acc_destroy(void *data)
{
	struct phone_acc *acc = data;

	list_unlink(&acc->le);
	obj_deref(acc->reg);
}

struct phone_acc *phone_acc_find(const struct phone *p, const char *name)
{
	struct le *le;

	if (!p)
		return NULL;
	if (!name || !*name)
		return p->accounts.head ? p->accounts.head->data : NULL;
	LIST_FOREACH(&p->accounts, le)
	{
		struct phone_acc *acc = le->data;

		if (!strcmp(acc->a.name, name))
			return acc;
	}
	return NULL;
}

static void acc_emit(struct phone_acc *acc, enum phone_ev_kind kind,
		     uint16_t scode, uint32_t expires)
{
	struct phone_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.account = acc->a.name;
	ev.peer = acc->a.aor;
	ev.scode = scode;
	ev.reason = acc->reason;
	ev.expires = expires;
	phone_emit(acc->p, &ev);
}

static void reg_evh(const struct reg_event *rev, void *arg)
{
	struct phone_acc *acc = arg;

	snprintf(acc->reason, sizeof(acc->reason), "%s", rev->reason);
	switch (rev->state) {
	case REG_REGISTERED:
		acc->state = "registered";
		acc_emit(acc, PHONE_EV_REGISTERED, rev->scode, rev->expires);
		break;
	case REG_FAILED:
	case REG_RETRYING:
		acc->state = "failed";
		if (rev->state == REG_FAILED)
			acc->stopping = false;
		if (rev->state == REG_RETRYING)
			snprintf(acc->reason, sizeof(acc->reason),
				 "%s; retrying in %u s", rev->reason,
				 rev->retry_in);
		acc_emit(acc, PHONE_EV_REG_FAILED, rev->scode, 0);
		break;
	case REG_UNREGISTERED:
		acc->state = "unregistered";
		acc->stopping = false;
		acc_emit(acc, PHONE_EV_UNREGISTERED, rev->scode, 0);
		break;
	}
}

/* user, domain and transport of the AOR */
static int aor_split(struct phone_acc *acc, char *err, size_t errlen)
{
	struct sip_uri u;
	struct pl pl = pl_from_str(acc->a.aor), tp;

	if (sip_uri_decode(&u, &pl) ||
	    (u.scheme != SIP_URI_SIP && u.scheme != SIP_URI_SIPS) ||
	    !u.host.l) {
		snprintf(err, errlen,
			 "bad account address '%s' (want "
			 "sip:user@host or sips:user@host)",
			 acc->a.aor);
		return EINVAL;
	}
	if (u.user.l >= sizeof(acc->user) ||
	    u.host.l + 8 >= sizeof(acc->domain)) {
		snprintf(err, errlen, "account address too long: %s",
			 acc->a.aor);
		return EINVAL;
	}
	pl_copy(&u.user, acc->user, sizeof(acc->user));
	if (u.ipv6)
		snprintf(acc->domain, sizeof(acc->domain), "[%.*s]",
			 (int)u.host.l, u.host.p);
	else
		pl_copy(&u.host, acc->domain, sizeof(acc->domain));
	if (u.port)
		snprintf(acc->domain + strlen(acc->domain),
			 sizeof(acc->domain) - strlen(acc->domain), ":%u",
			 u.port);
	acc->sips = u.scheme == SIP_URI_SIPS;
	if (!sip_uri_param(&u, "transport", &tp) && tp.l && tp.l < 8)
		snprintf(acc->tpparam, sizeof(acc->tpparam), ";transport=%.*s",
			 (int)tp.l, tp.p);
	if (!acc->a.name[0])
		snprintf(acc->a.name, sizeof(acc->a.name), "%s",
			 acc->a.display[0] ? acc->a.display : acc->user);
	if (!acc->a.name[0])
		snprintf(acc->a.name, sizeof(acc->a.name), "%s", acc->domain);
	return 0;
}

static int acc_tls(struct phone_acc *acc, char *err, size_t errlen)
{
	struct tls *tls = tp_tls(acc->p->tp);
	int e;

	if (!acc->a.ca[0] && acc->a.tls_verify)
		return 0;
	e = tls_client_trust(tls, acc->a.ca, !acc->a.tls_verify);
	if (e)
		snprintf(err, errlen, "account %s: cannot load CA file %s",
			 acc->a.name, acc->a.ca);
	return e;
}

static int acc_reg(struct phone_acc *acc, char *err, size_t errlen)
{
	struct reg_opts ro;
	const char *where;
	int e;

	where = acc->a.registrar[0] ? acc->a.registrar : acc->domain;
	if (!strcmp(acc->a.registrar, "none")) {
		acc->state = "no registrar";
		return 0;
	}
	reg_opts_default(&ro);
	ro.aor = acc->a.aor;
	ro.registrar = acc->a.registrar[0] ? acc->a.registrar : NULL;
	ro.user = acc->a.auth_user[0] ? acc->a.auth_user : NULL;
	ro.password = acc->a.auth_pass[0] ? acc->a.auth_pass : NULL;
	ro.ruri_params = acc->a.ruri_params[0] ? acc->a.ruri_params : NULL;
	if (acc->a.regint)
		ro.expires = acc->a.regint;
	e = reg_alloc(&acc->reg, acc->p->st, &ro, reg_evh, acc);
	if (e == ENOTSUP)
		snprintf(err, errlen,
			 "account %s: registrar %s needs a transport that is "
			 "not listening (or use registrar=none)",
			 acc->a.name,
			 acc->a.registrar[0] ? acc->a.registrar : acc->domain);
	else if (e == EAFNOSUPPORT) /* an IP literal of the other family */
		snprintf(err, errlen,
			 "account %s: registrar %s is an IPv%c address and "
			 "the phone does not listen on one (add a listen "
			 "address of that family)",
			 acc->a.name, where, strchr(where, '[') ? '6' : '4');
	else if (e)
		snprintf(err, errlen, "account %s: bad registrar '%s'",
			 acc->a.name,
			 acc->a.registrar[0] ? acc->a.registrar : acc->domain);
	if (e)
		return e;
	acc->state = "registering";
	e = reg_start(acc->reg);
	if (e)
		snprintf(err, errlen, "account %s: cannot send REGISTER: %s",
			 acc->a.name, strerror(e));
	return e;
}

int phone_account_add(struct phone *p, const struct phone_account *a, char *err,
		      size_t errlen)
{
	struct phone_acc *acc;
	char dummy[8];
	int e;

	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	*err = '\0';
	if (!p || !a)
		return EINVAL;
	acc = obj_zalloc(sizeof(*acc), acc_destroy);
	if (!acc)
		return ENOMEM;
	acc->p = p;
	acc->a = *a;
	acc->a.aor[sizeof(acc->a.aor) - 1] = '\0';
	acc->a.name[sizeof(acc->a.name) - 1] = '\0';
	if ((e = aor_split(acc, err, errlen)))
		goto out;
	if (phone_acc_find(p, acc->a.name)) {
		snprintf(err, errlen, "account %s exists already", acc->a.name);
		e = EEXIST;
		goto out;
	}
	if ((e = acc_tls(acc, err, errlen)))
		goto out;
	list_append(&p->accounts, &acc->le, acc);
	e = acc_reg(acc, err, errlen);
	if (e)
		list_unlink(&acc->le);
out:
	if (e) {
		phone_fail(p, e, "%s", err);
		obj_deref(acc);
	}
	return e;
}

void phone_acc_stop_all(struct phone *p)
{
	struct le *le;

	LIST_FOREACH(&p->accounts, le)
	{
		struct phone_acc *acc = le->data;

		if (!acc->reg || acc->stopping)
			continue;
		if (reg_stop(acc->reg) == 0)
			acc->stopping = true;
		else
			acc->state = "unregistered";
	}
}

bool phone_acc_all_stopped(const struct phone *p)
{
	struct le *le;

	LIST_FOREACH(&p->accounts, le)
	{
		const struct phone_acc *acc = le->data;

		if (acc->stopping)
			return false;
	}
	return true;
}

void phone_acc_conn_lost(struct phone *p, enum tsx_tp tp)
{
	struct le *le;

	if (tp == TSX_TP_UDP)
		return;
	LIST_FOREACH(&p->accounts, le)
	{
		struct phone_acc *acc = le->data;

		if (acc->reg && reg_transport(acc->reg) == tp) {
			acc->state = "registering";
			reg_transport_lost(acc->reg);
		}
	}
}

size_t phone_accounts(const struct phone *p, struct phone_account_info *v,
		      size_t max)
{
	struct le *le;
	size_t n = 0;

	if (!p)
		return 0;
	LIST_FOREACH(&p->accounts, le)
	{
		const struct phone_acc *acc = le->data;

		if (v && n < max) {
			v[n].name = acc->a.name;
			v[n].aor = acc->a.aor;
			v[n].state = acc->state;
			v[n].reason = acc->reason;
		}
		n++;
	}
	return n;
}

int phone_acc_anon(struct phone *p)
{
	struct phone_acc *acc = obj_zalloc(sizeof(*acc), acc_destroy);

	if (!acc)
		return ENOMEM;
	acc->p = p;
	phone_account_default(&acc->a);
	snprintf(acc->a.name, sizeof(acc->a.name), "direct");
	snprintf(acc->a.aor, sizeof(acc->a.aor), "sip:phonebox@%s%s%s",
		 p->addr[0] ? "" : "[", phone_addr_af(p, AF_UNSPEC),
		 p->addr[0] ? "" : "]");
	snprintf(acc->a.registrar, sizeof(acc->a.registrar), "none");
	snprintf(acc->user, sizeof(acc->user), "phonebox");
	acc->state = "no registrar";
	p->anon = acc;
	return 0;
}
