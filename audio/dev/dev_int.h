/* dev_int.h: the backend interface behind audio/dev.h. */
#ifndef PB_AUDIO_DEV_INT_H
#define PB_AUDIO_DEV_INT_H

#include "audio/dev.h"
#include "audio/errf.h"

/** What each backend implements; all run on the loop thread. */
struct audev_ops {
	int (*start)(struct audev *d);
	void (*stop)(struct audev *d);
	int (*read)(struct audev *d, int16_t *frame);
	int (*write)(struct audev *d, const int16_t *frame);
	size_t (*queued)(const struct audev *d);
	void (*stats)(const struct audev *d, struct audev_stats *st);
	void (*close)(struct audev *d); /**< release backend state */
};

struct audev {
	const struct audev_ops *ops;
	enum audev_dir dir;
	uint32_t rate; /**< our rate                   */
	size_t frame;  /**< samples per frame          */
	const struct audev_handlers *h;
	void *arg;
	void *be; /**< backend state              */
	bool running;
};

int audev_null_open(struct audev *d, const struct audev_opts *o, char *err,
		    size_t errlen);
int audev_wav_open(struct audev *d, const struct audev_opts *o, char *err,
		   size_t errlen);
int audev_pa_open(struct audev *d, const struct audev_opts *o, char *err,
		  size_t errlen);

#endif
