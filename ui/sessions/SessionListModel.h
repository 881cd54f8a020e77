// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/log/SessionQueries.h"
#include <QAbstractTableModel>

namespace Switchyard {

class LogReader;

// The agent sessions active since a time, most recent first, as the log holds them. Loaded on
// the log-reader thread; a reload (live, after new calls are written) updates rows in place
// and puts new sessions on top, so the selection stays where it was.
class SessionListModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SessionColumn, ClientColumn, ProjectColumn, LastCallColumn, TurnsColumn, TokensColumn, CostColumn,
                  HitRateColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole, IdRole };

    explicit SessionListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void load(LogReader *reader, const SessionFilter &filter);
    bool isLoading() const { return m_loading; }
    QString errorString() const { return m_error; }
    SessionSummary session(int row) const { return m_sessions.value(row); }
    int rowOf(const QString &id) const;

Q_SIGNALS:
    void loaded();

private:
    void merge(const QList<SessionSummary> &sessions);

    QList<SessionSummary> m_sessions;
    quint64 m_job = 0;
    bool m_loading = false;
    QString m_error;
};

} // namespace Switchyard
