/*
 * Cross calls (pipeline-semantics.md section 9, NetBSD's xcall(9)); the model is in pipeline/xcall.h, what the
 * kernel provides in pipeline/kern.h.
 *
 * All of a slot's state (function, arguments, headp, donep, per-CPU pending flags) is under the kernel's xcall lock.
 * A call is issued in three steps: wait for the slot to be idle, publish the call and count its targets into headp
 * (the ticket), then get each target going: wake its xcall thread (low priority), or raise the soft interrupt
 * locally and send the IPI message to the others (high priority). Each target takes its pending flag, runs the
 * function without the lock, then counts itself into donep; the one that completes the call (donep == headp)
 * wakes whoever sleeps on the slot, callers waiting for it to be idle and xc_wait()ers alike.
 */
#include "internal.h"
#include "pipeline/kern.h"
#include "pipeline/xcall.h"

struct xc_slot {
	xcfunc_t func;
	void *arg1, *arg2;
	uint64_t headp;				/* tickets handed out: sum of the targets of every call */
	uint64_t donep;				/* targets that ran their call */
	bool pending[PIPELINE_MAX_CPUS];	/* the current call still has to run on that CPU */
	atomic_uint ipl;			/* high slot: the soft IPL of the current call (read by the IPI) */
};

static struct xc_slot xc_low, xc_high;

static struct xc_slot *slot_of(bool high)
{
	return high ? &xc_high : &xc_low;
}

static unsigned int chan_of(bool high)
{
	return high ? XC_CHAN_HIGH : XC_CHAN_LOW;
}

static unsigned int popcount32(uint32_t w)
{
	unsigned int n = 0;

	for (; w; w &= w - 1)
		n++;
	return n;
}

/* ---- Checks ------------------------------------------------------------------------------------------------------ */

/* Section 9: callers are threads. Anything else is reported (every time) and the call refused. */
static bool xc_bad_context(uintptr_t ra)
{
	const char *msg;

	if (running_oob())
		msg = "xcall called on the oob stage: thread context only";
	else if (in_hardirq())
		msg = "xcall called from a hard interrupt handler: thread context only";
	else if (kern_in_softint())
		msg = "xcall called from a soft interrupt: thread context only";
	else
		return false;
	pipeline_report(PIPELINE_FAIL_XCALL_CONTEXT, -1, ra, msg);
	return true;
}

/* The soft IPL of a high-priority call: field 0 is the default, IPL_SOFTSERIAL; -1 (after a report) if invalid. */
static int xc_ipl(unsigned int flags, uintptr_t ra)
{
	unsigned int ipl = (flags & XC_IPL_MASK) >> XC_IPL_SHIFT;

	if (ipl == IPL_NONE)
		return IPL_SOFTSERIAL;
	if (!IPL_IS_SOFT(ipl)) {
		pipeline_report(PIPELINE_FAIL_XCALL_IPL, (int)ipl, ra,
				"xcall: high-priority call with an IPL that is not a soft IPL (panic)");
		return -1;
	}
	return (int)ipl;
}

/* ---- Issuing ----------------------------------------------------------------------------------------------------- */

/* Cold boot: the secondary CPUs are not online yet, so nothing else could run it. */
static uint64_t xc_cold(xcfunc_t func, void *arg1, void *arg2, unsigned int ipl)
{
	arch_trace(PIPELINE_TRACE_XCALL_ISSUE, 0);
	arch_trace(PIPELINE_TRACE_XCALL_TARGETS, ipl << 8 | PIPELINE_CPU_MASK(arch_cpu_id()));
	arch_trace(PIPELINE_TRACE_XCALL_FUNC_START, 0);
	func(arg1, arg2);
	arch_trace(PIPELINE_TRACE_XCALL_FUNC_END, 0);
	return 0;
}

/*
 * Lock held: wait for the slot to be idle, publish the call, count the targets. Returns the ticket (without bit 63).
 */
