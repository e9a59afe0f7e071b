/*
 * The compute benchmark's kernel, in a header of its own so the same code can be compiled for the host to get the
 * expected checksums (see compute.c). Plain C on uint32_t: the results are the same on every machine.
 *
 * Per pass over the buffer, for each word: a load, a data-dependent second load (random access over the whole
 * buffer), a data-dependent branch, a multiply, a store, and on one word in 256 a division.
 */
#ifndef BENCH_COMPUTE_KERNEL_H
#define BENCH_COMPUTE_KERNEL_H

#include <stdint.h>

#define COMPUTE_BUF_BYTES	(64u * 1024u)
#define COMPUTE_BUF_WORDS	(COMPUTE_BUF_BYTES / 4u)
#define COMPUTE_PASSES		200u	/* ~20 instructions per word per pass: ~65 million instructions */

static inline uint32_t compute_rotl(uint32_t x, unsigned int r)
{
	return (x << r) | (x >> (32 - r));
}

static uint32_t compute_kernel(uint32_t *buf, uint32_t seed)
{
	uint32_t x = seed * 0x9e3779b9u + 0x7f4a7c15u;
	uint32_t acc = seed;
	uint32_t i, pass;

	/* Fill with an LCG: the whole buffer is written before it is read, so it needs no clearing. */
	for (i = 0; i < COMPUTE_BUF_WORDS; i++) {
		x = x * 1664525u + 1013904223u;
		buf[i] = x;
	}

	for (pass = 0; pass < COMPUTE_PASSES; pass++) {
		for (i = 0; i < COMPUTE_BUF_WORDS; i++) {
			uint32_t v = buf[i];
			uint32_t w = buf[(v >> 7) & (COMPUTE_BUF_WORDS - 1)];

			if (v & 1)
				acc += w ^ (v >> 3);
			else
				acc ^= w + (v << 1);
			if ((v & 0xff) == 0x5a)
				acc += w / ((v >> 9) | 1);
			buf[i] = v * 0x9e3779b1u + acc;
		}
		acc = compute_rotl(acc, 7) ^ pass;
	}

	for (i = 0; i < COMPUTE_BUF_WORDS; i++)
		acc = compute_rotl(acc, 5) ^ buf[i];
	return acc;
}

#endif /* BENCH_COMPUTE_KERNEL_H */
