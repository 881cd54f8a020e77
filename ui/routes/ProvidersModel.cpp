// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/routes/ProvidersModel.h"
#include "ui/SemanticColours.h"
#include "ui/routes/RouteEditCommand.h"
#include <QColor>

namespace Switchyard {

ProvidersModel::ProvidersModel(QObject *parent)
    : RouteRowsModel(parent)
{
}

QStringList ProvidersModel::names() const
{
    QStringList names;
    for (const ProviderConfig &p : providers())
        names.append(p.name);
    return names;
}

void ProvidersModel::insertProvider(int row, const ProviderConfig &provider)
{
    insertUndoable(row, provider, tr("Add provider %1").arg(provider.name));
}

void ProvidersModel::removeProvider(int row)
{
    if (row >= 0 && row < rowCount())
        removeUndoable(row, tr("Remove provider %1").arg(providers().at(row).name));
}

QString ProvidersModel::editText(const ProviderConfig &provider, const QString &what) const
{
    return tr("Edit provider %1: %2").arg(provider.name, what);
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

QVariant ProvidersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return QVariant();
    QVariant issue = ConfigIssueParser::cellData(m_issues, ConfigIssue::Table::Providers, -1, index.row(),
                                                       index.column(), role);
    if (issue.isValid())
        return issue;
    const ProviderConfig &p = providers().at(index.row());
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

bool ProvidersModel::keyMissing(const ProviderConfig &p)
{
    return p.apiKeyKeychain.isEmpty() && !p.apiKeyEnv.isEmpty() && p.apiKey.isEmpty()
           && !qEnvironmentVariableIsSet(p.apiKeyEnv.toLocal8Bit().constData());
}

QStringList ProvidersModel::missingKeyWarnings(const QList<ProviderConfig> &providers)
{
    QStringList warnings;
    for (int i = 0; i < providers.size(); ++i) {
        const ProviderConfig &p = providers.at(i);
        if (keyMissing(p))
            warnings << tr("providers[%1].api_key_env: no key for %2: $%3 is not set for this Switchyard and no key is "
                           "stored, so its calls are refused. Set the variable, or select the provider and use Set key…")
                            .arg(i).arg(p.name, p.apiKeyEnv);
    }
    return warnings;
}

QVariant ProvidersModel::keyData(const ProviderConfig &p, int role) const
{
    const bool missing = keyMissing(p);
    const bool inKeychain = !p.apiKeyKeychain.isEmpty();
    const bool fromEnv = !p.apiKeyEnv.isEmpty();
    const bool inClear = !inKeychain && !fromEnv && !p.apiKey.isEmpty();
    switch (role) {
    case Qt::DisplayRole:
        return inKeychain ? tr("keychain: %1").arg(p.apiKeyKeychain)
               : missing  ? tr("$%1 (not set)").arg(p.apiKeyEnv)
               : fromEnv  ? QStringLiteral("$") + p.apiKeyEnv
               : inClear  ? tr("in the file, in clear")
                          : tr("no key");
    case Qt::EditRole:
    case SortRole:
        return inKeychain ? KeychainPrefix + p.apiKeyKeychain : p.apiKeyEnv;
    case Qt::ForegroundRole:
        if (missing)
            return SemanticColours::colour(SemanticColours::Tone::Error);
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

QString ProvidersModel::columnTitle(int column) const
{
    switch (column) {
    case NameColumn: return tr("Name");
    case KindColumn: return tr("Kind");
    case BaseUrlColumn: return tr("Base URL");
    case KeyColumn: return tr("API key");
    default: return QString();
    }
}

} // namespace Switchyard
