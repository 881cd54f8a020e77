// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/RemoteWindow.h"
#include "core/log/LogReader.h"
#include "core/remote/RemoteGateway.h"
#include "core/remote/RemoteLog.h"
#include "ui/EngineLink.h"
#include "ui/EngineLinkWiring.h"
#include "ui/MainWindow.h"
#include <QThread>

namespace Switchyard {

RemoteWindow::RemoteWindow(const AdminClient::Target &gateway, QObject *parent)
    : QObject(parent)
    , m_target(gateway)
    , m_thread(new QThread(this))
    , m_gateway(new RemoteGateway(gateway))
    , m_reader(new LogReader([gateway] { return std::make_shared<RemoteLog>(gateway); }, this))
    , m_link(new EngineLink(m_reader, this))
{
    m_link->setRemote(true);
    m_thread->setObjectName(QStringLiteral("gateway-link"));
    m_gateway->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_gateway, &QObject::deleteLater);
    wireEngineLink(m_gateway, m_link);
    const QString url = gateway.base.toString(QUrl::RemoveUserInfo);
    m_window = std::make_unique<MainWindow>(m_link, QString(), QString());
    m_window->setAttached(url);
    connect(m_gateway, &RemoteGateway::started, m_window.get(), &MainWindow::showListening, Qt::QueuedConnection);
    connect(m_gateway, &RemoteGateway::startFailed, m_window.get(), &MainWindow::showStartFailure, Qt::QueuedConnection);
    connect(m_gateway, &RemoteGateway::connectionChanged, m_window.get(), &MainWindow::showConnection, Qt::QueuedConnection);
}

RemoteWindow::~RemoteWindow()
{
    QMetaObject::invokeMethod(m_gateway, &RemoteGateway::stop, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

void RemoteWindow::start()
{
    m_thread->start();
    QMetaObject::invokeMethod(m_gateway, "start", Qt::QueuedConnection, Q_ARG(Switchyard::Config, Config()));
    m_window->show();
}

} // namespace Switchyard
