/*
 * Console output and a small printf.
 *
 * Output is written byte by byte to the UART's TX register. Its STATUS register is always "ready" in this platform
 * (memory_map.h), so the status is not polled: that would double the device accesses of every byte, and each
 * device access is a synchronisation point for the simulator.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memory_map.h"
#include "oobsim/atomic.h"
#include "oobsim/console.h"
#include "oobsim/mmio.h"
#include "oobsim/platform.h"
#include "oobsim/spinlock.h"

static spinlock_t console_spinlock = SPINLOCK_INIT;

/*
 * Per-hart nesting depth. Only the hart itself touches its entry, and a trap handler that prints always leaves it
 * as it found it, so an interrupted update is harmless. The lock is taken on the way from 0 to 1 and dropped
 * before the way from 1 to 0: a handler that runs in either window sees depth >= 1 and does not try to take the
 * lock its own hart holds (it prints unlocked for that moment instead of deadlocking).
 */
static uint32_t console_depth[OOBSIM_MAX_HARTS];

void console_lock(void)
{
	uint32_t me = hartid();

	if (console_depth[me]++ == 0)
		spin_lock(&console_spinlock);
}

void console_unlock(void)
{
	uint32_t me = hartid();

	if (console_depth[me] == 1)
		spin_unlock(&console_spinlock);
	console_depth[me]--;
}

static inline void uart_tx(char c)
{
	mmio_write32(OOBSIM_UART_BASE + OOBSIM_UART_TX, (uint8_t)c);
}

int putchar(int c)
{
	console_lock();
	uart_tx((char)c);
	console_unlock();
	return (uint8_t)c;
}

int puts(const char *s)
{
	int n = 0;

	console_lock();
	while (*s) {
		uart_tx(*s++);
		n++;
	}
	uart_tx('\n');
	console_unlock();
	return n + 1;
}

struct fmt_spec {
	int width;
	int prec;	/* -1: none */
	bool left;
	bool zero;
};

static int out_pad(char c, int n)
{
	int i;

	for (i = 0; i < n; i++)
		uart_tx(c);
	return n > 0 ? n : 0;
}

static int out_str(const char *s, const struct fmt_spec *spec)
{
	int len = 0, n = 0;

	if (!s)
		s = "(null)";
	while (s[len] && (spec->prec < 0 || len < spec->prec))
		len++;
	if (!spec->left)
		n += out_pad(' ', spec->width - len);
	for (int i = 0; i < len; i++)
		uart_tx(s[i]);
	n += len;
	if (spec->left)
		n += out_pad(' ', spec->width - len);
	return n;
}

static int out_num(uint64_t v, unsigned int base, bool upper, bool neg, const struct fmt_spec *spec)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];	/* 2^64 in octal is 22 digits */
	int len = 0, n = 0, i;

	/* 64-bit division is a libgcc call on RV32; most numbers fit 32 bits, where it is one divu. */
	while (v > 0xffffffffu) {
		buf[len++] = digits[v % base];
		v /= base;
	}
	uint32_t w = (uint32_t)v;
	do {
		buf[len++] = digits[w % base];
		w /= base;
	} while (w);

	int total = len + (neg ? 1 : 0);

	if (!spec->left && !spec->zero)
		n += out_pad(' ', spec->width - total);
	if (neg) {
		uart_tx('-');
		n++;
	}
	if (!spec->left && spec->zero)
		n += out_pad('0', spec->width - total);
	for (i = len - 1; i >= 0; i--)
		uart_tx(buf[i]);
	n += len;
	if (spec->left)
		n += out_pad(' ', spec->width - total);
	return n;
}

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE };

static int format(const char *fmt, va_list ap)
{
	int n = 0;

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			uart_tx(*fmt);
			n++;
			continue;
		}
		fmt++;

		struct fmt_spec spec = { .width = 0, .prec = -1, .left = false, .zero = false };

		for (;; fmt++) {
			if (*fmt == '-')
				spec.left = true;
			else if (*fmt == '0')
				spec.zero = true;
			else
				break;
		}
		if (*fmt == '*') {
			spec.width = va_arg(ap, int);
			if (spec.width < 0) {
				spec.left = true;
				spec.width = -spec.width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				spec.width = spec.width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			spec.prec = 0;
			if (*fmt == '*') {
				spec.prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					spec.prec = spec.prec * 10 + (*fmt++ - '0');
			}
		}

		enum length len = LEN_INT;

		if (*fmt == 'h') {
			len = LEN_SHORT;
			if (*++fmt == 'h') {
				len = LEN_CHAR;
				fmt++;
			}
		} else if (*fmt == 'l') {
			len = LEN_LONG;
			if (*++fmt == 'l') {
				len = LEN_LLONG;
				fmt++;
			}
		} else if (*fmt == 'z') {
			len = LEN_SIZE;
			fmt++;
		}

		uint64_t u;
		int64_t s;
		char c;

		switch (*fmt) {
		case 'd':
		case 'i':
			if (len == LEN_LLONG)
				s = va_arg(ap, long long);
			else if (len == LEN_LONG)
				s = va_arg(ap, long);
			else
				s = va_arg(ap, int);	/* char and short are promoted; size_t is int-sized */
			if (len == LEN_CHAR)
				s = (signed char)s;
			else if (len == LEN_SHORT)
				s = (short)s;
			/* -(uint64_t) avoids the overflow of negating INT64_MIN. */
			n += out_num(s < 0 ? -(uint64_t)s : (uint64_t)s, 10, false, s < 0, &spec);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			if (len == LEN_LLONG)
				u = va_arg(ap, unsigned long long);
			else if (len == LEN_LONG)
				u = va_arg(ap, unsigned long);
			else if (len == LEN_SIZE)
				u = va_arg(ap, size_t);
			else
				u = va_arg(ap, unsigned int);
			if (len == LEN_CHAR)
				u = (unsigned char)u;
			else if (len == LEN_SHORT)
				u = (unsigned short)u;
			n += out_num(u, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16, *fmt == 'X', false, &spec);
			break;
		case 'p':
			uart_tx('0');
			uart_tx('x');
			spec.width = 8;
			spec.zero = true;
			spec.left = false;
			n += 2 + out_num((uintptr_t)va_arg(ap, void *), 16, false, false, &spec);
			break;
		case 'c':
			c = (char)va_arg(ap, int);
			if (!spec.left)
				n += out_pad(' ', spec.width - 1);
			uart_tx(c);
			n++;
			if (spec.left)
				n += out_pad(' ', spec.width - 1);
			break;
		case 's':
			n += out_str(va_arg(ap, const char *), &spec);
			break;
		case '%':
			uart_tx('%');
			n++;
			break;
		case '\0':
			/* A lone '%' at the end: print it rather than read past the string. */
			uart_tx('%');
			return n + 1;
		default:
			/* Unknown conversion: show it as written, so the mistake is visible in the output. */
			uart_tx('%');
			uart_tx(*fmt);
			n += 2;
			break;
		}
	}
	return n;
}

int vprintf(const char *fmt, va_list ap)
{
	int n;

	console_lock();
	n = format(fmt, ap);
	console_unlock();
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
