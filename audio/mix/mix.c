/* mix.c: the N-1 conference mixer (see mix.h for the model).
 *
 * One tick: each talking participant's frame is brought to the internal
 * rate and added into a 32-bit accumulator; then each participant's
 * outgoing frame is the accumulator minus its own contribution, clamped,
 * and brought back to its own rate. Participants not talking are never
 * resampled; their resampler history is reset when they start again so a
 * stale filter tail does not leak into the new talk spurt.
 *
 * The internal rate is fixed (opts.rate) or, by default, follows the
 * highest participant rate: an all-G.711 room mixes at 8 kHz and an
 * all-Opus room at 48 kHz with no resampling at all; a mixed room loses
 * nothing of its widest participant. When it changes (on add or remove)
 * every participant's resamplers are rebuilt first and swapped in only
 * when all succeeded, so a failure leaves the room as it was.
 */
#include <errno.h>
#include <string.h>

#include <speex/speex_resampler.h>

#include "audio/mix.h"
#include "base/mem.h"

enum {
	MIX_RS_QUALITY = SPEEX_RESAMPLER_QUALITY_VOIP,
	MIX_MAX_FRAME = 48000 * MIX_PTIME_MS / 1000,
};

struct mix {
	struct mix_part **parts; /**< max_parts slots, first n used    */
	unsigned n;		 /**< participants                     */
	unsigned max_parts;	 /**< cap                              */
	uint32_t rate;		 /**< internal rate                    */
	uint32_t fixed_rate;	 /**< opts.rate (0 = follow parts)     */
	size_t frame;		 /**< samples per frame at rate        */
	int silence_peak;	 /**< peak at or below = silent        */
	int32_t *acc;		 /**< sum of talkers at internal rate  */
	int16_t *tmp;		 /**< one N-1 frame at internal rate   */
};

struct mix_part {
	struct mix *mix;	   /**< room (NULL once it is gone)   */
	unsigned slot;		   /**< index in mix->parts           */
	uint32_t rate;		   /**< participant's rate            */
	size_t frame;		   /**< samples per frame at rate     */
	int16_t *in;		   /**< this tick's input             */
	int16_t *in_mix;	   /**< input at the internal rate    */
	int16_t *out;		   /**< last outgoing frame           */
	const int16_t *src;	   /**< contribution at internal rate */
	SpeexResamplerState *up;   /**< rate -> internal              */
	SpeexResamplerState *down; /**< internal -> rate              */
	bool has;		   /**< a frame was put this tick     */
	bool talking;		   /**< that frame is not silence     */
	bool was_talking;	   /**< contributed in the last tick  */
	bool was_hearing;	   /**< others were heard last tick   */
	bool out_silent;	   /**< last outgoing frame is silence */
};

struct rs_pair {
	SpeexResamplerState *up, *down;
};

static void rs_free(struct rs_pair *rp)
{
	if (rp->up)
		speex_resampler_destroy(rp->up);
	if (rp->down)
		speex_resampler_destroy(rp->down);
	rp->up = rp->down = NULL;
}

static bool rate_ok(uint32_t r)
{
	return r == 8000 || r == 16000 || r == 48000;
}

void mix_opts_default(struct mix_opts *opts)
{
	if (!opts)
		return;
	opts->rate = 0;
	opts->max_parts = 5;
	opts->silence_peak = 8;
}

static void mix_destroy(void *data)
{
	struct mix *m = data;

	for (unsigned i = 0; i < m->n; i++)
		m->parts[i]->mix = NULL;
	obj_deref(m->parts);
	obj_deref(m->acc);
	obj_deref(m->tmp);
}

