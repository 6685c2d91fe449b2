/* tui_term.c: the terminal's lifeline: restore on exit, fatal signals, resize.
 *
 * A process has one terminal, so this state is process-wide. While the
 * UI runs, the terminal is in raw mode on the alternate screen; whatever
 * ends the process (return from main, exit(), a crash, SIGTERM) must
 * put it back, or the user's shell is left unusable. The restore path is
 * async-signal-safe: it writes the terminal's prepared exit sequence and
 * the saved termios, nothing else. Fatal signals are chained to the
 * previous handler (e.g. a sanitizer's) after the restore.
 *
 * SIGWINCH becomes a byte on a pipe that the loop watches, so resizing
 * is handled on the loop like any other event. stderr is redirected into
 * a pipe too (library noise would tear the screen); tui.c shows what
 * arrives there in the log pane.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/tui_int.h"

static const int fatal_sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
				 SIGTERM, SIGHUP, SIGINT, SIGQUIT};
enum { NFATAL = sizeof(fatal_sigs) / sizeof(fatal_sigs[0]) };

static struct {
	volatile sig_atomic_t active; /* terminal needs restoring      */
	struct termios tio;	      /* the termios before the UI     */
	char seq[256];		      /* exit sequence (rmcup etc.)    */
	size_t seqlen;
	int saved_err;		      /* the real stderr, or -1        */
	int winch_wr;		      /* SIGWINCH pipe, write end      */
	struct sigaction old[NFATAL]; /* handlers before ours          */
	bool installed[NFATAL];
	struct sigaction old_winch;
	bool atexit_done;
} term = {.saved_err = -1, .winch_wr = -1};

void tui_term_restore(void)
{
	ssize_t r;

	if (!term.active)
		return;
	term.active = 0;
	if (term.seqlen)
		r = write(STDOUT_FILENO, term.seq, term.seqlen);
	r = write(STDOUT_FILENO, "\r\n", 2);
	(void)r;
	tcsetattr(STDIN_FILENO, TCSANOW, &term.tio);
	if (term.saved_err >= 0)
		dup2(term.saved_err, STDERR_FILENO);
}

static void fatal_h(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;

	(void)uc;
	tui_term_restore();
	for (size_t i = 0; i < NFATAL; i++)
		if (fatal_sigs[i] == sig && term.installed[i])
			sigaction(sig, &term.old[i], NULL);
	/* sent by kill()/raise()/abort(): deliver it again to the old
	 * handler once we return; a fault re-faults by itself */
	if (si->si_code <= 0)
		raise(sig);
	errno = saved;
}

static bool termination(int sig)
{
	return sig == SIGTERM || sig == SIGHUP || sig == SIGINT ||
	       sig == SIGQUIT;
}

static void winch_h(int sig)
{
	int saved = errno;
	ssize_t r;

	(void)sig;
	if (term.winch_wr >= 0)
		r = write(term.winch_wr, "w", 1);
	(void)r;
	errno = saved;
}

static void at_exit(void)
{
	tui_term_restore();
}

static int pipe_nb(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK))
		return errno;
	return 0;
}

int tui_term_start(int *winch_rd, int *err_rd)
{
	struct sigaction sa;
	int wp[2] = {-1, -1}, ep[2] = {-1, -1}, err;

	if (tcgetattr(STDIN_FILENO, &term.tio))
		return ENOTTY;
	err = pipe_nb(wp);
	if (!err)
		err = pipe_nb(ep);
	if (!err) {
		term.saved_err = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
		if (term.saved_err < 0 || dup2(ep[1], STDERR_FILENO) < 0)
			err = errno;
	}
	if (err) {
		for (int i = 0; i < 2; i++) {
			if (wp[i] >= 0)
				close(wp[i]);
			if (ep[i] >= 0)
				close(ep[i]);
		}
		if (term.saved_err >= 0)
			close(term.saved_err);
		term.saved_err = -1;
		return err;
	}
	close(ep[1]);
	term.winch_wr = wp[1];
	*winch_rd = wp[0];
	*err_rd = ep[0];

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = winch_h;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGWINCH, &sa, &term.old_winch);

	sa.sa_handler = NULL;
	sa.sa_sigaction = fatal_h;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	for (size_t i = 0; i < NFATAL; i++) {
		struct sigaction cur;
		sigaction(fatal_sigs[i], NULL, &cur);
		/* an owner's own handler for a termination signal (a clean
		 * shutdown) stays; it ends the UI through tui_free() */
		if (termination(fatal_sigs[i]) &&
		    !(cur.sa_flags & SA_SIGINFO) && cur.sa_handler != SIG_DFL)
			continue;
		term.installed[i] =
		    !sigaction(fatal_sigs[i], &sa, &term.old[i]);
	}
	if (!term.atexit_done)
		term.atexit_done = !atexit(at_exit);
	return 0;
}

void tui_term_ready(const char *const *caps, size_t ncaps)
{
	term.seqlen = 0;
	for (size_t i = 0; i < ncaps; i++) {
		size_t n = caps[i] ? strlen(caps[i]) : 0;
		if (term.seqlen + n >= sizeof(term.seq))
			break;
		memcpy(term.seq + term.seqlen, caps[i], n);
		term.seqlen += n;
	}
	term.active = 1;
}

void tui_term_stop(void)
{
	term.active = 0;
	for (size_t i = 0; i < NFATAL; i++) {
		if (term.installed[i])
			sigaction(fatal_sigs[i], &term.old[i], NULL);
		term.installed[i] = false;
	}
	sigaction(SIGWINCH, &term.old_winch, NULL);
	if (term.winch_wr >= 0)
		close(term.winch_wr);
	term.winch_wr = -1;
	if (term.saved_err >= 0) {
		dup2(term.saved_err, STDERR_FILENO);
		close(term.saved_err);
	}
	term.saved_err = -1;
}

int tui_term_stderr(void)
{
	return term.saved_err >= 0 ? term.saved_err : STDERR_FILENO;
}
