# Cross-building the guest firmware (RV32IMA, machine mode) for oobsim.
#
# The firmware is built with the Debian riscv64-unknown-elf toolchain through custom commands rather than a second
# CMake project or a toolchain file: the host build stays a plain C++ project, and a firmware is just another target
# whose ELF the simulator's tests can name.
#
#   include(cmake/OobsimFirmware.cmake)
#   oobsim_add_firmware(<name> SOURCES <files...>
#                       [INCLUDE_DIRS <dirs...>] [DEFINES <defs...>]
#                       [LINKER_SCRIPT <file>] [NO_RUNTIME])
#
# builds ${CMAKE_BINARY_DIR}/firmware/<name>.elf (plus <name>.map) from a target <name> that is part of ALL.
# The ELF path is on the target: get_property(elf TARGET <name> PROPERTY ELF_FILE).
# Relative SOURCES, INCLUDE_DIRS and LINKER_SCRIPT are taken from the calling CMakeLists.txt's directory.
# Unless NO_RUNTIME is given, the runtime in firmware/ (start-up code, trap entry, console, string functions) is
# compiled into the firmware; with NO_RUNTIME the sources must provide _start themselves.

include_guard(GLOBAL)

# Commands made by function() run with the policies in force where the function is defined, so this pins the
# behaviour of the add_custom_command() calls below (DEPFILE handling, CMP0116) whatever the includer asked for.
cmake_policy(VERSION 3.25)

# Cached (internal) rather than plain variables, so oobsim_add_firmware() works from any directory, not only from
# those below the one that included this file.
get_filename_component(_oobsim_fw_root "${CMAKE_CURRENT_LIST_DIR}/.." REALPATH)
set(OOBSIM_FW_ROOT "${_oobsim_fw_root}" CACHE INTERNAL "oobsim source tree, for the firmware build")
unset(_oobsim_fw_root)

find_program(OOBSIM_FW_CC NAMES riscv64-unknown-elf-gcc DOC "RISC-V cross compiler for the oobsim firmware")
if(NOT OOBSIM_FW_CC)
    message(FATAL_ERROR
        "oobsim: the RISC-V cross compiler riscv64-unknown-elf-gcc was not found, so the firmware cannot be built.\n"
        "Run scripts/setup.sh (it installs Debian's gcc-riscv64-unknown-elf and picolibc-riscv64-unknown-elf), "
        "then configure again.")
endif()

# Debian ships no rv32ima multilib; rv32im's libgcc has the same ABI (ilp32) and only lacks code we never ask it
# for (atomics are inline AMOs in our headers), so it supplies the 64-bit division and friends.
execute_process(
    COMMAND "${OOBSIM_FW_CC}" -march=rv32im -mabi=ilp32 -print-libgcc-file-name
    OUTPUT_VARIABLE _oobsim_fw_libgcc
    OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE _oobsim_fw_rc)
if(NOT _oobsim_fw_rc EQUAL 0 OR NOT EXISTS "${_oobsim_fw_libgcc}")
    message(FATAL_ERROR
        "oobsim: '${OOBSIM_FW_CC} -march=rv32im -mabi=ilp32 -print-libgcc-file-name' gave '${_oobsim_fw_libgcc}', "
        "which does not exist. Run scripts/setup.sh to install the RISC-V toolchain.")
endif()
set(OOBSIM_FW_LIBGCC "${_oobsim_fw_libgcc}" CACHE INTERNAL "rv32im/ilp32 libgcc for the oobsim firmware")
unset(_oobsim_fw_libgcc)
unset(_oobsim_fw_rc)

set(OOBSIM_FW_ARCH_FLAGS -march=rv32ima_zicsr_zifencei -mabi=ilp32 -mcmodel=medany
    CACHE INTERNAL "oobsim firmware target flags")
# -mstrict-align: devices trap misaligned accesses and RAM charges a penalty for them, so the compiler must never
# make one on its own.
# -ffunction-sections/-fdata-sections: with --gc-sections, a firmware carries only the runtime it uses.
set(OOBSIM_FW_CFLAGS ${OOBSIM_FW_ARCH_FLAGS} -O2 -g -std=c11 -ffreestanding -fno-common -mstrict-align
    -ffunction-sections -fdata-sections -Wall -Wextra -Werror=implicit-function-declaration
    CACHE INTERNAL "oobsim firmware compile flags")

# The runtime linked into every firmware unless NO_RUNTIME. Kept as an explicit list so a new file is a
# deliberate change here, not something a glob picks up behind CMake's back.
set(OOBSIM_FW_RUNTIME_SOURCES
    boot/start.S
    boot/trap.S
    lib/console.c
    lib/platform.c
    lib/string.c
    lib/sync.c
    lib/trap.c
    CACHE INTERNAL "oobsim firmware runtime sources, relative to firmware/")

