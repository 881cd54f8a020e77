// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/telemetry/OtlpExporter.h"
#include "core/telemetry/OtlpTraceEncoder.h"
#include "core/telemetry/TelemetryStats.h"
#include "tests/support/AppProcess.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/OtlpReceiver.h"
#include "tests/support/RawHttpClient.h"
#include <QElapsedTimer>
#include <csignal>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Switchyard;
using namespace Switchyard::Test;
using namespace Qt::Literals::StringLiterals;

// OpenTelemetry export: what the encoder writes follows OTLP/HTTP JSON and the GenAI semantic
// conventions (decoded by a receiver that checks the encoding's rules), the exporter delivers
// batches off the request path and stays bounded when the collector is down, and the real
// binary exports every proxied call.
class TestOtlpExporter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void spansOfEachKindOfCall_data();
    void spansOfEachKindOfCall();
    void bodiesOnlyWhenAsked();
    void exporterDeliversWithHeaders();
    void collectorDownStaysBounded();
    void realBinaryExportsProxiedCalls();
    void encodeCost();
};

namespace {

const QDateTime Start = QDateTime::fromMSecsSinceEpoch(1796400000000LL, Qt::UTC);

CallRecord call(const QString &id, bool ok, int attempts, bool stream)
{
    CallRecord r;
    r.id = id;
    r.startedAt = Start;
    r.durationMs = 1500;
    r.ttftMs = stream ? std::optional<qint64>(300) : std::nullopt;
    r.endpoint = u"/v1/chat/completions"_s;
    r.requestedModel = r.alias = u"general"_s;
    r.provider = u"openai"_s;
    r.model = u"gpt-4o-mini"_s;
    r.ok = ok;
    r.status = ok ? 200 : 503;
    r.errorClass = ok ? ErrorClass::None : ErrorClass::Upstream5xx;
    r.errorMessage = ok ? QString() : u"HTTP 503: overloaded"_s;
    r.stream = stream;
    r.usage.promptTokens = 120;
    r.usage.completionTokens = 30;
    r.costUsd = ok ? std::optional<double>(0.000036) : std::nullopt;
    r.requestBody = R"({"model":"general","messages":[{"role":"user","content":"secret prompt"}]})";
    r.responseBody = R"({"choices":[]})";
    for (int i = 0; i < attempts; ++i) {
        const bool last = i == attempts - 1;
        Attempt a;
        a.provider = u"openai"_s;
        a.model = u"gpt-4o-mini"_s;
        a.status = last && ok ? 200 : 503;
        a.errorClass = last && ok ? ErrorClass::None : ErrorClass::Upstream5xx;
        a.message = a.errorClass == ErrorClass::None ? QString() : u"HTTP 503: overloaded"_s;
        a.startedAfterMs = i * 500;
        a.durationMs = 400;
        r.attempts.append(a);
    }
    return r;
}

TelemetryConfig telemetry(const QString &endpoint = QString())
{
    TelemetryConfig t;
    t.otlpEndpoint = endpoint;
    return t;
}

} // namespace

void TestOtlpExporter::spansOfEachKindOfCall_data()
{
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("attempts");
    QTest::addColumn<bool>("stream");
    QTest::newRow("ok") << true << 1 << false;
    QTest::newRow("failed after a retry") << false << 2 << false;
    QTest::newRow("retried, then ok") << true << 3 << false;
    QTest::newRow("streamed") << true << 1 << true;
}

