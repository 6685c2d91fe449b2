/* phone.c: the phone object: options, life cycle, events, errors. */
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"
#define LOG_TAG "phone"
#include "base/log.h"
#include "ua/phone/priv.h"

enum {
	PHONE_SHUT_MS = 4000, /**< phone_shutdown() gives up after this */
	PHONE_SHUT_POLL_MS = 50,
};

void phone_emit(struct phone *p, struct phone_event *ev)
{
	if (p->h)
		p->h(ev, p->arg);
}

int phone_fail(struct phone *p, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	return err;
}

const char *phone_error(const struct phone *p)
{
	return p ? p->err : "no phone";
}

static int rm_entry(const char *path, const struct stat *sb, int flag,
		    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void strs_free(struct phone_strs *s)
{
	size_t i;

	for (i = 0; i < 8; i++)
		obj_deref(s->listen[i]);
	obj_deref(s->cert_dir);
	obj_deref(s->audio_in);
	obj_deref(s->audio_out);
	obj_deref(s->play);
	obj_deref(s->record);
	obj_deref(s->media_addr);
	obj_deref(s->user_agent);
}

static void phone_destroy(void *data)
{
	struct phone *p = data;

	tmr_cancel(&p->shut_tmr);
	p->h = NULL; /* no events while tearing down */
	phone_call_close_all(p);
	list_flush(&p->accounts);
	p->anon = obj_deref(p->anon);
	p->sl = obj_deref(p->sl);
	p->st = obj_deref(p->st);
	p->tp = obj_deref(p->tp);
	if (p->tmpdir[0])
		nftw(p->tmpdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	strs_free(&p->strs);
	obj_deref(p->loop);
}

/* copy @p s into *@p keep; @return the copy (NULL for NULL) */
static const char *keep_str(char **keep, const char *s, int *err)
{
	if (!s)
		return NULL;
	*keep = obj_strdup(s);
	if (!*keep)
		*err = ENOMEM;
	return *keep;
}

static int opts_copy(struct phone *p, const struct phone_opts *o)
{
	struct phone_strs *s = &p->strs;
	size_t i;
	int err = 0;

	p->opts = *o;
	if (p->opts.nlisten > 8)
		return EINVAL;
	for (i = 0; i < p->opts.nlisten; i++) {
		if (!o->listen[i])
			return EINVAL;
		p->opts.listen[i] = keep_str(&s->listen[i], o->listen[i], &err);
	}
	p->opts.cert_dir = keep_str(&s->cert_dir, o->cert_dir, &err);
	p->opts.audio_in = keep_str(&s->audio_in, o->audio_in, &err);
	p->opts.audio_out = keep_str(&s->audio_out, o->audio_out, &err);
	p->opts.play = keep_str(&s->play, o->play, &err);
	p->opts.record = keep_str(&s->record, o->record, &err);
	p->opts.media_addr = keep_str(&s->media_addr, o->media_addr, &err);
	p->opts.user_agent = keep_str(&s->user_agent, o->user_agent, &err);
	return err;
}

static void conn_losth(struct stack *st, const struct tsx_addr *peer, int err,
		       const char *reason, void *arg)
{
	struct phone *p = arg;

	(void)st;
	(void)err;
	(void)reason;
	phone_acc_conn_lost(p, peer->tp);
}

static const struct stack_handlers phone_stack_h = {phone_reqh, conn_losth};

static int stack_make(struct phone *p)
{
	struct stack_opts so;
	char ua[64];

	stack_opts_default(&so);
	snprintf(ua, sizeof(ua), "phonebox/%s", PB_VERSION);
	so.user_agent = p->opts.user_agent ? p->opts.user_agent : ua;
	so.allow = phone_allow;
	so.supported = "replaces, 100rel";
	return stack_alloc(&p->st, p->loop, &so, &phone_stack_h, p);
}

int phone_alloc(struct phone **pp, struct loop *loop,
		const struct phone_opts *o, phone_event_h *h, void *arg,
		char *err, size_t errlen)
{
	struct phone_opts def;
	struct phone *p;
	char dummy[8];
	int e;

	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	*err = '\0';
	if (!pp || !loop) {
		snprintf(err, errlen, "phone: missing argument");
		return EINVAL;
	}
	if (!o) {
		phone_opts_default(&def);
		o = &def;
	}
	p = obj_zalloc(sizeof(*p), phone_destroy);
	if (!p)
		return ENOMEM;
	p->loop = obj_ref(loop);
	p->h = h;
	p->arg = arg;
	list_init(&p->accounts);
	list_init(&p->calls);
	e = opts_copy(p, o);
	if (e) {
		snprintf(err, errlen, "phone: %s",
			 e == EINVAL ? "bad listen list" : strerror(e));
		goto out;
	}
	if ((e = stack_make(p))) {
		snprintf(err, errlen, "phone: cannot make the SIP stack: %s",
			 strerror(e));
		goto out;
	}
	if ((e = phone_tp_open(p, err, errlen)))
		goto out;
	e = phone_acc_anon(p);
	if (!e)
		e = phone_call_layer_alloc(p);
	if (e)
		snprintf(err, errlen,
			 "phone: cannot make the session layer: %s",
			 strerror(e));
out:
	if (e)
		obj_deref(p);
	else
		*pp = p;
	return e;
}

struct phone *phone_free(struct phone *p)
{
	if (!p)
		return NULL;
	p->h = NULL;
	/* best effort: BYE/CANCEL and un-REGISTER leave at once */
	phone_call_hangup_all(p);
	phone_acc_stop_all(p);
	return obj_deref(p);
}

static void shut_check(void *arg)
{
	struct phone *p = arg;
	void (*doneh)(void *) = p->shut_doneh;
	bool late = loop_now(p->loop) >= p->shut_deadline;

	if (!late && (phone_call_count(p) || !phone_acc_all_stopped(p))) {
		tmr_start(p->loop, &p->shut_tmr, PHONE_SHUT_POLL_MS, shut_check,
			  p);
		return;
	}
	p->shut_doneh = NULL;
	if (doneh)
		doneh(p->shut_arg);
}

void phone_shutdown(struct phone *p, void (*doneh)(void *arg), void *arg)
{
	if (!p)
		return;
	p->shutting = true;
	p->shut_doneh = doneh;
	p->shut_arg = arg;
	p->shut_deadline = loop_now(p->loop) + PHONE_SHUT_MS;
	phone_call_hangup_all(p);
	phone_acc_stop_all(p);
	tmr_start(p->loop, &p->shut_tmr, 0, shut_check, p);
}
