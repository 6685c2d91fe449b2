/* param.h: ";name=value" parameter lists shared by URIs, Via, addresses. */
#ifndef PB_UA_SIP_PARAM_H
#define PB_UA_SIP_PARAM_H

#include <stdbool.h>
#include <stddef.h>

#include "base/pl.h"

/**
 * Walk a parameter list @p params (";a=b ; c;d = "x;y"", leading ';'
 * optional, LWS allowed around ';' and '='). Call with *@p pos = 0 first.
 * @return 0 with @p name and @p val (empty for a flag), ENOENT at the end,
 *         EINVAL on an empty or malformed parameter.
 */
int sip_param_next(const struct pl *params, size_t *pos, struct pl *name,
		   struct pl *val);

/**
 * Find parameter @p name (case-insensitive) in @p params.
 * @return 0 and @p val (may be NULL), ENOENT, EINVAL when malformed.
 */
int sip_param_get(const struct pl *params, const char *name, struct pl *val);

/** Check that every parameter of @p params is well formed. */
bool sip_param_valid(const struct pl *params);

#endif
