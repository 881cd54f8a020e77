// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/proxy/CallRecord.h"
#include <QAbstractTableModel>
#include <QSet>
#include <QTimer>
#include <functional>

namespace Switchyard {

// Calls on their way upstream: added when the engine reports them started, removed when
// their record arrives. The elapsed time counts up while they run (a dataChanged on that
// column every TickMs, nothing else).
class PendingCallsModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { StartedColumn, ModelColumn, EndpointColumn, ClientColumn, ElapsedColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole, IdRole };
    static constexpr int TickMs = 250;

    explicit PendingCallsModel(QObject *parent = nullptr);
    // For tests: the clock the elapsed time is read from (epoch ms).
    void setClock(std::function<qint64()> clock) { m_clock = std::move(clock); }

    void addStarted(const QList<Switchyard::CallRecord> &records);
    void removeFinished(const QList<Switchyard::CallRecord> &records);
    const CallRecord &record(int row) const { return m_rows.at(row); }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    qint64 elapsedMs(const CallRecord &r) const;
    void tick();

    QList<CallRecord> m_rows; // newest first
    QSet<QString> m_finished; // records that came before their start (never expected; kept safe)
    std::function<qint64()> m_clock;
    QTimer m_tick;
};

} // namespace Switchyard
