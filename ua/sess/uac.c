/* uac.c: the caller side: INVITE, provisional and final responses, ACK
 * for 2xx, CANCEL, 3xx redirects and digest retries.
 *
 * Every new INVITE of a session (first, after a challenge, after a 3xx)
 * keeps Call-ID and From tag and takes the next CSeq and a new branch.
 * A hang-up before the final response waits for a provisional response
 * before sending CANCEL (RFC 3261 9.1); the INVITE's final response then
 * closes the session (487), and a 2xx that crossed the CANCEL is
 * acknowledged and ended with BYE.
 *
 * A next hop named without a port (RFC 3263: SRV records may list several
 * servers) that fails before any response (ICMP unreachable, TCP refused,
 * TLS failure, timer B), or that answers 503 before any provisional
 * response other than 100 Trying (RFC 3263 4.3 counts a 503 as a failure
 * of the server; after 180/183 a callee was reached), is marked failed
 * with stack_dst_failed() and the INVITE goes at once to the next server.
 * Any other response, or any response after a provisional one, came from
 * a server that works: no fail-over.
 */
#include <errno.h>
#include <stdio.h>
#include <strings.h>

#include "base/mem.h"
#define LOG_TAG "sess"
#include "base/log.h"
#include "ua/sess/priv.h"
#include "ua/sip/print.h"

enum {
	SESS_INVITE_AUTH_MAX = 2,
	/* timer C (RFC 3261 16.6, used here by the UA): a call attempt
	   that keeps getting no final response is cancelled */
	SESS_TIMER_C_MS = 180000,
};

static void inv_resp_h(int err, const struct sip_msg *msg, void *arg);

static int print_route(struct sess *s, struct buf *mb)
{
	const char *p = s->proxy;
	bool br;

	if (!s->has_proxy || !p)
		return 0;
	br = *p == '<';
	if (strstr(p, ";lr"))
		return buf_printf(mb, br ? "Route: %s\r\n" : "Route: <%s>\r\n",
				  p);
	if (br)
		return buf_printf(mb, "Route: %.*s;lr>\r\n", (int)strlen(p) - 1,
				  p);
	return buf_printf(mb, "Route: <%s;lr>\r\n", p);
}

static int invite_print(struct sess *s, struct buf *mb, const char *via)
{
	struct pl body = sess_buf_pl(s->offer);
	bool br = strchr(s->from, '<') != NULL;
	int err;

	err = buf_printf(mb,
			 "INVITE %s SIP/2.0\r\nVia: %s\r\nMax-Forwards: 70\r\n",
			 s->ruri, via);
	if (!err)
		err = print_route(s, mb);
	if (!err)
		err = buf_printf(
		    mb, br ? "From: %s;tag=%s\r\n" : "From: <%s>;tag=%s\r\n",
		    s->from, s->ltag);
	if (!err)
		err = buf_printf(mb,
				 "To: %s\r\nCall-ID: %s\r\nCSeq: %u INVITE\r\n",
				 s->to, s->callid, ++s->cseq);
	if (!err)
		err = sess_common_hdrs(s, mb, true);
	if (!err && s->rel100 == SESS_100REL_REQUIRED)
		err = buf_write_str(mb, "Require: 100rel\r\n");
	if (!err && s->nauth)
		err = sess_auth_print(s, mb, "INVITE", s->ruri, s->offer);
	if (!err && s->offer)
		err = buf_write_str(mb, "Content-Type: application/sdp\r\n");
	if (!err && s->hdrs)
		err = buf_write_str(mb, s->hdrs);
	if (!err && s->hdrs && s->hdrs[strlen(s->hdrs) - 1] != '\n')
		err = buf_write_str(mb, "\r\n");
	if (!err)
		err = sip_print_tail(mb, NULL, s->offer ? &body : NULL);
	return err;
}

static int invite_send(struct sess *s)
{
	struct buf *mb = NULL;
	struct tsx *t = NULL;
	char via[160];
	int err;

	err = stack_via(s->st, &s->dst, via, sizeof(via));
	if (!err)
		err = buf_alloc(&mb, 1024);
	if (!err)
		err = invite_print(s, mb, via);
	if (!err)
		err = tsx_request(&t, stack_tsx(s->st), mb, &s->dst, inv_resp_h,
				  s);
	if (!err) {
		tsx_abandon(s->inv);
		obj_deref(s->inv);
		s->inv = obj_ref(t);
	}
	obj_deref(mb);
	return err;
}

