/* The whole interrupt pipeline API. */
#ifndef PIPELINE_PIPELINE_H
#define PIPELINE_PIPELINE_H

#include "pipeline/arch.h"
#include "pipeline/config.h"
#include "pipeline/interrupt.h"
#include "pipeline/ipi.h"
#include "pipeline/irq_pipeline.h"
#include "pipeline/irq_work.h"
#include "pipeline/irqflags.h"
#include "pipeline/kern.h"
#include "pipeline/trace_events.h"
#include "pipeline/xcall.h"

#endif /* PIPELINE_PIPELINE_H */
