// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/MainWindow.h"
#include "core/log/LogStats.h"
#include "ui/SemanticColours.h"
#include "ui/ActivityMonitor.h"
#include "ui/ConnectDialog.h"
#include "ui/EngineLink.h"
#include "ui/GatewayDialog.h"
#include "ui/Appearance.h"
#include "ui/SettingsDialog.h"
#include "ui/costs/CostsPage.h"
#include "ui/failures/FailuresPage.h"
#include "ui/routes/RoutesPage.h"
#include "ui/sessions/SessionsPage.h"
#include "ui/traces/TracesPage.h"
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QVBoxLayout>

namespace Switchyard {

MainWindow::MainWindow(EngineLink *link, const QString &configPath, const QString &dbPath, QWidget *parent)
    : QMainWindow(parent)
    , m_link(link)
    , m_configPath(configPath)
    , m_dbPath(dbPath)
    , m_tabs(new QTabWidget(this))
    , m_activity(new ActivityMonitor(link, this))
    , m_connect(new ConnectDialog(configPath, this))
    , m_banner(new QLabel(this))
{
    setWindowTitle(QStringLiteral("Switchyard"));
    setWindowIcon(QIcon(QStringLiteral(":/switchyard/switchyard.svg")));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(new Switchyard::RoutesPage(link, m_tabs), QIcon(QStringLiteral(":/switchyard/icons/routes.svg")), tr("&Routes"));
    auto *traces = new Switchyard::TracesPage(link, m_tabs);
    m_tabs->addTab(traces, QIcon(QStringLiteral(":/switchyard/icons/traces.svg")), tr("&Traces"));
    m_tabs->addTab(new Switchyard::CostsPage(link, m_tabs), QIcon(QStringLiteral(":/switchyard/icons/costs.svg")), tr("&Costs"));
    m_tabs->addTab(new Switchyard::FailuresPage(link, m_tabs), QIcon(QStringLiteral(":/switchyard/icons/failures.svg")), tr("&Failures"));
    auto *sessions = new Switchyard::SessionsPage(link, m_tabs);
    m_tabs->addTab(sessions, QIcon(QStringLiteral(":/switchyard/icons/sessions.svg")), tr("&Sessions"));
    connect(sessions, &Switchyard::SessionsPage::requestOpened, traces, [this, traces](const QString &id) {
        showPage(TracesPage);
        traces->selectRequest(id);
    });
    m_banner->setObjectName(QStringLiteral("startFailure"));
    m_banner->setWordWrap(true);
    m_banner->setVisible(false);
    m_banner->setStyleSheet(QStringLiteral("background: #b42318; color: white; padding: 8px; font-weight: bold;"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);
    buildMenus();
    buildStatusBar();
    buildTray();
    connect(link, &EngineLink::listening, this, &MainWindow::showListening);
    connect(m_activity, &ActivityMonitor::changed, this, &MainWindow::refreshActivity);

    qApp->installEventFilter(this); // to tell a quit (which closes the window too) from the close button
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1280, 800);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_tabs->setCurrentIndex(settings.value(QStringLiteral("window/page"), int(TracesPage)).toInt());
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    m_settings = file->addAction(tr("&Settings…"), QKeySequence::Preferences, this, &MainWindow::openSettings);
    file->addAction(tr("Connect to &gateway…"), this, &MainWindow::connectToGateway)->setObjectName(QStringLiteral("connectToGateway"));
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QCoreApplication::quit);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    const QStringList names{tr("Routes"), tr("Traces"), tr("Costs"), tr("Failures"), tr("Sessions")};
    for (int i = 0; i < names.size(); ++i)
        view->addAction(names.at(i), QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)), this, [this, i] { showPage(Page(i)); });
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Connect your tools…"), QKeySequence(Qt::CTRL | Qt::Key_K), m_connect, &QDialog::show);
    help->addAction(tr("&About Switchyard"), this, [this] {
        QMessageBox::about(this, tr("About Switchyard"),
                           tr("<b>Switchyard %1</b><p>A local gateway for LLM tools: aliases, fallback, retries, "
                              "and a log of every call.</p><p>GPL-3.0-or-later</p>")
                               .arg(QCoreApplication::applicationVersion()));
    });
}

