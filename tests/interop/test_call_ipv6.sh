#!/bin/bash
# test_call_ipv6.sh: phonebox calls phonebox over IPv6 loopback (::1) in a
# loopback-only namespace. Cases: an SRTP call over UDP [::1] with a tone
# each way (1000 Hz caller -> callee, 1500 Hz back) found in both
# recordings, Via/Contact with [::1]:port and c=IN IP6 ::1 in offer and
# answer; the same over TCP [::1]; over TLS with the callee's config file
# saying "listen tls:[::]:0" and "auto_answer 0", its certificate for IP
# ::1 verified against a test CA (refused without it); two phones with the
# default listeners
# (0.0.0.0 and [::], no --listen) call each other over IPv6 and over IPv4,
# each call's SDP in its own family, and by a name with only an IPv6
# address (pbx6.test in this namespace's /etc/hosts): its media follows
# the family the name resolved to; INVITEs whose c= line is "IN IP6
# garbage", "IN IP6 192.0.2.1" or "IN IP4 garbage" get 488 with a Warning,
# and the phone goes on answering.
set -u
if [ -z "${PB_IN_NETNS:-}" ]; then
	PB_IN_NETNS=1 exec unshare -n -m bash -c \
		'ip link set lo up && exec bash "$0"' "$0"
fi
. "$(dirname "$0")/call_lib.sh"
need_tools
ip -6 addr show dev lo 2>/dev/null | grep -q "inet6 ::1/128" || {
	echo "no IPv6 loopback (::1) in this kernel"
	exit 77
}
# a name with an IPv6 address only, visible to this namespace alone
{ cat /etc/hosts; echo "::1 pbx6.test"; } >"$D/hosts"
mount --bind "$D/hosts" /etc/hosts || fail "cannot bind-mount /etc/hosts"

# pb_addr NAME MEMBER: the "ip:port" of MEMBER (udp, udp6, tcp6, ...) in
# NAME's ready event
pb_addr() {
	pb_event "$1" "$(ev ready)" || return 1
	grep -m1 -E "$(ev ready)" "$D/$1.ev" |
		sed -nE "s/.*\"$2\": *\"([^\"]+)\".*/\1/p"
}
port_of() { echo "${1##*:}"; }

# caller NAME URI ARGS...: phonebox call with --json --sip-trace
caller() {
	local n=$1
	shift
	FAIL_LOGS+=("$D/$n.out" "$D/$n.err")
	timeout 40 "$PB" call "$@" --config "$D/$n.cfg" --audio null --json \
		--sip-trace >"$D/$n.out" 2>"$D/$n.err"
}

# check_sdp FILE FAMILY: the offer and the answer in FILE's trace carry
# c=IN FAMILY (one sent, one received)
check_sdp() {
	python3 - "$@" <<'PY' || fail "$1: SDP not in IN $2 both ways"
import json, sys
path, fam = sys.argv[1], sys.argv[2]
seen = {"in": [], "out": []}
for line in open(path):
    o = json.loads(line)
    if o.get("event") != "trace" or "c=IN " not in o.get("text", ""):
        continue
    for l in o["text"].splitlines():
        if l.startswith("c=IN "):
            seen[o["dir"]].append(l.split()[1])
assert seen["in"] and seen["out"], seen
assert all(f == fam for f in seen["in"] + seen["out"]), seen
PY
}

tone a.wav 1000
tone b.wav 1500

# 1. UDP over [::1], SRTP, tones both ways
pb_script b --listen 'udp:[::1]:0' --auto-answer 0 --play "$D/b.wav" \
	--record "$D/b-rec.wav" --sip-trace
B=$(pb_addr b udp)
case "$B" in "[::1]:"[0-9]*) ;; *) fail "callee ready udp '$B'" ;; esac
[ "$(pb_addr b udp6)" = "$B" ] || fail "callee udp6 is not its IPv6 listener"
caller a1 "sip:bob@[::1]:$(port_of "$B")" --listen 'udp:[::1]:0' \
	--play "$D/a.wav" --record "$D/a-rec.wav" --hangup-after 3
rc=$?
[ $rc = 0 ] || fail "IPv6 call: exit $rc (want 0)"
grep -qE "$(ev answered).*\"srtp\": *\"AES_CM_128_HMAC_SHA1_80\"" \
	"$D/a1.out" || fail "IPv6 call not answered with SRTP"
check_sdp "$D/a1.out" IP6
grep -q 'Via: SIP/2.0/UDP \[::1\]:[0-9]*;branch=' "$D/a1.out" ||
	fail "no bracketed IPv6 Via in the INVITE"
grep -q 'Contact: <sip:phonebox@\[::1\]:[0-9]*>' "$D/a1.out" ||
	fail "no bracketed IPv6 Contact in the INVITE"
grep -q 'c=IN IP6 ::1' "$D/a1.out" || fail "no c=IN IP6 ::1"
pb_event b "$(ev ended).*\"cause\": *\"remote\"" 10 ||
	fail "callee: the IPv6 call did not end"
