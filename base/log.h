/* log.h: leveled logging with a per-module tag and a pluggable sink. */
#ifndef PB_BASE_LOG_H
#define PB_BASE_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_LVL_DEBUG = 0,
	LOG_LVL_INFO,
	LOG_LVL_WARN,
	LOG_LVL_ERROR,
	LOG_LVL_NONE,
};

typedef void(log_h)(enum log_level lvl, const char *tag, const char *msg,
		    void *arg);

void log_set_level(enum log_level lvl);
enum log_level log_level_get(void);
/** Parse "debug", "info", "warn", "error", "none"; -1 when unknown. */
int log_level_parse(const char *s);
/** Replace the sink (default: stderr); NULL restores the default. */
void log_set_handler(log_h *h, void *arg);
void log_msg(enum log_level lvl, const char *tag, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void log_vmsg(enum log_level lvl, const char *tag, const char *fmt,
	      va_list ap);

/* Each .c file defines LOG_TAG before including this header. */
#ifndef LOG_TAG
#define LOG_TAG "pb"
#endif
#define DEBUG(...) log_msg(LOG_LVL_DEBUG, LOG_TAG, __VA_ARGS__)
#define INFO(...) log_msg(LOG_LVL_INFO, LOG_TAG, __VA_ARGS__)
#define WARN(...) log_msg(LOG_LVL_WARN, LOG_TAG, __VA_ARGS__)
#define ERR(...) log_msg(LOG_LVL_ERROR, LOG_TAG, __VA_ARGS__)

#endif
