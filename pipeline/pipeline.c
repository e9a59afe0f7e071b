/*
 * The interrupt pipeline proper: IRQ entry, log replay, injection, stage escalation, the oob stage, idle.
 * pipeline-semantics.md sections 2-5.
 */
#include "internal.h"

atomic_uint pipeline_oob_present;
static const char *oob_name;

void pipeline_init(void)
{
	pipeline_cpus_reset();
	for (unsigned int cpu = 0; cpu < PIPELINE_MAX_CPUS; cpu++) {
		struct pipeline_cpu *pc = &pipeline_cpus[cpu];

		pc->work_head = NULL;
		pc->work_tail = NULL;
		atomic_store(&pc->inband_ipis, 0);
	}
	atomic_store(&pipeline_oob_present, 0);
	oob_name = NULL;
	pipeline_reports_init();
	irq_descs_init();
	irq_work_init();
}

/* ---- Logging ----------------------------------------------------------------------------------------------------- */

void post_stage(struct pipeline_cpu *pc, enum irq_stage st, unsigned int irq)
{
	log_set(&pc->stages[st].log, irq);
	if (st == IRQ_STAGE_OOB)
		arch_trace(PIPELINE_TRACE_IRQ_LOG_OOB, irq);
	else
		arch_trace(PIPELINE_TRACE_IRQ_LOG_INBAND, irq);
}

/*
 * The public posting calls keep hard irqs off over the log update themselves: a caller that forgot is reported,
 * and its log is not torn by a nested interrupt for it.
 */
static void irq_post_stage(enum irq_stage st, unsigned int irq, uintptr_t ra)
{
	unsigned long flags;

	if (irq >= PIPELINE_NR_IRQS) {
		(void)pipeline_check(true, PIPELINE_DEBUG_IRQ_RANGE, (int)irq, ra, "irq_post_*(): IRQ out of range");
		return;
	}
	(void)pipeline_check(!arch_hard_irqs_disabled(), PIPELINE_DEBUG_HARD_IRQS_ON, (int)irq, ra,
			     "irq_post_*() called with hard irqs on");
	flags = hard_local_irq_save();
	post_stage(this_pipeline_cpu(), st, irq);
	hard_local_irq_restore(flags);
}

void irq_post_inband(unsigned int irq)
{
	irq_post_stage(IRQ_STAGE_INBAND, irq, arch_return_address());
}

void irq_post_oob(unsigned int irq)
{
	irq_post_stage(IRQ_STAGE_OOB, irq, arch_return_address());
}

/* ---- Running handlers -------------------------------------------------------------------------------------------- */

static void eoi_irq(unsigned int irq)
{
	arch_trace(PIPELINE_TRACE_IRQ_EOI, irq);
	arch_irq_eoi(irq);
}

/*
 * An in-band IRQ may wait in the log for a long time: mask its line and end the interrupt at the controller, so
 * that a level line does not fire again and again meanwhile and other IRQs of the same priority get through.
 * release_irq() unmasks it once its handlers ran.
 */
static void hold_irq(unsigned int irq)
{
	arch_irq_mask(irq);
	eoi_irq(irq);
}

/* Handlers must come back on the stage they were called on (the companion core switches in irq_exit_pipeline()). */
static void check_handler_stage(const struct pipeline_cpu *pc, enum irq_stage st, unsigned int irq)
{
	(void)pipeline_check(pc->current != st, PIPELINE_DEBUG_STAGE_MIGRATION, (int)irq, irq_handler_address(irq),
			     "IRQ handler returned on another stage");
}

/* Hard irqs off, oob stage stalled. */
static void do_oob_irq(struct pipeline_cpu *pc, unsigned int irq)
{
	irqreturn_t ret;

	arch_trace(PIPELINE_TRACE_HANDLER_ENTRY_OOB, irq);
	ret = run_oob_handlers(irq);
	arch_trace(PIPELINE_TRACE_HANDLER_EXIT_OOB, irq);
	/* To in-band code every IRQ looks like an NMI: an oob handler that opens hard irqs breaks that. */
	if (pipeline_check(!arch_hard_irqs_disabled(), PIPELINE_DEBUG_OOB_HARD_ENABLED, (int)irq,
			   irq_handler_address(irq), "oob IRQ handler returned with hard irqs on"))
		arch_hard_irq_disable();
	check_handler_stage(pc, IRQ_STAGE_OOB, irq);
	note_interrupt(irq, ret);
}

