// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/cli/EvaluationTable.h"
#include "core/cli/RequestTable.h"
#include <cmath>

namespace Switchyard {

namespace {

constexpr int MaxIdWidth = 40;

QJsonValue field(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key));
}

QString label(const char *text)
{
    return QString::fromLatin1(text);
}

// The rows as text, each column as wide as its widest cell and two spaces apart; the last
// column is not padded.
QString alignRows(const QList<QStringList> &rows, const QList<bool> &alignRight)
{
    QList<qsizetype> widths(alignRight.size(), 0);
    for (const QStringList &row : rows) {
        for (qsizetype c = 0; c < row.size(); ++c)
            widths[c] = qMax(widths[c], row[c].size());
    }
    QString text;
    for (const QStringList &row : rows) {
        QString line;
        for (qsizetype c = 0; c < row.size(); ++c) {
            if (c > 0)
                line += QLatin1String("  ");
            line += alignRight[c] ? row[c].rightJustified(widths[c]) : row[c].leftJustified(widths[c]);
        }
        while (line.endsWith(QLatin1Char(' ')))
            line.chop(1);
        text += line + QLatin1Char('\n');
    }
    return text;
}

QString signOf(double value, bool sign)
{
    if (value < 0)
        return QStringLiteral("-");
    return sign && value > 0 ? QStringLiteral("+") : QString();
}

// "200", "502 upstream_5xx", "timeout_connect" (no status).
QString statusCell(const QJsonObject &call)
{
    const int status = field(call, "status").toInt();
    const QString code = status > 0 ? QString::number(status) : QString();
    if (field(call, "outcome").toString() == QLatin1String("ok"))
        return code;
    const QString errorClass = field(call, "error_class").toString();
    const QString text = QStringList{code, errorClass}.join(QLatin1Char(' ')).trimmed();
    return text.isEmpty() ? QStringLiteral("error") : text;
}

// Status, latency and cost of one side of a result; dashes for a replay that never finished.
QStringList callCells(const QJsonValue &call)
{
    if (!call.isObject())
        return {QStringLiteral("-"), QStringLiteral("-"), QStringLiteral("-")};
    const QJsonObject c = call.toObject();
    return {statusCell(c), RequestTable::duration({{QStringLiteral("duration_ms"), field(c, "latency_ms")}}), RequestTable::cost(c)};
}

} // namespace

QString EvaluationTable::usd(const QJsonValue &value, bool sign)
{
    if (!value.isDouble())
        return QStringLiteral("-");
    const double magnitude = std::abs(value.toDouble());
    const int decimals = magnitude == 0 || magnitude >= 0.001 ? 4 : 6; // cheap models cost fractions of a cent
    return signOf(value.toDouble(), sign) + QLatin1Char('$') + QString::number(magnitude, 'f', decimals);
}

QString EvaluationTable::whole(const QJsonValue &value, bool sign)
{
    if (!value.isDouble())
        return QStringLiteral("-");
    const qint64 ms = qRound64(value.toDouble());
    return signOf(double(ms), sign) + QString::number(std::abs(ms));
}

QString EvaluationTable::estimate(const QJsonObject &estimate)
{
    const QJsonValue cost = field(estimate, "usd");
    const int requests = field(estimate, "requests").toInt();
    QString text = QStringLiteral("Estimate: %1 for %2 request%3")
                       .arg(cost.isDouble() ? usd(cost) : QStringLiteral("unknown"))
                       .arg(requests)
                       .arg(requests == 1 ? QString() : QStringLiteral("s"));
    if (const QString basis = field(estimate, "basis").toString(); !basis.isEmpty())
        text += QStringLiteral(" (%1)").arg(basis);
    if (const int guessed = field(estimate, "guessed_input").toInt(); guessed > 0)
        text += QStringLiteral("; input tokens guessed from the body for %1 of them").arg(guessed);
    return text + QLatin1Char('\n');
}

QString EvaluationTable::progress(const QJsonObject &report)
{
    return QStringLiteral("%1/%2 done").arg(field(report, "done").toInt()).arg(field(report, "total").toInt());
}

QString EvaluationTable::summary(const QJsonObject &summary)
{
    const QJsonObject before = field(summary, "original").toObject();
    const QJsonObject after = field(summary, "candidate").toObject();
    const auto cost = [](const QJsonObject &side) -> QString { // not a QStringBuilder of temporaries
        const int unpriced = field(side, "unpriced").toInt();
        return usd(field(side, "cost_usd")) + (unpriced > 0 ? QStringLiteral(" (%1 unpriced)").arg(unpriced) : QString());
    };
    const auto latency = [&](const char *name, const char *key, const char *deltaKey) {
        return QStringList{label(name), whole(field(before, key)), whole(field(after, key)), whole(field(summary, deltaKey), true)};
    };
    const int failuresBefore = field(before, "failures").toInt();
    const int failuresAfter = field(after, "failures").toInt();
    const QString requests = QString::number(field(summary, "requests").toInt());
    const QList<QStringList> rows{
        {QString(), label("ORIGINAL"), label("CANDIDATE"), label("DELTA")},
        {label("requests"), requests, requests, QString()},
        {label("cost USD"), cost(before), cost(after), usd(field(summary, "cost_delta_usd"), true)},
        latency("latency p50 ms", "latency_p50_ms", "latency_p50_delta_ms"),
        latency("latency p95 ms", "latency_p95_ms", "latency_p95_delta_ms"),
        latency("first token p50 ms", "ttft_p50_ms", "ttft_p50_delta_ms"),
        {label("failures"), QString::number(failuresBefore), QString::number(failuresAfter), whole(failuresAfter - failuresBefore, true)},
    };
    return alignRows(rows, {false, true, true, true})
           + QStringLiteral("answers changed: %1 of %2\n").arg(field(summary, "answers_changed").toInt()).arg(requests);
}

QString EvaluationTable::results(const QJsonArray &results, int maxRows)
{
    QList<QStringList> rows{{label("REQUEST"), label("ORIGINAL"), label("LATENCY"), label("COST"), label("CANDIDATE"), label("LATENCY"),
                             label("COST"), label("CHANGED")}};
    for (qsizetype i = 0; i < qMin<qsizetype>(results.size(), maxRows); ++i) {
        const QJsonObject r = results.at(i).toObject();
        const QJsonValue changed = field(r, "answer_changed");
        rows.append(QStringList{RequestTable::elide(field(r, "request_id").toString(), MaxIdWidth)} + callCells(field(r, "original"))
                    + callCells(field(r, "candidate"))
                    + QStringList{changed.isBool() ? label(changed.toBool() ? "yes" : "no") : QStringLiteral("-")});
    }
    QString text = alignRows(rows, {false, false, true, true, false, true, true, false});
    if (results.size() > maxRows)
        text += QStringLiteral("… and %1 more\n").arg(results.size() - maxRows);
    return text;
}

QString EvaluationTable::render(const QJsonObject &report, int maxRows)
{
    QString text = QStringLiteral("Evaluation %1 of baseline \"%2\": %3 (%4 of %5 requests)\n\n")
                       .arg(field(report, "id").toString(), field(report, "baseline").toString(), field(report, "state").toString())
                       .arg(field(report, "done").toInt())
                       .arg(field(report, "total").toInt());
    text += summary(field(report, "summary").toObject());
    const QJsonArray rows = field(report, "results").toArray();
    if (!rows.isEmpty())
        text += QLatin1Char('\n') + results(rows, maxRows);
    return text;
}

} // namespace Switchyard
