/*
 * Trace events the interrupt pipeline emits (pipeline-semantics.md section 10), through arch_trace(id, value).
 *
 * On the simulated cores arch_trace() is OOBSIM_TRACE: a `slti x0, rs1, id` HINT that costs no cycle, so an id
 * must be a compile-time constant in 1..2047 and a value is one 32-bit register. The pipeline owns ids
 * 256..383 (PIPELINE_TRACE_FIRST..PIPELINE_TRACE_LAST); lower ids are left to tests and demos. Within the range:
 * 256-287 the pipeline proper, 288-295 xcall (pipeline/xcall.c), 296-303 the in-band kernel and 304-311 the
 * companion core of the firmware (firmware/pipeline/), which share the list so that one decoder knows them all.
 *
 * Every event is reported with the CPU that emitted it (the core that executed the HINT) and the cycle, so the
 * value only carries what the CPU and the time do not say. "stage" values are 0 for in-band, 1 for oob.
 *
 * PIPELINE_TRACE_EVENTS(X) is the one list: X(name, id, label, value) for each event, so that a decoder (the
 * simulator, a test) can build its table from it. Plain C, usable from C++.
 */
#ifndef PIPELINE_TRACE_EVENTS_H
#define PIPELINE_TRACE_EVENTS_H

#define PIPELINE_TRACE_FIRST 256
#define PIPELINE_TRACE_LAST 383

