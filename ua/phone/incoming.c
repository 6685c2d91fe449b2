/* incoming.c: taking a new INVITE: account choice, offer check, ringing,
 * auto-answer (phone option, or Call-Info answer-after per account). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#define LOG_TAG "phone"
#include "base/log.h"
#include "ua/phone/priv.h"

/* the account the INVITE is for: Request-URI user, else To user, else
   the first account, else the anonymous one */
static struct phone_acc *incoming_acc(struct phone *p,
				      const struct sip_msg *msg)
{
	const struct pl *users[2] = {&msg->ruri.user, &msg->to.uri.user};
	struct le *le;
	size_t i;

	for (i = 0; i < 2; i++) {
		LIST_FOREACH(&p->accounts, le)
		{
			struct phone_acc *acc = le->data;

			if (users[i]->l && !pl_strcmp(users[i], acc->user))
				return acc;
		}
	}
	return p->accounts.head ? p->accounts.head->data : p->anon;
}

/* refuse before any session exists, with the reason in a Warning */
static void refuse(struct phone *p, const struct sip_msg *msg,
		   const struct tsx_addr *src, uint16_t scode, const char *why)
{
	struct tsx *t = NULL;
	char hdr[256], txt[160];
	size_t i, n = 0;
	bool six;

	/* a Warning text is a quoted-string: keep it plain */
	for (i = 0; why[i] && n + 1 < sizeof(txt); i++)
		if (why[i] != '"' && why[i] != '\\' &&
		    (unsigned char)why[i] >= 0x20)
			txt[n++] = why[i];
	txt[n] = '\0';
	six = src->sa.ss_family == AF_INET6;
	snprintf(hdr, sizeof(hdr), "Warning: 399 %s%s%s \"%s\"\r\n",
		 six ? "[" : "", phone_addr_af(p, src->sa.ss_family),
		 six ? "]" : "", txt);
	WARN("refused INVITE from %.*s: %u %s", (int)msg->from.auri.l,
	     msg->from.auri.p, scode, txt);
	if (tsx_server_alloc(&t, stack_tsx(p->st), msg, src) ||
	    tsx_reply(t, scode, NULL, NULL, hdr, NULL))
		(void)tsx_reply_stateless(stack_tsx(p->st), msg, src, scode,
					  NULL, NULL, hdr);
}

/* Call-Info: <...>;answer-after=N -> N, else -1 */
static int answer_after(const struct sip_msg *msg)
{
	const struct sip_hdr *h = msg->call_info;

	for (; h; h = sip_msg_hdr_next(msg, h)) {
		const char *v = h->val.p, *end = h->val.p + h->val.l;
		static const char key[] = "answer-after=";

		for (; v + sizeof(key) - 1 < end; v++) {
			if (strncasecmp(v, key, sizeof(key) - 1))
				continue;
			v += sizeof(key) - 1;
			if (v >= end || *v < '0' || *v > '9')
				return -1;
			int n = 0;
			while (v < end && *v >= '0' && *v <= '9' && n < 3600)
				n = n * 10 + (*v++ - '0');
			return n > 3600 ? 3600 : n;
		}
	}
	return -1;
}

static void auto_answer(void *arg)
{
	struct call *c = arg;

	if (c->state == CALL_INCOMING)
		(void)phone_answer(c->p, c->id);
}

static void peer_from(struct call *c, const struct sip_msg *msg)
{
	size_t n = msg->from.dname.l;

	snprintf(c->peer, sizeof(c->peer), "%.*s", (int)msg->from.auri.l,
		 msg->from.auri.p);
	if (n >= sizeof(c->display))
		n = sizeof(c->display) - 1;
	memcpy(c->display, msg->from.dname.p, n);
	c->display[n] = '\0';
}

/* offer in the INVITE is acceptable for @p acc? 0 or the status; *@p af
   is set to its media family */
static uint16_t precheck(struct phone *p, const struct phone_acc *acc,
			 const struct sip_msg *msg, int *af, const char **why)
{
	struct sdp_local l;

	*why = NULL;
	if (!msg->body.l)
		return 0;
	if (msg->ctype.l && pl_strcasecmp(&msg->ctype, "application/sdp")) {
		*why = "only application/sdp bodies are accepted";
		return 415;
	}
	sdp_local_default(&l);
	l.enc = acc->a.mediaenc;
	l.codecs = acc->a.codecs;
	l.addr = phone_addr_af(p, *af);
	l.ip6 = *af == AF_INET6;
	return call_offer_check(p, &l, &msg->body, af, why);
}

void phone_call_incoming(struct phone *p, const struct sip_msg *msg,
			 const struct tsx_addr *src)
{
	struct phone_acc *acc = incoming_acc(p, msg);
	struct phone_event ev;
	struct sess_opts so;
	struct call *c;
	char from[400], err[160] = "";
	const char *why;
	uint16_t sc;
	unsigned old = 0;
	int delay, af = src->sa.ss_family;

	if (p->shutting) {
		refuse(p, msg, src, 503, "shutting down");
		return;
	}
	if ((sc = call_replaces_find(p, msg, &old, &why)) ||
	    (sc = precheck(p, acc, msg, &af, &why))) {
		refuse(p, msg, src, sc, why);
		return;
	}
	c = call_new(p, acc, true);
	if (!c) {
		refuse(p, msg, src, 500, "out of memory");
		return;
	}
	peer_from(c, msg);
	c->af = af; /* the offer's, else the caller's */
	if ((sc = call_media_open(c, err, sizeof(err)) ? 500 : 0)) {
		refuse(p, msg, src, c->maddr[0] ? sc : 488, err);
		call_drop(c);
		return;
	}
	call_sess_opts(c, &so, from, sizeof(from));
	if (sess_incoming(&c->sess, p->sl, msg, src, &so, &call_sess_h, c)) {
		call_drop(c); /* answered with an error (420, ...) */
		return;
	}
	c->state = CALL_INCOMING;
	if (old) {
		call_replace(c, old); /* attended transfer: no ringing */
		return;
	}
	(void)sess_ringing(c->sess);
	delay = p->opts.auto_answer;
	if (delay < 0 && acc->a.answer_after)
		delay = answer_after(msg);
	if (delay >= 0)
		tmr_start(p->loop, &c->answer_tmr, (uint64_t)delay * 1000,
			  auto_answer, c);
	memset(&ev, 0, sizeof(ev));
	ev.kind = PHONE_EV_INCOMING;
	call_emit(c, &ev);
}
