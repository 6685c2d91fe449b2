/* driver.c: bench/parse driver: nanoseconds of CPU per SIP message decode.
 *
 * One executable per parser (bench_parse_ours, bench_parse_libre,
 * bench_parse_osip2) links this file with one adapter, because libre and
 * phonebox's base library both define list_*, hash_*, pl_* and tmr_*
 * symbols. bench/parse/run starts the three in turn on the same message
 * files, several rounds interleaved, and prints the medians side by side.
 *
 * What one "decode" is, per parser (all start from bytes already in the
 * caller's receive buffer, and all free their result before the next one):
 *
 *   ours   sip_msg_decode(&msg, buf) from ua/sip/msg.h: start line and
 *          Request-URI, every header split into name/value views (kept in
 *          an array inside the message block: one allocation), header
 *          names looked up; decoded eagerly: every Via (the top one kept),
 *          From, To, every Contact (the first kept), Call-ID, CSeq,
 *          Max-Forwards, Content-Length, Content-Type, Expires, RSeq, RAck,
 *          Require/Supported located; body located by Content-Length.
 *          Then obj_deref(msg). The buf is made once and rewound.
 *   libre  sip_msg_decode(&msg, mb) (libre 1.1.0): start line and
 *          Request-URI, every header into a sip_hdr list and hash table
 *          (one allocation each), header names hashed; decoded eagerly: the
 *          top Via only, From/To (address, URI, tag), CSeq, Content-Type;
 *          Call-ID, Max-Forwards, Expires, Content-Length kept as views;
 *          body located; a random 64-bit message tag drawn (rand_u64()).
 *          Then mem_deref(msg). The mbuf is made once and rewound.
 *   osip2  osip_message_init + osip_message_parse + osip_message_free
 *          (libosip2 5.3.0): copies the bytes, then parses every known
 *          header fully into allocated structures (all Vias, From/To/
 *          Contact/Route/Record-Route URIs and parameters, CSeq, Call-ID,
 *          Authorization digest fields, Content-Type) and copies unknown
 *          headers and the body. It does more work than the other two (no
 *          views into the input, a string copy per field); that is the
 *          price of its API, and every osip2 user pays it.
 *
 * So ours validates more than libre (all Vias and Contacts) and less than
 * osip2 (no Route/Record-Route/Authorization decoding up front: those are
 * decoded on demand). Each adapter's bp_check() reads back CSeq and the
 * Via count; bench/parse/run refuses to print if the parsers disagree.
 *
 * Timing: CLOCK_PROCESS_CPUTIME_ID. For each message the loop count is
 * calibrated (doubling until 1/16 of the measurement time passes; this is
 * also the warm-up), then one timed run of about -t milliseconds. "mixed"
 * runs all messages in turn in one loop. Allocations per message come from
 * the malloc counter in alloc_count.c around a single decode.
 *
 * Usage: bench_parse_NAME [-t MS] [-i ITERS] FILE...   (figures go to
 * stdout as name=value unit lines; the message type is the file name
 * without suffix). With -i the driver only checks the messages and then
 * decodes each ITERS times, untimed: bench/parse/run uses that under
 * callgrind (--toggle-collect=bp_parse) for instruction counts, which the
 * machine's noise does not move.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "driver.h"

enum { MAX_MSGS = 32, MAX_MSG_SIZE = 65536 };

struct msg {
	char type[64];
	struct bp_input *in;
};

static uint64_t cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int load(struct msg *m, const char *path)
{
	static uint8_t data[MAX_MSG_SIZE];
	const char *base = strrchr(path, '/');
	size_t n, len;
	FILE *f = fopen(path, "rb");
	int err;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return errno;
	}
	n = fread(data, 1, sizeof(data), f);
	fclose(f);
	if (n == 0 || n == sizeof(data)) {
		fprintf(stderr, "%s: empty or too large\n", path);
		return EINVAL;
	}
	base = base ? base + 1 : path;
	len = strcspn(base, ".");
	if (len >= sizeof(m->type))
		len = sizeof(m->type) - 1;
	memcpy(m->type, base, len);
	m->type[len] = '\0';
	err = bp_prepare(&m->in, data, n);
	if (err)
		fprintf(stderr, "%s: prepare: %s\n", path, strerror(err));
	return err;
}

/* Decode msgs[0..n) in turn, @p iters times; 0 or the first error. */
static int run(struct msg *msgs, size_t n, uint64_t iters)
{
	for (uint64_t i = 0; i < iters; i++) {
		for (size_t j = 0; j < n; j++) {
			int err = bp_parse(msgs[j].in);
			if (err)
				return err;
		}
	}
	return 0;
}

