// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "ui/failures/FailureGroupsModel.h"
#include <QAbstractTableModel>

namespace Switchyard {

class LogReader;

// The failed requests of one FailureGroupsModel group, newest first (summaries without
// bodies). Loaded on the log-reader thread; live failures of the group are prepended.
class FailureRequestsModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, StatusColumn, ModelColumn, AttemptsColumn, DurationColumn, ClientColumn, MessageColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole, IdRole };
    static constexpr int MaxRows = 2000;

    explicit FailureRequestsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Lists the newest MaxRows failures of `key` that started at or after sinceMs (0: all).
    void load(LogReader *reader, const FailureKey &key, qint64 sinceMs);
    void clear();
    bool isLoading() const { return m_loading; }
    bool hasGroup() const { return m_hasKey; }
    FailureKey group() const { return m_key; }

    CallRecord record(int row) const { return m_records.value(row); }
    int rowOf(const QString &id) const;
    QStringList ids() const; // of every row, newest first
    bool isTruncated() const { return m_truncated; }
    QString errorString() const { return m_error; }

public Q_SLOTS:
    void addCalls(const QList<Switchyard::CallRecord> &records);

Q_SIGNALS:
    void loaded();

private:
    struct Page
    {
        QList<CallRecord> records;
        bool truncated = false;
        QString error;
    };
    static Page scan(LogQueries &queries, const FailureKey &key, qint64 sinceMs);

    QList<CallRecord> m_records;
    FailureKey m_key;
    bool m_hasKey = false;
    qint64 m_sinceMs = 0;
    quint64 m_job = 0;
    bool m_loading = false;
    bool m_truncated = false;
    QString m_error;
};

} // namespace Switchyard