/* Hard irqs off on entry and exit; the in-band handlers run with them on, as in-band code always does. */
static void do_inband_irq(struct pipeline_cpu *pc, unsigned int irq)
{
	irqreturn_t ret;

	hard_local_irq_enable();
	arch_trace(PIPELINE_TRACE_HANDLER_ENTRY_INBAND, irq);
	ret = run_inband_handlers(irq);
	arch_trace(PIPELINE_TRACE_HANDLER_EXIT_INBAND, irq);
	hard_local_irq_disable();
	check_handler_stage(pc, IRQ_STAGE_INBAND, irq);
	note_interrupt(irq, ret);
	release_irq(irq);
}

/* Oob handlers called straight from the pipeline entry: stall oob around them, then put the stall bit back. */
static void handle_oob_irq(struct pipeline_cpu *pc, unsigned int irq)
{
	bool was_stalled = stage_stalled(pc, IRQ_STAGE_OOB);

	stall_oob_bit(pc);
	do_oob_irq(pc, irq);
	if (!was_stalled)
		unstall_oob_bit(pc);
}

/* Where irq goes once it has entered the pipeline (step 3 of the entry). hw: it was acknowledged at the controller. */
void dispatch_irq(struct pipeline_cpu *pc, unsigned int irq, bool hw)
{
	if (oob_present() && irq_handled_oob(irq)) {
		handle_oob_irq(pc, irq);
		if (hw)
			eoi_irq(irq);
		return;
	}
	if (hw)
		hold_irq(irq);
	post_stage(pc, IRQ_STAGE_INBAND, irq);
}

/* ---- Replay ------------------------------------------------------------------------------------------------------ */

/*
 * A handler left the stage being replayed (already reported). From oob to in-band: the oob replay is over; go on
 * with the in-band log if that stage accepts IRQs. From in-band to oob, which nothing legitimate does: go back
 * in-band and carry on. False when the replay stops here.
 */
static bool follow_stage_switch(struct pipeline_cpu *pc, enum irq_stage *st)
{
	if (*st == IRQ_STAGE_INBAND) {
		switch_stage(pc, IRQ_STAGE_INBAND);
		return true;
	}
	unstall_oob_bit(pc);
	arch_trace(PIPELINE_TRACE_REPLAY_END, IRQ_STAGE_OOB);
	if (stage_stalled(pc, IRQ_STAGE_INBAND))
		return false;
	*st = IRQ_STAGE_INBAND;
	arch_trace(PIPELINE_TRACE_REPLAY_BEGIN, IRQ_STAGE_INBAND);
	stall_inband_bit(pc);
	return true;
}

/*
 * Replay the log of stage st, the current stage, hard irqs off. The stage is stalled meanwhile, as Linux runs
 * handlers with interrupts disabled; IRQs logged by the handlers join the log, and the lowest pending IRQ is chosen
 * again after every handler.
 */
void sync_stage(struct pipeline_cpu *pc, enum irq_stage st)
{
	int irq;

	arch_trace(PIPELINE_TRACE_REPLAY_BEGIN, st);
	stall_stage(pc, st);
	while ((irq = log_pull(&pc->stages[st].log)) >= 0) {
		if (st == IRQ_STAGE_OOB) {
			arch_trace(PIPELINE_TRACE_IRQ_PULL_OOB, irq);
			do_oob_irq(pc, (unsigned int)irq);
		} else {
			arch_trace(PIPELINE_TRACE_IRQ_PULL_INBAND, irq);
			do_inband_irq(pc, (unsigned int)irq);
		}
		if (pc->current != st && !follow_stage_switch(pc, &st))
			return;
	}
	unstall_stage(pc, st);
	arch_trace(PIPELINE_TRACE_REPLAY_END, st);
}

