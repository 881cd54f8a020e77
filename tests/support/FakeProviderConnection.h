// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/http/HttpRequestParser.h"
#include "tests/support/FakeProviderReplies.h"
#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace Switchyard::Test {

struct FakeProviderState;

// One client connection to the fake provider: parses requests one after another (keep-alive)
// and plays each one's ReplyPlan, pauses included. Lives on the provider's server thread.
class FakeProviderConnection final : public QObject
{
    Q_OBJECT
public:
    FakeProviderConnection(QTcpSocket *socket, quint64 id, FakeProviderState *state, QObject *parent);
    ~FakeProviderConnection() override;

Q_SIGNALS:
    void requestReceived();
    // The client closed the connection before its reply was finished.
    void clientDisconnected();

private:
    void readAvailable();
    void process();
    void advance();
    void finishReply();
    void closeAbruptly();
    void onDisconnected();

    QTcpSocket *m_socket;
    quint64 m_id;
    FakeProviderState *m_state;
    HttpRequestParser m_parser;
    QByteArray m_buffer; // read but not parsed yet
    ReplyPlan m_plan;
    qsizetype m_nextStep = 0;
    bool m_waited = false; // the pause before m_nextStep is over
    bool m_replying = false;
    bool m_closing = false; // we are closing the connection
    bool m_gone = false;    // the socket is closed
    QTimer m_timer;
};

} // namespace Switchyard::Test
