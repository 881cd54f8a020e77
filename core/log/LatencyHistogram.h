// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QList>
#include <array>
#include <optional>

namespace Switchyard {

// Fixed latency buckets stored with each hourly roll-up, so p50/p95 over any range come
// from summed bucket counts instead of sorting millions of rows. Estimates interpolate
// inside a bucket; bucket edges are at most 2x apart.
class LatencyHistogram final
{
public:
    static constexpr int BucketCount = 25;
    using Counts = std::array<qint64, BucketCount>;

    // Upper bound of each bucket in ms; the last bucket is open-ended.
    static const std::array<qint64, BucketCount - 1> &upperBoundsMs();
    static int bucketFor(qint64 ms);
    // The q-quantile (0..1) of the recorded values; nullopt when empty.
    static std::optional<double> quantile(const Counts &counts, double q);
};

} // namespace Switchyard
