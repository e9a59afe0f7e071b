// The hint table, the event log, the VCD and the Perfetto writers on synthetic event streams.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sim/trace/event_log.h"
#include "sim/trace/hint_table.h"
#include "sim/trace/perfetto_writer.h"
#include "sim/trace/vcd_writer.h"

using namespace oobsim::trace;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream f(path);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

std::string temp_path(const std::string& name) {
    return ::testing::TempDir() + "oobsim_trace_" + name;
}

Event hint(uint64_t cycle, uint16_t cpu, uint32_t id, uint32_t value) {
    return make_event(cycle, Kind::Hint, cpu, id, value);
}

// The value of a "key":value (number) or "key":"text" field of a one-line JSON object; "" when absent.
std::string field(const std::string& line, const std::string& key) {
    const std::string k = "\"" + key + "\":";
    size_t p = line.find(k);
    if (p == std::string::npos) return "";
    p += k.size();
    if (line[p] == '"') return line.substr(p + 1, line.find('"', p + 1) - p - 1);
    size_t e = line.find_first_of(",}", p);
    return line.substr(p, e - p);
}

}  // namespace

TEST(HintTable, NamesEveryPipelineEventFromItsList) {
    HintTable t;
    int n = 0;
#define CHECK_ENTRY(name_, id_, label_, value_) \
    EXPECT_EQ(t.info(id_).label, label_);       \
    EXPECT_TRUE(t.info(id_).pipeline);          \
    ++n;
    PIPELINE_TRACE_EVENTS(CHECK_ENTRY)
#undef CHECK_ENTRY
    EXPECT_GT(n, 30);
    EXPECT_EQ(t.info(256).label, "pipeline_entry");
    EXPECT_FALSE(t.named(42));
}

TEST(HintTable, RolesBindToTheirLabels) {
    HintTable t;
    // Whatever the pipeline's list names with a role's label has the role (xcall, thread switches, ...).
    for (uint32_t id = 0; id < HintTable::kIds; ++id)
        for (size_t r = 0; r < size_t(Role::Count); ++r) {
            const auto labels = HintTable::role_labels(Role(r));
            const bool want = std::find(labels.begin(), labels.end(), t.info(id).label) != labels.end();
            EXPECT_EQ(t.is(id, Role(r)), want) << id << " " << r;
        }
    t.define_from_string("100=thread_switch");
    t.define(7, "my_marker");
    EXPECT_TRUE(t.is(100, Role::ThreadSwitch));
    EXPECT_TRUE(t.is(100, Role::OobThreadSwitch));
    EXPECT_LE(t.role(Role::ThreadSwitch), 100);
    EXPECT_EQ(t.info(7).label, "my_marker");
    t.define(100, "something_else");  // renaming an id unbinds its role
    EXPECT_FALSE(t.is(100, Role::ThreadSwitch));
    t.define(101, "kthread_switch");  // an in-band thread switch: the thread signal, not the oob responder
    EXPECT_TRUE(t.is(101, Role::ThreadSwitch));
    EXPECT_FALSE(t.is(101, Role::OobThreadSwitch));
    t.define_from_string("0x70=xcall_issue");
    EXPECT_TRUE(t.is(0x70, Role::XcallIssue));
    EXPECT_THROW(t.define(256, "mine"), std::invalid_argument);  // the pipeline's
    EXPECT_THROW(t.define(2048, "x"), std::invalid_argument);
    EXPECT_THROW(t.define(5, "Bad-Label"), std::invalid_argument);
    EXPECT_THROW(t.define_from_string("thread_switch"), std::invalid_argument);
    EXPECT_THROW(t.define_from_string("x=thread_switch"), std::invalid_argument);
    EXPECT_THROW(t.define_from_string("99999=thread_switch"), std::invalid_argument);
}

TEST(EventLog, OneLinePerEvent) {
    HintTable t;
    EXPECT_EQ(EventLogWriter::format(hint(12, 0, PIPELINE_TRACE_IRQ_ACK, 40), t), "12 0 irq_ack id=258 value=40");
    EXPECT_EQ(EventLogWriter::format(hint(12, 3, 42, 7), t), "12 3 hint id=42 value=7");
    EXPECT_EQ(EventLogWriter::format(make_event(5, Kind::Line, kNoCpu, 40, 1), t), "5 - line irq=40 level=1");
    EXPECT_EQ(EventLogWriter::format(make_event(5, Kind::Iar, 1, (2u << 10) | 3), t), "5 1 iar irq=3 src=2 raw=0x803");
    EXPECT_EQ(EventLogWriter::format(make_event(9, Kind::Sgi, 0, 3, 6), t), "9 0 sgi_send sgi=3 targets=0x6");
    EXPECT_EQ(EventLogWriter::format(make_event(9, Kind::CoreIrq, 2, kBitMeip, 1), t), "9 2 meip level=1");
    EXPECT_EQ(EventLogWriter::format(make_event(9, Kind::Trap, 0, 0x8000000b, 0x80000100, 0), t),
              "9 0 trap cause=0x8000000b epc=0x80000100 tval=0x00000000");
}

