/* config.c: the config folder, first-start templates, config keys -> opts.
 *
 * The config file is read with the generic `key value` decoder (conf.h);
 * this file knows the keys and maps them onto struct phone_opts. Every
 * key is optional: the template written on first start shows each one
 * commented out with its default, so a fresh machine works unchanged.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mem.h"
#include "cli/conf.h"
#include "cli/config.h"
#include "ua/tp/sa.h"

static const char config_text[] =
    "# phonebox configuration: one \"key value\" a line, '#' starts a "
    "comment.\n"
    "# Every key is optional; each is shown commented out with its "
    "default.\n"
    "# Command-line options (phonebox --help) override these.\n"
    "\n"
    "# Where to accept SIP: udp:IP:PORT, tcp:IP:PORT or tls:IP:PORT, "
    "IPv6 in\n"
    "# brackets (udp:[::]:5060); repeat the key for several, one per "
    "transport\n"
    "# and address family. Default: UDP, TCP and TLS on free ports of "
    "0.0.0.0\n"
    "# and [::] (IPv6 only when the host has it).\n"
    "#listen udp:0.0.0.0:5060\n"
    "#listen udp:[::]:5060\n"
    "#listen tls:0.0.0.0:5061\n"
    "\n"
    "# Sound: portaudio (the sound card) or null (silence, for machines "
    "without\n"
    "# one). audio_in/audio_out pick a device by a part of its name "
    "(see\n"
    "# `phonebox devices`); default: the system's default devices.\n"
    "#audio portaudio\n"
    "#audio_in USB\n"
    "#audio_out USB\n"
    "\n"
    "# RTP ports for media as MIN-MAX (even numbers are used). Default: "
    "any free\n"
    "# port. media_addr: the address put in SDP for calls of its "
    "family\n"
    "# (default: the SIP address of the call's family).\n"
    "#rtp_ports 10000-20000\n"
    "#media_addr 192.0.2.10\n"
    "\n"
    "# Answer incoming calls automatically after N seconds (no = "
    "never).\n"
    "#auto_answer no\n"
    "\n"
    "# Show every SIP message sent and received (keys redacted).\n"
    "#sip_trace no\n"
    "\n"
    "# User-Agent header. Default: phonebox/VERSION.\n"
    "#user_agent phonebox\n"
    "\n"
    "# Folder with our TLS key and certificate (made on first use).\n"
    "# Default: the tls folder beside this file.\n"
    "#cert_dir /home/me/.config/phonebox/tls\n";

static const char accounts_text[] =
    "# phonebox accounts: one account a line, in SIP syntax:\n"
    "#   Display Name <sip-or-sips-URI;uri-params>;account-param=value;...\n"
    "# URI parameters go inside <>, account parameters outside. Values "
    "with ';',\n"
    "# spaces or '#' go in double quotes: auth_pass=\"a;b c\".\n"
    "#\n"
    "# Account parameters (all optional):\n"
    "#   auth_user=NAME        digest user name (default: the URI's "
    "user)\n"
    "#   auth_pass=SECRET      digest password (keep this file mode "
    "0600)\n"
    "#   registrar=URI|none    where to REGISTER (default: the URI's "
    "domain);\n"
    "#                         none = do not register (direct calls "
    "only)\n"
    "#   proxy=URI             outbound proxy (outbound_proxy= works "
    "too)\n"
    "#   codecs=LIST           preference, from opus,G722,PCMU,PCMA\n"
    "#   mediaenc=MODE         SRTP: off, optional (default) or "
    "mandatory;\n"
    "#                         srtp = optional, srtp-mand = mandatory\n"
    "#   100rel=MODE           PRACK: supported (default), required or "
    "off\n"
    "#   regint=SECONDS        registration interval (3600; 0 = do not "
    "register)\n"
    "#   answer_after=yes|no   honour Call-Info answer-after (intercom)\n"
    "#   ca=FILE               CA certificates for TLS (default: the "
    "system's)\n"
    "#   tls_verify=yes|no     check the server's certificate (yes)\n"
    "#   ruri_params=PARAMS    added to request URIs, e.g. user=phone\n"
    "#\n"
    "# Examples (remove the '#' and fill in your own):\n"
    "#Alice <sips:alice@pbx.example.com;transport=tls>;auth_pass=secret;"
    "mediaenc=srtp\n"
    "#Office <sip:1001@192.0.2.1>;auth_user=1001;auth_pass=\"p;w d\";"
    "codecs=G722,PCMA;100rel=off\n"
    "#Lab <sip:lab@127.0.0.1>;registrar=none\n";

const char *config_template(void)
{
	return config_text;
}

const char *config_accounts_template(void)
{
	return accounts_text;
}

int config_dir(char *buf, size_t size, const char *dir_opt, char *err,
	       size_t errlen)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n;

	if (dir_opt && dir_opt[0])
		n = snprintf(buf, size, "%s", dir_opt);
	else if (xdg && xdg[0] == '/')
		n = snprintf(buf, size, "%s/phonebox", xdg);
	else if (home && home[0])
		n = snprintf(buf, size, "%s/.config/phonebox", home);
	else {
		snprintf(err, errlen,
			 "no config folder: HOME is not set (use --config "
			 "DIR)");
		return ENOENT;
	}
	if (n < 0 || (size_t)n >= size) {
		snprintf(err, errlen, "config folder path too long");
		return ENAMETOOLONG;
	}
	return 0;
}

/* mkdir -p with mode 0700 for the folders we create */
static int mkdirs(const char *dir)
{
	char p[CONFIG_PATH_MAX];
	size_t l = strlen(dir);
	if (l >= sizeof(p))
		return ENAMETOOLONG;
	memcpy(p, dir, l + 1);
	for (size_t i = 1; i <= l; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		char c = p[i];
		p[i] = '\0';
		if (mkdir(p, 0700) && errno != EEXIST)
			return errno;
		p[i] = c;
	}
	struct stat st;
	if (stat(dir, &st))
		return errno;
	return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
}

