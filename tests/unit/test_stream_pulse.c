/* test_stream_pulse.c: a call's received tone comes out of the sound card.
 * Stream A plays a 1 kHz WAV over RTP to stream B, whose sink is the
 * PortAudio default output: a private PulseAudio null sink
 * (tests/pulse_util.h), recorded from its monitor with parec. Skipped
 * (77) only when pulseaudio is not installed. */
#include <errno.h>

#include "harness.h"
#include "pulse_util.h"
#include "stream_util.h"

/* The ALSA/JACK plugins PortAudio loads leak (see test_audev_pulse.c). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

struct meas {
	bool done;
	double a, side;
	uint64_t underruns, overruns;
	uint64_t rx;
};

/* Run A -> B on the real clock until B has received @p frames packets. */
static void call_to_card(const char *codec, unsigned frames, struct meas *m)
{
	struct stream *a = NULL, *b = NULL;
	struct stream_params pa, pb;
	struct stream_opts o;
	struct stream_stats st;
	struct loop *l = NULL;
	char err[256] = "";
	uint64_t end;

	REQUIRE(!loop_alloc(&l));
	REQUIRE(!su_stream(&a, l, su_path("1k.wav"), NULL, NULL, NULL));
	stream_opts_default(&o);
	o.laddr = "127.0.0.1";
	o.sink_be = AUDEV_PORTAUDIO; /* default output device */
	o.rate = 8000;
	if (stream_alloc(&b, l, &o, NULL, NULL, err, sizeof(err)))
		fprintf(stderr, "stream_alloc: %s\n", err);
	REQUIRE(b);
	su_params(&pa, codec, stream_port(b));
	su_params(&pb, codec, stream_port(a));
	REQUIRE(!su_keys(&pa, &pb, SRTPX_AES_CM_128_HMAC_SHA1_80));
	REQUIRE(!stream_start(b, &pb));
	REQUIRE(!stream_start(a, &pa));
	end = now_ms() + 15000;
	do {
		loop_poll(l, 50);
		stream_stats(b, &st);
	} while (st.rx_packets < frames && now_ms() < end);
	m->underruns = st.play_underruns;
	m->overruns = st.play_overruns;
	m->rx = st.rx_packets;
	stream_close(a);
	stream_close(b);
	obj_deref(l);
}

static void measure(const char *codec, struct meas *m)
{
	const char *raw = tpath("rec.raw");
	long before, n;
	int16_t *s;
	FILE *fp;

	rec_pid = monitor_rec(raw);
	REQUIRE(rec_pid > 0);
	REQUIRE(wait_size(raw, 3200, 5000));
	call_to_card(codec, 75, m);
	before = file_size(raw);
	CHECK(wait_size(raw, before + 8000, 5000));
	kill_child(&rec_pid);
	n = file_size(raw) / 2;
	s = malloc((size_t)(n > 0 ? n : 1) * sizeof(int16_t));
	fp = fopen(raw, "rb");
	REQUIRE(s && fp);
	n = (long)fread(s, sizeof(int16_t), (size_t)n, fp);
	fclose(fp);
	m->a = best_window(s, (size_t)n, &m->side);
	free(s);
	m->done = true;
	printf("  %s: %llu packets played, card ring %llu underruns %llu "
	       "overruns; card 1 kHz amplitude %.0f (sent %d), side %.0f\n",
	       codec, (unsigned long long)m->rx,
	       (unsigned long long)m->underruns,
	       (unsigned long long)m->overruns, m->a, SU_AMP, m->side);
}

/* One measurement in a child process on a freshly started daemon: after
 * its null sink has drained a stream in a burst (rendering seconds ahead
 * of its clock) it stalls later streams (pulls nothing: our playback ring
 * overflows), so each attempt gets a new daemon, and the first playback
 * stream of a fresh process after a warm-up.
 * @return 0 tone heard, 1 not heard, 2 not heard while the sink did not
 * run at real time (nothing to do with our code: repeated). */
static int measure_in_child(const char *codec)
{
	int st = 0;
	pid_t pid;

	cleanup();
	if (su_tone_wav("1k.wav", 1000, 3) || pulse_start())
		return 1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct meas m = {0};

		warm_up_sink();
		measure(codec, &m);
		fflush(stdout);
		if (!m.done)
			_exit(1);
		if (m.rx >= 75 && m.a > 0.6 * SU_AMP && m.a < 1.3 * SU_AMP &&
		    m.side < 0.05 * m.a)
			_exit(0);
		if (m.underruns >= 2 * BURST_UNDERRUNS || m.overruns >= 10)
			_exit(2);
		_exit(1);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return 1;
	return WEXITSTATUS(st);
}

static void check_codec(const char *codec)
{
	int rc = 2;

	for (int attempt = 0; attempt < 4 && rc == 2; attempt++) {
		rc = measure_in_child(codec);
		if (rc == 2)
			printf("null sink not at real time; again\n");
	}
	CHECK_EQ_INT(rc, 0);
}

static void test_stream_pulse_pcmu_to_card(void)
{
	check_codec("PCMU");
}

static void test_stream_pulse_opus_to_card(void)
{
	check_codec("opus");
}

int main(void)
{
	harness_watchdog(100);
	if (!pulse_installed()) {
		fprintf(stderr, "pulseaudio/parec not installed: skipped\n");
		return 77;
	}
	atexit(cleanup);
	RUN(test_stream_pulse_pcmu_to_card);
	RUN(test_stream_pulse_opus_to_card);
	return harness_done();
}
