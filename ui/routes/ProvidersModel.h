// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "ui/routes/ConfigIssueParser.h"
#include <QAbstractTableModel>

class QUndoStack;

namespace Switchyard {

// The providers of the config being edited: name, kind, base URL and where the key comes
// from. Edits through setData, insertProvider and removeProvider go onto the undo stack.
// The key column edits only the environment variable name (empty: no key): a key in clear
// never enters through this model; one already in the file is kept until the key is set.
class ProvidersModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, KindColumn, BaseUrlColumn, KeyColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole };
    // The key column's edit value for a key kept in the system keychain: "keychain:ENTRY".
    static inline const QString KeychainPrefix = QStringLiteral("keychain:");

    explicit ProvidersModel(QObject *parent = nullptr);

    void setUndoStack(QUndoStack *stack);
    void setProviders(const QList<ProviderConfig> &providers); // a reset, not undoable
    const QList<ProviderConfig> &providers() const { return m_providers; }
    QStringList names() const;
    void setIssues(const QList<ConfigIssue> &issues);

    void insertProvider(int row, const ProviderConfig &provider);
    void removeProvider(int row);

    // Applies an edited cell value to a provider; false when the column is read-only.
    static bool assign(ProviderConfig &provider, int column, const QVariant &value);
    static int columnForField(const QString &jsonField);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

private:
    QVariant keyData(const ProviderConfig &provider, int role) const;
    void replaceRow(int row, const ProviderConfig &provider);
    void insertRowNow(int row, const ProviderConfig &provider);
    void removeRowNow(int row);

    QList<ProviderConfig> m_providers;
    QList<ConfigIssue> m_issues;
    QUndoStack *m_undo = nullptr;
};

} // namespace Switchyard
