/* call.c: `phonebox call URI ...`: one call for testers; the exit status
 * says how it ended:
 *   0 answered and ended normally     3 rejected (other 4xx-6xx)
 *   1 usage or configuration error    4 no answer, timeout or cancelled
 *   2 busy (486, 600)                 5 failed (transport, SDP, media)
 * After the answer it sends the --dtmf digits, then hangs up after
 * --hangup-after seconds, or when the --play file has been played (when
 * no --hangup-after is given), or when the far end hangs up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio/wav.h"
#include "base/buf.h"
#include "base/loop.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "cli/evfmt.h"
#include "cli/opts.h"

enum call_status {
	CALL_OK = 0,
	CALL_USAGE = 1,
	CALL_BUSY = 2,
	CALL_REJECTED = 3,
	CALL_NOANSWER = 4,
	CALL_FAILED = 5,
};

struct call_run {
	struct loop *loop;	  /**< the event loop                    */
	struct phone *phone;	  /**< the phone core                    */
	const struct cli_opts *o; /**< the options                      */
	struct buf *ob;		  /**< --json output line                */
	unsigned call;		  /**< our call number                   */
	bool answered;		  /**< ANSWERED seen                     */
	bool ended;		  /**< ENDED seen                        */
	bool quitting;		  /**< phone_shutdown() started          */
	bool done;		  /**< shutdown finished: leave          */
	bool dialing;		  /**< inside phone_dial()               */
	int status;		  /**< exit status                       */
	uint64_t play_ms;	  /**< length of --play, 0 = unknown     */
	struct tmr tmr;		  /**< timeout, then hangup-after        */
};

static void usage(FILE *f)
{
	fprintf(
	    f, "usage: phonebox call URI [OPTIONS]\n"
	       "  URI: sip:user@host[:port], sips:..., tel:+number, "
	       "user@host, or a\n"
	       "       number dialled through the account\n"
	       "options:\n"
	       "  --account NAME     use this account of the accounts file "
	       "(default: a\n"
	       "                     direct call for a URI with a host, the "
	       "first account\n"
	       "                     for a plain number)\n"
	       "  --play FILE.wav    send this file; hang up when it ends "
	       "(unless\n"
	       "                     --hangup-after)\n"
	       "  --record FILE.wav  record what the far end sends\n"
	       "  --dtmf DIGITS      send DTMF after the answer (0-9 * # A-D)\n"
	       "  --hangup-after S   hang up S seconds after the answer\n"
	       "  --timeout S        give up when not answered within S "
	       "seconds (60)\n"
	       "  --listen SPEC      local address, udp:IP:PORT or "
	       "udp:[IPv6]:PORT\n"
	       "                     (tcp:, tls: too; repeatable)\n"
	       "  --audio null|portaudio  sound card (default) or none\n"
	       "  --config DIR       config folder\n"
	       "  --sip-trace        show every SIP message\n"
	       "  --json             print events as JSON lines (as in "
	       "--script)\n"
	       "exit status: 0 answered and ended normally, 1 usage or "
	       "config error,\n"
	       "  2 busy (486/600), 3 rejected (other 4xx-6xx, code printed),\n"
	       "  4 no answer/timeout/cancelled, 5 failed "
	       "(transport/SDP/media error)\n");
}

static void shut_done(void *arg)
{
	struct call_run *c = arg;
	c->done = true;
}

/* Hang up and unregister; phone_shutdown() bounds this to a few seconds
 * even when the far end never answers our CANCEL or BYE. */
static void quit(struct call_run *c)
{
	if (c->quitting)
		return;
	c->quitting = true;
	tmr_cancel(&c->tmr);
	phone_shutdown(c->phone, shut_done, c);
}

static void hangup_h(void *arg)
{
	struct call_run *c = arg;
	if (!c->ended)
		(void)phone_hangup(c->phone, c->call);
	quit(c);
}

static void timeout_h(void *arg)
{
	struct call_run *c = arg;
	fprintf(stderr, "phonebox call: no answer within %g s\n",
		c->o->timeout);
	hangup_h(c);
}

