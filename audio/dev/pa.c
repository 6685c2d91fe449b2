/* pa.c: the PortAudio backend: sound-card capture and playback.
 *
 * The stream runs at the card's default rate (or one forced by the
 * caller, or ours when the card has no usable default) with
 * one 20 ms frame per callback. The callback only copies that frame into
 * (capture) or out of (playback) an SPSC ring: no allocation, no lock, no
 * log. Resampling between the card's rate and ours, when they differ,
 * happens on the loop side in audev_read()/audev_write().
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include <portaudio.h>
#include <speex/speex_resampler.h>

#include "audio/dev/dev_int.h"
#include "audio/ring.h"
#include "base/mem.h"

#define PA_MIN_LATENCY 0.06 /* seconds */

struct padev {
	PaStream *stream;	 /**< open stream                    */
	struct ring *ring;	 /**< frames at the card's rate      */
	uint32_t dev_rate;	 /**< card rate                      */
	size_t dev_frame;	 /**< samples per frame at dev_rate  */
	SpeexResamplerState *rs; /**< card <-> ours, NULL when equal */
	int16_t *buf;		 /**< one card frame (loop side)     */
	bool pa_up;		 /**< Pa_Initialize() succeeded      */
};

static int pa_capture_cb(const void *in, void *out, unsigned long n,
			 const PaStreamCallbackTimeInfo *ti,
			 PaStreamCallbackFlags fl, void *arg)
{
	struct padev *p = arg;
	(void)out;
	(void)ti;
	(void)fl;
	if (in && n == p->dev_frame)
		ring_write(p->ring, in);
	return paContinue;
}

static int pa_play_cb(const void *in, void *out, unsigned long n,
		      const PaStreamCallbackTimeInfo *ti,
		      PaStreamCallbackFlags fl, void *arg)
{
	struct padev *p = arg;
	(void)in;
	(void)ti;
	(void)fl;
	if (n != p->dev_frame || !ring_read(p->ring, out))
		memset(out, 0, n * sizeof(int16_t));
	return paContinue;
}

static void rs_frame(SpeexResamplerState *st, const int16_t *in, size_t inn,
		     int16_t *out, size_t outn)
{
	spx_uint32_t il = (spx_uint32_t)inn, ol = (spx_uint32_t)outn;

	speex_resampler_process_int(st, 0, in, &il, out, &ol);
	if (ol < outn)
		memset(out + ol, 0, (outn - ol) * sizeof(int16_t));
}

static int pa_read(struct audev *d, int16_t *frame)
{
	struct padev *p = d->be;

	if (!p->rs)
		return ring_read(p->ring, frame) ? 0 : ENODATA;
	if (!ring_read(p->ring, p->buf))
		return ENODATA;
	rs_frame(p->rs, p->buf, p->dev_frame, frame, d->frame);
	return 0;
}

static int pa_write(struct audev *d, const int16_t *frame)
{
	struct padev *p = d->be;

	if (!p->rs)
		return ring_write(p->ring, frame) ? 0 : ENOSPC;
	rs_frame(p->rs, frame, d->frame, p->buf, p->dev_frame);
	return ring_write(p->ring, p->buf) ? 0 : ENOSPC;
}

static int pa_start(struct audev *d)
{
	struct padev *p = d->be;
	return Pa_StartStream(p->stream) == paNoError ? 0 : EIO;
}

static void pa_stop(struct audev *d)
{
	struct padev *p = d->be;
	Pa_StopStream(p->stream);
}

static size_t pa_queued(const struct audev *d)
{
	const struct padev *p = d->be;
	return ring_count(p->ring);
}

static void pa_stats(const struct audev *d, struct audev_stats *st)
{
	const struct padev *p = d->be;

	st->overruns = ring_overruns(p->ring);
	st->underruns = ring_underruns(p->ring);
	st->dev_rate = p->dev_rate;
}

