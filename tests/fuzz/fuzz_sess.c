/* fuzz_sess.c: messages through a stack with the session layer: one
 * outgoing session and whatever INVITEs the input brings, answered with
 * reliable 183 and 200, so in-dialog requests reach every handler. An
 * INVITE with Replaces goes through sess_replaces_find() first (refused,
 * or the session it names is hung up).
 *
 * Input = messages separated by "\n--\n". Before a message is fed, these
 * tokens are replaced by what the sessions sent so far, so inputs can
 * address real dialogs: $C Call-ID, $F From tag and $B Via branch of our
 * INVITE; $T the To tag and $R the RSeq of our latest response.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/mem.h"
#include "fuzz/sipfeed.h"
#include "ua/sess/sess.h"
#include "ua/stack/stack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct {
	char callid[64], ftag[64], branch[64], ttag[64], rseq[24];
	struct sess_layer *sl;
	struct sess *in[4];
	size_t nin;
} g;

static void cap(char *dst, size_t size, const struct pl *pl)
{
	if (pl->l && pl->l < size)
		pl_copy(pl, dst, size);
}

static int sendh(const struct tsx_addr *dst, struct buf *mb, void *arg)
{
	struct sip_msg *m = NULL;
	struct buf *cp;
	size_t pos = mb->pos;

	(void)dst;
	(void)arg;
	if (buf_alloc(&cp, mb->end - pos + 1))
		return 0;
	buf_write(cp, mb->b + pos, mb->end - pos);
	if (!sip_msg_decode(&m, cp)) {
		if (m->req && m->method == SIP_METHOD_INVITE &&
		    !pl_isset(&m->to.tag)) {
			cap(g.callid, sizeof(g.callid), &m->callid);
			cap(g.ftag, sizeof(g.ftag), &m->from.tag);
			cap(g.branch, sizeof(g.branch), &m->via.branch);
		} else if (!m->req) {
			cap(g.ttag, sizeof(g.ttag), &m->to.tag);
			if (m->rseq > 0)
				snprintf(g.rseq, sizeof(g.rseq), "%lld",
					 (long long)m->rseq);
		}
	}
	obj_deref(m);
	obj_deref(cp);
	return 0;
}

static int offerh(struct sess *s, struct buf *sdp, void *arg)
{
	(void)s;
	(void)arg;
	return buf_write_str(sdp, "v=0 offer\r\n");
}

static int answerh(struct sess *s, const struct pl *offer, struct buf *sdp,
		   uint16_t *scode, const char **reason, void *arg)
{
	(void)s;
	(void)arg;
	if (offer->l && offer->p[0] == 'x') {
		*scode = 488;
		*reason = "refused";
		return EPROTO;
	}
	return buf_write_str(sdp, "v=0 answer\r\n");
}

static void referh(struct sess *s, const char *target, void *arg)
{
	const char *r = sess_refer_replaces_value(s);

	(void)target;
	(void)arg;
	if (r && !*r)
		return;
	(void)sess_refer_notify(s, 180, NULL);
	(void)sess_refer_notify(s, 200, NULL);
}

static void infoh(struct sess *s, char digit, void *arg)
{
	(void)arg;
	if (digit == '#')
		(void)sess_reinvite(s);
	else if (digit == '*')
		(void)sess_update(s);
	else if (digit == '0')
		(void)sess_hangup(s);
	else if (digit == '9')
		(void)sess_refer(s, "sip:c@127.0.0.1");
}

static const struct sess_handlers sh = {
    .offerh = offerh,
    .answerh = answerh,
    .referh = referh,
    .infoh = infoh,
};

static void reqh(struct stack *st, const struct sip_msg *msg,
		 const struct tsx_addr *src, void *arg)
{
	struct sess_opts o;
	struct sess *s = NULL, *old = NULL;
	uint16_t sc;

	(void)arg;
	if (msg->method == SIP_METHOD_INVITE && !pl_isset(&msg->to.tag)) {
		if (g.nin >= sizeof(g.in) / sizeof(g.in[0]))
			return;
		if ((sc = sess_replaces_find(g.sl, msg, &old))) {
			(void)stack_reply(st, msg, src, sc, NULL);
			return;
		}
		if (old)
			(void)sess_hangup(old);
		sess_opts_default(&o);
		o.from = "sip:b@127.0.0.1";
		if (sess_incoming(&s, g.sl, msg, src, &o, &sh, NULL))
			return;
		g.in[g.nin++] = s;
		(void)sess_progress(s);
		(void)sess_answer(s);
		return;
	}
	if (!sess_layer_recv(g.sl, msg, src))
		(void)stack_reply(st, msg, src, 481, NULL);
}

/* the message with $C $F $B $T $R replaced */
static struct buf *expand(const uint8_t *p, size_t n)
{
	struct buf *mb;
	size_t i;

	if (buf_alloc(&mb, n + 64))
		return NULL;
	for (i = 0; i < n; i++) {
		const char *v = NULL;
		if (p[i] == '$' && i + 1 < n) {
			switch (p[i + 1]) {
			case 'C':
				v = g.callid;
				break;
			case 'F':
				v = g.ftag;
				break;
			case 'B':
				v = g.branch;
				break;
			case 'T':
				v = g.ttag;
				break;
			case 'R':
				v = g.rseq;
				break;
			default:
				break;
			}
		}
		if (v) {
			buf_write_str(mb, v);
			i++;
		} else {
			buf_write(mb, &p[i], 1);
		}
	}
	return mb;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct stack_handlers h = {reqh, NULL};
	struct sipfeed f;
	struct sess *out = NULL;
	struct sess_opts o;
	size_t i;

	memset(&g, 0, sizeof(g));
	if (sipfeed_open(&f, &h, sendh) || sess_layer_alloc(&g.sl, f.st))
		goto out;
	sess_opts_default(&o);
	o.from = "\"A\" <sip:a@127.0.0.1>";
	o.auth_pass = "pw";
	(void)sess_connect(&out, g.sl, "sip:b@127.0.0.1:5060", &o, &sh, NULL);
	sipfeed_run(&f, data, size, expand);
	if (out)
		(void)sess_hangup(out);
	loop_advance(f.loop, 70000);
out:
	obj_deref(out);
	for (i = 0; i < g.nin; i++)
		obj_deref(g.in[i]);
	g.sl = obj_deref(g.sl);
	sipfeed_close(&f);
	return 0;
}
