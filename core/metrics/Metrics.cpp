// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/metrics/Metrics.h"
#include <QElapsedTimer>
#include <QLocale>
#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace Switchyard {

namespace {

// Upper bounds (seconds) for call duration and time to first token: LLM calls take from tens
// of milliseconds (cached, small) to minutes (long generations).
constexpr std::array<double, 12> s_latencyBuckets{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120};

// Started during static initialisation, so it measures (nearly) the whole process lifetime.
const QElapsedTimer s_processClock = [] {
    QElapsedTimer timer;
    timer.start();
    return timer;
}();

// A sample value as Go's ParseFloat reads it: integers without exponent, others shortest.
QByteArray formatValue(double value)
{
    if (std::isnan(value))
        return QByteArrayLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("+Inf") : QByteArrayLiteral("-Inf");
    if (value == std::floor(value) && std::abs(value) < 9007199254740992.0) // 2^53: exact in a double
        return QByteArray::number(qint64(value));
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

QByteArray escapeLabelValue(const QString &value)
{
    QByteArray escaped;
    const QByteArray utf8 = value.toUtf8();
    escaped.reserve(utf8.size());
    for (const char c : utf8) {
        if (c == '\\')
            escaped += "\\\\";
        else if (c == '"')
            escaped += "\\\"";
        else if (c == '\n')
            escaped += "\\n";
        else
            escaped += c;
    }
    return escaped;
}

// `{a="x",b="y"}`, with an optional extra pair appended (the histogram's `le`).
QByteArray labelText(const QByteArrayList &names, const QStringList &values, const QByteArray &extra = {})
{
    Q_ASSERT(names.size() == values.size());
    QByteArrayList pairs;
    for (qsizetype i = 0; i < names.size(); ++i)
        pairs << names.at(i) + "=\"" + escapeLabelValue(values.at(i)) + '"';
    if (!extra.isEmpty())
        pairs << extra;
    return pairs.isEmpty() ? QByteArray() : '{' + pairs.join(',') + '}';
}

void writeHeader(QByteArray &out, const char *name, const char *help, const char *type)
{
    out += QByteArray("# HELP ") + name + ' ' + help + '\n';
    out += QByteArray("# TYPE ") + name + ' ' + type + '\n';
}

void writeSample(QByteArray &out, const QByteArray &name, const QByteArray &labels, double value)
{
    out += name + labels + ' ' + formatValue(value) + '\n';
}

void writeGauge(QByteArray &out, const char *name, const char *help, double value)
{
    writeHeader(out, name, help, "gauge");
    writeSample(out, name, QByteArray(), value);
}

} // namespace

Metrics::Metrics()
    : Metrics([] { return double(s_processClock.elapsed()) / 1000.0; })
{
}

Metrics::Metrics(UptimeClock uptimeSeconds)
    : m_uptimeSeconds(std::move(uptimeSeconds))
{
    // Every error class starts at 0, so rate() sees a series before its first error.
    // errorClassName() is empty past the last class, which ends the walk.
    for (int i = int(ErrorClass::None) + 1; !errorClassName(ErrorClass(i)).isEmpty(); ++i)
        m_errors[{errorClassName(ErrorClass(i))}] = 0;
}

void Metrics::record(const CallRecord &record, std::optional<double> costUsd)
{
    const QString model = boundedModel(record.model);
    m_requests[{record.alias, record.provider, record.ok ? QStringLiteral("ok") : QStringLiteral("error")}] += 1;
    if (!record.ok) {
        const QString errorClass = errorClassName(record.errorClass);
        m_errors[{errorClass.isEmpty() ? QStringLiteral("unknown") : errorClass}] += 1;
    }
    for (const Attempt &attempt : record.attempts) {
        const QString result = attempt.errorClass == ErrorClass::None ? QStringLiteral("ok")
                                                                       : errorClassName(attempt.errorClass);
        m_attempts[{attempt.provider, boundedModel(attempt.model), result}] += 1;
    }

    observe(m_duration, {record.alias}, double(record.durationMs) / 1000.0);
    if (record.ttftMs)
        observe(m_timeToFirstToken, {record.alias}, double(*record.ttftMs) / 1000.0);

    const std::array<std::pair<const std::optional<qint64> &, QString>, 3> tokens{{
        {record.usage.promptTokens, QStringLiteral("prompt")},
        {record.usage.completionTokens, QStringLiteral("completion")},
        {record.usage.cachedPromptTokens, QStringLiteral("cached_prompt")},
    }};
    for (const auto &[count, kind] : tokens) {
        if (count)
            m_tokens[{record.alias, record.provider, model, kind}] += double(*count);
    }

    if (costUsd)
        m_costUsd[{record.alias, record.provider, model}] += *costUsd;
    else if (record.ok && !record.provider.isEmpty()) // as the log counts them: answered calls without a price
        m_unpriced[{record.provider, model}] += 1;
}

void Metrics::setInFlight(int count)
{
    m_inFlight = count;
}

QByteArray Metrics::prometheusText() const
{
    QByteArray out;
    writeCounter(out, "switchyard_cost_usd_total", "Cost in US dollars of priced calls.",
                 {"alias", "provider", "model"}, m_costUsd);
    writeCounter(out, "switchyard_errors_total", "Failed calls by error class.", {"error_class"}, m_errors);
    writeHistogram(out, "switchyard_request_duration_seconds", "Duration of calls, from request to last byte.",
                   {"alias"}, m_duration);
    writeGauge(out, "switchyard_requests_in_flight", "Calls being served now.", m_inFlight);
    writeCounter(out, "switchyard_requests_total", "Finished calls by outcome.",
                 {"alias", "provider", "outcome"}, m_requests);
    writeHistogram(out, "switchyard_time_to_first_token_seconds",
                   "Time to the first token sent (first stream event), for calls that got one.", {"alias"},
                   m_timeToFirstToken);
    writeCounter(out, "switchyard_tokens_total", "Tokens reported by upstreams.",
                 {"alias", "provider", "model", "kind"}, m_tokens);
    writeCounter(out, "switchyard_unpriced_requests_total", "Answered calls whose model has no known price.",
                 {"provider", "model"}, m_unpriced);
    writeCounter(out, "switchyard_upstream_attempts_total", "Attempts at upstream targets by result.",
                 {"provider", "model", "result"}, m_attempts);
    writeGauge(out, "switchyard_uptime_seconds", "Seconds since the process started.", m_uptimeSeconds());
    return out;
}

QString Metrics::boundedModel(const QString &model)
{
    if (m_modelNames.contains(model))
        return model;
    if (m_modelNames.size() >= MaxModelNames)
        return OtherModel;
    m_modelNames.insert(model);
    return model;
}

void Metrics::observe(HistogramVec &histogram, const LabelValues &labels, double seconds)
{
    HistogramSeries &series = histogram[labels];
    if (series.bucketCounts.isEmpty())
        series.bucketCounts.fill(0, qsizetype(s_latencyBuckets.size()) + 1); // the last one is above every bound
    const auto bucket = std::lower_bound(s_latencyBuckets.begin(), s_latencyBuckets.end(), seconds);
    series.bucketCounts[bucket - s_latencyBuckets.begin()] += 1;
    series.sum += seconds;
    series.count += 1;
}

void Metrics::writeCounter(QByteArray &out, const char *name, const char *help, const QByteArrayList &labelNames,
                           const CounterSeries &series)
{
    writeHeader(out, name, help, "counter");
    for (const auto &[labels, value] : series)
        writeSample(out, name, labelText(labelNames, labels), value);
}

void Metrics::writeHistogram(QByteArray &out, const char *name, const char *help, const QByteArrayList &labelNames,
                             const HistogramVec &histogram)
{
    writeHeader(out, name, help, "histogram");
    const QByteArray base(name);
    for (const auto &[labels, series] : histogram) {
        quint64 cumulative = 0;
        for (size_t i = 0; i < s_latencyBuckets.size(); ++i) {
            cumulative += series.bucketCounts.at(qsizetype(i));
            const QByteArray le = "le=\"" + formatValue(s_latencyBuckets.at(i)) + '"';
            writeSample(out, base + "_bucket", labelText(labelNames, labels, le), double(cumulative));
        }
        writeSample(out, base + "_bucket", labelText(labelNames, labels, "le=\"+Inf\""), double(series.count));
        writeSample(out, base + "_sum", labelText(labelNames, labels), series.sum);
        writeSample(out, base + "_count", labelText(labelNames, labels), double(series.count));
    }
}

} // namespace Switchyard
