// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/RouteRankingModel.h"
#include "ui/SemanticColours.h"
#include <QColor>
#include <QHash>
#include <QIcon>
#include <QPainter>
#include <QPixmap>
#include <QRegularExpression>
#include <QJsonArray>
#include <QLocale>

namespace Switchyard {

RouteRankingModel::RouteRankingModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void RouteRankingModel::setPlan(const QJsonObject &plan)
{
    QList<Candidate> candidates;
    const QJsonArray list = plan.value(QLatin1String("candidates")).toArray();
    for (const auto &value : list) {
        const QJsonObject o = value.toObject();
        Candidate c;
        c.provider = o.value(QLatin1String("provider")).toString();
        c.model = o.value(QLatin1String("model")).toString();
        c.state = o.value(QLatin1String("state")).toString();
        const bool noKey = m_withoutKey.contains(o.value(QLatin1String("provider")).toString());
        c.skip = o.value(QLatin1String("skip")).toBool();
        if (o.value(QLatin1String("latency_ms")).isDouble())
            c.latencyMs = o.value(QLatin1String("latency_ms")).toDouble();
        if (o.value(QLatin1String("weight")).isDouble())
            c.weight = o.value(QLatin1String("weight")).toDouble();
        c.cooldownUntil = QDateTime::fromString(o.value(QLatin1String("cooldown_until")).toString(), Qt::ISODateWithMs);
        c.reason = localTimes(o.value(QLatin1String("reason")).toString());
        if (noKey && c.state != QLatin1String("cooling_down")) {
            c.state = QStringLiteral("no_key");
            c.reason = tr("no API key: its environment variable is not set, so %1 refuses the call; %2").arg(c.provider, c.reason);
        }
        candidates.append(c);
    }
    beginResetModel();
    m_candidates = candidates;
    m_strategy = plan.value(QLatin1String("strategy")).toString();
    endResetModel();
}

QString RouteRankingModel::localTimes(QString text)
{
    // The engine writes instants in UTC ("2025-01-02T10:00:30Z"); a person reads local clock times.
    static const QRegularExpression instant(QStringLiteral("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"));
    QRegularExpressionMatch m;
    while ((m = instant.match(text)).hasMatch()) {
        const QDateTime at = QDateTime::fromString(m.captured(), Qt::ISODateWithMs).toLocalTime();
        text.replace(m.capturedStart(), m.capturedLength(), at.toString(QStringLiteral("HH:mm:ss")));
    }
    return text;
}

void RouteRankingModel::clear()
{
    beginResetModel();
    m_candidates.clear();
    m_strategy.clear();
    endResetModel();
}

int RouteRankingModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_candidates.size());
}

int RouteRankingModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RouteRankingModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return QVariant();
    const Candidate &c = m_candidates.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(c, index.row(), index.column());
    case SortRole:
        return sortData(c, index.row(), index.column());
    case Qt::ToolTipRole:
        return c.reason;
    case Qt::DecorationRole:
        return index.column() == StateColumn ? stateColor(c) : QVariant();
    case Qt::ForegroundRole:
        return c.skip ? QVariant(SemanticColours::colour(SemanticColours::Tone::Muted)) : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == LatencyColumn || index.column() == WeightColumn || index.column() == RankColumn
                   ? QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant();
    default:
        return QVariant();
    }
}

QVariant RouteRankingModel::displayData(const Candidate &c, int row, int column) const
{
    switch (column) {
    case RankColumn:
        return c.skip ? QStringLiteral("–") : QString::number(row + 1);
    case TargetColumn:
        return QString(c.provider + QLatin1Char('/') + c.model);
    case StateColumn:
        if (c.state == QLatin1String("cooling_down"))
            return c.cooldownUntil.isValid()
                       ? tr("cooling down until %1").arg(c.cooldownUntil.toLocalTime().toString(QStringLiteral("HH:mm:ss")))
                       : tr("cooling down");
        if (c.state == QLatin1String("no_key"))
            return tr("no key");
        return c.state == QLatin1String("probing") ? tr("probing") : tr("healthy");
    case LatencyColumn:
        return c.latencyMs ? tr("%1 ms").arg(QLocale().toString(qRound(*c.latencyMs))) : QStringLiteral("—");
    case WeightColumn:
        return c.weight ? QString::number(*c.weight, 'g', 4) : QStringLiteral("—");
    case ReasonColumn:
        return c.reason;
    default:
        return QVariant();
    }
}

QVariant RouteRankingModel::sortData(const Candidate &c, int row, int column) const
{
    switch (column) {
    case RankColumn: return row;
    case TargetColumn: return QString(c.provider + QLatin1Char('/') + c.model);
    case StateColumn: return c.state;
    case LatencyColumn: return c.latencyMs.value_or(-1);
    case WeightColumn: return c.weight.value_or(0);
    case ReasonColumn: return c.reason;
    default: return QVariant();
    }
}

QVariant RouteRankingModel::stateColor(const Candidate &c)
{
    using SemanticColours::Tone;
    const QColor color = SemanticColours::colour(c.state == QLatin1String("cooling_down") || c.state == QLatin1String("no_key") ? Tone::Error
                                                 : c.state == QLatin1String("probing")    ? Tone::Warning
                                                                                          : Tone::Ok);
    // A dot, drawn once per colour.
    static QHash<QRgb, QIcon> dots;
    auto it = dots.find(color.rgb());
    if (it == dots.end()) {
        QPixmap pixmap(12, 12);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        painter.drawEllipse(QRectF(1.5, 1.5, 9, 9));
        painter.end();
        it = dots.insert(color.rgb(), QIcon(pixmap));
    }
    return *it;
}

QVariant RouteRankingModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case RankColumn: return tr("#");
    case TargetColumn: return tr("Target");
    case StateColumn: return tr("State");
    case LatencyColumn: return tr("Latency");
    case WeightColumn: return tr("Weight");
    case ReasonColumn: return tr("Why here");
    default: return QVariant();
    }
}

} // namespace Switchyard