int mix_alloc(struct mix **mp, const struct mix_opts *opts)
{
	struct mix_opts def;
	struct mix *m;
	int err = 0;

	mix_opts_default(&def);
	if (!opts)
		opts = &def;
	if (!mp || (opts->rate && !rate_ok(opts->rate)) || !opts->max_parts ||
	    opts->max_parts > MIX_MAX_PARTS || opts->silence_peak < 0)
		return EINVAL;
	m = obj_zalloc(sizeof(*m), mix_destroy);
	if (!m)
		return ENOMEM;
	m->fixed_rate = opts->rate;
	m->rate = opts->rate ? opts->rate : 8000;
	m->frame = m->rate * MIX_PTIME_MS / 1000;
	m->max_parts = opts->max_parts;
	m->silence_peak = opts->silence_peak;
	m->parts = obj_zalloc(m->max_parts * sizeof(*m->parts), NULL);
	m->acc = obj_zalloc(MIX_MAX_FRAME * sizeof(*m->acc), NULL);
	m->tmp = obj_zalloc(MIX_MAX_FRAME * sizeof(*m->tmp), NULL);
	if (!m->parts || !m->acc || !m->tmp)
		err = ENOMEM;
	if (err)
		m = obj_deref(m);
	*mp = m;
	return err;
}

static int mix_retune(struct mix *m);

static void part_unlink(struct mix_part *p)
{
	struct mix *m = p->mix;

	if (!m)
		return;
	m->n--;
	m->parts[p->slot] = m->parts[m->n];
	m->parts[p->slot]->slot = p->slot;
	m->parts[m->n] = NULL;
	p->mix = NULL;
	/* Best effort: on ENOMEM the room keeps its current rate. */
	mix_retune(m);
}

static void part_destroy(void *data)
{
	struct mix_part *p = data;

	part_unlink(p);
	{
		struct rs_pair rp = {p->up, p->down};
		rs_free(&rp);
	}
	obj_deref(p->in);
	obj_deref(p->in_mix);
	obj_deref(p->out);
}

static int rs_make(struct rs_pair *rp, uint32_t rate, uint32_t mrate)
{
	int e = 0;

	rp->up = rp->down = NULL;
	if (rate == mrate)
		return 0;
	rp->up = speex_resampler_init(1, rate, mrate, MIX_RS_QUALITY, &e);
	rp->down = speex_resampler_init(1, mrate, rate, MIX_RS_QUALITY, &e);
	if (rp->up && rp->down)
		return 0;
	rs_free(rp);
	return ENOMEM;
}

static uint32_t target_rate(const struct mix *m)
{
	uint32_t r = 8000;

	if (m->fixed_rate)
		return m->fixed_rate;
	for (unsigned i = 0; i < m->n; i++)
		if (m->parts[i]->rate > r)
			r = m->parts[i]->rate;
	return r;
}

/* Move the room to its target rate; all or nothing. */
static int mix_retune(struct mix *m)
{
	struct rs_pair rs[MIX_MAX_PARTS];
	uint32_t r = target_rate(m);
	unsigned made = 0;

	if (r == m->rate)
		return 0;
	for (; made < m->n; made++)
		if (rs_make(&rs[made], m->parts[made]->rate, r))
			break;
	if (made < m->n) {
		while (made--)
			rs_free(&rs[made]);
		return ENOMEM;
	}
	for (unsigned i = 0; i < m->n; i++) {
		struct mix_part *p = m->parts[i];
		struct rs_pair old = {p->up, p->down};

		rs_free(&old);
		p->up = rs[i].up;
		p->down = rs[i].down;
		p->was_talking = p->was_hearing = false;
	}
	m->rate = r;
	m->frame = r * MIX_PTIME_MS / 1000;
	return 0;
}

int mix_add(struct mix_part **pp, struct mix *m, uint32_t rate)
{
	struct mix_part *p;
	int err = 0;

	if (!pp || !m || !rate_ok(rate))
		return EINVAL;
	if (m->n >= m->max_parts)
		return ENOSPC;
	p = obj_zalloc(sizeof(*p), part_destroy);
	if (!p)
		return ENOMEM;
	p->rate = rate;
	p->frame = rate * MIX_PTIME_MS / 1000;
	p->out_silent = true;
	p->in = obj_zalloc(p->frame * sizeof(int16_t), NULL);
	p->in_mix = obj_zalloc(MIX_MAX_FRAME * sizeof(int16_t), NULL);
	p->out = obj_zalloc(p->frame * sizeof(int16_t), NULL);
	if (!p->in || !p->in_mix || !p->out) {
		err = ENOMEM;
		goto out;
	}
	{
		struct rs_pair rp;
		err = rs_make(&rp, rate, m->rate);
		p->up = rp.up;
		p->down = rp.down;
	}
	if (err)
		goto out;
	p->mix = m;
	p->slot = m->n;
	m->parts[m->n++] = p;
	/* On failure the destructor unlinks p and the room stays as it was. */
	err = mix_retune(m);
out:
	if (err)
		p = obj_deref(p);
	*pp = p;
	return err;
}

