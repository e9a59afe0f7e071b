// Interrupt wiring between devices: a device that raises interrupts holds a pointer to the interrupt controller
// (the GIC) through this interface and drives lines by number, from its device events (DeviceEvent, models/cpu/
// cluster.h: run by the scheduler at their exact cycle) or from a register access.
#pragma once

namespace oobsim {

class IrqController {
public:
    virtual ~IrqController() = default;
    // A shared peripheral interrupt line (GIC ID 32 and up) goes to `level`.
    virtual void set_spi(unsigned id, bool level) = 0;
    // A private peripheral interrupt line (GIC ID 16..31) of one CPU goes to `level`.
    virtual void set_ppi(unsigned cpu, unsigned id, bool level) = 0;
};

}  // namespace oobsim