/* Write @p text to DIR/NAME unless it exists. */
static int write_new(const char *dir, const char *name, const char *text,
		     bool *created, char *err, size_t errlen)
{
	char path[CONFIG_PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return 0;
		int e = errno;
		snprintf(err, errlen, "cannot create %s: %s", path,
			 strerror(e));
		return e;
	}
	size_t len = strlen(text), off = 0;
	int e = 0;
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			break;
		}
		off += (size_t)n;
	}
	if (close(fd) && !e)
		e = errno;
	if (e) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(e));
		unlink(path);
		return e;
	}
	*created = true;
	return 0;
}

int config_init(const char *dir, bool *created, char *err, size_t errlen)
{
	bool dummy = false;
	if (!created)
		created = &dummy;
	*created = false;
	int e = mkdirs(dir);
	if (e) {
		snprintf(err, errlen, "cannot create config folder %s: %s", dir,
			 strerror(e));
		return e;
	}
	e = write_new(dir, "config", config_text, created, err, errlen);
	if (!e)
		e = write_new(dir, "accounts", accounts_text, created, err,
			      errlen);
	return e;
}

struct cfg_load {
	struct config *c;
	const struct conf *conf;
	const char *path;
	char *err;
	size_t errlen;
	int e;
};

static void cfg_fail(struct cfg_load *l, const struct pl *key, const char *fmt,
		     const struct pl *val)
{
	if (l->e)
		return;
	l->e = EBADMSG;
	char why[200];
	snprintf(why, sizeof(why), fmt, PL_ARG(*val));
	snprintf(l->err, l->errlen, "%s:%u: %.*s: %s", l->path,
		 conf_line(l->conf, key), PL_ARG(*key), why);
}

