# kamailio_proxy_cfg.sh: a small Kamailio registrar + proxy for call tests.
# Usage: kam_proxy_config DIR UDP_PORT
# Every user's password is "secret": REGISTER is challenged with 401,
# INVITE with 407 (pv_auth_check against a fixed string,
# no database). Registered users are found with lookup("location"); calls
# are record-routed so that ACK and BYE pass the proxy too. UDP only.
kam_proxy_config() {
	local dir=$1 port=$2
	cat >"$dir/kamailio.cfg" <<CFG
#!KAMAILIO
debug=2
log_stderror=yes
children=2
auto_aliases=no
alias="127.0.0.1:$port"
listen=udp:127.0.0.1:$port
dns=no
rev_dns=no
use_dns_cache=off
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "tmx.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "auth.so"
loadmodule "ctl.so"
modparam("ctl", "binrpc", "unix:$dir/ctl")
modparam("usrloc", "db_mode", 0)
modparam("registrar", "min_expires", 5)
modparam("registrar", "max_expires", 3600)
modparam("auth", "nonce_expire", 300)
modparam("tm", "fr_timer", 5000)
modparam("tm", "fr_inv_timer", 30000)

request_route {
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	xlog("L_NOTICE", "\$rm \$ru from \$si:\$sp\n");
	if (is_method("OPTIONS") && uri==myself && \$rU==\$null) {
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
	if (is_method("INVITE")) {
		if (!pv_auth_check("\$fd", "secret", "0", "0")) {
			auth_challenge("\$fd", "1");
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
}
