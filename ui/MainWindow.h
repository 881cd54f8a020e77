// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QMainWindow>

class QAction;
class QLabel;
class QSystemTrayIcon;
class QTabWidget;

namespace Switchyard {

class ActivityMonitor;
class ConnectDialog;
class EngineLink;

// The main window: Routes, Traces, Costs, Failures and Sessions as tabs, a status bar with the
// address, requests per second and recent errors, and a tray icon with today's spend.
// It talks to the engine only through the EngineLink.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(EngineLink *link, const QString &configPath, const QString &dbPath, QWidget *parent = nullptr);
    ~MainWindow() override;

    enum Page { RoutesPage, TracesPage, CostsPage, FailuresPage, SessionsPage };
    // What the close button does while a tray icon shows: asked once, then remembered.
    enum class CloseAction { Ask, HideToTray, Quit };
    static QString closeActionKey() { return QStringLiteral("window/closeAction"); }
    // For tests and for desktops without a tray: whether the tray icon counts as shown.
    void setTrayShown(bool shown) { m_trayShown = shown; }
    void showPage(Page page);
    QString listeningText() const;
    // Before show(): this window looks at the gateway at `url` through its admin API (--attach),
    // with no proxy or log here: the title and status bar name it, local settings are off.
    void setAttached(const QString &url);
    QString attachedUrl() const { return m_attachedUrl; }

public Q_SLOTS:
    void showListening(const QString &url);
    void showStartFailure(const QString &message);
    // An attached window's link to its gateway came or went (the event stream reconnects).
    void showConnection(bool connected, const QString &message);
    // File → Connect to gateway…: asks for the address and token, then opens a window
    // attached to it in a process of its own (this one keeps running).
    void connectToGateway();

protected:
    void closeEvent(QCloseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildMenus();
    void buildStatusBar();
    void buildTray();
    void refreshActivity();
    void openSettings();
    CloseAction askCloseAction();

    EngineLink *m_link;
    QString m_configPath;
    QString m_dbPath;
    QString m_url;
    QString m_attachedUrl;
    QAction *m_settings = nullptr;
    QTabWidget *m_tabs;
    ActivityMonitor *m_activity;
    ConnectDialog *m_connect;
    QLabel *m_banner;
    QLabel *m_address = nullptr;
    QLabel *m_rate = nullptr;
    QLabel *m_errors = nullptr;
    QLabel *m_spend = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    bool m_trayShown = false;
    bool m_quitting = false;
};

} // namespace Switchyard
