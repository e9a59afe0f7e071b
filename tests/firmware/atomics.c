/*
 * The A extension under contention: all harts hammer the same words, then hart 0 checks the totals.
 *
 * Every iteration of every hart does, on shared words:
 *  - a non-atomic read-modify-write inside a spinlock made of amoswap.w.aq/.rl (with an owner check inside);
 *  - an increment with an LR/SC retry loop;
 *  - amoadd.w taking a ticket (each ticket must come out exactly once) and adding hart + 1 to a sum;
 *  - amoor.w / amoand.w setting / clearing the hart's own bits;
 *  - amoxor.w, amomin.w, amomax.w, amominu.w, amomaxu.w and amoswap.w with a value derived from (hart, i).
 * All final values are independent of the interleaving, so they can be computed and compared.
 *
 * Before that, with two harts, directed LR/SC cases: an SC after an SC fails; another hart's store or AMO to the
 * reserved word makes the SC fail; a store to another word does not.
 */
#include "fwtest.h"

#define ITER		2000u
#define MAX_TICKETS	(OOBSIM_MAX_HARTS * ITER)

static struct hart_barrier sync_point = HART_BARRIER_INIT;

static spinlock_t lock = SPINLOCK_INIT;
static volatile uint32_t locked_counter;	/* only ever changed non-atomically, under lock */
static volatile uint32_t lock_owner;		/* hart + 1 while inside */

static volatile uint32_t lrsc_counter;
static volatile uint32_t ticket;
static volatile uint8_t ticket_seen[MAX_TICKETS];
static volatile uint32_t add_sum;
static volatile uint32_t or_word;
static volatile uint32_t and_word = 0xffffffffu;
static volatile uint32_t xor_word;
static volatile int32_t min_word = INT32_MAX;
static volatile int32_t max_word = INT32_MIN;
static volatile uint32_t minu_word = 0xffffffffu;
static volatile uint32_t maxu_word;
static volatile uint32_t swap_word;

static uint32_t swap_returned[OOBSIM_MAX_HARTS];	/* sum of the values amoswap gave back, per hart */
static uint32_t sc_retries[OOBSIM_MAX_HARTS];

/* A well-mixed, reproducible value per (hart, iteration). */
static uint32_t value_of(uint32_t hart, uint32_t i)
{
	uint32_t x = hart * 0x9e3779b9u ^ (i + 1) * 0x85ebca6bu;

	x ^= x >> 13;
	x *= 0xc2b2ae35u;
	x ^= x >> 16;
	return x;
}

static uint32_t own_bit(uint32_t hart, uint32_t i)
{
	return 1u << (4 * hart + i % 4);
}

static void hammer(uint32_t me)
{
	for (uint32_t i = 0; i < ITER; i++) {
		spin_lock(&lock);
		if (READ_ONCE(lock_owner) != 0)
			FAIL("inside the spinlock while hart %u is too", (unsigned int)(lock_owner - 1));
		WRITE_ONCE(lock_owner, me + 1);
		uint32_t v = READ_ONCE(locked_counter);
		/* Widen the window a lost update would need. */
		for (volatile int k = 0; k < 3; k++)
			;
		WRITE_ONCE(locked_counter, v + 1);
		if (READ_ONCE(lock_owner) != me + 1)
			FAIL("hart %u entered the spinlock while I held it", (unsigned int)(lock_owner - 1));
		WRITE_ONCE(lock_owner, 0);
		spin_unlock(&lock);

		lrsc_add(&lrsc_counter, 1, &sc_retries[me]);

		uint32_t t = amo_add(&ticket, 1);

		if (t >= MAX_TICKETS)
			FAIL("ticket %u out of range", (unsigned int)t);
		ticket_seen[t]++;
		amo_add(&add_sum, me + 1);

		amo_or(&or_word, own_bit(me, i));
		amo_and(&and_word, ~own_bit(me, i));

		uint32_t x = value_of(me, i);

		amo_xor(&xor_word, x);
		amo_min(&min_word, (int32_t)x);
		amo_max(&max_word, (int32_t)x);
		amo_minu(&minu_word, x ^ 0x5a5a5a5au);
		amo_maxu(&maxu_word, x ^ 0x5a5a5a5au);
		swap_returned[me] += amo_swap(&swap_word, x);
	}
}

/*
 * The loop above passes through the spinlock, which lines the harts up one behind the other, so its LR/SC rarely
 * meets another hart. Here every hart runs nothing but the LR/SC loop at once, so reservations do get broken and
 * the store-conditionals must retry.
 */
static volatile uint32_t lrsc_tight;
static uint32_t tight_retries[OOBSIM_MAX_HARTS];

static void hammer_lrsc(uint32_t me)
{
	for (uint32_t i = 0; i < ITER; i++)
		lrsc_add(&lrsc_tight, 1, &tight_retries[me]);
}

