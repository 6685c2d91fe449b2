#!/bin/bash
# test_kamailio_register.sh: phonebox registers with Debian's Kamailio (digest
# auth over UDP), a wrong password fails clearly, and a Kamailio restart on the
# same port is survived by the next refresh. Runs in a loopback-only netns.
set -u
command -v kamailio >/dev/null && command -v kamcmd >/dev/null || {
	echo "kamailio not installed"; exit 77; }
if [ -z "${PB_IN_NETNS:-}" ]; then
	PB_IN_NETNS=1 exec unshare -n bash -c 'ip link set lo up && exec bash "$0"' "$0"
fi
here=$(cd "$(dirname "$0")" && pwd)
. "$here/kamailio_cfg.sh"
PB=${PB_BIN:?PB_BIN not set}
D=$(mktemp -d /tmp/pbkam.XXXXXX)
KPID=""; PPID_REG=""
cleanup() {
	[ -n "$PPID_REG" ] && kill "$PPID_REG" 2>/dev/null
	[ -n "$KPID" ] && kill "$KPID" 2>/dev/null && wait "$KPID" 2>/dev/null
	rm -rf "$D"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- kamailio log"; tail -20 "$D/kam.log"; exit 1; }

free_port() {
	python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}
# wait_for CMD...: retry a check every 0.1 s for at most 15 s
wait_for() {
	local i
	for i in $(seq 150); do "$@" && return 0; sleep 0.1; done
	return 1
}
kam_start() {
	kamailio -DD -E -f "$D/kamailio.cfg" -Y "$D" -P "$D/kam.pid" -w "$D" \
		-m 64 -M 8 >>"$D/kam.log" 2>&1 </dev/null &
	KPID=$!
	wait_for kamcmd -s "unix:$D/ctl" core.uptime >/dev/null 2>&1 ||
		fail "kamailio did not start"
}
bound() { kamcmd -s "unix:$D/ctl" ul.dump 2>/dev/null | grep -q "alice@127.0.0.1"; }
count() { grep -c "^$1" "$D/pb.out" 2>/dev/null || true; }

tcp_free_port() {
	python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}
# a test CA and a server certificate for 127.0.0.1 signed by it
make_certs() {
	(cd "$D" &&
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=pb test CA" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=keyCertSign" -keyout ca.key -out ca.pem &&
	openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
		-keyout key.pem -out srv.csr &&
	printf "subjectAltName=IP:127.0.0.1\n" >ext.cnf &&
	openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key \
		-CAcreateserial -days 2 -out cert.pem -extfile ext.cnf
	) >"$D/openssl.log" 2>&1 || fail "openssl: $(cat "$D/openssl.log")"
}

PORT=$(free_port)
TLSPORT=$(tcp_free_port)
make_certs
kam_config "$D" "$PORT" "$TLSPORT"
kamailio -c -f "$D/kamailio.cfg" >"$D/check.log" 2>&1 || {
	cat "$D/check.log"; fail "config check"; }
kam_start
AOR="sip:alice@127.0.0.1:$PORT"

# 1. register (401 challenge, then 200), unregister on exit
out=$("$PB" register "$AOR" --password secret --expires 60 --once) ||
	fail "register --once: $out"
echo "$out"
echo "$out" | grep -q "^registered $AOR expires=60$" || fail "no registered line"
echo "$out" | grep -q "^unregistered $AOR" || fail "no unregistered line"
bound && fail "binding still there after unregister"

# 2. wrong password: clear failure, exit status 1
out=$("$PB" register "$AOR" --password wrong --once); rc=$?
echo "$out"
[ $rc = 1 ] || fail "wrong password exit status $rc"
echo "$out" | grep -q "^failed 401 wrong password" || fail "wrong password line"

# 2b. TCP, and TLS verified against the test CA
out=$("$PB" register "$AOR;transport=tcp" --password secret --once) ||
	fail "register over TCP: $out"
echo "$out"
echo "$out" | grep -q "^registered $AOR;transport=tcp expires=" || fail "TCP"
TAOR="sips:alice@127.0.0.1:$TLSPORT"
out=$("$PB" register "$TAOR" --password secret --ca "$D/ca.pem" --once) ||
	fail "register over TLS: $out"
echo "$out"
echo "$out" | grep -q "^registered $TAOR expires=" || fail "TLS"
grep -q "REGISTER sips:alice@127.0.0.1:$TLSPORT from .* (tls)" "$D/kam.log" ||
	fail "Kamailio saw no REGISTER over TLS"
# without the CA the server certificate is refused
out=$("$PB" register "$TAOR" --password secret --once 2>/dev/null); rc=$?
echo "$out"
[ $rc = 1 ] || fail "TLS without CA: exit status $rc"

# 3. stays registered across a Kamailio restart on the same port
"$PB" register "$AOR" --password secret --expires 10 --hold 40 >"$D/pb.out" 2>&1 &
PPID_REG=$!
wait_for grep -q "^registered" "$D/pb.out" || fail "no first registration"
wait_for bound || fail "binding not in ul.dump"
kill "$KPID"; wait "$KPID" 2>/dev/null; KPID=""
before=$(count registered)
kam_start
bound && fail "new Kamailio already has the binding"
wait_for bash -c "[ \$(grep -c '^registered' '$D/pb.out' 2>/dev/null) -gt $before ]" ||
	fail "no registration after restart: $(cat "$D/pb.out")"
wait_for bound || fail "binding not in the restarted Kamailio"
kill -TERM "$PPID_REG"
wait "$PPID_REG"; rc=$?; PPID_REG=""
cat "$D/pb.out"
[ $rc = 0 ] || fail "phonebox exit status $rc"
grep -q "^unregistered" "$D/pb.out" || fail "no unregister on exit"
bound && fail "binding left after exit"

# 4. over TCP a lost connection (Kamailio gone) leads to a new registration
#    after the backoff, without waiting for the refresh (expires 300)
"$PB" register "$AOR;transport=tcp" --password secret --expires 300 \
	--hold 40 >"$D/pb.out" 2>&1 &
PPID_REG=$!
wait_for grep -q "^registered" "$D/pb.out" || fail "no TCP registration"
wait_for bound || fail "TCP binding not in ul.dump"
kill "$KPID"; wait "$KPID" 2>/dev/null; KPID=""
wait_for grep -q "^retrying in" "$D/pb.out" || fail "connection loss unnoticed"
kam_start
wait_for bash -c "[ \$(grep -c '^registered' '$D/pb.out' 2>/dev/null) -ge 2 ]" ||
	fail "no registration after connection loss: $(cat "$D/pb.out")"
wait_for bound || fail "binding not in the restarted Kamailio (TCP)"
kill -TERM "$PPID_REG"
wait "$PPID_REG"; rc=$?; PPID_REG=""
grep -v " info " "$D/pb.out"
[ $rc = 0 ] || fail "phonebox exit status $rc (TCP)"
echo "PASS"