/* the INVITE's offer, made once the next hop is known (the owner picks
   the media's address family from it) */
static int offer_make(struct sess *s)
{
	int err = s->offer ? 0 : sess_make_offer(s, &s->offer);

	s->oa = s->offer ? SESS_OA_LOCAL : SESS_OA_NONE;
	return err;
}

/* next hop and Contact for the current Request-URI (or the proxy) */
/* the next hop's name was looked up: send the INVITE, or end the call */
static void lookup_h(int err, const struct tsx_addr *dst, const char *reason,
		     void *arg)
{
	struct sess *s = arg;

	s->lookup = obj_deref(s->lookup);
	if (!err) {
		s->dst = *dst;
		/* the Contact of the address family the name resolved to */
		err = sess_contact_set(s, &s->dst,
				       !strncasecmp(s->ruri, "sips:", 5));
		if (!err)
			err = offer_make(s);
		if (!err)
			err = invite_send(s);
		reason = err ? strerror(err) : NULL;
	}
	if (err)
		sess_close(s, SESS_END_ERROR, 0, reason);
}

static int set_dst(struct sess *s)
{
	struct sip_addr a;
	struct sip_uri u;
	struct pl pl;
	int err;

	if (s->proxy) {
		pl = pl_from_str(s->proxy);
		if (strchr(s->proxy, '<') && !sip_addr_decode(&a, &pl, false))
			u = a.uri;
		else if (sip_uri_decode(&u, &pl))
			return EINVAL;
		s->has_proxy = true;
	} else {
		pl = pl_from_str(s->ruri);
		if (sip_uri_decode(&u, &pl))
			return EINVAL;
	}
	s->srv_hop = !u.port; /* IP literals: dst.host stays empty */
	err = stack_uri_resolve(&s->lookup, s->st, &u, &s->dst, lookup_h, s);
	if (err == EINPROGRESS)
		err = 0; /* the INVITE waits for the lookup */
	if (!err && !stack_laddr(s->st, s->dst.tp))
		err = ENOTSUP;
	return err ? err
		   : sess_contact_set(s, &s->dst,
				      !strncasecmp(s->ruri, "sips:", 5));
}

static int check_target(const char *target)
{
	struct sip_uri u;
	struct pl pl = pl_from_str(target);

	if (sip_uri_decode(&u, &pl))
		return EINVAL;
	if (u.scheme != SIP_URI_SIP && u.scheme != SIP_URI_SIPS &&
	    u.scheme != SIP_URI_TEL)
		return EINVAL;
	return 0;
}

int sess_connect(struct sess **sp, struct sess_layer *l, const char *target,
		 const struct sess_opts *o, const struct sess_handlers *h,
		 void *arg)
{
	struct sess *s = NULL;
	int err;

	if (!sp || !l || !target || !o || !o->from || check_target(target))
		return EINVAL;
	err = sess_new(&s, l, o, h, arg);
	if (err)
		return err;
	s->out = true;
	s->state = SESS_ST_CALLING;
	s->callid = rand_token(24);
	s->ruri = obj_strdup(target);
	s->to = obj_printf("<%s>", target);
	s->peer = obj_strdup(s->to);
	s->peer_uri = obj_strdup(target);
	if (!s->callid || !s->ruri || !s->to || !s->peer || !s->peer_uri) {
		err = ENOMEM;
		goto out;
	}
	err = set_dst(s);
	if (!err && !s->lookup) /* else both once the name is looked up */
		err = offer_make(s);
	if (!err && !s->lookup)
		err = invite_send(s);
	if (err)
		goto out;
	sess_link(s);
	*sp = s;
	return 0;
out:
	obj_deref(s);
	return err;
}

static void cancel_giveup(void *arg)
{
	struct sess *s = arg;

	tsx_abandon(s->inv);
	sess_close(s, s->pend_how, 408, s->pend_reason);
}

static void cancel_send(struct sess *s)
{
	struct buf *mb = NULL;
	int err;

	if (s->cancel_sent || !s->inv || tsx_final_scode(s->inv))
		return;
	err = buf_alloc(&mb, 512);
	if (!err)
		err = tsx_cancel_print(mb, s->inv);
	if (!err)
		err = tsx_request(NULL, stack_tsx(s->st), mb, tsx_dst(s->inv),
				  NULL, NULL);
	obj_deref(mb);
	s->cancel_sent = true;
	if (err)
		WARN("%s: CANCEL not sent (%d)\n", s->callid, err);
	/* RFC 3261 9.1: no final response 64*T1 after the CANCEL ends it */
	tmr_start(sess_loop(s), &s->c_tmr, 64 * (uint64_t)sess_topts(s)->t1,
		  cancel_giveup, s);
}

