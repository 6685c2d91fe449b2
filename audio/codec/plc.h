/* plc.h: private: waveform-substitution loss concealment for G.711/G.722. */
#ifndef PB_AUDIO_CODEC_PLC_H
#define PB_AUDIO_CODEC_PLC_H

#include <stddef.h>
#include <stdint.h>

struct codec_plc;

/** Allocate for @p srate (8000..48000); 0, EINVAL, ENOMEM. */
int codec_plc_alloc(struct codec_plc **plcp, uint32_t srate);
/** A good frame arrived: smooth it after a gap (in place), remember it. */
void codec_plc_rx(struct codec_plc *plc, int16_t *pcm, size_t n);
/** A frame is missing: synthesise @p n samples. */
void codec_plc_fill(struct codec_plc *plc, int16_t *pcm, size_t n);

#endif
