// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/sessions/SessionFormat.h"
#include "ui/SemanticColours.h"
#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QLocale>

namespace Switchyard::SessionFormat {

using Verdict = CacheDoctor::Verdict;
using Tone = SemanticColours::Tone;

QString shortId(const QString &id)
{
    return id.size() > 18 ? id.left(17) + QChar(0x2026) : id;
}

QString client(const QString &process, const QString &userAgent)
{
    if (!process.isEmpty())
        return QFileInfo(process).fileName();
    return userAgent.isEmpty() ? QStringLiteral("—") : userAgent.section(QLatin1Char(' '), 0, 0);
}

QString time(qint64 ms)
{
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(ms).toLocalTime();
    if (local.date() == QDate::currentDate())
        return local.toString(QStringLiteral("HH:mm:ss"));
    return QLocale::c().toString(local, QStringLiteral("d MMM HH:mm"));
}

QString tokens(qint64 count)
{
    if (count < 1000)
        return QString::number(count);
    if (count < 1000000)
        return QString::number(double(count) / 1e3, 'f', 1) + QLatin1Char('k');
    return QString::number(double(count) / 1e6, 'f', 2) + QLatin1Char('M');
}

QString money(double usd)
{
    return QLatin1Char('$') + QString::number(usd, 'f', usd < 1 ? 4 : 2);
}

QString verdictText(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Hit: return QCoreApplication::translate("SessionFormat", "hit");
    case Verdict::FirstTurn: return QCoreApplication::translate("SessionFormat", "first turn");
    case Verdict::Expired: return QCoreApplication::translate("SessionFormat", "expired");
    case Verdict::PrefixChanged: return QCoreApplication::translate("SessionFormat", "prefix changed");
    case Verdict::RouteChanged: return QCoreApplication::translate("SessionFormat", "route changed");
    case Verdict::BelowMinimum: return QCoreApplication::translate("SessionFormat", "below minimum");
    case Verdict::NotMarked: return QCoreApplication::translate("SessionFormat", "not marked");
    case Verdict::NotReported: return QCoreApplication::translate("SessionFormat", "not reported");
    case Verdict::Missed: return QCoreApplication::translate("SessionFormat", "missed");
    }
    return QString();
}

QColor verdictColour(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Hit: return SemanticColours::colour(Tone::Ok);
    case Verdict::FirstTurn:
    case Verdict::BelowMinimum:
    case Verdict::NotReported: return SemanticColours::colour(Tone::Muted);
    case Verdict::NotMarked: return SemanticColours::colour(Tone::Warning);
    case Verdict::Expired:
    case Verdict::PrefixChanged:
    case Verdict::RouteChanged:
    case Verdict::Missed: return SemanticColours::colour(Tone::Error);
    }
    return SemanticColours::colour(Tone::Muted);
}

} // namespace Switchyard::SessionFormat
