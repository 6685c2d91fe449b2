/* main.c: entry point; dispatches to a subcommand or starts the phone. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: phonebox [SUBCOMMAND] [ARGS...]\n\nsubcommands:\n");
	for (const struct cli_subcmd *c = cli_subcmds; c->name; c++)
		fprintf(f, "  phonebox %s\n", c->usage);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version"))
		return cli_version(argc - 1, argv + 1);
	for (const struct cli_subcmd *c = cli_subcmds; c->name; c++)
		if (!strcmp(argv[1], c->name))
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "phonebox: unknown subcommand '%s' (try phonebox --help)\n",
		argv[1]);
	return 2;
}
