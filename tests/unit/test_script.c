/* test_script.c: script mode: lines in through a pipe or a file, JSON out. */
#include <errno.h>
#include <fcntl.h>

#include "base/loop.h"
#include "cli/script.h"
#include "harness.h"
#include "mock/testphone.h"

struct fx {
	struct loop *loop;
	struct phone *phone;
	struct script *script;
	FILE *out;	/**< tmpfile the JSON lines go to */
	unsigned quits; /**< quith calls                  */
};

static void ev_h(const struct phone_event *ev, void *arg)
{
	struct fx *f = arg;
	script_event(f->script, ev);
}

static void quit_h(void *arg)
{
	struct fx *f = arg;
	f->quits++;
	loop_stop(f->loop);
}

static bool fx_open(struct fx *f, int in_fd)
{
	memset(f, 0, sizeof(*f));
	f->out = tmpfile();
	if (!f->out || loop_alloc(&f->loop) ||
	    testphone_alloc(&f->phone, f->loop, ev_h, f))
		return false;
	return !script_alloc(&f->script, f->loop, f->phone, in_fd, f->out,
			     quit_h, f);
}

static void fx_close(struct fx *f)
{
	f->script = script_free(f->script);
	f->phone = phone_free(f->phone);
	for (int i = 0; i < 10; i++)
		loop_poll(f->loop, 0);
	f->loop = obj_deref(f->loop);
	if (f->out)
		fclose(f->out);
}

/* All output so far as one string (caller frees). */
static char *output(struct fx *f)
{
	fflush(f->out);
	long n = ftell(f->out);
	char *s = calloc(1, (size_t)n + 1);
	rewind(f->out);
	if (s && fread(s, 1, (size_t)n, f->out) != (size_t)n)
		s[0] = '\0';
	fseek(f->out, 0, SEEK_END);
	return s;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_pipe_lines_errors_and_eof(void)
{
	int p[2];
	struct fx f;
	REQUIRE(!pipe(p));
	REQUIRE(fx_open(&f, p[0]));
	script_ready(f.script);

	/* a command split over two writes, an unknown one, a long line, a
	 * usage error, then end of input with a last line and no newline */
	static const char part1[] = ":help di";
	static const char part2[] = "al\r\nfrobnicate\n";
	CHECK(write(p[1], part1, sizeof(part1) - 1) > 0);
	loop_poll(f.loop, 100);
	CHECK(write(p[1], part2, sizeof(part2) - 1) > 0);
	char longl[SCRIPT_LINE_MAX + 10];
	memset(longl, 'x', sizeof(longl));
	longl[sizeof(longl) - 1] = '\n';
	CHECK(write(p[1], longl, sizeof(longl)) > 0);
	static const char rest[] = "answer x\nhelp quit";
	CHECK(write(p[1], rest, sizeof(rest) - 1) > 0);
	close(p[1]);
	for (int i = 0; i < 50 && !f.quits; i++)
		loop_poll(f.loop, 100);
	CHECK_EQ_INT(f.quits, 1);

	char *s = output(&f);
	REQUIRE(s);
	CHECK(!strncmp(s, "{\"event\":\"ready\",\"udp\":\"127.0.0.1:", 34));
	CHECK(strstr(s, "{\"event\":\"help\",\"command\":\"dial\",\"args\":"
			"\"URI [ACCOUNT]\"") != NULL);
	CHECK(strstr(s, "{\"event\":\"error\",\"command\":\"frobnicate\","
			"\"reason\":\"unknown command 'frobnicate' (try "
			"help)\"}\n") != NULL);
	CHECK(strstr(s, "{\"event\":\"error\",\"reason\":\"line too long (at "
			"most 4095 bytes)\"}\n") != NULL);
	CHECK(strstr(s, "{\"event\":\"error\",\"command\":\"answer x\","
			"\"reason\":\"usage: answer [N]\"}\n") != NULL);
	CHECK(strstr(s, "{\"event\":\"help\",\"command\":\"quit\"") != NULL);
	/* ready, help dial, frobnicate, long line, answer x, help quit */
	CHECK_EQ_INT(count_lines(s), 6);
	free(s);
	close(p[0]);
	fx_close(&f);
}

/* `quit` ends the script before the rest of the input. */
static void test_quit_command(void)
{
	int p[2];
	struct fx f;
	REQUIRE(!pipe(p));
	REQUIRE(fx_open(&f, p[0]));
	static const char in[] = "quit\nhelp\n";
	CHECK(write(p[1], in, sizeof(in) - 1) > 0);
	for (int i = 0; i < 50 && !f.quits; i++)
		loop_poll(f.loop, 100);
	CHECK_EQ_INT(f.quits, 1);
	char *s = output(&f);
	REQUIRE(s);
	CHECK_EQ_STR(s, "");
	free(s);
	close(p[1]);
	close(p[0]);
	fx_close(&f);
}

/* epoll cannot watch a regular file: it is read from a timer instead. */
static void test_regular_file_input(void)
{
	char path[64];
	snprintf(path, sizeof(path), "/tmp/pb_script_%s", "XXXXXX");
	int fd = mkstemp(path);
	REQUIRE(fd >= 0);
	unlink(path);
	static const char in[] = "help hangup\nbogus\n";
	CHECK(write(fd, in, sizeof(in) - 1) > 0);
	lseek(fd, 0, SEEK_SET);
	struct fx f;
	REQUIRE(fx_open(&f, fd));
	for (int i = 0; i < 50 && !f.quits; i++)
		loop_poll(f.loop, 100);
	CHECK_EQ_INT(f.quits, 1);
	char *s = output(&f);
	REQUIRE(s);
	CHECK(strstr(s, "\"command\":\"hangup\"") != NULL);
	CHECK(strstr(s, "unknown command 'bogus'") != NULL);
	CHECK_EQ_INT(count_lines(s), 2);
	free(s);
	close(fd);
	fx_close(&f);
}

int main(void)
{
	harness_watchdog(30);
	RUN(test_pipe_lines_errors_and_eof);
	RUN(test_quit_command);
	RUN(test_regular_file_input);
	return harness_done();
}
