/* dtmf.h: DTMF as RFC 4733 telephone-events and in-band tones (SpanDSP). */
#ifndef PB_AUDIO_DTMF_H
#define PB_AUDIO_DTMF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** One RFC 4733 telephone-event payload (4 bytes on the wire). */
struct dtmf_ev {
	uint8_t event;	   /**< 0-9, 10 '*', 11 '#', 12-15 'A'-'D' */
	bool end;	   /**< E bit                              */
	uint8_t volume;	   /**< 0..63, -dBm0                       */
	uint16_t duration; /**< in RTP clock ticks                 */
};

/** Event code of a digit ("0-9*#A-D"), -1 if not a DTMF digit. */
int dtmf_ev_code(char digit);
/** Digit of an event code, 0 if not 0..15. */
char dtmf_ev_digit(uint8_t event);
/** Write @p ev into @p buf; 0, EINVAL, ENOMEM (max < 4). */
int dtmf_ev_encode(uint8_t *buf, size_t max, const struct dtmf_ev *ev);
/** Parse a payload; 0, EINVAL, EBADMSG (short / R bit abuse ignored). */
int dtmf_ev_decode(struct dtmf_ev *ev, const uint8_t *buf, size_t len);

/** Sender of one digit at a time, one packet per 20 ms tick. */
struct dtmf_ev_tx;
/** @p clock RTP clock (8000); 0, EINVAL, ENOMEM. */
int dtmf_ev_tx_alloc(struct dtmf_ev_tx **txp, uint32_t clock);
/** Begin sending @p digit lasting @p ms with event timestamp @p ts.
 *  @return 0, EINVAL (not a digit), EBUSY (a digit is still going). */
int dtmf_ev_tx_start(struct dtmf_ev_tx *tx, char digit, uint32_t ts,
		     unsigned ms);
/** One packet for this tick: the first has *marker set, then updates,
 *  then three end packets with the final duration. All share *ts.
 *  @return 0 with a packet, ENOENT when nothing is being sent. */
int dtmf_ev_tx_poll(struct dtmf_ev_tx *tx, uint8_t *buf, size_t max,
		    size_t *len, bool *marker, uint32_t *ts);

/** Called once per received digit. */
typedef void(dtmf_digit_h)(char digit, void *arg);

/** Receiver: reports every event once, however many packets carry it. */
struct dtmf_ev_rx;
int dtmf_ev_rx_alloc(struct dtmf_ev_rx **rxp, dtmf_digit_h *h, void *arg);
/** Feed one telephone-event RTP payload with its RTP timestamp and marker.
 *  @return 0, EINVAL, EBADMSG. */
int dtmf_ev_rx_put(struct dtmf_ev_rx *rx, uint32_t ts, bool marker,
		   const uint8_t *payload, size_t len);

/** In-band DTMF generator at 8 kHz (SpanDSP dtmf_tx). */
struct dtmf_gen;
int dtmf_gen_alloc(struct dtmf_gen **genp);
/** Queue digits (each 50 ms on / 55 ms off); 0, EINVAL, ENOMEM (queue full). */
int dtmf_gen_put(struct dtmf_gen *gen, const char *digits);
/** Write @p n samples (zero-filled after the queue drains); returns samples
 *  of tone written before the queue drained. */
size_t dtmf_gen_read(struct dtmf_gen *gen, int16_t *pcm, size_t n);

/** In-band DTMF detector at 8 kHz (SpanDSP dtmf_rx). */
struct dtmf_det;
int dtmf_det_alloc(struct dtmf_det **detp, dtmf_digit_h *h, void *arg);
/** Feed 8 kHz samples; digits are reported through the handler. */
int dtmf_det_put(struct dtmf_det *det, const int16_t *pcm, size_t n);

#endif
