/* fakedns.h: the tests' "DNS": a resolve_lookup_h for *.test names. */
#ifndef PB_TESTS_MOCK_FAKEDNS_H
#define PB_TESTS_MOCK_FAKEDNS_H

#include <stddef.h>
#include <sys/socket.h>

/**
 * Look up @p host like a slow DNS server (a resolve_lookup_h, run on the
 * resolver's worker): "pbx.test" and "slow.test" are 127.0.0.1, after 20 ms
 * and 300 ms; any other name fails with ENOENT and the reason
 * "Name or service not known".
 */
int fakedns_lookup(const char *host, struct sockaddr_storage *sa, char *reason,
		   size_t rsize, void *arg);

/** How many lookups fakedns_lookup() has done in this process. */
int fakedns_count(void);

#endif
