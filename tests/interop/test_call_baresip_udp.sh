#!/bin/bash
# test_call_baresip_udp.sh: phonebox <-> Debian's baresip over UDP, both
# directions, each side playing its own tone (phonebox 700 Hz, baresip
# 1100 Hz) and recording; each tone is detected in the other's recording,
# and the hangup of either side ends the call on both. Loopback-only netns.
set -u
command -v baresip >/dev/null || { echo "baresip not installed"; exit 77; }
if [ -z "${PB_IN_NETNS:-}" ]; then
	PB_IN_NETNS=1 exec unshare -n bash -c 'ip link set lo up && exec bash "$0"' "$0"
fi
here=$(dirname "$0")
. "$here/call_lib.sh"
. "$here/baresip_lib.sh"
need_tools
bs_calls udp
echo "PASS"