static int end_status(const struct call_run *c, const struct phone_event *e)
{
	const char *cause = e->cause ? e->cause : "";
	if (!strcmp(cause, "failed"))
		return CALL_FAILED;
	if (c->answered)
		return CALL_OK;
	if (!strcmp(cause, "busy") || e->scode == 486 || e->scode == 600)
		return CALL_BUSY;
	if (!strcmp(cause, "rejected") ||
	    (e->scode >= 400 && e->scode < 700 && strcmp(cause, "timeout") &&
	     strcmp(cause, "cancelled")))
		return CALL_REJECTED;
	return CALL_NOANSWER;
}

static void print_ev(struct call_run *c, const struct phone_event *ev)
{
	if (c->o->json) {
		buf_reset(c->ob);
		if (!evfmt_json(c->ob, ev)) {
			struct pl pl = buf_pl(c->ob);
			fwrite(pl.p, 1, pl.l, stdout);
		}
		buf_reset(c->ob);
	} else {
		char line[1024];
		evfmt_text(line, sizeof(line), ev);
		printf("%s\n", line);
	}
	fflush(stdout);
}

static void on_answer(struct call_run *c)
{
	c->answered = true;
	c->status = CALL_OK;
	tmr_cancel(&c->tmr);
	if (c->o->dtmf && phone_dtmf(c->phone, c->call, c->o->dtmf))
		fprintf(stderr, "phonebox call: DTMF: %s\n",
			phone_error(c->phone));
	uint64_t ms = 0;
	if (c->o->hangup_after >= 0)
		ms = (uint64_t)(c->o->hangup_after * 1000);
	else if (c->play_ms)
		ms = c->play_ms + 200; /* the last packets' way out */
	if (ms || c->o->hangup_after == 0)
		tmr_start(c->loop, &c->tmr, ms, hangup_h, c);
}

static void ev_h(const struct phone_event *ev, void *arg)
{
	struct call_run *c = arg;
	/* events of our call can come before phone_dial() returns */
	if (c->dialing && !c->call && ev->call)
		c->call = ev->call;
	if (ev->call && ev->call != c->call && ev->kind != PHONE_EV_TRACE)
		return;
	if (ev->call && c->ended)
		return;
	print_ev(c, ev);
	if (!c->call || ev->call != c->call)
		return;
	if (ev->kind == PHONE_EV_ANSWERED && !c->answered)
		on_answer(c);
	else if (ev->kind == PHONE_EV_ENDED && !c->ended) {
		c->ended = true;
		c->status = end_status(c, ev);
		if (c->status == CALL_REJECTED)
			fprintf(stderr, "phonebox call: rejected with %u %s\n",
				ev->scode, ev->reason ? ev->reason : "");
		quit(c);
	}
}

static void sig_h(int sig, void *arg)
{
	struct call_run *c = arg;
	(void)sig;
	if (c->quitting)
		c->done = true; /* asked twice: leave now */
	else
		hangup_h(c);
}

/* Length of the --play file in ms (0 when it cannot be read here; the
 * phone reports the error itself). */
static uint64_t play_len(const char *path)
{
	struct wav_pcm *w = NULL;
	if (!path || wav_load(&w, path, 8000, NULL, 0))
		return 0;
	uint64_t ms = (uint64_t)w->n * 1000 / 8000;
	obj_deref(w);
	return ms;
}

/* A target with a host ("sip:bob@host", "bob@host") can be called without
 * an account; a bare number or name needs one. */
static bool has_host(const char *t)
{
	return strchr(t, '@') || !strncmp(t, "sip:", 4) ||
	       !strncmp(t, "sips:", 5);
}

