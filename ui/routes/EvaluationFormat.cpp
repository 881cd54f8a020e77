// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/EvaluationFormat.h"
#include "ui/traces/TraceFormat.h"
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>

namespace Switchyard::EvaluationFormat {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("EvaluationFormat", text);
}

} // namespace

QString signedCost(double usd)
{
    if (usd == 0)
        return QStringLiteral("$0");
    return (usd < 0 ? QStringLiteral("−") : QStringLiteral("+")) + TraceFormat::cost(std::abs(usd));
}

QString signedMs(qint64 ms)
{
    if (ms == 0)
        return QStringLiteral("0 ms");
    return (ms < 0 ? QStringLiteral("−") : QStringLiteral("+")) + QString::number(std::abs(ms)) + QStringLiteral(" ms");
}

QString requests(int count)
{
    return count == 1 ? tr("1 request") : tr("%1 requests").arg(count);
}

QString roughCost(double usd)
{
    return usd >= 0.01 ? QStringLiteral("$") + QString::number(usd, 'f', 2) : TraceFormat::cost(usd);
}

QString outcome(const EvaluatedCall &call)
{
    QString status = call.status ? QString::number(call.status) : QStringLiteral("—");
    if (!call.ok && !call.errorClass.isEmpty())
        status += QLatin1Char(' ') + call.errorClass;
    if (call.provider.isEmpty())
        return status;
    return status + QStringLiteral(" · ") + TraceFormat::target(call.provider, call.model);
}

QString answer(const EvaluatedCall &call)
{
    QString text = call.answer.text;
    for (const QJsonValue &value : call.answer.toolCalls) {
        const QJsonObject tool = value.toObject();
        const QJsonValue arguments = tool.value(QLatin1String("arguments"));
        const QString json = arguments.isObject() ? QString::fromUtf8(QJsonDocument(arguments.toObject()).toJson(QJsonDocument::Indented))
                                                  : arguments.toString();
        text += (text.isEmpty() ? QString() : QStringLiteral("\n\n"))
                + tr("Tool call: %1").arg(tool.value(QLatin1String("name")).toString()) + QLatin1Char('\n') + json.trimmed();
    }
    if (text.isEmpty() && !call.ok)
        return tr("(no answer: %1)").arg(outcome(call));
    return text;
}

QString alias(const QJsonObject &alias)
{
    QStringList targets;
    const QString strategy = alias.value(QLatin1String("strategy")).toString();
    const bool weighted = strategy == QLatin1String("weighted");
    for (const QJsonValue &value : alias.value(QLatin1String("targets")).toArray()) {
        const QJsonObject t = value.toObject();
        const QString target =
            TraceFormat::target(t.value(QLatin1String("provider")).toString(), t.value(QLatin1String("model")).toString());
        const QJsonValue weight = t.value(QLatin1String("weight"));
        targets << (weighted && weight.isDouble() ? tr("%1 (weight %2)").arg(target).arg(weight.toDouble()) : target);
    }
    if (targets.isEmpty())
        return tr("no targets");
    if (weighted)
        return tr("Weighted: %1").arg(targets.join(QStringLiteral(", ")));
    if (strategy == QLatin1String("least-latency"))
        return tr("Least latency among %1").arg(targets.join(QStringLiteral(", ")));
    return tr("Fallback: %1").arg(targets.join(tr(", then ")));
}

QString estimate(const QJsonObject &estimate)
{
    const int count = estimate.value(QLatin1String("requests")).toInt();
    const QString basis = estimate.value(QLatin1String("basis")).toString();
    const QJsonValue usd = estimate.value(QLatin1String("usd"));
    QString text = usd.isDouble() ? tr("≈ %1 for %2, %3").arg(roughCost(usd.toDouble()), EvaluationFormat::requests(count), basis)
                                  : tr("Cost unknown for %1: %2").arg(EvaluationFormat::requests(count), basis);
    if (const int guessed = estimate.value(QLatin1String("guessed_input")).toInt(); guessed > 0)
        text += tr(" (input tokens guessed from the body for %1 without recorded usage)").arg(EvaluationFormat::requests(guessed));
    return text;
}

QString summary(const QJsonObject &report)
{
    const QJsonObject s = report.value(QLatin1String("summary")).toObject();
    const QJsonObject before = s.value(QLatin1String("original")).toObject();
    const QJsonObject after = s.value(QLatin1String("candidate")).toObject();
    const int requests = s.value(QLatin1String("requests")).toInt();
    const auto ms = [&s](const char *key) {
        const QJsonValue v = s.value(QLatin1String(key));
        return v.isDouble() ? signedMs(qRound64(v.toDouble())) : QStringLiteral("—");
    };
    const auto cost = [](const QJsonObject &side) -> QString { // not a QStringBuilder of temporaries
        const int unpriced = side.value(QLatin1String("unpriced")).toInt();
        return TraceFormat::cost(side.value(QLatin1String("cost_usd")).toDouble())
               + (unpriced ? tr(" (%1 unpriced)").arg(unpriced) : QString());
    };
    const QJsonValue delta = s.value(QLatin1String("cost_delta_usd"));
    QStringList parts;
    if (report.value(QLatin1String("state")).toString() == QLatin1String("running"))
        parts << tr("So far %1 of %2").arg(requests).arg(report.value(QLatin1String("total")).toInt());
    parts << tr("Cost %1 → %2 (%3)").arg(cost(before), cost(after), delta.isDouble() ? signedCost(delta.toDouble()) : QStringLiteral("—"))
          << tr("Latency p50 %1, p95 %2").arg(ms("latency_p50_delta_ms"), ms("latency_p95_delta_ms"))
          << tr("Failures %1 → %2").arg(before.value(QLatin1String("failures")).toInt()).arg(after.value(QLatin1String("failures")).toInt())
          << tr("<b>Answers changed: %1 of %2</b>").arg(s.value(QLatin1String("answers_changed")).toInt()).arg(requests);
    return parts.join(QStringLiteral(" · "));
}

} // namespace Switchyard::EvaluationFormat
