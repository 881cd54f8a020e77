// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/ProvidersModel.h"
#include "ui/SemanticColours.h"
#include "ui/routes/RouteEditCommand.h"
#include <QColor>

namespace Switchyard {

ProvidersModel::ProvidersModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ProvidersModel::setUndoStack(QUndoStack *stack)
{
    m_undo = stack;
}

void ProvidersModel::setProviders(const QList<ProviderConfig> &providers)
{
    beginResetModel();
    m_providers = providers;
    endResetModel();
}

QStringList ProvidersModel::names() const
{
    QStringList names;
    for (const ProviderConfig &p : m_providers)
        names.append(p.name);
    return names;
}

void ProvidersModel::setIssues(const QList<ConfigIssue> &issues)
{
    m_issues = issues;
    if (!m_providers.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::BackgroundRole, Qt::ToolTipRole});
}

void ProvidersModel::insertProvider(int row, const ProviderConfig &provider)
{
    row = qBound(0, row, int(m_providers.size()));
    RouteEditCommand::run(
        m_undo, tr("Add provider %1").arg(provider.name), [this, row, provider] { insertRowNow(row, provider); },
        [this, row] { removeRowNow(row); });
}

void ProvidersModel::removeProvider(int row)
{
    if (row < 0 || row >= m_providers.size())
        return;
    const ProviderConfig removed = m_providers.at(row);
    RouteEditCommand::run(
        m_undo, tr("Remove provider %1").arg(removed.name), [this, row] { removeRowNow(row); },
        [this, row, removed] { insertRowNow(row, removed); });
}

bool ProvidersModel::assign(ProviderConfig &provider, int column, const QVariant &value)
{
    const QString text = value.toString().trimmed();
    switch (column) {
    case NameColumn:
        provider.name = text;
        return true;
    case KindColumn:
        if (text != providerKindName(ProviderKind::OpenAI) && text != providerKindName(ProviderKind::Anthropic))
            return false;
        provider.kind = text == providerKindName(ProviderKind::Anthropic) ? ProviderKind::Anthropic : ProviderKind::OpenAI;
        return true;
    case BaseUrlColumn:
        provider.baseUrl = QUrl(text);
        return true;
    case KeyColumn:
        // "keychain:ENTRY", "$VAR" or "VAR", or empty for none; each replaces a key kept in clear.
        provider.apiKey.clear();
        provider.apiKeyEnv.clear();
        provider.apiKeyKeychain.clear();
        if (text.startsWith(KeychainPrefix))
            provider.apiKeyKeychain = text.mid(KeychainPrefix.size());
        else
            provider.apiKeyEnv = text.startsWith(QLatin1Char('$')) ? text.mid(1) : text;
        return true;
    default:
        return false;
    }
}

int ProvidersModel::columnForField(const QString &jsonField)
{
    if (jsonField == QLatin1String("kind"))
        return KindColumn;
    if (jsonField == QLatin1String("base_url"))
        return BaseUrlColumn;
    if (jsonField == QLatin1String("api_key_env") || jsonField == QLatin1String("api_key")
        || jsonField == QLatin1String("api_key_keychain"))
        return KeyColumn;
    return NameColumn;
}

int ProvidersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_providers.size());
}

int ProvidersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProvidersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return QVariant();
    QVariant issue = ConfigIssueParser::cellData(m_issues, ConfigIssue::Table::Providers, -1, index.row(),
                                                       index.column(), role);
    if (issue.isValid())
        return issue;
    const ProviderConfig &p = m_providers.at(index.row());
    switch (index.column()) {
    case NameColumn:
        return role == Qt::DisplayRole || role == Qt::EditRole || role == SortRole ? QVariant(p.name) : QVariant();
    case KindColumn:
        return role == Qt::DisplayRole || role == Qt::EditRole || role == SortRole ? QVariant(providerKindName(p.kind)) : QVariant();
    case BaseUrlColumn:
        return role == Qt::DisplayRole || role == Qt::EditRole || role == SortRole ? QVariant(p.baseUrl.toString()) : QVariant();
    case KeyColumn:
        return keyData(p, role);
    default:
        return QVariant();
    }
}

QVariant ProvidersModel::keyData(const ProviderConfig &p, int role) const
{
    const bool inKeychain = !p.apiKeyKeychain.isEmpty();
    const bool fromEnv = !p.apiKeyEnv.isEmpty();
    const bool inClear = !inKeychain && !fromEnv && !p.apiKey.isEmpty();
    switch (role) {
    case Qt::DisplayRole:
        return inKeychain ? tr("keychain: %1").arg(p.apiKeyKeychain)
               : fromEnv  ? QStringLiteral("$") + p.apiKeyEnv
               : inClear  ? tr("in the file, in clear")
                          : tr("no key");
    case Qt::EditRole:
    case SortRole:
        return inKeychain ? KeychainPrefix + p.apiKeyKeychain : p.apiKeyEnv;
    case Qt::ForegroundRole:
        return inKeychain || fromEnv ? QVariant()
               : inClear             ? QVariant(SemanticColours::colour(SemanticColours::Tone::Warning))
                                     : QVariant(SemanticColours::colour(SemanticColours::Tone::Muted));
    case Qt::ToolTipRole:
        if (inKeychain)
            return tr("Stored in the system keychain as \"%1\" (service \"switchyard\"); the config file holds only that name.")
                .arg(p.apiKeyKeychain);
        if (fromEnv)
            return qEnvironmentVariableIsSet(p.apiKeyEnv.toLocal8Bit().constData())
                       ? tr("Read from the environment variable %1 (set for this Switchyard).").arg(p.apiKeyEnv)
                       : tr("Read from the environment variable %1, which is not set for this Switchyard.").arg(p.apiKeyEnv);
        return inClear ? tr("The key is written in clear in the config file. Use Set key… to move it into the system keychain.")
                       : tr("No key is sent (fine for a local server). Use Set key… to add one.");
    default:
        return QVariant();
    }
}

QVariant ProvidersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return tr("Name");
    case KindColumn: return tr("Kind");
    case BaseUrlColumn: return tr("Base URL");
    case KeyColumn: return tr("API key");
    default: return QVariant();
    }
}

Qt::ItemFlags ProvidersModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    // The key is set through the Set key… dialog, never typed into the table.
    return QAbstractTableModel::flags(index) | (index.column() == KeyColumn ? Qt::NoItemFlags : Qt::ItemIsEditable);
}

bool ProvidersModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return false;
    const int row = index.row();
    const ProviderConfig before = m_providers.at(row);
    ProviderConfig after = before;
    if (!assign(after, index.column(), value))
        return false;
    if (after == before)
        return true;
    const QString what = headerData(index.column(), Qt::Horizontal).toString().toLower();
    RouteEditCommand::run(
        m_undo, tr("Edit provider %1: %2").arg(before.name, what), [this, row, after] { replaceRow(row, after); },
        [this, row, before] { replaceRow(row, before); });
    return true;
}

void ProvidersModel::replaceRow(int row, const ProviderConfig &provider)
{
    m_providers[row] = provider;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ProvidersModel::insertRowNow(int row, const ProviderConfig &provider)
{
    beginInsertRows(QModelIndex(), row, row);
    m_providers.insert(row, provider);
    endInsertRows();
}

void ProvidersModel::removeRowNow(int row)
{
    beginRemoveRows(QModelIndex(), row, row);
    m_providers.removeAt(row);
    endRemoveRows();
}

} // namespace Switchyard
