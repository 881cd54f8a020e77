// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/cli/AdminClient.h"
#include <QObject>
#include <memory>

class QThread;

namespace Switchyard {

class EngineLink;
class LogReader;
class MainWindow;
class RemoteGateway;

// `switchyard --attach URL`: the window of a gateway running elsewhere, with no proxy or log
// here. The same MainWindow and EngineLink as a local run, wired to a RemoteGateway (the
// remote's admin API and event stream, on a thread of its own) and to a LogReader that asks
// that admin API instead of a SQLite file.
class RemoteWindow final : public QObject
{
    Q_OBJECT
public:
    explicit RemoteWindow(const AdminClient::Target &gateway, QObject *parent = nullptr);
    ~RemoteWindow() override;

    // Shows the window and starts talking to the gateway.
    void start();
    MainWindow *window() const { return m_window.get(); }
    EngineLink *link() const { return m_link; }

private:
    AdminClient::Target m_target;
    QThread *m_thread;
    RemoteGateway *m_gateway;
    LogReader *m_reader;
    EngineLink *m_link;
    std::unique_ptr<MainWindow> m_window;
};

} // namespace Switchyard
