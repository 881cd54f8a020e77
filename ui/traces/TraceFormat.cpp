// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/traces/TraceFormat.h"
#include "ui/SemanticColours.h"
#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QLocale>
#include <QPainter>
#include <QPixmap>

namespace Switchyard::TraceFormat {

QString duration(qint64 ms)
{
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    if (ms < 60000)
        return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', ms < 10000 ? 2 : 1);
    return QStringLiteral("%1 m %2 s").arg(ms / 60000).arg((ms / 1000) % 60, 2, 10, QLatin1Char('0'));
}

QString cost(double usd)
{
    if (usd == 0)
        return QStringLiteral("$0");
    if (usd < 0.0001)
        return QStringLiteral("<$0.0001");
    return QStringLiteral("$") + QString::number(usd, 'f', usd < 1.0 ? 4 : 2);
}

QString timeOfDay(const QDateTime &utc)
{
    const QDateTime local = utc.toLocalTime();
    if (local.date() == QDate::currentDate())
        return local.toString(QStringLiteral("HH:mm:ss.zzz"));
    return QLocale().toString(local, QStringLiteral("MMM dd HH:mm:ss"));
}

QString target(const QString &provider, const QString &model)
{
    return provider + QLatin1Char('/') + model;
}

QString callTarget(const CallRecord &r)
{
    if (!r.provider.isEmpty() || !r.model.isEmpty())
        return target(r.provider, r.model);
    if (r.requestedModel.isEmpty())
        return QStringLiteral("—");
    return QCoreApplication::translate("TraceFormat", "%1 (not routed)").arg(r.requestedModel);
}

QString clientName(const CallRecord &r)
{
    QString name = r.clientProcess;
    if (name.isEmpty())
        name = r.client.section(QLatin1Char(' '), 0, 0).section(QLatin1Char('/'), 0, 0);
    if (name.isEmpty())
        name = QStringLiteral("—");
    if (!r.evaluationId.isEmpty()) // its request replayed through a proposed route, not a client's call
        return QCoreApplication::translate("TraceFormat", "evaluation · %1").arg(r.evaluationId);
    return r.replayOf.isEmpty() ? name : QCoreApplication::translate("TraceFormat", "replay · %1").arg(name);
}

QString clientDetail(const CallRecord &r, bool withProject)
{
    QStringList lines;
    if (!r.replayOf.isEmpty())
        lines << QCoreApplication::translate("TraceFormat", "Replay of %1").arg(r.replayOf);
    if (!r.clientProcess.isEmpty())
        lines << (r.clientPid > 0 ? QStringLiteral("%1 (pid %2)").arg(r.clientProcess).arg(r.clientPid) : r.clientProcess);
    if (withProject && !r.project.isEmpty())
        lines << r.project;
    if (!r.client.isEmpty())
        lines << r.client;
    return lines.join(QLatin1Char('\n'));
}

QString attemptOutcome(const Attempt &a)
{
    if (a.errorClass == ErrorClass::None)
        return a.status > 0 ? QString::number(a.status) : QStringLiteral("no response");
    return a.status > 0 ? QStringLiteral("%1 %2").arg(a.status).arg(errorClassName(a.errorClass)) : errorClassName(a.errorClass);
}

QString tokens(const Usage &usage)
{
    return QStringLiteral("%1 → %2").arg(QLocale().toString(usage.promptTokens.value_or(0)),
                                         QLocale().toString(usage.completionTokens.value_or(0)));
}

QString tokensInDetail(const Usage &usage)
{
    return QStringLiteral("%1 prompt (%2 cached) → %3 completion")
        .arg(QLocale().toString(usage.promptTokens.value_or(0)), QLocale().toString(usage.cachedPromptTokens.value_or(0)),
             QLocale().toString(usage.completionTokens.value_or(0)));
}

QIcon statusIcon(bool ok)
{
    const QColor colour = ok ? okColour() : errorColour();
    static QHash<QRgb, QIcon> drawn;
    if (const auto it = drawn.constFind(colour.rgb()); it != drawn.cend())
        return *it;
    QPixmap pixmap(QSize(12, 12) * 2);
    pixmap.setDevicePixelRatio(2);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(colour);
    p.drawEllipse(QRectF(1.5, 1.5, 9, 9));
    p.end();
    return *drawn.insert(colour.rgb(), QIcon(pixmap));
}

QColor okColour()
{
    return SemanticColours::colour(SemanticColours::Tone::Ok);
}

QColor errorColour()
{
    return SemanticColours::colour(SemanticColours::Tone::Error);
}

QColor mutedColour()
{
    return SemanticColours::colour(SemanticColours::Tone::Muted);
}

} // namespace Switchyard::TraceFormat
