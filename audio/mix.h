/* mix.h: N-1 conference mixer for 20 ms mono PCM frames at mixed rates. */
#ifndef PB_AUDIO_MIX_H
#define PB_AUDIO_MIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Each participant has its own sample rate (8, 16 or 48 kHz). Every 20 ms
 * the owner hands the mixer each participant's newest frame (mix_put),
 * calls mix_tick() once, and takes each participant's outgoing frame
 * (mix_out). Mixing runs at one internal rate: by default the highest
 * rate among the participants (an all-G.711 room mixes at 8 kHz, an
 * all-Opus room at 48 kHz, neither resamples anything; a mixed room keeps
 * the quality of its widest leg), or a fixed opts.rate. Frames at other
 * rates are resampled to and from it (speexdsp, VoIP quality).
 *
 * N-1: a participant receives the sum of all the others, never itself.
 * Sums are 32-bit and clamped to 16 bits, so full-scale talkers saturate
 * instead of wrapping. A participant whose frame is marked silent, or whose
 * peak is at most opts.silence_peak, or which gave no frame this tick,
 * contributes nothing and costs no resampling.
 */

struct mix;
struct mix_part;

struct mix_opts {
	uint32_t rate;	    /**< internal rate: 8000, 16000 or 48000;
				 0 = the highest participant rate  */
	unsigned max_parts; /**< room cap (default 5)                */
	int silence_peak;   /**< frames whose |peak| <= this are silent */
};

enum {
	MIX_PTIME_MS = 20,  /**< frame duration                        */
	MIX_MAX_PARTS = 64, /**< upper bound for opts.max_parts        */
};

/** Defaults: rate 0 (follow participants), 5 participants,
 * silence_peak 8 (about -72 dBFS). */
void mix_opts_default(struct mix_opts *opts);

/**
 * Create a mixer. @p opts may be NULL for the defaults.
 * @return 0, EINVAL (bad rate or cap), ENOMEM.
 */
int mix_alloc(struct mix **mp, const struct mix_opts *opts);

/**
 * Add a participant whose frames are at @p rate (8000, 16000, 48000).
 * The caller holds the returned reference; obj_deref() removes the
 * participant from the room.
 * @return 0, ENOSPC when the room already has opts.max_parts participants,
 *         EINVAL (bad rate), ENOMEM.
 */
int mix_add(struct mix_part **pp, struct mix *m, uint32_t rate);

/** Samples in one of @p p's frames (rate / 50). */
size_t mix_part_frame(const struct mix_part *p);

/** Current internal mixing rate. */
uint32_t mix_rate(const struct mix *m);

/** Number of participants in the room. */
unsigned mix_count(const struct mix *m);

/**
 * Give @p p's frame for this tick (mix_part_frame() samples). @p silent
 * marks a frame known to be silence (VAD/DTX); the mixer also skips frames
 * whose peak is at or below opts.silence_peak. Putting twice in a tick
 * keeps the later frame.
 * @return 0, EINVAL, ENOENT (the room is gone).
 */
int mix_put(struct mix_part *p, const int16_t *frame, bool silent);

/** Mix one 20 ms tick: fill every participant's outgoing frame. */
void mix_tick(struct mix *m);

/**
 * @p p's outgoing frame from the last tick (mix_part_frame() samples),
 * valid until the next tick. All zero before the first tick.
 */
const int16_t *mix_out(const struct mix_part *p);

/** True when nobody else contributed to @p p's last outgoing frame. */
bool mix_out_silent(const struct mix_part *p);

#endif
