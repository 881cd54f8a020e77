// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QDialog>

class QLabel;
class QPlainTextEdit;

namespace Switchyard {

// How to point tools at the gateway: the environment variables and a check, ready to copy.
class ConnectDialog final : public QDialog
{
    Q_OBJECT
public:
    ConnectDialog(const QString &configPath, QWidget *parent = nullptr);
    void setUrl(const QString &url);
    QString setupText() const;

private:
    QString m_configPath;
    QLabel *m_address;
    QPlainTextEdit *m_setup;
};

} // namespace Switchyard
