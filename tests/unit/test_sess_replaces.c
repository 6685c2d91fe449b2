/* test_sess_replaces.c: attended transfer in the session layer: the
 * Replaces value (parse, print, escaped for Refer-To), finding the dialog
 * an INVITE's Replaces names with the RFC 3891 refusals, and REFER with
 * Replaces from the referrer to the transferee over real UDP. */
#include "sess_fix.h"
#include "ua/sip/uri.h"

static void test_replaces_decode(void)
{
	static const struct {
		const char *in;
		int err;
		const char *callid, *to, *from;
		bool early;
	} tv[] = {
	    {"abc@h;to-tag=1;from-tag=2", 0, "abc@h", "1", "2", false},
	    {" abc@h ; from-tag=2;to-tag=1;early-only", 0, "abc@h", "1", "2",
	     true},
	    {"x;to-tag=a;from-tag=b;other=1", 0, "x", "a", "b", false},
	    {"abc@h;to-tag=1", EBADMSG, NULL, NULL, NULL, false},
	    {"abc@h;from-tag=1", EBADMSG, NULL, NULL, NULL, false},
	    {"abc@h", EBADMSG, NULL, NULL, NULL, false},
	    {";to-tag=1;from-tag=2", EBADMSG, NULL, NULL, NULL, false},
	    {"a b;to-tag=1;from-tag=2", EBADMSG, NULL, NULL, NULL, false},
	    {"abc;to-tag=1;to-tag=3;from-tag=2", EBADMSG, NULL, NULL, NULL,
	     false},
	    {"abc;to-tag=;from-tag=2", EBADMSG, NULL, NULL, NULL, false},
	    {"abc;to-tag=1;from-tag=2;;", EBADMSG, NULL, NULL, NULL, false},
	    {"", EBADMSG, NULL, NULL, NULL, false},
	};
	struct sess_replaces r;

	for (size_t i = 0; i < sizeof(tv) / sizeof(tv[0]); i++) {
		struct pl v = pl_from_str(tv[i].in);
		int err = sess_replaces_decode(&r, &v);

		CHECK_EQ_INT(err, tv[i].err);
		if (err || tv[i].err)
			continue;
		CHECK_PL(r.callid, tv[i].callid);
		CHECK_PL(r.to_tag, tv[i].to);
		CHECK_PL(r.from_tag, tv[i].from);
		CHECK_EQ_INT(r.early_only, tv[i].early);
	}
	CHECK_EQ_INT(sess_replaces_decode(&r, NULL), EINVAL);
	CHECK_EQ_INT(sess_replaces_decode(NULL, &(struct pl)PL_INIT), EINVAL);
}

/* an INVITE with the header lines @p hdrs, decoded */
static struct sip_msg *invite(const char *hdrs)
{
	struct sip_msg *m = NULL;
	struct buf *b = NULL;
	char txt[1024];

	snprintf(txt, sizeof(txt),
		 "INVITE sip:x@127.0.0.1 SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKrepl\r\n"
		 "From: <sip:m@127.0.0.1>;tag=m1\r\nTo: <sip:x@127.0.0.1>\r\n"
		 "Call-ID: new@127.0.0.1\r\nCSeq: 1 INVITE\r\n"
		 "Contact: <sip:m@127.0.0.1:5999>\r\n%s"
		 "Content-Length: 0\r\n\r\n",
		 hdrs);
	if (buf_alloc(&b, strlen(txt)) || buf_write_str(b, txt) ||
	    sip_msg_decode(&m, b))
		m = NULL;
	obj_deref(b);
	return m;
}

/* the status sess_replaces_find gives at @p u for "Replaces: @p val"
   (plus @p extra), with the session in *@p sp */
static uint16_t find(struct fix_ua *u, const char *val, const char *extra,
		     struct sess **sp)
{
	char hdrs[768];
	struct sip_msg *m;
	uint16_t sc;

	snprintf(hdrs, sizeof(hdrs), "Replaces: %s%s\r\n", val, extra);
	m = invite(hdrs);
	CHECK(m != NULL);
	if (!m)
		return 999;
	sc = sess_replaces_find(u->sl, m, sp);
	obj_deref(m);
	return sc;
}

/* the Replaces value naming @p s's dialog (unescaped) */
static const char *repl(const struct sess *s, char *out, size_t size)
{
	struct buf *b = NULL;

	out[0] = '\0';
	if (buf_alloc(&b, 256) || sess_replaces_print(b, s, false))
		CHECK(false);
	else
		snprintf(out, size, "%.*s", (int)b->end, (const char *)b->b);
	obj_deref(b);
	return out;
}

