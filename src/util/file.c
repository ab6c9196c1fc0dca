#include "util/file.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int fx_file_read(const char *path, size_t max, struct fx_buf *b, struct fx_err *err)
{
	int is_stdin = !strcmp(path, "-");
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	char chunk[65536];
	struct stat st;
	size_t n;
	int ret = -1;

	if (!f)
		return fx_err_set(err, FX_EXIT_FAILURE, "cannot read '%s': %s", path, strerror(errno));
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fx_err_set(err, FX_EXIT_FAILURE, "cannot read '%s': it is a directory", path);
		goto cleanup;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		fx_buf_add(b, chunk, n);
		if (max && b->len > max) {
			fx_err_set(err, FX_EXIT_FAILURE, "cannot read '%s': larger than %zu bytes", path, max);
			goto cleanup;
		}
	}
	if (ferror(f)) {
		fx_err_set(err, FX_EXIT_FAILURE, "cannot read '%s': %s", path, strerror(errno));
		goto cleanup;
	}
	if (!fx_buf_ok(b)) {
		fx_err_set(err, FX_EXIT_FAILURE, "cannot read '%s': out of memory", path);
		goto cleanup;
	}
	ret = 0;
cleanup:
	if (!is_stdin)
		fclose(f);
	return ret;
}
