// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/http/HttpHeaders.h"
#include "core/routing/ErrorClass.h"
#include "core/stream/SseParser.h"
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace Switchyard {

class RemoteApiClient;
class UpstreamCall;

// Follows GET /api/events of a remote gateway: each `request` event's data as it arrives, each
// `config` event as a fact; comments (": keep-alive") are skipped. A stream that drops or cannot
// be opened is opened again after 1 s, 2 s, 4 s… (at most 10 s) until close().
class EventStreamReader final : public QObject
{
    Q_OBJECT
public:
    static constexpr int FirstRetryMs = 1000;
    static constexpr int MaxRetryMs = 10000;
    // Three of the gateway's 15 s keep-alives missed: the connection is dead.
    static constexpr int IdleMs = 45000;

    explicit EventStreamReader(RemoteApiClient *api, QObject *parent = nullptr);
    ~EventStreamReader() override;

    void open();
    void close();
    bool isConnected() const { return m_connected; }

Q_SIGNALS:
    // Connected (again), or lost with the reason and when the next try is.
    void connectionChanged(bool connected, const QString &message);
    // The stream was open again after a drop: events may have been missed meanwhile.
    void reconnected();
    void requestFinished(const QJsonObject &item);
    void configChanged();

private:
    void connectNow();
    void onHead(int status, const Switchyard::HttpHeaders &headers);
    void onData(const QByteArray &data);
    void onEnded();
    void onFailed(Switchyard::ErrorClass errorClass, const QString &message);
    void dropped(const QString &why);
    void discardCall();

    RemoteApiClient *m_api;
    QPointer<UpstreamCall> m_call;
    SseParser m_parser;
    QTimer m_retry;
    int m_retryMs = FirstRetryMs;
    int m_status = 0;
    QByteArray m_refusal; // the body of an answer that is not the stream
    bool m_open = false;
    bool m_connected = false;
    bool m_everConnected = false;
};

} // namespace Switchyard