/* Pick or make the account to call from; @return its name or NULL. */
static const char *choose_account(struct call_run *c, struct cli_setup *su,
				  char *err, size_t errlen)
{
	const struct cli_opts *o = c->o;
	if (o->account) {
		const struct phone_account *a =
		    accounts_find(su->acc, o->account);
		if (!a) {
			snprintf(err, errlen, "no account '%s' in %s",
				 o->account, su->acc_path);
			return NULL;
		}
		return phone_account_add(c->phone, a, err, errlen) ? NULL
								   : a->name;
	}
	if (!has_host(o->target)) {
		if (!su->acc || !su->acc->n) {
			snprintf(err, errlen,
				 "'%s' has no host and %s has no account to "
				 "dial it through (use sip:user@host)",
				 o->target, su->acc_path);
			return NULL;
		}
		const struct phone_account *a = &su->acc->v[0];
		return phone_account_add(c->phone, a, err, errlen) ? NULL
								   : a->name;
	}
	struct phone_account a;
	phone_account_default(&a);
	const char *la = phone_listen_addr(c->phone, "udp");
	char host[64] = "localhost";
	if (la) { /* "ip:port" or "[ip]:port": the host is before the last ':'
		   */
		snprintf(host, sizeof(host), "%s", la);
		char *colon = strrchr(host, ':');
		if (colon)
			*colon = '\0';
	}
	snprintf(a.aor, sizeof(a.aor), "sip:phonebox@%s", host);
	snprintf(a.name, sizeof(a.name), "direct");
	snprintf(a.registrar, sizeof(a.registrar), "none");
	return phone_account_add(c->phone, &a, err, errlen) ? NULL : "direct";
}

static int call_start(struct call_run *c, struct cli_setup *su)
{
	char err[1024] = "";
	if (phone_alloc(&c->phone, c->loop, &su->cfg.opts, ev_h, c, err,
			sizeof(err))) {
		fprintf(stderr, "phonebox call: %s\n", err);
		return CALL_USAGE;
	}
	const char *acc = choose_account(c, su, err, sizeof(err));
	if (!acc) {
		fprintf(stderr, "phonebox call: %s\n", err);
		return CALL_USAGE;
	}
	c->dialing = true;
	int e = phone_dial(c->phone, acc, c->o->target, &c->call);
	c->dialing = false;
	if (e) {
		fprintf(stderr, "phonebox call: %s\n", phone_error(c->phone));
		return e == EINVAL || e == ENOENT ? CALL_USAGE : CALL_FAILED;
	}
	if (c->o->timeout > 0)
		tmr_start(c->loop, &c->tmr, (uint64_t)(c->o->timeout * 1000),
			  timeout_h, c);
	return CALL_OK;
}

int cli_call(int argc, char **argv)
{
	struct cli_opts o;
	struct cli_setup su;
	char err[512];
	struct call_run c = {0};

	if (cli_opts_parse(&o, argc, argv, CLI_OPT_CALL, err, sizeof(err))) {
		fprintf(stderr,
			"phonebox call: %s (try phonebox call --help)\n", err);
		return CALL_USAGE;
	}
	if (o.help) {
		usage(stdout);
		return 0;
	}
	if (cli_setup_load(&su, &o, err, sizeof(err))) {
		fprintf(stderr, "phonebox call: %s\n", err);
		cli_setup_close(&su);
		return CALL_USAGE;
	}
	su.cfg.opts.auto_answer = -1;
	c.o = &o;
	c.status = CALL_NOANSWER;
	c.play_ms = play_len(su.cfg.opts.play);
	if (loop_alloc(&c.loop) || buf_alloc(&c.ob, 512)) {
		fprintf(stderr, "phonebox call: out of memory\n");
		c.status = CALL_FAILED;
		goto out;
	}
	struct cli_signals *sig = cli_signals_open(c.loop, sig_h, &c);
	int st = call_start(&c, &su);
	if (st)
		c.status = st;
	while (!st && !c.done && !loop_poll(c.loop, -1))
		;
	cli_signals_close(sig);
out:
	tmr_cancel(&c.tmr);
	c.phone = phone_free(c.phone);
	obj_deref(c.ob);
	obj_deref(c.loop);
	cli_setup_close(&su);
	return c.status;
}
