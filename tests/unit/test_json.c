/* test_json.c: JSON event lines are always valid, whatever the input. */
#include "base/base.h"
#include "harness.h"

static void test_event_line(void)
{
	struct buf *b = NULL;
	REQUIRE(!buf_alloc(&b, 0));
	struct pl who = PL("\"Bob\" <sip:bob@example.com>\r\n\t\x01");
	CHECK(!json_begin(b));
	CHECK(!json_cstr(b, "event", "incoming"));
	CHECK(!json_str(b, "from", &who));
	CHECK(!json_int(b, "code", 486));
	CHECK(!json_bool(b, "srtp", true));
	CHECK(!json_null(b, "suite"));
	CHECK(!json_end(b));
	CHECK_PL(buf_pl(b), "{\"event\":\"incoming\",\"from\":\"\\\"Bob\\\" "
			    "<sip:bob@example.com>\\r\\n\\t\\u0001\","
			    "\"code\":486,\"srtp\":true,\"suite\":null}\n");
	obj_deref(b);
}

static void test_invalid_utf8_is_replaced(void)
{
	struct buf *b = NULL;
	REQUIRE(!buf_alloc(&b, 0));
	/* valid 2-byte é, lone continuation byte, overlong '/', truncated */
	struct pl v = {"\xc3\xa9-\x80-\xc0\xaf-\xe2\x82", 10};
	CHECK(!json_escape(b, &v));
	CHECK_PL(buf_pl(b), "\"\xc3\xa9-\xef\xbf\xbd-\xef\xbf\xbd\xef\xbf\xbd-"
			    "\xef\xbf\xbd\xef\xbf\xbd\"");
	obj_deref(b);
}

int main(void)
{
	harness_watchdog(10);
	RUN(test_event_line);
	RUN(test_invalid_utf8_is_replaced);
	return harness_done();
}