grep -q '"from":"sip:phonebox@\[::1\]' "$D/b.ev" ||
	fail "callee: caller's From is not its IPv6 address"
check_sdp "$D/b.ev" IP6
heard "$D/b-rec.wav" 1000
heard "$D/a-rec.wav" 1500
pb_quit b || fail "callee exit status $?"

# 2. TCP over [::1]
pb_script t --listen 'tcp:[::1]:0' --auto-answer 0 --play "$D/b.wav"
T=$(pb_addr t tcp)
case "$T" in "[::1]:"[0-9]*) ;; *) fail "TCP callee ready tcp '$T'" ;; esac
caller a2 "sip:bob@[::1]:$(port_of "$T");transport=tcp" \
	--listen 'tcp:[::1]:0' --record "$D/a2-rec.wav" --hangup-after 2
rc=$?
[ $rc = 0 ] || fail "IPv6 TCP call: exit $rc (want 0)"
grep -q 'Via: SIP/2.0/TCP \[::1\]:' "$D/a2.out" || fail "no IPv6 TCP Via"
grep -q 'Contact: <sip:phonebox@\[::1\]:[0-9]*;transport=tcp>' \
	"$D/a2.out" || fail "no IPv6 TCP Contact"
check_sdp "$D/a2.out" IP6
heard "$D/a2-rec.wav" 1500 1.0
pb_quit t || fail "TCP callee exit status $?"

# 2b. TLS from a config file on [::]; a certificate for IP ::1 from a
#     test CA that the caller's account trusts
(cd "$D" &&
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-days 2 -subj "/CN=pb test CA" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=keyCertSign" -keyout ca6.key -out ca6.pem &&
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-subj "/CN=::1" -keyout key6.pem -out srv6.csr &&
	printf "subjectAltName=IP:::1\n" >ext6.cnf &&
	openssl x509 -req -in srv6.csr -CA ca6.pem -CAkey ca6.key \
		-CAcreateserial -days 2 -out cert6.pem -extfile ext6.cnf
) >"$D/openssl.log" 2>&1 || fail "openssl: $(cat "$D/openssl.log")"
mkdir -p "$D/s.cfg/tls" "$D/a7.cfg" "$D/a8.cfg"
cp "$D/cert6.pem" "$D/s.cfg/tls/tls-cert.pem"
cp "$D/key6.pem" "$D/s.cfg/tls/tls-key.pem"
printf 'listen tls:[::]:0\ncert_dir %s\nauto_answer 0\n' "$D/s.cfg/tls" \
	>"$D/s.cfg/config"
echo "Me <sips:me@[::1]>;registrar=none;ca=$D/ca6.pem" >"$D/a7.cfg/accounts"
echo "Me <sips:me@[::1]>;registrar=none" >"$D/a8.cfg/accounts"
pb_script s --play "$D/b.wav"
S=$(pb_addr s tls)
case "$S" in "[::1]:"[0-9]*) ;; *) fail "TLS callee ready tls '$S'" ;; esac
caller a7 "sips:bob@$S" --account Me --listen 'tls:[::1]:0' \
	--record "$D/a7-rec.wav" --hangup-after 2
rc=$?
[ $rc = 0 ] || fail "IPv6 TLS call: exit $rc (want 0)"
grep -qE "$(ev answered).*\"srtp\": *\"AES_CM_128_HMAC_SHA1_80\"" \
	"$D/a7.out" || fail "IPv6 TLS call not answered with SRTP"
grep -q 'Via: SIP/2.0/TLS \[::1\]:' "$D/a7.out" || fail "no IPv6 TLS Via"
grep -q 'Contact: <sips:me@\[::1\]:[0-9]*>' "$D/a7.out" ||
	fail "no IPv6 sips: Contact"
check_sdp "$D/a7.out" IP6
heard "$D/a7-rec.wav" 1500 1.0
caller a8 "sips:bob@$S" --account Me --listen 'tls:[::1]:0' --timeout 10
rc=$?
[ $rc = 5 ] || fail "IPv6 TLS call without the CA: exit $rc (want 5)"
pb_quit s || fail "TLS callee exit status $?"

# 3. default listeners: both families, each call in its destination's
pb_script d --auto-answer 0 --play "$D/b.wav"
D4=$(pb_addr d udp)
D6=$(pb_addr d udp6)
case "$D4" in "127.0.0.1:"[0-9]*) ;; *) fail "default udp '$D4'" ;; esac
case "$D6" in "[::1]:"[0-9]*) ;; *) fail "default udp6 '$D6'" ;; esac
for tp in tcp tls; do
	pb_addr d "$tp" | grep -qE '^127\.0\.0\.1:[0-9]+$' ||
		fail "default $tp listener missing"
	pb_addr d "${tp}6" | grep -qE '^\[::1\]:[0-9]+$' ||
		fail "default ${tp}6 listener missing"