#define PIPELINE_TRACE_EVENTS(X)								\
	/* handle_irq_pipelined() began (trap from the controller), value: the stage it interrupted. */	\
	X(PIPELINE_TRACE_ENTRY, 256, "pipeline_entry", "stage interrupted (0 in-band, 1 oob)")		\
	/* handle_irq_pipelined() returns, value: 1 if in-band and unstalled (the arch does its IRQ-exit work). */ \
	X(PIPELINE_TRACE_EXIT, 257, "pipeline_exit", "1 if returning in-band and unstalled")		\
	/* arch_irq_ack() gave an IRQ, value: its number (spurious acks are not traced). */			\
	X(PIPELINE_TRACE_IRQ_ACK, 258, "irq_ack", "irq")							\
	/* arch_irq_eoi() is about to be called, value: the IRQ. */						\
	X(PIPELINE_TRACE_IRQ_EOI, 259, "irq_eoi", "irq")							\
	/* The CPU switched stage, value: the new stage. */							\
	X(PIPELINE_TRACE_STAGE_SWITCH, 260, "stage_switch", "new stage (0 in-band, 1 oob)")		\
	/* The in-band stall bit was written (set / cleared), value: 0. Emitted at every write. */		\
	X(PIPELINE_TRACE_INBAND_STALL, 261, "inband_stall", "0")					\
	X(PIPELINE_TRACE_INBAND_UNSTALL, 262, "inband_unstall", "0")					\
	/* The oob stall bit was written (set / cleared), value: 0. Emitted at every write. */		\
	X(PIPELINE_TRACE_OOB_STALL, 263, "oob_stall", "0")						\
	X(PIPELINE_TRACE_OOB_UNSTALL, 264, "oob_unstall", "0")						\
	/* An IRQ was posted to a log, value: the IRQ (posting one already pending is traced too). */	\
	X(PIPELINE_TRACE_IRQ_LOG_INBAND, 265, "irq_log_inband", "irq")					\
	X(PIPELINE_TRACE_IRQ_LOG_OOB, 266, "irq_log_oob", "irq")					\
	/* A replay of a stage's log began / ended, value: the stage. */					\
	X(PIPELINE_TRACE_REPLAY_BEGIN, 267, "replay_begin", "stage")					\
	X(PIPELINE_TRACE_REPLAY_END, 268, "replay_end", "stage")					\
	/* A replay took an IRQ out of a log (it runs next), value: the IRQ. */				\
	X(PIPELINE_TRACE_IRQ_PULL_INBAND, 269, "irq_pull_inband", "irq")				\
	X(PIPELINE_TRACE_IRQ_PULL_OOB, 270, "irq_pull_oob", "irq")					\
	/* The handlers of an IRQ are about to run / have run, on that stage, value: the IRQ. */		\
	X(PIPELINE_TRACE_HANDLER_ENTRY_INBAND, 271, "handler_entry_inband", "irq")			\
	X(PIPELINE_TRACE_HANDLER_EXIT_INBAND, 272, "handler_exit_inband", "irq")			\
	X(PIPELINE_TRACE_HANDLER_ENTRY_OOB, 273, "handler_entry_oob", "irq")				\
	X(PIPELINE_TRACE_HANDLER_EXIT_OOB, 274, "handler_exit_oob", "irq")				\
	/* run_oob_call() entry, value: the address of fn (low 32 bits); exit, value: fn's return value. */	\
	X(PIPELINE_TRACE_RUN_OOB_CALL_ENTRY, 275, "run_oob_call_entry", "fn address")			\
	X(PIPELINE_TRACE_RUN_OOB_CALL_EXIT, 276, "run_oob_call_exit", "fn return value")		\
	/* irq_work queued / its function about to run / returned, value: the work's address. */		\
	X(PIPELINE_TRACE_IRQ_WORK_QUEUE, 277, "irq_work_queue", "work address")				\
	X(PIPELINE_TRACE_IRQ_WORK_RUN, 278, "irq_work_run", "work address")				\
	X(PIPELINE_TRACE_IRQ_WORK_DONE, 279, "irq_work_done", "work address")				\
	/* An oob IPI was sent, value: ipi << 16 | cpumask; received (acked), value: the ipi (SGI). */	\
	X(PIPELINE_TRACE_OOB_IPI_SEND, 280, "oob_ipi_send", "ipi << 16 | cpumask")			\
	X(PIPELINE_TRACE_OOB_IPI_RECEIVE, 281, "oob_ipi_receive", "ipi")				\
	/* An in-band IPI message was sent, value: msg << 16 | cpumask; received (taken off the message	\
	 * bits and fed to the pipeline as IRQ INBAND_IPI_IRQ(msg)), value: msg. */				\
	X(PIPELINE_TRACE_INBAND_IPI_SEND, 282, "inband_ipi_send", "msg << 16 | cpumask")		\
	X(PIPELINE_TRACE_INBAND_IPI_RECEIVE, 283, "inband_ipi_receive", "msg")				\
	/* inband_idle(): value 0 = going to sleep (arch_idle), 1 = replaying the logs instead. */		\
	X(PIPELINE_TRACE_IDLE, 284, "idle", "0 sleep, 1 replay instead")				\
	/* arch_idle() returned, value: 0. */								\
	X(PIPELINE_TRACE_IDLE_WAKE, 285, "idle_wake", "0")						\
	/* irq_inject_pipeline() accepted an IRQ, value: the IRQ. */					\
	X(PIPELINE_TRACE_IRQ_INJECT, 286, "irq_inject", "irq")						\
	/* A line was disabled as spurious, value: the IRQ. */						\
	X(PIPELINE_TRACE_IRQ_SPURIOUS, 287, "irq_spurious_disabled", "irq")				\
	/* ---- xcall (pipeline/xcall.c). A ticket's value is XC_TICKET_TRACE(ticket): bits 30..0 of the	\
	 * ticket, bit 31 = its bit 63 (high priority); a cold-boot call has ticket 0. */			\
	/* A call was issued (its ticket taken), value: the ticket. */					\
	X(PIPELINE_TRACE_XCALL_ISSUE, 288, "xcall_issue", "ticket")					\
	/* ... right after: its targets, value: ipl << 8 | cpumask (ipl 0: low priority). */		\
	X(PIPELINE_TRACE_XCALL_TARGETS, 289, "xcall_targets", "ipl << 8 | cpumask")			\
	/* A CPU is about to run / has run the call's function, value: the ticket. */			\
	X(PIPELINE_TRACE_XCALL_FUNC_START, 290, "xcall_func_start", "ticket")				\
	X(PIPELINE_TRACE_XCALL_FUNC_END, 291, "xcall_func_end", "ticket")				\
	/* xc_wait() called / returns, value: the ticket. */						\
	X(PIPELINE_TRACE_XCALL_WAIT, 292, "xcall_wait", "ticket")					\
	X(PIPELINE_TRACE_XCALL_WAIT_RETURN, 293, "xcall_wait_return", "ticket")			\
	/* A caller found its slot busy and waits for it to be idle, value: 0 low, 1 high priority. */	\
	X(PIPELINE_TRACE_XCALL_SLOT_BUSY, 294, "xcall_slot_busy", "0 low, 1 high priority")		\
	/* ---- The in-band kernel (firmware/pipeline/). Thread ids: 1.. in creation order, 0 none. */	\
	/* The CPU switched in-band threads, value: the thread now running. */				\
	X(PIPELINE_TRACE_KTHREAD_SWITCH, 296, "kthread_switch", "thread now running")			\
	/* A sleeping thread was made runnable / the running thread goes to sleep, value: the thread. */	\
	X(PIPELINE_TRACE_KTHREAD_WAKEUP, 297, "kthread_wakeup", "thread")				\
	X(PIPELINE_TRACE_KTHREAD_SLEEP, 298, "kthread_sleep", "thread")				\
	/* The running thread is preempted, value: where (0 IRQ exit, 1 local_irq_enable/restore,		\
	 * 2 preempt_enable). */									\
	X(PIPELINE_TRACE_KTHREAD_PREEMPT, 299, "kthread_preempt", "0 irq exit, 1 irq enable, 2 preempt enable") \
	/* A soft interrupt was raised on this CPU / runs / has run, value: its IPL. */			\
	X(PIPELINE_TRACE_SOFTINT_RAISE, 300, "softint_raise", "ipl")					\
	X(PIPELINE_TRACE_SOFTINT_ENTRY, 301, "softint_entry", "ipl")					\
	X(PIPELINE_TRACE_SOFTINT_EXIT, 302, "softint_exit", "ipl")					\
	/* ---- The companion core (firmware/pipeline/oob.c). */						\
	/* An oob thread was woken, value: the thread. */						\
	X(PIPELINE_TRACE_OOB_WAKEUP, 304, "oob_thread_wakeup", "thread")				\
	/* The core rescheduled (an oob thread in, or back to in-band), value: the thread now running	\
	 * (for in-band: the in-band thread the CPU returns to). */					\
	X(PIPELINE_TRACE_OOB_RESCHEDULE, 305, "oob_reschedule", "thread now running")			\
	/* An oob thread blocks (waits for its next event), value: the thread. */			\
	X(PIPELINE_TRACE_OOB_THREAD_WAIT, 306, "oob_thread_wait", "thread")

enum pipeline_trace_event {
#define PIPELINE_TRACE_ENUM_(name, id, label, value) name = id,
	PIPELINE_TRACE_EVENTS(PIPELINE_TRACE_ENUM_)
#undef PIPELINE_TRACE_ENUM_
};

#endif /* PIPELINE_TRACE_EVENTS_H */
