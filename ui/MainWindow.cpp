// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/MainWindow.h"
#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QUrl>
#include <QVBoxLayout>

namespace Switchyard {

MainWindow::MainWindow(const QString &configPath, QWidget *parent)
    : QMainWindow(parent)
    , m_configPath(configPath)
{
    setWindowTitle(QStringLiteral("Switchyard"));
    setWindowIcon(QIcon(QStringLiteral(":/switchyard/switchyard.svg")));
    setCentralWidget(buildOverview());
    m_statusBarAddress = new QLabel(tr("Starting…"), this);
    statusBar()->addPermanentWidget(m_statusBarAddress);
    resize(900, 560);

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(windowIcon(), this);
        auto *menu = new QMenu(this);
        menu->addAction(tr("Show Switchyard"), this, &QWidget::showNormal);
        menu->addAction(tr("Quit"), qApp, &QCoreApplication::quit);
        m_tray->setContextMenu(menu);
        m_tray->setToolTip(tr("Switchyard: starting…"));
        m_tray->show();
    }
}

QWidget *MainWindow::buildOverview()
{
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(24, 20, 24, 20);
    layout->setSpacing(14);

    auto *title = new QLabel(tr("Switchyard"), page);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.8);
    titleFont.setBold(true);
    title->setFont(titleFont);
    auto *subtitle = new QLabel(tr("A local gateway for your LLM tools: stable aliases, fallback, retries and a log of every call."), page);
    subtitle->setWordWrap(true);
    layout->addWidget(title);
    layout->addWidget(subtitle);

    auto *gateway = new QGroupBox(tr("Gateway"), page);
    auto *form = new QFormLayout(gateway);
    m_status = new QLabel(tr("Starting…"), gateway);
    m_status->setObjectName(QStringLiteral("gatewayStatus"));
    m_address = new QLabel(QStringLiteral("—"), gateway);
    m_address->setObjectName(QStringLiteral("gatewayAddress"));
    m_address->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *configRow = new QWidget(gateway);
    auto *configLayout = new QHBoxLayout(configRow);
    configLayout->setContentsMargins(0, 0, 0, 0);
    auto *configLabel = new QLabel(m_configPath, configRow);
    configLabel->setObjectName(QStringLiteral("configPath"));
    configLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *openFolder = new QPushButton(tr("Open folder"), configRow);
    connect(openFolder, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_configPath).absolutePath()));
    });
    configLayout->addWidget(configLabel, 1);
    configLayout->addWidget(openFolder);
    form->addRow(tr("Status:"), m_status);
    form->addRow(tr("Listening on:"), m_address);
    form->addRow(tr("Config file:"), configRow);
    layout->addWidget(gateway);

    auto *setup = new QGroupBox(tr("Point your tools at it"), page);
    auto *setupLayout = new QVBoxLayout(setup);
    m_clientSetup = new QPlainTextEdit(setup);
    m_clientSetup->setObjectName(QStringLiteral("clientSetup"));
    m_clientSetup->setReadOnly(true);
    m_clientSetup->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_clientSetup->setPlainText(tr("Waiting for the gateway to start…"));
    auto *copy = new QPushButton(tr("Copy"), setup);
    connect(copy, &QPushButton::clicked, this, &MainWindow::copyClientSetup);
    auto *copyRow = new QHBoxLayout;
    copyRow->addStretch(1);
    copyRow->addWidget(copy);
    setupLayout->addWidget(m_clientSetup);
    setupLayout->addLayout(copyRow);
    layout->addWidget(setup, 1);
    return page;
}

QString MainWindow::listeningText() const
{
    return m_address->text();
}

void MainWindow::showListening(const QString &url)
{
    m_url = url;
    m_status->setText(tr("Running"));
    m_status->setStyleSheet(QStringLiteral("color: #1a7f37; font-weight: bold;"));
    m_address->setText(url);
    m_statusBarAddress->setText(tr("Listening on %1").arg(url));
    m_clientSetup->setPlainText(
        tr("# OpenAI SDKs, and tools that speak the OpenAI API\n"
           "export OPENAI_BASE_URL=%1/v1\n\n"
           "# Which aliases and models it serves\n"
           "curl %1/v1/models\n\n"
           "# Check that it answers\n"
           "curl %1/health\n")
            .arg(url));
    if (m_tray)
        m_tray->setToolTip(tr("Switchyard: listening on %1").arg(url));
}

void MainWindow::showStartFailure(const QString &message)
{
    m_status->setText(tr("Not running: %1").arg(message));
    m_status->setStyleSheet(QStringLiteral("color: #b42318; font-weight: bold;"));
    m_status->setWordWrap(true);
    m_statusBarAddress->setText(tr("Not listening"));
    m_clientSetup->setPlainText(tr("The gateway could not start:\n%1\n\nChange listen.port in %2 or start with --port N.")
                                    .arg(message, m_configPath));
    if (m_tray)
        m_tray->setToolTip(tr("Switchyard: not running"));
}

void MainWindow::copyClientSetup()
{
    QApplication::clipboard()->setText(m_clientSetup->toPlainText());
    statusBar()->showMessage(tr("Copied"), 2000);
}

} // namespace Switchyard