void MainWindow::buildStatusBar()
{
    m_address = new QLabel(tr("Starting…"), this);
    m_address->setObjectName(QStringLiteral("statusAddress"));
    m_address->setToolTip(tr("Where tools reach the gateway (Ctrl+K shows how)"));
    m_rate = new QLabel(this);
    m_rate->setObjectName(QStringLiteral("statusRate"));
    m_errors = new QLabel(this);
    m_errors->setObjectName(QStringLiteral("statusErrors"));
    m_spend = new QLabel(this);
    m_spend->setObjectName(QStringLiteral("statusSpend"));
    statusBar()->addWidget(m_address);
    statusBar()->addPermanentWidget(m_rate);
    statusBar()->addPermanentWidget(m_errors);
    statusBar()->addPermanentWidget(m_spend);
    refreshActivity();
}

void MainWindow::buildTray()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(windowIcon(), this);
    auto *menu = new QMenu(this);
    menu->addAction(tr("Show Switchyard"), this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    menu->addAction(tr("Connect your tools…"), m_connect, &QDialog::show);
    menu->addSeparator();
    menu->addAction(tr("Quit"), qApp, &QCoreApplication::quit);
    m_tray->setContextMenu(menu);
    m_tray->show();
    m_trayShown = true;
}

void MainWindow::showPage(Page page)
{
    m_tabs->setCurrentIndex(int(page));
}

QString MainWindow::listeningText() const
{
    return m_url;
}

void MainWindow::setAttached(const QString &url)
{
    m_attachedUrl = url;
    setWindowTitle(tr("Switchyard — gateway %1").arg(url));
    m_address->setText(tr("Connecting to the gateway at %1…").arg(url));
    m_address->setToolTip(tr("This window shows a gateway running elsewhere; its calls, routes and log are that gateway's"));
    m_settings->setEnabled(false); // port, log file and theme of a local gateway: none here
    m_settings->setToolTip(tr("The settings of the gateway's own machine"));
}

void MainWindow::showConnection(bool connected, const QString &message)
{
    if (connected) {
        m_banner->setVisible(false);
        m_address->setText(tr("Attached to the gateway at %1").arg(m_attachedUrl));
        return;
    }
    m_banner->setText(tr("Lost the gateway at %1: %2. Reconnecting…").arg(m_attachedUrl, message));
    m_banner->setVisible(true);
    m_address->setText(tr("Reconnecting to %1…").arg(m_attachedUrl));
}

void MainWindow::showListening(const QString &url)
{
    m_url = url;
    m_banner->setVisible(false);
    m_address->setText(m_attachedUrl.isEmpty() ? tr("Listening on %1").arg(url) : tr("Attached to the gateway at %1").arg(url));
    m_connect->setUrl(url);
    refreshActivity();
}

void MainWindow::showStartFailure(const QString &message)
{
    if (!m_attachedUrl.isEmpty())
        m_banner->setText(tr("Cannot attach to the gateway at %1: %2").arg(m_attachedUrl, message));
    else
        m_banner->setText(tr("The gateway is not running: %1. Change the port in File → Settings or start with --port N.").arg(message));
    m_banner->setVisible(true);
    m_address->setText(m_attachedUrl.isEmpty() ? tr("Not listening") : tr("Not attached"));
    refreshActivity();
}

