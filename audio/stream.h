/* stream.h: one audio media stream: RTP/SRTP <-> codec <-> source and sink.
 *
 * A stream is what a call (or a PBX leg) plays and hears. It owns one RTP
 * session (its socket is opened by stream_alloc() so the port can go into
 * SDP before the far end is known), an encoder and a decoder for the
 * negotiated codec, a jitter buffer, RFC 4733 DTMF send/receive, in-band
 * DTMF detection, a source (sound card, WAV file, silence) and a sink
 * (sound card, WAV file, discard). A 20 ms timer on the loop moves one
 * frame each way. Packets received may hold 10..120 ms (any codec); we
 * send 20 ms packets unless the far end asked for another size (see
 * codec_tx_ptime()). audio/ knows nothing of SIP: the caller turns SDP
 * into struct stream_params.
 */
#ifndef PB_AUDIO_STREAM_H
#define PB_AUDIO_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "audio/dev.h"
#include "audio/srtp/srtp.h"

struct loop;
struct stream;

/** Where a stream's audio comes from and goes to (fixed for its life). */
struct stream_opts {
	const char *laddr;	   /**< local IP to bind ("127.0.0.1", "::",
					NULL = "0.0.0.0")                 */
	uint16_t port_min;	   /**< RTP port range (even ports; RTCP is
					port+1); 0/0 = any free even port
					of 16384-32767                    */
	uint16_t port_max;
	enum audev_backend src_be; /**< source: PORTAUDIO, NULL (silence), WAV */
	const char *src_dev;	   /**< device name / WAV path to play      */
	bool src_loop;		   /**< WAV source: start over at the end   */
	enum audev_backend sink_be; /**< sink: PORTAUDIO, NULL, WAV         */
	const char *sink_dev;	   /**< device name / WAV path to record    */
	enum srtpx_backend srtp_be; /**< SRTP backend (default AUTO: our
					 OpenSSL one for AES_CM_128_*,
					 libsrtp2 for the other suites) */
	uint32_t rate;	   /**< device/file rate: 8000, 16000 (default)
				or 48000; resampled to the codec's     */
	bool rtcp_mux;	   /**< one socket for RTP and RTCP (RFC 5761) */
	bool symmetric;	   /**< send to where the peer's packets come
				from (NAT latching)                    */
	unsigned dtmf_ms;  /**< RFC 4733 tone length (default 100 ms)  */
};

/** Defaults: any port on 0.0.0.0, null source and sink, 16 kHz devices,
 *  AUTO SRTP backend, no mux, no latching, 100 ms DTMF. */
void stream_opts_default(struct stream_opts *o);

/** The negotiated media (from SDP offer/answer). */
struct stream_params {
	const char *codec; /**< "PCMU", "PCMA", "G722", "opus"            */
	uint32_t pt;	   /**< its payload type                          */
	uint32_t clock;	   /**< its RTP clock rate (rtpmap)               */
	int te_pt;	   /**< telephone-event PT, -1 when none          */
	unsigned ptime;	   /**< far end's a=ptime (ms), 0 = not given     */
	unsigned maxptime; /**< far end's a=maxptime (ms), 0 = not given  */
	struct sockaddr_storage raddr; /**< far end RTP address; port 0 or
					    family AF_UNSPEC = none yet   */
	uint16_t rtcp_port; /**< far end RTCP port; 0 = RTP port + 1     */
	bool rtcp_mux;	   /**< RTCP on the RTP port                      */
	bool send;	   /**< we send (not on hold / inactive)          */
	bool recv;	   /**< we play what arrives                      */
	bool srtp;	   /**< SRTP on: the keys below are set           */
	enum srtpx_suite suite;
	uint8_t tx_key[SRTPX_MAX_KEYSALT]; /**< our master key || salt    */
	size_t tx_keylen;
	uint8_t rx_key[SRTPX_MAX_KEYSALT]; /**< theirs                    */
	size_t rx_keylen;
};

