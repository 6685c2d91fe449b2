/* errf.h: error text for the audio modules' (char *err, size_t errlen). */
#ifndef PB_AUDIO_ERRF_H
#define PB_AUDIO_ERRF_H

#include <stddef.h>

/** printf into @p err of @p errlen bytes (NULL or 0: nothing), always
 *  NUL-terminated. */
void au_errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
