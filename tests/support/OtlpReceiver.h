// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/http/HttpHeaders.h"
#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QMutex>
#include <QThread>
#include <atomic>

namespace Switchyard {
class HttpServer;
}

namespace Switchyard::Test {

class OtlpHandler;

// One span as an OTLP/HTTP JSON export carried it, checked against the encoding's rules
// (hex ids of the right length, times as decimal strings, typed attribute values).
struct ReceivedSpan
{
    QString traceId;
    QString spanId;
    QString parentSpanId;
    QString name;
    int kind = 0;
    int statusCode = 0;
    QString statusMessage;
    qint64 startNanos = 0;
    qint64 endNanos = 0;
    QHash<QString, QJsonValue> attributes; // intValue as a number, others as they are
    QString resourceServiceName;
    QString error; // what broke the encoding's rules, empty when none
};

// An OpenTelemetry collector's OTLP/HTTP traces endpoint (POST /v1/traces, JSON) on its own
// thread and a port the OS picks; it decodes what it gets, or answers `failWith` (e.g. 503).
class OtlpReceiver final
{
public:
    OtlpReceiver();
    ~OtlpReceiver();
    quint16 port() const { return m_port; }
    QString endpoint() const; // "http://127.0.0.1:PORT/v1/traces"

    void setFailWith(int status);
    QList<ReceivedSpan> spans() const;
    QList<HttpHeaders> requestHeaders() const;
    int posts() const;
    // Waits (running the caller's event loop) until at least `count` spans arrived.
    bool waitForSpans(int count, int timeoutMs = 10000) const;

    static QList<ReceivedSpan> decode(const QByteArray &json);

private:
    QThread m_thread;
    OtlpHandler *m_handler = nullptr;
    HttpServer *m_server = nullptr;
    quint16 m_port = 0;
};

} // namespace Switchyard::Test