static void lookup_abort(void *arg)
{
	struct sess *s = arg;

	sess_close(s, s->pend_how, 0, s->pend_reason);
}

/* end the call attempt: CANCEL now or after the first provisional */
static void uac_abort(struct sess *s, enum sess_end how, const char *reason)
{
	if (s->cancel_wanted)
		return;
	s->cancel_wanted = true;
	s->pend_how = how;
	s->pend_reason = reason;
	if (s->lookup) { /* nothing sent yet: end it from the loop */
		s->lookup = obj_deref(s->lookup);
		tmr_start(sess_loop(s), &s->c_tmr, 0, lookup_abort, s);
		return;
	}
	if (s->got_1xx)
		cancel_send(s);
}

void sess_uac_hangup(struct sess *s)
{
	uac_abort(s, SESS_END_LOCAL, "cancelled");
}

static void timer_c(void *arg)
{
	uac_abort(arg, SESS_END_TIMEOUT, "no final response");
}

static void set_peer(struct sess *s, const struct sip_msg *msg)
{
	char *p = pl_strdup(&msg->to.val), *u = pl_strdup(&msg->to.auri);
	const char *t;

	if (!p || !u) {
		obj_deref(p);
		obj_deref(u);
		return;
	}
	/* without our tag parameter */
	t = strstr(p, ";tag=");
	if (t && msg->to.tag.p)
		p[t - p] = '\0';
	obj_deref(s->peer);
	obj_deref(s->peer_uri);
	s->peer = p;
	s->peer_uri = u;
}

static bool same_dialog(const struct sess *s, const struct sip_msg *msg)
{
	return s->dlg && !pl_strcmp(&msg->to.tag, s->dlg->rtag);
}

/*
 * A reliable 18x from another fork of our INVITE (a forking proxy): it
 * gets its own early dialog and PRACK, or that phone gives up ringing
 * after 64*T1. Its body is not used: the first fork's answer stands.
 */
static bool fork_prack(struct sess *s, const struct sip_msg *msg)
{
	struct dlg *d = NULL;
	size_t i, free_i = SESS_FORKS;

	for (i = 0; i < SESS_FORKS; i++) {
		if (s->forkv[i] && !pl_strcmp(&msg->to.tag, s->forkv[i]->rtag))
			break;
		if (!s->forkv[i] && free_i == SESS_FORKS)
			free_i = i;
	}
	if (i == SESS_FORKS) {
		if (free_i == SESS_FORKS || !msg->contactc ||
		    dlg_alloc_uac(&d, tsx_msg(s->inv), msg))
			return true;
		i = free_i;
		s->forkv[i] = d;
		/* PRACKs of this fork follow the main dialog's CSeq space */
		d->lseq = s->dlg->lseq;
	} else if ((uint32_t)msg->rseq <= s->fork_rseq[i]) {
		return false; /* a retransmission */
	}
	s->fork_rseq[i] = (uint32_t)msg->rseq;
	sess_uac_reliable(s, s->forkv[i], msg, NULL);
	return true;
}

static void provisional(struct sess *s, const struct sip_msg *msg)
{
	struct buf *ans = NULL;
	bool reliable;
	char reason[64];

	s->got_1xx = true;
	s->got_18x = s->got_18x || msg->scode > 100;
	if (s->cancel_wanted) {
		cancel_send(s);
		return;
	}
	tmr_start(sess_loop(s), &s->c_tmr, SESS_TIMER_C_MS, timer_c, s);
	if (msg->scode == 100)
		return;
	if (!s->dlg && pl_isset(&msg->to.tag) && msg->contactc &&
	    !dlg_alloc_uac(&s->dlg, tsx_msg(s->inv), msg))
		set_peer(s, msg);
	if (sess_uac_is_reliable(s, msg) && s->dlg && !same_dialog(s, msg)) {
		if (!fork_prack(s, msg))
			return;
		goto report;
	}
	reliable = sess_uac_is_reliable(s, msg) && same_dialog(s, msg);
	if (reliable) {
		if (s->prack_seen && (uint32_t)msg->rseq <= s->prack_rseq)
			return; /* a retransmission */
		s->prack_seen = true;
		s->prack_rseq = (uint32_t)msg->rseq;
	}
	if (msg->body.l && s->oa == SESS_OA_LOCAL) {
		s->oa = SESS_OA_DONE;
		if (!sess_remote_answer(s, &msg->body)) {
			uac_abort(s, SESS_END_ERROR, "unusable answer");
			return;
		}
	} else if (msg->body.l && s->oa == SESS_OA_NONE && reliable) {
		uint16_t sc;
		const char *why;
		if (sess_make_answer(s, &msg->body, &ans, &sc, &why)) {
			uac_abort(s, SESS_END_ERROR, "unusable offer");
			return;
		}
		s->oa = SESS_OA_DONE;
	}
	if (reliable)
		sess_uac_reliable(s, s->dlg, msg, ans);
	obj_deref(ans);
	if (s->state == SESS_ST_CLOSED)
		return;
report:
	pl_copy(&msg->reason, reason, sizeof(reason));
	if (s->h && s->h->progressh)
		s->h->progressh(s, msg->scode, reason, s->arg);
	if (msg->scode == 181 && s->state != SESS_ST_CLOSED)
		sess_fwd_report(s, msg);
}

