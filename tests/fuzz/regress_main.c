/* regress_main.c: run a fuzz target over every file of a corpus folder. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
	size_t got = b ? fread(b, 1, (size_t)(n > 0 ? n : 0), f) : 0;
	fclose(f);
	if (!b)
		return 1;
	LLVMFuzzerTestOneInput(b, got);
	free(b);
	return 0;
}

int main(int argc, char **argv)
{
	int files = 0, errs = 0;
	for (int i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		if (!d) {
			errs += run_file(argv[i]);
			files++;
			continue;
		}
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			char path[4096];
			snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
			struct stat st;
			if (stat(path, &st) || !S_ISREG(st.st_mode))
				continue;
			errs += run_file(path);
			files++;
		}
		closedir(d);
	}
	printf("%d inputs, %d unreadable\n", files, errs);
	return files == 0 || errs ? 1 : 0;
}
