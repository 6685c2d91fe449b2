/* dev.c: the device object; dispatches to the chosen backend. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "audio/dev/dev_int.h"
#include "base/mem.h"

void audev_opts_default(struct audev_opts *opts)
{
	if (!opts)
		return;
	memset(opts, 0, sizeof(*opts));
	opts->rate = 8000;
	opts->frame = 160;
	opts->ring_frames = 8;
}

int audev_backend_parse(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "portaudio") || !strcmp(s, "pa"))
		return AUDEV_PORTAUDIO;
	if (!strcmp(s, "null"))
		return AUDEV_NULL;
	if (!strcmp(s, "wav"))
		return AUDEV_WAV;
	return -1;
}

static void audev_destroy(void *data)
{
	struct audev *d = data;

	if (d->ops && d->running && d->ops->stop)
		d->ops->stop(d);
	if (d->ops && d->ops->close)
		d->ops->close(d);
}

int audev_alloc(struct audev **dp, enum audev_backend be, enum audev_dir dir,
		const struct audev_opts *opts, const struct audev_handlers *h,
		void *arg, char *err, size_t errlen)
{
	struct audev_opts o;
	struct audev *d;
	int e;

	if (!dp || (dir != AUDEV_SOURCE && dir != AUDEV_SINK))
		return EINVAL;
	audev_opts_default(&o);
	if (opts)
		o = *opts;
	if (!o.frame && o.rate)
		o.frame = o.rate / 50;
	if (!o.ring_frames)
		o.ring_frames = 8;
	if (o.rate != 8000 && o.rate != 16000 && o.rate != 48000) {
		au_errf(err, errlen, "audio rate %u Hz not supported",
			(unsigned)o.rate);
		return EINVAL;
	}
	if (!o.frame || o.frame > o.rate) {
		au_errf(err, errlen, "bad audio frame size %zu", o.frame);
		return EINVAL;
	}
	d = obj_zalloc(sizeof(*d), audev_destroy);
	if (!d)
		return ENOMEM;
	d->dir = dir;
	d->rate = o.rate;
	d->frame = o.frame;
	d->h = h;
	d->arg = arg;
	switch (be) {
	case AUDEV_NULL:
		e = audev_null_open(d, &o, err, errlen);
		break;
	case AUDEV_WAV:
		e = audev_wav_open(d, &o, err, errlen);
		break;
	case AUDEV_PORTAUDIO:
		e = audev_pa_open(d, &o, err, errlen);
		break;
	default:
		e = EINVAL;
		break;
	}
	if (e)
		d = obj_deref(d);
	*dp = d;
	return e;
}

int audev_start(struct audev *d)
{
	int e;

	if (!d)
		return EINVAL;
	if (d->running)
		return 0;
	e = d->ops->start ? d->ops->start(d) : 0;
	if (!e)
		d->running = true;
	return e;
}

void audev_stop(struct audev *d)
{
	if (!d || !d->running)
		return;
	if (d->ops->stop)
		d->ops->stop(d);
	d->running = false;
}

int audev_read(struct audev *d, int16_t *frame)
{
	if (!d || !frame || d->dir != AUDEV_SOURCE)
		return EINVAL;
	return d->ops->read(d, frame);
}

int audev_write(struct audev *d, const int16_t *frame)
{
	if (!d || !frame || d->dir != AUDEV_SINK)
		return EINVAL;
	return d->ops->write(d, frame);
}

size_t audev_queued(const struct audev *d)
{
	return d && d->ops->queued ? d->ops->queued(d) : 0;
}

void audev_stats_get(const struct audev *d, struct audev_stats *st)
{
	if (!st)
		return;
	memset(st, 0, sizeof(*st));
	if (d && d->ops->stats)
		d->ops->stats(d, st);
	else if (d)
		st->dev_rate = d->rate;
}
