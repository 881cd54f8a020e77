// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/traces/TraceModel.h"
#include "core/log/LogReader.h"
#include "ui/traces/TraceFormat.h"
#include <QBrush>
#include <QIcon>
#include <QScopedValueRollback>
#include <QThreadPool>
#include <algorithm>

namespace Switchyard {

namespace {

CallRecord withoutBodies(CallRecord r)
{
    r.requestBody = r.responseBody = QByteArray();
    r.requestHeaders = r.responseHeaders = HttpHeaders();
    for (Attempt &a : r.attempts)
        a.requestBody.clear();
    return r;
}

} // namespace

TraceModel::TraceModel(LogReader *reader, QObject *parent)
    : QAbstractTableModel(parent)
    , m_reader(reader)
{
}

void TraceModel::setFilter(const RequestFilter &filter)
{
    const QScopedValueRollback notifying(m_notifying, true);
    beginResetModel();
    m_filter = filter;
    m_filter.limit = PageSize;
    m_filter.offset = 0;
    // Freeing a hundred thousand rows takes a while: let a pool thread do it.
    QThreadPool::globalInstance()->start([rows = std::exchange(m_rows, {}), ids = std::exchange(m_ids, {})]() mutable {
        rows.clear();
        ids.clear();
    });
    ++m_generation;
    m_active = true;
    m_pageInFlight = false;
    m_atEnd = false;
    m_total = -1;
    m_cursorMs = -1;
    m_cursorSkip = 0;
    endResetModel();
    Q_EMIT totalCountChanged(m_total);

    requestPage(); // before the count, which may have to scan the whole log
    const quint64 current = m_generation;
    const RequestFilter countFilter = m_filter;
    m_reader->query<Result<qint64>>(
        this, [countFilter](LogQueries &q) { return q.count(countFilter); },
        [this, current](const Result<qint64> &count) { onCount(current, count); });
}

bool TraceModel::matches(const CallRecord &r) const
{
    const RequestFilter &f = m_filter;
    if ((f.ok && *f.ok != r.ok) || (!f.alias.isEmpty() && f.alias != r.alias) || (!f.provider.isEmpty() && f.provider != r.provider)
        || (!f.model.isEmpty() && f.model != r.model))
        return false;
    const qint64 started = r.startedAt.toMSecsSinceEpoch();
    if ((f.sinceMs && started < *f.sinceMs) || (f.untilMs && started >= *f.untilMs))
        return false;
    if (!f.text.isEmpty()) {
        const QByteArray text = f.text.toUtf8();
        return r.requestBody.contains(text) || r.responseBody.contains(text);
    }
    return true;
}

int TraceModel::rowOfId(const QString &id) const
{
    const auto it = std::find_if(m_rows.cbegin(), m_rows.cend(), [&id](const CallRecord &r) { return r.id == id; });
    return it == m_rows.cend() ? -1 : int(it - m_rows.cbegin());
}

bool TraceModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_active && !m_atEnd;
}

void TraceModel::fetchMore(const QModelIndex &parent)
{
    // Views and testers may ask while this model is announcing a change; the next ask will do.
    if (!parent.isValid() && m_active && !m_atEnd && !m_pageInFlight && !m_notifying)
        requestPage();
}

void TraceModel::requestPage()
{
    RequestFilter page = m_filter;
    if (m_cursorMs >= 0) {
        page.untilMs = page.untilMs ? qMin(*page.untilMs, m_cursorMs + 1) : m_cursorMs + 1;
        page.offset = m_cursorSkip;
    }
    m_pageInFlight = true;
    const quint64 current = m_generation;
    m_reader->query<Page>(
        this, [page](LogQueries &q) { return q.requests(page); },
        [this, current](const Page &result) { onPage(current, result); });
}

