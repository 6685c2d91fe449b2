/* wavdev.c: WAV file devices: a source that plays a file, a sink that
 * records to one. */
#include <errno.h>
#include <string.h>

#include "audio/dev/dev_int.h"
#include "audio/wav.h"
#include "base/mem.h"

struct wavdev {
	struct wav_pcm *pcm;   /**< source: the whole file       */
	size_t pos;	       /**< source: next sample          */
	bool loop;	       /**< source: wrap at the end      */
	bool ended;	       /**< source: end reported         */
	struct wav_writer *wr; /**< sink: the file being written */
};

static int wavsrc_read(struct audev *d, int16_t *frame)
{
	struct wavdev *w = d->be;
	size_t got = 0;

	if (w->ended)
		return ENODATA;
	while (got < d->frame) {
		size_t n = w->pcm->n - w->pos;

		if (!n && w->loop) {
			w->pos = 0;
			continue;
		}
		if (!n)
			break;
		if (n > d->frame - got)
			n = d->frame - got;
		memcpy(frame + got, w->pcm->s + w->pos, n * sizeof(int16_t));
		got += n;
		w->pos += n;
	}
	if (got) {
		memset(frame + got, 0, (d->frame - got) * sizeof(int16_t));
		return 0;
	}
	w->ended = true;
	if (d->h && d->h->end_h)
		d->h->end_h(d, d->arg);
	return ENODATA;
}

static int wavsink_write(struct audev *d, const int16_t *frame)
{
	struct wavdev *w = d->be;
	return wav_writer_write(w->wr, frame, d->frame) ? EIO : 0;
}

static void wav_close(struct audev *d)
{
	struct wavdev *w = d->be;

	if (!w)
		return;
	obj_deref(w->pcm);
	obj_deref(w->wr);
	d->be = obj_deref(w);
}

static const struct audev_ops wavsrc_ops = {
    .read = wavsrc_read,
    .close = wav_close,
};

static const struct audev_ops wavsink_ops = {
    .write = wavsink_write,
    .close = wav_close,
};

int audev_wav_open(struct audev *d, const struct audev_opts *o, char *err,
		   size_t errlen)
{
	struct wavdev *w;

	if (!o->device || !*o->device) {
		au_errf(err, errlen, "wav device needs a file name");
		return EINVAL;
	}
	w = obj_zalloc(sizeof(*w), NULL);
	if (!w)
		return ENOMEM;
	d->be = w;
	w->loop = o->loop;
	if (d->dir == AUDEV_SOURCE) {
		d->ops = &wavsrc_ops;
		return wav_load(&w->pcm, o->device, d->rate, err, errlen);
	}
	d->ops = &wavsink_ops;
	return wav_writer_open(&w->wr, o->device, d->rate, err, errlen);
}
