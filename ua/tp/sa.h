/* sa.h: socket addresses (IPv4/IPv6 + port): parse, print, compare. */
#ifndef PB_UA_TP_SA_H
#define PB_UA_TP_SA_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/** An IPv4 or IPv6 socket address; len 0 when unset. */
struct sa {
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		struct sockaddr_storage ss;
	} u;	       /**< the address                 */
	socklen_t len; /**< valid bytes in u, 0 = unset */
};

enum {
	SA_STR_MAX = 64, /**< room for "[v6%scope]:port" and the NUL */
};

/**
 * Parse "1.2.3.4:5060", "1.2.3.4", "[::1]:5061", "[::1]" or "::1" (port 0
 * when absent) from @p n bytes at @p s.
 * @return 0, EINVAL for a bad address or port.
 */
int sa_decode(struct sa *sa, const char *s, size_t n);
/** sa_decode() of a C string. */
int sa_from_str(struct sa *sa, const char *s);
/** Set from a numeric IP literal (no brackets) and a port. */
int sa_set(struct sa *sa, const char *ip, uint16_t port);
/** Fill from a sockaddr returned by the kernel. */
void sa_set_sockaddr(struct sa *sa, const struct sockaddr *s, socklen_t len);
uint16_t sa_port(const struct sa *sa);
void sa_set_port(struct sa *sa, uint16_t port);
/** AF_INET, AF_INET6, or AF_UNSPEC when unset. */
int sa_af(const struct sa *sa);
bool sa_isset(const struct sa *sa);
/** Print "ip:port" ("[ip]:port" for IPv6) into @p buf; returns @p buf. */
char *sa_print(const struct sa *sa, char *buf, size_t size);
/** Print only the IP (no brackets) into @p buf; returns @p buf. */
char *sa_print_ip(const struct sa *sa, char *buf, size_t size);
/** True when family, IP and port are equal. */
bool sa_cmp(const struct sa *a, const struct sa *b);
/** Hash of IP and port (for connection tables). */
uint32_t sa_hash(const struct sa *sa);
/** True when @p s (NUL-terminated) is an IPv4 or IPv6 literal. */
bool sa_is_ip_literal(const char *s);

#endif
