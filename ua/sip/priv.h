/* priv.h: functions shared between the files of ua/sip (not public API). */
#ifndef PB_UA_SIP_PRIV_H
#define PB_UA_SIP_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "base/pl.h"
#include "ua/sip/msg.h"
#include "ua/sip/uri.h"

/** Decode the part of a tel URI after "tel:" into @p u (tel.c). */
int sip_tel_decode(struct sip_uri *u, const struct pl *rest);

/** Decode all of @p hp as host[:port] or [IPv6][:port] (uri.c). */
int sip_hostport_decode(const struct pl *hp, struct pl *host, uint16_t *port,
			bool *v6);

/** Decode the hot headers of @p m and check mandatory ones (msghdr.c). */
int sip_msg_hot_decode(struct sip_msg *m, struct sip_decode_err *err);

/** Fill @p err (may be NULL) with a status code and reason (msg.c). */
void sip_decode_fail(struct sip_decode_err *err, uint16_t scode,
		     const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
