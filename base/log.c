/* log.c: leveled logging to stderr or a sink the application installs. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "log.h"

static enum log_level cur_level = LOG_LVL_INFO;
static log_h *sink;
static void *sink_arg;

static const char *const level_names[] = {"debug", "info", "warn", "error",
					  "none"};

void log_set_level(enum log_level lvl)
{
	cur_level = lvl;
}

enum log_level log_level_get(void)
{
	return cur_level;
}

int log_level_parse(const char *s)
{
	for (int i = 0; s && i <= LOG_LVL_NONE; i++)
		if (!strcasecmp(s, level_names[i]))
			return i;
	return -1;
}

void log_set_handler(log_h *h, void *arg)
{
	sink = h;
	sink_arg = arg;
}

void log_vmsg(enum log_level lvl, const char *tag, const char *fmt,
	      va_list ap)
{
	if (lvl < cur_level || lvl >= LOG_LVL_NONE)
		return;
	char msg[1024];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (sink) {
		sink(lvl, tag, msg, sink_arg);
		return;
	}
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	localtime_r(&ts.tv_sec, &tm);
	fprintf(stderr, "%02d:%02d:%02d.%03ld %-5s %-6s %s\n", tm.tm_hour,
		tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, level_names[lvl],
		tag, msg);
}

void log_msg(enum log_level lvl, const char *tag, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(lvl, tag, fmt, ap);
	va_end(ap);
}
