// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include <QByteArray>
#include <QByteArrayList>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <functional>
#include <map>
#include <optional>

namespace Switchyard {

// Counters, gauges and histograms over finished calls, rendered for `GET /metrics` in the
// Prometheus text exposition format 0.0.4. Lives on the proxy engine's thread; no locking.
// Labels come from config names, models and error classes only, never from request ids, and
// distinct model names are capped (see MaxModelNames) so a client naming provider/model
// directly cannot grow the series without bound.
class Metrics final
{
public:
    // Seconds the process has been up; replaceable so tests get a fixed value.
    using UptimeClock = std::function<double()>;

    // Model names beyond this many distinct ones are reported as OtherModel.
    static constexpr int MaxModelNames = 200;
    static inline const QString OtherModel = QStringLiteral("(other)");

    Metrics();
    explicit Metrics(UptimeClock uptimeSeconds);

    // Counts one finished call; costUsd is empty when the call could not be priced.
    void record(const CallRecord &record, std::optional<double> costUsd);
    void setInFlight(int count);

    // Every family with HELP and TYPE lines, families and series in sorted order.
    QByteArray prometheusText() const;

private:
    using LabelValues = QStringList;
    using CounterSeries = std::map<LabelValues, double>;
    struct HistogramSeries
    {
        QList<quint64> bucketCounts; // per bucket, not cumulative; rendered cumulatively
        double sum = 0;
        quint64 count = 0;
    };
    using HistogramVec = std::map<LabelValues, HistogramSeries>;

    QString boundedModel(const QString &model);
    static void observe(HistogramVec &histogram, const LabelValues &labels, double seconds);
    static void writeCounter(QByteArray &out, const char *name, const char *help,
                             const QByteArrayList &labelNames, const CounterSeries &series);
    static void writeHistogram(QByteArray &out, const char *name, const char *help,
                               const QByteArrayList &labelNames, const HistogramVec &histogram);

    UptimeClock m_uptimeSeconds;
    CounterSeries m_requests;      // alias, provider, outcome
    CounterSeries m_errors;        // error_class
    CounterSeries m_attempts;      // provider, model, result
    CounterSeries m_tokens;        // alias, provider, model, kind
    CounterSeries m_costUsd;       // alias, provider, model
    CounterSeries m_unpriced;      // provider, model
    HistogramVec m_duration;       // alias
    HistogramVec m_timeToFirstToken; // alias
    QSet<QString> m_modelNames;
    int m_inFlight = 0;
};

} // namespace Switchyard
