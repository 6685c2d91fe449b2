/* pulse_util.h: a private PulseAudio daemon for tests of the PortAudio
 * path: a null sink (recorded from its monitor with parec) and a null
 * source, in its own runtime dir; helpers to spawn and reap children and
 * to measure a recorded tone.
 *
 * The daemon runs in user mode with its own XDG_RUNTIME_DIR and HOME in a
 * temp dir, without autospawn, and dies with the test (PR_SET_PDEATHSIG),
 * so PortAudio's ALSA "default" device reaches it via the ALSA pulse plugin.
 */
#ifndef PB_TESTS_PULSE_UTIL_H
#define PB_TESTS_PULSE_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "audio/dev.h"
#include "audio_util.h"
#include "base/mem.h"

static char dir[64] __attribute__((unused));
static pid_t pa_pid __attribute__((unused)) = -1;
static pid_t rec_pid __attribute__((unused)) = -1;

static inline const char *tpath(const char *name)
{
	static char p[4][160];
	static int k;
	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

static inline uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static inline void nap_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	nanosleep(&ts, NULL);
}

static inline int run_quiet(const char *cmd)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s >/dev/null 2>&1", cmd);
	return system(buf);
}

static inline void kill_child(pid_t *pid)
{
	int st;

	if (*pid <= 0)
		return;
	kill(*pid, SIGTERM);
	for (int i = 0; i < 60; i++) {
		if (waitpid(*pid, &st, WNOHANG) == *pid) {
			*pid = -1;
			return;
		}
		nap_ms(50);
	}
	kill(*pid, SIGKILL);
	waitpid(*pid, &st, 0);
	*pid = -1;
}

static inline void cleanup(void)
{
	char cmd[128];

	kill_child(&rec_pid);
	kill_child(&pa_pid);
	if (dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd))
			fprintf(stderr, "cleanup of %s failed\n", dir);
		dir[0] = '\0';
	}
}

/* fork+exec with output to @p out; the child dies when we die. */
static inline pid_t spawn(char *const argv[], const char *out)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	execvp(argv[0], argv);
	_exit(127);
}

/* Start recording the null sink's monitor (8 kHz mono s16le) into @p raw
   with parec; the monitor streams silence as soon as parec is connected. */
static inline pid_t monitor_rec(const char *raw)
{
	char *argv[] = {"parec",
			"-d",
			"pbsink.monitor",
			"--raw",
			"--format=s16le",
			"--rate=8000",
			"--channels=1",
			"--latency-msec=20",
			NULL};

	return spawn(argv, raw);
}

static inline void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

static inline void dump_log(void)
{
	char cmd[200];
	snprintf(cmd, sizeof(cmd), "tail -20 %s >&2", tpath("pulse.log"));
	if (system(cmd))
		return;
}

static inline int pulse_start(void)
{
	char *argv[] = {"pulseaudio",
			"-n",
			"--daemonize=no",
			"--system=false",
			"--exit-idle-time=-1",
			"--use-pid-file=no",
			"--log-target=stderr",
			"-L",
			"module-null-sink sink_name=pbsink",
			"-L",
			"module-null-source source_name=pbsrc",
			"-L",
			"module-native-protocol-unix",
			NULL};
	char sock[200];
	int st;

	snprintf(dir, sizeof(dir), "/tmp/pbpulse.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	mkdir(tpath("run"), 0700);
	mkdir(tpath("home"), 0700);
	mkdir(tpath("home/.config"), 0700);
	mkdir(tpath("home/.config/pulse"), 0700);
	write_file(tpath("home/.config/pulse/client.conf"), "autospawn = no\n");
	snprintf(sock, sizeof(sock), "unix:%s/run/pulse/native", dir);
	setenv("XDG_RUNTIME_DIR", tpath("run"), 1);
	setenv("HOME", tpath("home"), 1);
	setenv("PULSE_RUNTIME_PATH", tpath("run/pulse"), 1);
	setenv("PULSE_SERVER", sock, 1);
	unsetenv("PULSE_SINK");
	unsetenv("PULSE_SOURCE");
	pa_pid = spawn(argv, tpath("pulse.log"));
	if (pa_pid < 0)
		return -1;
	/* Poll (bounded) until the daemon answers. */
	for (uint64_t end = now_ms() + 10000; now_ms() < end; nap_ms(50)) {
		if (waitpid(pa_pid, &st, WNOHANG) == pa_pid) {
			pa_pid = -1;
			fprintf(stderr, "pulseaudio exited early:\n");
			dump_log();
			return -1;
		}
		if (!run_quiet("pactl info"))
			break;
	}
	if (run_quiet("pactl set-default-sink pbsink") ||
	    run_quiet("pactl set-default-source pbsrc")) {
		dump_log();
		return -1;
	}
	return 0;
}

static inline long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) ? -1 : (long)st.st_size;
}

/* Wait (bounded) until @p path holds at least @p bytes. */
static inline bool wait_size(const char *path, long bytes, unsigned ms)
{
	for (uint64_t end = now_ms() + ms; now_ms() < end; nap_ms(10))
		if (file_size(path) >= bytes)
			return true;
	return false;
}

enum { AMP = 8000, PLAY_FRAMES = 100, BURST_UNDERRUNS = 50 };

/* Largest 1 kHz amplitude over 200 ms windows, and the 500/1500 Hz
 * amplitudes in that window. */
static inline double best_window(const int16_t *s, size_t n, double *side)
{
	double best = 0;
	for (size_t at = 0; at + 1600 <= n; at += 400) {
		double a = au_goertzel(s + at, 1600, 1000, 8000);
		if (a > best) {
			best = a;
			*side = fmax(au_goertzel(s + at, 1600, 500, 8000),
				     au_goertzel(s + at, 1600, 1500, 8000));
		}
	}
	return best;
}

/*
 * module-null-sink renders "until its clock catches up with now": the first
 * stream after the daemon starts can be drained seconds at a time in one
 * burst, faster than parec's monitor stream keeps. Warm the sink up with a
 * short stream of silence first so the measured stream runs at real time.
 */
static inline uint64_t warm_up_once(void)
{
	int16_t f[160] = {0};
	struct audev_opts o;
	struct audev_stats st = {0};
	struct audev *d;
	uint64_t end = now_ms() + 3000;
	int k = 0;

	audev_opts_default(&o);
	if (audev_alloc(&d, AUDEV_PORTAUDIO, AUDEV_SINK, &o, NULL, NULL, NULL,
			0))
		return UINT64_MAX;
	if (!audev_start(d))
		while (k < 50 && now_ms() < end) {
			if (audev_queued(d) >= 4 || audev_write(d, f))
				nap_ms(5);
			else
				k++;
		}
	audev_stats_get(d, &st);
	audev_stop(d);
	obj_deref(d);
	return st.underruns;
}

/* Repeat one second of silence until the sink pulls at real time (a
 * burst shows as hundreds of underruns); bounded to four tries. */
static inline void warm_up_sink(void)
{
	for (int i = 0; i < 4; i++) {
		uint64_t u = warm_up_once();
		printf("warm-up stream %d: %llu underruns\n", i,
		       (unsigned long long)u);
		if (u < BURST_UNDERRUNS)
			break;
	}
}

/** True when pulseaudio and parec are installed. */
static inline bool pulse_installed(void)
{
	return !run_quiet("{ command -v pulseaudio && command -v parec; }");
}

#endif
