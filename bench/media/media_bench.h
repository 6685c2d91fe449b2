/* media_bench.h: the figures each part of bench/media measures. */
#ifndef PB_BENCH_MEDIA_H
#define PB_BENCH_MEDIA_H

#include <stdbool.h>
#include <stdint.h>

/** Filled by the parts; 0 means "not measured". Costs in ns of CPU. */
struct media_bench {
	double srtp_protect_ns;	   /**< one 20 ms G.711 RTP packet (172 B) */
	double srtp_unprotect_ns;  /**< same packet, unprotect             */
	double rtp_relay_ns;	   /**< recv+send of one plain RTP packet  */
	double opus_enc_ns;	   /**< one 20 ms 48 kHz mono frame        */
	double opus_dec_ns;	   /**< one 20 ms frame                    */
	double g711_enc_ns;	   /**< one 20 ms 8 kHz frame              */
	double g711_dec_ns;	   /**< one 20 ms frame                    */
	double mix5_tick_ns;	   /**< one 20 ms mix tick, 5 parties, PCM */
				   /*   at 8 kHz (the G.711 room)       */
	double relay_pkt_ns;	   /**< relay thread CPU per relayed SRTP */
				   /*   packet, real RTP path, batched  */
	double relay_floor_ns;	   /**< the kernel alone: same sockets,   */
				   /*   epoll + recvfrom + sendto, no   */
				   /*   RTP/SRTP work                   */
	double relay_p99_us;	   /**< added latency p99 of that relay   */
	double opus_room_all_ns;   /**< whole 5-party Opus tick, all talk, */
				   /*   conference complexity           */
	double opus_room_1talk_ns; /**< same, 1 talker, shared encodes   */
	double mix5_48k_tick_ns;   /**< same with 5 parties at 48 kHz      */
				   /*   (the Opus room)                 */
};

/** Measure wall-clock-independent CPU time of fn over iterations. */
uint64_t bench_cpu_ns(void);
/** PB_BENCH_QUICK=1 (the smoke test): parts run few iterations. */
bool bench_quick(void);

/* Parts: each fills its fields. Defined in their own files. */
void bench_srtp(struct media_bench *mb);
void bench_codec(struct media_bench *mb);
void bench_mix(struct media_bench *mb);
void bench_relay(struct media_bench *mb);
void bench_room(struct media_bench *mb);

#endif
