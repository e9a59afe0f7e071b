// Constants and response codes of the RTL GICv2 (oobsim_gic.sv). The register offsets are those of
// sim/memory_map.h; the identification values and the implementation choices are those of models/gic/gic_state.h.
package oobsim_gic_pkg;

  localparam int MAX_CPUS = 8;             // GICv2: at most 8 CPU interfaces
  localparam int ARCH_MAX_SPIS = 988;      // IDs 32..1019; 1020..1023 are special
  localparam logic [9:0] SPURIOUS = 10'd1023;

  localparam logic [31:0] GICD_IIDR_VALUE = 32'h0100_0000;
  localparam logic [31:0] GICC_IIDR_VALUE = 32'h0012_0000;
  localparam logic [31:0] ICPIDR2_VALUE = 32'h0000_0020;

  // How an access ended. Anything but RSP_OK is refused (a bus error for the core); the order is that in which
  // GicState checks (gic_state.cpp: read/write, decode).
  typedef enum logic [2:0] {
    RSP_OK          = 3'd0,
    RSP_NO_CPU_IF   = 3'd1,  // the accessing CPU has no CPU interface (either window)
    RSP_BAD_SIZE    = 3'd2,  // not 1, 2 or 4 bytes
    RSP_MISALIGNED  = 3'd3,
    RSP_NO_REGISTER = 3'd4,  // reserved offset, or a register that is not implemented
    RSP_BAD_WIDTH   = 3'd5   // 2 bytes, or 1 byte to a register that takes words only
  } rsp_e;

  // Guest mistakes the access completes despite (GicState::Misuse).
  typedef enum logic [1:0] {
    MISUSE_NONE         = 2'd0,
    MISUSE_RO_WRITE     = 2'd1,  // write to a read-only register: ignored and counted
    MISUSE_EOI_MISMATCH = 2'd2,  // GICC_EOIR names another interrupt than the running one: ignored
    MISUSE_SGI_FILTER   = 2'd3   // GICD_SGIR with the reserved TargetListFilter 3: no SGI sent
  } misuse_e;

  // How a register answers (GicState::Access).
  typedef enum logic [1:0] {
    ACC_RW     = 2'd0,
    ACC_RO     = 2'd1,
    ACC_WO     = 2'd2,  // reads 0
    ACC_RAZ_WI = 2'd3
  } access_e;

  // The decoded register. Several reserved-looking ranges decode to REG_ZERO (read-only, reads 0) or to RAZ/WI
  // registers: they exist, so they are not refused.
  typedef enum logic [4:0] {
    REG_NONE,
    REG_ZERO,              // GICD_IGROUPRn (RAZ/WI), ITARGETSRn with one CPU (RAZ/WI), ICPIDRn/ICCIDRn (RO 0),
                           // GICD_SGIR and GICC_EOIR reads (write-only)
    REG_D_CTLR,
    REG_D_TYPER,
    REG_D_IIDR,
    REG_D_ISENABLER,
    REG_D_ICENABLER,
    REG_D_ISPENDR,
    REG_D_ICPENDR,
    REG_D_ISACTIVER,
    REG_D_ICACTIVER,
    REG_D_IPRIORITYR,
    REG_D_ITARGETSR_PRIV,  // n < 8: read-only, the reading CPU's bit in every byte
    REG_D_ITARGETSR_SPI,
    REG_D_ICFGR0,          // read-only 0xaaaaaaaa: SGIs are edge-triggered
    REG_D_ICFGR,
    REG_D_SGIR,
    REG_D_CPENDSGIR,
    REG_D_SPENDSGIR,
    REG_D_ICPIDR2,
    REG_C_CTLR,
    REG_C_PMR,
    REG_C_BPR,
    REG_C_IAR,
    REG_C_EOIR,
    REG_C_RPR,
    REG_C_HPPIR,
    REG_C_IIDR
  } reg_e;

endpackage
