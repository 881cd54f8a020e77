// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/secrets/ProviderKeys.h"
#include "core/secrets/KeychainStore.h"

namespace Switchyard {

ProviderKeys::ProviderKeys(QObject *parent)
    : QObject(parent)
{
}

ProviderKeys::~ProviderKeys()
{
    if (m_keychain)
        m_keychain->deleteLater(); // it lives on the main thread
}

void ProviderKeys::apply(const QList<ProviderConfig> &providers)
{
    QHash<QString, QByteArray> keys;
    m_problems.clear();
    for (const ProviderConfig &p : providers) {
        if (!p.apiKeyKeychain.isEmpty()) {
            const auto previous = std::find_if(m_providers.cbegin(), m_providers.cend(), [&p](const ProviderConfig &old) {
                return old.name == p.name && old.apiKeyKeychain == p.apiKeyKeychain;
            });
            if (previous != m_providers.cend() && m_keys.contains(p.name))
                keys.insert(p.name, m_keys.value(p.name));
            continue;
        }
        const QByteArray key = p.apiKey.isEmpty() ? qgetenv(p.apiKeyEnv.toLocal8Bit().constData()) : p.apiKey.toUtf8();
        if (!key.isEmpty())
            keys.insert(p.name, key);
        else if (!p.apiKeyEnv.isEmpty())
            m_problems.insert(p.name, QStringLiteral("the environment variable %1 is not set").arg(p.apiKeyEnv));
    }
    m_providers = providers;
    m_keys = keys;
    Q_EMIT keysChanged();
    reloadKeychain();
}

void ProviderKeys::reloadKeychain()
{
    QStringList entries;
    for (const ProviderConfig &p : std::as_const(m_providers)) {
        if (!p.apiKeyKeychain.isEmpty() && !entries.contains(p.apiKeyKeychain))
            entries.append(p.apiKeyKeychain);
    }
    if (entries.isEmpty())
        return;
    if (!m_keychain) {
        m_keychain = new KeychainStore; // moves itself to the main thread; its answers arrive queued
        connect(m_keychain, &KeychainStore::keyRead, this, &ProviderKeys::takeKeychainKey);
        connect(m_keychain, &KeychainStore::failed, this, &ProviderKeys::reportKeychainFailure);
    }
    for (const QString &entry : std::as_const(entries))
        m_keychain->read(entry);
}

void ProviderKeys::takeKeychainKey(const QString &entry, const QByteArray &key)
{
    bool changed = false;
    for (const ProviderConfig &p : std::as_const(m_providers)) {
        if (p.apiKeyKeychain != entry) // a read for an entry the config no longer names is dropped
            continue;
        m_problems.remove(p.name);
        if (m_keys.value(p.name) != key) {
            m_keys.insert(p.name, key);
            changed = true;
        }
    }
    if (changed)
        Q_EMIT keysChanged();
}

void ProviderKeys::reportKeychainFailure(const QString &entry, const QString &message)
{
    for (const ProviderConfig &p : std::as_const(m_providers)) {
        if (p.apiKeyKeychain != entry)
            continue;
        m_problems.insert(p.name, message);
        if (m_keys.remove(p.name) > 0)
            Q_EMIT keysChanged();
        Q_EMIT keychainFailed(p.name, message);
    }
}

} // namespace Switchyard
