/* stream_util.h: fixtures for audio stream tests: a temp dir with tone WAV
 * files, streams on 127.0.0.1, parameters, a fake-clock pump, and checks
 * of what a WAV recording holds. */
#ifndef PB_TESTS_STREAM_UTIL_H
#define PB_TESTS_STREAM_UTIL_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio/srtp/srtp_sdes.h"
#include "audio/stream.h"
#include "audio/tone.h"
#include "audio/wav.h"
#include "base/base.h"

enum { SU_AMP = 8000, SU_RATE = 16000 };

static char su_dir[64];

/** Path of @p name inside the test's temp dir (4 rotating buffers). */
static inline const char *su_path(const char *name)
{
	static char p[4][128];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", su_dir, name);
	return p[k];
}

static inline void su_cleanup(void)
{
	char cmd[128];

	if (!su_dir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", su_dir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", su_dir);
	su_dir[0] = '\0';
}

/** Make the temp dir and write tone WAVs: NAME.wav of @p secs seconds
 *  of @p hz at amplitude SU_AMP, 8 kHz mono. */
static inline int su_tone_wav(const char *name, double hz, unsigned secs)
{
	size_t n = (size_t)secs * 8000;
	int16_t *s;
	double ph = 0;
	int e;

	if (!su_dir[0]) {
		snprintf(su_dir, sizeof(su_dir), "/tmp/pbstream.XXXXXX");
		if (!mkdtemp(su_dir))
			return errno;
		atexit(su_cleanup);
	}
	s = malloc(n * sizeof(*s));
	if (!s)
		return ENOMEM;
	tone_sine(s, n, 8000, hz, SU_AMP, &ph);
	e = wav_save(su_path(name), s, n, 8000, NULL, 0);
	free(s);
	return e;
}

/** Open a stream on 127.0.0.1 playing WAV @p src (NULL: silence) and
 *  recording to WAV @p sink (NULL: discard). */
static inline int su_stream(struct stream **sp, struct loop *l, const char *src,
			    const char *sink, const struct stream_handlers *h,
			    void *arg)
{
	struct stream_opts o;
	char err[256] = "";
	int e;

	stream_opts_default(&o);
	o.laddr = "127.0.0.1";
	o.rate = SU_RATE;
	if (src) {
		o.src_be = AUDEV_WAV;
		o.src_dev = src;
		o.src_loop = true;
	}
	if (sink) {
		o.sink_be = AUDEV_WAV;
		o.sink_dev = sink;
	}
	e = stream_alloc(sp, l, &o, h, arg, err, sizeof(err));
	if (e)
		fprintf(stderr, "stream_alloc: %s\n", err);
	return e;
}

/** Parameters for @p codec sending to 127.0.0.1:@p port. */
static inline void su_params(struct stream_params *p, const char *codec,
			     uint16_t port)
{
	struct sockaddr_in *in = (struct sockaddr_in *)&p->raddr;

	memset(p, 0, sizeof(*p));
	p->codec = codec;
	if (!strcmp(codec, "PCMU"))
		p->pt = 0, p->clock = 8000;
	else if (!strcmp(codec, "PCMA"))
		p->pt = 8, p->clock = 8000;
	else if (!strcmp(codec, "G722"))
		p->pt = 9, p->clock = 8000;
	else
		p->pt = 111, p->clock = 48000;
	p->te_pt = 101;
	in->sin_family = AF_INET;
	in->sin_port = htons(port);
	in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	p->send = p->recv = true;
}

/** Fresh keys for a pair: @p a gets tx=k1 rx=k2, @p b the reverse. */
static inline int su_keys(struct stream_params *a, struct stream_params *b,
			  enum srtpx_suite suite)
{
	size_t kl = srtpx_keysalt_len(suite);
	int e = srtpx_key_generate(suite, a->tx_key, sizeof(a->tx_key));

	if (!e)
		e = srtpx_key_generate(suite, a->rx_key, sizeof(a->rx_key));
	if (e)
		return e;
	a->srtp = b->srtp = true;
	a->suite = b->suite = suite;
	a->tx_keylen = a->rx_keylen = b->tx_keylen = b->rx_keylen = kl;
	memcpy(b->tx_key, a->rx_key, kl);
	memcpy(b->rx_key, a->tx_key, kl);
	return 0;
}

/** Move the fake clock @p ms forward in 10 ms steps, reading the sockets
 *  after each step (loopback delivers a datagram within sendto()). */
static inline void su_pump(struct loop *l, unsigned ms)
{
	for (unsigned t = 0; t < ms; t += 10) {
		loop_advance(l, 10);
		loop_poll(l, 0);
	}
}

/** Load a recording at SU_RATE. */
static inline struct wav_pcm *su_load(const char *name)
{
	struct wav_pcm *w = NULL;
	char err[256];

	if (wav_load(&w, su_path(name), SU_RATE, err, sizeof(err)))
		fprintf(stderr, "wav_load: %s\n", err);
	return w;
}

/** Amplitude of @p hz in [@p from_ms, @p to_ms) of recording @p w. */
static inline double su_amp(const struct wav_pcm *w, double hz,
			    unsigned from_ms, unsigned to_ms)
{
	size_t a = (size_t)from_ms * SU_RATE / 1000;
	size_t b = (size_t)to_ms * SU_RATE / 1000;

	if (!w || b > w->n || a >= b)
		return -1;
	return tone_goertzel(w->s + a, b - a, SU_RATE, hz);
}

/** RMS level in [@p from_ms, @p to_ms) of recording @p w. */
static inline double su_rms(const struct wav_pcm *w, unsigned from_ms,
			    unsigned to_ms)
{
	size_t a = (size_t)from_ms * SU_RATE / 1000;
	size_t b = (size_t)to_ms * SU_RATE / 1000;

	if (!w || b > w->n || a >= b)
		return -1;
	return tone_rms(w->s + a, b - a);
}

/** Recording length in ms. */
static inline unsigned su_ms(const struct wav_pcm *w)
{
	return w ? (unsigned)(w->n * 1000 / SU_RATE) : 0;
}

#endif
