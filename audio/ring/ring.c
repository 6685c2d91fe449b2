/* ring.c: SPSC frame ring with C11 acquire/release indices.
 *
 * head and tail are free-running counters (never masked when stored); the
 * slot is index & mask. The producer owns tail, the consumer owns head.
 * The producer publishes a frame by a release-store of tail after copying
 * it; the consumer acquire-loads tail before copying, and release-stores
 * head after copying so the producer may reuse the slot. head and tail sit
 * on separate cache lines (padding) to keep the two threads from false sharing.
 */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include "audio/ring.h"
#include "base/mem.h"

/* Padding rather than alignas: obj_zalloc() does not promise 64-byte
 * alignment, and an over-aligned type in a less aligned block is UB. */
enum {
	RING_MAX_FRAMES = 1u << 16,
	RING_MAX_SAMPLES = 1u << 16,
	RING_LINE = 64,
};

struct ring {
	atomic_size_t head; /**< next frame to read (consumer side)  */
	atomic_uint_fast64_t underruns; /**< consumer's count        */
	char pad1[RING_LINE];		/**< keep tail off head's line */
	atomic_size_t tail; /**< next frame to write (producer side) */
	atomic_uint_fast64_t overruns; /**< producer's count        */
	char pad2[RING_LINE];
	size_t mask;	      /**< capacity - 1                  */
	size_t frame_samples; /**< samples per frame             */
	int16_t *buf;	      /**< capacity * frame_samples      */
};

static void ring_destroy(void *data)
{
	struct ring *r = data;
	obj_deref(r->buf);
}

int ring_alloc(struct ring **rp, size_t frames, size_t frame_samples)
{
	struct ring *r;
	size_t cap = 1;
	int err = 0;

	if (!rp || !frames || !frame_samples || frames > RING_MAX_FRAMES ||
	    frame_samples > RING_MAX_SAMPLES)
		return EINVAL;
	while (cap < frames)
		cap <<= 1;
	r = obj_zalloc(sizeof(*r), ring_destroy);
	if (!r)
		return ENOMEM;
	r->buf = obj_zalloc(cap * frame_samples * sizeof(int16_t), NULL);
	if (!r->buf) {
		err = ENOMEM;
		goto out;
	}
	r->mask = cap - 1;
	r->frame_samples = frame_samples;
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	atomic_init(&r->overruns, 0);
	atomic_init(&r->underruns, 0);
out:
	if (err)
		r = obj_deref(r);
	*rp = r;
	return err;
}

bool ring_write(struct ring *r, const int16_t *frame)
{
	size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	size_t head = atomic_load_explicit(&r->head, memory_order_acquire);

	if (tail - head > r->mask) {
		atomic_fetch_add_explicit(&r->overruns, 1,
					  memory_order_relaxed);
		return false;
	}
	memcpy(r->buf + (tail & r->mask) * r->frame_samples, frame,
	       r->frame_samples * sizeof(int16_t));
	atomic_store_explicit(&r->tail, tail + 1, memory_order_release);
	return true;
}

bool ring_read(struct ring *r, int16_t *frame)
{
	size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);

	if (head == tail) {
		atomic_fetch_add_explicit(&r->underruns, 1,
					  memory_order_relaxed);
		return false;
	}
	memcpy(frame, r->buf + (head & r->mask) * r->frame_samples,
	       r->frame_samples * sizeof(int16_t));
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
	return true;
}

size_t ring_count(const struct ring *r)
{
	size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
	size_t head = atomic_load_explicit(&r->head, memory_order_acquire);
	return tail - head;
}

size_t ring_capacity(const struct ring *r)
{
	return r->mask + 1;
}

size_t ring_frame_samples(const struct ring *r)
{
	return r->frame_samples;
}

uint64_t ring_overruns(const struct ring *r)
{
	return atomic_load_explicit(&r->overruns, memory_order_relaxed);
}

uint64_t ring_underruns(const struct ring *r)
{
	return atomic_load_explicit(&r->underruns, memory_order_relaxed);
}

void ring_flush(struct ring *r)
{
	size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
	atomic_store_explicit(&r->head, tail, memory_order_release);
}
