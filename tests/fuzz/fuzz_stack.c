/* fuzz_stack.c: byte sequences through the stack: transactions, dialogs,
 * digest challenges. Input = messages separated by "\n--\n". */
#include <errno.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/mem.h"
#include "fuzz/sipfeed.h"
#include "ua/auth/auth.h"
#include "ua/dialog/dlg.h"
#include "ua/stack/stack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sendh(const struct tsx_addr *dst, struct buf *mb, void *arg)
{
	(void)dst;
	(void)arg;
	return mb->end > mb->pos ? 0 : EINVAL;
}

static void reqh(struct stack *st, const struct sip_msg *msg,
		 const struct tsx_addr *src, void *arg)
{
	struct tsx *t, *inv;
	struct dlg *d = NULL;

	(void)arg;
	if (msg->method == SIP_METHOD_ACK)
		return;
	if (msg->method == SIP_METHOD_CANCEL)
		inv = tsx_cancel_target(stack_tsx(st), msg);
	else
		inv = NULL;
	if (tsx_server_alloc(&t, stack_tsx(st), msg, src))
		return;
	if (msg->method == SIP_METHOD_INVITE && msg->contactc &&
	    !dlg_alloc_uas(&d, msg, "lt")) {
		uint16_t sc = 0;
		(void)dlg_recv_request(d, msg, &sc);
		obj_deref(d);
		tsx_reply(t, 180, NULL, "lt", NULL, NULL);
		return;
	}
	tsx_reply(t, msg->method == SIP_METHOD_OPTIONS ? 200 : 486, NULL, "lt",
		  NULL, NULL);
	if (inv)
		tsx_reply(inv, 487, NULL, "lt", NULL, NULL);
}

static struct sip_msg *g_req;

static void resph(int err, const struct sip_msg *msg, void *arg)
{
	struct dlg *d = NULL;
	struct buf *mb;

	(void)arg;
	if (err || !msg)
		return;
	SIP_MSG_FOREACH(msg, SIP_HDR_WWW_AUTHENTICATE, h)
	{
		struct auth_chal c;
		struct auth_client *ac = NULL;
		if (auth_chal_decode(&c, &h->val) ||
		    auth_client_alloc(&ac, "u", "p"))
			continue;
		if (!auth_client_challenge(ac, &c, 1) && !buf_alloc(&mb, 256)) {
			(void)auth_client_authorize(ac, mb, &PL("REGISTER"),
						    &PL("sip:x"), NULL);
			obj_deref(mb);
		}
		obj_deref(ac);
	}
	if (g_req && !dlg_alloc_uac(&d, g_req, msg)) {
		(void)dlg_target_refresh(d, msg);
		if (!buf_alloc(&mb, 512)) {
			(void)dlg_request_print(mb, d, "BYE",
						"SIP/2.0/UDP h;branch=z9hG4bKb",
						0, NULL, NULL);
			obj_deref(mb);
		}
		obj_deref(d);
	}
}

static const char inv_hdrs[] =
    "From: <sip:a@127.0.0.1>;tag=ft\r\nTo: <sip:b@127.0.0.1>\r\n"
    "Call-ID: fz\r\nCSeq: 1 INVITE\r\nContact: <sip:a@127.0.0.1>\r\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct stack_handlers h = {reqh, NULL};
	struct sipfeed f;
	struct tsx *t = NULL;
	struct buf *ib;

	if (sipfeed_open(&f, &h, sendh))
		goto out;
	/* a client INVITE with a known branch, so inputs can answer it */
	if (!buf_alloc(&ib, 512)) {
		buf_printf(
		    ib,
		    "INVITE sip:b@127.0.0.1 SIP/2.0\r\n"
		    "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKfz\r\n"
		    "%sContent-Length: 0\r\n\r\n",
		    inv_hdrs);
		(void)tsx_request(&t, stack_tsx(f.st), ib, &f.src, resph, NULL);
		obj_deref(ib);
	}
	g_req = t ? obj_ref((void *)tsx_msg(t)) : NULL;
	sipfeed_run(&f, data, size, sipfeed_copy);
	loop_advance(f.loop, 70000);
out:
	g_req = obj_deref(g_req);
	sipfeed_close(&f);
	return 0;
}
