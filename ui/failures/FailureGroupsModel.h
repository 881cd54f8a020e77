// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include <QAbstractTableModel>
#include <QHash>
#include <QTimer>

namespace Switchyard {

class LogQueries;
class LogReader;

// What failed requests are grouped by. An empty alias means the client named provider/model.
struct FailureKey
{
    ErrorClass errorClass = ErrorClass::None;
    QString provider;
    QString alias;

    static FailureKey of(const CallRecord &record) { return {record.errorClass, record.provider, record.alias}; }
    bool matches(const CallRecord &record) const { return !record.ok && of(record) == *this; }
    friend bool operator==(const FailureKey &a, const FailureKey &b) = default;
};

inline size_t qHash(const FailureKey &key, size_t seed = 0)
{
    return qHashMulti(seed, int(key.errorClass), key.provider, key.alias);
}

struct FailureGroup
{
    FailureKey key;
    qint64 count = 0;
    qint64 firstSeenMs = 0;  // started_at of the oldest failure, epoch ms
    qint64 lastSeenMs = 0;   // and of the newest
};

// Failed requests of a time range grouped by (error class, provider, alias), newest group
// first. Built on the log-reader thread from up to MaxScannedFailures failures; live failures
// then update their group or add new groups (one insert per batch), never resetting.
class FailureGroupsModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { ErrorClassColumn, ProviderColumn, AliasColumn, CountColumn, FirstSeenColumn, LastSeenColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole };
    static constexpr int MaxScannedFailures = 20000;
    static constexpr int PageSize = 5000;

    explicit FailureGroupsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Regroups the failures that started at or after sinceMs (0: all of them).
    void load(LogReader *reader, qint64 sinceMs);
    bool isLoading() const { return m_loading; }
    qint64 sinceMs() const { return m_sinceMs; }

    FailureGroup group(int row) const { return m_groups.value(row); }
    int rowOf(const FailureKey &key) const { return m_rows.value(key, -1); }
    qint64 failureCount() const { return m_failures; }     // counted in the groups
    qint64 failuresInRange() const { return m_inRange; }   // in the log, at least failureCount()
    QString errorString() const { return m_error; }

    // "just now", "3 min ago", "5 h ago", "2 days ago", then a date.
    static QString relativeAge(qint64 thenMs, qint64 nowMs);

public Q_SLOTS:
    void addCalls(const QList<Switchyard::CallRecord> &records);

Q_SIGNALS:
    void loaded();
    void countsChanged();

private:
    struct Scan
    {
        QList<FailureGroup> groups;
        QSet<QString> ids;
        qint64 inRange = 0;
        QString error;
    };
    static Scan scan(LogQueries &queries, qint64 sinceMs);
    static void count(QList<FailureGroup> &groups, QHash<FailureKey, int> &rows, const CallRecord &record);
    void applyScan(const Scan &scan);
    void applyLive(const QList<CallRecord> &failures);
    void refreshAges();

    QList<FailureGroup> m_groups;
    QHash<FailureKey, int> m_rows;
    QList<CallRecord> m_pendingLive;  // arrived while a scan ran
    qint64 m_sinceMs = 0;
    qint64 m_failures = 0;
    qint64 m_inRange = 0;
    quint64 m_job = 0;
    bool m_loading = false;
    QString m_error;
    QTimer m_ageTimer;
};

} // namespace Switchyard
