// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/LogQueries.h"
#include "ui/traces/StringPool.h"
#include <QAbstractTableModel>
#include <QSet>

namespace Switchyard {

class LogReader;

// The request log as a table, newest first. Rows arrive in pages of PageSize from the
// LogReader thread through fetchMore (keyset paging on started_at, so a page deep in a
// million rows costs what the first does); a filter change bumps a generation number and
// results of older generations are dropped. Live calls matching the filter are inserted at
// the top, one beginInsertRows per batch. Rows are kept without bodies or headers.
class TraceModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        StatusColumn,
        AliasColumn,
        TargetColumn,
        DurationColumn,
        TtftColumn,
        TokensColumn,
        CostColumn,
        ClientColumn,
        ErrorColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole, // raw values: epoch ms, status, milliseconds, token total, USD
        IdRole,                  // the request id
        RecordRole,              // the CallRecord (without bodies)
        OkRole,                  // whether the call succeeded
    };
    static constexpr int PageSize = 200;
    // Live calls would otherwise pile up all day (1–2 KB a row): past this many rows the
    // oldest are dropped and page back in from the log if the user scrolls to them.
    static constexpr int LiveRowLimit = 5000;

    explicit TraceModel(LogReader *reader, QObject *parent = nullptr);

    // Drops all rows and starts loading the first page (and the count) for this filter.
    void setFilter(const RequestFilter &filter);
    const RequestFilter &filter() const { return m_filter; }
    bool matches(const CallRecord &record) const;

    const CallRecord &record(int row) const { return m_rows.at(row); }
    int rowOfId(const QString &id) const;
    qint64 totalCount() const { return m_total; } // -1 until counted
    bool isLoading() const { return m_pageInFlight; }
    quint64 generation() const { return m_generation; }
    // The last row the user can see: trimming never reaches it (nor the page after it).
    void setLastVisibleRow(int row) { m_lastVisibleRow = row; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

public Q_SLOTS:
    // Live calls, in the order they finished; those matching the filter go to the top.
    void appendCalls(const QList<Switchyard::CallRecord> &records);

Q_SIGNALS:
    void pageLoaded(int rowsAdded);
    void totalCountChanged(qint64 total);
    void loadFailed(const QString &message);

private:
    using Page = Result<QList<CallRecord>>;
    void requestPage();
    void trimOldestRows();
    void onPage(quint64 generation, const Page &page);
    void onCount(quint64 generation, const Result<qint64> &count);
    // The rows not shown yet (live ones only if they match), now counted as shown.
    QList<CallRecord> takeUnseen(const QList<CallRecord> &records, bool live);
    QVariant displayData(const CallRecord &r, int column) const;
    QVariant sortData(const CallRecord &r, int column) const;
    QVariant toolTipData(const CallRecord &r, int column) const;

    LogReader *m_reader;
    RequestFilter m_filter;
    QList<CallRecord> m_rows;
    QSet<QString> m_ids;
    StringPool m_strings;
    quint64 m_generation = 0;
    bool m_active = false;
    bool m_pageInFlight = false;
    bool m_notifying = false; // inside a begin…/end… pair
    bool m_atEnd = true;
    qint64 m_total = -1;
    // Where the next page starts: rows older than m_cursorMs, or at it after the first m_cursorSkip.
    qint64 m_cursorMs = -1;
    int m_cursorSkip = 0;
    int m_lastVisibleRow = 0;
};

} // namespace Switchyard
