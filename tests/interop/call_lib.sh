# call_lib.sh: helpers shared by the interop scripts. Sourcing it first
# re-executes the calling script in a new network namespace with only
# loopback up (unshare -n), so nothing a test starts can leave the machine.
#
# Gives: PB (phonebox), TOOLS (wavtone, srtppeer), DATA (tests/data), D (a
# work dir, removed on exit unless PB_KEEP is set), FAIL_LOGS (files whose
# tail `fail MSG` prints), need CMD... (skip when absent), free_port [tcp],
# wait_for [-t SECS] CMD..., bg CMD... (background, killed on exit),
# udp_bound/tcp_bound PORT; phonebox in script mode: pb_script NAME
# ARGS..., pb_listen NAME TP ARGS... (sets PBPORT), pb_port NAME TP,
# pb_cmd NAME LINE, pb_event NAME REGEX [SECS], ev KIND, pb_quit NAME;
# `phonebox call`: pb_call NAME URI ARGS... (sets PBRC, SECS); SIPp:
# sipp_uas NAME SCENARIO ARGS... (callee), sipp_uac NAME SCENARIO HOLD_MS
# ARGS... and sdes_uac NAME SCENARIO HOLD_MS (caller); make_certs; tone FILE
# FREQ, heard FILE FREQ [SECS]; need_tools.
set -u
if [ -z "${PB_IN_NETNS:-}" ]; then
	PB_IN_NETNS=1 exec unshare -n bash -c 'ip link set lo up && exec bash "$0"' "$0"
fi
PB=${PB_BIN:?PB_BIN not set}
DATA=${PB_TESTDATA:?PB_TESTDATA not set}
TOOLS=${PB_TOOLS:-$(dirname "$PB")/../tests/tools}
D=$(mktemp -d /tmp/pbcall.XXXXXX)
BG_PIDS=()
PB_FDS=() # write ends of the phones' command fifos (pb_script)
FAIL_LOGS=()

