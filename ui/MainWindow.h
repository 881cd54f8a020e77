// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QMainWindow>

class QLabel;
class QPlainTextEdit;
class QSystemTrayIcon;

namespace Switchyard {

// The main window: where the gateway listens, which config file it uses, and how to
// point tools at it. Shows state only; it never talks to the engine directly.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(const QString &configPath, QWidget *parent = nullptr);

    QString listeningText() const;

public Q_SLOTS:
    void showListening(const QString &url);
    void showStartFailure(const QString &message);

private:
    QWidget *buildOverview();
    void copyClientSetup();

    QString m_configPath;
    QString m_url;
    QLabel *m_status = nullptr;
    QLabel *m_address = nullptr;
    QPlainTextEdit *m_clientSetup = nullptr;
    QLabel *m_statusBarAddress = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
};

} // namespace Switchyard
