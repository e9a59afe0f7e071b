/*
 * The string functions the compiler may call on its own (struct copies, large initialisers) and a few more.
 * -ffreestanding leaves them to us; lib/string.c has them.
 */
#ifndef OOBSIM_STRING_H
#define OOBSIM_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#endif /* OOBSIM_STRING_H */
