/* test_tui_term.c: the terminal is given back however the UI ends (normal
 * exit, SIGTERM, a crash), stderr noise stays off the screen, and a
 * resize reaches the loop. Each case runs in a child on a pseudo-terminal;
 * the parent reads what the terminal received and its final modes. */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "cli/tui_int.h"
#include "harness.h"

enum how { END_EXIT, END_SIGTERM, END_CRASH };

/* The child: take the terminal like the UI does, then end as told. */
static void child(enum how how)
{
	static const char *const caps[] = {"<RESTORE>"};
	struct termios raw;
	int winch_rd, err_rd;
	char b[64];
	ssize_t n;

	if (tui_term_start(&winch_rd, &err_rd))
		_exit(90);
	tcgetattr(STDIN_FILENO, &raw);
	cfmakeraw(&raw);
	tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	tui_term_ready(caps, 1);

	/* library noise on stderr lands in the pipe, not on the screen */
	fprintf(stderr, "noise\n");
	n = read(err_rd, b, sizeof(b) - 1);
	b[n > 0 ? n : 0] = '\0';
	printf("[stderr:%s]", strtok(b, "\n") ? b : "");
	/* SIGWINCH becomes a byte for the loop */
	raise(SIGWINCH);
	n = read(winch_rd, b, sizeof(b));
	printf("[winch:%zd]", n);
	fflush(stdout);

	switch (how) {
	case END_EXIT:
		exit(0);
	case END_SIGTERM:
		raise(SIGTERM);
		break;
	case END_CRASH:
		raise(SIGSEGV);
		break;
	}
	_exit(91);
}

/* Run a child on a pty; @return what it wrote, its wait status, and
 * whether the terminal was canonical with echo at the end. */
static void run(enum how how, char *out, size_t size, int *status, bool *sane)
{
	struct termios tio;
	struct pollfd pfd;
	size_t len = 0;
	ssize_t n;
	int master;
	pid_t pid = forkpty(&master, NULL, NULL, NULL);

	*sane = false;
	out[0] = '\0';
	if (pid < 0)
		return;
	if (pid == 0)
		child(how);
	pfd.fd = master;
	pfd.events = POLLIN;
	/* read until the child is gone (EIO on a closed pty) */
	while (len + 1 < size && poll(&pfd, 1, 5000) > 0) {
		n = read(master, out + len, size - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	out[len] = '\0';
	waitpid(pid, status, 0);
	if (!tcgetattr(master, &tio))
		*sane = (tio.c_lflag & ICANON) && (tio.c_lflag & ECHO);
	close(master);
}

static void check_child(enum how how, int sig)
{
	char out[4096];
	int status = 0;
	bool sane;

	run(how, out, sizeof(out), &status, &sane);
	CHECK(strstr(out, "[stderr:noise]") != NULL);
	CHECK(strstr(out, "[winch:1]") != NULL);
	CHECK(strstr(out, "<RESTORE>") != NULL);
	/* the noise itself never reached the terminal */
	const char *first = strstr(out, "noise");
	CHECK(first && !strstr(first + 1, "noise"));
	CHECK(sane);
	if (sig == SIGSEGV) {
		/* the previous handler ran: the default one kills with the
		 * signal, a sanitizer's reports and exits non-zero (or aborts
		 * with ASAN_OPTIONS=abort_on_error=1, as scripts/test sets) */
		CHECK((WIFSIGNALED(status) &&
		       (WTERMSIG(status) == sig || WTERMSIG(status) == SIGABRT)) ||
		      (WIFEXITED(status) && WEXITSTATUS(status) != 0 &&
		       WEXITSTATUS(status) < 90));
	} else if (sig) {
		CHECK(WIFSIGNALED(status));
		if (WIFSIGNALED(status))
			CHECK_EQ_INT(WTERMSIG(status), sig);
	} else {
		CHECK(WIFEXITED(status));
		if (WIFEXITED(status))
			CHECK_EQ_INT(WEXITSTATUS(status), 0);
	}
	if (!sane || !strstr(out, "<RESTORE>"))
		fprintf(stderr, "child output: %s\n", out);
}

static void test_restored_on_exit(void)
{
	check_child(END_EXIT, 0);
}

static void test_restored_on_sigterm(void)
{
	check_child(END_SIGTERM, SIGTERM);
}

static void test_restored_on_crash(void)
{
	check_child(END_CRASH, SIGSEGV);
}

static void test_no_terminal(void)
{
	int w, e;
	int saved = dup(STDIN_FILENO);
	int fds[2];

	REQUIRE(pipe(fds) == 0);
	dup2(fds[0], STDIN_FILENO);
	CHECK_EQ_INT(tui_term_start(&w, &e), ENOTTY);
	dup2(saved, STDIN_FILENO);
	close(saved);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_restored_on_exit);
	RUN(test_restored_on_sigterm);
	RUN(test_restored_on_crash);
	RUN(test_no_terminal);
	return harness_done();
}
