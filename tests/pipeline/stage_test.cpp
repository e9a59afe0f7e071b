// Installing and removing the oob stage (pipeline-semantics.md section 5).
#include "pipeline_test.h"

namespace pt {
namespace {

using Stage = PipelineTest;
using S = std::vector<std::string>;

TEST_F(Stage, NoOobStageAfterInit) {
    EXPECT_FALSE(oob_stage_present());
    EXPECT_EQ(oob_stage_name(), nullptr);
    EXPECT_TRUE(running_inband());
    EXPECT_FALSE(running_oob());
    for (unsigned cpu = 0; cpu < kCpus; cpu++) {
        EXPECT_EQ(pipeline_cpu_stage(cpu), IRQ_STAGE_INBAND);
        EXPECT_FALSE(pipeline_stage_stalled(cpu, IRQ_STAGE_INBAND));
        EXPECT_FALSE(pipeline_stage_stalled(cpu, IRQ_STAGE_OOB));
    }
}

TEST_F(Stage, EnableRecordsTheNameAndSaysSo) {
    EXPECT_EQ(enable_oob_stage("EVL"), 0);
    EXPECT_TRUE(oob_stage_present());
    EXPECT_STREQ(oob_stage_name(), "EVL");
    auto info = reports_of(PIPELINE_INFO_OOB_STAGE_ENABLED);
    ASSERT_EQ(info.size(), 1u);
    EXPECT_STREQ(info[0].msg, "EVL");
}

TEST_F(Stage, EnablingTwiceIsEbusy) {
    EXPECT_EQ(enable_oob_stage("first"), 0);
    EXPECT_EQ(enable_oob_stage("second"), -EBUSY);
    EXPECT_STREQ(oob_stage_name(), "first");
}

TEST_F(Stage, EnableClearsEveryCpusOobStallAndLog) {
    for (unsigned cpu : {1u, 2u}) {
        fake_set_cpu(cpu);
        oob_irq_disable();
        irq_post_oob(41);
        irq_post_oob(300);
    }
    fake_set_cpu(0);
    ASSERT_TRUE(pipeline_stage_stalled(2, IRQ_STAGE_OOB));
    ASSERT_TRUE(pipeline_log_pending(1, IRQ_STAGE_OOB));
    EXPECT_EQ(enable_oob_stage("rt"), 0);
    for (unsigned cpu = 0; cpu < kCpus; cpu++) {
        EXPECT_FALSE(pipeline_stage_stalled(cpu, IRQ_STAGE_OOB)) << "CPU " << cpu;
        EXPECT_FALSE(pipeline_log_pending(cpu, IRQ_STAGE_OOB)) << "CPU " << cpu;
    }
    for (unsigned cpu : {1u, 2u}) fake_set_hard_irqs(cpu, true);
}

TEST_F(Stage, DisableWithoutAStageWarns) {
    disable_oob_stage();
    auto w = reports_of(PIPELINE_WARN_DISABLE_OOB_STAGE);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].cpu, 0u);
    EXPECT_TRUE(reports_of(PIPELINE_INFO_OOB_STAGE_DISABLED).empty());
}

TEST_F(Stage, DisableFromTheOobStageWarnsButRemovesIt) {
    enable_oob();
    fake_set_cpu(3);
    enter_oob();
    disable_oob_stage();
    auto w = reports_of(PIPELINE_WARN_DISABLE_OOB_STAGE);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].cpu, 3u);
    EXPECT_EQ(w[0].stage, IRQ_STAGE_OOB);
    EXPECT_FALSE(oob_stage_present());
    switch_inband();
    hard_local_irq_enable();
}

TEST_F(Stage, DisableFromInbandSaysSoWithTheName) {
    ASSERT_EQ(enable_oob_stage("EVL"), 0);
    disable_oob_stage();
    EXPECT_FALSE(oob_stage_present());
    EXPECT_TRUE(reports_of(PIPELINE_WARN_DISABLE_OOB_STAGE).empty());
    auto info = reports_of(PIPELINE_INFO_OOB_STAGE_DISABLED);
    ASSERT_EQ(info.size(), 1u);
    EXPECT_STREQ(info[0].msg, "EVL");
    EXPECT_EQ(enable_oob_stage("again"), 0) << "a stage can be installed again";
}

TEST_F(Stage, AfterDisableOobHandlersRunInband) {
    enable_oob();
    Probe p("dev");
    request(40, p, IRQF_OOB);
    local_irq_disable();
    fake_raise_irq(0, 40);
    ASSERT_EQ(calls().size(), 1u);
    EXPECT_EQ(call(0).stage, IRQ_STAGE_OOB);
    disable_oob_stage();
    fake_raise_irq(0, 40);
    EXPECT_EQ(calls().size(), 1u) << "now an in-band IRQ: deferred while in-band is stalled";
    EXPECT_EQ(log_of(0, IRQ_STAGE_INBAND), std::vector<int>{40});
    local_irq_enable();
    ASSERT_EQ(calls().size(), 2u);
    EXPECT_EQ(call(1).stage, IRQ_STAGE_INBAND);
    EXPECT_TRUE(irq_is_oob(40)) << "the line keeps its IRQF_OOB handlers";
}

TEST_F(Stage, DisableNeitherFlushesNorPlaysOobLogs) {
    enable_oob();
    Probe p("oob");
    request(41, p, IRQF_OOB);
    oob_irq_disable();
    irq_inject_pipeline(41);
    ASSERT_EQ(log_of(0, IRQ_STAGE_OOB), std::vector<int>{41});
    disable_oob_stage();
    oob_irq_enable();
    EXPECT_TRUE(calls().empty()) << "no oob stage: its log is not played";
    EXPECT_EQ(log_of(0, IRQ_STAGE_OOB), std::vector<int>{41}) << "nor flushed";
    EXPECT_EQ(enable_oob_stage("again"), 0);
    EXPECT_TRUE(log_of(0, IRQ_STAGE_OOB).empty()) << "the next enable_oob_stage() clears it";
}

TEST_F(Stage, SwitchesAreTracedAndQueryable) {
    enable_oob();
    clear_records();
    enter_oob();
    EXPECT_TRUE(running_oob());
    EXPECT_EQ(current_irq_stage(), IRQ_STAGE_OOB);
    EXPECT_EQ(pipeline_cpu_stage(0), IRQ_STAGE_OOB);
    EXPECT_EQ(pipeline_cpu_stage(1), IRQ_STAGE_INBAND);
    leave_oob();
    EXPECT_TRUE(running_inband());
    EXPECT_EQ(traces({PIPELINE_TRACE_STAGE_SWITCH}),
              (std::vector<std::pair<unsigned, uint32_t>>{{PIPELINE_TRACE_STAGE_SWITCH, 1},
                                                          {PIPELINE_TRACE_STAGE_SWITCH, 0}}));
}

}  // namespace
}  // namespace pt