/*
 * Section 3. On oob: the oob log, if oob is unstalled. On in-band: nothing while oob is stalled (stalling oob holds
 * back in-band delivery too); the oob log first, on the oob stage; then the in-band log if in-band is unstalled.
 */
void __synchronize_pipeline(struct pipeline_cpu *pc)
{
	if (pc->current == IRQ_STAGE_OOB) {
		if (!stage_stalled(pc, IRQ_STAGE_OOB) && stage_pending(pc, IRQ_STAGE_OOB))
			sync_stage(pc, IRQ_STAGE_OOB);
		return;
	}
	if (oob_present()) {
		if (stage_stalled(pc, IRQ_STAGE_OOB))
			return;
		if (stage_pending(pc, IRQ_STAGE_OOB)) {
			switch_stage(pc, IRQ_STAGE_OOB);
			sync_stage(pc, IRQ_STAGE_OOB);
			if (pc->current == IRQ_STAGE_OOB)
				switch_stage(pc, IRQ_STAGE_INBAND);
		}
	}
	if (!stage_stalled(pc, IRQ_STAGE_INBAND) && stage_pending(pc, IRQ_STAGE_INBAND))
		sync_stage(pc, IRQ_STAGE_INBAND);
}

/* The public calls take hard irqs off themselves, so that a caller who had them on is reported, not corrupted. */
void synchronize_pipeline(void)
{
	unsigned long flags;

	(void)check_hard_irqs_off(arch_return_address(), "synchronize_pipeline()");
	flags = hard_local_irq_save();
	__synchronize_pipeline(this_pipeline_cpu());
	hard_local_irq_restore(flags);
}

void sync_current_irq_stage(void)
{
	struct pipeline_cpu *pc;
	unsigned long flags;

	(void)check_hard_irqs_off(arch_return_address(), "sync_current_irq_stage()");
	flags = hard_local_irq_save();
	pc = this_pipeline_cpu();
	if (!stage_stalled(pc, pc->current) && stage_pending(pc, pc->current))
		sync_stage(pc, pc->current);
	hard_local_irq_restore(flags);
}

/* Unstall in-band and replay what that lets through. Hard irqs off. */
void __inband_irq_enable(struct pipeline_cpu *pc)
{
	unstall_inband_bit(pc);
	if (pc->current == IRQ_STAGE_INBAND && !pc->in_pipeline &&
	    (stage_pending(pc, IRQ_STAGE_INBAND) || (oob_present() && stage_pending(pc, IRQ_STAGE_OOB))))
		__synchronize_pipeline(pc);
}

void sync_inband_irqs(void)
{
	struct pipeline_cpu *pc;
	unsigned long flags;

	(void)check_inband(arch_return_address(), "sync_inband_irqs()");
	flags = hard_local_irq_save();
	pc = this_pipeline_cpu();
	if (pc->current == IRQ_STAGE_INBAND && !pc->in_pipeline && !stage_stalled(pc, IRQ_STAGE_INBAND))
		__synchronize_pipeline(pc);
	hard_local_irq_restore(flags);
}

/* ---- Entry ------------------------------------------------------------------------------------------------------- */

/* Steps 1-2: go oob if there is an oob stage (a companion core will likely handle the event), tell the core. */
static enum irq_stage pipeline_enter(struct pipeline_cpu *pc)
{
	enum irq_stage prev = pc->current;

	if (oob_present() && prev != IRQ_STAGE_OOB)
		switch_stage(pc, IRQ_STAGE_OOB);
	irq_enter_pipeline();
	pc->in_pipeline++;
	return prev;
}

/* Steps 4-6: tell the core (it may switch stage), come back in-band if we came from there, replay what may be. */
static void pipeline_leave(struct pipeline_cpu *pc, enum irq_stage prev)
{
	pc->in_pipeline--;
	irq_exit_pipeline();
	if (prev == IRQ_STAGE_INBAND && pc->current == IRQ_STAGE_OOB)
		switch_stage(pc, IRQ_STAGE_INBAND);
	if (pc->current == IRQ_STAGE_INBAND || stage_pending(pc, IRQ_STAGE_OOB))
		__synchronize_pipeline(pc);
}