done
caller a3 "sip:bob@$D6" --record "$D/a3-rec.wav" --hangup-after 2
rc=$?
[ $rc = 0 ] || fail "default listeners, IPv6 call: exit $rc"
check_sdp "$D/a3.out" IP6
heard "$D/a3-rec.wav" 1500 1.0
caller a4 "sip:bob@$D4" --record "$D/a4-rec.wav" --hangup-after 2
rc=$?
[ $rc = 0 ] || fail "default listeners, IPv4 call: exit $rc"
check_sdp "$D/a4.out" IP4
grep -q 'Contact: <sip:phonebox@127\.0\.0\.1:' "$D/a4.out" ||
	fail "IPv4 call from a dual-stack phone without an IPv4 Contact"
heard "$D/a4-rec.wav" 1500 1.0
# a name that resolves to ::1 only, from a dual-stack caller: the media
# guessed at dial time (IPv4) moves to IPv6 once the name is looked up
caller a6 "sip:bob@pbx6.test:$(port_of "$D6")" --record "$D/a6-rec.wav" \
	--hangup-after 2
rc=$?
[ $rc = 0 ] || fail "call to an IPv6-only name: exit $rc"
grep -q '"text":"-> \[::1\]:' "$D/a6.out" ||
	fail "call to an IPv6-only name did not go to [::1]"
check_sdp "$D/a6.out" IP6
grep -q 'Contact: <sip:phonebox@\[::1\]:' "$D/a6.out" ||
	fail "call to an IPv6-only name without an IPv6 Contact"
heard "$D/a6-rec.wav" 1500 1.0

# 4. bad c= lines over IPv6 (and IPv4 for comparison): 488 + Warning
FAIL_LOGS+=("$D/bad.out")
python3 - "$(port_of "$D6")" "$(port_of "$D4")" >"$D/bad.out" 2>&1 <<'PY' ||
import socket, sys, time
p6, p4 = int(sys.argv[1]), int(sys.argv[2])

def invite(fam, host, port, conn, n):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((host, 0))
    s.settimeout(5)
    me = s.getsockname()[1]
    h = "[%s]" % host if fam == socket.AF_INET6 else host
    sdp = ("v=0\r\no=t 1 1 IN IP%s %s\r\ns=-\r\nc=IN %s\r\nt=0 0\r\n"
           "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
           % ("6" if fam == socket.AF_INET6 else "4", host, conn))
    br = "z9hG4bKbad%d" % n
    msg = ("INVITE sip:bob@%s:%d SIP/2.0\r\n"
           "Via: SIP/2.0/UDP %s:%d;branch=%s;rport\r\n"
           "Max-Forwards: 70\r\nFrom: <sip:t@%s>;tag=t%d\r\n"
           "To: <sip:bob@%s>\r\nCall-ID: bad%d@test\r\nCSeq: 1 INVITE\r\n"
           "Contact: <sip:t@%s:%d>\r\nContent-Type: application/sdp\r\n"
           "Content-Length: %d\r\n\r\n%s"
           % (h, port, h, me, br, h, n, h, n, h, me, len(sdp), sdp))
    s.sendto(msg.encode(), (host, port))
    end = time.time() + 5
    while time.time() < end:
        r = s.recv(65535).decode(errors="replace")
        code = int(r.split()[1])
        if code >= 200:
            break
    hdrs = r.split("\r\n\r\n")[0].split("\r\n")
    warn = [l for l in hdrs if l.lower().startswith("warning:")]
    to = [l for l in hdrs if l.lower().startswith("to:")][0]
    ack = ("ACK sip:bob@%s:%d SIP/2.0\r\n"
           "Via: SIP/2.0/UDP %s:%d;branch=%s;rport\r\n"
           "Max-Forwards: 70\r\nFrom: <sip:t@%s>;tag=t%d\r\n%s\r\n"
           "Call-ID: bad%d@test\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n"
           % (h, port, h, me, br, h, n, to, n))
    s.sendto(ack.encode(), (host, port))
    print(conn, "->", code, warn)
    return code, warn

ok = True
for n, (fam, host, port, conn) in enumerate([
        (socket.AF_INET6, "::1", p6, "IP6 garbage"),
        (socket.AF_INET6, "::1", p6, "IP6 192.0.2.1"),
        (socket.AF_INET6, "::1", p6, "IP6 ::1::2"),
        (socket.AF_INET, "127.0.0.1", p4, "IP4 garbage"),
        (socket.AF_INET, "127.0.0.1", p4, "IP4 ::1")]):
    code, warn = invite(fam, host, port, conn, n)
    agent = "[::1]" if fam == socket.AF_INET6 else "127.0.0.1"
    if code != 488 or not warn or \
            not warn[0].startswith("Warning: 399 %s \"" % agent) or \
            "connection address" not in warn[0]:
        ok = False
sys.exit(0 if ok else 1)
PY
	fail "a bad c= line was not refused with 488 and a Warning"
cat "$D/bad.out"
# the phone goes on serving: one more IPv6 call
caller a5 "sip:bob@$D6" --hangup-after 1
rc=$?
[ $rc = 0 ] || fail "IPv6 call after the bad offers: exit $rc"
pb_quit d || fail "dual-stack callee exit status $?"
echo "PASS"
