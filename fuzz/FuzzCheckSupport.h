// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <optional>

namespace Switchyard::FuzzChecks {

// Prints "fuzz check failed: <what> (<file>:<line>)" and the detail, then aborts.
[[noreturn]] void failed(const char *what, const char *file, int line, const QByteArray &detail = QByteArray());

#define FUZZ_REQUIRE(cond)                                                                                             \
    do {                                                                                                               \
        if (!(cond))                                                                                                   \
            ::Switchyard::FuzzChecks::failed(#cond, __FILE__, __LINE__);                                               \
    } while (false)
#define FUZZ_REQUIRE_EQ(a, b)                                                                                          \
    do {                                                                                                               \
        if (!((a) == (b)))                                                                                             \
            ::Switchyard::FuzzChecks::failed(#a " == " #b, __FILE__, __LINE__);                                        \
    } while (false)

// Cuts an input into chunks the way a socket might deliver it. Plan 0: one chunk; plan 1:
// one byte at a time; any other plan: sizes from 1 to 64 drawn from a generator seeded by
// the plan, so a fuzzer mutating the input also moves the cuts.
class ByteChunks final
{
public:
    ByteChunks(QByteArrayView data, quint32 plan);
    bool atEnd() const { return m_offset >= m_data.size(); }
    QByteArrayView next();

private:
    QByteArrayView m_data;
    qsizetype m_offset = 0;
    quint32 m_plan;
    quint32 m_state;
};

// FNV-1a of the input: a cut plan that changes whenever the input does.
quint32 planFor(QByteArrayView input);

// The input as a JSON object, or nullopt when it is not one.
std::optional<QJsonObject> jsonObject(QByteArrayView input);
// True when `bytes` parse as a JSON document (object or array).
bool isJson(const QByteArray &bytes);

} // namespace Switchyard::FuzzChecks
