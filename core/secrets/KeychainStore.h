// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QObject>
#include <QString>

namespace Switchyard {

// API keys kept in the OS keychain (the Secret Service on Linux: GNOME Keyring, KWallet…),
// through qtkeychain, under the service "switchyard" and an entry name that the config names in
// `api_key_keychain`. Every call returns at once and is answered by a signal: D-Bus may take a
// while, and neither the GUI nor the proxy thread may wait on it.
//
// qtkeychain queues its jobs in one global object that is not thread-safe, so a store always
// lives on the application's main thread: one created elsewhere moves itself there, its calls
// may come from any thread, and its signals reach other threads queued. Such a store has no
// parent; its owner releases it with deleteLater().
class KeychainStore final : public QObject
{
    Q_OBJECT
public:
    explicit KeychainStore(QObject *parent = nullptr); // parent only on the main thread

    static QString service();

    void read(const QString &entry);
    void write(const QString &entry, const QByteArray &key);
    void remove(const QString &entry);

private:
    void startRead(const QString &entry);
    void startWrite(const QString &entry, const QByteArray &key);
    void startRemove(const QString &entry);

Q_SIGNALS:
    void keyRead(const QString &entry, const QByteArray &key);
    void keyWritten(const QString &entry);
    void keyRemoved(const QString &entry);
    // A message a person can act on ("the keychain is locked", "no entry …").
    void failed(const QString &entry, const QString &message);
};

} // namespace Switchyard