void TestOtlpExporter::spansOfEachKindOfCall()
{
    QFETCH(bool, ok);
    QFETCH(int, attempts);
    QFETCH(bool, stream);
    const CallRecord r = call(u"req_1"_s, ok, attempts, stream);
    const QList<ReceivedSpan> spans = OtlpReceiver::decode(OtlpTraceEncoder::encode({r}, telemetry()));
    QCOMPARE(spans.size(), 1 + attempts);
    const ReceivedSpan &request = spans.first();
    QVERIFY2(request.error.isEmpty(), qPrintable(request.error));
    QCOMPARE(request.resourceServiceName, u"switchyard"_s);
    QCOMPARE(request.name, u"chat general"_s);
    QCOMPARE(request.kind, 2); // SERVER
    QVERIFY(request.parentSpanId.isEmpty());
    QCOMPARE(request.endNanos - request.startNanos, 1500LL * 1000000);
    QCOMPARE(request.attributes.value(u"gen_ai.operation.name"_s).toString(), u"chat"_s);
    QCOMPARE(request.attributes.value(u"gen_ai.provider.name"_s).toString(), u"openai"_s);
    QCOMPARE(request.attributes.value(u"gen_ai.request.model"_s).toString(), u"general"_s);
    QCOMPARE(request.attributes.value(u"gen_ai.response.model"_s).toString(), u"gpt-4o-mini"_s);
    QCOMPARE(request.attributes.value(u"gen_ai.usage.input_tokens"_s).toInt(), 120);
    QCOMPARE(request.attributes.value(u"gen_ai.usage.output_tokens"_s).toInt(), 30);
    QCOMPARE(request.attributes.value(u"switchyard.alias"_s).toString(), u"general"_s);
    QCOMPARE(request.attributes.value(u"switchyard.attempts"_s).toInt(), attempts);
    QCOMPARE(request.attributes.value(u"switchyard.stream"_s).toBool(), stream);
    QCOMPARE(request.attributes.contains(u"switchyard.ttft_ms"_s), stream);
    QCOMPARE(request.statusCode, ok ? 1 : 2);
    QCOMPARE(request.attributes.value(u"error.type"_s).toString(), ok ? QString() : u"upstream_5xx"_s);
    QCOMPARE(request.attributes.value(u"switchyard.error_class"_s).toString(), ok ? QString() : u"upstream_5xx"_s);
    QCOMPARE(request.attributes.contains(u"switchyard.cost_usd"_s), ok);
    for (int i = 1; i <= attempts; ++i) {
        const ReceivedSpan &a = spans.at(i);
        QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
        QCOMPARE(a.traceId, request.traceId);
        QCOMPARE(a.parentSpanId, request.spanId);
        QCOMPARE(a.kind, 3); // CLIENT
        QCOMPARE(a.attributes.value(u"switchyard.attempt"_s).toInt(), i);
        const bool attemptOk = ok && i == attempts;
        QCOMPARE(a.statusCode, attemptOk ? 1 : 2);
        QCOMPARE(a.attributes.value(u"http.response.status_code"_s).toInt(), attemptOk ? 200 : 503);
        QCOMPARE(a.startNanos - request.startNanos, qint64(i - 1) * 500 * 1000000);
    }
    // One request id, one trace: exporting again gives the same ids.
    QCOMPARE(OtlpReceiver::decode(OtlpTraceEncoder::encode({r}, telemetry())).first().spanId, request.spanId);
}

void TestOtlpExporter::bodiesOnlyWhenAsked()
{
    const CallRecord r = call(u"req_2"_s, true, 1, false);
    TelemetryConfig config = telemetry();
    QVERIFY(!OtlpTraceEncoder::encode({r}, config).contains("secret prompt"));
    config.exportBodies = true;
    const QList<ReceivedSpan> spans = OtlpReceiver::decode(OtlpTraceEncoder::encode({r}, config));
    QVERIFY(spans.first().attributes.value(u"switchyard.request_body"_s).toString().contains(u"secret prompt"_s));
}

void TestOtlpExporter::exporterDeliversWithHeaders()
{
    OtlpReceiver receiver;
    OtlpExporter exporter;
    TelemetryConfig config = telemetry(receiver.endpoint());
    config.headers = {{u"Authorization"_s, u"Bearer collector-token"_s}};
    config.serviceName = u"gateway-a"_s;
    exporter.setConfig(config);
    QSignalSpy exported(&exporter, &OtlpExporter::exported);
    const quint64 before = TelemetryStats::instance().exportedSpans;
    exporter.append({call(u"req_a"_s, true, 1, false), call(u"req_b"_s, false, 2, true)});
    exporter.flush(); // or within IntervalMs by itself
    QVERIFY(exported.wait(5000));
    QCOMPARE(exported.first().at(1).toBool(), true);
    QVERIFY(receiver.waitForSpans(5));
    QCOMPARE(receiver.spans().first().resourceServiceName, u"gateway-a"_s);
    QCOMPARE(receiver.requestHeaders().first().value("authorization"), QByteArray("Bearer collector-token"));
    QCOMPARE(TelemetryStats::instance().exportedSpans - before, 5u);
    QVERIFY(TelemetryStats::instance().prometheusText().contains("switchyard_otlp_spans_exported_total"));
}

