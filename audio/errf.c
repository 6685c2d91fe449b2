/* errf.c: error text for the audio modules' (char *err, size_t errlen). */
#include <stdarg.h>
#include <stdio.h>

#include "audio/errf.h"

void au_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}