void TraceModel::onPage(quint64 generation, const Page &page)
{
    if (generation != m_generation)
        return; // the filter changed while this page was on its way
    m_pageInFlight = false;
    if (!page) {
        m_atEnd = true;
        Q_EMIT loadFailed(page.error().message);
        return;
    }
    const QList<CallRecord> &records = page.value();
    m_atEnd = records.size() < PageSize;
    if (!records.isEmpty()) {
        const qint64 lastMs = records.constLast().startedAt.toMSecsSinceEpoch();
        const int atLast = int(std::count_if(records.cbegin(), records.cend(),
                                             [lastMs](const CallRecord &r) { return r.startedAt.toMSecsSinceEpoch() == lastMs; }));
        m_cursorSkip = lastMs == m_cursorMs ? m_cursorSkip + atLast : atLast;
        m_cursorMs = lastMs;
    }
    const QList<CallRecord> fresh = takeUnseen(records, false);
    if (!fresh.isEmpty()) {
        const QScopedValueRollback notifying(m_notifying, true);
        const int first = int(m_rows.size());
        beginInsertRows(QModelIndex(), first, first + int(fresh.size()) - 1);
        m_rows.append(fresh);
        endInsertRows();
    }
    Q_EMIT pageLoaded(int(fresh.size()));
    if (fresh.isEmpty() && !m_atEnd)
        requestPage(); // a page of rows that live updates had already shown
}

QList<CallRecord> TraceModel::takeUnseen(const QList<CallRecord> &records, bool live)
{
    QList<CallRecord> fresh;
    fresh.reserve(records.size());
    for (const CallRecord &r : records) {
        if ((live && !matches(r)) || m_ids.contains(r.id))
            continue;
        fresh.append(live ? withoutBodies(r) : r);
        if (!live) // live records already share their names with the engine's config
            m_strings.share(fresh.last());
        m_ids.insert(r.id);
    }
    return fresh;
}

void TraceModel::onCount(quint64 generation, const Result<qint64> &count)
{
    if (generation != m_generation)
        return;
    if (!count)
        return Q_EMIT loadFailed(count.error().message);
    m_total = qMax(count.value(), qint64(m_rows.size()));
    Q_EMIT totalCountChanged(m_total);
}

void TraceModel::appendCalls(const QList<CallRecord> &records)
{
    if (!m_active)
        return;
    QList<CallRecord> fresh = takeUnseen(records, true);
    if (fresh.isEmpty())
        return;
    std::stable_sort(fresh.begin(), fresh.end(), [](const CallRecord &a, const CallRecord &b) { return a.startedAt < b.startedAt; });
    const QScopedValueRollback notifying(m_notifying, true);
    beginInsertRows(QModelIndex(), 0, int(fresh.size()) - 1);
    for (CallRecord &r : fresh)
        m_rows.prepend(std::move(r)); // amortised O(1): QList keeps room at its front
    endInsertRows();
    if (m_total >= 0) {
        m_total += fresh.size();
        Q_EMIT totalCountChanged(m_total);
    }
    trimOldestRows();
}

void TraceModel::trimOldestRows()
{
    const int keep = qMax(LiveRowLimit, m_lastVisibleRow + PageSize);
    // A page at a time, not a row per call; not while a page is on its way (it would land
    // after a gap): the next live batch tries again.
    if (m_rows.size() <= keep + PageSize || m_pageInFlight)
        return;
    const QScopedValueRollback notifying(m_notifying, true);
    beginRemoveRows(QModelIndex(), keep, int(m_rows.size()) - 1);
    for (qsizetype i = keep; i < m_rows.size(); ++i)
        m_ids.remove(m_rows.at(i).id);
    m_rows.resize(keep);
    endRemoveRows();
    // The next page starts at the oldest row kept; rows of the same millisecond come again and
    // are recognised by id.
    m_cursorMs = m_rows.constLast().startedAt.toMSecsSinceEpoch();
    m_cursorSkip = 0;
    m_atEnd = false;
}

int TraceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TraceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TraceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const CallRecord &r = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole: return displayData(r, column);
    case SortRole: return sortData(r, column);
    case Qt::ToolTipRole: return toolTipData(r, column);
    case IdRole: return r.id;
    case RecordRole: return QVariant::fromValue(r);
    case OkRole: return r.ok;
    case Qt::TextAlignmentRole:
        if (column == DurationColumn || column == TtftColumn || column == TokensColumn || column == CostColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (column == StatusColumn || column == ErrorColumn)
            return QBrush(r.ok ? TraceFormat::okColour() : TraceFormat::errorColour());
        if ((column == CostColumn && !r.costUsd) || (column == AliasColumn && r.alias.isEmpty()))
            return QBrush(TraceFormat::mutedColour());
        return QVariant();
    case Qt::DecorationRole:
        if (column == StatusColumn) {
            return TraceFormat::statusIcon(r.ok); // drawn once per colour, so a new theme gets its own
        }
        return QVariant();
    default: return QVariant();
    }
}

