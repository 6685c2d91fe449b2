#!/bin/bash
# test_call_baresip_tls.sh: phonebox <-> Debian's baresip over TLS with
# SDES-SRTP, both directions, each side playing its own tone (phonebox
# 700 Hz, baresip 1100 Hz) and recording; each tone is detected in the
# other's recording, and the hangup of either side ends the call on both.
# phonebox checks baresip's certificate against a test CA. Loopback-only
# netns.
set -u
. "$(dirname "$0")/baresip_lib.sh"
bs_calls tls
echo "PASS"