cl_cleanup() {
	local p rc=$? bad
	for p in "${BG_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${BG_PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	# a sanitizer report from any phonebox run fails the test (script
	# mode's exit status is not always looked at)
	bad=$(grep -lE "ERROR: (Address|Leak)Sanitizer|runtime error:" \
		"$D"/*.pb "$D"/*.err 2>/dev/null)
	if [ -n "$bad" ]; then
		echo "FAIL: sanitizer report in ${bad//"$D"\//}"
		grep -h -A30 -E "ERROR: (Address|Leak)Sanitizer|runtime error:" \
			$bad | head -80
		rc=1
	fi
	if [ -n "${PB_KEEP:-}" ]; then
		echo "work dir kept: $D"
	else
		rm -rf "$D"
	fi
	exit $rc
}
trap cl_cleanup EXIT

# fail MSG: print MSG and the tail of every file in FAIL_LOGS, exit 1
fail() {
	local f
	echo "FAIL: $*"
	for f in "${FAIL_LOGS[@]}"; do
		[ -s "$f" ] || continue
		echo "--- ${f#"$D"/}"
		tail -n "${FAIL_TAIL:-40}" "$f"
	done
	exit 1
}

# need CMD...: skip the test (exit 77) when a program it runs is absent
need() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null || { echo "$c not installed"; exit 77; }
	done
}

need_tools() {
	[ -x "$TOOLS/wavtone" ] && [ -x "$TOOLS/srtppeer" ] ||
		fail "test tools missing in $TOOLS (build tests/tools)"
}

# free_port [tcp]: a free loopback UDP (or TCP) port
free_port() {
	local t=SOCK_DGRAM
	[ "${1:-}" = tcp ] && t=SOCK_STREAM
	python3 -c "import socket;s=socket.socket(socket.AF_INET,socket.$t);s.bind(('127.0.0.1',0));print(s.getsockname()[1])"
}

# wait_for [-t SECS] CMD...: retry CMD every 0.1 s for SECS (default 15)
wait_for() {
	local n=150 i
	if [ "$1" = -t ]; then
		n=$(($2 * 10))
		shift 2
	fi
	for ((i = 0; i < n; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# bg CMD...: start CMD in the background; its pid is in BG_PID and it is
# killed on exit. Its stdin is /dev/null (bash gives that to asynchronous
# commands in functions), whatever the caller redirects.
bg() {
	"$@" &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
}

udp_bound() { ss -lun 2>/dev/null | grep -qE "(127.0.0.1|\*|0.0.0.0):$1 "; }
tcp_bound() { ss -ltn 2>/dev/null | grep -qE "(127.0.0.1|\*|0.0.0.0):$1 "; }

# pb_script NAME ARGS...: phonebox --script with ARGS; commands go to a
# fifo (pb_cmd), JSON events to $D/NAME.ev, stderr to $D/NAME.err
pb_script() {
	local name=$1 fd
	shift
	mkdir -p "$D/$name.cfg"
	mkfifo "$D/$name.in"
	# not through bg: an asynchronous command opens its own redirections
	# (the fifo's read end must not block this shell), but inside a
	# function its stdin would be /dev/null
	# (the other phones' fifo write ends are closed in the child: a phone
	# holding one would keep that phone's input open after pb_quit)
	(
		for fd in "${PB_FDS[@]}"; do
			eval "exec $fd>&-"
		done
		exec timeout 90 "$PB" --script --audio null \
			--config "$D/$name.cfg" "$@"
	) <"$D/$name.in" >"$D/$name.ev" 2>"$D/$name.err" &
	BG_PIDS+=("$!")
	eval "PB_PID_$name=$!"
	exec {fd}>"$D/$name.in"
	eval "PB_FD_$name=$fd"
	PB_FDS+=("$fd")
	FAIL_LOGS+=("$D/$name.ev" "$D/$name.err")
}

# pb_listen NAME TP ARGS...: pb_script NAME listening on TP (udp, tcp,
# tls) on a free loopback port, which is put in PBPORT
pb_listen() {
	local name=$1 tp=$2
	shift 2
	pb_script "$name" --listen "$tp:127.0.0.1:0" "$@"
	PBPORT=$(pb_port "$name" "$tp")
	[ -n "$PBPORT" ] || fail "$name: phonebox did not say where it listens"
}

pb_cmd() {
	local fd
	eval "fd=\$PB_FD_$1"
	echo "$2" >&"$fd"
}

# pb_event NAME REGEX [SECS]: wait until an event line matches REGEX
pb_event() {
	wait_for -t "${3:-15}" grep -qE "$2" "$D/$1.ev"
}

# pb_port NAME udp|tcp|tls: wait for the "ready" event and print the port
# phonebox NAME listens on (start it with --listen TP:127.0.0.1:0)
pb_port() {
	pb_event "$1" '"event": *"ready"' || return 1
	grep -m1 '"event": *"ready"' "$D/$1.ev" |
		sed -nE "s/.*\"$2\": *\"127\.0\.0\.1:([0-9]+)\".*/\1/p"
}

# the JSON event of kind $1 (regex for grep -E)
ev() { printf '"(event|type)": *"%s"' "$1"; }

# pb_quit NAME: close stdin (script mode ends at end of input), then wait
# at most 10 s for phonebox to exit; returns its exit status
pb_quit() {
	local fd pid i
	eval "fd=\$PB_FD_$1; pid=\$PB_PID_$1"
	exec {fd}>&-
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill "$pid" 2>/dev/null
	wait "$pid"
}

# pb_call NAME URI ARGS...: `phonebox call URI` (config $D/cfg, no sound,
# 10 s answer timeout, SIP trace) with its output in $D/NAME.pb; sets PBRC
# (its exit status) and SECS (how long it took), and prints how it ended
pb_call() {
	local name=$1 uri=$2 t0=$SECONDS
	shift 2
	mkdir -p "$D/cfg"
	FAIL_LOGS+=("$D/$name.pb")
	timeout 40 "$PB" call "$uri" --config "$D/cfg" --audio null \
		--timeout 10 --sip-trace "$@" >"$D/$name.pb" 2>&1
	PBRC=$?
	SECS=$((SECONDS - t0))
	grep -E "^call [0-9]+: (ended|failed)|^phonebox" "$D/$name.pb"
}

# sipp_uac NAME SCENARIO HOLD_MS SIPP-ARGS...: one SIPp call (tests/data/
# sipp/SCENARIO, pauses of HOLD_MS) to phonebox on 127.0.0.1:PBPORT, in the
# background (pid in UAC_PID); its log (-trace_logs) is $D/NAME.log
sipp_uac() {
	local name=$1 scen=$2 hold=$3
	shift 3
	FAIL_LOGS+=("$D/$name.err" "$D/$name.out" "$D/$name.msg")
	bg timeout 40 sipp -sf "$DATA/sipp/$scen" -i 127.0.0.1 \
		-p "$(free_port)" -m 1 -d "$hold" -timeout 30s -timeout_error \
		-trace_logs -log_file "$D/$name.log" \
		-trace_err -error_file "$D/$name.err" \
		-trace_msg -message_file "$D/$name.msg" \
		-nostdin "$@" "127.0.0.1:$PBPORT" >"$D/$name.out" 2>&1
	UAC_PID=$BG_PID
}

# sipp_uas NAME SCENARIO SIPP-ARGS...: a SIPp callee for one call
# (tests/data/sipp/SCENARIO, or the path SCENARIO if it has a slash) on a
# free port put in SPORT, in the background (pid in UAS_PID); output in
# $D/NAME.sipp, errors in NAME.sipp.err, messages in NAME.sipp.msg.
# Returns once SIPp listens.
sipp_uas() {
	local name=$1 scen=$2
	shift 2
	[[ $scen == */* ]] || scen=$DATA/sipp/$scen
	SPORT=$(free_port)
	FAIL_LOGS+=("$D/$name.sipp.err" "$D/$name.sipp")
	bg timeout 40 sipp -sf "$scen" -i 127.0.0.1 -p "$SPORT" -m 1 \
		-timeout 30s -timeout_error \
		-trace_err -error_file "$D/$name.sipp.err" \
		-trace_msg -message_file "$D/$name.sipp.msg" \
		-nostdin "$@" >"$D/$name.sipp" 2>&1
	UAS_PID=$BG_PID
	wait_for udp_bound "$SPORT" || fail "$name: sipp did not start"
}

# sdes_uac NAME SCENARIO HOLD_MS: sipp_uac with the keys of an SDES offer
# (-key key256 $KEY256, key128 $KEY128) and its media port (RTPPORT, RTCP
# on the next)
sdes_uac() {
	sipp_uac "$@" -key key256 "$KEY256" -key key128 "$KEY128" \
		-key rtp_port "$RTPPORT" -key rtcp_port $((RTPPORT + 1))
}

# a test CA, and a certificate for 127.0.0.1 signed by it (ca.pem,
# key.pem, cert.pem, and both in one file: keycert.pem)
make_certs() {
	(cd "$D" &&
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
			-subj "/CN=pb test CA" \
			-addext "basicConstraints=critical,CA:TRUE" \
			-addext "keyUsage=keyCertSign" -keyout ca.key -out ca.pem &&
		openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
			-keyout key.pem -out srv.csr &&
		printf "subjectAltName=IP:127.0.0.1\n" >ext.cnf &&
		openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key \
			-CAcreateserial -days 2 -out cert.pem -extfile ext.cnf &&
		cat key.pem cert.pem >keycert.pem) >"$D/openssl.log" 2>&1 ||
		fail "openssl: $(cat "$D/openssl.log")"
}

# tone NAME FREQ: an 8 kHz mono WAV of FREQ Hz, 20 s (longer than a call)
tone() {
	"$TOOLS/wavtone" --write "$D/$1" "$2" 20 8000 || fail "wavtone --write"
}

# heard FILE FREQ [SECS]: FILE holds FREQ for at least SECS (default 1.5)
heard() {
	[ -s "$1" ] || fail "no recording $1"
	"$TOOLS/wavtone" "$1" "$2" "${3:-1.5}" ||
		fail "$2 Hz not heard in ${1#"$D"/}"
}
