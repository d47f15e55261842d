#pragma once

#include <cstdio>
#include <cstdlib>

// A property the code under test promises, checked on every input. It must
// hold in release builds too, so not assert(); abort() makes libFuzzer keep
// the input as a crash.
#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(                                                                          \
                stderr, "%s:%d: FUZZ_CHECK(%s) failed\n", __FILE__, __LINE__, #condition);         \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)
