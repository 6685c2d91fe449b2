/* fuzz_rtp.c: RTP header and RTCP compound decoders and the SDES
 * key-params parser on arbitrary bytes. The first byte picks the target.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "audio/rtp/rtp_pkt.h"
#include "audio/srtp/srtp_sdes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t sel = data[0];
	data++;
	size--;
	switch (sel % 3) {
	case 0: {
		struct rtp_hdr h;
		if (!rtp_hdr_decode(&h, data, size, 0)) {
			/* every view must lie inside the input */
			if (h.payload < data ||
			    h.payload + h.payload_len > data + size)
				__builtin_trap();
			uint8_t out[1600];
			size_t n;
			rtp_encode(out, sizeof(out), &n, &h, h.payload,
				   h.payload_len);
		}
		break;
	}
	case 1: {
		struct rtcp_info info;
		if (!rtcp_decode(&info, data, size) &&
		    strlen(info.cname) >= sizeof(info.cname))
			__builtin_trap();
		break;
	}
	default: {
		struct srtpx_keyparams kp;
		struct pl s = {(const char *)data, size};
		enum srtpx_suite suite =
			(enum srtpx_suite)((sel / 3) % SRTPX_SUITE_COUNT);
		if (!srtpx_keyparams_decode(&kp, suite, &s) &&
		    kp.keylen != srtpx_keysalt_len(suite))
			__builtin_trap();
		break;
	}
	}
	return 0;
}
