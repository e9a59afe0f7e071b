/*
 * Trace HINTs (`slti x0, rs1, id`) must be invisible to the program: no trap, no register change, no cycles and
 * no instructions counted (docs/platform.md, "Tracing without changing time").
 *
 * The same measurement is made around an empty stretch, eight NOPs and eight HINTs; the HINTs must cost what the
 * empty stretch costs, in mcycle and in minstret, while the NOPs show that the measurement can see eight
 * instructions at all.
 */
#include "fwtest.h"

struct cost {
	uint32_t cycles, insns;
};

#define MEASURE(body)							\
	({								\
		uint32_t c0, c1, i0, i1;				\
		__asm__ volatile("csrr %0, mcycle\n"			\
				 "csrr %1, minstret\n"			\
				 body					\
				 "csrr %2, minstret\n"			\
				 "csrr %3, mcycle\n"			\
				 : "=&r"(c0), "=&r"(i0), "=&r"(i1), "=&r"(c1)\
				 : : "memory");				\
		(struct cost){ c1 - c0, i1 - i0 };			\
	})

#define EIGHT(insn)	insn insn insn insn insn insn insn insn

int main(void)
{
	if (hartid() != 0)
		return 0;

	/* Twice each: the first run of a stretch may pay for decoding it. */
	struct cost empty = MEASURE("");
	struct cost nops = MEASURE(EIGHT("nop\n"));
	struct cost hints = MEASURE(EIGHT("slti x0, sp, 5\n"));

	empty = MEASURE("");
	nops = MEASURE(EIGHT("nop\n"));
	hints = MEASURE(EIGHT("slti x0, sp, 5\n"));

	printf("hints: empty %u cycles / %u insns, 8 nops %u / %u, 8 hints %u / %u\n",
	       (unsigned int)empty.cycles, (unsigned int)empty.insns, (unsigned int)nops.cycles,
	       (unsigned int)nops.insns, (unsigned int)hints.cycles, (unsigned int)hints.insns);
	CHECK_EQ("minstret over 8 NOPs minus over nothing", nops.insns - empty.insns, 8);
	CHECK_EQ("minstret over 8 HINTs minus over nothing", hints.insns - empty.insns, 0);
	CHECK_EQ("mcycle over 8 HINTs minus over nothing", hints.cycles - empty.cycles, 0);
	CHECK(nops.cycles > empty.cycles, "8 NOPs cost no cycles: the measurement is blind");

	/* The value register and every other register stay as they were. */
	uint32_t v = 0x1234;

	OOBSIM_TRACE(2047, v);
	OOBSIM_TRACE(0, v);
	CHECK_EQ("register after a HINT", v, 0x1234);
	printf("hints: PASS\n");
	return 0;
}