void MainWindow::refreshActivity()
{
    m_rate->setText(tr("%1 req/s").arg(m_activity->requestsPerSecond(), 0, 'f', 1));
    const int errors = m_activity->errorsLastMinute();
    // What the log writer shed while behind (process-wide counters, see LogStats).
    const quint64 shed = LogStats::instance().bodiesShed, dropped = LogStats::instance().rowsDropped;
    // A shared PostgreSQL log away: calls go on and wait for it (see LogWriter).
    const bool logAway = !LogStats::instance().storeReachable.load();
    m_errors->setText(tr("%n error(s) in the last minute", nullptr, errors)
                      + (shed + dropped ? tr(" · log behind: %1 bodies not stored, %2 calls not logged").arg(shed).arg(dropped) : QString())
                      + (logAway ? tr(" · request log unreachable: %n call(s) waiting", nullptr, int(LogStats::instance().queuedRows.load()))
                                 : QString()));
    m_errors->setStyleSheet(errors > 0 || logAway ? QStringLiteral("color: %1; font-weight: bold;").arg(SemanticColours::css(SemanticColours::Tone::Error)) : QString());
    m_spend->setText(tr("Today %1").arg(m_activity->todaySpendText()));
    m_spend->setToolTip(m_activity->todayUnpriced() > 0 ? tr("Calls to models without a known price are not in the sum; "
                                                              "set their price in Costs → Prices or in the config's pricing")
                                                         : QString());
    if (m_tray)
        m_tray->setToolTip(m_url.isEmpty() ? tr("Switchyard: not listening")
                                           : tr("Switchyard on %1\nToday %2").arg(m_url, m_activity->todaySpendText()));
}

void MainWindow::connectToGateway()
{
    GatewayDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString problem = dialog.launch();
    if (!problem.isEmpty())
        QMessageBox::warning(this, tr("Connect to gateway"), problem);
    else
        statusBar()->showMessage(tr("Opening a window on the gateway at %1…").arg(dialog.url()), 8000);
}

void MainWindow::openSettings()
{
    SettingsDialog dialog(m_link->config(), m_dbPath, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QSettings().setValue(SettingsDialog::databasePathKey(), dialog.databasePath());
    if (dialog.theme() != Appearance::saved()) {
        Appearance::save(dialog.theme());
        Appearance::apply(dialog.theme());
    }
    m_link->requestConfigSave(dialog.editedConfig());
    if (dialog.needsRestart())
        statusBar()->showMessage(tr("Saved. The new port or log file takes effect when Switchyard restarts."), 8000);
    else
        statusBar()->showMessage(tr("Settings saved and applied."), 4000);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/page"), m_tabs->currentIndex());
    // Every tool pointed at the gateway would lose its proxy: with a tray icon, closing the
    // window only hides it (File → Quit ends the gateway).
    if (m_trayShown && !m_quitting) {
        auto action = CloseAction(settings.value(closeActionKey(), int(CloseAction::Ask)).toInt());
        if (action == CloseAction::Ask)
            action = askCloseAction();
        if (action == CloseAction::HideToTray) {
            event->ignore();
            hide();
            return;
        }
        if (action == CloseAction::Ask) { // the question was cancelled
            event->ignore();
            return;
        }
    }
    QMainWindow::closeEvent(event);
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == qApp && event->type() == QEvent::Quit)
        m_quitting = true;
    return QMainWindow::eventFilter(watched, event);
}

MainWindow::CloseAction MainWindow::askCloseAction()
{
    QMessageBox box(QMessageBox::Question, tr("Close Switchyard?"),
                    tr("Switchyard is the proxy of every tool pointed at %1. Keep it running in the tray, or quit it?")
                        .arg(m_url.isEmpty() ? tr("it") : m_url),
                    QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("closeQuestion"));
    QPushButton *keep = box.addButton(tr("Keep running in the tray"), QMessageBox::AcceptRole);
    keep->setObjectName(QStringLiteral("keepRunning"));
    QPushButton *quit = box.addButton(tr("Quit the gateway"), QMessageBox::DestructiveRole);
    quit->setObjectName(QStringLiteral("quitGateway"));
    box.setDefaultButton(keep);
    auto *remember = new QCheckBox(tr("Do not ask again"), &box);
    remember->setChecked(true);
    box.setCheckBox(remember);
    box.exec();
    const CloseAction action = box.clickedButton() == keep ? CloseAction::HideToTray
                               : box.clickedButton() == quit ? CloseAction::Quit
                                                             : CloseAction::Ask;
    if (action != CloseAction::Ask && remember->isChecked())
        QSettings().setValue(closeActionKey(), int(action));
    return action;
}

} // namespace Switchyard
