/* event.c: RFC 4733 telephone-event payloads, sender and receiver.
 *
 * Payload (RFC 4733 2.3):
 *   0                   1                   2                   3
 *   | event (8)     |E|R| volume(6) |        duration (16)          |
 * One event keeps the RTP timestamp of its start in every packet; the first
 * packet has the RTP marker bit, updates grow the duration, the end is sent
 * three times with E set. The receiver keys events by timestamp, so lost
 * start packets, duplicates and retransmitted ends yield exactly one digit.
 */
#include <errno.h>
#include <string.h>

#include "audio/dtmf.h"
#include "base/mem.h"

static const char dtmf_digits[] = "0123456789*#ABCD";

enum { EV_TICK_MS = 20, EV_END_REPEATS = 3, EV_VOLUME = 10 };

int dtmf_ev_code(char digit)
{
	const char *p;
	if (digit >= 'a' && digit <= 'd')
		digit = (char)(digit - 'a' + 'A');
	if (!digit)
		return -1;
	p = strchr(dtmf_digits, digit);
	return p ? (int)(p - dtmf_digits) : -1;
}

char dtmf_ev_digit(uint8_t event)
{
	return event < 16 ? dtmf_digits[event] : 0;
}

int dtmf_ev_encode(uint8_t *buf, size_t max, const struct dtmf_ev *ev)
{
	if (!buf || !ev || ev->volume > 63)
		return EINVAL;
	if (max < 4)
		return ENOMEM;
	buf[0] = ev->event;
	buf[1] = (uint8_t)((ev->end ? 0x80 : 0) | ev->volume);
	buf[2] = (uint8_t)(ev->duration >> 8);
	buf[3] = (uint8_t)ev->duration;
	return 0;
}

int dtmf_ev_decode(struct dtmf_ev *ev, const uint8_t *buf, size_t len)
{
	if (!ev || !buf)
		return EINVAL;
	if (len < 4)
		return EBADMSG;
	ev->event = buf[0];
	ev->end = (buf[1] & 0x80) != 0;
	ev->volume = buf[1] & 0x3f;
	ev->duration = (uint16_t)(buf[2] << 8 | buf[3]);
	return 0;
}

struct dtmf_ev_tx {
	uint32_t clock;
	uint32_t ts;
	uint8_t event;
	uint32_t total; /**< ticks the tone lasts         */
	uint32_t dur;	/**< duration sent so far         */
	unsigned ends;	/**< end packets still to send    */
	bool active, started;
};

int dtmf_ev_tx_alloc(struct dtmf_ev_tx **txp, uint32_t clock)
{
	struct dtmf_ev_tx *tx;
	if (!txp || !clock)
		return EINVAL;
	tx = obj_zalloc(sizeof(*tx), NULL);
	if (!tx)
		return ENOMEM;
	tx->clock = clock;
	*txp = tx;
	return 0;
}

int dtmf_ev_tx_start(struct dtmf_ev_tx *tx, char digit, uint32_t ts,
		     unsigned ms)
{
	int code = dtmf_ev_code(digit);
	uint64_t total;

	if (!tx || code < 0 || !ms)
		return EINVAL;
	if (tx->active)
		return EBUSY;
	total = (uint64_t)ms * tx->clock / 1000;
	if (total > 0xffff)
		total = 0xffff; /* one segment; longer tones are clipped */
	tx->event = (uint8_t)code;
	tx->ts = ts;
	tx->total = (uint32_t)total;
	tx->dur = 0;
	tx->ends = EV_END_REPEATS;
	tx->active = true;
	tx->started = false;
	return 0;
}

int dtmf_ev_tx_poll(struct dtmf_ev_tx *tx, uint8_t *buf, size_t max,
		    size_t *len, bool *marker, uint32_t *ts)
{
	struct dtmf_ev ev = {0};
	uint32_t step;
	int err;

	if (!tx || !buf || !len || !marker || !ts)
		return EINVAL;
	if (!tx->active)
		return ENOENT;
	step = tx->clock * EV_TICK_MS / 1000;
	ev.event = tx->event;
	ev.volume = EV_VOLUME;
	if (tx->dur < tx->total) {
		tx->dur =
		    tx->dur + step > tx->total ? tx->total : tx->dur + step;
	}
	ev.end = tx->dur >= tx->total;
	ev.duration = (uint16_t)tx->dur;
	err = dtmf_ev_encode(buf, max, &ev);
	if (err)
		return err;
	*len = 4;
	*marker = !tx->started;
	*ts = tx->ts;
	tx->started = true;
	if (ev.end && --tx->ends == 0)
		tx->active = false;
	return 0;
}

struct dtmf_ev_rx {
	dtmf_digit_h *h;
	void *arg;
	bool have;   /**< an event has been seen        */
	uint32_t ts; /**< its timestamp                 */
	uint8_t event;
	bool ended;
};

int dtmf_ev_rx_alloc(struct dtmf_ev_rx **rxp, dtmf_digit_h *h, void *arg)
{
	struct dtmf_ev_rx *rx;
	if (!rxp || !h)
		return EINVAL;
	rx = obj_zalloc(sizeof(*rx), NULL);
	if (!rx)
		return ENOMEM;
	rx->h = h;
	rx->arg = arg;
	*rxp = rx;
	return 0;
}

int dtmf_ev_rx_put(struct dtmf_ev_rx *rx, uint32_t ts, bool marker,
		   const uint8_t *payload, size_t len)
{
	struct dtmf_ev ev;
	bool cont;
	int err;

	if (!rx || !payload)
		return EINVAL;
	err = dtmf_ev_decode(&ev, payload, len);
	if (err)
		return err;
	if (ev.event > 15)
		return 0; /* not DTMF (flash, fax tones): ignored */
	if (rx->have && ts == rx->ts) {
		if (ev.end)
			rx->ended = true;
		return 0;
	}
	/* A new timestamp without marker for the same, unfinished event is
	 * the next segment of a long tone (RFC 4733 2.5.1.3). */
	cont = rx->have && !marker && !rx->ended && ev.event == rx->event &&
	       (int32_t)(ts - rx->ts) > 0;
	rx->have = true;
	rx->ts = ts;
	rx->event = ev.event;
	rx->ended = ev.end;
	if (!cont)
		rx->h(dtmf_ev_digit(ev.event), rx->arg);
	return 0;
}