static void test_print_and_find(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1], *c = &f.ua[2];
	struct sess *s = NULL, *ab = NULL, *ac = NULL;
	struct sip_msg *m;
	struct buf *eb = NULL;
	char r[256], r2[256], esc[512], plain[512];
	size_t len;

	REQUIRE(!fix_open(&f, 3, false));
	b->act = FIX_ANSWER;
	REQUIRE(!sess_connect(&ab, a->sl, b->uri, &a->o, &fix_h, a));
	CHECK(fix_run(&f, &a->nestablished, 1));
	CHECK(fix_run(&f, &b->nestablished, 1));

	/* a's dialog as b sees it: b finds its own session */
	repl(ab, r, sizeof(r));
	CHECK(!strncmp(r, sess_callid(ab), strlen(sess_callid(ab))));
	CHECK(strstr(r, ";to-tag=") && strstr(r, ";from-tag="));
	CHECK_EQ_INT(find(b, r, "", &s), 0);
	CHECK(s == b->s);
	/* the same tags the other way round name nothing at b, but a's */
	repl(b->s, r2, sizeof(r2));
	CHECK_EQ_INT(find(b, r2, "", &s), 481);
	CHECK(s == NULL);
	CHECK_EQ_INT(find(a, r2, "", &s), 0);
	CHECK(s == ab);
	/* confirmed dialog, early-only: 486 */
	CHECK_EQ_INT(find(b, r, ";early-only", &s), 486);
	/* malformed, twice, absent */
	CHECK_EQ_INT(find(b, "junk", "", &s), 400);
	CHECK_EQ_INT(find(b, r, "\r\nReplaces: x;to-tag=1;from-tag=2", &s),
		     400);
	m = invite("");
	REQUIRE(m);
	s = ab;
	CHECK_EQ_INT(sess_replaces_find(b->sl, m, &s), 0);
	CHECK(s == NULL);
	obj_deref(m);
	CHECK_EQ_INT(find(b, "nosuch@h;to-tag=1;from-tag=2", "", &s), 481);

	/* escaped for a Refer-To URI header: no ';' '=' '@' left, and it
	   reads back as the plain value */
	REQUIRE(!buf_alloc(&eb, 256));
	CHECK_EQ_INT(sess_replaces_print(eb, ab, true), 0);
	snprintf(esc, sizeof(esc), "%.*s", (int)eb->end, (const char *)eb->b);
	CHECK(strstr(esc, "%3Bto-tag%3D") && strstr(esc, "%3Bfrom-tag%3D"));
	CHECK(!strpbrk(esc, ";=@"));
	{
		struct pl e = pl_from_str(esc);
		CHECK_EQ_INT(sip_uri_unescape(&e, plain, sizeof(plain), &len),
			     0);
		plain[len < sizeof(plain) ? len : 0] = '\0';
		CHECK_EQ_STR(plain, r);
	}
	obj_deref(eb);

	/* early dialogs: c rings. c must not give away the early dialog it
	   did not originate (481); a may (its own outgoing early dialog) */
	c->act = FIX_RING;
	REQUIRE(!sess_connect(&ac, a->sl, c->uri, &a->o, &fix_h, a));
	CHECK(fix_run(&f, &a->nprogress, 1));
	repl(ac, r, sizeof(r));
	CHECK_EQ_INT(find(c, r, "", &s), 481);
	repl(c->s, r2, sizeof(r2));
	CHECK_EQ_INT(find(a, r2, "", &s), 0);
	CHECK(s == ac);
	CHECK_EQ_INT(find(a, r2, ";early-only", &s), 0);
	/* a dialog that is ending: 603 */
	repl(b->s, r2, sizeof(r2));
	CHECK_EQ_INT(sess_hangup(ab), 0);
	CHECK_EQ_INT(find(a, r2, "", &s), 603);
	CHECK_EQ_INT(sess_hangup(ac), 0);
	CHECK(fix_run(&f, &c->nclose, 1));
	CHECK(fix_run(&f, &b->nclose, 1));
	CHECK_EQ_INT(sess_replaces_print(NULL, ab, false), EINVAL);
	obj_deref(ab);
	obj_deref(ac);
	fix_close(&f);
}

/* the transferee's REFER handler: what it is told to do */
static struct {
	int n;
	char target[128];
	char replaces[256];
} got;

static void xfer_referh(struct sess *s, const char *target, void *arg)
{
	const char *r = sess_refer_replaces_value(s);

	(void)arg;
	got.n++;
	snprintf(got.target, sizeof(got.target), "%s", target);
	snprintf(got.replaces, sizeof(got.replaces), "%s", r ? r : "(none)");
}

static bool wait_got(struct fix *f, int want)
{
	return fix_run(f, &got.n, want);
}

