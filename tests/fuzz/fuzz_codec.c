/* fuzz_codec.c: decode arbitrary payloads with every decoder, parse them as
 * RFC 4733 events, and feed them to a jitter buffer.
 *
 * Input: byte 0 selects the decoder (mod 4), byte 1 the output room; the
 * rest is the payload, also split into "packets" for the jitter buffer whose
 * first 3 bytes are taken as seq/arrival deltas.
 */
#include <stddef.h>
#include <stdint.h>

#include "audio/codec.h"
#include "audio/dtmf.h"
#include "audio/jbuf.h"
#include "base/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_digit(char d, void *arg)
{
	(void)d;
	(*(unsigned *)arg)++;
}

static void fuzz_decode(const uint8_t *data, size_t size)
{
	static const char *names[] = {"PCMU", "PCMA", "G722", "opus"};
	struct codec_dec *dec = NULL;
	int16_t pcm[5760];
	size_t n, room;

	if (size < 3)
		return;
	room = (size_t)data[1] * 23;
	if (room > 5760)
		room = 5760;
	if (codec_dec_alloc(&dec, codec_find(names[data[0] % 4], 0), NULL))
		return;
	if (!codec_decode(dec, data + 2, size - 2, pcm, room, &n) && n > room)
		__builtin_trap();
	codec_decode_fec(dec, data + 2, size - 2, pcm, 960);
	codec_conceal(dec, pcm, codec_frame_samples(codec_dec_srate(dec)));
	obj_deref(dec);
}

static void fuzz_events_jbuf(const uint8_t *data, size_t size)
{
	struct dtmf_ev_rx *rx = NULL;
	struct jbuf *jb = NULL;
	unsigned digits = 0;
	uint16_t seq = 0;
	uint64_t now = 0;
	uint8_t out[1500], pay[304];
	size_t len;

	if (dtmf_ev_rx_alloc(&rx, on_digit, &digits) || jb_alloc(&jb, NULL))
		goto out;
	for (size_t i = 0; i + 4 <= size; i += 4) {
		const uint8_t *p = data + i;
		dtmf_ev_rx_put(rx, p[0] * 160u, p[1] & 1, p, 4);
		seq = (uint16_t)(seq + (int8_t)p[2]);
		now += p[3] & 0x3f;
		/* payload length varies: 4..304 bytes starting with p */
		for (size_t k = 0; k < sizeof(pay); k++)
			pay[k] = p[k % 4];
		jb_put(jb, seq, seq * 160u, pay, 4 + (p[3] >> 6) * 100, now);
		if (p[1] & 2)
			jb_get(jb, out, sizeof(out), &len, NULL);
	}
out:
	obj_deref(rx);
	obj_deref(jb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_decode(data, size);
	fuzz_events_jbuf(data, size);
	return 0;
}