QVariant TraceModel::displayData(const CallRecord &r, int column) const
{
    switch (column) {
    case TimeColumn: return TraceFormat::timeOfDay(r.startedAt);
    case StatusColumn: return r.status > 0 ? QString::number(r.status) : QStringLiteral("—");
    case AliasColumn: return r.alias.isEmpty() ? QStringLiteral("—") : r.alias;
    case TargetColumn:
        if (r.attempts.size() > 1)
            return tr("%1 · %2 attempts").arg(TraceFormat::callTarget(r)).arg(r.attempts.size());
        return TraceFormat::callTarget(r);
    case DurationColumn: return TraceFormat::duration(r.durationMs);
    case TtftColumn: return r.ttftMs ? TraceFormat::duration(*r.ttftMs) : QStringLiteral("—");
    case TokensColumn: return r.usage.isEmpty() ? QStringLiteral("—") : TraceFormat::tokens(r.usage);
    case CostColumn: return r.costUsd ? TraceFormat::cost(*r.costUsd) : QStringLiteral("—");
    case ClientColumn: return TraceFormat::clientName(r);
    case ErrorColumn: return errorClassName(r.errorClass);
    default: return QVariant();
    }
}

QVariant TraceModel::sortData(const CallRecord &r, int column) const
{
    switch (column) {
    case TimeColumn: return r.startedAt.toMSecsSinceEpoch();
    case StatusColumn: return r.status;
    case AliasColumn: return r.alias;
    case TargetColumn: return TraceFormat::callTarget(r);
    case DurationColumn: return r.durationMs;
    case TtftColumn: return r.ttftMs ? QVariant(*r.ttftMs) : QVariant();
    case TokensColumn:
        return r.usage.isEmpty() ? QVariant() : QVariant(r.usage.promptTokens.value_or(0) + r.usage.completionTokens.value_or(0));
    case CostColumn: return r.costUsd ? QVariant(*r.costUsd) : QVariant();
    case ClientColumn: return displayData(r, column);
    case ErrorColumn: return errorClassName(r.errorClass);
    default: return QVariant();
    }
}

QVariant TraceModel::toolTipData(const CallRecord &r, int column) const
{
    switch (column) {
    case TimeColumn:
        return tr("%1 local\n%2 UTC").arg(r.startedAt.toLocalTime().toString(Qt::ISODateWithMs), r.startedAt.toString(Qt::ISODateWithMs));
    case AliasColumn: return r.alias.isEmpty() ? tr("No alias: the client asked for %1 directly").arg(r.requestedModel) : QVariant();
    case TargetColumn: {
        QStringList lines;
        for (const Attempt &a : r.attempts)
            lines << QStringLiteral("%1: %2, %3").arg(TraceFormat::target(a.provider, a.model), TraceFormat::attemptOutcome(a),
                                                      TraceFormat::duration(a.durationMs));
        return lines.join(QLatin1Char('\n'));
    }
    case TokensColumn:
        return r.usage.isEmpty() ? tr("The upstream reported no usage") : TraceFormat::tokensInDetail(r.usage);
    case CostColumn: return r.costUsd ? QStringLiteral("$%1").arg(*r.costUsd, 0, 'g', 6) : tr("no price known");
    case ClientColumn: return TraceFormat::clientDetail(r);
    case ErrorColumn: return r.errorMessage.isEmpty() ? QVariant() : QVariant(r.errorMessage);
    default: return QVariant();
    }
}

QVariant TraceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    static const QStringList titles{tr("Time"),     tr("Status"), tr("Alias"), tr("Provider / model"), tr("Duration"),
                                    tr("TTFT"),     tr("Tokens"), tr("Cost"),  tr("Client"),           tr("Error")};
    return titles.value(section);
}

} // namespace Switchyard
