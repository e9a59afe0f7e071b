/*
 * The companion core's scheduling (kernel/oob.h), pipelined: fixed priorities, the RQ_IRQ/RQ_SCHED deferral to
 * irq_exit_pipeline(), blocking back to the next oob thread or the root, and a wake-up across CPUs.
 *
 * CPU 0 has oob threads L (priority 20) and H (priority 40), CPU 1 has R (priority 30), each blocked on its event.
 * CPU 0's GIC timer (PPI 30, IRQF_OOB) fires inside a stalled in-band section; its handler signals L's event, then
 * H's. Expected on CPU 0, all inside the section: nothing runs in the handler (both wake-ups deferred, RQ_IRQ); at
 * irq_exit_pipeline() H runs first (the highest priority), signals R on CPU 1 and blocks; then L; then the root.
 * R runs on CPU 1, on the oob stage, woken through RESCHEDULE_OOB_IPI, after H signalled it.
 */
#include "pfwtest.h"

static struct oob_event ev_l, ev_h, ev_r;
static volatile char order[8];
static volatile uint32_t norder, in_handler, r_cpu, r_oob, h_signal_at, r_woke, l_done;
static struct kthread *th_l, *th_h, *th_r;

static void note(char c)
{
	unsigned long flags = hard_local_irq_save();

	order[norder++ & 7] = c;
	hard_local_irq_restore(flags);
}

static irqreturn_t timer_handler(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	gic_timer_ack(0);
	in_handler = 1;
	oob_event_signal(&ev_l);
	oob_event_signal(&ev_h);
	note('i');
	in_handler = 0;
	return IRQ_HANDLED;
}

static void thread_l(void *arg)
{
	(void)arg;
	oob_event_wait(&ev_l);
	note(in_handler ? '!' : 'L');
	l_done = 1;
	oob_event_wait(&ev_l);	/* for good */
}

static void thread_h(void *arg)
{
	(void)arg;
	oob_event_wait(&ev_h);
	note(in_handler ? '!' : 'H');
	h_signal_at = cycles();
	oob_event_signal(&ev_r);
	oob_event_wait(&ev_h);
}

static void thread_r(void *arg)
{
	(void)arg;
	oob_event_wait(&ev_r);
	r_woke = cycles();
	r_cpu = hartid();
	r_oob = running_oob() && oob_current() == th_r;
	oob_event_wait(&ev_r);
}

int kernel_main(unsigned int cpu)
{
	struct oob_rq_stats st0, st1;
	unsigned long flags;
	uint64_t start;

	if (cpu == 0) {
		CHECK(kernel_cpus() >= 2, "needs 2 cpus");
		CHECK_EQ("enable_oob_stage()", enable_oob_stage("oob-threads"), 0);
		CHECK_EQ("request of the timer PPI", __request_percpu_irq(OOBSIM_TIMER_PPI, timer_handler, IRQF_OOB,
									  "timer", NULL), 0);
		oob_event_init(&ev_l);
		oob_event_init(&ev_h);
		oob_event_init(&ev_r);
		th_r = oob_thread_create(1, "R", 30, thread_r, NULL);	/* remote: RESCHEDULE_OOB_IPI */
		th_l = oob_thread_create(0, "L", 20, thread_l, NULL);
		th_h = oob_thread_create(0, "H", 40, thread_h, NULL);
		CHECK(th_l && th_h && th_r, "oob_thread_create()");
		CHECK(!oob_thread_create(0, "bad", OOB_PRIO_MAX + 1, thread_l, NULL), "a priority out of range");
	}
	pfw_sync_cpus();
	if (cpu != 0) {
		pfw_sync_cpus();
		return 0;
	}
	WAIT_UNTIL(th_r->switches_in == 1, "R started on cpu 1");
	enable_percpu_irq(OOBSIM_TIMER_PPI, 0);
	local_irq_save(flags);
	start = csr_read64(mcycle);
	gic_timer_start(0, start + 400, 0);
	spin_until((uint32_t)start, 5000);
	CHECK(l_done, "the oob threads did not run inside the stalled section");
	local_irq_restore(flags);
	gic_timer_stop(0);
	WAIT_UNTIL(r_woke, "R woken on cpu 1");
	oob_stats(0, &st0);
	oob_stats(1, &st1);
	pfw_sync_cpus();

	printf("oob_threads: cpu 0 ran '%c%c%c'; R ran on cpu %u %u cycles after H signalled it\n", order[0], order[1],
	       order[2], (unsigned int)r_cpu, (unsigned int)(r_woke - h_signal_at));
	CHECK_EQ("events on cpu 0", norder, 3);
	CHECK(order[0] == 'i' && order[1] == 'H' && order[2] == 'L', "cpu 0 ran \"%c%c%c\", expected \"iHL\"",
	      order[0], order[1], order[2]);
	CHECK_EQ("R's cpu", r_cpu, 1);
	CHECK_EQ("R on the oob stage, as the current oob thread", r_oob, 1);
	/* cpu 0: L's start, H's start (2 each), then root -> H, H -> L, L -> root. */
	CHECK_EQ("cpu 0: oob switches", st0.switches, 4 + 3);
	CHECK_EQ("cpu 0: wake-ups deferred to irq_exit_pipeline()", st0.deferred, 2);
	CHECK_EQ("cpu 1: oob switches (R's start, then in and out)", st1.switches, 2 + 2);
	pfw_check_no_debug_reports();
	printf("oob_threads: PASS (%u cpus)\n", kernel_cpus());
	return 0;
}
