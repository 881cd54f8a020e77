// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QRadioButton;

namespace Switchyard {

class KeychainStore;
class ProvidersModel;

// "Set key…" for one provider: the key is typed into a masked field and stored in the system
// keychain (the default), read from an environment variable, or there is none (a local server).
// The config file only ever names the keychain entry or the variable; the window never writes
// api_key. Storing in the keychain is asynchronous: the dialog waits for the keychain's answer,
// the GUI does not.
class ProviderKeyDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit ProviderKeyDialog(const ProviderConfig &provider, QWidget *parent = nullptr);

    // Opens the dialog (window-modal) for a provider of the model; OK sets its key column.
    static ProviderKeyDialog *edit(ProvidersModel *providers, int row, QWidget *parent);

    // What the key column becomes once accepted: "keychain:ENTRY", a variable name, or empty.
    QString keySource() const;
    QString environmentVariable() const;
    static QString suggestedVariable(const QString &providerName);

    void accept() override;

Q_SIGNALS:
    // A key was written to the keychain entry (the engine should read it again).
    void keyStored(const QString &entry);

private:
    void updateState();
    void storeFinished(const QString &entry);
    void storeFailed(const QString &entry, const QString &message);
    void refuse(const QString &message);

    QString m_providerName;
    QString m_entry;             // the keychain entry this provider uses or will use
    bool m_hasKeychainKey = false;
    QRadioButton *m_useKeychain = nullptr;
    QRadioButton *m_useEnv = nullptr;
    QRadioButton *m_noKey = nullptr;
    QLineEdit *m_key = nullptr;
    QLabel *m_keyState = nullptr;
    QLineEdit *m_env = nullptr;
    QLabel *m_envState = nullptr;
    QLabel *m_refusal = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    KeychainStore *m_keychain = nullptr;
};

} // namespace Switchyard
