#!/bin/bash
# test_call_unreachable.sh: `phonebox call` fails fast, with exit status 5
# and the reason, when the far end cannot be reached: a TCP connection
# refused, a TLS server whose certificate is not trusted. A transport error
# ends the INVITE transaction at once (RFC 3261 8.1.3.1: as a 503), not
# after the 32 s INVITE timeout.
set -u
. "$(dirname "$0")/call_lib.sh"

# nobody listens on this TCP port: the connection is refused at once
port=$(free_port)
pb_call refused "sip:bob@127.0.0.1:$port;transport=tcp"
[ "$PBRC" = 5 ] || fail "TCP refused: exit $PBRC after $SECS s, want 5"
[ "$SECS" -le 5 ] || fail "TCP refused: took $SECS s"
echo "ok 1 - TCP connection refused: exit 5 in $SECS s"

# a TLS server with a self-signed certificate phonebox does not trust
make_certs
port=$(free_port)
bg openssl s_server -accept "127.0.0.1:$port" -cert "$D/cert.pem" \
	-key "$D/key.pem" -quiet </dev/null >"$D/s_server.log" 2>&1
wait_for tcp_bound "$port" || fail "openssl s_server did not start"
pb_call untrusted "sip:bob@127.0.0.1:$port;transport=tls"
[ "$PBRC" = 5 ] || fail "untrusted TLS: exit $PBRC after $SECS s, want 5"
[ "$SECS" -le 5 ] || fail "untrusted TLS: took $SECS s"
grep -qi "certificate" "$D/untrusted.pb" ||
	fail "untrusted TLS: the reason does not name the certificate"
echo "ok 2 - untrusted TLS certificate: exit 5 in $SECS s"
echo "PASS"
