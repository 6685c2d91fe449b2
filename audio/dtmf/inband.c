/* inband.c: in-band DTMF generation and detection at 8 kHz (SpanDSP). */
#include <errno.h>
#include <string.h>

#include <spandsp.h>

#include "audio/dtmf.h"
#include "base/mem.h"

struct dtmf_gen {
	dtmf_tx_state_t *tx;
};

struct dtmf_det {
	dtmf_rx_state_t *rx;
	dtmf_digit_h *h;
	void *arg;
};

static void gen_destroy(void *data)
{
	struct dtmf_gen *gen = data;
	if (gen->tx)
		dtmf_tx_free(gen->tx);
}

int dtmf_gen_alloc(struct dtmf_gen **genp)
{
	struct dtmf_gen *gen;
	if (!genp)
		return EINVAL;
	gen = obj_zalloc(sizeof(*gen), gen_destroy);
	if (!gen)
		return ENOMEM;
	gen->tx = dtmf_tx_init(NULL);
	if (!gen->tx) {
		obj_deref(gen);
		return ENOMEM;
	}
	*genp = gen;
	return 0;
}

int dtmf_gen_put(struct dtmf_gen *gen, const char *digits)
{
	size_t n;
	if (!gen || !digits)
		return EINVAL;
	for (n = 0; digits[n]; n++)
		if (dtmf_ev_code(digits[n]) < 0)
			return EINVAL;
	if (n > 128)
		return EINVAL;
	return dtmf_tx_put(gen->tx, digits, (int)n) ? ENOMEM : 0;
}

size_t dtmf_gen_read(struct dtmf_gen *gen, int16_t *pcm, size_t n)
{
	int got;
	if (!gen || !pcm || n > INT32_MAX)
		return 0;
	got = dtmf_tx(gen->tx, pcm, (int)n);
	if (got < 0)
		got = 0;
	if ((size_t)got < n)
		memset(pcm + got, 0, (n - (size_t)got) * sizeof(*pcm));
	return (size_t)got;
}

static void det_digits(void *arg, const char *digits, int len)
{
	struct dtmf_det *det = arg;
	for (int i = 0; i < len; i++)
		det->h(digits[i], det->arg);
}

static void det_destroy(void *data)
{
	struct dtmf_det *det = data;
	if (det->rx)
		dtmf_rx_free(det->rx);
}

int dtmf_det_alloc(struct dtmf_det **detp, dtmf_digit_h *h, void *arg)
{
	struct dtmf_det *det;
	if (!detp || !h)
		return EINVAL;
	det = obj_zalloc(sizeof(*det), det_destroy);
	if (!det)
		return ENOMEM;
	det->h = h;
	det->arg = arg;
	det->rx = dtmf_rx_init(NULL, det_digits, det);
	if (!det->rx) {
		obj_deref(det);
		return ENOMEM;
	}
	*detp = det;
	return 0;
}

int dtmf_det_put(struct dtmf_det *det, const int16_t *pcm, size_t n)
{
	if (!det || !pcm || n > INT32_MAX)
		return EINVAL;
	dtmf_rx(det->rx, pcm, (int)n);
	return 0;
}
