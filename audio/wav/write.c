/* write.c: write 16-bit mono PCM WAV files through libsndfile. */
#include <errno.h>
#include <string.h>

#include <sndfile.h>

#include "audio/wav.h"
#include "audio/wav/wav_int.h"
#include "base/mem.h"

struct wav_writer {
	SNDFILE *sf;	/**< open file          */
	uint64_t count; /**< samples written    */
};

static void writer_destroy(void *data)
{
	struct wav_writer *w = data;
	if (w->sf)
		sf_close(w->sf);
}

int wav_writer_open(struct wav_writer **wp, const char *path, uint32_t rate,
		    char *err, size_t errlen)
{
	SF_INFO fi = {0};
	struct wav_writer *w;

	if (!wp || !path || !rate || rate > 192000)
		return EINVAL;
	w = obj_zalloc(sizeof(*w), writer_destroy);
	if (!w)
		return ENOMEM;
	fi.samplerate = (int)rate;
	fi.channels = 1;
	fi.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
	w->sf = sf_open(path, SFM_WRITE, &fi);
	if (!w->sf) {
		au_errf(err, errlen, "%s: cannot create (%s)", path,
			sf_strerror(NULL));
		*wp = obj_deref(w);
		return EIO;
	}
	*wp = w;
	return 0;
}

int wav_writer_write(struct wav_writer *w, const int16_t *s, size_t n)
{
	sf_count_t put;

	if (!w || (!s && n))
		return EINVAL;
	if (!n)
		return 0;
	put = sf_write_short(w->sf, s, (sf_count_t)n);
	if (put > 0)
		w->count += (uint64_t)put;
	return put == (sf_count_t)n ? 0 : EIO;
}

uint64_t wav_writer_count(const struct wav_writer *w)
{
	return w ? w->count : 0;
}

int wav_save(const char *path, const int16_t *s, size_t n, uint32_t rate,
	     char *err, size_t errlen)
{
	struct wav_writer *w;
	int e = wav_writer_open(&w, path, rate, err, errlen);

	if (e)
		return e;
	e = wav_writer_write(w, s, n);
	if (e)
		au_errf(err, errlen, "%s: write failed", path);
	obj_deref(w);
	return e;
}
