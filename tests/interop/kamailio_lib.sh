# kamailio_lib.sh: Debian's Kamailio for the interop tests, as a registrar
# (kam_config) or a registrar + proxy (kam_proxy_config). Sources
# call_lib.sh; skips the test when kamailio or kamcmd is absent.
# Digest auth without a database: every user's password is "secret"
# (pv_auth_check against a fixed string); in-memory location table.
# kam_start runs (or restarts) it on $D/kamailio.cfg, log $D/kam.log, pid
# KPID; kam_stop ends it; kam_has REGEX: a line of its ul.dump matches.
. "$(dirname "${BASH_SOURCE[0]}")/call_lib.sh"
need kamailio kamcmd

# kam_head DIR CHILDREN LISTEN-LINES MODULE-LINES: the part of the config
# both kinds share (globals, the common modules, their parameters)
kam_head() {
	cat <<CFG
#!KAMAILIO
debug=2
log_stderror=yes
children=$2
auto_aliases=no
$3
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
$4
modparam("ctl", "binrpc", "unix:$1/ctl")
modparam("usrloc", "db_mode", 0)
modparam("registrar", "min_expires", 5)
modparam("registrar", "max_expires", 3600)
modparam("auth", "nonce_expire", 300)
CFG
}

# the routes both kinds share: a Max-Forwards check, and REGISTER
# challenged with 401 and then saved in the location table
kam_routes() {
	cat <<'CFG'
route[MAXFWD] {
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
}

route[REGISTRAR] {
	if (!pv_auth_check("$fd", "secret", "0", "1")) {
		auth_challenge("$fd", "1");
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

# kam_check DIR: kamailio -c on DIR/kamailio.cfg
kam_check() {
	kamailio -c -f "$1/kamailio.cfg" >"$1/check.log" 2>&1 || {
		cat "$1/check.log"; fail "kamailio config check"; }
}

# kam_config DIR UDP_PORT TLS_PORT [HOST]: a registrar only (other
# requests get 405) on UDP and TCP UDP_PORT of HOST (127.0.0.1; IPv6 in
# brackets) and, unless TLS_PORT is empty, on TLS (DIR/key.pem,
# DIR/cert.pem); it logs every REGISTER with its transport and Contact
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
	{
		kam_head "$dir" 1 "tcp_children=1
listen=udp:$host:$port
listen=tcp:$host:$port
$tls_listen" "$tls_load"
		cat <<'CFG'

request_route {
	route(MAXFWD);
	if (!is_method("REGISTER")) {
		sl_send_reply("405", "Method Not Allowed");
		exit;
	}
	xlog("L_NOTICE", "REGISTER $fu from $si:$sp ($pr) expires=$hdr(Expires) contact=$ct\n");
	route(REGISTRAR);
}

CFG
		kam_routes
	} >"$dir/kamailio.cfg"
	kam_check "$dir"
}

# kam_proxy_config DIR UDP_PORT: registrar + proxy on UDP only. INVITEs are
# challenged with 407; registered users are found with lookup("location");
# calls are record-routed so that ACK and BYE pass the proxy too.
kam_proxy_config() {
	local dir=$1 port=$2
	{
		kam_head "$dir" 2 "alias=\"127.0.0.1:$port\"
listen=udp:127.0.0.1:$port" 'loadmodule "tmx.so"
loadmodule "rr.so"'
		cat <<'CFG'
modparam("tm", "fr_timer", 5000)
modparam("tm", "fr_inv_timer", 30000)

request_route {
	route(MAXFWD);
	xlog("L_NOTICE", "$rm $ru from $si:$sp\n");
	if (is_method("OPTIONS") && uri==myself && $rU==$null) {
		sl_send_reply("200", "OK");
		exit;
	}
	if (has_totag()) {
		if (loose_route()) {
			route(RELAY);
		}
		if (is_method("ACK")) {
			if (t_check_trans()) {
				route(RELAY);
			}
			exit;
		}
		sl_send_reply("404", "Not here");
		exit;
	}
	if (is_method("CANCEL")) {
		if (t_check_trans()) {
			route(RELAY);
		}
		exit;
	}
	t_check_trans();
	if (is_method("REGISTER")) {
		route(REGISTRAR);
	}
	if (is_method("INVITE")) {
		if (!pv_auth_check("$fd", "secret", "0", "0")) {
			auth_challenge("$fd", "1");
			exit;
		}
		consume_credentials();
		record_route();
	}
	if (!lookup("location")) {
		sl_send_reply("404", "Not Found");
		exit;
	}
	route(RELAY);
}

route[RELAY] {
	if (!t_relay()) {
		sl_reply_error();
	}
	exit;
}

CFG
		kam_routes
	} >"$dir/kamailio.cfg"
	kam_check "$dir"
}

# kam_start: run kamailio (again) in the background until kamcmd answers
kam_start() {
	[[ " ${FAIL_LOGS[*]} " == *" $D/kam.log "* ]] || FAIL_LOGS+=("$D/kam.log")
	bg kamailio -DD -E -f "$D/kamailio.cfg" -Y "$D" -P "$D/kam.pid" \
		-w "$D" -m 64 -M 8 >>"$D/kam.log" 2>&1 </dev/null
	KPID=$BG_PID
	wait_for kamcmd -s "unix:$D/ctl" core.uptime >/dev/null 2>&1 ||
		fail "kamailio did not start"
}

# kam_stop: end the kamailio kam_start ran
kam_stop() {
	kill "$KPID" 2>/dev/null
	wait "$KPID" 2>/dev/null
}

kam_has() {
	kamcmd -s "unix:$D/ctl" ul.dump 2>/dev/null | grep -q "$1"
}