static void handle_acked_irq(struct pipeline_cpu *pc, unsigned int irq)
{
	arch_trace(PIPELINE_TRACE_IRQ_ACK, irq);
	if (irq >= PIPELINE_NR_HW_IRQS) {
		(void)pipeline_check(true, PIPELINE_DEBUG_IRQ_RANGE, (int)irq, 0,
				     "the interrupt controller gave an IRQ number out of range");
		eoi_irq(irq);	/* or the controller would keep it active forever */
		return;
	}
	if (irq == PIPELINE_INBAND_IPI_SGI) {
		/* EOI first: a message sent from now on raises the SGI again, so none is left behind. */
		eoi_irq(irq);
		receive_inband_ipis(pc);
		return;
	}
	if (irq >= OOB_IPI_BASE && irq < OOB_IPI_BASE + OOB_NR_IPI)
		arch_trace(PIPELINE_TRACE_OOB_IPI_RECEIVE, irq);
	dispatch_irq(pc, irq, true);
}

/*
 * Section 2. Every interrupt the controller has for this CPU is taken in one entry (acknowledged until it says
 * spurious), so that IRQs raised together are all logged before the replay plays them lowest first.
 */
bool handle_irq_pipelined(void)
{
	struct pipeline_cpu *pc = this_pipeline_cpu();
	enum irq_stage prev;
	bool ret;
	int irq;

	arch_trace(PIPELINE_TRACE_ENTRY, pc->current);
	/* oob stalled means hard irqs off: we cannot be here. Fix it up so that oob handlers run. */
	if (pipeline_check(stage_stalled(pc, IRQ_STAGE_OOB), PIPELINE_DEBUG_OOB_STALLED_ON_ENTRY, -1,
			   arch_return_address(), "oob stage stalled on IRQ entry"))
		unstall_oob_bit(pc);
	prev = pipeline_enter(pc);
	while ((irq = arch_irq_ack()) >= 0)
		handle_acked_irq(pc, (unsigned int)irq);
	pipeline_leave(pc, prev);
	ret = pc->current == IRQ_STAGE_INBAND && !stage_stalled(pc, IRQ_STAGE_INBAND);
	arch_trace(PIPELINE_TRACE_EXIT, ret);
	return ret;
}

int irq_inject_pipeline(unsigned int irq)
{
	struct pipeline_cpu *pc;
	unsigned long flags;

	if (irq >= PIPELINE_NR_IRQS)
		return -EINVAL;
	flags = hard_local_irq_save();
	pc = this_pipeline_cpu();
	arch_trace(PIPELINE_TRACE_IRQ_INJECT, irq);
	/* An oob IRQ while oob is stalled waits in the oob log, like a real one would wait at the controller. */
	if (oob_present() && irq_handled_oob(irq) && stage_stalled(pc, IRQ_STAGE_OOB)) {
		post_stage(pc, IRQ_STAGE_OOB, irq);
	} else {
		enum irq_stage prev = pipeline_enter(pc);

		dispatch_irq(pc, irq, false);
		pipeline_leave(pc, prev);
	}
	hard_local_irq_restore(flags);
	return 0;
}

/* ---- Stage escalation -------------------------------------------------------------------------------------------- */

/*
 * The epilogue matrix of section 4. Only oob -> oob may leave the in-band log alone: every other path ran fn on oob
 * while in-band code was interrupted, so both logs may have grown and are synchronized, oob first, each as far as
 * its stall bit allows. The in-band stall bit is the caller's and is never touched.
 */
static void run_oob_call_epilogue(struct pipeline_cpu *pc, enum irq_stage entry, bool was_stalled)
{
	if (entry == IRQ_STAGE_OOB && pc->current == IRQ_STAGE_OOB) {
		if (!was_stalled && stage_pending(pc, IRQ_STAGE_OOB))
			sync_stage(pc, IRQ_STAGE_OOB);
		return;
	}
	if (pc->current == IRQ_STAGE_OOB)
		switch_stage(pc, IRQ_STAGE_INBAND);
	__synchronize_pipeline(pc);
}

