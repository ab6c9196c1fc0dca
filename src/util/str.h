/* Small string helpers that no library offers. Nothing here allocates unless said. */
#ifndef FX_UTIL_STR_H
#define FX_UTIL_STR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Edit distance (an adjacent swap is one edit), case-insensitive; above max: max+1. */
size_t fx_str_distance(const char *a, const char *b, size_t max);
/* The candidate closest to word within a small distance, or NULL. Lends from candidates. */
const char *fx_str_suggest(const char *word, const char *const *candidates, size_t n);
int fx_str_has_prefix(const char *s, const char *prefix);
int fx_str_has_suffix(const char *s, const char *suffix);
/* Case-insensitive substring test. */
int fx_str_icontains(const char *haystack, const char *needle);
/* Parses a whole decimal string into [min, max]; -1 when not a number or out of range. */
int fx_str_to_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* True when s is valid UTF-8; fx_str_utf8_prefix gives the length of the valid prefix. */
size_t fx_str_utf8_prefix(const char *s, size_t n);
int fx_str_is_utf8(const char *s, size_t n);
/* Prints each line of text on out with indent in front (traces, errors). */
void fx_str_print_indented(FILE *out, const char *indent, const char *text);
/* 32-bit FNV-1a. */
uint32_t fx_fnv1a32(const char *s);
/* SHA-256 of data as "sha256:<64 hex>" into out (at least 72 bytes). */
void fx_sha256_hex(const void *data, size_t n, char out[72]);

#endif
