#!/bin/bash
# test_kamailio_register.sh: phonebox registers with Debian's Kamailio (digest
# auth over UDP), a wrong password fails clearly, and a Kamailio restart on the
# same port is survived by the next refresh. Runs in a loopback-only netns.
set -u
. "$(dirname "$0")/kamailio_lib.sh"
bound() { kam_has "alice@127.0.0.1"; }
count() { grep -c "^$1" "$D/pb.out" 2>/dev/null || true; }

PORT=$(free_port)
TLSPORT=$(free_port tcp)
make_certs
kam_config "$D" "$PORT" "$TLSPORT"
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
bg "$PB" register "$AOR" --password secret --expires 10 --hold 40 \
	>"$D/pb.out" 2>&1
PPID_REG=$BG_PID
wait_for grep -q "^registered" "$D/pb.out" || fail "no first registration"
wait_for bound || fail "binding not in ul.dump"
kam_stop
before=$(count registered)
kam_start
bound && fail "new Kamailio already has the binding"
wait_for bash -c "[ \$(grep -c '^registered' '$D/pb.out' 2>/dev/null) -gt $before ]" ||
	fail "no registration after restart: $(cat "$D/pb.out")"
wait_for bound || fail "binding not in the restarted Kamailio"
kill -TERM "$PPID_REG"
wait "$PPID_REG"; rc=$?
cat "$D/pb.out"
[ $rc = 0 ] || fail "phonebox exit status $rc"
grep -q "^unregistered" "$D/pb.out" || fail "no unregister on exit"
bound && fail "binding left after exit"

# 4. over TCP a lost connection (Kamailio gone) leads to a new registration
#    after the backoff, without waiting for the refresh (expires 300)
bg "$PB" register "$AOR;transport=tcp" --password secret --expires 300 \
	--hold 40 >"$D/pb.out" 2>&1
PPID_REG=$BG_PID
wait_for grep -q "^registered" "$D/pb.out" || fail "no TCP registration"
wait_for bound || fail "TCP binding not in ul.dump"
kam_stop
wait_for grep -q "^retrying in" "$D/pb.out" || fail "connection loss unnoticed"
kam_start
wait_for bash -c "[ \$(grep -c '^registered' '$D/pb.out' 2>/dev/null) -ge 2 ]" ||
	fail "no registration after connection loss: $(cat "$D/pb.out")"
wait_for bound || fail "binding not in the restarted Kamailio (TCP)"
kill -TERM "$PPID_REG"
wait "$PPID_REG"; rc=$?
grep -v " info " "$D/pb.out"
[ $rc = 0 ] || fail "phonebox exit status $rc (TCP)"
echo "PASS"
