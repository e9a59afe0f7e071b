/*
 * The console: bytes written to the UART's TX register.
 *
 * printf() holds the console lock for a whole call, so lines printed by different harts do not interleave. The
 * lock is recursive per hart: a trap handler that prints while its hart was inside printf() does not deadlock
 * (its output lands in the middle of the interrupted line, which is the honest picture of what happened).
 */
#ifndef OOBSIM_CONSOLE_H
#define OOBSIM_CONSOLE_H

#include <stdarg.h>

int putchar(int c);
/* Writes s and a newline, like the C library's. */
int puts(const char *s);

/*
 * A small printf: %d %i %u %x %X %o %c %s %p %%, flags '-' and '0', a field width (digits or '*'), a precision
 * for %s, and the length modifiers l, ll, z, h, hh. Returns the number of bytes written.
 */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Keep several printf() calls together on the console. Nests. */
void console_lock(void);
void console_unlock(void);

#endif /* OOBSIM_CONSOLE_H */