TEST(Vcd, TimescaleIsTheClockPeriod) {
    uint64_t m = 0;
    EXPECT_EQ(VcdWriter::timescale(1000, &m), "1ns");
    EXPECT_EQ(m, 1u);
    EXPECT_EQ(VcdWriter::timescale(10000, &m), "10ns");
    EXPECT_EQ(VcdWriter::timescale(100, &m), "100ps");
    EXPECT_EQ(VcdWriter::timescale(1000000, &m), "1us");
    EXPECT_EQ(m, 1u);
    EXPECT_EQ(VcdWriter::timescale(333, &m), "1ps");  // 3 GHz: times are in ps, cycle * 333
    EXPECT_EQ(m, 333u);
    EXPECT_EQ(VcdWriter::timescale(2000, &m), "1ps");
    EXPECT_EQ(m, 2000u);
}

TEST(Vcd, SignalsFollowTheEventsAndMergeWithinACycle) {
    HintTable t;
    Clock clock;
    const std::string path = temp_path("a.vcd");
    {
        VcdWriter w(path, t, clock, 2);
        w.event(hint(10, 0, PIPELINE_TRACE_STAGE_SWITCH, 1));
        w.event(hint(12, 1, PIPELINE_TRACE_INBAND_STALL, 0));
        w.event(hint(12, 1, PIPELINE_TRACE_INBAND_UNSTALL, 0));  // same cycle: no pulse
        w.event(hint(20, 0, PIPELINE_TRACE_HANDLER_ENTRY_OOB, 40));
        w.event(make_event(20, Kind::Line, kNoCpu, 40, 1));
        w.event(hint(25, 0, PIPELINE_TRACE_HANDLER_EXIT_OOB, 40));
        w.event(hint(25, 0, PIPELINE_TRACE_STAGE_SWITCH, 0));
        w.finish(30);
    }
    const std::string vcd = read_file(path);
    EXPECT_NE(vcd.find("$timescale 1ns $end"), std::string::npos);
    EXPECT_EQ(vcd.find("ppi"), std::string::npos);  // only the lines used are declared
    EXPECT_EQ(vcd.substr(vcd.size() - 4), "#30\n");  // lasts to the end of the run
    // A small reader: signal path -> [(time, value)] after $dumpvars.
    std::map<std::string, std::string> path_of;  // code -> path
    std::map<std::string, std::vector<std::pair<uint64_t, std::string>>> changes;
    std::istringstream in(vcd);
    std::vector<std::string> scope;
    std::string tok;
    uint64_t now = 0;
    while (in >> tok) {
        if (tok == "$scope") {
            std::string kind, name;
            in >> kind >> name >> tok;
            scope.push_back(name);
        } else if (tok == "$upscope") {
            in >> tok;
            scope.pop_back();
        } else if (tok == "$var") {
            std::string type, width, code, name;
            in >> type >> width >> code >> name;
            std::string p;
            for (const std::string& s : scope) p += s + ".";
            path_of[code] = p + name;
            while (in >> tok && tok != "$end") {
            }
        } else if (tok[0] == '#') {
            now = std::stoull(tok.substr(1));
        } else if (tok[0] == 'b') {
            std::string code;
            in >> code;
            changes[path_of[code]].emplace_back(now, tok.substr(1));
        } else if (tok[0] == '0' || tok[0] == '1' || tok[0] == 'x') {
            changes[path_of[tok.substr(1)]].emplace_back(now, tok.substr(0, 1));
        }
    }
    using C = std::vector<std::pair<uint64_t, std::string>>;
    EXPECT_EQ(changes["oobsim.cpu0.stage"], (C{{0, "0"}, {10, "1"}, {25, "0"}}));
    EXPECT_EQ(changes["oobsim.cpu0.irq"], (C{{0, "x"}, {20, "101000"}, {25, "x"}}));
    EXPECT_EQ(changes["oobsim.cpu1.inband_stall"], (C{{0, "0"}}));  // stall and unstall in one cycle: no pulse
    EXPECT_EQ(changes["oobsim.cpu1.hint"], (C{{0, "x"}, {12, "100000110"}}));  // the last hint of cycle 12 (262)
    EXPECT_EQ(changes["oobsim.gic.spi40.line"], (C{{0, "0"}, {20, "1"}}));
    std::remove(path.c_str());
}

TEST(Perfetto, TimestampsAreExactMicroseconds) {
    EXPECT_EQ(PerfettoWriter::timestamp(1234567, 1000), "1234.567000");
    EXPECT_EQ(PerfettoWriter::timestamp(3, 333), "0.000999");
    EXPECT_EQ(PerfettoWriter::timestamp(0, 1000), "0.000000");
}

