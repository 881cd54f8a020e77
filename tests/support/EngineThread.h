// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/proxy/CallRecord.h"
#include <QObject>
#include <QThread>

namespace Switchyard {
class ProxyEngine;
}

namespace Switchyard::Test {

// The real ProxyEngine on its own thread, listening on 127.0.0.1 at a port the OS picks,
// the way the app runs it. Finished call records are collected on the creating thread.
class EngineThread final : public QObject
{
    Q_OBJECT
public:
    explicit EngineThread(Config config);
    ~EngineThread() override;

    quint16 port() const { return m_port; }
    void applyConfig(const Config &config);
    const QList<CallRecord> &records() const { return m_records; }
    // Spins the event loop until `count` records arrived in total.
    bool waitForRecords(int count, int timeoutMs = 10000);

private:
    void collect(const QList<Switchyard::CallRecord> &records);

    QThread m_thread;
    ProxyEngine *m_engine;
    quint16 m_port = 0;
    QList<CallRecord> m_records;
};

} // namespace Switchyard::Test
