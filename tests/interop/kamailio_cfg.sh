# kamailio_cfg.sh: write a small registrar config for the interop tests.
# Usage: kam_config DIR UDP_PORT TLS_PORT [HOST]  (TLS_PORT empty: no TLS;
# HOST: the listen address, 127.0.0.1 by default, IPv6 in brackets)
# Digest auth without a database: every user's password is "secret"
# (pv_auth_check against a fixed string), in-memory location table.
kam_config() {
	local dir=$1 port=$2 tlsport=$3 host=${4:-127.0.0.1} tls_listen=""
	local tls_load=""
	if [ -n "$tlsport" ]; then
		cat >"$dir/tls.cfg" <<TLS
[server:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
private_key = $dir/key.pem
certificate = $dir/cert.pem
TLS
		tls_listen="enable_tls=yes
listen=tls:$host:$tlsport"
		tls_load="loadmodule \"tls.so\"
modparam(\"tls\", \"config\", \"$dir/tls.cfg\")"
	fi
	cat >"$dir/kamailio.cfg" <<CFG
#!KAMAILIO
debug=2
log_stderror=yes
children=1
tcp_children=1
auto_aliases=no
listen=udp:$host:$port
listen=tcp:$host:$port
$tls_listen
dns=no
rev_dns=no
use_dns_cache=off
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "auth.so"
loadmodule "ctl.so"
$tls_load
modparam("ctl", "binrpc", "unix:$dir/ctl")
modparam("usrloc", "db_mode", 0)
modparam("registrar", "min_expires", 5)
modparam("registrar", "max_expires", 3600)
modparam("auth", "nonce_expire", 300)

request_route {
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	if (!is_method("REGISTER")) {
		sl_send_reply("405", "Method Not Allowed");
		exit;
	}
	xlog("L_NOTICE", "REGISTER \$fu from \$si:\$sp (\$pr) expires=\$hdr(Expires) contact=\$ct\n");
	if (!pv_auth_check("\$fd", "secret", "0", "1")) {
		auth_challenge("\$fd", "1");
		exit;
	}
	consume_credentials();
	if (!save("location")) {
		sl_reply_error();
	}
	exit;
}
CFG
}
