/* main.c: bench/media: per-packet and per-frame media costs and the
 * capacity they imply for one core (DESIGN.md section 10).
 *
 * Each part (srtp.c, codec.c, mix.c) fills its figures in struct
 * media_bench; a part not built yet is a weak symbol left NULL. The derived
 * capacities are printed beside the targets they must meet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "media_bench.h"

__attribute__((weak)) void bench_srtp(struct media_bench *mb);
__attribute__((weak)) void bench_codec(struct media_bench *mb);
__attribute__((weak)) void bench_mix(struct media_bench *mb);
__attribute__((weak)) void bench_relay(struct media_bench *mb);
__attribute__((weak)) void bench_room(struct media_bench *mb);

uint64_t bench_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

bool bench_quick(void)
{
	const char *q = getenv("PB_BENCH_QUICK");
	return q && *q && strcmp(q, "0");
}

static void capacity(const char *name, double per_core, double target,
		     const char *unit)
{
	printf("%s=%.0f %s target=%.0f ratio=%.2f\n", name, per_core, unit,
	       target, per_core / target);
}

int main(void)
{
	struct media_bench mb = {0};
	if (bench_srtp)
		bench_srtp(&mb);
	if (bench_codec)
		bench_codec(&mb);
	if (bench_mix)
		bench_mix(&mb);
	if (bench_room)
		bench_room(&mb);
	if (bench_relay)
		bench_relay(&mb);

	/* A relayed SRTP call: 2 directions x 50 packets/s, each packet
	 * unprotected on one leg and protected on the other. From the parts
	 * (SRTP ops + an ideal recvfrom/sendto loop) and, the figure that
	 * counts, from the relay run through the real RTP path. */
	if (mb.srtp_protect_ns && mb.srtp_unprotect_ns) {
		double per_pkt =
		    mb.srtp_protect_ns + mb.srtp_unprotect_ns + mb.rtp_relay_ns;
		double per_call_ns_s = per_pkt * 2 * 50;
		capacity("relayed_srtp_calls_per_core_from_parts",
			 1e9 / per_call_ns_s, 2000, "calls");
	}
	if (mb.relay_pkt_ns) {
		capacity("relayed_srtp_calls_per_core",
			 1e9 / (mb.relay_pkt_ns * 100), 2000, "calls");
		/* What no relay on this machine can beat: the kernel's UDP
		 * path alone, measured beside ours in the same rounds. */
		if (mb.relay_floor_ns) {
			capacity("relayed_calls_per_core_kernel_ceiling",
				 1e9 / (mb.relay_floor_ns * 100), 2000,
				 "calls");
			printf("relayed_srtp_calls_vs_kernel_ceiling=%.2f "
			       "ratio\n",
			       mb.relay_floor_ns / mb.relay_pkt_ns);
		}
		printf("relayed_srtp_added_latency_p99=%.0f us target=1000 "
		       "ratio=%.2f\n",
		       mb.relay_p99_us, mb.relay_p99_us / 1000);
	}
	/* A 5-party room from the parts: 5 decodes + 5 encodes (default
	 * complexity) + 1 mix tick per 20 ms. */
	double opus_rooms = 0, g711_rooms = 0;
	if (mb.mix5_tick_ns && mb.opus_enc_ns && mb.opus_dec_ns) {
		double mix =
		    mb.mix5_48k_tick_ns ? mb.mix5_48k_tick_ns : mb.mix5_tick_ns;
		double tick = mix + 5 * (mb.opus_enc_ns + mb.opus_dec_ns);
		capacity("opus_rooms_per_core_from_parts", 20e6 / tick, 25,
			 "rooms");
	}
	/* Measured whole ticks (room.c): the worst case, everyone talking,
	 * at the conference complexity, then a typical room. */
	if (mb.opus_room_all_ns) {
		opus_rooms = 20e6 / mb.opus_room_all_ns;
		capacity("opus_rooms_per_core", opus_rooms, 25, "rooms");
	}
	if (mb.opus_room_1talk_ns)
		capacity("opus_rooms_per_core_1talker_shared",
			 20e6 / mb.opus_room_1talk_ns, 25, "rooms");
	if (mb.mix5_tick_ns && mb.g711_enc_ns && mb.g711_dec_ns) {
		double tick =
		    mb.mix5_tick_ns + 5 * (mb.g711_enc_ns + mb.g711_dec_ns);
		if (mb.srtp_protect_ns)
			tick += 5 * (mb.srtp_protect_ns + mb.srtp_unprotect_ns);
		g711_rooms = 20e6 / tick;
		capacity("g711_srtp_rooms_per_core", g711_rooms, 150, "rooms");
	}
	/* DESIGN.md: >= 25 Opus rooms OR >= 150 G.711 rooms per core. */
	if (opus_rooms || g711_rooms)
		printf("rooms_target_met=%s (opus %.0f >= 25: %s; g711 %.0f "
		       ">= 150: %s; either suffices)\n",
		       opus_rooms >= 25 || g711_rooms >= 150 ? "yes" : "no",
		       opus_rooms, opus_rooms >= 25 ? "yes" : "no", g711_rooms,
		       g711_rooms >= 150 ? "yes" : "no");
	return 0;
}
