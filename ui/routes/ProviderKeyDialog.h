// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QRadioButton;

namespace Switchyard {

class ProvidersModel;

// "Set key…" for one provider. The key is read from an environment variable (the default),
// or there is none (a local server). A key typed in clear is refused with the reason: the
// config file would hold it in clear (keychain storage comes later), so the window never
// writes api_key.
class ProviderKeyDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit ProviderKeyDialog(const ProviderConfig &provider, QWidget *parent = nullptr);

    // Opens the dialog (window-modal) for a provider of the model; OK sets its key column.
    static void edit(ProvidersModel *providers, int row, QWidget *parent);

    // The variable to store as api_key_env once accepted; empty for "no key".
    QString environmentVariable() const;
    static QString suggestedVariable(const QString &providerName);

    void accept() override;

private:
    void updateState();

    QRadioButton *m_useEnv = nullptr;
    QRadioButton *m_useKey = nullptr;
    QRadioButton *m_noKey = nullptr;
    QLineEdit *m_env = nullptr;
    QLabel *m_envState = nullptr;
    QLineEdit *m_key = nullptr;
    QLabel *m_refusal = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace Switchyard