void TestOtlpExporter::collectorDownStaysBounded()
{
    OtlpExporter exporter;
    exporter.setConfig(telemetry(u"http://127.0.0.1:%1/v1/traces"_s.arg(FakeProvider::unusedPort())));
    TelemetryStats &stats = TelemetryStats::instance();
    const quint64 droppedBefore = stats.droppedSpans;
    const quint64 failedBefore = stats.failedExports;
    QSignalSpy exported(&exporter, &OtlpExporter::exported);
    QElapsedTimer clock;
    clock.start();
    QList<CallRecord> many;
    for (int i = 0; i < OtlpExporter::MaxQueued + 1000; ++i)
        many.append(call(u"req_%1"_s.arg(i), true, 1, false));
    exporter.append(many); // never waits for the collector
    QVERIFY(clock.elapsed() < 5000);
    QVERIFY(stats.queued <= OtlpExporter::MaxQueued);
    QVERIFY(exported.wait(5000));
    QCOMPARE(exported.first().at(1).toBool(), false);
    QVERIFY(stats.failedExports > failedBefore);
    // The calls beyond the queue, and the failed batch, were dropped and counted (2 spans each).
    QVERIFY(stats.droppedSpans - droppedBefore >= quint64(1000 * 2 + OtlpExporter::BatchSize * 2));
}

void TestOtlpExporter::realBinaryExportsProxiedCalls()
{
    if (AppProcess::binary().isEmpty())
        QSKIP("SWITCHYARD_BINARY is not set (run through ctest)");
    FakeProvider provider;
    OtlpReceiver receiver;
    QTemporaryDir home;
    const QString configPath = home.filePath(u"config.json"_s);
    QFile file(configPath);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QStringLiteral(R"({"version":1,
      "providers":[{"name":"fake","kind":"openai","base_url":"http://127.0.0.1:%1/v1"}],
      "aliases":[{"name":"general","targets":[{"provider":"fake","model":"gpt-4o-mini"}]}],
      "telemetry":{"otlp_endpoint":"%2","headers":{"x-team":"blue"}}})")
                   .arg(provider.port())
                   .arg(receiver.endpoint())
                   .toUtf8());
    file.close();
    AppProcess app(home.path());
    const quint16 port = app.startHeadless(configPath, home.filePath(u"requests.db"_s));
    QVERIFY2(port, qPrintable(app.failure()));
    const auto answer = RawHttpClient::fetch(port, "POST", "/v1/chat/completions",
                                             R"({"model":"general","messages":[{"role":"user","content":"Hi"}]})");
    QCOMPARE(answer.status, 200);
    QVERIFY(receiver.waitForSpans(2, 15000)); // the request and its attempt, within about a second
    const QList<ReceivedSpan> spans = receiver.spans();
    QCOMPARE(spans.first().attributes.value(u"switchyard.request_id"_s).toString(),
             QString::fromLatin1(answer.headers.value("x-switchyard-request-id")));
    QCOMPARE(spans.first().attributes.value(u"gen_ai.usage.output_tokens"_s).toInt(), 7);
    QCOMPARE(receiver.requestHeaders().first().value("x-team"), QByteArray("blue"));
    // The header value is a secret like a key: the admin API masks it.
    const auto config = RawHttpClient::fetch(port, "GET", "/api/config");
    QVERIFY(!config.body.contains("blue"));
    // Counted once the receiver's answer is back, which may be after the spans arrived.
    QTRY_VERIFY_WITH_TIMEOUT(RawHttpClient::fetch(port, "GET", "/metrics").body.contains("switchyard_otlp_spans_exported_total 2"), 10000);
    QVERIFY(app.finish(SIGTERM));
}

// The export's cost per call, measured (not asserted): encoding is the part on the exporter's
// thread that grows with traffic.
void TestOtlpExporter::encodeCost()
{
    QList<CallRecord> batch;
    for (int i = 0; i < OtlpExporter::BatchSize; ++i)
        batch.append(call(u"req_%1"_s.arg(i), i % 5 != 0, 1 + i % 3, i % 2 == 0));
    QElapsedTimer clock;
    clock.start();
    int rounds = 0;
    while (clock.elapsed() < 300 && rounds < 1000) {
        QVERIFY(!OtlpTraceEncoder::encode(batch, telemetry()).isEmpty());
        ++rounds;
    }
    qInfo("OTLP JSON encoding: %.1f µs per call", double(clock.nsecsElapsed()) / 1000.0 / (rounds * batch.size()));
}

QTEST_GUILESS_MAIN(TestOtlpExporter)
#include "tst_OtlpExporter.moc"