static void test_refer_with_replaces(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1], *c = &f.ua[2];
	struct sess_handlers xh = fix_h;
	struct sess *ba = NULL, *ac = NULL, *s = NULL;
	const char *refer;
	char v[512], want[300];

	memset(&got, 0, sizeof(got));
	xh.referh = xfer_referh;
	REQUIRE(!fix_open(&f, 3, false));
	/* b (the transferee) calls a; a calls c */
	a->act = FIX_ANSWER;
	c->act = FIX_ANSWER;
	REQUIRE(!sess_connect(&ba, b->sl, a->uri, &b->o, &xh, b));
	CHECK(fix_run(&f, &a->nestablished, 1));
	CHECK(fix_run(&f, &b->nestablished, 1));
	REQUIRE(a->s);
	REQUIRE(!sess_connect(&ac, a->sl, c->uri, &a->o, &fix_h, a));
	CHECK(fix_run(&f, &c->nestablished, 1));
	CHECK(fix_run(&f, &a->nestablished, 2));

	CHECK_EQ_INT(sess_refer_replaces(a->s, a->s, c->uri), EINVAL);
	CHECK_EQ_INT(sess_refer_replaces(a->s, NULL, c->uri), EINVAL);
	CHECK_EQ_INT(sess_refer_replaces(a->s, ac, "sip:c@h?x=y"), EINVAL);
	CHECK_EQ_INT(sess_refer_replaces(a->s, ac, "not a uri"), EINVAL);
	CHECK_EQ_INT(sess_refer_replaces(a->s, ac, c->uri), 0);
	CHECK(wait_got(&f, 1));
	CHECK_EQ_STR(got.target, c->uri);
	/* what b must send in its INVITE names a's dialog with c as c
	   sees it: c finds that session */
	CHECK_EQ_INT(find(c, got.replaces, "", &s), 0);
	CHECK(s == c->s);
	refer = fix_sent(a, "REFER ", 0);
	REQUIRE(refer);
	fix_hdr(refer, "Refer-To", v, sizeof(v));
	snprintf(want, sizeof(want), "<%s?Replaces=", c->uri);
	CHECK(!strncmp(v, want, strlen(want)));
	CHECK(strstr(v, "%3Bto-tag%3D") != NULL);
	CHECK(strstr(fix_hdr(refer, "Referred-By", v, sizeof(v)), "alice"));
	CHECK(fix_run(&f, &a->nrefer_status, 1)); /* NOTIFY 100 */

	/* a blind REFER gives no Replaces; a bad one is refused with 400 */
	CHECK_EQ_INT(sess_refer(a->s, c->uri), 0);
	CHECK(wait_got(&f, 2));
	CHECK_EQ_STR(got.replaces, "(none)");
	CHECK_EQ_INT(sess_refer(a->s, "sip:c@127.0.0.1?Replaces=junk"), 0);
	CHECK_EQ_INT(sess_refer(a->s, "sip:c@127.0.0.1?Replaces=a%3Bto-tag"
				      "%3D1%3Bfrom-tag%3D2&Replaces=x"),
		     0);
	for (int i = 0; i < 200 && fix_count(b, "SIP/2.0 400") < 2; i++)
		fix_settle(&f, 1);
	CHECK_EQ_INT(fix_count(b, "SIP/2.0 400"), 2);
	CHECK(strstr(fix_sent(b, "SIP/2.0 400", 0), "Bad Replaces") != NULL);
	CHECK_EQ_INT(got.n, 2);
	/* our INVITEs say we support Replaces */
	CHECK(strstr(
		  fix_hdr(fix_sent(b, "INVITE ", 0), "Supported", v, sizeof(v)),
		  "replaces") != NULL);

	CHECK_EQ_INT(sess_hangup(ba), 0);
	CHECK_EQ_INT(sess_hangup(ac), 0);
	CHECK(fix_run(&f, &c->nclose, 1));
	CHECK(fix_run(&f, &b->nclose, 1));
	obj_deref(ba);
	obj_deref(ac);
	fix_close(&f);
}

/* An INVITE that requires replaces is not refused with 420. */
static void test_require_replaces_accepted(void)
{
	struct fix f;
	struct fix_ua *a = &f.ua[0], *b = &f.ua[1];
	struct sess *s = NULL;

	REQUIRE(!fix_open(&f, 2, false));
	b->act = FIX_ANSWER;
	a->o.hdrs = "Require: replaces\r\n";
	REQUIRE(!sess_connect(&s, a->sl, b->uri, &a->o, &fix_h, a));
	CHECK(fix_run(&f, &a->nestablished, 1));
	CHECK_EQ_INT(b->incoming_err, 0);
	CHECK_EQ_INT(fix_count(b, "SIP/2.0 420"), 0);
	CHECK_EQ_INT(sess_hangup(s), 0);
	CHECK(fix_run(&f, &b->nclose, 1));
	obj_deref(s);
	fix_close(&f);
}

int main(void)
{
	harness_watchdog(60);
	RUN(test_replaces_decode);
	RUN(test_print_and_find);
	RUN(test_refer_with_replaces);
	RUN(test_require_replaces_accepted);
	return harness_done();
}
