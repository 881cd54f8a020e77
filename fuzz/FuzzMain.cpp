// SPDX-License-Identifier: GPL-3.0-or-later
// The libFuzzer entry point of every fuzz_<Name> executable; SWITCHYARD_FUZZ_CHECK names the check.
#include "fuzz/FuzzChecks.h"
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Switchyard::FuzzChecks::SWITCHYARD_FUZZ_CHECK(QByteArrayView(data, qsizetype(size)));
    return 0;
}
