/* test_phone_opts.c: phone defaults and event names. */
#include "harness.h"
#include "ua/phone/phone.h"

static void test_account_defaults(void)
{
	struct phone_account a;

	memset(&a, 0x5a, sizeof(a));
	phone_account_default(&a);
	CHECK_EQ_INT(a.mediaenc, SDP_ENC_OPTIONAL);
	CHECK_EQ_INT(a.rel100, SESS_100REL_SUPPORTED);
	CHECK_EQ_INT(a.regint, 3600);
	CHECK(a.tls_verify);
	CHECK(!a.answer_after);
	CHECK_EQ_STR(a.aor, "");
	CHECK_EQ_STR(a.registrar, "");
}

static void test_opts_defaults(void)
{
	struct phone_opts o;

	memset(&o, 0x5a, sizeof(o));
	phone_opts_default(&o);
	CHECK_EQ_INT(o.nlisten, 0);
	CHECK_EQ_INT(o.auto_answer, -1);
	CHECK_EQ_INT(o.audio, AUDEV_PORTAUDIO);
	CHECK(!o.play && !o.record && !o.cert_dir && !o.media_addr);
	CHECK(!o.sip_trace);
}

static void test_event_names(void)
{
	CHECK_EQ_STR(phone_ev_name(PHONE_EV_REGISTERED), "registered");
	CHECK_EQ_STR(phone_ev_name(PHONE_EV_INCOMING), "incoming");
	CHECK_EQ_STR(phone_ev_name(PHONE_EV_RINGING), "ringing");
	CHECK_EQ_STR(phone_ev_name(PHONE_EV_FORWARDED), "forwarded");
	CHECK_EQ_STR(phone_ev_name(PHONE_EV_ANSWERED), "answered");
	CHECK_EQ_STR(phone_ev_name(PHONE_EV_DTMF), "dtmf");
	CHECK_EQ_STR(phone_ev_name(PHONE_EV_ENDED), "ended");
	CHECK_EQ_STR(phone_ev_name(PHONE_EV_TRACE), "trace");
	CHECK_EQ_STR(phone_ev_name((enum phone_ev_kind)99), "unknown");
}

int main(void)
{
	harness_watchdog(10);
	RUN(test_account_defaults);
	RUN(test_opts_defaults);
	RUN(test_event_names);
	return harness_done();
}
