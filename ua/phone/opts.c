/* opts.c: defaults for phone options and accounts, event names. */
#include <string.h>

#include "ua/phone/phone.h"

void phone_account_default(struct phone_account *a)
{
	if (!a)
		return;
	memset(a, 0, sizeof(*a));
	a->mediaenc = SDP_ENC_OPTIONAL;
	a->rel100 = SESS_100REL_SUPPORTED;
	a->regint = 3600;
	a->answer_after = false;
	a->tls_verify = true;
}

void phone_opts_default(struct phone_opts *o)
{
	if (!o)
		return;
	memset(o, 0, sizeof(*o));
	o->audio = AUDEV_PORTAUDIO;
	o->auto_answer = -1;
}

const char *phone_ev_name(enum phone_ev_kind k)
{
	switch (k) {
	case PHONE_EV_REGISTERED:
		return "registered";
	case PHONE_EV_REG_FAILED:
		return "reg_failed";
	case PHONE_EV_UNREGISTERED:
		return "unregistered";
	case PHONE_EV_INCOMING:
		return "incoming";
	case PHONE_EV_CALLING:
		return "calling";
	case PHONE_EV_RINGING:
		return "ringing";
	case PHONE_EV_FORWARDED:
		return "forwarded";
	case PHONE_EV_REDIRECTED:
		return "redirected";
	case PHONE_EV_ANSWERED:
		return "answered";
	case PHONE_EV_HOLD:
		return "hold";
	case PHONE_EV_RESUMED:
		return "resumed";
	case PHONE_EV_DTMF:
		return "dtmf";
	case PHONE_EV_TRANSFER:
		return "transfer";
	case PHONE_EV_ENDED:
		return "ended";
	case PHONE_EV_TRACE:
		return "trace";
	}
	return "unknown";
}
