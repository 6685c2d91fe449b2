/* dev.h: audio devices: capture sources and playback sinks of 20 ms frames. */
#ifndef PB_AUDIO_DEV_H
#define PB_AUDIO_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A device is a source (capture) or a sink (playback) of mono 16-bit PCM
 * frames at the rate and frame size asked for. The event loop drives every
 * device from its own 20 ms media timer: it calls audev_read() on a source
 * and audev_write() on a sink once per frame.
 *
 * Backends:
 *  - "portaudio": the sound card. PortAudio's callback thread only copies
 *    frames to/from a lock-free ring (audio/ring.h); the card runs at its
 *    own default rate and the loop side resamples to/from ours.
 *  - "null": a silence source and a discarding sink, paced by the loop.
 *  - "wav": a WAV file source (plays once and reports the end, or loops)
 *    and a WAV file sink (writes what it gets).
 */

enum audev_dir {
	AUDEV_SOURCE = 0, /**< capture: the loop reads frames  */
	AUDEV_SINK,	  /**< playback: the loop writes frames */
};

enum audev_backend {
	AUDEV_PORTAUDIO = 0,
	AUDEV_NULL,
	AUDEV_WAV,
};

struct audev;

struct audev_opts {
	uint32_t rate;	    /**< our rate (8000, 16000, 48000); default 8000 */
	size_t frame;	    /**< samples per frame; default rate / 50       */
	const char *device; /**< portaudio: name substring (case-insensitive),
				 NULL/"" = default; wav: the file path      */
	uint32_t dev_rate;  /**< portaudio: force this card rate (0 = the
				 card's default rate, resampled by us)      */
	size_t ring_frames; /**< portaudio: ring size in frames (default 8) */
	bool loop;	    /**< wav source: start over at the end          */
};

struct audev_handlers {
	/** wav source without loop: the last frame has been read. */
	void (*end_h)(struct audev *d, void *arg);
};

/** Fill @p opts with the defaults (8 kHz, 160-sample frames). */
void audev_opts_default(struct audev_opts *opts);

/**
 * Open a device (not yet running). On failure a one-line reason goes to
 * @p err, e.g. "no audio input device found; use --audio null".
 * @return 0, EINVAL, ENODEV (no such device), ENOTSUP (rate/format the
 *         device cannot do), EIO (backend error), or a wav_load() error.
 */
int audev_alloc(struct audev **dp, enum audev_backend be, enum audev_dir dir,
		const struct audev_opts *opts, const struct audev_handlers *h,
		void *arg, char *err, size_t errlen);

/** Start the device (portaudio: start the stream). @return 0 or EIO. */
int audev_start(struct audev *d);
/** Stop the device; audev_start() may follow. */
void audev_stop(struct audev *d);

/**
 * Source: copy the next captured frame (opts.frame samples) to @p frame.
 * @return 0, ENODATA (nothing captured yet, or a wav source at its end),
 *         EINVAL (not a source).
 */
int audev_read(struct audev *d, int16_t *frame);

/**
 * Sink: queue one frame (opts.frame samples) to play.
 * @return 0, ENOSPC (the playback ring is full; frame dropped), EIO, EINVAL.
 */
int audev_write(struct audev *d, const int16_t *frame);

/** Frames a portaudio source has ready / a sink has queued (0 others). */
size_t audev_queued(const struct audev *d);

/** Ring statistics of a portaudio device (0 for other backends). */
struct audev_stats {
	uint64_t overruns;  /**< frames dropped because the ring was full */
	uint64_t underruns; /**< reads that found the ring empty          */
	uint32_t dev_rate;  /**< rate the card really runs at            */
};
void audev_stats_get(const struct audev *d, struct audev_stats *st);

/** One sound-card device as PortAudio sees it. */
struct audev_info {
	int index;	  /**< PortAudio device index        */
	const char *name; /**< device name                   */
	const char *api;  /**< host API (ALSA, JACK, ...)     */
	int in_channels;  /**< max input channels            */
	int out_channels; /**< max output channels           */
	double rate;	  /**< default sample rate           */
	bool def_in;	  /**< the default input device      */
	bool def_out;	  /**< the default output device     */
};

typedef void(audev_info_h)(const struct audev_info *info, void *arg);

/**
 * Call @p h for every PortAudio device.
 * @return 0 or EIO (PortAudio failed to start; reason in @p err).
 */
int audev_list(audev_info_h *h, void *arg, char *err, size_t errlen);

/** Parse "portaudio", "null" or "wav"; -1 when unknown. */
int audev_backend_parse(const char *s);

#endif
