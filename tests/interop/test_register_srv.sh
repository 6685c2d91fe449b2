#!/bin/bash
# test_register_srv.sh: phonebox finds its registrar and call peers by DNS
# SRV (RFC 3263) from a real DNS server (dnsmasq) in a loopback-only
# namespace whose /etc/resolv.conf names it. Cases: sip:alice@example.test
# registers with Kamailio on the non-5060 port of _sip._udp (Kamailio's
# log and location table show it), also for a domain with SRV records
# and no A record; ;transport=tcp takes _sip._tcp and
# sips: takes _sips._tcp, its certificate (for example.test only, not
# the SRV target's name) verified against the domain; with no transport
# and no _sip._udp, _sip._tcp; two SRV servers, the first (priority 10)
# dead: the REGISTER goes to the second at once (no retry delay); a port
# in the URI skips SRV (whose server is dead); no SRV: the A record on
# port 5060; `phonebox call sip:bob@call.test` reaches the phone that
# _sip._udp.call.test names; a call to a domain whose first SRV server
# (priority 10) is dead goes at once to the second (that phone answers).
set -u
if [ -z "${PB_IN_NETNS:-}" ]; then
	PB_IN_NETNS=1 exec unshare -n -m bash -c \
		'ip link set lo up && exec bash "$0"' "$0"
fi
. "$(dirname "$0")/kamailio_lib.sh"
need dnsmasq

# dns_start ARGS...: dnsmasq on 127.0.0.1:53 with the records ARGS, the
# only name server of this namespace
dns_start() {
	echo "nameserver 127.0.0.1" >"$D/resolv.conf"
	mount --bind "$D/resolv.conf" /etc/resolv.conf ||
		fail "cannot bind-mount /etc/resolv.conf"
	FAIL_LOGS+=("$D/dns.log")
	bg dnsmasq --keep-in-foreground --no-resolv --no-hosts --port 53 \
		--listen-address 127.0.0.1 --bind-interfaces --user=root \
		--pid-file="$D/dns.pid" --log-queries \
		--log-facility="$D/dns.log" "$@"
	wait_for getent hosts example.test >/dev/null ||
		fail "dnsmasq does not answer"
}

# reg NAME AOR ARGS...: phonebox register --once, output in $D/NAME.out
reg() {
	local n=$1 aor=$2 t0=$SECONDS
	shift 2
	FAIL_LOGS+=("$D/$n.out")
	timeout 40 "$PB" register "$aor" --password secret --expires 60 \
		--once "$@" >"$D/$n.out" 2>&1
	RC=$?
	SECS=$((SECONDS - t0))
	cat "$D/$n.out"
}

# registered N AOR: the N'th case registered AOR and unregistered it
registered() {
	[ "$RC" = 0 ] || fail "$1: exit status $RC"
	grep -q "^registered $2 expires=60$" "$D/$1.out" ||
		fail "$1: no registered line"
	grep -q "^unregistered $2" "$D/$1.out" || fail "$1: not unregistered"
}

# kam_saw PROTO AOR: Kamailio logged a REGISTER for AOR (URI parameters
# aside) over PROTO
kam_saw() {
	grep -qE "REGISTER $2(;[^ ]*)? from 127\.0\.0\.1:[0-9]+ \($1\)" \
		"$D/kam.log"
}

# a certificate for the domain example.test alone (not kam.example.test)
make_certs
(cd "$D" && printf "subjectAltName=DNS:example.test\n" >ext.cnf &&
	openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key \
		-CAcreateserial -days 2 -out cert.pem -extfile ext.cnf) \
	>"$D/openssl.log" 2>&1 || fail "openssl: $(cat "$D/openssl.log")"

PORT=$(free_port)
TLSPORT=$(free_port tcp)
DEAD=$(free_port) # nothing listens here
[ "$PORT" != 5060 ] || PORT=$(free_port)
kam_config "$D" "$PORT" "$TLSPORT"
kam_start

# the phone that _sip._udp.call.test names
pb_listen callee udp --auto-answer 0
CALLPORT=$PBPORT

K=kam.example.test
dns_start \
	--host-record=example.test,127.0.0.1 --host-record=$K,127.0.0.1 \
	--host-record=dead.example.test,127.0.0.1 \
	--host-record=fo.test,127.0.0.1 --host-record=skip.test,127.0.0.1 \
	--host-record=plain.test,127.0.0.1 --host-record=tcponly.test,127.0.0.1 \
	--host-record=call.test,127.0.0.1 \
	--host-record=phone.call.test,127.0.0.1 \
	--srv-host=_sip._udp.example.test,$K,"$PORT",10,10 \
	--srv-host=_sip._tcp.example.test,$K,"$PORT",10,10 \
	--srv-host=_sips._tcp.example.test,$K,"$TLSPORT",10,10 \
	--srv-host=_sip._tcp.tcponly.test,$K,"$PORT",10,10 \
	--srv-host=_sip._udp.srvonly.test,$K,"$PORT",10,10 \
	--srv-host=_sip._udp.fo.test,dead.example.test,"$DEAD",10,10 \
	--srv-host=_sip._udp.fo.test,$K,"$PORT",20,10 \
	--srv-host=_sip._udp.skip.test,dead.example.test,"$DEAD",10,10 \
	--srv-host=_sip._udp.call.test,phone.call.test,"$CALLPORT",10,10 \
	--srv-host=_sip._udp.callfo.test,dead.example.test,"$DEAD",10,10 \
	--srv-host=_sip._udp.callfo.test,phone.call.test,"$CALLPORT",20,10

