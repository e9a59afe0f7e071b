/*
 * Software interrupts between every ordered pair of harts.
 *
 * The harts take turns as the sender. The sender puts its id in the receiver's mailbox, raises the receiver's MSIP
 * and waits for the acknowledgement; the receiver, interrupted wherever it was spinning, reads the mailbox, clears
 * its MSIP and records the sender. At the end every receiver must have been interrupted exactly once by every
 * other hart, and never by itself. Turns make the order deterministic, so the run is also a trace-equivalence
 * program.
 */
#include "fwtest.h"

static struct hart_barrier start = HART_BARRIER_INIT;
static struct hart_barrier done = HART_BARRIER_INIT;

static volatile uint32_t turn;				/* the hart whose turn it is to send */
static volatile uint32_t mailbox[OOBSIM_MAX_HARTS];	/* sender + 1, 0 when empty */
static volatile uint32_t acks[OOBSIM_MAX_HARTS];	/* IPIs handled, per receiver */
static volatile uint32_t seen[OOBSIM_MAX_HARTS][OOBSIM_MAX_HARTS];	/* [receiver][sender] */
static volatile uint32_t latency[OOBSIM_MAX_HARTS][OOBSIM_MAX_HARTS];	/* cycles from send to ack */

void trap_handler(struct trap_frame *f)
{
	uint32_t me = hartid();
	uint32_t from;

	if (f->mcause != (MCAUSE_INTERRUPT | IRQ_M_SOFT))
		trap_unexpected(f);

	from = mailbox[me];
	if (from == 0)
		FAIL("software interrupt with an empty mailbox");
	from--;
	if (from == me)
		FAIL("software interrupt from myself");
	msip_ack();
	mailbox[me] = 0;
	seen[me][from]++;
	OOBSIM_TRACE(10, me << 8 | from);	/* receiver, sender */
	amo_add(&acks[me], 1);
}

static void send_all(uint32_t me, uint32_t n)
{
	for (uint32_t r = 0; r < n; r++) {
		if (r == me)
			continue;

		uint32_t expected = acks[r] + 1;
		uint32_t t0;

		mailbox[r] = me + 1;
		/* The mailbox must be in memory before the device write that makes the receiver look at it. */
		iomb();
		t0 = csr_read(mcycle);
		send_msip(r);
		WAIT_UNTIL(READ_ONCE(acks[r]) == expected, "the receiver's acknowledgement");
		latency[r][me] = csr_read(mcycle) - t0;
	}
}

int main(void)
{
	uint32_t me = hartid();
	uint32_t n = fwtest_harts();

	if (n < 2) {
		printf("msip_ipi: PASS (skipped: needs 2 harts, have %u)\n", (unsigned int)n);
		return 0;
	}
	if (me >= n)
		return 0;

	irq_enable_msip();
	irq_global_enable();
	hart_barrier_wait(&start, n);

	/* Receivers spin here with interrupts open; the handler runs in the middle of this loop. */
	while (READ_ONCE(turn) != n) {
		if (READ_ONCE(turn) == me) {
			send_all(me, n);
			amo_add(&turn, 1);
		}
		cpu_relax();
	}

	irq_global_disable();
	irq_disable_msip();
	hart_barrier_wait(&done, n);
	if (me != 0)
		return 0;

	for (uint32_t r = 0; r < n; r++) {
		for (uint32_t s = 0; s < n; s++) {
			uint32_t want = r == s ? 0 : 1;

			if (seen[r][s] != want)
				FAIL("hart %u took %u IPIs from hart %u, expected %u", (unsigned int)r,
				     (unsigned int)seen[r][s], (unsigned int)s, (unsigned int)want);
		}
		CHECK_EQ("acknowledgements of one receiver", acks[r], n - 1);
		CHECK(mailbox[r] == 0, "mailbox of hart %u not emptied", (unsigned int)r);
	}

	console_lock();
	printf("msip_ipi: send-to-ack cycles [receiver][sender]:\n");
	for (uint32_t r = 0; r < n; r++) {
		printf("  %u:", (unsigned int)r);
		for (uint32_t s = 0; s < n; s++)
			printf(" %6u", (unsigned int)latency[r][s]);
		printf("\n");
	}
	console_unlock();
	printf("msip_ipi: PASS (%u harts, %u IPIs)\n", (unsigned int)n, (unsigned int)(n * (n - 1)));
	return 0;
}
