/* lint.c: `phonebox lint FILE...`: check files hold one valid SIP message. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "ua/sip/msg.h"
#include "ua/sip/print.h"

/* Read a whole file (up to the message size limit + 1) into a buffer. */
static int read_file(const char *path, struct buf **bp)
{
	FILE *f = fopen(path, "rb");
	struct buf *b = NULL;
	int err;
	if (!f)
		return errno;
	err = buf_alloc(&b, SIP_MSG_MAX_SIZE + 1);
	if (err)
		goto out;
	size_t n = fread(b->b, 1, SIP_MSG_MAX_SIZE + 1, f);
	if (ferror(f)) {
		err = EIO;
		goto out;
	}
	b->end = n;
out:
	fclose(f);
	if (err)
		obj_deref(b);
	else
		*bp = b;
	return err;
}

static bool lint_one(const char *path)
{
	struct sip_decode_err de;
	struct sip_msg *m = NULL;
	struct buf *b = NULL;
	int err = read_file(path, &b);
	if (err) {
		printf("%s: cannot read (%s)\n", path, strerror(err));
		return false;
	}
	err = sip_msg_decode_ex(&m, b, &de);
	obj_deref(de.partial);
	obj_deref(b);
	if (!err) {
		obj_deref(m);
		printf("%s: ok\n", path);
		return true;
	}
	if (err != EBADMSG)
		printf("%s: error (%s)\n", path, strerror(err));
	else if (de.scode)
		printf("%s: %u %s (%s)\n", path, de.scode,
		       sip_reason(de.scode), de.reason);
	else
		printf("%s: dropped (%s)\n", path, de.reason);
	return false;
}

int cli_lint(int argc, char **argv)
{
	bool ok = true;
	if (argc < 2) {
		fprintf(stderr, "usage: phonebox lint FILE...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		ok = lint_one(argv[i]) && ok;
	return ok ? 0 : 1;
}
