/* subcmds.c: the table of `phonebox SUBCOMMAND` entries. */
#include <stdio.h>

#include "cli/cli.h"

int cli_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("phonebox %s\n", PB_VERSION);
	return 0;
}

const struct cli_subcmd cli_subcmds[] = {
    {"version", "version                 print the version", cli_version},
    {"lint", "lint FILE...            check SIP message files (RFC 3261)",
     cli_lint},
    {"register",
     "register URI [--password P] [--expires N] [--once|--hold S]  "
     "register an account",
     cli_register},
    {"devices", "devices [-v]            list audio devices", cli_devices},
    {"call",
     "call URI [--play F.wav] [--dtmf D] [--hangup-after S] ...  "
     "one call (call --help)",
     cli_call},
    {NULL, NULL, NULL},
};
