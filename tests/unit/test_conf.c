/* test_conf.c: the `key value` configuration decoder. */
#include <errno.h>

#include "cli/conf.h"
#include "harness.h"

static struct conf *decode(const char *text, int *errp, struct conf_err *ce)
{
	struct conf *c = NULL;
	*errp = conf_decode(&c, text, strlen(text), ce);
	return c;
}

static void test_pairs_comments_and_quotes(void)
{
	int e;
	struct conf_err ce = {0};
	struct conf *c = decode("# a comment\n"
				"\n"
				"log_level debug   # trailing comment\r\n"
				"  sip_listen\t127.0.0.1:5070\n"
				"greeting \"  hello # not a comment \"\n"
				"audio\n"
				"listen udp:127.0.0.1:5070\n"
				"listen tls:[::1]:5071\n",
				&e, &ce);
	REQUIRE(!e && c);
	char buf[64];
	CHECK(!conf_get_str(c, "log_level", buf, sizeof(buf)));
	CHECK_EQ_STR(buf, "debug");
	CHECK(!conf_get_str(c, "sip_listen", buf, sizeof(buf)));
	CHECK_EQ_STR(buf, "127.0.0.1:5070");
	CHECK(!conf_get_str(c, "greeting", buf, sizeof(buf)));
	CHECK_EQ_STR(buf, "  hello # not a comment ");
	CHECK(!conf_get_str(c, "audio", buf, sizeof(buf)));
	CHECK_EQ_STR(buf, "");
	CHECK(!conf_get_str(c, "listen", buf, sizeof(buf)));
	CHECK_EQ_STR(buf, "udp:127.0.0.1:5070");
	CHECK_EQ_INT(conf_get_str(c, "missing", buf, sizeof(buf)), ENOENT);
	CHECK_EQ_INT(conf_count(c), 6);
	obj_deref(c);
}

static void test_numbers_and_booleans(void)
{
	int e;
	struct conf_err ce = {0};
	struct conf *c = decode("rtp_port 30000\nbig 99999999999\n"
				"prack off\nsrtp Yes\nodd maybe\n",
				&e, &ce);
	REQUIRE(!e && c);
	uint32_t v = 0;
	bool b = false;
	CHECK(!conf_get_u32(c, "rtp_port", &v));
	CHECK_EQ_INT(v, 30000);
	CHECK_EQ_INT(conf_get_u32(c, "big", &v), ERANGE);
	CHECK(!conf_get_bool(c, "prack", &b) && !b);
	CHECK(!conf_get_bool(c, "srtp", &b) && b);
	CHECK_EQ_INT(conf_get_bool(c, "odd", &b), EINVAL);
	obj_deref(c);
}

static void test_errors_name_the_line(void)
{
	static const struct {
		const char *text;
		unsigned line;
		const char *reason;
	} cases[] = {
		{"a 1\nb \"open\n", 2, "unterminated quoted value"},
		{"a 1\n\n=x 1\n", 3, "line does not start with a key"},
		{"ke$y 1\n", 1, "invalid character in key"},
		{"k \"v\" junk\n", 1, "text after the closing quote"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int e;
		struct conf_err ce = {0};
		struct conf *c = decode(cases[i].text, &e, &ce);
		CHECK(c == NULL);
		CHECK_EQ_INT(e, EBADMSG);
		CHECK_EQ_INT(ce.line, cases[i].line);
		CHECK_EQ_STR(ce.reason, cases[i].reason);
	}
	struct conf *c = NULL;
	struct conf_err ce = {0};
	CHECK_EQ_INT(conf_decode(&c, "a b\0c\n", 6, &ce), EBADMSG);
	CHECK_EQ_STR(ce.reason, "NUL byte in line");
	CHECK_EQ_INT(conf_load(&c, "/nonexistent/phonebox.conf", &ce), ENOENT);
}

static void test_allocation_failures_are_clean(void)
{
	const char *text = "a 1\nb 2\nc 3\nd 4\ne 5\nf 6\ng 7\nh 8\n"
			   "i 9\nj 10\nk 11\nl 12\nm 13\nn 14\no 15\np 16\nq 17\n";
	for (size_t n = 1; n < 10; n++) {
		struct conf *c = NULL;
		struct conf_err ce = {0};
		obj_fail_after(n);
		int e = conf_decode(&c, text, strlen(text), &ce);
		obj_fail_after(0);
		CHECK(e == 0 || e == ENOMEM);
		CHECK((e == 0) == (c != NULL));
		obj_deref(c);
	}
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_pairs_comments_and_quotes);
	RUN(test_numbers_and_booleans);
	RUN(test_errors_name_the_line);
	RUN(test_allocation_failures_are_clean);
	return harness_done();
}
