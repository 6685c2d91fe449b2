/* ring.h: lock-free single-producer/single-consumer ring of PCM frames. */
#ifndef PB_AUDIO_RING_H
#define PB_AUDIO_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * A ring of fixed-size 16-bit PCM frames shared by exactly one producer
 * thread and one consumer thread (e.g. the PortAudio callback and the event
 * loop). Capacity is a power of two; nothing is allocated after
 * ring_alloc(), and ring_write()/ring_read() never lock, block or log, so
 * they are safe in a real-time audio callback.
 */
struct ring;

/**
 * Allocate a ring holding at least @p frames frames (rounded up to a power
 * of two) of @p frame_samples samples each.
 * @return 0, EINVAL (zero sizes or absurdly large), ENOMEM.
 */
int ring_alloc(struct ring **rp, size_t frames, size_t frame_samples);

/**
 * Producer: copy one frame in. When the ring is full the frame is dropped,
 * the overrun counter goes up and false is returned.
 */
bool ring_write(struct ring *r, const int16_t *frame);

/**
 * Consumer: copy the oldest frame out. When the ring is empty the underrun
 * counter goes up and false is returned (@p frame is left untouched).
 */
bool ring_read(struct ring *r, int16_t *frame);

/** Frames currently queued (a snapshot; exact on either side's thread). */
size_t ring_count(const struct ring *r);
/** Frames the ring can hold. */
size_t ring_capacity(const struct ring *r);
/** Samples per frame. */
size_t ring_frame_samples(const struct ring *r);
/** Frames dropped because the ring was full. */
uint64_t ring_overruns(const struct ring *r);
/** Reads that found the ring empty. */
uint64_t ring_underruns(const struct ring *r);
/** Consumer side: drop everything queued (counters are kept). */
void ring_flush(struct ring *r);

#endif
