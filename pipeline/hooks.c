/*
 * The companion-core hooks of the pipeline entry, empty by default. They are weak, and alone in this file, so that
 * a companion core overrides them just by defining its own (the linker then never pulls this object in).
 */
#include "pipeline/irq_pipeline.h"

#if defined(__GNUC__)
#define __pipeline_weak __attribute__((weak))
#else
#define __pipeline_weak
#endif

/* Hard irqs off: the core typically blocks its rescheduling until irq_exit_pipeline(). */
__pipeline_weak void irq_enter_pipeline(void)
{
}

/* Hard irqs off: the core may reschedule here, switching stage; the pipeline copes with it afterwards. */
__pipeline_weak void irq_exit_pipeline(void)
{
}
