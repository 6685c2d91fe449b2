/* test_accounts.c: the accounts file: every parameter, every error message. */
#include <errno.h>

#include "cli/accounts.h"
#include "harness.h"

static int line(struct phone_account *a, const char *s, char *err,
		size_t errlen)
{
	struct pl pl = pl_from_str(s);
	err[0] = '\0';
	return accounts_line_decode(a, &pl, err, errlen);
}

static void test_design_example_line(void)
{
	struct phone_account a;
	char err[256];
	REQUIRE(!line(&a,
		      "Alice <sips:alice@pbx.example.com;transport=tls>;"
		      "auth_pass=secret;mediaenc=srtp;100rel=off",
		      err, sizeof(err)));
	CHECK_EQ_STR(a.name, "Alice");
	CHECK_EQ_STR(a.display, "Alice");
	CHECK_EQ_STR(a.aor, "sips:alice@pbx.example.com;transport=tls");
	CHECK_EQ_STR(a.auth_pass, "secret");
	CHECK_EQ_STR(a.auth_user, "");
	CHECK_EQ_STR(a.registrar, "");
	CHECK_EQ_INT(a.mediaenc, SDP_ENC_OPTIONAL);
	CHECK_EQ_INT(a.rel100, SESS_100REL_OFF);
	/* defaults for what the line leaves out */
	CHECK_EQ_INT(a.regint, 3600);
	CHECK(a.tls_verify);
	CHECK(!a.answer_after);
}

/* quoted display names with escapes, spaces around ';' and '=' */
static void test_quoted_display_and_spacing(void)
{
	struct phone_account a;
	char err[256];
	REQUIRE(!line(&a,
		      "  \"Bob \\\"B\\\" Smith\" <sip:bob@192.0.2.1:5080> "
		      "; auth_user = b0b ; auth_pass=\"p;w #d\"  ",
		      err, sizeof(err)));
	CHECK_EQ_STR(err, "");
	CHECK_EQ_STR(a.display, "Bob \"B\" Smith");
	CHECK_EQ_STR(a.name, "Bob \"B\" Smith");
	CHECK_EQ_STR(a.aor, "sip:bob@192.0.2.1:5080");
	CHECK_EQ_STR(a.auth_user, "b0b");
	CHECK_EQ_STR(a.auth_pass, "p;w #d");
}

static void test_registrar_with_params_needs_quotes(void)
{
	struct phone_account a;
	char err[256];
	CHECK_EQ_INT(line(&a,
			  "<sip:bob@example.com>;registrar=sip:reg.example."
			  "com;transport=tcp",
			  err, sizeof(err)),
		     EBADMSG);
	CHECK_EQ_STR(err, "'transport' is a URI parameter: put the URI in <> "
			  "(Name <sip:user@host;transport=...>)");
	REQUIRE(!line(&a,
		      "<sip:bob@example.com>;registrar=\"sip:reg.example.com;"
		      "transport=tcp\"",
		      err, sizeof(err)));
	CHECK_EQ_STR(a.registrar, "sip:reg.example.com;transport=tcp");
	CHECK_EQ_STR(a.name, "bob");
	CHECK_EQ_STR(a.display, "");
}

static void test_values(void)
{
	struct phone_account a;
	char err[256];
	REQUIRE(!line(&a,
		      "Bob <sip:bob@192.0.2.1:5080>;auth_user=b0b;"
		      "registrar=sips:reg.example.com;"
		      "proxy=sip:proxy.example.com:5062;"
		      "codecs=pcma, OPUS ,g722;mediaenc=mandatory;"
		      "100rel=required;regint=600;answer_after=yes;"
		      "ca=/etc/ssl/my ca.pem;tls_verify=no;"
		      "ruri_params=user=phone",
		      err, sizeof(err)));
	CHECK_EQ_STR(a.auth_user, "b0b");
	CHECK_EQ_STR(a.registrar, "sips:reg.example.com");
	CHECK_EQ_STR(a.proxy, "sip:proxy.example.com:5062");
	CHECK_EQ_STR(a.codecs, "PCMA,opus,G722");
	CHECK_EQ_INT(a.mediaenc, SDP_ENC_MANDATORY);
	CHECK_EQ_INT(a.rel100, SESS_100REL_REQUIRED);
	CHECK_EQ_INT(a.regint, 600);
	CHECK(a.answer_after);
	CHECK_EQ_STR(a.ca, "/etc/ssl/my ca.pem");
	CHECK(!a.tls_verify);
	CHECK_EQ_STR(a.ruri_params, "user=phone");

	/* the other spellings */
	REQUIRE(!line(&a,
		      "sip:carol@example.com;outbound_proxy=sip:p.example.com"
		      ";mediaenc=srtp-mand;100rel=supported;regint=0;"
		      "registrar=NONE",
		      err, sizeof(err)));
	CHECK_EQ_STR(a.aor, "sip:carol@example.com");
	CHECK_EQ_STR(a.name, "carol");
	CHECK_EQ_STR(a.proxy, "sip:p.example.com");
	CHECK_EQ_INT(a.mediaenc, SDP_ENC_MANDATORY);
	CHECK_EQ_INT(a.rel100, SESS_100REL_SUPPORTED);
	CHECK_EQ_INT(a.regint, 0);
	CHECK_EQ_STR(a.registrar, "none");
	REQUIRE(!line(&a, "<sip:d@example.com>;mediaenc=OFF;regint=0", err,
		      sizeof(err)));
	CHECK_EQ_INT(a.mediaenc, SDP_ENC_OFF);
	CHECK_EQ_STR(a.registrar, "none");
	REQUIRE(!line(&a, "<sip:d%41@example.com>;mediaenc=optional", err,
		      sizeof(err)));
	CHECK_EQ_INT(a.mediaenc, SDP_ENC_OPTIONAL);
	CHECK_EQ_STR(a.name, "dA");
}

