/* Whole-file reading, shared by the commands that take a file argument. */
#ifndef FX_UTIL_FILE_H
#define FX_UTIL_FILE_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

/*
 * Appends the whole of path ("-": standard input) to b.  Refuses a
 * directory and anything larger than max bytes (0: no limit).  On failure
 * returns -1 with err (code 1) saying "cannot read 'path': why"; b is left
 * for the caller to release.
 */
int fx_file_read(const char *path, size_t max, struct fx_buf *b, struct fx_err *err);

#endif
