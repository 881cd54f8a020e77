// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include <QAbstractTableModel>
#include <QSet>
#include <QTimer>
#include <functional>

namespace Switchyard {

// Calls on their way upstream: added when the engine reports them started, updated as it
// reports their progress (a new attempt, the first byte), removed when their record arrives.
// The elapsed time and the phases count up while they run (a dataChanged on those columns
// every TickMs, nothing else).
//
// A progress record lists the attempts so far; while the call runs (status 0) the last one is
// the attempt in progress, and ttftMs is when its first byte came (from the call's start).
class PendingCallsModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { StartedColumn, ModelColumn, EndpointColumn, ClientColumn, ElapsedColumn, PhasesColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole, IdRole };
    static constexpr int TickMs = 250;

    explicit PendingCallsModel(QObject *parent = nullptr);
    // For tests: the clock the elapsed time is read from (epoch ms).
    void setClock(std::function<qint64()> clock) { m_clock = std::move(clock); }

    void addStarted(const QList<Switchyard::CallRecord> &records);
    void removeFinished(const QList<Switchyard::CallRecord> &records);
    const CallRecord &record(int row) const { return m_rows.at(row); }
    qint64 elapsedMs(const CallRecord &r) const;
    // "waiting for the first byte", "receiving · first byte after 320 ms", with the attempt.
    static QString phaseText(const CallRecord &r);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    int rowOf(const QString &id) const;
    void tick();

    QList<CallRecord> m_rows; // newest first
    QSet<QString> m_finished; // records that came before their start (never expected; kept safe)
    std::function<qint64()> m_clock;
    QTimer m_tick;
};

} // namespace Switchyard