TEST(Perfetto, SlicesNestEvenWhenTheEventsCross) {
    HintTable t;
    Clock clock;
    const std::string path = temp_path("a.json");
    {
        PerfettoWriter w(path, t, clock, 2);
        w.event(hint(10, 0, PIPELINE_TRACE_INBAND_STALL, 0));  // opens "in-band stalled"
        w.event(make_event(20, Kind::Trap, 0, 0x8000000b, 0x80000000));
        w.event(hint(30, 0, PIPELINE_TRACE_ENTRY, 0));
        w.event(hint(40, 0, PIPELINE_TRACE_INBAND_UNSTALL, 0));  // closes it inside the trap: crosses
        w.event(hint(50, 0, PIPELINE_TRACE_EXIT, 1));
        w.event(make_event(60, Kind::Mret, 0, 0x80000100, 0x80000000));
        w.event(hint(70, 0, PIPELINE_TRACE_HANDLER_EXIT_OOB, 9));  // never entered: ignored
        w.event(hint(80, 1, PIPELINE_TRACE_OOB_IPI_SEND, (1u << 16) | 1u));
        w.event(hint(90, 0, PIPELINE_TRACE_OOB_IPI_RECEIVE, 1));
        w.event(hint(95, 1, PIPELINE_TRACE_REPLAY_BEGIN, 0));  // still open at the end
        w.finish(100);
    }
    std::ifstream f(path);
    std::string line;
    std::map<std::string, std::vector<std::string>> stacks;
    std::map<std::string, std::string> last_ts;
    int begins = 0, continued = 0, flow_s = 0, flow_f = 0;
    while (std::getline(f, line)) {
        const std::string ph = field(line, "ph");
        if (ph.empty() || ph == "M") continue;
        const std::string tid = field(line, "tid"), ts = field(line, "ts");
        if (ph == "B") {
            stacks[tid].push_back(field(line, "name"));
            ++begins;
            if (line.find("\"continued\":true") != std::string::npos) ++continued;
        } else if (ph == "E") {
            ASSERT_FALSE(stacks[tid].empty()) << line;
            stacks[tid].pop_back();
        } else if (ph == "s" || ph == "f") {
            EXPECT_FALSE(stacks[tid].empty()) << "a flow outside a slice: " << line;
            (ph == "s" ? flow_s : flow_f)++;
        }
        if (!tid.empty() && !last_ts[tid].empty()) {
            EXPECT_LE(std::stod(last_ts[tid]), std::stod(ts)) << line;
        }
        if (!tid.empty()) last_ts[tid] = ts;
    }
    for (const auto& [tid, s] : stacks) EXPECT_TRUE(s.empty()) << "track " << tid << " left open";
    EXPECT_EQ(continued, 2);  // the trap and the pipeline slice reopened after the stall closed under them
    EXPECT_EQ(flow_s, 1);
    EXPECT_EQ(flow_f, 1);
    EXPECT_GE(begins, 7);
    std::remove(path.c_str());
}

TEST(Perfetto, XcallFlowsGoFromTheIssueToEachRemoteRunAndBackToTheWait) {
    HintTable t;
    t.define(110, "xcall_issue");
    t.define(111, "xcall_func_start");
    t.define(112, "xcall_func_end");
    t.define(113, "xcall_wait_return");
    t.define(114, "softint_entry");
    t.define(115, "softint_exit");
    Clock clock;
    const std::string path = temp_path("x.json");
    {
        PerfettoWriter w(path, t, clock, 3);
        w.event(hint(100, 0, 110, 7));  // CPU 0 issues ticket 7: flow starts towards CPUs 1 and 2
        w.event(hint(120, 1, 114, 1));  // CPU 1 runs it from a soft interrupt
        w.event(hint(121, 1, 111, 7));
        w.event(hint(130, 1, 112, 7));
        w.event(hint(131, 1, 115, 1));
        w.event(hint(125, 2, 111, 7));  // (the writer is given events in time order; this one is only late here)
        w.event(hint(140, 2, 112, 7));
        w.event(hint(150, 0, 113, 7));  // xc_wait returns: both remote ends flow into it
        w.finish(200);
    }
    std::ifstream f(path);
    std::string line;
    std::map<std::string, std::string> start_tid, end_tid;  // flow id -> track
    std::vector<std::string> slices;
    while (std::getline(f, line)) {
        const std::string ph = field(line, "ph"), tid = field(line, "tid");
        if (ph == "s") start_tid[field(line, "id")] = tid;
        if (ph == "f") end_tid[field(line, "id")] = tid;
        if (ph == "B") slices.push_back(tid + ":" + field(line, "name"));
    }
    // Issue -> CPU 1 and CPU 2; CPU 1's and CPU 2's ends -> CPU 0's wait.
    std::multiset<std::string> pairs;
    for (const auto& [id, to] : end_tid) {
        ASSERT_TRUE(start_tid.count(id)) << id;
        pairs.insert(start_tid[id] + "->" + to);
    }
    EXPECT_EQ(pairs, (std::multiset<std::string>{"0->1", "0->2", "1->0", "2->0"}));
    EXPECT_EQ(start_tid.size(), 4u);  // one per other CPU at the issue, one per remote end
    EXPECT_NE(std::find(slices.begin(), slices.end(), "1:softint ipl 1"), slices.end());
    EXPECT_NE(std::find(slices.begin(), slices.end(), "1:xcall function"), slices.end());
    EXPECT_NE(std::find(slices.begin(), slices.end(), "2:xcall function"), slices.end());
    std::remove(path.c_str());
}
