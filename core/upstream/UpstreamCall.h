// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/http/HttpResponseParser.h"
#include "core/routing/ErrorClass.h"
#include "core/upstream/UpstreamRequest.h"
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <optional>

class QTcpSocket;

namespace Switchyard {

class UpstreamClient;

// One request to an upstream and its response, delivered as it arrives. Each timeout
// covers its own phase: connect, first byte, idle gap between body reads, and the total.
// Exactly one of finished() or failed() is emitted, unless abort() is called first.
class UpstreamCall final : public QObject
{
    Q_OBJECT
public:
    UpstreamCall(UpstreamClient *client, UpstreamRequest request);
    ~UpstreamCall() override;

    void start();
    // Stops at once and closes the connection; no further signals.
    void abort();

    int status() const { return m_parser.status(); }
    const HttpHeaders &responseHeaders() const { return m_parser.headers(); }
    qint64 elapsedMs() const { return m_clock.elapsed(); }
    std::optional<qint64> firstByteMs() const { return m_firstByteMs; }

Q_SIGNALS:
    void responseHead(int status, const Switchyard::HttpHeaders &headers);
    void responseData(const QByteArray &data);
    void finished();
    void failed(Switchyard::ErrorClass errorClass, const QString &message);

private:
    enum class Phase { Idle, Connecting, Waiting, Receiving, Done };

    void connectNew();
    void attachSocket();
    void sendRequest();
    void readResponse();
    void onSocketClosed();
    void onPhaseTimeout();
    void onTotalTimeout();
    void complete();
    void fail(ErrorClass errorClass, const QString &message);
    void discardSocket();
    ErrorClass timeoutClass() const;

    UpstreamClient *m_client;
    UpstreamRequest m_request;
    QString m_poolKey;
    QTcpSocket *m_socket = nullptr;
    HttpResponseParser m_parser;
    Phase m_phase = Phase::Idle;
    QTimer m_phaseTimer;
    QTimer m_totalTimer;
    QElapsedTimer m_clock;
    std::optional<qint64> m_firstByteMs;
    bool m_reusedConnection = false;
    bool m_headEmitted = false;
};

} // namespace Switchyard
