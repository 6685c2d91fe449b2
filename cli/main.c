/* main.c: entry point; dispatches to a subcommand or starts the phone. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#ifndef PB_HAVE_PHONE
/* built without the media stream: the admin subcommands only */
static void usage(FILE *f)
{
	fprintf(f, "usage: phonebox [SUBCOMMAND] [ARGS...]\n\nsubcommands:\n");
	for (const struct cli_subcmd *c = cli_subcmds; c->name; c++)
		fprintf(f, "  phonebox %s\n", c->usage);
}
#endif

int main(int argc, char **argv)
{
#ifdef PB_HAVE_PHONE
	if (argc < 2 || argv[1][0] == '-')
		return cli_run(argc, argv);
	if (!strcmp(argv[1], "help")) {
		cli_run_usage(stdout);
		return 0;
	}
#else
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version"))
		return cli_version(argc - 1, argv + 1);
#endif
	for (const struct cli_subcmd *c = cli_subcmds; c->name; c++)
		if (!strcmp(argv[1], c->name))
			return c->run(argc - 1, argv + 1);
	fprintf(stderr,
		"phonebox: unknown subcommand '%s' (try phonebox --help)\n",
		argv[1]);
	return 2;
}
