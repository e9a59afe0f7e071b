# Building a C program against the interrupt pipeline (pipeline/) as oobsim firmware: the small kernel of
# firmware/pipeline/ (boot of every hart, trap entry, the arch layer over the GIC) plus the pipeline's sources,
# pipelined (default) or classic.
#
#   include(cmake/OobsimPipelineFirmware.cmake)     # once, after cmake/OobsimFirmware.cmake
#   oobsim_add_pipeline_firmware(<name> SOURCES <files...>
#                                [CLASSIC] [NO_TRACE] [NO_PIPELINE_DEBUG]
#                                [INCLUDE_DIRS <dirs...>] [DEFINES <defs...>] [LINKER_SCRIPT <file>])
#
# The program includes "kernel/kernel.h" (which brings pipeline/pipeline.h) and defines
# `int kernel_main(unsigned int cpu)`, called on every CPU; CPU 0's return value is the exit code.
#
#   CLASSIC            the same program on the classic kernel: no pipeline, local_irq_*() mask interrupts in the
#                      CPU, every handler runs in the trap with hard irqs off (defines KERNEL_CLASSIC).
#   NO_TRACE           the trace HINTs compiled out (same code otherwise: see firmware/pipeline/include/kernel/
#                      arch_rv32.h); for checking that tracing costs no cycle.
#   NO_PIPELINE_DEBUG  without the pipeline's debug checks (PIPELINE_DEBUG is on by default, as in the tests).
#
# Everything else is oobsim_add_firmware()'s (cmake/OobsimFirmware.cmake): the ELF is
# ${CMAKE_BINARY_DIR}/firmware/<name>.elf, its path in the target's ELF_FILE property; the target also gets
# PIPELINE_KERNEL = "pipelined" or "classic".

include_guard(GLOBAL)

if(NOT COMMAND oobsim_add_firmware)
    message(FATAL_ERROR "OobsimPipelineFirmware.cmake: include cmake/OobsimFirmware.cmake first")
endif()

set(OOBSIM_PIPELINE_SOURCES stage.c pipeline.c irqflags.c manage.c irq_work.c ipi.c xcall.c hooks.c
    CACHE INTERNAL "pipeline/ sources of the pipelined kernel")
# The classic kernel keeps the IRQ descriptors, reports and xcall and brings its own entry, protection, irq_work and
# IPIs.
set(OOBSIM_PIPELINE_CLASSIC_SOURCES stage.c manage.c xcall.c
    CACHE INTERNAL "pipeline/ sources of the classic kernel")
set(OOBSIM_KERNEL_SOURCES entry.S switch.S kernel.c arch.c sched.c kxcall.c oob.c
    CACHE INTERNAL "firmware/pipeline/ sources of both kernels")

function(oobsim_add_pipeline_firmware name)
    cmake_parse_arguments(PARSE_ARGV 1 PFW "CLASSIC;NO_TRACE;NO_PIPELINE_DEBUG" "LINKER_SCRIPT"
                          "SOURCES;INCLUDE_DIRS;DEFINES")
    if(PFW_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "oobsim_add_pipeline_firmware(${name}): unknown arguments: ${PFW_UNPARSED_ARGUMENTS}")
    endif()
    if(NOT PFW_SOURCES)
        message(FATAL_ERROR "oobsim_add_pipeline_firmware(${name}): no SOURCES given")
    endif()

    set(kernel_dir "${OOBSIM_FW_ROOT}/firmware/pipeline")
    set(pipeline_dir "${OOBSIM_FW_ROOT}/pipeline")
    set(sources ${PFW_SOURCES})
    foreach(src IN LISTS OOBSIM_KERNEL_SOURCES)
        list(APPEND sources "${kernel_dir}/${src}")
    endforeach()
    if(PFW_CLASSIC)
        list(APPEND sources "${kernel_dir}/classic.c")
        set(pipeline_sources ${OOBSIM_PIPELINE_CLASSIC_SOURCES})
        set(mode classic)
    else()
        set(pipeline_sources ${OOBSIM_PIPELINE_SOURCES})
        set(mode pipelined)
    endif()
    foreach(src IN LISTS pipeline_sources)
        list(APPEND sources "${pipeline_dir}/${src}")
    endforeach()

    set(defines ${PFW_DEFINES} "PIPELINE_ARCH_HEADER=\"kernel/arch_rv32.h\"")
    if(NOT PFW_NO_PIPELINE_DEBUG)
        list(APPEND defines PIPELINE_DEBUG)
    endif()
    if(PFW_CLASSIC)
        list(APPEND defines KERNEL_CLASSIC)
    endif()
    if(PFW_NO_TRACE)
        list(APPEND defines KERNEL_NO_TRACE)
    endif()

    set(extra)
    if(PFW_LINKER_SCRIPT)
        get_filename_component(script "${PFW_LINKER_SCRIPT}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
        set(extra LINKER_SCRIPT "${script}")
    endif()

    oobsim_add_firmware(${name}
        SOURCES ${sources}
        INCLUDE_DIRS ${PFW_INCLUDE_DIRS} "${kernel_dir}/include" "${pipeline_dir}/include"
        DEFINES ${defines}
        ${extra})
    set_property(TARGET ${name} PROPERTY PIPELINE_KERNEL ${mode})
endfunction()