static uint64_t xc_publish(struct xc_slot *xc, bool high, xcfunc_t func, void *arg1, void *arg2, uint32_t targets,
			   unsigned int ipl)
{
	if (xc->headp != xc->donep) {
		arch_trace(PIPELINE_TRACE_XCALL_SLOT_BUSY, high);
		do
			kern_xc_sleep(chan_of(high));
		while (xc->headp != xc->donep);
	}
	xc->func = func;
	xc->arg1 = arg1;
	xc->arg2 = arg2;
	atomic_store_explicit(&xc->ipl, ipl, memory_order_relaxed);
	for (uint32_t t = targets; t; t &= t - 1)
		xc->pending[ctz32(t)] = true;
	xc->headp += popcount32(targets);
	arch_trace(PIPELINE_TRACE_XCALL_ISSUE, XC_TICKET_TRACE(xc->headp | (high ? XC_PRI_BIT : 0)));
	arch_trace(PIPELINE_TRACE_XCALL_TARGETS, ipl << 8 | targets);
	return xc->headp;
}

static uint64_t xc_lowpri(xcfunc_t func, void *arg1, void *arg2, uint32_t targets)
{
	uint64_t where;

	kern_xc_lock();
	where = xc_publish(&xc_low, false, func, arg1, arg2, targets, 0);
	for (uint32_t t = targets; t; t &= t - 1)
		kern_xc_wakeup(XC_CHAN_THREAD(ctz32(t)));
	kern_xc_unlock();
	return where;
}

/* The remote CPUs first (the IPI takes a while to land), then this one, directly: no IPI to itself. */
static uint64_t xc_highpri(xcfunc_t func, void *arg1, void *arg2, uint32_t targets, unsigned int ipl)
{
	uint32_t self = PIPELINE_CPU_MASK(arch_cpu_id());
	uint64_t where;

	kern_xc_lock();
	where = xc_publish(&xc_high, true, func, arg1, arg2, targets, ipl);
	kern_xc_unlock();
	if (targets & ~self)
		irq_send_inband_ipi(XC_IPI_MSG, targets & ~self);
	if (targets & self)
		kern_xc_softint_raise(ipl);
	return where | XC_PRI_BIT;
}

static uint64_t xc_call(unsigned int flags, xcfunc_t func, void *arg1, void *arg2, uint32_t targets, uintptr_t ra)
{
	int ipl = 0;

	if (xc_bad_context(ra))
		return 0;
	if (flags & XC_HIGHPRI) {
		ipl = xc_ipl(flags, ra);
		if (ipl < 0)
			return 0;
	}
	if (!kern_xc_mp_online())
		return xc_cold(func, arg1, arg2, (unsigned int)ipl);
	if (flags & XC_HIGHPRI)
		return xc_highpri(func, arg1, arg2, targets, (unsigned int)ipl);
	return xc_lowpri(func, arg1, arg2, targets);
}

uint64_t xc_broadcast(unsigned int flags, xcfunc_t func, void *arg1, void *arg2)
{
	return xc_call(flags, func, arg1, arg2, pipeline_online_mask(), arch_return_address());
}

uint64_t xc_unicast(unsigned int flags, xcfunc_t func, void *arg1, void *arg2, unsigned int cpu)
{
	uintptr_t ra = arch_return_address();

	if (cpu >= PIPELINE_MAX_CPUS || !(pipeline_online_mask() & PIPELINE_CPU_MASK(cpu))) {
		pipeline_report(PIPELINE_FAIL_XCALL_CPU, (int)cpu, ra, "xc_unicast() to a CPU that is not online");
		return 0;
	}
	return xc_call(flags, func, arg1, arg2, PIPELINE_CPU_MASK(cpu), ra);
}

void xc_wait(uint64_t ticket)
{
	bool high = (ticket & XC_PRI_BIT) != 0;
	struct xc_slot *xc = slot_of(high);
	uint64_t where = ticket & ~XC_PRI_BIT;

	if (xc_bad_context(arch_return_address()))
		return;
	arch_trace(PIPELINE_TRACE_XCALL_WAIT, XC_TICKET_TRACE(ticket));
	if (where == 0) {
		/* Cold boot or refused: nothing was counted, nothing to wait for (and no lock to take so early). */
		arch_trace(PIPELINE_TRACE_XCALL_WAIT_RETURN, XC_TICKET_TRACE(ticket));
		return;
	}
	kern_xc_lock();
	while (xc->donep < where)
		kern_xc_sleep(chan_of(high));
	kern_xc_unlock();
	arch_trace(PIPELINE_TRACE_XCALL_WAIT_RETURN, XC_TICKET_TRACE(ticket));
}

