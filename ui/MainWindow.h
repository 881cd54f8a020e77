// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QMainWindow>

class QLabel;
class QSystemTrayIcon;
class QTabWidget;

namespace Switchyard {

class ActivityMonitor;
class ConnectDialog;
class EngineLink;

// The main window: Routes, Traces, Costs and Failures as tabs, a status bar with the
// address, requests per second and recent errors, and a tray icon with today's spend.
// It talks to the engine only through the EngineLink.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(EngineLink *link, const QString &configPath, const QString &dbPath, QWidget *parent = nullptr);
    ~MainWindow() override;

    enum Page { RoutesPage, TracesPage, CostsPage, FailuresPage };
    void showPage(Page page);
    QString listeningText() const;

public Q_SLOTS:
    void showListening(const QString &url);
    void showStartFailure(const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void buildStatusBar();
    void buildTray();
    void refreshActivity();
    void openSettings();

    EngineLink *m_link;
    QString m_configPath;
    QString m_dbPath;
    QString m_url;
    QTabWidget *m_tabs;
    ActivityMonitor *m_activity;
    ConnectDialog *m_connect;
    QLabel *m_banner;
    QLabel *m_address = nullptr;
    QLabel *m_rate = nullptr;
    QLabel *m_errors = nullptr;
    QLabel *m_spend = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
};

} // namespace Switchyard
