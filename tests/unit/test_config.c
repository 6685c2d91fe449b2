/* test_config.c: the config folder: templates on first start, keys -> opts. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "cli/accounts.h"
#include "cli/config.h"
#include "harness.h"
#include "mock/tmpdir.h"

static char tmpdir[256];

static void mk_tmp(void)
{
	(void)tmpdir_make(tmpdir, sizeof(tmpdir), "pb_config");
}

static void rm_tmp(void)
{
	tmpdir_remove(tmpdir);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char p[600];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_dir_choice(void)
{
	char b[256], err[128];
	CHECK(!config_dir(b, sizeof(b), "/x/y", err, sizeof(err)));
	CHECK_EQ_STR(b, "/x/y");
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	CHECK(!config_dir(b, sizeof(b), NULL, err, sizeof(err)));
	CHECK_EQ_STR(b, "/xdg/phonebox");
	/* a relative XDG_CONFIG_HOME is ignored, as the spec says */
	setenv("XDG_CONFIG_HOME", "rel", 1);
	setenv("HOME", "/home/u", 1);
	CHECK(!config_dir(b, sizeof(b), NULL, err, sizeof(err)));
	CHECK_EQ_STR(b, "/home/u/.config/phonebox");
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	CHECK_EQ_INT(config_dir(b, sizeof(b), NULL, err, sizeof(err)), ENOENT);
	CHECK_EQ_STR(err, "no config folder: HOME is not set (use --config "
			  "DIR)");
}

/* First start writes both templates; reading them back gives defaults. */
static void test_templates_written_and_reloaded(void)
{
	mk_tmp();
	REQUIRE(tmpdir[0]);
	char dir[300], err[256], p[400];
	snprintf(dir, sizeof(dir), "%s/a/b/phonebox", tmpdir);
	bool created = false;
	REQUIRE(!config_init(dir, &created, err, sizeof(err)));
	CHECK(created);

	struct stat st;
	snprintf(p, sizeof(p), "%s/accounts", dir);
	REQUIRE(!stat(p, &st));
	CHECK_EQ_INT(st.st_mode & 0777, 0600);
	CHECK_EQ_INT(st.st_size, strlen(config_accounts_template()));
	snprintf(p, sizeof(p), "%s/config", dir);
	REQUIRE(!stat(p, &st));
	CHECK_EQ_INT(st.st_size, strlen(config_template()));
	REQUIRE(!stat(dir, &st));
	CHECK_EQ_INT(st.st_mode & 0777, 0700);

	struct config c;
	REQUIRE(!config_load(&c, dir, err, sizeof(err)));
	struct phone_opts d;
	phone_opts_default(&d);
	CHECK_EQ_INT(c.opts.nlisten, 0);
	CHECK_EQ_INT(c.opts.audio, d.audio);
	CHECK_EQ_INT(c.opts.auto_answer, d.auto_answer);
	CHECK_EQ_INT(c.opts.sip_trace, d.sip_trace);
	CHECK(c.opts.user_agent == d.user_agent);
	CHECK_EQ_INT(c.opts.rtp_min, 0);
	snprintf(p, sizeof(p), "%s/tls", dir);
	CHECK_EQ_STR(c.opts.cert_dir, p);

	/* the accounts template has examples but no active account */
	struct accounts *as = NULL;
	snprintf(p, sizeof(p), "%s/accounts", dir);
	REQUIRE(!accounts_load(&as, p, err, sizeof(err)));
	CHECK_EQ_INT(as->n, 0);
	obj_deref(as);

	/* a second start keeps the user's files */
	write_file(dir, "config", "sip_trace yes\n");
	created = true;
	REQUIRE(!config_init(dir, &created, err, sizeof(err)));
	CHECK(!created);
	REQUIRE(!config_load(&c, dir, err, sizeof(err)));
	CHECK(c.opts.sip_trace);
	rm_tmp();
}

/* Each example line of the accounts template decodes once uncommented. */
static void test_template_examples_decode(void)
{
	const char *t = config_accounts_template();
	const char *ex = strstr(t, "# Examples");
	REQUIRE(ex);
	ex = strchr(ex, '\n') + 1;
	unsigned n = 0;
	while (*ex == '#') {
		const char *nl = strchr(ex, '\n');
		struct pl l = {ex + 1, (size_t)(nl - ex - 1)};
		struct phone_account a;
		char err[256];
		CHECK_EQ_INT(accounts_line_decode(&a, &l, err, sizeof(err)), 0);
		n++;
		ex = nl + 1;
	}
	CHECK_EQ_INT(n, 3);
}

