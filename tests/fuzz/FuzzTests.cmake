# Included by tests/CMakeLists.txt: builds tests/fuzz with clang into
# build/fuzz when clang++ and libFuzzer are installed (installer/setup.sh
# --tests installs them), and makes a short run of every target a ctest test
# with the label "fuzz". Without them the fuzz tests are left out, said once.
option(MARQUEE_BUILD_FUZZERS "Build the libFuzzer targets with clang when available" ON)
if(NOT MARQUEE_BUILD_FUZZERS)
    return()
endif()

find_program(MARQUEE_FUZZ_CLANGXX NAMES clang++ clang++-14)
set(probe ${CMAKE_CURRENT_BINARY_DIR}/fuzz_probe.cpp)
file(WRITE ${probe} "#include <cstddef>\n#include <cstdint>\n"
    "extern \"C\" int LLVMFuzzerTestOneInput(const uint8_t *, size_t) { return 0; }\n")
if(MARQUEE_FUZZ_CLANGXX)
    execute_process(COMMAND ${MARQUEE_FUZZ_CLANGXX} -fsanitize=fuzzer,address,undefined ${probe}
        -o ${CMAKE_CURRENT_BINARY_DIR}/fuzz_probe RESULT_VARIABLE probe_failed
        OUTPUT_QUIET ERROR_QUIET)
endif()
if(NOT MARQUEE_FUZZ_CLANGXX OR probe_failed)
    message(STATUS "Fuzz targets left out: needs clang++ and libFuzzer (libclang-rt-14-dev)")
    return()
endif()

include(ExternalProject)
set(MARQUEE_FUZZ_DIR ${CMAKE_BINARY_DIR}/fuzz)
# BUILD_ALWAYS: the sources live outside what ExternalProject watches, so
# the sub-build's own ninja decides what is out of date. -j2: the machines
# this runs on have two cores.
ExternalProject_Add(marquee_fuzz
    SOURCE_DIR ${CMAKE_CURRENT_SOURCE_DIR}/fuzz
    BINARY_DIR ${MARQUEE_FUZZ_DIR}
    CMAKE_ARGS -DCMAKE_CXX_COMPILER=${MARQUEE_FUZZ_CLANGXX} -DCMAKE_BUILD_TYPE=RelWithDebInfo
        -DQt6_DIR=${Qt6_DIR}
    BUILD_COMMAND ${CMAKE_COMMAND} --build ${MARQUEE_FUZZ_DIR} -j2
    BUILD_ALWAYS ON
    INSTALL_COMMAND "")

# Each short run: new inputs go to a scratch corpus in the build tree (never
# into the seeds in the source tree), crashes to fuzz/artifacts/. 15 s per
# target keeps all of them under a minute of wall time on two cores.
set(MARQUEE_FUZZ_SECONDS 15 CACHE STRING "Seconds of each fuzz target's ctest run")
function(marquee_fuzz_target name)
    set(seeds ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus/${name})
    set(dict ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/${name}.dict)
    set(args -max_total_time=${MARQUEE_FUZZ_SECONDS} -timeout=10 -create_missing_dirs=1
        -print_final_stats=1 -artifact_prefix=${MARQUEE_FUZZ_DIR}/artifacts/${name}-)
    if(EXISTS ${dict})
        list(APPEND args -dict=${dict})
    endif()
    add_test(NAME ${name}
        COMMAND ${MARQUEE_FUZZ_DIR}/${name} ${args} ${MARQUEE_FUZZ_DIR}/corpus/${name} ${seeds})
    math(EXPR timeout "${MARQUEE_FUZZ_SECONDS} * 4 + 30")
    set_tests_properties(${name} PROPERTIES LABELS fuzz TIMEOUT ${timeout}
        ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1;UBSAN_OPTIONS=print_stacktrace=1")
endfunction()
include(${CMAKE_CURRENT_SOURCE_DIR}/fuzz/targets.cmake)
