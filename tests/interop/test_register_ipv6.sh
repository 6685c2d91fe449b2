#!/bin/bash
# test_register_ipv6.sh: registration over IPv6 with Debian's Kamailio
# listening on [::1] only (UDP and TCP, digest auth), in a loopback-only
# network namespace whose /etc/hosts also names ::1 "pbx6.test" (a private
# mount namespace). Cases: `phonebox register` to sip:alice@[::1]:PORT over
# UDP and TCP, and to a name that resolves to ::1 only; the phone (script
# mode) with an account whose registrar is [::1] (IPv6 listener), and with
# one named pbx6.test on the default dual-stack listeners: each REGISTER
# reaches Kamailio from ::1 with a Contact of [::1]:port; an IPv6
# registrar on an IPv4-only phone is refused with a clear message.
set -u
if [ -z "${PB_IN_NETNS:-}" ]; then
	PB_IN_NETNS=1 exec unshare -n -m bash -c \
		'ip link set lo up && exec bash "$0"' "$0"
fi
. "$(dirname "$0")/kamailio_lib.sh"
ip -6 addr show dev lo 2>/dev/null | grep -q "inet6 ::1/128" || {
	echo "no IPv6 loopback (::1) in this kernel"
	exit 77
}
# a name with an IPv6 address only, visible to this namespace alone
{ cat /etc/hosts; echo "::1 pbx6.test"; } >"$D/hosts"
mount --bind "$D/hosts" /etc/hosts || fail "cannot bind-mount /etc/hosts"
getent ahostsv4 pbx6.test >/dev/null && fail "pbx6.test has an IPv4 address"

PORT=$(python3 -c 'import socket;s=socket.socket(socket.AF_INET6,socket.SOCK_DGRAM);s.bind(("::1",0));print(s.getsockname()[1])')
kam_config "$D" "$PORT" "" "[::1]"
kam_start

# registered AOR PROTO PORT: Kamailio logged a REGISTER for AOR over
# PROTO from ::1 whose Contact is [::1]:PORT
registered() {
	grep -F "REGISTER $1 from ::1:" "$D/kam.log" | grep -F "($2)" |
		grep -qF "contact=<sip:alice@[::1]:$3"
}

# udp6_port NAME: the port of NAME's IPv6 UDP listener (ready event)
udp6_port() {
	grep -m1 -E "$(ev ready)" "$D/$1.ev" |
		sed -nE 's/.*"udp6": *"\[::1\]:([0-9]+)".*/\1/p'
}

# 1. phonebox register: UDP and TCP to [::1], UDP to a name (AAAA only)
for uri in "sip:alice@[::1]:$PORT" "sip:alice@[::1]:$PORT;transport=tcp" \
	"sip:alice@pbx6.test:$PORT"; do
	out=$("$PB" register "$uri" --password secret --expires 60 --once \
		2>"$D/reg.err") || fail "register $uri: $out $(cat "$D/reg.err")"
	echo "$out"
	echo "$out" | grep -qF "registered $uri expires=60" ||
		fail "register $uri: no registered line"
	echo "$out" | grep -qF "unregistered $uri" ||
		fail "register $uri: no unregistered line"
	case "$uri" in *tcp) p=tcp ;; *) p=udp ;; esac
	registered "$uri" "$p" "" ||
		fail "register $uri: Kamailio saw no REGISTER from [::1]"
done
out=$("$PB" register "sip:alice@[::1]:$PORT" --password wrong --once)
rc=$?
[ $rc = 1 ] || fail "wrong password over IPv6: exit $rc"
echo "$out" | grep -q "^failed 401 wrong password" || fail "wrong password"

# phone_registers NAME HOST ARGS...: phonebox NAME (script mode, ARGS)
# with account Alice at sip:alice@HOST:PORT registers, with a Contact of
# its IPv6 UDP listener, and unregisters when it ends
phone_registers() {
	local n=$1 host=$2 p6
	shift 2
	mkdir -p "$D/$n.cfg"
	echo "Alice <sip:alice@$host:$PORT>;auth_pass=secret;regint=60" \
		>"$D/$n.cfg/accounts"
	pb_script "$n" "$@"
	pb_event "$n" "$(ev registered).*\"account\": *\"Alice\"" ||
		fail "$n: no registered event for the account at $host"
	p6=$(udp6_port "$n")
	[ -n "$p6" ] || fail "$n: no udp6 listener in the ready event"
	registered "sip:alice@$host:$PORT" udp "$p6>" ||
		fail "$n: REGISTER not from [::1] with Contact [::1]:$p6"
	pb_quit "$n" || fail "$n: exit status $?"
	pb_event "$n" "$(ev unregistered)" 1 || fail "$n: no unregistered event"
}

# 2. the phone: an account at [::1] on an IPv6 listener
phone_registers p6 "[::1]" --listen 'udp:[::1]:0'
# 3. an account named pbx6.test on the default (dual-stack) listeners:
#    the Contact follows the family the name resolved to
phone_registers pd pbx6.test

# 4. an IPv6 registrar on an IPv4-only phone: a clear refusal
mkdir -p "$D/p4.cfg"
echo "Alice <sip:alice@[::1]:$PORT>;auth_pass=secret" >"$D/p4.cfg/accounts"
out=$(timeout 10 "$PB" call sip:bob@127.0.0.1:9 --account Alice \
	--config "$D/p4.cfg" --listen udp:127.0.0.1:0 --audio null 2>&1)
rc=$?
echo "$out"
[ $rc = 1 ] || fail "IPv6 registrar on an IPv4-only phone: exit $rc"
echo "$out" | grep -q "registrar .* is an IPv6 address" ||
	fail "IPv6 registrar on an IPv4-only phone: no clear message"
echo "PASS"
