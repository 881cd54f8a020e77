// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/LatencyHistogram.h"
#include <algorithm>
#include <numeric>

namespace Switchyard {

const std::array<qint64, LatencyHistogram::BucketCount - 1> &LatencyHistogram::upperBoundsMs()
{
    static const std::array<qint64, BucketCount - 1> bounds{25,   50,    100,   200,   300,   500,   750,   1000,
                                                            1500, 2000,  3000,  4000,  5000,  7500,  10000, 15000,
                                                            20000, 30000, 45000, 60000, 90000, 120000, 180000, 300000};
    return bounds;
}

int LatencyHistogram::bucketFor(qint64 ms)
{
    const auto &bounds = upperBoundsMs();
    return int(std::lower_bound(bounds.begin(), bounds.end(), ms) - bounds.begin());
}

std::optional<double> LatencyHistogram::quantile(const Counts &counts, double q)
{
    const qint64 total = std::accumulate(counts.begin(), counts.end(), qint64(0));
    if (total == 0)
        return std::nullopt;
    const double rank = q * double(total);
    const auto &bounds = upperBoundsMs();
    qint64 seen = 0;
    for (int i = 0; i < BucketCount; ++i) {
        if (counts[i] == 0)
            continue;
        if (double(seen + counts[i]) >= rank) {
            const double lower = i == 0 ? 0.0 : double(bounds[i - 1]);
            const double upper = i < BucketCount - 1 ? double(bounds[i]) : lower * 1.5;
            const double within = (rank - double(seen)) / double(counts[i]);
            return lower + (upper - lower) * std::clamp(within, 0.0, 1.0);
        }
        seen += counts[i];
    }
    return double(bounds.back());
}

} // namespace Switchyard
