#include "gic_rtl_model.h"

#include <stdexcept>
#include <string>

#include "Voobsim_gic_s64.h"
#include "Voobsim_gic_s988.h"
#include "verilated.h"

namespace oobsim::rtl {

namespace {

// A line pin: the SPI port is 64 bits wide in one build and a VlWide in the other; the PPI port is a VlWide.
void set_pin(QData& port, unsigned bit, bool level) {
    const QData mask = QData(1) << bit;
    port = level ? (port | mask) : (port & ~mask);
}
template <std::size_t Words>
void set_pin(VlWide<Words>& port, unsigned bit, bool level) {
    const EData mask = EData(1) << (bit % 32);
    EData& word = port[bit / 32];
    word = level ? (word | mask) : (word & ~mask);
}

template <class Model, unsigned kBuildSpis>
class Verilated final : public GicRtlModel {
public:
    Verilated(unsigned ncpus, unsigned nspis) : context_(std::make_unique<VerilatedContext>()) {
        model_ = std::make_unique<Model>(context_.get(), "gic");
        model_->cfg_cpus = ncpus;
        model_->cfg_spis = nspis;
        model_->req_valid = 0;
        model_->rst_n = 0;
        model_->clk = 0;
        model_->eval();
        model_->clk = 1;
        model_->eval();
        model_->rst_n = 1;
    }
    ~Verilated() override { model_->final(); }

    void set_spi_line(unsigned index, bool level) override {
        if (index >= kBuildSpis) throw std::out_of_range("RTL GIC: no SPI line " + std::to_string(32 + index));
        set_pin(model_->spi_lines, index, level);
    }
    void set_ppi_line(unsigned cpu, unsigned index, bool level) override {
        if (cpu >= kMaxCpus || index >= 16)
            throw std::out_of_range("RTL GIC: no PPI line " + std::to_string(16 + index) + " of CPU " +
                                    std::to_string(cpu));
        set_pin(model_->ppi_lines, 16 * cpu + index, level);
    }

    Response cycle(const Request* request) override {
        model_->clk = 0;
        model_->req_valid = request != nullptr;
        if (request) {
            model_->req_write = request->write;
            model_->req_dist = request->distributor;
            // The port is 8 bits wide: a CPU number beyond it is no CPU the GIC has either.
            model_->req_cpu = request->cpu > 0xff ? 0xff : request->cpu;
            model_->req_addr = request->offset;
            model_->req_size = request->size > 7 ? 7 : request->size;  // 3 bits; anything above 4 is refused
            model_->req_wdata = request->wdata;
        }
        model_->eval();
        Response r;
        if (request) {
            r.rdata = model_->rsp_rdata;
            r.status = Status(model_->rsp_status);
            r.misuse = Misuse(model_->rsp_misuse);
            r.sgi_sent = model_->rsp_sgi_sent;
            r.sgi_targets = model_->rsp_sgi_targets;
            r.running_valid = model_->rsp_running_valid;
            r.running_iar = model_->rsp_running_iar;
        }
        model_->clk = 1;
        model_->eval();
        ++cycles_;
        return r;
    }

    uint8_t irq() const override { return model_->irq; }
    uint64_t ignored_writes() const override { return model_->ignored_writes; }

    uint32_t pending_word(unsigned cpu, unsigned w) override {
        observe(cpu, w);
        return model_->obs_pending;
    }
    uint32_t active_word(unsigned cpu, unsigned w) override {
        observe(cpu, w);
        return model_->obs_active;
    }
    unsigned max_spis() const override { return kBuildSpis; }

private:
    // The observation port is combinational: a new address and an evaluation, no clock edge.
    void observe(unsigned cpu, unsigned w) {
        if (cpu >= kMaxCpus || w >= 32) throw std::out_of_range("RTL GIC: no observation word " + std::to_string(w));
        if (model_->obs_cpu != cpu || model_->obs_word != w) {
            model_->obs_cpu = cpu;
            model_->obs_word = w;
            model_->eval();
        }
    }

    std::unique_ptr<VerilatedContext> context_;
    std::unique_ptr<Model> model_;
};

}  // namespace

std::unique_ptr<GicRtlModel> GicRtlModel::create(unsigned ncpus, unsigned nspis) {
    if (ncpus < 1 || ncpus > kMaxCpus)
        throw std::invalid_argument("the GIC has 1 to 8 CPU interfaces, not " + std::to_string(ncpus));
    if (nspis > kMaxSpis) throw std::invalid_argument("the GIC has 0 to 988 SPIs, not " + std::to_string(nspis));
    if (nspis <= kSmallBuildSpis) return std::make_unique<Verilated<Voobsim_gic_s64, kSmallBuildSpis>>(ncpus, nspis);
    return std::make_unique<Verilated<Voobsim_gic_s988, kMaxSpis>>(ncpus, nspis);
}

}  // namespace oobsim::rtl
