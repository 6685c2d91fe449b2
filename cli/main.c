/* main.c: entry point; dispatches to a subcommand or starts the phone. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int main(int argc, char **argv)
{
	if (argc < 2 || argv[1][0] == '-')
		return cli_run(argc, argv);
	if (!strcmp(argv[1], "help")) {
		cli_run_usage(stdout);
		return 0;
	}
	for (const struct cli_subcmd *c = cli_subcmds; c->name; c++)
		if (!strcmp(argv[1], c->name))
			return c->run(argc - 1, argv + 1);
	fprintf(stderr,
		"phonebox: unknown subcommand '%s' (try phonebox --help)\n",
		argv[1]);
	return 2;
}