size_t mix_part_frame(const struct mix_part *p)
{
	return p ? p->frame : 0;
}

uint32_t mix_rate(const struct mix *m)
{
	return m ? m->rate : 0;
}

unsigned mix_count(const struct mix *m)
{
	return m ? m->n : 0;
}

static int peak(const int16_t *s, size_t n)
{
	int pk = 0;

	for (size_t i = 0; i < n; i++) {
		int v = s[i] < 0 ? -s[i] : s[i];
		if (v > pk)
			pk = v;
	}
	return pk;
}

int mix_put(struct mix_part *p, const int16_t *frame, bool silent)
{
	if (!p || !frame)
		return EINVAL;
	if (!p->mix)
		return ENOENT;
	p->has = true;
	p->talking = !silent && peak(frame, p->frame) > p->mix->silence_peak;
	if (p->talking)
		memcpy(p->in, frame, p->frame * sizeof(int16_t));
	return 0;
}

/* Resample exactly @p inn -> @p outn samples; a short result is padded. */
static void resample(SpeexResamplerState *st, const int16_t *in, size_t inn,
		     int16_t *out, size_t outn)
{
	spx_uint32_t il = (spx_uint32_t)inn, ol = (spx_uint32_t)outn;

	speex_resampler_process_int(st, 0, in, &il, out, &ol);
	if (ol < outn)
		memset(out + ol, 0, (outn - ol) * sizeof(int16_t));
}

/* Bring each talker to the internal rate and sum; returns talkers. */
static unsigned gather(struct mix *m)
{
	unsigned talkers = 0;

	memset(m->acc, 0, m->frame * sizeof(*m->acc));
	for (unsigned i = 0; i < m->n; i++) {
		struct mix_part *p = m->parts[i];
		bool on = p->has && p->talking;

		p->src = NULL;
		if (on && p->up) {
			if (!p->was_talking)
				speex_resampler_reset_mem(p->up);
			resample(p->up, p->in, p->frame, p->in_mix, m->frame);
			p->src = p->in_mix;
		} else if (on) {
			p->src = p->in;
		}
		p->was_talking = on;
		p->has = false;
		if (!p->src)
			continue;
		for (size_t k = 0; k < m->frame; k++)
			m->acc[k] += p->src[k];
		talkers++;
	}
	return talkers;
}

static inline int16_t clamp16(int32_t v)
{
	return v > INT16_MAX   ? INT16_MAX
	       : v < INT16_MIN ? INT16_MIN
			       : (int16_t)v;
}

/* acc minus p's own contribution, clamped, at p's rate. */
static void deliver(struct mix *m, struct mix_part *p)
{
	int16_t *dst = p->up ? m->tmp : p->out;

	if (p->src) {
		for (size_t k = 0; k < m->frame; k++)
			dst[k] = clamp16(m->acc[k] - p->src[k]);
	} else {
		for (size_t k = 0; k < m->frame; k++)
			dst[k] = clamp16(m->acc[k]);
	}
	if (p->down) {
		if (!p->was_hearing)
			speex_resampler_reset_mem(p->down);
		resample(p->down, m->tmp, m->frame, p->out, p->frame);
	}
}

void mix_tick(struct mix *m)
{
	unsigned talkers;

	if (!m)
		return;
	talkers = gather(m);
	for (unsigned i = 0; i < m->n; i++) {
		struct mix_part *p = m->parts[i];
		unsigned others = talkers - (p->src ? 1 : 0);

		if (!others) {
			if (!p->out_silent)
				memset(p->out, 0, p->frame * sizeof(int16_t));
			p->out_silent = true;
			p->was_hearing = false;
			continue;
		}
		deliver(m, p);
		p->out_silent = false;
		p->was_hearing = true;
	}
}

const int16_t *mix_out(const struct mix_part *p)
{
	return p ? p->out : NULL;
}

bool mix_out_silent(const struct mix_part *p)
{
	return p ? p->out_silent : true;
}
