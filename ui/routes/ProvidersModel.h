// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "ui/routes/RouteRowsModel.h"

namespace Switchyard {

// The providers of the config being edited: name, kind, base URL and where the key comes
// from. Edits through setData, insertProvider and removeProvider go onto the undo stack.
// The key column edits only the environment variable name (empty: no key): a key in clear
// never enters through this model; one already in the file is kept until the key is set.
class ProvidersModel final : public RouteRowsModel<ProviderConfig>
{
    Q_OBJECT
public:
    enum Column { NameColumn, KindColumn, BaseUrlColumn, KeyColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole };
    // The key column's edit value for a key kept in the system keychain: "keychain:ENTRY".
    static inline const QString KeychainPrefix = QStringLiteral("keychain:");

    explicit ProvidersModel(QObject *parent = nullptr);
    // The provider names its key from an environment variable that is not set for this
    // Switchyard: its calls will be refused upstream (401).
    static bool keyMissing(const ProviderConfig &provider);
    // One message per provider whose key is missing, worded as the loader words a problem
    // ("providers[1].api_key_env: …") so the Problems list can point at the key cell. They
    // warn, they do not block Apply: the variable may be set before the next start.
    static QStringList missingKeyWarnings(const QList<ProviderConfig> &providers);

    void setProviders(const QList<ProviderConfig> &providers) { setRows(providers); } // a reset, not undoable
    const QList<ProviderConfig> &providers() const { return localRows(); }
    QStringList names() const;

    void insertProvider(int row, const ProviderConfig &provider);
    void removeProvider(int row);

    // Applies an edited cell value to a provider; false when the column is read-only.
    static bool assign(ProviderConfig &provider, int column, const QVariant &value);
    static int columnForField(const QString &jsonField);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

protected:
    int columns() const override { return ColumnCount; }
    QString columnTitle(int column) const override;
    bool isEditable(int column) const override { return column != KeyColumn; } // keys go through Set key…
    bool assignCell(ProviderConfig &provider, int column, const QVariant &value) const override { return assign(provider, column, value); }
    QString editText(const ProviderConfig &provider, const QString &what) const override;

private:
    QVariant keyData(const ProviderConfig &provider, int role) const;
};

} // namespace Switchyard