/* the 2xx: confirm the dialog, ACK (with our answer for a late offer) */
static void success(struct sess *s, const struct sip_msg *msg)
{
	const char *fail = NULL;
	struct buf *ans = NULL;

	if (s->dlg && !same_dialog(s, msg) && s->dlg->early)
		s->dlg = obj_deref(s->dlg); /* another fork answered */
	if (!s->dlg) {
		if (dlg_alloc_uac(&s->dlg, tsx_msg(s->inv), msg)) {
			sess_close(s, SESS_END_ERROR, msg->scode,
				   "2xx without Contact");
			return;
		}
	} else {
		(void)dlg_target_refresh(s->dlg, msg);
	}
	s->dlg->early = false;
	tmr_cancel(&s->c_tmr);
	sess_forks_free(s);
	set_peer(s, msg);
	if (s->nauth && s->ac)
		auth_client_ok(s->ac);
	if (s->oa == SESS_OA_NONE && msg->body.l) {
		uint16_t sc;
		const char *why;
		if (sess_make_answer(s, &msg->body, &ans, &sc, &why))
			fail = "unusable offer in 2xx";
		s->oa = SESS_OA_DONE;
	} else if (s->oa == SESS_OA_LOCAL) {
		s->oa = SESS_OA_DONE;
		if (!msg->body.l)
			fail = "2xx without an answer";
		else if (!sess_remote_answer(s, &msg->body))
			fail = "unusable answer";
	}
	(void)sess_ack_send(s, msg->cseq.num, ans);
	obj_deref(ans);
	if (s->cancel_wanted || fail) {
		enum sess_end how = fail ? SESS_END_ERROR : s->pend_how;
		(void)sess_bye(s, false);
		sess_close(s, how, 0, fail ? fail : s->pend_reason);
		return;
	}
	s->state = SESS_ST_ESTABLISHED;
	if (s->h && s->h->establishedh)
		s->h->establishedh(s, s->arg);
}

static void restart(struct sess *s)
{
	tmr_cancel(&s->c_tmr);
	s->dlg = obj_deref(s->dlg);
	sess_forks_free(s);
	s->got_1xx = false;
	s->got_18x = false;
	s->prack_seen = false;
	s->prack_rseq = 0;
	s->oa = s->offer ? SESS_OA_LOCAL : SESS_OA_NONE;
}

static void redirect(struct sess *s, const struct sip_msg *msg)
{
	char reason[64];
	char *target;

	snprintf(reason, sizeof(reason), "%u %.*s", msg->scode,
		 PL_ARG(msg->reason));
	if (!msg->contactc || msg->contact.wildcard) {
		sess_close(s, SESS_END_REJECTED, msg->scode, reason);
		return;
	}
	if (s->hops >= s->max_redirects) {
		sess_close(s, SESS_END_REJECTED, msg->scode,
			   "too many redirects");
		return;
	}
	target = pl_strdup(&msg->contact.auri);
	if (!target || check_target(target)) {
		obj_deref(target);
		sess_close(s, SESS_END_REJECTED, msg->scode, reason);
		return;
	}
	s->hops++;
	obj_deref(s->ruri);
	s->ruri = target;
	if (s->h && s->h->redirecth)
		s->h->redirecth(s, msg->scode, target, s->hops, s->arg);
	if (s->state == SESS_ST_CLOSED)
		return;
	restart(s);
	s->nauth = 0;
	if (set_dst(s) || invite_send(s))
		sess_close(s, SESS_END_ERROR, msg->scode, "redirect failed");
}