static void pa_close(struct audev *d)
{
	struct padev *p = d->be;

	if (!p)
		return;
	if (p->stream)
		Pa_CloseStream(p->stream);
	if (p->rs)
		speex_resampler_destroy(p->rs);
	obj_deref(p->ring);
	obj_deref(p->buf);
	if (p->pa_up)
		Pa_Terminate();
	d->be = obj_deref(p);
}

static const struct audev_ops pa_ops = {
    .start = pa_start,
    .stop = pa_stop,
    .read = pa_read,
    .write = pa_write,
    .queued = pa_queued,
    .stats = pa_stats,
    .close = pa_close,
};

static int pa_find(PaDeviceIndex *idxp, const char *name, bool input, char *err,
		   size_t errlen)
{
	const char *what = input ? "input" : "output";
	PaDeviceIndex n = Pa_GetDeviceCount();

	if (n < 0) {
		au_errf(err, errlen, "audio system error: %s",
			Pa_GetErrorText(n));
		return EIO;
	}
	if (!name || !*name) {
		*idxp = input ? Pa_GetDefaultInputDevice()
			      : Pa_GetDefaultOutputDevice();
		if (*idxp != paNoDevice)
			return 0;
		au_errf(err, errlen,
			"no audio %s device found; use --audio null", what);
		return ENODEV;
	}
	for (PaDeviceIndex i = 0; i < n; i++) {
		const PaDeviceInfo *di = Pa_GetDeviceInfo(i);
		int ch =
		    di ? (input ? di->maxInputChannels : di->maxOutputChannels)
		       : 0;
		if (ch > 0 && di->name && strcasestr(di->name, name)) {
			*idxp = i;
			return 0;
		}
	}
	au_errf(err, errlen,
		"no audio %s device matching '%s' (phonebox devices lists "
		"them); use --audio null",
		what, name);
	return ENODEV;
}

static bool pa_rate_ok(const PaStreamParameters *sp, bool input, double r)
{
	return Pa_IsFormatSupported(input ? sp : NULL, input ? NULL : sp, r) ==
	       paFormatIsSupported;
}

/* Pick the card rate: forced, the card's default, or ours. */
static int pa_pick_rate(struct audev *d, struct padev *p,
			const PaStreamParameters *sp, const PaDeviceInfo *di,
			const struct audev_opts *o, char *err, size_t errlen)
{
	bool input = d->dir == AUDEV_SOURCE;
	uint32_t r = o->dev_rate;

	/* Default: the card's own rate, resampled by us. Asking ALSA (or
	 * its pulse plugin) for 8 kHz works on paper but its periods at
	 * that rate are erratic: measured here, the pulse plugin sometimes
	 * pulled seconds of audio in a burst at start. Our rate is used
	 * when the card has no usable default. */
	if (!r) {
		r = (uint32_t)lround(di->defaultSampleRate);
		if (!r || (uint64_t)r * d->frame % d->rate ||
		    !pa_rate_ok(sp, input, r))
			r = d->rate;
	}
	if (!r || (uint64_t)r * d->frame % d->rate ||
	    !pa_rate_ok(sp, input, r)) {
		au_errf(err, errlen,
			"audio device '%s' cannot %s mono 16-bit PCM at "
			"%u Hz",
			di->name, input ? "capture" : "play", (unsigned)r);
		return ENOTSUP;
	}
	p->dev_rate = r;
	p->dev_frame = (size_t)((uint64_t)r * d->frame / d->rate);
	return 0;
}

