/* request.c: requests outside any session: OPTIONS, new INVITEs, strays. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ua/phone/priv.h"

const char phone_allow[] = "INVITE, ACK, CANCEL, BYE, OPTIONS, PRACK, "
			   "UPDATE, INFO, REFER, NOTIFY";

static const char phone_caps[] = "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, "
				 "PRACK, UPDATE, INFO, REFER, NOTIFY\r\n"
				 "Accept: application/sdp\r\n"
				 "Supported: replaces, 100rel\r\n";

/* answer with a server transaction so retransmissions are absorbed */
static void reply(struct phone *p, const struct sip_msg *msg,
		  const struct tsx_addr *src, uint16_t scode,
		  const char *reason, const char *hdrs)
{
	struct tsx *t = NULL;

	if (tsx_server_alloc(&t, stack_tsx(p->st), msg, src) ||
	    tsx_reply(t, scode, reason, NULL, hdrs, NULL))
		(void)tsx_reply_stateless(stack_tsx(p->st), msg, src, scode,
					  reason, NULL, hdrs);
}

/* requests that only make sense inside a dialog or transaction */
static bool dialog_only(enum sip_method m)
{
	switch (m) {
	case SIP_METHOD_BYE:
	case SIP_METHOD_CANCEL:
	case SIP_METHOD_PRACK:
	case SIP_METHOD_UPDATE:
	case SIP_METHOD_INFO:
	case SIP_METHOD_NOTIFY:
		return true;
	default:
		return false;
	}
}

void phone_reqh(struct stack *st, const struct sip_msg *msg,
		const struct tsx_addr *src, void *arg)
{
	struct phone *p = arg;

	(void)st;
	if (phone_call_recv(p, msg, src))
		return;
	if (msg->method == SIP_METHOD_ACK)
		return; /* stray ACK: nothing to do */
	if (msg->method == SIP_METHOD_OPTIONS && !msg->to.tag.l) {
		reply(p, msg, src, 200, NULL, phone_caps);
		return;
	}
	if (msg->to.tag.l || dialog_only(msg->method)) {
		reply(p, msg, src, 481, NULL, NULL);
		return;
	}
	if (msg->method == SIP_METHOD_INVITE) {
		phone_call_incoming(p, msg, src);
		return;
	}
	reply(p, msg, src, 405, NULL, phone_caps);
}