/** Figures for the UI (one call's line) and tests. */
struct stream_stats {
	const char *codec;     /**< NULL before stream_start()       */
	const char *suite;     /**< SRTP suite name, NULL when plain */
	uint64_t tx_packets, rx_packets;
	uint64_t rx_lost;      /**< by sequence gaps                 */
	uint64_t srtp_fail;    /**< SRTP/SRTCP auth/replay failures  */
	uint64_t dtmf_rx;      /**< digits received (4733 or in-band) */
	double jitter_ms;      /**< RFC 3550 interarrival jitter     */
	bool muted;
	/* added by the stream module */
	uint64_t concealed;    /**< frames played by loss concealment */
	unsigned jb_delay_ms;  /**< jitter buffer delay now          */
	bool rtt_valid;	       /**< rtt_ms holds a measurement       */
	double rtt_ms;	       /**< RTCP round-trip time             */
	bool sending;	       /**< audio goes out (started, send, peer) */
	bool remote_bye;       /**< the peer sent RTCP BYE           */
	uint64_t play_underruns; /**< sound card found no frame to play */
	uint64_t play_overruns;	 /**< frames dropped, playback ring full */
	uint64_t cap_overruns;	 /**< captured frames dropped          */
	unsigned tx_ptime;	 /**< ms of audio per packet we send   */
};

struct stream_handlers {
	/** A DTMF digit arrived (RFC 4733 event or in-band tone), once. */
	void (*dtmfh)(char digit, void *arg);
	/** The WAV source (without loop) has been played to its end. */
	void (*src_endh)(void *arg);
};

/**
 * Open the RTP/RTCP sockets and the source and sink devices. Nothing is
 * sent until stream_start(). On failure a one-line reason is written to
 * @p err (e.g. "cannot open /x.wav: no such file").
 * @return 0, EINVAL, EADDRINUSE (no free port in the range), ENODEV,
 *         ENOMEM, or a device/WAV error.
 */
int stream_alloc(struct stream **sp, struct loop *loop,
		 const struct stream_opts *o, const struct stream_handlers *h,
		 void *arg, char *err, size_t errlen);

/** Local RTP port (for SDP m= line); RTCP is on port + 1. */
uint16_t stream_port(const struct stream *s);
/** Local RTCP port: stream_port() + 1, or the same with opts.rtcp_mux. */
uint16_t stream_rtcp_port(const struct stream *s);

/**
 * Start, or change while running (re-INVITE/UPDATE: new peer, codec,
 * keys, direction), what the stream does. Safe to call again with the
 * same parameters (same keys are not re-keyed). send=false sends no RTP
 * (RTCP goes on); recv=false plays silence. A peer address of AF_UNSPEC
 * or port 0 also stops sending. Nothing changes when an error is returned.
 * @return 0, EINVAL (unknown codec, bad payload type, bad key length,
 * peer of another address family), ENOTSUP (suite not supported by the
 * SRTP backend, or plain RTP asked for after SRTP: no downgrade), ENOMEM,
 * EIO (a sound card failed to start).
 */
int stream_start(struct stream *s, const struct stream_params *p);

/**
 * Send DTMF @p digit (0-9 * # A-D, a-d): RFC 4733 events when te_pt >= 0,
 * otherwise an in-band tone. Digits given while one is being sent are
 * queued and sent in order. @return 0 (sent or queued), EINVAL,
 * ENOSPC (64 digits already queued), ENOTCONN (not started).
 */
int stream_dtmf(struct stream *s, char digit);

/** Mute (send silence) or unmute the source. */
void stream_mute(struct stream *s, bool mute);

void stream_stats(const struct stream *s, struct stream_stats *st);

/** Stop sending, send RTCP BYE, close sockets and devices; free. NULL-safe.
 *  (obj_deref() on a stream does the same.) */
struct stream *stream_close(struct stream *s);

#endif