static bool str_val(struct cfg_load *l, const struct pl *key,
		    const struct pl *val, char *buf, size_t size)
{
	if (!val->l || val->l >= size) {
		cfg_fail(l, key,
			 val->l ? "value too long ('%.*s')"
				: "needs a value%.*s",
			 val);
		return false;
	}
	pl_copy(val, buf, size);
	return true;
}

static bool bool_val(const struct pl *val, bool *b)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};
	for (size_t i = 0; i < 4; i++) {
		if (!pl_strcasecmp(val, yes[i]))
			return (*b = true);
		if (!pl_strcasecmp(val, no[i]))
			return !(*b = false);
	}
	return false;
}

static void key_listen(struct cfg_load *l, const struct pl *key,
		       const struct pl *val)
{
	struct phone_opts *o = &l->c->opts;
	if (o->nlisten == CONFIG_LISTEN_MAX) {
		cfg_fail(l, key, "at most 8 listen lines%.*s", &PL(""));
		return;
	}
	if (val->l < 5 ||
	    (strncasecmp(val->p, "udp:", 4) && strncasecmp(val->p, "tcp:", 4) &&
	     strncasecmp(val->p, "tls:", 4))) {
		cfg_fail(l, key,
			 "bad address '%.*s' (use udp:IP:PORT, tcp:IP:PORT "
			 "or tls:IP:PORT)",
			 val);
		return;
	}
	char *b = l->c->listen[o->nlisten], why[160];
	if (!str_val(l, key, val, b, sizeof(l->c->listen[0])))
		return;
	if (phone_listen_check(b, why, sizeof(why))) {
		struct pl w = pl_from_str(why);
		cfg_fail(l, key, "%.*s", &w);
		return;
	}
	o->listen[o->nlisten++] = b;
}

static void key_audio(struct cfg_load *l, const struct pl *key,
		      const struct pl *val)
{
	if (!pl_strcasecmp(val, "portaudio"))
		l->c->opts.audio = AUDEV_PORTAUDIO;
	else if (!pl_strcasecmp(val, "null"))
		l->c->opts.audio = AUDEV_NULL;
	else
		cfg_fail(l, key, "unknown '%.*s' (use portaudio or null)", val);
}

static void key_rtp_ports(struct cfg_load *l, const struct pl *key,
			  const struct pl *val)
{
	const char *dash = pl_chr(val, '-');
	uint32_t lo, hi;
	if (!dash)
		goto bad;
	struct pl a = {val->p, (size_t)(dash - val->p)};
	struct pl b = {dash + 1, (size_t)(val->p + val->l - dash - 1)};
	pl_trim(&a);
	pl_trim(&b);
	if (pl_u32(&a, &lo) || pl_u32(&b, &hi) || lo < 1024 || hi > 65535 ||
	    hi < lo + 1)
		goto bad;
	l->c->opts.rtp_min = (uint16_t)lo;
	l->c->opts.rtp_max = (uint16_t)hi;
	return;
bad:
	cfg_fail(l, key,
		 "bad range '%.*s' (use MIN-MAX within 1024-65535, e.g. "
		 "10000-20000)",
		 val);
}

static void key_auto_answer(struct cfg_load *l, const struct pl *key,
			    const struct pl *val)
{
	uint32_t s;
	bool b;
	/* a number first: "0" is "at once" here, not "no" */
	if (!pl_u32(val, &s) && s <= 3600)
		l->c->opts.auto_answer = (int)s;
	else if (bool_val(val, &b) && !b)
		l->c->opts.auto_answer = -1;
	else
		cfg_fail(l, key,
			 "bad value '%.*s' (use no, or seconds from 0 to "
			 "3600)",
			 val);
}

static void key_sip_trace(struct cfg_load *l, const struct pl *key,
			  const struct pl *val)
{
	if (!bool_val(val, &l->c->opts.sip_trace))
		cfg_fail(l, key, "bad value '%.*s' (use yes or no)", val);
}