static void check_totals(uint32_t n)
{
	uint32_t total = n * ITER;
	uint32_t sum = 0, or_mask = 0, x_xor = 0, x_minu = 0xffffffffu, x_maxu = 0, inserted = 0, returned = 0;
	int32_t x_min = INT32_MAX, x_max = INT32_MIN;

	for (uint32_t h = 0; h < n; h++) {
		sum += (h + 1) * ITER;
		returned += swap_returned[h];
		for (uint32_t i = 0; i < ITER; i++) {
			uint32_t x = value_of(h, i);

			or_mask |= own_bit(h, i);
			x_xor ^= x;
			if ((int32_t)x < x_min)
				x_min = (int32_t)x;
			if ((int32_t)x > x_max)
				x_max = (int32_t)x;
			if ((x ^ 0x5a5a5a5au) < x_minu)
				x_minu = x ^ 0x5a5a5a5au;
			if ((x ^ 0x5a5a5a5au) > x_maxu)
				x_maxu = x ^ 0x5a5a5a5au;
			inserted += x;
		}
	}

	CHECK_EQ("spinlock-protected counter", locked_counter, total);
	CHECK_EQ("LR/SC counter", lrsc_counter, total);
	CHECK_EQ("LR/SC counter of the tight loop", lrsc_tight, total);
	CHECK_EQ("tickets handed out", ticket, total);
	for (uint32_t t = 0; t < total; t++) {
		if (ticket_seen[t] != 1)
			FAIL("ticket %u handed out %u times", (unsigned int)t, (unsigned int)ticket_seen[t]);
	}
	CHECK_EQ("amoadd sum", add_sum, sum);
	CHECK_EQ("amoor word", or_word, or_mask);
	CHECK_EQ("amoand word", and_word, ~or_mask);
	CHECK_EQ("amoxor word", xor_word, x_xor);
	CHECK_EQ("amomin word", min_word, x_min);
	CHECK_EQ("amomax word", max_word, x_max);
	CHECK_EQ("amominu word", minu_word, x_minu);
	CHECK_EQ("amomaxu word", maxu_word, x_maxu);
	/* Every value swapped in comes out once: either returned to some hart or still in the word. */
	CHECK_EQ("amoswap: values returned + final value", returned + swap_word, inserted);
}

/* Directed LR/SC cases between hart 0 (the disturber) and hart 1 (holding the reservation). */
static volatile uint32_t resv_word __attribute__((aligned(64)));
static volatile uint32_t other_word __attribute__((aligned(64)));
static volatile uint32_t step;

static uint32_t lr(volatile uint32_t *p)
{
	uint32_t v;

	__asm__ volatile("lr.w %0, %1" : "=r"(v) : "A"(*p) : "memory");
	return v;
}

/* 0: the store happened. */
static uint32_t sc(volatile uint32_t *p, uint32_t v)
{
	uint32_t fail;

	__asm__ volatile("sc.w %0, %2, %1" : "=&r"(fail), "+A"(*p) : "r"(v) : "memory");
	return fail;
}

static void lrsc_holder(void)
{
	/* An SC with no reservation (the one before consumed it) fails and stores nothing. */
	resv_word = 5;
	lr(&resv_word);
	CHECK_EQ("SC right after LR", sc(&resv_word, 6), 0);
	CHECK(sc(&resv_word, 7) != 0, "a second SC without LR succeeded");
	CHECK_EQ("word after the failed SC", resv_word, 6);

	/* 1: hart 0 stores to the reserved word: the SC must fail. */
	lr(&resv_word);
	WRITE_ONCE(step, 1);
	WAIT_UNTIL(READ_ONCE(step) == 2, "hart 0's store to the reserved word");
	CHECK(sc(&resv_word, 100) != 0, "SC succeeded after another hart stored to the reserved word");
	CHECK_EQ("reserved word after the failed SC", resv_word, 41);

	/* 3: hart 0 does an AMO on the reserved word: the SC must fail. */
	lr(&resv_word);
	WRITE_ONCE(step, 3);
	WAIT_UNTIL(READ_ONCE(step) == 4, "hart 0's AMO on the reserved word");
	CHECK(sc(&resv_word, 100) != 0, "SC succeeded after another hart's AMO on the reserved word");
	CHECK_EQ("reserved word after the failed SC", resv_word, 42);

	/* 5: hart 0 stores elsewhere: in this platform only the reserved granule matters, so the SC succeeds. */
	lr(&resv_word);
	WRITE_ONCE(step, 5);
	WAIT_UNTIL(READ_ONCE(step) == 6, "hart 0's store to another word");
	CHECK_EQ("SC after another hart's store to a different word", sc(&resv_word, 100), 0);
	CHECK_EQ("reserved word after the SC", resv_word, 100);
	WRITE_ONCE(step, 7);
}

static void lrsc_disturber(void)
{
	WAIT_UNTIL(READ_ONCE(step) == 1, "hart 1's LR (1)");
	resv_word = 41;
	WRITE_ONCE(step, 2);
	WAIT_UNTIL(READ_ONCE(step) == 3, "hart 1's LR (3)");
	amo_add(&resv_word, 1);
	WRITE_ONCE(step, 4);
	WAIT_UNTIL(READ_ONCE(step) == 5, "hart 1's LR (5)");
	other_word = 1;
	WRITE_ONCE(step, 6);
	WAIT_UNTIL(READ_ONCE(step) == 7, "hart 1 to finish the LR/SC cases");
	printf("atomics: directed LR/SC cases ok\n");
}

int main(void)
{
	uint32_t me = hartid();
	uint32_t n = fwtest_harts();

	if (me >= n)
		return 0;

	if (n >= 2 && me == 0)
		lrsc_disturber();
	else if (n >= 2 && me == 1)
		lrsc_holder();
	hart_barrier_wait(&sync_point, n);

	hammer(me);
	hart_barrier_wait(&sync_point, n);
	hammer_lrsc(me);
	hart_barrier_wait(&sync_point, n);
	if (me != 0)
		return 0;

	check_totals(n);

	uint32_t retries = 0, tight = 0;

	for (uint32_t h = 0; h < n; h++) {
		retries += sc_retries[h];
		tight += tight_retries[h];
	}
	printf("atomics: PASS (%u harts x %u iterations; SC retries: %u in the mixed loop, %u in the tight loop)\n",
	       (unsigned int)n, ITER, (unsigned int)retries, (unsigned int)tight);
	return 0;
}