/* Every error message, word for word, as the user sees it. */
static void test_error_messages(void)
{
	static const struct {
		const char *line;
		const char *err;
	} cases[] = {
	    {"Alice <sips:a@h>;mediaenc=foo",
	     "unknown mediaenc 'foo' (use off, optional or mandatory)"},
	    {"<sip:a@h>;100rel=maybe",
	     "unknown 100rel 'maybe' (use supported, required or off)"},
	    {"<sip:a@h>;codecs=opus,GSM",
	     "unknown codec 'GSM' (use opus, G722, PCMU or PCMA, "
	     "separated by commas)"},
	    {"<sip:a@h>;codecs=opus,,PCMU",
	     "unknown codec '' (use opus, G722, PCMU or PCMA, separated "
	     "by commas)"},
	    {"<sip:a@h>;codecs=PCMU,pcmu", "codec 'PCMU' listed twice"},
	    {"<sip:a@h>;regint=5",
	     "bad regint '5' (seconds from 30 to 86400, or 0 for no "
	     "registration)"},
	    {"<sip:a@h>;regint=ten",
	     "bad regint 'ten' (seconds from 30 to 86400, or 0 for no "
	     "registration)"},
	    {"<sip:a@h>;answer_after=maybe",
	     "bad answer_after 'maybe' (use yes or no)"},
	    {"<sip:a@h>;tls_verify=2", "bad tls_verify '2' (use yes or no)"},
	    {"<sip:a@h>;registrar=pbx",
	     "bad registrar 'pbx' (use a sip: or sips: URI, or none)"},
	    {"<sip:a@h>;proxy=http://x",
	     "bad proxy 'http://x' (use a sip: or sips: URI, e.g. "
	     "sip:proxy.example.com;transport=tcp)"},
	    {"<sip:a@h>;outbound_proxy=x",
	     "bad outbound_proxy 'x' (use a sip: or sips: URI, e.g. "
	     "sip:proxy.example.com;transport=tcp)"},
	    {"<sip:a@h>;proxy=sip:p;outbound_proxy=sip:q",
	     "parameter 'outbound_proxy' given twice"},
	    {"<sip:a@h>;auth_pass=a;auth_pass=b",
	     "parameter 'auth_pass' given twice"},
	    {"<sip:a@h>;auth_pass", "parameter 'auth_pass' needs a value "
				    "(auth_pass=...)"},
	    {"<sip:a@h>;auth_pass=", "parameter 'auth_pass' needs a value "
				     "(auth_pass=...)"},
	    {"<sip:a@h>;auth_pass=\"abc", "unterminated quote in auth_pass"},
	    {"<sip:a@h>;auth_pass=\"abc\" x",
	     "text after the quoted value of auth_pass"},
	    {"<sip:a@h>;colour=blue",
	     "unknown parameter 'colour' (known: auth_user, auth_pass, "
	     "registrar, proxy, codecs, mediaenc, 100rel, regint, "
	     "answer_after, ca, tls_verify, ruri_params)"},
	    {"sip:a@h;transport=tcp",
	     "'transport' is a URI parameter: put the URI in <> (Name "
	     "<sip:user@host;transport=...>)"},
	    {"<sip:a@h>;;x=1", "empty account parameter"},
	    {"<sip:a@h> junk",
	     "expected ';' before 'junk' (account parameters are "
	     ";name=value)"},
	    {"Alice <sip:a@h", "unterminated address (a '\"' or '<' is not "
			       "closed)"},
	    {"\"Alice <sip:a@h>", "unterminated address (a '\"' or '<' is "
				  "not closed)"},
	    {"Alice", "bad address 'Alice' (expected e.g. Alice "
		      "<sip:alice@example.com>)"},
	    {"<tel:+4930123>",
	     "'tel:+4930123' is not a sip: or sips: address of record"},
	    {"<sip:example.com>",
	     "address 'sip:example.com' has no user (use sip:user@host)"},
	    {"<sip:a@h?subject=x>", "address 'sip:a@h?subject=x' has URI "
				    "headers ('?')"},
	    {"<sip:a@h>;auth_user=012345678901234567890123456789012345678"
	     "90123456789012345678901234",
	     "auth_user too long (at most 63 bytes)"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct phone_account a;
		char err[512];
		int e = line(&a, cases[i].line, err, sizeof(err));
		CHECK_EQ_INT(e, EBADMSG);
		CHECK_EQ_STR(err, cases[i].err);
	}
}

static void test_file_comments_blank_lines_and_line_numbers(void)
{
	static const char text[] =
	    "# my accounts\n"
	    "\n"
	    "Alice <sips:alice@pbx.example.com>;auth_pass=s#1 # work\n"
	    "   \t\n"
	    "  # Bob <sip:bob@x>\n"
	    "<sip:lab@127.0.0.1>;registrar=none\r\n";
	struct accounts *as = NULL;
	char err[256] = "";
	REQUIRE(!accounts_decode(&as, "accounts", text, sizeof(text) - 1, err,
				 sizeof(err)));
	REQUIRE(as->n == 2);
	CHECK_EQ_STR(as->v[0].name, "Alice");
	CHECK_EQ_STR(as->v[0].auth_pass, "s#1");
	CHECK_EQ_STR(as->v[1].name, "lab");
	CHECK_EQ_STR(as->v[1].registrar, "none");
	CHECK(accounts_find(as, "alice") == &as->v[0]);
	CHECK(accounts_find(as, "LAB") == &as->v[1]);
	CHECK(accounts_find(as, "bob") == NULL);
	obj_deref(as);

	static const char bad[] = "# comment\n"
				  "<sip:a@h>\n"
				  "Alice <sips:alice@h>;mediaenc=foo\n";
	as = NULL;
	CHECK_EQ_INT(accounts_decode(&as, "accounts", bad, sizeof(bad) - 1, err,
				     sizeof(err)),
		     EBADMSG);
	CHECK(as == NULL);
	CHECK_EQ_STR(err, "accounts:3: unknown mediaenc 'foo' (use off, "
			  "optional or mandatory)");

	static const char dup[] = "<sip:a@h>\n<sip:A@other>\n";
	CHECK_EQ_INT(
	    accounts_decode(&as, "f", dup, sizeof(dup) - 1, err, sizeof(err)),
	    EBADMSG);
	CHECK_EQ_STR(err, "f:2: account name 'A' is used twice (give one a "
			  "different display name)");

	static const char nul[] = "<sip:a@h>\n<sip:b\0@h>\n";
	CHECK_EQ_INT(
	    accounts_decode(&as, "f", nul, sizeof(nul) - 1, err, sizeof(err)),
	    EBADMSG);
	CHECK_EQ_STR(err, "f:2: NUL byte in line");

	char longl[3000];
	memset(longl, 'x', sizeof(longl));
	CHECK_EQ_INT(
	    accounts_decode(&as, "f", longl, sizeof(longl), err, sizeof(err)),
	    EBADMSG);
	CHECK_EQ_STR(err, "f:1: line too long (at most 2048 bytes)");

	/* an empty file and a file of comments are no accounts, no error */
	REQUIRE(!accounts_decode(&as, "f", "", 0, err, sizeof(err)));
	CHECK_EQ_INT(as->n, 0);
	obj_deref(as);
}

static void test_load_missing_file(void)
{
	struct accounts *as = NULL;
	char err[256];
	CHECK_EQ_INT(accounts_load(&as, "/nonexistent/phonebox/accounts", err,
				   sizeof(err)),
		     ENOENT);
	CHECK(as == NULL);
	CHECK_EQ_STR(err, "/nonexistent/phonebox/accounts: No such file or "
			  "directory");
}

/* Every allocation failure gives ENOMEM and leaks nothing. */
static void test_alloc_failures(void)
{
	static const char text[] = "<sip:a@h>\n<sip:b@h>\n<sip:c@h>\n";
	for (unsigned n = 1; n < 10; n++) {
		struct accounts *as = NULL;
		char err[128];
		obj_fail_after(n);
		int e = accounts_decode(&as, "f", text, sizeof(text) - 1, err,
					sizeof(err));
		obj_fail_after(0);
		CHECK(e == 0 || e == ENOMEM);
		if (!e) {
			CHECK_EQ_INT(as->n, 3);
			obj_deref(as);
		}
	}
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_design_example_line);
	RUN(test_quoted_display_and_spacing);
	RUN(test_registrar_with_params_needs_quotes);
	RUN(test_values);
	RUN(test_error_messages);
	RUN(test_file_comments_blank_lines_and_line_numbers);
	RUN(test_load_missing_file);
	RUN(test_alloc_failures);
	return harness_done();
}
