/* fuzz_wav.c: arbitrary bytes as a WAV prompt (RIFF walk, libsndfile over
 * sf_open_virtual, format checks, resampling). */
#include <stddef.h>
#include <stdint.h>

#include "audio/wav.h"
#include "base/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t rates[3] = {8000, 16000, 48000};
	struct wav_pcm *w = NULL;
	char err[WAV_ERRLEN];
	/* The last byte picks the rate asked for, so resampling is fuzzed. */
	uint32_t rate = rates[size ? data[size - 1] % 3 : 0];

	if (!wav_decode(&w, data, size, "fuzz.wav", rate, err, sizeof(err))) {
		/* Touch every sample: a short read would show up here. */
		volatile int32_t sum = 0;
		for (size_t i = 0; i < w->n; i++)
			sum += w->s[i];
		(void)sum;
	}
	obj_deref(w);
	return 0;
}
