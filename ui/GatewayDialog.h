// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Switchyard {

// File → Connect to gateway…: the address of another Switchyard (a team's shared gateway),
// its access token and, for a self-signed https one, the certificate to trust. launch() opens
// a window attached to it in a process of its own (`switchyard --attach URL`), the token
// handed over in its environment, never on a command line others can read.
class GatewayDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit GatewayDialog(QWidget *parent = nullptr);
    QString url() const;
    QString token() const;
    QString certificatePath() const;
    // The arguments of the attached window's process (the token goes in its environment).
    QStringList arguments() const;
    // Starts it; an error message, or empty.
    QString launch() const;

private:
    void check();

    QLineEdit *m_url;
    QLineEdit *m_token;
    QLineEdit *m_certificate;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace Switchyard
