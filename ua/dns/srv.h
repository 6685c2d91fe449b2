/* srv.h: DNS SRV records (RFC 2782): query, parse, order by priority/weight. */
#ifndef PB_UA_DNS_SRV_H
#define PB_UA_DNS_SRV_H

#include <stddef.h>
#include <stdint.h>

enum { DNS_SRV_MAX = 8, DNS_NAME_MAX = 256 };

/** One SRV record. */
struct dns_srv {
	char target[DNS_NAME_MAX]; /**< host, "" for "." (no service) */
	uint16_t prio;		   /**< priority, lower first          */
	uint16_t weight;	   /**< share within a priority        */
	uint16_t port;		   /**< port                           */
	uint32_t ttl;		   /**< seconds                        */
};

/**
 * Take the SRV records (class IN) of the answer section of the DNS
 * response @p msg (@p len bytes) into @p v (at most @p max, the rest
 * dropped); other records are skipped. Never reads outside @p msg.
 * @return 0 with *@p np records (maybe 0), or EBADMSG (malformed).
 */
int dns_srv_parse(const uint8_t *msg, size_t len, struct dns_srv *v, size_t max,
		  size_t *np);

/**
 * Put @p v in the order to try (RFC 2782): ascending priority, and
 * within a priority a weighted random order (@p seed: rand_r() state).
 */
void dns_srv_order(struct dns_srv *v, size_t n, unsigned *seed);

/**
 * Query the system's name servers (resolv.conf, res_nquery) for the SRV
 * records of @p name, blocking (for a worker thread). No such name or no
 * SRV record: 0 and *@p np 0. @return 0, ETIMEDOUT / EAGAIN (no answer,
 * server failure), EBADMSG, EINVAL; a text in @p reason.
 */
int dns_srv_query(const char *name, struct dns_srv *v, size_t max, size_t *np,
		  char *reason, size_t rsize);

#endif