static int pa_setup(struct audev *d, struct padev *p,
		    const struct audev_opts *o, char *err, size_t errlen)
{
	bool input = d->dir == AUDEV_SOURCE;
	PaStreamParameters sp = {0};
	const PaDeviceInfo *di;
	PaError pe;
	int e;

	e = pa_find(&sp.device, o->device, input, err, errlen);
	if (e)
		return e;
	di = Pa_GetDeviceInfo(sp.device);
	if (!di)
		return ENODEV;
	sp.channelCount = 1;
	sp.sampleFormat = paInt16;
	/* At least 60 ms: the "low" latencies PortAudio reports for ALSA
	 * (pulse plugin) are ~9 ms, which makes the server underrun and
	 * then pull audio in bursts; 60 ms is still far below what a phone
	 * call notices. */
	sp.suggestedLatency =
	    input ? di->defaultLowInputLatency : di->defaultLowOutputLatency;
	if (sp.suggestedLatency < PA_MIN_LATENCY)
		sp.suggestedLatency = PA_MIN_LATENCY;
	e = pa_pick_rate(d, p, &sp, di, o, err, errlen);
	if (e)
		return e;
	pe = Pa_OpenStream(&p->stream, input ? &sp : NULL, input ? NULL : &sp,
			   p->dev_rate, p->dev_frame, paClipOff,
			   input ? pa_capture_cb : pa_play_cb, p);
	if (pe != paNoError) {
		p->stream = NULL;
		au_errf(err, errlen, "audio device '%s': %s", di->name,
			Pa_GetErrorText(pe));
		return EIO;
	}
	return 0;
}

static int pa_buffers(struct audev *d, struct padev *p,
		      const struct audev_opts *o)
{
	int e = 0;

	if (ring_alloc(&p->ring, o->ring_frames, p->dev_frame))
		return ENOMEM;
	if (p->dev_rate == d->rate)
		return 0;
	p->buf = obj_zalloc(p->dev_frame * sizeof(int16_t), NULL);
	if (!p->buf)
		return ENOMEM;
	p->rs = d->dir == AUDEV_SOURCE
		    ? speex_resampler_init(1, p->dev_rate, d->rate,
					   SPEEX_RESAMPLER_QUALITY_VOIP, &e)
		    : speex_resampler_init(1, d->rate, p->dev_rate,
					   SPEEX_RESAMPLER_QUALITY_VOIP, &e);
	return p->rs ? 0 : ENOMEM;
}

int audev_pa_open(struct audev *d, const struct audev_opts *o, char *err,
		  size_t errlen)
{
	struct padev *p = obj_zalloc(sizeof(*p), NULL);
	PaError pe;
	int e;

	if (!p)
		return ENOMEM;
	d->be = p;
	d->ops = &pa_ops;
	pe = Pa_Initialize();
	if (pe != paNoError) {
		au_errf(err, errlen, "audio system error: %s",
			Pa_GetErrorText(pe));
		return EIO;
	}
	p->pa_up = true;
	e = pa_setup(d, p, o, err, errlen);
	if (!e)
		e = pa_buffers(d, p, o);
	return e;
}

int audev_list(audev_info_h *h, void *arg, char *err, size_t errlen)
{
	PaError pe = Pa_Initialize();
	PaDeviceIndex n, din, dout;

	if (pe != paNoError) {
		au_errf(err, errlen, "audio system error: %s",
			Pa_GetErrorText(pe));
		return EIO;
	}
	n = Pa_GetDeviceCount();
	din = Pa_GetDefaultInputDevice();
	dout = Pa_GetDefaultOutputDevice();
	for (PaDeviceIndex i = 0; h && i < n; i++) {
		const PaDeviceInfo *di = Pa_GetDeviceInfo(i);
		const PaHostApiInfo *hi;
		struct audev_info ai;

		if (!di)
			continue;
		hi = Pa_GetHostApiInfo(di->hostApi);
		ai.index = i;
		ai.name = di->name ? di->name : "";
		ai.api = hi && hi->name ? hi->name : "";
		ai.in_channels = di->maxInputChannels;
		ai.out_channels = di->maxOutputChannels;
		ai.rate = di->defaultSampleRate;
		ai.def_in = i == din;
		ai.def_out = i == dout;
		h(&ai, arg);
	}
	Pa_Terminate();
	return 0;
}
