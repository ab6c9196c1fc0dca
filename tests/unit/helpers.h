/* Shared by the unit tests: fixture paths and file reading. */
#ifndef FX_TEST_HELPERS_H
#define FX_TEST_HELPERS_H

#include <stddef.h>

/* $FLUXACDC_TEST_ROOT/<rel> (or ./<rel>) into a static buffer. */
const char *fx_test_path(const char *rel);
/* Reads a whole file into a new NUL-terminated buffer; NULL on error. */
char *fx_test_read(const char *path, size_t *len);

#endif