static void key_audio_in(struct cfg_load *l, const struct pl *key,
			 const struct pl *val)
{
	if (str_val(l, key, val, l->c->audio_in, sizeof(l->c->audio_in)))
		l->c->opts.audio_in = l->c->audio_in;
}

static void key_audio_out(struct cfg_load *l, const struct pl *key,
			  const struct pl *val)
{
	if (str_val(l, key, val, l->c->audio_out, sizeof(l->c->audio_out)))
		l->c->opts.audio_out = l->c->audio_out;
}

static void key_user_agent(struct cfg_load *l, const struct pl *key,
			   const struct pl *val)
{
	if (str_val(l, key, val, l->c->user_agent, sizeof(l->c->user_agent)))
		l->c->opts.user_agent = l->c->user_agent;
}

static void key_media_addr(struct cfg_load *l, const struct pl *key,
			   const struct pl *val)
{
	if (!str_val(l, key, val, l->c->media_addr, sizeof(l->c->media_addr)))
		return;
	if (!sa_is_ip_literal(l->c->media_addr)) {
		cfg_fail(l, key,
			 "'%.*s' is not an IP address (an IPv4 or IPv6 "
			 "address, no brackets)",
			 val);
		return;
	}
	l->c->opts.media_addr = l->c->media_addr;
}

static void key_cert_dir(struct cfg_load *l, const struct pl *key,
			 const struct pl *val)
{
	if (str_val(l, key, val, l->c->cert_dir, sizeof(l->c->cert_dir)))
		l->c->opts.cert_dir = l->c->cert_dir;
}

static const struct {
	const char *name;
	void (*h)(struct cfg_load *l, const struct pl *key,
		  const struct pl *val);
} cfg_keys[] = {
    {"listen", key_listen},	      {"audio", key_audio},
    {"audio_in", key_audio_in},	      {"audio_out", key_audio_out},
    {"rtp_ports", key_rtp_ports},     {"media_addr", key_media_addr},
    {"auto_answer", key_auto_answer}, {"sip_trace", key_sip_trace},
    {"user_agent", key_user_agent},   {"cert_dir", key_cert_dir},
};

static void apply_h(const struct pl *key, const struct pl *val, void *arg)
{
	struct cfg_load *l = arg;
	for (size_t i = 0; i < sizeof(cfg_keys) / sizeof(cfg_keys[0]); i++) {
		if (!pl_strcmp(key, cfg_keys[i].name)) {
			cfg_keys[i].h(l, key, val);
			return;
		}
	}
	cfg_fail(l, key,
		 "unknown key%.*s (known: listen, audio, audio_in, audio_out, "
		 "rtp_ports, media_addr, auto_answer, sip_trace, user_agent, "
		 "cert_dir)",
		 &PL(""));
}

int config_load(struct config *c, const char *dir, char *err, size_t errlen)
{
	char path[CONFIG_PATH_MAX + 16];
	struct conf_err ce = {0};
	struct conf *conf = NULL;

	memset(c, 0, sizeof(*c));
	phone_opts_default(&c->opts);
	snprintf(c->dir, sizeof(c->dir), "%s", dir);
	snprintf(c->cert_dir, sizeof(c->cert_dir), "%s/tls", dir);
	c->opts.cert_dir = c->cert_dir;
	snprintf(path, sizeof(path), "%s/config", dir);
	int e = conf_load(&conf, path, &ce);
	if (e == ENOENT)
		return 0;
	if (e == EBADMSG) {
		snprintf(err, errlen, "%s:%u: %s", path, ce.line, ce.reason);
		return e;
	}
	if (e) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(e));
		return e;
	}
	struct cfg_load l = {c, conf, path, err, errlen, 0};
	conf_apply(conf, NULL, apply_h, &l);
	obj_deref(conf);
	return l.e;
}
