// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/OtlpReceiver.h"
#include "core/http/HttpExchange.h"
#include "core/http/HttpHandler.h"
#include "core/http/HttpServer.h"
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QThread>

namespace Switchyard::Test {

using namespace Qt::Literals::StringLiterals;

class OtlpHandler final : public QObject, public HttpHandler
{
public:
    void handle(HttpExchange *exchange) override
    {
        const HttpRequest &request = exchange->request();
        if (request.method != "POST" || request.path != "/v1/traces")
            return exchange->respondJson(404, R"({"code":5,"message":"not found"})");
        if (failWith != 0)
            return exchange->respondJson(failWith.load(), R"({"code":14,"message":"unavailable"})");
        if (!request.headers.value("content-type").startsWith("application/json"))
            return exchange->respondJson(415, R"({"code":3,"message":"expected application/json"})");
        {
            QMutexLocker lock(&mutex);
            spans += OtlpReceiver::decode(request.body);
            headers.append(request.headers);
        }
        exchange->respondJson(200, "{}"); // ExportTraceServiceResponse, all accepted
    }
    std::atomic<int> failWith{0};
    mutable QMutex mutex;
    QList<ReceivedSpan> spans;
    QList<HttpHeaders> headers;
};

namespace {

QJsonValue attributeValue(const QJsonObject &any, QString &error)
{
    if (any.contains("stringValue"_L1))
        return any.value("stringValue"_L1);
    if (any.contains("boolValue"_L1))
        return any.value("boolValue"_L1);
    if (any.contains("doubleValue"_L1))
        return any.value("doubleValue"_L1);
    if (any.contains("intValue"_L1)) { // int64: a decimal string in OTLP/JSON
        bool ok = false;
        const qint64 v = any.value("intValue"_L1).toString().toLongLong(&ok);
        if (!ok)
            error = u"intValue is not a decimal string"_s;
        return double(v);
    }
    error = u"an attribute value of no known type"_s;
    return QJsonValue();
}

qint64 nanos(const QJsonValue &v, QString &error)
{
    bool ok = false;
    const qint64 n = v.toString().toLongLong(&ok);
    if (!ok)
        error = u"a time is not a decimal string of nanoseconds"_s;
    return n;
}

} // namespace

QList<ReceivedSpan> OtlpReceiver::decode(const QByteArray &json)
{
    static const QRegularExpression traceHex(u"^[0-9a-f]{32}$"_s);
    static const QRegularExpression spanHex(u"^[0-9a-f]{16}$"_s);
    QList<ReceivedSpan> out;
    const QJsonObject root = QJsonDocument::fromJson(json).object();
    for (const QJsonValue &rs : root.value("resourceSpans"_L1).toArray()) {
        QString service;
        for (const QJsonValue &a : rs["resource"_L1]["attributes"_L1].toArray()) {
            if (a["key"_L1] == "service.name"_L1)
                service = a["value"_L1]["stringValue"_L1].toString();
        }
        for (const QJsonValue &ss : rs["scopeSpans"_L1].toArray()) {
            for (const QJsonValue &v : ss["spans"_L1].toArray()) {
                const QJsonObject s = v.toObject();
                ReceivedSpan span;
                span.resourceServiceName = service;
                span.traceId = s.value("traceId"_L1).toString();
                span.spanId = s.value("spanId"_L1).toString();
                span.parentSpanId = s.value("parentSpanId"_L1).toString();
                span.name = s.value("name"_L1).toString();
                span.kind = s.value("kind"_L1).toInt();
                span.statusCode = s.value("status"_L1).toObject().value("code"_L1).toInt();
                span.statusMessage = s.value("status"_L1).toObject().value("message"_L1).toString();
                span.startNanos = nanos(s.value("startTimeUnixNano"_L1), span.error);
                span.endNanos = nanos(s.value("endTimeUnixNano"_L1), span.error);
                if (!traceHex.match(span.traceId).hasMatch() || !spanHex.match(span.spanId).hasMatch()
                    || (!span.parentSpanId.isEmpty() && !spanHex.match(span.parentSpanId).hasMatch()))
                    span.error = u"ids are not lowercase hex of 16 and 8 bytes"_s;
                for (const QJsonValue &a : s.value("attributes"_L1).toArray())
                    span.attributes.insert(a["key"_L1].toString(), attributeValue(a["value"_L1].toObject(), span.error));
                out.append(span);
            }
        }
    }
    return out;
}

OtlpReceiver::OtlpReceiver()
{
    m_handler = new OtlpHandler;
    m_server = new HttpServer(m_handler, m_handler);
    m_handler->moveToThread(&m_thread);
    m_thread.start();
    QMetaObject::invokeMethod(m_handler, [this] {
        if (m_server->listen(u"127.0.0.1"_s, 0))
            m_port = m_server->port();
    }, Qt::BlockingQueuedConnection);
}

OtlpReceiver::~OtlpReceiver()
{
    QMetaObject::invokeMethod(m_handler, [this] { delete m_handler; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

QString OtlpReceiver::endpoint() const
{
    return u"http://127.0.0.1:%1/v1/traces"_s.arg(m_port);
}

void OtlpReceiver::setFailWith(int status)
{
    m_handler->failWith = status;
}

QList<ReceivedSpan> OtlpReceiver::spans() const
{
    QMutexLocker lock(&m_handler->mutex);
    return m_handler->spans;
}

QList<HttpHeaders> OtlpReceiver::requestHeaders() const
{
    QMutexLocker lock(&m_handler->mutex);
    return m_handler->headers;
}

int OtlpReceiver::posts() const
{
    QMutexLocker lock(&m_handler->mutex);
    return int(m_handler->headers.size());
}

bool OtlpReceiver::waitForSpans(int count, int timeoutMs) const
{
    QDeadlineTimer deadline(timeoutMs);
    while (spans().size() < count) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return true;
}

} // namespace Switchyard::Test
