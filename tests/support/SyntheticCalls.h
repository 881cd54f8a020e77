// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include <QRandomGenerator>

namespace Switchyard::Test {

// Realistic call records for filling a log: a few aliases over several providers and
// models, streaming and plain, with usage, costs, latencies and a share of failures of
// every kind. Deterministic for a given seed.
class SyntheticCalls final
{
public:
    explicit SyntheticCalls(quint32 seed = 4141);

    // `count` records spread evenly from `fromMs` to `toMs` (epoch ms), oldest first.
    QList<CallRecord> generate(int count, qint64 fromMs, qint64 toMs, double errorRate = 0.08);
    CallRecord one(qint64 startedAtMs, bool fail);

private:
    QRandomGenerator m_random;
    int m_serial = 0;
};

} // namespace Switchyard::Test