static void xc_nop(void *arg1, void *arg2)
{
	(void)arg1;
	(void)arg2;
}

void xc_barrier(unsigned int flags)
{
	uintptr_t ra = arch_return_address();

	if (xc_bad_context(ra))
		return;
	xc_wait(xc_call(flags, xc_nop, NULL, NULL, pipeline_online_mask(), ra));
}

/* ---- Running ----------------------------------------------------------------------------------------------------- */

/*
 * Lock held, and the call pending for this CPU: take it, run it without the lock, count it done. The lock is
 * released on return.
 */
static void xc_run(struct xc_slot *xc, bool high, unsigned int cpu)
{
	xcfunc_t func = xc->func;
	void *arg1 = xc->arg1, *arg2 = xc->arg2;
	uint32_t ticket = XC_TICKET_TRACE(xc->headp | (high ? XC_PRI_BIT : 0));

	xc->pending[cpu] = false;
	kern_xc_unlock();
	arch_trace(PIPELINE_TRACE_XCALL_FUNC_START, ticket);
	func(arg1, arg2);
	arch_trace(PIPELINE_TRACE_XCALL_FUNC_END, ticket);
	kern_xc_lock();
	xc->donep++;
	if (xc->donep == xc->headp)
		kern_xc_wakeup(chan_of(high));
	kern_xc_unlock();
}

bool xc_thread_step(bool block)
{
	unsigned int cpu = arch_cpu_id();

	kern_xc_lock();
	while (!xc_low.pending[cpu]) {
		if (!block) {
			kern_xc_unlock();
			return false;
		}
		kern_xc_sleep(XC_CHAN_THREAD(cpu));
	}
	xc_run(&xc_low, false, cpu);
	return true;
}

void xc_thread(void)
{
	for (;;)
		(void)xc_thread_step(true);
}

void xc_softint(void)
{
	unsigned int cpu = arch_cpu_id();

	kern_xc_lock();
	if (!xc_high.pending[cpu]) {
		kern_xc_unlock();	/* raised for a call this CPU already ran (or for none) */
		return;
	}
	xc_run(&xc_high, true, cpu);
}

/* The IPI message's handler, in-band hard interrupt context: the call itself runs from the soft interrupt. */
static irqreturn_t xc_ipi_handler(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	kern_xc_softint_raise(atomic_load_explicit(&xc_high.ipl, memory_order_relaxed));
	return IRQ_HANDLED;
}

/* ---- Set-up and introspection ------------------------------------------------------------------------------------ */

static void slot_reset(struct xc_slot *xc)
{
	xc->func = NULL;
	xc->arg1 = NULL;
	xc->arg2 = NULL;
	xc->headp = 0;
	xc->donep = 0;
	for (unsigned int cpu = 0; cpu < PIPELINE_MAX_CPUS; cpu++)
		xc->pending[cpu] = false;
	atomic_store(&xc->ipl, IPL_SOFTSERIAL);
}

int xc_init(void)
{
	slot_reset(&xc_low);
	slot_reset(&xc_high);
	return __request_percpu_irq(INBAND_IPI_IRQ(XC_IPI_MSG), xc_ipi_handler, 0, "xcall", NULL);
}

void xc_init_cpu(void)
{
	enable_percpu_irq(INBAND_IPI_IRQ(XC_IPI_MSG), 0);
}

bool xc_pending(unsigned int cpu, bool high)
{
	bool pending;

	if (cpu >= PIPELINE_MAX_CPUS)
		return false;
	kern_xc_lock();
	pending = slot_of(high)->pending[cpu];
	kern_xc_unlock();
	return pending;
}

uint64_t xc_headp(bool high)
{
	uint64_t v;

	kern_xc_lock();
	v = slot_of(high)->headp;
	kern_xc_unlock();
	return v;
}

uint64_t xc_donep(bool high)
{
	uint64_t v;

	kern_xc_lock();
	v = slot_of(high)->donep;
	kern_xc_unlock();
	return v;
}
