/* fakedns.c: the tests' "DNS": fixed answers for *.test after a delay. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mock/fakedns.h"

static _Atomic int fakedns_n; /* lookups done (on worker threads) */

int fakedns_lookup(const char *host, struct sockaddr_storage *sa, char *reason,
		   size_t rsize, void *arg)
{
	bool slow = !strcmp(host, "slow.test");
	struct timespec ts = {0, (slow ? 300 : 20) * 1000000L};
	struct sockaddr_in *s4 = (struct sockaddr_in *)sa;

	(void)arg;
	fakedns_n++;
	nanosleep(&ts, NULL);
	if (!slow && strcmp(host, "pbx.test")) {
		snprintf(reason, rsize, "Name or service not known");
		return ENOENT;
	}
	memset(sa, 0, sizeof(*sa));
	s4->sin_family = AF_INET;
	s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return 0;
}

int fakedns_count(void)
{
	return fakedns_n;
}
