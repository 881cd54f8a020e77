// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/sessions/SessionChangesModel.h"
#include "ui/SemanticColours.h"
#include "ui/sessions/SessionFormat.h"
#include <QLocale>

namespace Switchyard {

namespace {

QString sign(SegmentChange::Kind kind)
{
    switch (kind) {
    case SegmentChange::Kind::Added: return QStringLiteral("+ added");
    case SegmentChange::Kind::Removed: return QStringLiteral("− removed");
    case SegmentChange::Kind::Changed: return QStringLiteral("~ changed");
    }
    return QString();
}

} // namespace

SessionChangesModel::SessionChangesModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int SessionChangesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_changes.size());
}

int SessionChangesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SessionChangesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SegmentChange &c = m_changes.at(index.row());
    const qint64 tokens = m_tokens.value(index.row());
    const auto column = Column(index.column());
    if (role == KindRole)
        return int(c.kind);
    if (role == SortRole || role == Qt::DisplayRole) {
        const bool display = role == Qt::DisplayRole;
        switch (column) {
        case KindColumn: return display ? QVariant(sign(c.kind)) : QVariant(int(c.kind));
        case SegmentColumn: return c.label;
        case BytesColumn: return display ? QVariant(QLocale().toString(c.bytes)) : QVariant(c.bytes);
        case TokensColumn: return display ? QVariant(SessionFormat::tokens(tokens)) : QVariant(tokens);
        case DetailColumn: return c.detail;
        case ColumnCount: break;
        }
    } else if (role == Qt::ForegroundRole && column == KindColumn) {
        using Tone = SemanticColours::Tone;
        return SemanticColours::colour(c.kind == SegmentChange::Kind::Added ? Tone::Ok
                                       : c.kind == SegmentChange::Kind::Removed ? Tone::Error : Tone::Warning);
    } else if (role == Qt::TextAlignmentRole && (column == BytesColumn || column == TokensColumn)) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant SessionChangesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case KindColumn: return tr("Change");
    case SegmentColumn: return tr("Segment");
    case BytesColumn: return tr("Bytes");
    case TokensColumn: return tr("≈ Tokens");
    case DetailColumn: return tr("Where");
    case ColumnCount: break;
    }
    return {};
}

void SessionChangesModel::setTurn(const SessionTurnReport &turn)
{
    beginResetModel();
    m_changes = turn.changes;
    m_tokens = turn.changeTokens;
    endResetModel();
}

void SessionChangesModel::clear()
{
    beginResetModel();
    m_changes.clear();
    m_tokens.clear();
    endResetModel();
}

} // namespace Switchyard