static void test_every_key(void)
{
	mk_tmp();
	REQUIRE(tmpdir[0]);
	char err[256];
	write_file(tmpdir, "config",
		   "listen udp:127.0.0.1:5070\n"
		   "listen tls:[::1]:5071\n"
		   "audio null\n"
		   "audio_in USB Mic\n"
		   "audio_out \"HDA Intel\"\n"
		   "rtp_ports 10000-10100\n"
		   "media_addr 192.0.2.7\n"
		   "auto_answer 3\n"
		   "sip_trace on\n"
		   "user_agent TestPhone/1\n"
		   "cert_dir /tmp/certs\n");
	struct config c;
	REQUIRE(!config_load(&c, tmpdir, err, sizeof(err)));
	REQUIRE(c.opts.nlisten == 2);
	CHECK_EQ_STR(c.opts.listen[0], "udp:127.0.0.1:5070");
	CHECK_EQ_STR(c.opts.listen[1], "tls:[::1]:5071");
	CHECK_EQ_INT(c.opts.audio, AUDEV_NULL);
	CHECK_EQ_STR(c.opts.audio_in, "USB Mic");
	CHECK_EQ_STR(c.opts.audio_out, "HDA Intel");
	CHECK_EQ_INT(c.opts.rtp_min, 10000);
	CHECK_EQ_INT(c.opts.rtp_max, 10100);
	CHECK_EQ_STR(c.opts.media_addr, "192.0.2.7");
	CHECK_EQ_INT(c.opts.auto_answer, 3);
	CHECK(c.opts.sip_trace);
	CHECK_EQ_STR(c.opts.user_agent, "TestPhone/1");
	CHECK_EQ_STR(c.opts.cert_dir, "/tmp/certs");

	write_file(tmpdir, "config", "auto_answer no\n");
	REQUIRE(!config_load(&c, tmpdir, err, sizeof(err)));
	CHECK_EQ_INT(c.opts.auto_answer, -1);
	rm_tmp();
}

static void test_key_errors(void)
{
	static const struct {
		const char *text;
		const char *err; /* after "DIR/config:" */
	} cases[] = {
	    {"# x\ncolour blue\n",
	     "2: colour: unknown key (known: listen, audio, audio_in, "
	     "audio_out, rtp_ports, media_addr, auto_answer, sip_trace, "
	     "user_agent, cert_dir)"},
	    {"audio alsa\n",
	     "1: audio: unknown 'alsa' (use portaudio or null)"},
	    {"listen 127.0.0.1:5060\n",
	     "1: listen: bad address '127.0.0.1:5060' (use udp:IP:PORT, "
	     "tcp:IP:PORT or tls:IP:PORT)"},
	    {"rtp_ports 20000-10000\n",
	     "1: rtp_ports: bad range '20000-10000' (use MIN-MAX within "
	     "1024-65535, e.g. 10000-20000)"},
	    {"rtp_ports 5000\n",
	     "1: rtp_ports: bad range '5000' (use MIN-MAX within "
	     "1024-65535, e.g. 10000-20000)"},
	    {"auto_answer soon\n",
	     "1: auto_answer: bad value 'soon' (use no, or seconds from 0 "
	     "to 3600)"},
	    {"sip_trace maybe\n",
	     "1: sip_trace: bad value 'maybe' (use yes or no)"},
	    {"\n\nuser_agent\n", "3: user_agent: needs a value"},
	    {"audio \"null\n", "1: unterminated quoted value"},
	};
	mk_tmp();
	REQUIRE(tmpdir[0]);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[512], want[700];
		struct config c;
		write_file(tmpdir, "config", cases[i].text);
		CHECK_EQ_INT(config_load(&c, tmpdir, err, sizeof(err)),
			     EBADMSG);
		snprintf(want, sizeof(want), "%s/config:%s", tmpdir,
			 cases[i].err);
		CHECK_EQ_STR(err, want);
	}
	rm_tmp();
}

static void test_unwritable_folder(void)
{
	char err[256];
	bool created;
	CHECK(config_init("/proc/phonebox-test", &created, err, sizeof(err)));
	CHECK(!strncmp(err, "cannot create config folder /proc/phonebox-test",
		       47));
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_dir_choice);
	RUN(test_templates_written_and_reloaded);
	RUN(test_template_examples_decode);
	RUN(test_every_key);
	RUN(test_key_errors);
	RUN(test_unwritable_folder);
	return harness_done();
}
