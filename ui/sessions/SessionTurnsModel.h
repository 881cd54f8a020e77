// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/sessions/SessionTimeline.h"
#include <QAbstractTableModel>

namespace Switchyard {

class LogReader;

// The turns of one session in order: tokens by kind, cost and the prompt cache's verdict.
// The bodies are read and the turns rebuilt (SessionTimeline) on the log-reader thread; a
// load for another session drops the answer of the one before.
class SessionTurnsModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TurnColumn, TimeColumn, ModelColumn, InputColumn, CacheReadColumn, CacheWriteColumn, OutputColumn,
                  CostColumn, VerdictColumn, ReasonColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole, IdRole, VerdictRole };

    explicit SessionTurnsModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void load(LogReader *reader, const QString &sessionId);
    void clear();
    QString sessionId() const { return m_sessionId; }
    bool isLoading() const { return m_loading; }
    QString errorString() const { return m_error; }
    const QList<SessionTurnReport> &turns() const { return m_turns; }
    // The session's calls in all; the model holds the latest SessionTimeline::MaxTurns of them.
    qint64 totalTurns() const { return m_totalTurns; }
    SessionTurnReport turn(int row) const { return m_turns.value(row); }

Q_SIGNALS:
    void loaded();

private:
    QList<SessionTurnReport> m_turns;
    qint64 m_totalTurns = 0;
    QString m_sessionId;
    quint64 m_job = 0;
    bool m_loading = false;
    QString m_error;
};

} // namespace Switchyard
