// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/sessions/SessionTurnsModel.h"
#include "core/log/LogReader.h"
#include "core/log/SessionQueries.h"
#include "ui/sessions/SessionFormat.h"

namespace Switchyard {

namespace {

struct Loaded
{
    QList<SessionTurnReport> turns;
    QString error;
    qint64 total = 0;
};

qint64 uncachedInput(const Usage &u)
{
    return std::max<qint64>(0, u.promptTokens.value_or(0) - u.cachedPromptTokens.value_or(0) - u.cacheWriteTokens.value_or(0)
                                   - u.cacheWrite1hTokens.value_or(0));
}

} // namespace

SessionTurnsModel::SessionTurnsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int SessionTurnsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_turns.size());
}

int SessionTurnsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SessionTurnsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SessionTurnReport &t = m_turns.at(index.row());
    const Usage &u = t.call.usage;
    const auto column = Column(index.column());
    if (role == IdRole)
        return t.call.id;
    if (role == VerdictRole)
        return CacheDoctor::verdictName(t.cache.verdict);
    if (role == SortRole || role == Qt::DisplayRole) {
        const bool display = role == Qt::DisplayRole;
        switch (column) {
        case TurnColumn: return display ? (t.subagent ? tr("%1 (side)").arg(index.row() + 1) : QString::number(index.row() + 1))
                                        : QVariant(index.row());
        case TimeColumn: return display ? QVariant(SessionFormat::time(t.call.startedAt.toMSecsSinceEpoch()))
                                        : QVariant(t.call.startedAt.toMSecsSinceEpoch());
        case ModelColumn: return QStringLiteral("%1/%2").arg(t.call.provider, t.call.model);
        case InputColumn: return display ? QVariant(SessionFormat::tokens(uncachedInput(u))) : QVariant(uncachedInput(u));
        case CacheReadColumn: return display ? QVariant(SessionFormat::tokens(u.cachedPromptTokens.value_or(0)))
                                             : QVariant(u.cachedPromptTokens.value_or(0));
        case CacheWriteColumn: {
            const qint64 writes = u.cacheWriteTokens.value_or(0) + u.cacheWrite1hTokens.value_or(0);
            return display ? QVariant(SessionFormat::tokens(writes)) : QVariant(writes);
        }
        case OutputColumn: return display ? QVariant(SessionFormat::tokens(u.completionTokens.value_or(0)))
                                          : QVariant(u.completionTokens.value_or(0));
        case CostColumn:
            if (!t.call.costUsd)
                return display ? QVariant(QStringLiteral("—")) : QVariant(-1.0);
            return display ? QVariant(SessionFormat::money(*t.call.costUsd)) : QVariant(*t.call.costUsd);
        case VerdictColumn: return SessionFormat::verdictText(t.cache.verdict);
        case ReasonColumn: return t.cache.reason;
        case ColumnCount: break;
        }
    } else if (role == Qt::ForegroundRole && column == VerdictColumn) {
        return SessionFormat::verdictColour(t.cache.verdict);
    } else if (role == Qt::ToolTipRole && (column == ReasonColumn || column == VerdictColumn)) {
        return t.cache.reason;
    } else if (role == Qt::TextAlignmentRole && column >= InputColumn && column <= CostColumn) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant SessionTurnsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case TurnColumn: return tr("Turn");
    case TimeColumn: return tr("Time");
    case ModelColumn: return tr("Served by");
    case InputColumn: return tr("Input");
    case CacheReadColumn: return tr("Cache read");
    case CacheWriteColumn: return tr("Cache write");
    case OutputColumn: return tr("Output");
    case CostColumn: return tr("Cost");
    case VerdictColumn: return tr("Cache");
    case ReasonColumn: return tr("Why");
    case ColumnCount: break;
    }
    return {};
}

void SessionTurnsModel::load(LogReader *reader, const QString &sessionId)
{
    const quint64 job = ++m_job;
    const bool other = sessionId != m_sessionId;
    m_sessionId = sessionId;
    m_loading = true;
    if (other && !m_turns.isEmpty()) { // never show one session's turns under another's name
        beginResetModel();
        m_turns.clear();
        m_totalTurns = 0;
        endResetModel();
    }
    reader->query<Loaded>(
        this,
        [sessionId](LogQueries &q) {
            SessionTimeline::Builder timeline;
            const Result<qint64> total = SessionQueries::forEachCall(q, sessionId, SessionTimeline::MaxTurns,
                                                                     [&timeline](const CallRecord &c) { timeline.add(c); });
            return total ? Loaded{timeline.take(), QString(), total.value()} : Loaded{{}, total.error().message, 0};
        },
        [this, job](const Loaded &result) {
            if (job != m_job)
                return;
            m_loading = false;
            m_error = result.error;
            beginResetModel();
            m_turns = result.turns;
            m_totalTurns = result.total;
            endResetModel();
            Q_EMIT loaded();
        });
}

void SessionTurnsModel::clear()
{
    ++m_job;
    m_loading = false;
    m_sessionId.clear();
    beginResetModel();
    m_turns.clear();
    m_totalTurns = 0;
    endResetModel();
}

} // namespace Switchyard
