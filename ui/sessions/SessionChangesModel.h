// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/sessions/SessionTimeline.h"
#include <QAbstractTableModel>

namespace Switchyard {

// What changed in one turn's context since the previous turn of its line, as a diff: each
// segment (system prompt, tool, message) added, removed or changed, with its size.
class SessionChangesModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { KindColumn, SegmentColumn, BytesColumn, TokensColumn, DetailColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole, KindRole };

    explicit SessionChangesModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setTurn(const SessionTurnReport &turn);
    void clear();

private:
    QList<SegmentChange> m_changes;
    QList<qint64> m_tokens;
};

} // namespace Switchyard
