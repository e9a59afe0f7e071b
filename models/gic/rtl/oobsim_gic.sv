// The GICv2 of the platform in synthesizable SystemVerilog: the distributor and up to 8 CPU interfaces, with the
// feature set, register map, reset values and implementation choices of the C++ model (models/gic/gic_state.h,
// docs/platform.md). Every read value, every refused access and every interrupt output is that of GicState for the
// same sequence of accesses and line changes (tests/rtl/ checks it cycle by cycle).
//
// Timing: one clock per operation. A register access is presented for one cycle; its response (rsp_*) is
// combinational in that cycle, computed from the state before the access (a zero-wait-state APB-like slave), and its
// effects (GICC_IAR acknowledges too) are registered at the rising edge. Interrupt lines are sampled at every
// rising edge. Within one edge the access takes effect first, then the lines: a rising edge on an edge-triggered
// line pends the interrupt with the trigger mode the access left. The IRQ outputs (one per CPU interface) are
// combinational from the registered state only, so they change only at a rising edge; a cycle with no access and
// no line change changes nothing (the TLM wrapper may therefore clock the model only when something happens).
//
// Configuration: MAX_SPIS sizes the interrupt-line port and the loops that scan the SPIs; the CPU count and the SPI
// count actually present (the platform's --cpus and --spis) are straps sampled while rst_n is low, so one netlist
// serves every configuration up to its maximum. State of IDs that are not implemented is never set, so it never
// reaches a read or the arbitration.
//
// The active-priority state of each CPU interface is the GICv2 scheme of active priority bits (GICC_APRn): an
// interrupt is acknowledged only when its group priority is strictly higher than the running priority, so the
// acknowledged-but-not-ended interrupts have distinct priorities and form a stack ordered by priority; one bit per
// priority level (32 levels with 5 priority bits) records the stack, and the acknowledged IAR value is kept per
// level for the check of GICC_EOIR.
module oobsim_gic
  import oobsim_gic_pkg::*;
