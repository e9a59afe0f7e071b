/*
 * The in-band kernel (kernel/sched.h): priorities and preemption, sleep and wake-up, soft interrupts and their
 * IPLs, spinlocks across cores. Built pipelined and classic (the same rules hold in both).
 *
 *  cpu 0  A. A thread of higher priority created inside local_irq_save() does not run until local_irq_restore(),
 *            which is the preemption point: it runs inside the restore. The same with local_irq_disable() and
 *            local_irq_enable().
 *         D. A thread of equal priority does not preempt; kthread_yield() lets it run.
 *         F. Soft interrupts: raised from an in-band IRQ handler (the timer, PPI 30), they run at the IRQ exit,
 *            highest IPL first, in soft-interrupt context, hard irqs on, in-band unstalled; raised in thread
 *            context at a raised IPL (splsoftnet()), one above runs at once and one below waits for splx(); raised
 *            while stalled, it runs at local_irq_restore().
 *  cpu 1  B. A thread asleep on a wait queue, woken by the timer's in-band handler, preempts the spinning main
 *            thread at the IRQ exit, a bounded number of cycles after the timer fired.
 *  cpu 2  C. Wakes a thread of cpu 3 asleep on a wait queue: cpu 3 gets the reschedule IPI and the thread preempts
 *            its main thread there.
 *  cpu 3  E. main/3 sleeps; a lower-priority thread runs meanwhile and wakes it; main/3 preempts it at once.
 *  all    G. Each CPU adds to a shared counter under a kernel spinlock with a gap between load and store: the total
 *            is exact; in the lock, in-band IRQs are disabled (virtually, pipelined).
 */
#include "pfwtest.h"

#define MAX_WAKE_LATENCY 3000u	/* timer fire -> woken thread running, unprotected (measured: ~1100) */
#define COUNT_ROUNDS	200u

static volatile uint32_t phase[OOBSIM_MAX_HARTS];

/* ---- A log of events, in order, per CPU ---- */
static volatile char logs[OOBSIM_MAX_HARTS][16];
static volatile uint32_t nlog[OOBSIM_MAX_HARTS];

static void log_ev(char c)
{
	unsigned int cpu = hartid();
	unsigned long flags = hard_local_irq_save();

	if (nlog[cpu] < 15)
		logs[cpu][nlog[cpu]++] = c;
	hard_local_irq_restore(flags);
}

static void check_log(unsigned int cpu, const char *expected)
{
	unsigned int i;

	for (i = 0; expected[i]; i++)
		CHECK(i < nlog[cpu] && logs[cpu][i] == expected[i], "cpu %u: event %u is '%c', expected '%c' (\"%s\")",
		      cpu, i, i < nlog[cpu] ? logs[cpu][i] : '-', expected[i], expected);
	CHECK_EQ("events logged", nlog[cpu], i);
	nlog[cpu] = 0;
}

static void log_thread(void *arg)
{
	log_ev((char)(uintptr_t)arg);
}

/* ---- A, D (cpu 0) ---- */
static void test_priorities(void)
{
	unsigned long flags;
	struct kthread *t;
	uint32_t preempt = this_sched()->preemptions;

	local_irq_save(flags);
	t = kthread_create(0, "hi", KTHREAD_PRIO_NORMAL + 10, log_thread, (void *)'H');
	CHECK(t, "kthread_create");
	log_ev('c');
	local_irq_restore(flags);
	log_ev('r');
	check_log(0, "cHr");
	CHECK_EQ("preemptions at local_irq_restore()", this_sched()->preemptions - preempt, 1);

	local_irq_disable();
	t = kthread_create(0, "hi2", KTHREAD_PRIO_NORMAL + 10, log_thread, (void *)'K');
	CHECK(t, "kthread_create");
	log_ev('d');
	local_irq_enable();
	log_ev('e');
	check_log(0, "dKe");
	CHECK_EQ("preemptions at local_irq_enable()", this_sched()->preemptions - preempt, 2);

	t = kthread_create(0, "eq", KTHREAD_PRIO_NORMAL, log_thread, (void *)'E');
	log_ev('c');
	delay_cycles(1000);
	log_ev('y');
	kthread_yield();
	log_ev('b');
	check_log(0, "cyEb");
}

/* ---- F (cpu 0): soft interrupts ---- */
static struct softint *si_clock, *si_net, *si_serial;
static volatile uint32_t si_bad_context;

