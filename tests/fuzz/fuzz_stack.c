/* fuzz_stack.c: byte sequences through the stack: transactions, dialogs,
 * digest challenges. Input = messages separated by "\n--\n". */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>

#include "base/buf.h"
#include "base/loop.h"
#include "base/mem.h"
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
	struct sockaddr_storage la = {0};
	struct sockaddr_in *s4 = (struct sockaddr_in *)&la;
	struct tsx_addr src = {0};
	struct loop *loop = NULL;
	struct stack *st = NULL;
	struct tsx *t = NULL;
	const uint8_t *p = data, *end = data + size;

	s4->sin_family = AF_INET;
	s4->sin_port = htons(5060);
	s4->sin_addr.s_addr = htonl(0x7f000001);
	src.sa = la;
	if (loop_alloc(&loop))
		return 0;
	loop_clock_fake(loop, 0);
	if (stack_alloc(&st, loop, NULL, &h, NULL) ||
	    stack_transport_add(st, TSX_TP_UDP, &la, sendh, NULL))
		goto out;
	/* a client INVITE with a known branch, so inputs can answer it */
	struct buf *ib;
	if (!buf_alloc(&ib, 512)) {
		buf_printf(
		    ib,
		    "INVITE sip:b@127.0.0.1 SIP/2.0\r\n"
		    "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKfz\r\n"
		    "%sContent-Length: 0\r\n\r\n",
		    inv_hdrs);
		(void)tsx_request(&t, stack_tsx(st), ib, &src, resph, NULL);
		obj_deref(ib);
	}
	g_req = t ? obj_ref((void *)tsx_msg(t)) : NULL;
	while (p < end) {
		const uint8_t *q = memmem(p, (size_t)(end - p), "\n--\n", 4);
		size_t n = q ? (size_t)(q - p) : (size_t)(end - p);
		struct buf *mb;
		if (!buf_alloc(&mb, n + 1)) {
			buf_write(mb, p, n);
			stack_recv(st, mb, &src);
			obj_deref(mb);
		}
		loop_advance(loop, 100);
		p += n + (q ? 4 : 0);
	}
	loop_advance(loop, 70000);
out:
	g_req = obj_deref(g_req);
	obj_deref(st);
	obj_deref(loop);
	return 0;
}