#(
  parameter int MAX_SPIS = ARCH_MAX_SPIS  // 1..988
) (
  input  logic                   clk,
  input  logic                   rst_n,              // synchronous, active low
  input  logic [3:0]             cfg_cpus,           // 1..8 CPU interfaces (sampled in reset)
  input  logic [9:0]             cfg_spis,           // 0..MAX_SPIS SPIs, IDs 32.. (sampled in reset)

  // Register bus: one access per cycle. req_dist selects the distributor window, otherwise the CPU-interface
  // window; req_cpu is the accessing CPU (banked registers, which CPU interface). Sizes 1, 2 and 4 bytes.
  input  logic                   req_valid,
  input  logic                   req_write,
  input  logic                   req_dist,
  input  logic [7:0]             req_cpu,
  input  logic [31:0]            req_addr,           // byte offset in the window
  input  logic [2:0]             req_size,
  input  logic [31:0]            req_wdata,          // in the low bits, as on the C++ model's interface
  output logic [31:0]            rsp_rdata,
  output rsp_e                   rsp_status,
  output misuse_e                rsp_misuse,
  output logic                   rsp_sgi_sent,       // a GICD_SGIR write sent an SGI to rsp_sgi_targets
  output logic [MAX_CPUS-1:0]    rsp_sgi_targets,
  output logic                   rsp_running_valid,  // the accessing CPU's running interrupt, for EOI reports
  output logic [12:0]            rsp_running_iar,

  // Interrupt inputs, level: SPI 32 + i is spi_lines[i]; CPU c's PPI 16 + k is ppi_lines[16 * c + k].
  input  logic [MAX_SPIS-1:0]    spi_lines,
  input  logic [16*MAX_CPUS-1:0] ppi_lines,
  output logic [MAX_CPUS-1:0]    irq,                // per CPU interface: an interrupt can be acknowledged now
  output logic [63:0]            ignored_writes,     // writes to read-only registers

  // Observation (traces, tests): the pending and active bits of IDs 32w..32w+31 as CPU obs_cpu sees them.
  input  logic [2:0]             obs_cpu,
  input  logic [4:0]             obs_word,
  output logic [31:0]            obs_pending,
  output logic [31:0]            obs_active
);

  if (MAX_SPIS < 1 || MAX_SPIS > ARCH_MAX_SPIS) begin : bad_max_spis
    $error("MAX_SPIS must be 1..%0d", ARCH_MAX_SPIS);
  end

  localparam int NIDS = 32 + MAX_SPIS;
  localparam int NWORDS = (NIDS + 31) / 32;  // words of 32 IDs in use; state arrays have all 32 (IDs 0..1023)

  typedef struct packed {
    logic [5:0] prio;  // priority level (priority >> 3); 32: no candidate
    logic [9:0] id;    // SPURIOUS with no candidate
  } choice_t;
  localparam choice_t NO_CHOICE = '{prio: 6'd32, id: SPURIOUS};

  // ---- State -------------------------------------------------------------------------------------------------------

  logic [3:0]  ncpus;
  logic [9:0]  nspis;
  logic [7:0]  cpu_mask;                    // the CPUs that exist
  logic [31:0] impl        [32];            // per word: the IDs that exist (IDs < 32 + nspis)
  logic        dist_en;
  // Banked per CPU: SGIs (0..15) and PPIs (16..31). SGIs are always enabled and edge-triggered; their pending
  // state is one bit per source CPU.
  logic [15:0] ppi_en      [MAX_CPUS];
  logic [15:0] ppi_latch   [MAX_CPUS];      // pended by an edge or GICD_ISPENDR0
  logic [15:0] ppi_edge    [MAX_CPUS];
  logic [15:0] ppi_level   [MAX_CPUS];      // the line as sampled
  logic [31:0] bank_active [MAX_CPUS];
  logic [31:0] bank_plane  [MAX_CPUS][5];   // priority levels as bit planes: bit b of plane k = bit k of ID b's
  logic [7:0]  sgi_src     [MAX_CPUS][16];
  // SPIs by word of 32 IDs (word 0 is the banked one and unused here).
  logic [31:0] spi_en      [32];
  logic [31:0] spi_latch   [32];
  logic [31:0] spi_active  [32];
  logic [31:0] spi_edge    [32];
  logic [31:0] spi_level   [32];
  logic [31:0] spi_tgt     [MAX_CPUS][32];  // bit b of [c][w]: ID 32w + b targets CPU c (GICD_ITARGETSR, by CPU)
  logic [31:0] spi_plane   [5][32];         // priority bit planes, as bank_plane
  // CPU interfaces.
  logic        cpu_en      [MAX_CPUS];
  logic [4:0]  pmr         [MAX_CPUS];      // GICC_PMR[7:3]
  logic [2:0]  bpr         [MAX_CPUS];      // 2..7
  logic [31:0] apr         [MAX_CPUS];      // active priority levels: bit l = an interrupt of priority 8l runs
  logic [12:0] ap_iar      [MAX_CPUS][32];  // the IAR value acknowledged at each active level
  logic [63:0] ignored_cnt;

  // ---- Helpers -----------------------------------------------------------------------------------------------------

  logic one_cpu;  // a uniprocessor GIC: GICD_ITARGETSRn are RAZ/WI and every SPI goes to CPU 0
  assign one_cpu = ncpus == 4'd1;

  function automatic logic [31:0] impl_mask_for(logic [9:0] spis, int w);
    int end_id = 32 + int'(spis);
    if (w == 0 || end_id >= 32 * (w + 1)) return '1;
    if (end_id <= 32 * w) return '0;
    return (32'd1 << (end_id - 32 * w)) - 32'd1;
  endfunction

  function automatic logic implemented(logic [9:0] id);
    return impl[id[9:5]][id[4:0]];
  endfunction

  // The lowest set bit of a non-zero value, by halving (a priority encoder).
  function automatic logic [4:0] lowest_set32(logic [31:0] v);
    logic [31:0] x = v;
    logic [4:0] i = '0;
    if (x[15:0] == '0) begin i[4] = 1'b1; x = x >> 16; end
    if (x[7:0] == '0)  begin i[3] = 1'b1; x = x >> 8;  end
    if (x[3:0] == '0)  begin i[2] = 1'b1; x = x >> 4;  end
    if (x[1:0] == '0)  begin i[1] = 1'b1; x = x >> 2;  end
    if (!x[0])         i[0] = 1'b1;
    return i;
  endfunction

  function automatic logic [2:0] lowest_set8(logic [7:0] v);
    logic [7:0] x = v;
    logic [2:0] i = '0;
    if (x[3:0] == '0) begin i[2] = 1'b1; x = x >> 4; end
    if (x[1:0] == '0) begin i[1] = 1'b1; x = x >> 2; end
    if (!x[0])        i[0] = 1'b1;
    return i;
  endfunction

  function automatic logic [15:0] sgi_pending(logic [2:0] c);
    logic [15:0] p;
    for (int s = 0; s < 16; s++) p[s] = |sgi_src[c][s];
    return p;
  endfunction

  // Pending: latched (an edge, GICD_ISPENDR) or, level-sensitive, the line is high; SGIs: from any source.
  function automatic logic [31:0] raw_pending(logic [2:0] c, logic [4:0] w);
    if (w == 5'd0) return {ppi_latch[c] | (ppi_level[c] & ~ppi_edge[c]), sgi_pending(c)};
    return spi_latch[w] | (spi_level[w] & ~spi_edge[w]);
  endfunction

  function automatic logic [31:0] pending_word(logic [2:0] c, logic [4:0] w);
    return raw_pending(c, w) & impl[w];
  endfunction

  function automatic logic [31:0] active_word(logic [2:0] c, logic [4:0] w);
    return (w == 5'd0 ? bank_active[c] : spi_active[w]) & impl[w];
  endfunction

  function automatic logic [31:0] plane(logic [2:0] c, logic [4:0] w, logic [2:0] k);
    return w == 5'd0 ? bank_plane[c][k] : spi_plane[k][w];
  endfunction

  function automatic logic [4:0] level_of(logic [2:0] c, logic [9:0] id);
    logic [4:0] l;
    logic [31:0] bits;
    for (int k = 0; k < 5; k++) begin
      bits = plane(c, id[9:5], 3'(k));
      l[k] = bits[id[4:0]];
    end
    return l;
  endfunction

  // What the distributor may forward to CPU c in word w: pending, enabled, not active, targeted at c.
  function automatic logic [31:0] candidates(logic [2:0] c, logic [4:0] w);
    if (w == 5'd0) return raw_pending(c, w) & {ppi_en[c], 16'hffff} & ~bank_active[c];
    return raw_pending(c, w) & spi_en[w] & ~spi_active[w] & (one_cpu ? '1 : spi_tgt[c][w]);
  endfunction

  // The highest-priority candidate (lowest level), the lowest ID among equals. In each word with candidates, the
  // bit planes are searched from the top: keeping the candidates with a 0 in the plane, when there are any, leaves
  // those of the lowest level. Words are visited in ID order and replace the best only with a strictly lower level.
  function automatic choice_t highest_pending(logic [2:0] c);
    logic [5:0]  best_level = 6'd32;
    logic [4:0]  best_word = '0;
    logic [31:0] best_set = '0;
    logic [31:0] cand, zeros;
    logic [4:0]  level;
    for (int w = 0; w < NWORDS; w++) begin
      cand = candidates(c, 5'(w));
      if (cand != '0) begin
        for (int k = 4; k >= 0; k--) begin
          zeros = cand & ~plane(c, 5'(w), 3'(k));
          level[k] = zeros == '0;
          if (zeros != '0) cand = zeros;
        end
        if ({1'b0, level} < best_level) begin
          best_level = {1'b0, level};
          best_word = 5'(w);
          best_set = cand;
        end
      end
    end
    if (best_level == 6'd32) return NO_CHOICE;
    return '{prio: best_level, id: {best_word, lowest_set32(best_set)}};
  endfunction

  // The group-priority bits of a priority level: those above the binary point (BPR 2: all 5, BPR 7: none).
  function automatic logic [4:0] group_mask(logic [2:0] b);
    return 5'(6'h1f << (b - 3'd2));
  endfunction

  // ---- CPU interfaces: what each would signal ----------------------------------------------------------------------

  choice_t     best     [MAX_CPUS];
  logic [2:0]  best_src [MAX_CPUS];  // the lowest source CPU of an SGI
  logic [12:0] best_iar [MAX_CPUS];
  logic [4:0]  running  [MAX_CPUS];  // the running priority level, when not idle
  logic        idle     [MAX_CPUS];
  logic        hpp_ok   [MAX_CPUS];  // best[c] passes the mask (GICC_HPPIR, which ignores preemption)
  logic        signal   [MAX_CPUS];  // ... and preempts: the IRQ output, and what GICC_IAR acknowledges

  always_comb begin
    for (int c = 0; c < MAX_CPUS; c++) begin
      best[c] = (dist_en && 4'(c) < ncpus) ? highest_pending(3'(c)) : NO_CHOICE;
      best_src[c] = lowest_set8(sgi_src[c][best[c].id[3:0]]);
      best_iar[c] = {best[c].id < 10'd16 ? best_src[c] : 3'd0, best[c].id};
      idle[c] = apr[c] == '0;
      running[c] = lowest_set32(apr[c]);
      hpp_ok[c] = cpu_en[c] && best[c].prio != 6'd32 && best[c].prio[4:0] < pmr[c];
      signal[c] = hpp_ok[c] &&
                  (idle[c] || (best[c].prio[4:0] & group_mask(bpr[c])) < (running[c] & group_mask(bpr[c])));
      irq[c] = signal[c];
    end
  end

  // ---- Register decode ---------------------------------------------------------------------------------------------

  logic [11:0] off;
  logic [2:0]  cpu;
  assign off = req_addr[11:0];
  assign cpu = req_cpu[2:0];

  reg_e       dec_reg;
  access_e    dec_acc;
  logic       dec_bytes;  // byte accesses allowed as well as words
  logic [7:0] dec_n;      // the register's number in its array
  rsp_e       status;

  always_comb begin
    dec_reg = REG_NONE;
    dec_acc = ACC_RW;
    dec_bytes = 1'b0;
    dec_n = '0;
    if (req_addr[31:12] == '0) begin
      if (req_dist) begin
        if (off[11:2] == 10'h000) begin
          dec_reg = REG_D_CTLR;
        end else if (off[11:2] == 10'h001) begin
          dec_reg = REG_D_TYPER;
          dec_acc = ACC_RO;
        end else if (off[11:2] == 10'h002) begin
          dec_reg = REG_D_IIDR;
          dec_acc = ACC_RO;
        end else if (off[11:7] == 5'h01) begin  // 0x080: GICD_IGROUPRn, every interrupt is Group 0
          dec_reg = REG_ZERO;
          dec_acc = ACC_RAZ_WI;
        end else if (off[11:7] >= 5'h02 && off[11:7] <= 5'h07) begin  // 0x100..0x3ff: enable, pending, active
          case (off[9:7])
            3'd2: dec_reg = REG_D_ISENABLER;
            3'd3: dec_reg = REG_D_ICENABLER;
            3'd4: dec_reg = REG_D_ISPENDR;
            3'd5: dec_reg = REG_D_ICPENDR;
            3'd6: dec_reg = REG_D_ISACTIVER;
            default: dec_reg = REG_D_ICACTIVER;
          endcase
          dec_n = {3'b0, off[6:2]};
        end else if (off[11:10] == 2'b01 && off[9:2] != 8'hff) begin  // 0x400..0x7fb (0x7fc: IDs 1020..1023)
          dec_reg = REG_D_IPRIORITYR;
          dec_bytes = 1'b1;
          dec_n = off[9:2];
        end else if (off[11:10] == 2'b10 && off[9:2] != 8'hff) begin  // 0x800..0xbfb
          dec_bytes = 1'b1;
          dec_n = off[9:2];
          if (one_cpu) begin
            dec_reg = REG_ZERO;
            dec_acc = ACC_RAZ_WI;
          end else if (off[9:5] == 5'd0) begin
            dec_reg = REG_D_ITARGETSR_PRIV;
            dec_acc = ACC_RO;
          end else begin
            dec_reg = REG_D_ITARGETSR_SPI;
          end
        end else if (off[11:8] == 4'hc) begin  // 0xc00..0xcff
          dec_n = {2'b0, off[7:2]};
          if (off[7:2] == 6'd0) begin
            dec_reg = REG_D_ICFGR0;
            dec_acc = ACC_RO;
          end else begin
            dec_reg = REG_D_ICFGR;
          end
        end else if (off[11:2] == 10'h3c0) begin  // 0xf00
          dec_reg = REG_D_SGIR;
          dec_acc = ACC_WO;
        end else if (off[11:4] == 8'hf1 || off[11:4] == 8'hf2) begin  // 0xf10, 0xf20
          dec_reg = off[5] ? REG_D_SPENDSGIR : REG_D_CPENDSGIR;
          dec_bytes = 1'b1;
          dec_n = {6'b0, off[3:2]};
        end else if (off[11:2] == 10'h3fa) begin  // 0xfe8
          dec_reg = REG_D_ICPIDR2;
          dec_acc = ACC_RO;
        end else if (off[11:4] == 8'hfd || off[11:4] == 8'hfe || off[11:4] == 8'hff) begin  // other ID registers
          dec_reg = REG_ZERO;
          dec_acc = ACC_RO;
        end
      end else begin
        case (off[11:2])
          10'h000: dec_reg = REG_C_CTLR;
          10'h001: dec_reg = REG_C_PMR;
          10'h002: dec_reg = REG_C_BPR;
          10'h003: begin dec_reg = REG_C_IAR; dec_acc = ACC_RO; end
          10'h004: begin dec_reg = REG_C_EOIR; dec_acc = ACC_WO; end
          10'h005: begin dec_reg = REG_C_RPR; dec_acc = ACC_RO; end
          10'h006: begin dec_reg = REG_C_HPPIR; dec_acc = ACC_RO; end
          10'h03f: begin dec_reg = REG_C_IIDR; dec_acc = ACC_RO; end
          default: ;
        endcase
      end
    end

    if (req_cpu >= {4'b0, ncpus}) status = RSP_NO_CPU_IF;
    else if (req_size != 3'd1 && req_size != 3'd2 && req_size != 3'd4) status = RSP_BAD_SIZE;
    else if ((req_size == 3'd2 && req_addr[0]) || (req_size == 3'd4 && req_addr[1:0] != 2'd0)) status = RSP_MISALIGNED;
    else if (dec_reg == REG_NONE) status = RSP_NO_REGISTER;
    else if (req_size == 3'd2 || (req_size == 3'd1 && !dec_bytes)) status = RSP_BAD_WIDTH;
    else status = RSP_OK;
  end

  // Byte lanes: a word, or the addressed byte.
  logic [4:0]  shift;
  logic [3:0]  lanes;
  logic [31:0] lane_bits;
  logic [31:0] wv;  // the write data in its lanes
  assign shift = {off[1:0], 3'b000};
  assign lanes = req_size == 3'd4 ? 4'hf : 4'b0001 << off[1:0];
  assign lane_bits = {{8{lanes[3]}}, {8{lanes[2]}}, {8{lanes[1]}}, {8{lanes[0]}}};
  assign wv = (req_wdata << shift) & lane_bits;

  logic access, rd, do_write, ro_write;
  assign access = req_valid && status == RSP_OK;
  assign rd = access && !req_write;
  assign do_write = access && req_write && (dec_acc == ACC_RW || dec_acc == ACC_WO);
  assign ro_write = access && req_write && dec_acc == ACC_RO;

  // ---- Read values -------------------------------------------------------------------------------------------------

  function automatic logic [9:0] byte_id(logic [7:0] n, logic [1:0] k);  // byte k of a byte-per-ID register
    return {n, k};
  endfunction

  function automatic logic [31:0] priority_bytes(logic [2:0] c, logic [7:0] n);
    logic [31:0] v = '0;
    for (int k = 0; k < 4; k++)
      if (implemented(byte_id(n, 2'(k)))) v[8 * k +: 8] = {level_of(c, byte_id(n, 2'(k))), 3'b000};
    return v;
  endfunction

  function automatic logic [31:0] target_bytes(logic [7:0] n);
    logic [31:0] v = '0;
    for (int k = 0; k < 4; k++)
      if (implemented(byte_id(n, 2'(k))))
        for (int j = 0; j < MAX_CPUS; j++) v[8 * k + j] = spi_tgt[j][n[7:3]][{n[2:0], 2'(k)}];
    return v;
  endfunction

  // GICD_ICFGRn: IDs 16n..16n+15, two bits each; the high bit is the edge bit, the low one RAZ/WI.
  function automatic logic [31:0] config_bits(logic [2:0] c, logic [5:0] n);
    logic [31:0] edges = (n[5:1] == 5'd0 ? {ppi_edge[c], 16'hffff} : spi_edge[n[5:1]]) & impl[n[5:1]];
    logic [31:0] v = '0;
    for (int k = 0; k < 16; k++) v[2 * k + 1] = edges[16 * int'(n[0]) + k];
    return v;
  endfunction

  logic [31:0] reg_value;
  always_comb begin
    case (dec_reg)
      REG_D_CTLR:           reg_value = {31'b0, dist_en};
      REG_D_TYPER:          reg_value = {24'b0, 3'(ncpus - 4'd1), 5'((11'(nspis) + 11'd31) >> 5)};
      REG_D_IIDR:           reg_value = GICD_IIDR_VALUE;
      REG_D_ISENABLER,
      REG_D_ICENABLER:      reg_value = (dec_n[4:0] == 5'd0 ? {ppi_en[cpu], 16'hffff} : spi_en[dec_n[4:0]]) &
                                        impl[dec_n[4:0]];
      REG_D_ISPENDR,
      REG_D_ICPENDR:        reg_value = pending_word(cpu, dec_n[4:0]);
      REG_D_ISACTIVER,
      REG_D_ICACTIVER:      reg_value = active_word(cpu, dec_n[4:0]);
      REG_D_IPRIORITYR:     reg_value = priority_bytes(cpu, dec_n);
      REG_D_ITARGETSR_PRIV: reg_value = 32'h0101_0101 << cpu;
      REG_D_ITARGETSR_SPI:  reg_value = target_bytes(dec_n);
      REG_D_ICFGR0:         reg_value = 32'haaaa_aaaa;
      REG_D_ICFGR:          reg_value = config_bits(cpu, dec_n[5:0]);
      REG_D_CPENDSGIR,
      REG_D_SPENDSGIR:      reg_value = {sgi_src[cpu][{dec_n[1:0], 2'd3}], sgi_src[cpu][{dec_n[1:0], 2'd2}],
                                         sgi_src[cpu][{dec_n[1:0], 2'd1}], sgi_src[cpu][{dec_n[1:0], 2'd0}]};
      REG_D_ICPIDR2:        reg_value = ICPIDR2_VALUE;
      REG_C_CTLR:           reg_value = {31'b0, cpu_en[cpu]};
      REG_C_PMR:            reg_value = {24'b0, pmr[cpu], 3'b000};
      REG_C_BPR:            reg_value = {29'b0, bpr[cpu]};
      REG_C_IAR:            reg_value = {19'b0, signal[cpu] ? best_iar[cpu] : {3'b0, SPURIOUS}};
      REG_C_RPR:            reg_value = {24'b0, idle[cpu] ? 8'hff : {running[cpu], 3'b000}};
      REG_C_HPPIR:          reg_value = {19'b0, hpp_ok[cpu] ? best_iar[cpu] : {3'b0, SPURIOUS}};
      REG_C_IIDR:           reg_value = GICC_IIDR_VALUE;
      default:              reg_value = '0;  // REG_ZERO, the write-only GICD_SGIR and GICC_EOIR
    endcase
  end

  assign rsp_rdata = (rd && dec_acc != ACC_WO && dec_acc != ACC_RAZ_WI) ? (reg_value & lane_bits) >> shift : '0;
  assign rsp_status = req_valid ? status : RSP_OK;

  // ---- Effects of the access decided combinationally ---------------------------------------------------------------

  // GICD_SGIR: TargetListFilter 0 the list, 1 every other CPU, 2 the writer, 3 reserved. CPUs that do not exist are
  // dropped from the list.
  logic       sgi_write, sgi_reserved;
  logic [7:0] sgi_list;
  assign sgi_write = do_write && dec_reg == REG_D_SGIR;
  assign sgi_reserved = wv[25:24] == 2'd3;
  always_comb begin
    case (wv[25:24])
      2'd0:    sgi_list = wv[23:16] & cpu_mask;
      2'd1:    sgi_list = ~(8'd1 << cpu) & cpu_mask;
      default: sgi_list = (8'd1 << cpu) & cpu_mask;
    endcase
  end
  assign rsp_sgi_sent = sgi_write && !sgi_reserved;
  assign rsp_sgi_targets = sgi_list;

  // GICC_EOIR must name the running interrupt (with an SGI's source); 1020..1023 are ignored silently.
  logic        eoi_write, eoi_special, eoi_match;
  logic [12:0] eoi_expected;
  assign eoi_write = do_write && dec_reg == REG_C_EOIR;
  assign eoi_special = wv[9:0] >= 10'd1020;
  assign eoi_expected = wv[9:0] < 10'd16 ? wv[12:0] : {3'b000, wv[9:0]};
  assign eoi_match = !idle[cpu] && ap_iar[cpu][running[cpu]] == eoi_expected;
  assign rsp_running_valid = !idle[cpu];
  assign rsp_running_iar = ap_iar[cpu][running[cpu]];

  // A GICC_IAR read that acknowledges best[cpu].
  logic       ack;
  logic [9:0] ack_id;
  logic [4:0] ack_level;
  assign ack = rd && dec_reg == REG_C_IAR && signal[cpu];
  assign ack_id = best[cpu].id;
  assign ack_level = best[cpu].prio[4:0];

  always_comb begin
    if (ro_write) rsp_misuse = MISUSE_RO_WRITE;
    else if (eoi_write && !eoi_special && !eoi_match) rsp_misuse = MISUSE_EOI_MISMATCH;
    else if (sgi_write && sgi_reserved) rsp_misuse = MISUSE_SGI_FILTER;
    else rsp_misuse = MISUSE_NONE;
  end

  assign ignored_writes = ignored_cnt;
  assign obs_pending = pending_word(obs_cpu, obs_word);
  assign obs_active = active_word(obs_cpu, obs_word);

  // What the access does to the state the lines change too (the latched pending bits and the trigger modes), for
  // word pend_word / cfg_word; the ack's latch clear is the IAR's.
  logic        pend_set, pend_clr, cfg_write;
  logic [4:0]  pend_word, cfg_word;
  logic [31:0] cfg_edges, cfg_mask;
  assign pend_set = do_write && dec_reg == REG_D_ISPENDR;
  assign pend_clr = do_write && dec_reg == REG_D_ICPENDR;
  assign pend_word = dec_n[4:0];
  assign cfg_write = do_write && dec_reg == REG_D_ICFGR;
  assign cfg_word = dec_n[5:1];
  always_comb begin
    cfg_edges = '0;
    for (int k = 0; k < 16; k++) cfg_edges[16 * int'(dec_n[0]) + k] = wv[2 * k + 1];
    cfg_mask = (dec_n[0] ? 32'hffff_0000 : 32'h0000_ffff) & impl[cfg_word];
  end

  // ---- Registers ---------------------------------------------------------------------------------------------------

  // The SPI lines in words of 32 IDs, from word 1 (IDs 32..63).
  logic [32*(NWORDS-1)-1:0] spi_lines_by_word;
  assign spi_lines_by_word = (32 * (NWORDS - 1))'(spi_lines);

  // Per SPI word: the sampled lines, the trigger mode and the latched pending state; the access first, then the
  // lines, so an edge pends with the trigger mode the access left. Words 0 (banked, below) and NWORDS.. (no IDs)
  // have none: every read of them is masked by impl.
  for (genvar gw = 1; gw < NWORDS; gw++) begin : spi_word
    logic [31:0] lines, edges, latched;
    assign lines = spi_lines_by_word[32 * (gw - 1) +: 32] & impl[gw];
    assign edges = cfg_write && cfg_word == 5'(gw) ? (spi_edge[gw] & ~cfg_mask) | (cfg_edges & cfg_mask)
                                                    : spi_edge[gw];
    assign latched = (spi_latch[gw] | (pend_set && pend_word == 5'(gw) ? wv & impl[gw] : '0)) &
                     ~(pend_clr && pend_word == 5'(gw) ? wv & impl[gw] : '0) &
                     ~(ack && ack_id[9:5] == 5'(gw) ? 32'd1 << ack_id[4:0] : '0);
    always_ff @(posedge clk) begin
      if (!rst_n) begin
        spi_level[gw] <= '0;
        spi_edge[gw] <= '0;  // SPIs reset to level-sensitive
        spi_latch[gw] <= '0;
      end else begin
        spi_level[gw] <= lines;
        spi_edge[gw] <= edges;
        spi_latch[gw] <= latched | (lines & ~spi_level[gw] & edges);
      end
    end
  end

  // The same for each CPU's PPIs.
  for (genvar gc = 0; gc < MAX_CPUS; gc++) begin : ppi_bank
    logic [15:0] lines, edges, latched;
    logic        own;  // the access is this CPU's
    assign own = cpu == 3'(gc);
    assign lines = ppi_lines[16 * gc +: 16];
    assign edges = cfg_write && own && cfg_word == 5'd0 ? cfg_edges[31:16] : ppi_edge[gc];
    assign latched = (ppi_latch[gc] | (pend_set && own && pend_word == 5'd0 ? wv[31:16] : '0)) &
                     ~(pend_clr && own && pend_word == 5'd0 ? wv[31:16] : '0) &
                     ~(ack && own && ack_id >= 10'd16 && ack_id < 10'd32 ? 16'd1 << ack_id[3:0] : '0);
    always_ff @(posedge clk) begin
      if (!rst_n) begin
        ppi_level[gc] <= '0;
        ppi_edge[gc] <= '0;  // PPIs reset to level-sensitive
        ppi_latch[gc] <= '0;
      end else begin
        ppi_level[gc] <= lines;
        ppi_edge[gc] <= edges;
        ppi_latch[gc] <= latched | (lines & ~ppi_level[gc] & edges);
      end
    end
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      ncpus <= cfg_cpus == 4'd0 ? 4'd1 : (cfg_cpus > 4'(MAX_CPUS) ? 4'(MAX_CPUS) : cfg_cpus);
      nspis <= cfg_spis > 10'(MAX_SPIS) ? 10'(MAX_SPIS) : cfg_spis;
      cpu_mask <= cfg_cpus == 4'd0 ? 8'd1 : 8'((9'd1 << (cfg_cpus > 4'(MAX_CPUS) ? 4'(MAX_CPUS) : cfg_cpus)) - 9'd1);
      for (int w = 0; w < 32; w++)
        impl[w] <= impl_mask_for(cfg_spis > 10'(MAX_SPIS) ? 10'(MAX_SPIS) : cfg_spis, w);
      dist_en <= 1'b0;
      ignored_cnt <= '0;
      for (int c = 0; c < MAX_CPUS; c++) begin
        ppi_en[c] <= '0;
        bank_active[c] <= '0;
        for (int k = 0; k < 5; k++) bank_plane[c][k] <= '0;
        for (int s = 0; s < 16; s++) sgi_src[c][s] <= '0;
        for (int w = 0; w < 32; w++) spi_tgt[c][w] <= '0;
        cpu_en[c] <= 1'b0;
        pmr[c] <= '0;
        bpr[c] <= 3'd2;
        apr[c] <= '0;
        for (int l = 0; l < 32; l++) ap_iar[c][l] <= '0;
      end
      for (int w = 0; w < 32; w++) begin
        spi_en[w] <= '0;
        spi_active[w] <= '0;
      end
      for (int k = 0; k < 5; k++)
        for (int w = 0; w < 32; w++) spi_plane[k][w] <= '0;
    end else begin
      if (ro_write) ignored_cnt <= ignored_cnt + 64'd1;

      if (do_write) begin
        case (dec_reg)
          REG_D_CTLR: dist_en <= wv[0];
          // The SGI bits of the enable registers are read-only (SGIs are always enabled).
          REG_D_ISENABLER:
            if (dec_n == 8'd0) ppi_en[cpu] <= ppi_en[cpu] | wv[31:16];
            else spi_en[dec_n[4:0]] <= spi_en[dec_n[4:0]] | (wv & impl[dec_n[4:0]]);
          REG_D_ICENABLER:
            if (dec_n == 8'd0) ppi_en[cpu] <= ppi_en[cpu] & ~wv[31:16];
            else spi_en[dec_n[4:0]] <= spi_en[dec_n[4:0]] & ~(wv & impl[dec_n[4:0]]);
          // Active bits can be set and cleared (save and restore); the running priority is not changed by them.
          REG_D_ISACTIVER:
            if (dec_n == 8'd0) bank_active[cpu] <= bank_active[cpu] | wv;
            else spi_active[dec_n[4:0]] <= spi_active[dec_n[4:0]] | (wv & impl[dec_n[4:0]]);
          REG_D_ICACTIVER:
            if (dec_n == 8'd0) bank_active[cpu] <= bank_active[cpu] & ~wv;
            else spi_active[dec_n[4:0]] <= spi_active[dec_n[4:0]] & ~(wv & impl[dec_n[4:0]]);
          REG_D_IPRIORITYR:
            for (int k = 0; k < 4; k++)
              if (lanes[k] && implemented(byte_id(dec_n, 2'(k))))
                for (int p = 0; p < 5; p++)
                  if (dec_n < 8'd8) bank_plane[cpu][p][{dec_n[2:0], 2'(k)}] <= wv[8 * k + 3 + p];
                  else spi_plane[p][dec_n[7:3]][{dec_n[2:0], 2'(k)}] <= wv[8 * k + 3 + p];
          REG_D_ITARGETSR_SPI:
            for (int k = 0; k < 4; k++)
              if (lanes[k] && implemented(byte_id(dec_n, 2'(k))))
                for (int j = 0; j < MAX_CPUS; j++)
                  spi_tgt[j][dec_n[7:3]][{dec_n[2:0], 2'(k)}] <= wv[8 * k + j] & cpu_mask[j];
          REG_D_SGIR:
            if (!sgi_reserved)
              for (int t = 0; t < MAX_CPUS; t++)
                if (sgi_list[t]) sgi_src[t][wv[3:0]][cpu] <= 1'b1;
          REG_D_CPENDSGIR:
            for (int k = 0; k < 4; k++)
              if (lanes[k]) sgi_src[cpu][{dec_n[1:0], 2'(k)}] <= sgi_src[cpu][{dec_n[1:0], 2'(k)}] & ~wv[8 * k +: 8];
          REG_D_SPENDSGIR:
            for (int k = 0; k < 4; k++)
              if (lanes[k])
                sgi_src[cpu][{dec_n[1:0], 2'(k)}] <= sgi_src[cpu][{dec_n[1:0], 2'(k)}] | (wv[8 * k +: 8] & cpu_mask);
          REG_C_CTLR: cpu_en[cpu] <= wv[0];
          REG_C_PMR: pmr[cpu] <= wv[7:3];
          REG_C_BPR: bpr[cpu] <= wv[2:0] < 3'd2 ? 3'd2 : wv[2:0];  // below the minimum reads as the minimum
          // Priority drop and deactivation of the running interrupt.
          REG_C_EOIR:
            if (!eoi_special && eoi_match) begin
              apr[cpu][running[cpu]] <= 1'b0;
              if (wv[9:0] < 10'd32) bank_active[cpu][wv[4:0]] <= 1'b0;
              else spi_active[wv[9:5]][wv[4:0]] <= 1'b0;
            end
          default: ;  // GICD_ICFGRn and GICD_I[SC]PENDRn: with the lines, above
        endcase
      end

      // GICC_IAR: pending -> active (and pending, while a level line is high or another source has the SGI).
      if (ack) begin
        apr[cpu][ack_level] <= 1'b1;
        ap_iar[cpu][ack_level] <= best_iar[cpu];
        if (ack_id < 10'd16) sgi_src[cpu][ack_id[3:0]][best_src[cpu]] <= 1'b0;
        if (ack_id < 10'd32) bank_active[cpu][ack_id[4:0]] <= 1'b1;
        else spi_active[ack_id[9:5]][ack_id[4:0]] <= 1'b1;
      end
    end
  end

endmodule
