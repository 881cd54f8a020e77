// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include <QHash>
#include <QObject>

namespace Switchyard {

class KeychainStore;

// The key each provider sends upstream, resolved from its config: an environment variable,
// a system keychain entry (read asynchronously, so such a key arrives a moment after the
// config) or, discouraged, the key written in the file. Lives on the engine thread.
class ProviderKeys final : public QObject
{
    Q_OBJECT
public:
    explicit ProviderKeys(QObject *parent = nullptr);
    ~ProviderKeys() override;

    // Resolves the keys of a new config. A keychain key the previous config already had for the
    // same provider and entry stays in use until the fresh read answers.
    void apply(const QList<ProviderConfig> &providers);
    // Reads every keychain entry again (after the window stored a new key).
    void reloadKeychain();

    const QHash<QString, QByteArray> &keys() const { return m_keys; }
    // Why a provider has no key, if it should have one ("no entry … in the system keychain").
    QString problem(const QString &provider) const { return m_problems.value(provider); }

Q_SIGNALS:
    void keysChanged();
    void keychainFailed(const QString &provider, const QString &message);

private:
    void takeKeychainKey(const QString &entry, const QByteArray &key);
    void reportKeychainFailure(const QString &entry, const QString &message);

    QList<ProviderConfig> m_providers;
    QHash<QString, QByteArray> m_keys;      // provider name → key
    QHash<QString, QString> m_problems;     // provider name → why it has no key
    KeychainStore *m_keychain = nullptr;    // created on first use
};

} // namespace Switchyard