static void si_fn(void *arg)
{
	unsigned int ipl = (unsigned int)(uintptr_t)arg;

	if (!in_softint() || curipl() != ipl || hard_irqs_disabled() || in_hardirq() ||
	    pipeline_stage_stalled(hartid(), IRQ_STAGE_INBAND))
		si_bad_context++;
	log_ev("-CBNS"[ipl]);
}

static volatile uint32_t timer_fired;

static irqreturn_t timer0_handler(void)
{
	log_ev('i');
	softint_schedule(si_clock);
	softint_schedule(si_serial);
	softint_schedule(si_net);
	log_ev('j');	/* none ran inside the handler */
	return IRQ_HANDLED;
}

static void test_softints(void)
{
	unsigned long flags;
	unsigned int s;
	uint64_t start;

	/* From a handler: at the IRQ exit, highest IPL first. */
	start = csr_read64(mcycle);
	gic_timer_start(0, start + 300, 0);
	WAIT_UNTIL(timer_fired, "the timer");
	gic_timer_stop(0);
	check_log(0, "ijSNC");

	/* In thread context at a raised IPL. */
	s = splsoftnet();
	softint_schedule(si_clock);
	log_ev('1');
	softint_schedule(si_serial);	/* above IPL_SOFTNET: at once */
	log_ev('2');
	splx(s);			/* the clock one now */
	log_ev('3');
	check_log(0, "1S2C3");

	/* While stalled: at the restore. */
	local_irq_save(flags);
	softint_schedule(si_net);
	log_ev('s');
	local_irq_restore(flags);
	log_ev('r');
	check_log(0, "sNr");
	CHECK_EQ("soft interrupts run in the wrong context", si_bad_context, 0);
}

/* ---- B (cpu 1): preemption at the IRQ exit ---- */
static struct waitq wq_b = WAITQ_INIT;
static volatile uint32_t b_flag, b_woke, b_fire, b_spin_end, b_bad;

static void b_thread(void *arg)
{
	(void)arg;
	wait_event(&wq_b, b_flag);
	b_woke = cycles();
	if (in_hardirq() || in_softint() || irqs_disabled() || hard_irqs_disabled())
		b_bad++;
}

static irqreturn_t timer1_handler(void)
{
	b_flag = 1;
	waitq_wake_all(&wq_b);
	return IRQ_HANDLED;
}

static void test_irq_exit_preemption(void)
{
	uint32_t preempt;
	uint64_t start;

	CHECK(kthread_create(1, "b", KTHREAD_PRIO_NORMAL + 5, b_thread, NULL), "kthread_create");
	delay_cycles(2000);	/* it runs (higher priority) and sleeps */
	preempt = this_sched()->preemptions;
	start = csr_read64(mcycle);
	b_fire = (uint32_t)start + 500;
	gic_timer_start(1, start + 500, 0);
	spin_until((uint32_t)start, 5000);
	b_spin_end = cycles();
	gic_timer_stop(1);
	CHECK(b_woke, "cpu 1: the woken thread did not run");
	CHECK(b_woke - b_fire < b_spin_end - b_fire, "cpu 1: the thread ran after main's spin");
	CHECK(b_woke - b_fire < MAX_WAKE_LATENCY, "cpu 1: woken thread ran %u cycles after the timer",
	      (unsigned int)(b_woke - b_fire));
	CHECK_EQ("cpu 1: thread context", b_bad, 0);
	CHECK_EQ("cpu 1: preemptions at the IRQ exit", this_sched()->preemptions - preempt, 1);
}

/* ---- C (cpu 2 wakes a thread of cpu 3) and E (cpu 3) ---- */
static struct waitq wq_c = WAITQ_INIT;
static volatile uint32_t c_flag, c_cpu, c_woke, c_sent, c_ready;

static void c_thread(void *arg)
{
	(void)arg;
	c_ready = 1;
	wait_event(&wq_c, c_flag);
	c_woke = cycles();
	c_cpu = hartid();
}

static struct waitq wq_e = WAITQ_INIT;
static volatile uint32_t e_flag;

static void e_thread(void *arg)
{
	(void)arg;
	log_ev('l');
	e_flag = 1;
	waitq_wake_all(&wq_e);	/* main/3 (higher priority) preempts us here */
	log_ev('m');
}

