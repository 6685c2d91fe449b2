#!/bin/bash
# test_call_baresip_udp.sh: phonebox <-> Debian's baresip over UDP, both
# directions, each side playing its own tone (phonebox 700 Hz, baresip
# 1100 Hz) and recording; each tone is detected in the other's recording,
# and the hangup of either side ends the call on both. Loopback-only netns.
set -u
. "$(dirname "$0")/baresip_lib.sh"
bs_calls udp
echo "PASS"
