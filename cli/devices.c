/* devices.c: `phonebox devices`: list the sound-card devices PortAudio sees. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audio/dev.h"
#include "cli/cli.h"

static void print_dev(const struct audev_info *ai, void *arg)
{
	unsigned *count = arg;

	printf("%3d  %-40s in=%d out=%d rate=%.0f api=%s%s%s\n", ai->index,
	       ai->name, ai->in_channels, ai->out_channels, ai->rate, ai->api,
	       ai->def_in ? " default-input" : "",
	       ai->def_out ? " default-output" : "");
	(*count)++;
}

int cli_devices(int argc, char **argv)
{
	char err[256] = "";
	unsigned count = 0;

	int saved = -1, quiet, e;

	(void)argc;
	(void)argv;
	/* ALSA and JACK print pages of probe noise on stderr while PortAudio
	 * scans; hide it unless -v is given. */
	if (argc < 2 || strcmp(argv[1], "-v")) {
		fflush(stderr);
		saved = dup(2);
		quiet = open("/dev/null", O_WRONLY);
		if (saved >= 0 && quiet >= 0)
			dup2(quiet, 2);
		if (quiet >= 0)
			close(quiet);
	}
	e = audev_list(print_dev, &count, err, sizeof(err));
	if (saved >= 0) {
		dup2(saved, 2);
		close(saved);
	}
	if (e) {
		fprintf(stderr, "phonebox: %s\n", err);
		return 1;
	}
	if (!count) {
		fprintf(stderr, "phonebox: no audio device found; use "
				"--audio null\n");
		return 1;
	}
	return 0;
}
