/* fuzz_rtp.c: RTP header and RTCP compound decoders, the SDES key-params
 * parser and the own SRTP/SRTCP unprotect on arbitrary bytes. The first
 * byte picks the target.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "audio/rtp/rtp_pkt.h"
#include "audio/srtp/srtp_sdes.h"
#include "base/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t sel = data[0];
	data++;
	size--;
	switch (sel % 4) {
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
	case 3: {
		/* key from the input too, so valid tags are reachable */
		static uint8_t key[30];
		struct srtpx *rx = NULL;
		if (srtpx_ctx_alloc_be(&rx, SRTPX_BACKEND_OPENSSL,
				       (sel & 4)
					   ? SRTPX_AES_CM_128_HMAC_SHA1_32
					   : SRTPX_AES_CM_128_HMAC_SHA1_80,
				       key, 30, SRTPX_RX))
			break;
		uint8_t buf[2048];
		size_t len = size > sizeof(buf) ? sizeof(buf) : size;
		memcpy(buf, data, len);
		int err = (sel & 8) ? srtcpx_unprotect(rx, buf, &len)
				    : srtpx_unprotect(rx, buf, &len);
		if (!err && len > size)
			__builtin_trap();
		obj_deref(rx);
		break;
	}
	default: {
		struct srtpx_keyparams kp;
		struct pl s = {(const char *)data, size};
		enum srtpx_suite suite =
		    (enum srtpx_suite)((sel / 4) % SRTPX_SUITE_COUNT);
		if (!srtpx_keyparams_decode(&kp, suite, &s) &&
		    kp.keylen != srtpx_keysalt_len(suite))
			__builtin_trap();
		break;
	}
	}
	return 0;
}
