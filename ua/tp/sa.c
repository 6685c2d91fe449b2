/* sa.c: socket addresses: parse, print, compare. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/hash.h"
#include "ua/tp/sa.h"

int sa_set(struct sa *sa, const char *ip, uint16_t port)
{
	if (!sa || !ip)
		return EINVAL;
	memset(sa, 0, sizeof(*sa));
	if (inet_pton(AF_INET, ip, &sa->u.in.sin_addr) == 1) {
		sa->u.in.sin_family = AF_INET;
		sa->u.in.sin_port = htons(port);
		sa->len = sizeof(sa->u.in);
		return 0;
	}
	if (inet_pton(AF_INET6, ip, &sa->u.in6.sin6_addr) == 1) {
		sa->u.in6.sin6_family = AF_INET6;
		sa->u.in6.sin6_port = htons(port);
		sa->len = sizeof(sa->u.in6);
		return 0;
	}
	return EINVAL;
}

static int parse_port(const char *s, size_t n, uint16_t *port)
{
	unsigned v = 0;
	if (!n || n > 5)
		return EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return EINVAL;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > 65535)
		return EINVAL;
	*port = (uint16_t)v;
	return 0;
}

int sa_decode(struct sa *sa, const char *s, size_t n)
{
	char ip[INET6_ADDRSTRLEN];
	const char *ipp = s, *pp = NULL;
	size_t ipn = n, pn = 0;
	uint16_t port = 0;
	if (!sa || !s || !n)
		return EINVAL;
	if (s[0] == '[') {
		const char *e = memchr(s, ']', n);
		if (!e)
			return EINVAL;
		ipp = s + 1;
		ipn = (size_t)(e - ipp);
		size_t rest = n - (size_t)(e + 1 - s);
		if (rest) {
			if (e[1] != ':')
				return EINVAL;
			pp = e + 2;
			pn = rest - 1;
		}
	} else {
		const char *c = memchr(s, ':', n);
		/* one colon: IPv4:port; more: a bare IPv6 literal */
		if (c && !memchr(c + 1, ':', n - (size_t)(c + 1 - s))) {
			ipn = (size_t)(c - s);
			pp = c + 1;
			pn = n - ipn - 1;
		}
	}
	if (!ipn || ipn >= sizeof(ip))
		return EINVAL;
	if (pp && parse_port(pp, pn, &port))
		return EINVAL;
	memcpy(ip, ipp, ipn);
	ip[ipn] = '\0';
	int err = sa_set(sa, ip, port);
	if (!err && s[0] == '[' && sa_af(sa) != AF_INET6)
		err = EINVAL; /* brackets only around IPv6 */
	return err;
}

int sa_from_str(struct sa *sa, const char *s)
{
	return s ? sa_decode(sa, s, strlen(s)) : EINVAL;
}

void sa_set_sockaddr(struct sa *sa, const struct sockaddr *s, socklen_t len)
{
	memset(sa, 0, sizeof(*sa));
	if (len > sizeof(sa->u))
		len = sizeof(sa->u);
	memcpy(&sa->u, s, len);
	sa->len = len;
}

int sa_af(const struct sa *sa)
{
	return (sa && sa->len) ? sa->u.sa.sa_family : AF_UNSPEC;
}

bool sa_isset(const struct sa *sa)
{
	return sa_af(sa) == AF_INET || sa_af(sa) == AF_INET6;
}

uint16_t sa_port(const struct sa *sa)
{
	switch (sa_af(sa)) {
	case AF_INET:
		return ntohs(sa->u.in.sin_port);
	case AF_INET6:
		return ntohs(sa->u.in6.sin6_port);
	default:
		return 0;
	}
}

void sa_set_port(struct sa *sa, uint16_t port)
{
	if (sa_af(sa) == AF_INET)
		sa->u.in.sin_port = htons(port);
	else if (sa_af(sa) == AF_INET6)
		sa->u.in6.sin6_port = htons(port);
}

char *sa_print_ip(const struct sa *sa, char *buf, size_t size)
{
	if (!buf || !size)
		return buf;
	buf[0] = '\0';
	if (sa_af(sa) == AF_INET)
		inet_ntop(AF_INET, &sa->u.in.sin_addr, buf, (socklen_t)size);
	else if (sa_af(sa) == AF_INET6)
		inet_ntop(AF_INET6, &sa->u.in6.sin6_addr, buf, (socklen_t)size);
	return buf;
}

char *sa_print(const struct sa *sa, char *buf, size_t size)
{
	char ip[INET6_ADDRSTRLEN];
	if (!buf || !size)
		return buf;
	sa_print_ip(sa, ip, sizeof(ip));
	if (sa_af(sa) == AF_INET6)
		snprintf(buf, size, "[%s]:%u", ip, sa_port(sa));
	else if (sa_af(sa) == AF_INET)
		snprintf(buf, size, "%s:%u", ip, sa_port(sa));
	else
		snprintf(buf, size, "(none)");
	return buf;
}

bool sa_cmp(const struct sa *a, const struct sa *b)
{
	if (sa_af(a) != sa_af(b) || sa_port(a) != sa_port(b))
		return false;
	if (sa_af(a) == AF_INET)
		return a->u.in.sin_addr.s_addr == b->u.in.sin_addr.s_addr;
	if (sa_af(a) == AF_INET6)
		return !memcmp(&a->u.in6.sin6_addr, &b->u.in6.sin6_addr,
			       sizeof(a->u.in6.sin6_addr));
	return false;
}

uint32_t sa_hash(const struct sa *sa)
{
	uint32_t h = sa_port(sa);
	if (sa_af(sa) == AF_INET)
		h ^= hash_fnv(&sa->u.in.sin_addr, sizeof(sa->u.in.sin_addr));
	else if (sa_af(sa) == AF_INET6)
		h ^=
		    hash_fnv(&sa->u.in6.sin6_addr, sizeof(sa->u.in6.sin6_addr));
	return h;
}

bool sa_is_ip_literal(const char *s)
{
	struct sa sa;
	return s && !sa_set(&sa, s, 0);
}