# _oobsim_fw_compile(<object> <source> <flags...>): one add_custom_command per object. The compiler writes a
# depfile next to the object, so a change to any header it included rebuilds it.
function(_oobsim_fw_compile obj src)
    get_filename_component(objdir "${obj}" DIRECTORY)
    file(MAKE_DIRECTORY "${objdir}")
    file(RELATIVE_PATH pretty "${OOBSIM_FW_ROOT}" "${src}")
    add_custom_command(
        OUTPUT "${obj}"
        COMMAND "${OOBSIM_FW_CC}" ${ARGN} -MD -MP -MF "${obj}.d" -MT "${obj}" -c "${src}" -o "${obj}"
        DEPENDS "${src}"
        DEPFILE "${obj}.d"
        COMMENT "Building firmware object ${pretty}"
        VERBATIM COMMAND_EXPAND_LISTS)
endfunction()

function(oobsim_add_firmware name)
    cmake_parse_arguments(PARSE_ARGV 1 FW "NO_RUNTIME" "LINKER_SCRIPT" "SOURCES;INCLUDE_DIRS;DEFINES")
    if(FW_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "oobsim_add_firmware(${name}): unknown arguments: ${FW_UNPARSED_ARGUMENTS}")
    endif()
    if(NOT FW_SOURCES)
        message(FATAL_ERROR "oobsim_add_firmware(${name}): no SOURCES given")
    endif()

    set(fwroot "${OOBSIM_FW_ROOT}/firmware")
    set(objdir "${CMAKE_CURRENT_BINARY_DIR}/${name}.fw")
    set(elf "${CMAKE_BINARY_DIR}/firmware/${name}.elf")
    set(map "${CMAKE_BINARY_DIR}/firmware/${name}.map")
    file(MAKE_DIRECTORY "${CMAKE_BINARY_DIR}/firmware")

    if(FW_LINKER_SCRIPT)
        get_filename_component(script "${FW_LINKER_SCRIPT}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    else()
        set(script "${fwroot}/link.ld")
    endif()

    # The platform header (sim/memory_map.h) and the runtime's headers are visible to every firmware.
    set(common_flags ${OOBSIM_FW_CFLAGS} "-I${OOBSIM_FW_ROOT}/sim" "-I${fwroot}/include")
    set(user_flags)
    foreach(dir IN LISTS FW_INCLUDE_DIRS)
        get_filename_component(dir "${dir}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
        list(APPEND user_flags "-I${dir}")
    endforeach()
    foreach(def IN LISTS FW_DEFINES)
        list(APPEND user_flags "-D${def}")
    endforeach()

    set(objects)
    foreach(src IN LISTS FW_SOURCES)
        get_filename_component(src "${src}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
        # Mirror the source tree under the object directory, so two sources with one file name do not collide.
        file(RELATIVE_PATH rel "${CMAKE_CURRENT_SOURCE_DIR}" "${src}")
        string(REPLACE "../" "__/" rel "${rel}")
        set(obj "${objdir}/src/${rel}.o")
        _oobsim_fw_compile("${obj}" "${src}" ${common_flags} ${user_flags})
        list(APPEND objects "${obj}")
    endforeach()

    # The runtime is compiled per firmware with the common flags only (not the firmware's DEFINES), so every
    # firmware runs the same start-up code; it is a handful of small files, so the repeated compiles cost little.
    if(NOT FW_NO_RUNTIME)
        set(rt_objects)
        foreach(rel IN LISTS OOBSIM_FW_RUNTIME_SOURCES)
            set(obj "${objdir}/runtime/${rel}.o")
            _oobsim_fw_compile("${obj}" "${fwroot}/${rel}" ${common_flags})
            list(APPEND rt_objects "${obj}")
        endforeach()
        # start.S first, so _start leads .text even before the linker script's ordering applies.
        list(PREPEND objects ${rt_objects})
    endif()

    add_custom_command(
        OUTPUT "${elf}"
        BYPRODUCTS "${map}"
        COMMAND "${OOBSIM_FW_CC}" ${OOBSIM_FW_ARCH_FLAGS} -nostdlib -nostartfiles -static
                -T "${script}" -Wl,--gc-sections "-Wl,-Map,${map}"
                ${objects} "${OOBSIM_FW_LIBGCC}" -o "${elf}"
        DEPENDS ${objects} "${script}"
        COMMENT "Linking firmware ${name}.elf"
        VERBATIM COMMAND_EXPAND_LISTS)

    add_custom_target(${name} ALL DEPENDS "${elf}")
    set_property(TARGET ${name} PROPERTY ELF_FILE "${elf}")
endfunction()