/*
 * The next hop failed (@p by_503: it answered 503): send the INVITE to
 * its name's next SRV server (true), or false when the next hop worked
 * (a provisional response), has no other server (a port or an IP address
 * in the URI) or all its servers failed.
 */
static bool failover(struct sess *s, bool by_503)
{
	int err;

	if (!s->srv_hop || !s->dst.host[0] || s->cancel_wanted ||
	    (by_503 ? s->got_18x : s->got_1xx))
		return false;
	do {
		if (stack_dst_failed(s->st, &s->dst))
			return false;
		INFO("%s: %s failed, INVITE to its next server\n", s->callid,
		     s->dst.host);
		restart(s);
		s->nauth = 0; /* another server, another challenge */
		err = set_dst(s);
		if (!err && !s->lookup) /* else once it is looked up */
			err = invite_send(s);
	} while (err && !s->lookup && s->dst.host[0]);
	if (err)
		sess_close(s, SESS_END_ERROR, 0, strerror(err));
	return true;
}

static void failure(struct sess *s, const struct sip_msg *msg)
{
	char reason[64];

	pl_copy(&msg->reason, reason, sizeof(reason));
	if (s->cancel_wanted) {
		sess_close(s, s->pend_how, msg->scode, s->pend_reason);
		return;
	}
	if (msg->scode < 400) {
		redirect(s, msg);
		return;
	}
	if (msg->scode == 503 && failover(s, true))
		return;
	if ((msg->scode == 401 || msg->scode == 407) &&
	    s->nauth < SESS_INVITE_AUTH_MAX && !sess_auth_challenge(s, msg)) {
		s->nauth++;
		restart(s);
		if (!invite_send(s))
			return;
	}
	sess_close(s, SESS_END_REJECTED, msg->scode, reason);
}

static void inv_resp_h(int err, const struct sip_msg *msg, void *arg)
{
	struct sess *s = arg;

	if (s->state != SESS_ST_CALLING)
		return;
	obj_ref(s);
	if (err && failover(s, false)) {
		/* the next server has the INVITE */
	} else if (err) {
		if (s->cancel_wanted)
			sess_close(s, s->pend_how, 408, s->pend_reason);
		else
			sess_close(s,
				   err == ETIMEDOUT ? SESS_END_TIMEOUT
						    : SESS_END_ERROR,
				   408,
				   err == ETIMEDOUT ? "no answer"
						    : strerror(err));
	} else if (msg->scode < 200) {
		provisional(s, msg);
	} else if (msg->scode < 300) {
		success(s, msg);
	} else {
		failure(s, msg);
	}
	obj_deref(s);
}

/* a 2xx of another fork after ours: confirm it, then end it with BYE */
static void fork_2xx(struct sess *s, const struct sip_msg *msg)
{
	bool ended = s->fork_ended && !pl_strcmp(&msg->to.tag, s->fork_ended);
	struct dlg *d = NULL;

	if (!s->inv || dlg_alloc_uac(&d, tsx_msg(s->inv), msg))
		return;
	d->early = false;
	(void)sess_ack_dlg(s, d, msg->cseq.num, NULL, false);
	if (!ended) {
		INFO("%s: second 2xx from another fork: ACK + BYE\n",
		     s->callid);
		obj_deref(s->fork_ended);
		s->fork_ended = pl_strdup(&msg->to.tag);
		(void)sess_request_dlg(s, d, "BYE", NULL, NULL, NULL);
	}
	obj_deref(d);
}

void sess_uac_stray(struct sess *s, const struct sip_msg *msg)
{
	if (msg->req || msg->scode < 200 || msg->scode >= 300 ||
	    msg->cseq.method != SIP_METHOD_INVITE)
		return;
	if (s->ack && msg->cseq.num == s->ack_cseq &&
	    (!s->dlg || !pl_strcmp(&msg->to.tag, s->dlg->rtag))) {
		(void)stack_send(s->st, &s->dst_ack, s->ack);
		return;
	}
	if (s->out && s->dlg && !s->dlg->early && s->inv &&
	    msg->cseq.num == tsx_msg(s->inv)->cseq.num &&
	    pl_strcmp(&msg->to.tag, s->dlg->rtag)) {
		fork_2xx(s, msg);
		return;
	}
	DEBUG("%s: stray %u ignored\n", s->callid, msg->scode);
}