/* CPU ns per message over about @p ms milliseconds; < 0 on error. */
static double measure(struct msg *msgs, size_t n, unsigned ms)
{
	uint64_t target = (uint64_t)ms * 1000000u, iters = 1, t0, dt;

	for (;;) {
		t0 = cpu_ns();
		if (run(msgs, n, iters))
			return -1;
		dt = cpu_ns() - t0;
		if (dt >= target / 16 || iters >= (1ull << 40))
			break;
		iters *= 2;
	}
	if (dt < target) {
		iters = (uint64_t)((double)iters * (double)target /
				   (double)(dt ? dt : 1));
		t0 = cpu_ns();
		if (run(msgs, n, iters))
			return -1;
		dt = cpu_ns() - t0;
	}
	return (double)dt / (double)iters / (double)n;
}

static size_t allocs_of(struct msg *m)
{
	size_t a0 = bp_alloc_count();
	if (bp_parse(m->in))
		return 0;
	return bp_alloc_count() - a0;
}

int main(int argc, char **argv)
{
	struct msg msgs[MAX_MSGS];
	size_t nmsgs = 0, allocs_sum = 0;
	unsigned ms = 300;
	long fixed_iters = 0;
	int opt, err = 0;

	while ((opt = getopt(argc, argv, "t:i:")) != -1) {
		if (opt == 't' && atoi(optarg) > 0) {
			ms = (unsigned)atoi(optarg);
			continue;
		}
		if (opt == 'i' && atol(optarg) > 0) {
			fixed_iters = atol(optarg);
			continue;
		}
		fprintf(stderr, "usage: %s [-t MS] [-i ITERS] FILE...\n",
			argv[0]);
		return 2;
	}
	if (optind >= argc || argc - optind > MAX_MSGS) {
		fprintf(stderr, "usage: %s [-t MS] [-i ITERS] FILE...\n",
			argv[0]);
		return 2;
	}
	err = bp_setup();
	if (err) {
		fprintf(stderr, "%s: setup: %s\n", bp_name, strerror(err));
		return 1;
	}
	for (int i = optind; i < argc; i++) {
		uint32_t cseq = 0;
		unsigned nvia = 0;

		err = load(&msgs[nmsgs], argv[i]);
		if (err)
			goto out;
		nmsgs++;
		err = bp_check(msgs[nmsgs - 1].in, &cseq, &nvia);
		if (err) {
			fprintf(stderr, "%s: %s does not parse: %s\n", bp_name,
				argv[i], strerror(err));
			goto out;
		}
		printf("check_%s_%s=cseq:%u,via:%u msg\n", bp_name,
		       msgs[nmsgs - 1].type, cseq, nvia);
	}
	if (fixed_iters) {
		err = run(msgs, nmsgs, (uint64_t)fixed_iters);
		goto out;
	}
	for (size_t i = 0; i < nmsgs; i++) {
		double ns = measure(&msgs[i], 1, ms);
		size_t allocs = allocs_of(&msgs[i]);

		if (ns < 0) {
			err = EBADMSG;
			goto out;
		}
		allocs_sum += allocs;
		if (bp_own_alloc_count) {
			size_t o0 = bp_own_alloc_count();
			if (bp_parse(msgs[i].in) == 0)
				printf("objs_%s_%s=%zu allocs/msg\n", bp_name,
				       msgs[i].type, bp_own_alloc_count() - o0);
		}
		printf("parse_%s_%s=%.1f ns/msg\n", bp_name, msgs[i].type, ns);
		printf("allocs_%s_%s=%zu allocs/msg\n", bp_name, msgs[i].type,
		       allocs);
	}
	{
		double ns = measure(msgs, nmsgs, ms);
		if (ns < 0) {
			err = EBADMSG;
			goto out;
		}
		printf("parse_%s=%.1f ns/msg\n", bp_name, ns);
		printf("allocs_%s=%.1f allocs/msg\n", bp_name,
		       (double)allocs_sum / (double)nmsgs);
	}
out:
	for (size_t i = 0; i < nmsgs; i++)
		bp_release(msgs[i].in);
	fflush(stdout);
	return err ? 1 : 0;
}