int run_oob_call(int (*fn)(void *arg), void *arg)
{
	struct pipeline_cpu *pc;
	enum irq_stage entry;
	unsigned long flags;
	bool was_stalled;
	int ret;

	flags = hard_local_irq_save();
	pc = this_pipeline_cpu();
	arch_trace(PIPELINE_TRACE_RUN_OOB_CALL_ENTRY, (uintptr_t)fn);
	entry = pc->current;
	if (!oob_present()) {
		/* Nothing to escalate to: fn runs in-band with hard irqs off, then the in-band/in-band epilogue. */
		ret = fn(arg);
		hard_local_irq_disable();
		__synchronize_pipeline(pc);
	} else {
		if (entry != IRQ_STAGE_OOB)
			switch_stage(pc, IRQ_STAGE_OOB);
		was_stalled = stage_stalled(pc, IRQ_STAGE_OOB);
		stall_oob_bit(pc);
		ret = fn(arg);
		hard_local_irq_disable();
		if (!was_stalled)
			unstall_oob_bit(pc);
		run_oob_call_epilogue(pc, entry, was_stalled);
	}
	arch_trace(PIPELINE_TRACE_RUN_OOB_CALL_EXIT, ret);
	hard_local_irq_restore(flags);
	return ret;
}

/* ---- The oob stage ----------------------------------------------------------------------------------------------- */

int enable_oob_stage(const char *name)
{
	if (oob_present())
		return -EBUSY;
	/* Whatever the stall bits and logs held before belongs to no stage: start clean on every CPU. */
	for (unsigned int cpu = 0; cpu < PIPELINE_MAX_CPUS; cpu++) {
		pipeline_cpus[cpu].stages[IRQ_STAGE_OOB].stalled = 0;
		log_clear(&pipeline_cpus[cpu].stages[IRQ_STAGE_OOB].log);
	}
	oob_name = name;
	atomic_store_explicit(&pipeline_oob_present, 1, memory_order_release);
	pipeline_report(PIPELINE_INFO_OOB_STAGE_ENABLED, -1, arch_return_address(), name);
	return 0;
}

/*
 * No cross-CPU synchronization and no log flush, by design: the caller has made sure no CPU runs oob handlers any
 * more. IRQs left in oob logs stay there until the next enable_oob_stage() clears them.
 */
void disable_oob_stage(void)
{
	uintptr_t ra = arch_return_address();
	const char *name = oob_name;

	if (!oob_present()) {
		pipeline_report(PIPELINE_WARN_DISABLE_OOB_STAGE, -1, ra, "disable_oob_stage() without an oob stage");
		return;
	}
	if (this_pipeline_cpu()->current == IRQ_STAGE_OOB)
		pipeline_report(PIPELINE_WARN_DISABLE_OOB_STAGE, -1, ra, "disable_oob_stage() called on the oob stage");
	atomic_store_explicit(&pipeline_oob_present, 0, memory_order_release);
	oob_name = NULL;
	pipeline_report(PIPELINE_INFO_OOB_STAGE_DISABLED, -1, ra, name);
}

bool oob_stage_present(void)
{
	return oob_present();
}

const char *oob_stage_name(void)
{
	return oob_present() ? oob_name : NULL;
}

/* ---- Idle -------------------------------------------------------------------------------------------------------- */

/*
 * The log is tested with hard irqs off, so an IRQ arriving after the test stays pending at the controller and ends
 * the WFI; it is taken when hard irqs open again, with in-band already unstalled, so its in-band handler runs at once.
 */
void inband_idle(void)
{
	struct pipeline_cpu *pc;

	(void)check_inband(arch_return_address(), "inband_idle()");
	hard_local_irq_disable();
	pc = this_pipeline_cpu();
	if (stage_pending(pc, IRQ_STAGE_INBAND) || (oob_present() && stage_pending(pc, IRQ_STAGE_OOB))) {
		arch_trace(PIPELINE_TRACE_IDLE, 1);
		__inband_irq_enable(pc);
	} else {
		arch_trace(PIPELINE_TRACE_IDLE, 0);
		arch_idle();
		arch_trace(PIPELINE_TRACE_IDLE_WAKE, 0);
		unstall_inband_bit(pc);
	}
	hard_local_irq_enable();
}