# 1. SRV _sip._udp on a port that is not 5060
bg "$PB" register sip:alice@example.test --password secret --expires 60 \
	--hold 30 >"$D/udp.out" 2>&1
REGPID=$BG_PID
FAIL_LOGS+=("$D/udp.out")
wait_for grep -q "^registered sip:alice@example.test expires=60" \
	"$D/udp.out" || fail "UDP by SRV: not registered"
kam_saw udp sip:alice@example.test || fail "Kamailio saw no REGISTER (udp)"
kam_has "alice@127.0.0.1" || fail "binding not in Kamailio's location table"
grep -q "query\[SRV\] _sip._udp.example.test" "$D/dns.log" ||
	fail "no SRV query for _sip._udp.example.test"
kill -TERM "$REGPID"
wait "$REGPID" || fail "register (UDP by SRV) exit status"
echo "ok 1 - sip:alice@example.test registered by _sip._udp (port $PORT)"

# 1b. a domain with SRV records and no address of its own
reg srvonly sip:alice@srvonly.test
registered srvonly sip:alice@srvonly.test
kam_saw udp sip:alice@srvonly.test || fail "srvonly.test: no REGISTER"
echo "ok 1b - a domain with SRV records only"

# 2. ;transport=tcp -> _sip._tcp
reg tcp "sip:alice@example.test;transport=tcp"
registered tcp "sip:alice@example.test;transport=tcp"
kam_saw tcp sip:alice@example.test || fail "Kamailio saw no REGISTER (tcp)"
grep -q "query\[SRV\] _sip._tcp.example.test" "$D/dns.log" ||
	fail "no SRV query for _sip._tcp.example.test"
echo "ok 2 - ;transport=tcp registered by _sip._tcp"

# 3. sips: -> _sips._tcp, certificate checked against example.test
reg tls sips:alice@example.test --ca "$D/ca.pem"
registered tls sips:alice@example.test
kam_saw tls sips:alice@example.test || fail "Kamailio saw no REGISTER (tls)"
reg tlsnoca sips:alice@example.test
[ "$RC" = 1 ] || fail "TLS without the CA: exit status $RC (want 1)"
echo "ok 3 - sips: registered by _sips._tcp, verified for example.test"

# 4. no transport, no _sip._udp: _sip._tcp
reg tcponly sip:alice@tcponly.test
registered tcponly sip:alice@tcponly.test
kam_saw tcp sip:alice@tcponly.test || fail "tcponly.test not over TCP"
echo "ok 4 - only _sip._tcp: registered over TCP"

# 5. the first SRV server is dead: at once to the second
reg fo sip:alice@fo.test
registered fo sip:alice@fo.test
grep -q "^retrying" "$D/fo.out" && fail "fail-over waited for a retry"
[ "$SECS" -lt 10 ] || fail "fail-over took $SECS s"
kam_saw udp sip:alice@fo.test || fail "Kamailio saw no REGISTER for fo.test"
echo "ok 5 - dead first SRV server: registered with the second"

# 6. a port in the URI: no SRV lookup (its server is dead)
reg skip "sip:alice@skip.test:$PORT"
registered skip "sip:alice@skip.test:$PORT"
grep -q "query\[SRV\] _sip._udp.skip.test" "$D/dns.log" &&
	fail "SRV looked up although the URI has a port"
echo "ok 6 - explicit port: SRV skipped"

# 7. `phonebox call` routes by SRV
pb_call call sip:bob@call.test --hangup-after 1
[ "$PBRC" = 0 ] || fail "call by SRV: exit status $PBRC"
pb_event callee "$(ev incoming)" || fail "the SRV target saw no call"
grep -q "query\[SRV\] _sip._udp.call.test" "$D/dns.log" ||
	fail "no SRV query for _sip._udp.call.test"
echo "ok 7 - phonebox call sip:bob@call.test reached the SRV target"

# 7b. the call domain's first SRV server is dead (ICMP port unreachable):
# the INVITE goes at once to the second, which answers
NIN=$(grep -cE "$(ev incoming)" "$D/callee.ev")
pb_call callfo sip:bob@callfo.test --hangup-after 1
[ "$PBRC" = 0 ] || fail "call with a dead first SRV server: exit $PBRC"
grep -q "^call [0-9]*: answered" "$D/callfo.pb" ||
	fail "callfo: not answered"
[ "$(grep -cE "$(ev incoming)" "$D/callee.ev")" -gt "$NIN" ] ||
	fail "the second SRV server saw no call"
grep -q "^-> 127\.0\.0\.1:$DEAD udp" "$D/callfo.pb" ||
	fail "no INVITE to the dead first server (port $DEAD)"
[ "$SECS" -lt 10 ] || fail "call fail-over took $SECS s"
echo "ok 7b - dead first SRV server: the call went to the second ($SECS s)"

# 8. no SRV records: the A record, port 5060
kam_stop
kam_config "$D" 5060 ""
kam_start
reg plain sip:alice@plain.test
registered plain sip:alice@plain.test
kam_saw udp sip:alice@plain.test || fail "plain.test: no REGISTER on 5060"
grep -q "query\[SRV\] _sip._udp.plain.test" "$D/dns.log" ||
	fail "no SRV query for plain.test"
echo "ok 8 - no SRV: A record on port 5060"

echo "PASS"