static void test_cpu3(void)
{
	uint32_t ipis = sched_cpus[2].resched_ipis;

	CHECK(kthread_create(3, "c", KTHREAD_PRIO_NORMAL + 5, c_thread, NULL), "kthread_create");
	WAIT_UNTIL(c_ready, "the thread on cpu 3");
	phase[3] = 1;
	WAIT_UNTIL(c_woke, "the thread on cpu 3 to be woken");
	CHECK_EQ("cpu 3: the woken thread's cpu", c_cpu, 3);
	CHECK_EQ("cpu 2: reschedule IPIs sent", sched_cpus[2].resched_ipis - ipis, 1);

	/* E: sleep, let a lower-priority thread run. */
	CHECK(kthread_create(3, "e", KTHREAD_PRIO_NORMAL - 5, e_thread, NULL), "kthread_create");
	log_ev('s');
	wait_event(&wq_e, e_flag);
	log_ev('w');
	delay_cycles(500);
	kthread_yield();	/* e (lower) does not get the CPU back by a yield... */
	log_ev('y');
	check_log(3, "slwy");	/* ...its 'm' waits until main/3 exits */
}

static void test_cpu2(void)
{
	WAIT_UNTIL(phase[3] == 1, "cpu 3's thread asleep");
	delay_cycles(500);
	c_sent = cycles();
	c_flag = 1;
	waitq_wake_all(&wq_c);
}

/* ---- G (every cpu): a kernel spinlock ---- */
static kspinlock_t count_lock = KSPINLOCK_INIT;
static volatile uint32_t counter, lock_bad;

static void count_up(void)
{
	for (uint32_t i = 0; i < COUNT_ROUNDS; i++) {
		unsigned long flags = spin_lock_irqsave(&count_lock);
		uint32_t v = counter;

		if (!irqs_disabled())
			lock_bad++;
		delay_cycles(20);
		counter = v + 1;
		spin_unlock_irqrestore(&count_lock, flags);
	}
}

static irqreturn_t timer_handler(int irq, void *dev_id)
{
	unsigned int cpu = hartid();

	(void)irq;
	(void)dev_id;
	gic_timer_ack(cpu);
	if (cpu == 0) {
		timer0_handler();
		timer_fired = 1;
	} else if (cpu == 1) {
		timer1_handler();
	}
	return IRQ_HANDLED;
}

int kernel_main(unsigned int cpu)
{
	if (cpu == 0) {
		CHECK(kernel_cpus() == 4, "needs 4 cpus");
		si_clock = softint_establish(IPL_SOFTCLOCK, si_fn, (void *)IPL_SOFTCLOCK);
		si_net = softint_establish(IPL_SOFTNET, si_fn, (void *)IPL_SOFTNET);
		si_serial = softint_establish(IPL_SOFTSERIAL, si_fn, (void *)IPL_SOFTSERIAL);
		CHECK(si_clock && si_net && si_serial, "softint_establish");
		CHECK(!softint_establish(IPL_VM, si_fn, NULL), "a soft interrupt at IPL_VM");
		CHECK_EQ("request of the timer PPI", __request_percpu_irq(OOBSIM_TIMER_PPI, timer_handler, 0, "timer",
									  NULL), 0);
	}
	pfw_sync_cpus();
	enable_percpu_irq(OOBSIM_TIMER_PPI, 0);
	CHECK(kthread_current() == this_sched()->main, "cpu %u: kernel_main() in main/%u", cpu, cpu);

	switch (cpu) {
	case 0:
		test_priorities();
		test_softints();
		break;
	case 1:
		test_irq_exit_preemption();
		break;
	case 2:
		test_cpu2();
		break;
	case 3:
		test_cpu3();
		break;
	}
	pfw_sync_cpus();
	count_up();
	pfw_sync_cpus();
	if (cpu != 0)
		return 0;
	CHECK_EQ("spinlock-protected counter", counter, COUNT_ROUNDS * kernel_cpus());
	CHECK_EQ("in-band irqs enabled inside the spinlock", lock_bad, 0);
	printf("kernel_threads (%s): cpu 1: woken thread ran %u cycles after the timer fired (preempted main/1 at the "
	       "IRQ exit); cpu 3: thread woken by cpu 2 ran %u cycles after the wake-up; %u context switches on cpu 0\n",
	       KERNEL_MODE_NAME, (unsigned int)(b_woke - b_fire), (unsigned int)(c_woke - c_sent),
	       (unsigned int)sched_cpus[0].switches);
	pfw_check_no_debug_reports();
	printf("kernel_threads (%s): PASS (%u cpus)\n", KERNEL_MODE_NAME, kernel_cpus());
	return 0;
}
