// SPDX-License-Identifier: GPL-3.0-or-later
// Every upstream fault × plain and streaming requests. Each row runs its eight cells at once
// against one engine: inbound dialect × target kind (the same, or translated) × a fallback
// alias (the faulty target, then a healthy one) and a single-target alias. Each cell checks
// what the client got, whether the call fell back, the error class and the log row.
#include "tests/support/EngineThread.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include "tests/support/TestPrinters.h"
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace Switchyard;
using namespace Switchyard::Test;
using namespace Qt::StringLiterals;
using Behaviour = FakeProvider::Behaviour;

class TestFaultMatrix : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void faultRow_data();
    void faultRow();
};

namespace {

// Short timeouts on the faulty target only; the healthy one gets room on a loaded machine.
constexpr int FaultyConnectMs = 1000;
constexpr int FaultyFirstByteMs = 2000; // a 2 MiB answer under ASan on a busy machine took over 1 s to start
constexpr int FaultyIdleMs = 1000;
constexpr int PauseMs = 4000;                    // a slow first byte or a stall: far past the limits above
constexpr qint64 BodyLimit = 1024 * 1024;        // limits.max_body_bytes in these runs
constexpr qint64 OversizedBytes = 2 * BodyLimit; // an answer past it

// What one fault does, and what Switchyard makes of it.
struct Fault
{
    const char *name;
    Behaviour plain;           // the faulty target's behaviour for a plain request
    Behaviour stream;          // … and for a streaming one
    ErrorClass errorClass;     // of each attempt on the faulty target before any byte reached the client
    int attemptStatus;         // the upstream status those attempts saw (0: none)
    int allFailedStatus;       // what the client gets when no target is left
    bool refused = false;      // nothing listens: the fake never sees a request
    bool breaksMidStream = false; // a stream has already reached the client when it breaks
    bool streamPasses = false;    // a stream is not affected (only buffered answers are)
    qint64 retryAfterMs = 0;      // the retry waits at least this long
    // Generous timeouts on the faulty target: the fault is not about time, and a 2 MiB answer
    // under ASan beside the kill -9 tests once took over 2 s to start.
    bool patient = false;
};

QList<Fault> faults()
{
    const Behaviour none;
    return {
        {"refused", none, none, ErrorClass::ConnectFailed, 0, 502, true},
        {"reset before headers", Behaviour::reset(), Behaviour::reset(), ErrorClass::BadUpstreamResponse, 0, 502},
        {"reset mid-body", Behaviour::resetMidBody(0), Behaviour::resetMidBody(2), ErrorClass::BadUpstreamResponse, 200, 502,
         false, true},
        {"429 with Retry-After", Behaviour::httpError(429, QString(), "1"), Behaviour::httpError(429, QString(), "1"),
         ErrorClass::RateLimited, 429, 429, false, false, false, 1000},
        {"429 without Retry-After", Behaviour::httpError(429), Behaviour::httpError(429), ErrorClass::RateLimited, 429, 429},
        {"500", Behaviour::httpError(500), Behaviour::httpError(500), ErrorClass::Upstream5xx, 500, 500},
        {"502", Behaviour::httpError(502), Behaviour::httpError(502), ErrorClass::Upstream5xx, 502, 502},
        {"503", Behaviour::httpError(503), Behaviour::httpError(503), ErrorClass::Upstream5xx, 503, 503},
        {"slow first byte", Behaviour::slowFirstByte(PauseMs), Behaviour::slowFirstByte(PauseMs), ErrorClass::TimeoutFirstByte,
         0, 504},
        {"stall mid-stream", Behaviour::stall(0, PauseMs), Behaviour::stall(2, PauseMs), ErrorClass::TimeoutIdle, 200, 504,
         false, true},
        {"cut mid-stream", Behaviour::cut(0), Behaviour::cut(2), ErrorClass::BadUpstreamResponse, 200, 502, false, true},
        {"malformed JSON", Behaviour::malformedJson(), Behaviour::malformedJson(), ErrorClass::BadUpstreamResponse, 200, 502},
        {"malformed SSE", Behaviour::malformedSse(), Behaviour::malformedSse(), ErrorClass::BadUpstreamResponse, 200, 502,
         false, true},
        {"wrong content type", Behaviour::wrongContentType(), Behaviour::wrongContentType(), ErrorClass::BadUpstreamResponse,
         200, 502},
        {"oversized response", Behaviour::oversized(OversizedBytes), Behaviour::oversized(OversizedBytes),
         ErrorClass::BadUpstreamResponse, 200, 502, false, false, true, 0, true},
    };
}

struct Pairing
{
    const char *name;
    bool anthropicClient;
    ProviderKind target;
};

const Pairing Pairings[] = {
    {"openai->openai", false, ProviderKind::OpenAI},
    {"anthropic->anthropic", true, ProviderKind::Anthropic},
    {"openai->anthropic", false, ProviderKind::Anthropic},
    {"anthropic->openai", true, ProviderKind::OpenAI},
};

ProviderConfig providerAt(const QString &name, ProviderKind kind, quint16 port)
{
    ProviderConfig p = TestConfigs::provider(name, port);
    p.kind = kind;
    if (kind == ProviderKind::Anthropic)
        p.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    return p;
}

QJsonObject jsonOf(const QByteArray &bytes)
{
    return QJsonDocument::fromJson(bytes).object();
}

// The client got its dialect's error shape with a message a person can read.
void checkErrorShape(const QByteArray &body, bool anthropic)
{
    const QJsonObject o = jsonOf(body);
    const QJsonObject error = o.value(QLatin1String("error")).toObject();
    QVERIFY2(!error.value(QLatin1String("message")).toString().isEmpty(), body.constData());
    QVERIFY2(!error.value(QLatin1String("type")).toString().isEmpty(), body.constData());
    if (anthropic)
        QVERIFY2(o.value(QLatin1String("type")).toString() == QLatin1String("error"), body.constData());
    else
        QVERIFY2(!o.contains(QLatin1String("type")), body.constData());
}

// A successful answer in the client's dialect, whole.
void checkAnswer(const RawHttpClient::Stream &r, bool anthropic, bool stream)
{
    QVERIFY2(r.complete, qPrintable(r.error));
    if (!stream) {
        const QString kind = jsonOf(r.body).value(anthropic ? QLatin1String("type") : QLatin1String("object")).toString();
        QCOMPARE(kind, anthropic ? QStringLiteral("message") : QStringLiteral("chat.completion"));
        return;
    }
    QVERIFY(!r.events.isEmpty());
    const SseEvent &last = r.events.constLast().second;
    if (anthropic)
        QCOMPARE(last.event, QByteArray("message_stop"));
    else
        QCOMPARE(last.data, QByteArray("[DONE]"));
    for (const auto &[at, event] : r.events)
        QVERIFY2(event.event != "error" && !event.data.startsWith("{\"error\""), event.raw.constData());
}

// A stream that had started ends with Switchyard's error event and a clean end of the body.
void checkTerminalErrorEvent(const RawHttpClient::Stream &r, bool anthropic)
{
    QVERIFY2(r.complete, qPrintable(r.error));
    QVERIFY2(r.events.size() >= 2, r.body.constData()); // something got through before the break
    const SseEvent &last = r.events.constLast().second;
    const QJsonObject data = jsonOf(last.data);
    QVERIFY2(!data.value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString().isEmpty(), last.raw.constData());
    if (anthropic) {
        QCOMPARE(last.event, QByteArray("error"));
        QCOMPARE(data.value(QLatin1String("type")).toString(), QStringLiteral("error"));
    } else {
        QCOMPARE(data.value(QLatin1String("error")).toObject().value(QLatin1String("code")).toString(), QStringLiteral("stream_interrupted"));
    }
}


// One cell of a row: its own faulty and healthy upstream behind alias "cell<N>", and its client.
struct Cell
{
    Pairing pair;
    bool withFallback = false;
    std::unique_ptr<FakeProvider> bad = std::make_unique<FakeProvider>();
    std::unique_ptr<FakeProvider> good = std::make_unique<FakeProvider>();
    quint16 badPort = 0;
    std::unique_ptr<RawHttpClient> client;
    RawHttpClient::Stream response;
    QString name() const { return QLatin1String(pair.name) + (withFallback ? u" | fallback"_s : u" | single target"_s); }
};

void addCell(Config &config, int index, Cell &cell, const Fault &fault)
{
    const bool refused = fault.refused;
    const QString n = QString::number(index);
    cell.badPort = refused ? FakeProvider::unusedPort() : cell.bad->port();
    config.providers << providerAt(u"bad"_s + n, cell.pair.target, cell.badPort)
                     << providerAt(u"good"_s + n, cell.pair.target, cell.good->port());
    TargetConfig faulty = TestConfigs::target(u"bad"_s + n, u"model-bad"_s);
    faulty.timeouts = fault.patient ? Timeouts{FaultyConnectMs, 5 * FaultyFirstByteMs, 5 * FaultyIdleMs, 60000}
                                    : Timeouts{FaultyConnectMs, FaultyFirstByteMs, FaultyIdleMs, 20000};
    QList<TargetConfig> targets{faulty};
    if (cell.withFallback)
        targets << TestConfigs::target(u"good"_s + n, u"model-good"_s);
    config.aliases << TestConfigs::alias(u"cell"_s + n, Strategy::Fallback, targets);
}

QByteArray requestFor(int index, const Cell &cell, bool stream)
{
    const bool anthropic = cell.pair.anthropicClient;
    const QByteArray body = R"({"model":"cell)" + QByteArray::number(index) + R"(",)" + (anthropic ? R"("max_tokens":64,)" : "")
                            + R"("stream":)" + (stream ? "true" : "false") + R"(,"messages":[{"role":"user","content":"Hi"}]})";
    return RawHttpClient::request("POST", anthropic ? "/v1/messages" : "/v1/chat/completions", body,
                                  {{"anthropic-version", "2023-06-01"}});
}

// What one cell must show: the client's answer, which upstreams were asked, and the log row.
void checkCell(const Fault &fault, bool stream, int index, const Cell &cell, const QJsonObject &row)
{
    const RawHttpClient::Stream &r = cell.response;
    const bool anthropic = cell.pair.anthropicClient;
    const bool broken = stream && fault.breaksMidStream;
    const bool passes = stream && fault.streamPasses;
    const bool fellBack = cell.withFallback && !broken && !passes;
    const int faultyAttempts = broken || passes ? 1 : 2; // retry.max_attempts
    const int attempts = faultyAttempts + (fellBack ? 1 : 0);
    const bool ok = fellBack || passes;
    const int status = ok || broken ? 200 : fault.allFailedStatus;
    const ErrorClass callClass = ok ? ErrorClass::None : broken ? ErrorClass::StreamInterrupted : fault.errorClass;

    // What the client got.
    QCOMPARE(r.status, status);
    QCOMPARE(r.headers.value("x-switchyard-provider"), QByteArray(fellBack ? "good" : "bad") + QByteArray::number(index));
    QCOMPARE(r.headers.value("x-switchyard-attempts").toInt(), broken ? 1 : attempts);
    if (ok) {
        checkAnswer(r, anthropic, stream);
    } else if (broken) {
        checkTerminalErrorEvent(r, anthropic);
    } else {
        QVERIFY2(r.complete, qPrintable(r.error));
        QVERIFY(r.headers.value("content-type").startsWith("application/json"));
        checkErrorShape(r.body, anthropic);
        if (fault.attemptStatus < 400 && !anthropic) // Switchyard's own error names the class
            QCOMPARE(jsonOf(r.body).value(u"error"_s).toObject().value(u"code"_s).toString(), errorClassName(callClass));
        if (fault.retryAfterMs > 0)
            QCOMPARE(r.headers.value("retry-after"), QByteArray("1")); // the upstream's advice reaches the client
    }

    // Fallback: which upstreams were asked.
    QCOMPARE(cell.bad->requestCount(), fault.refused ? 0 : faultyAttempts);
    QCOMPARE(cell.good->requestCount(), fellBack ? 1 : 0);

    // The error class and the log row, as the admin API reads it back from the database.
    QCOMPARE(row.value(u"status"_s).toInt(), status);
    QCOMPARE(row.value(u"outcome"_s).toString(), ok ? u"ok"_s : u"error"_s);
    QCOMPARE(row.value(u"error_class"_s).toString(), errorClassName(callClass));
    QCOMPARE(row.value(u"stream"_s).toBool(), stream);
    const QJsonArray logged = row.value(u"attempts"_s).toArray();
    QCOMPARE(logged.size(), attempts);
    for (int i = 0; i < faultyAttempts; ++i) {
        const QJsonObject a = logged.at(i).toObject();
        QVERIFY(a.value(u"provider"_s).toString().startsWith(u"bad"_s));
        const ErrorClass expected = broken ? ErrorClass::StreamInterrupted : passes ? ErrorClass::None : fault.errorClass;
        QCOMPARE(a.value(u"error_class"_s).toString(), errorClassName(expected));
        QCOMPARE(a.value(u"status"_s).toInt(), broken || passes ? 200 : fault.attemptStatus);
        if (expected != ErrorClass::None)
            QVERIFY(!a.value(u"message"_s).toString().isEmpty());
    }
    if (fault.retryAfterMs > 0) {
        const qint64 gap = logged.at(1).toObject().value(u"started_after_ms"_s).toInteger()
                           - logged.at(0).toObject().value(u"started_after_ms"_s).toInteger();
        QVERIFY2(gap >= fault.retryAfterMs - 100, qPrintable(QString::number(gap)));
    }
    if (fellBack) {
        const QJsonObject last = logged.at(attempts - 1).toObject();
        QVERIFY(last.value(u"provider"_s).toString().startsWith(u"good"_s));
        QCOMPARE(last.value(u"error_class"_s).toString(), QString());
    }
}

} // namespace

void TestFaultMatrix::faultRow_data()
{
    QTest::addColumn<int>("faultIndex");
    QTest::addColumn<bool>("stream");
    const QList<Fault> all = faults();
    for (int f = 0; f < all.size(); ++f) {
        QTest::addRow("%s | plain", all.at(f).name) << f << false;
        QTest::addRow("%s | stream", all.at(f).name) << f << true;
    }
}

void TestFaultMatrix::faultRow()
{
    QFETCH(int, faultIndex);
    QFETCH(bool, stream);
    const Fault fault = faults().at(faultIndex);

    std::vector<Cell> cells;
    for (const Pairing &pair : Pairings) {
        for (const bool withFallback : {true, false}) {
            cells.emplace_back();
            cells.back().pair = pair;
            cells.back().withFallback = withFallback;
        }
    }
    Config config = TestConfigs::base();
    config.limits.maxBodyBytes = BodyLimit;
    config.cooldown.failures = 1000; // one engine for the row: no cell may cool another's target down
    for (int i = 0; i < int(cells.size()); ++i) {
        addCell(config, i, cells[i], fault);
        for (int n = 0; n < 2; ++n)
            cells[i].bad->enqueue(stream ? fault.stream : fault.plain);
    }
    QTemporaryDir dir;
    EngineThread engine(config, dir.filePath(u"requests.db"_s));

    // All cells at once: the engine serves them concurrently, the waits overlap.
    for (int i = 0; i < int(cells.size()); ++i) {
        cells[i].client = std::make_unique<RawHttpClient>(engine.port());
        cells[i].client->send(requestFor(i, cells[i], stream));
    }
    for (Cell &cell : cells)
        cell.response = cell.client->readStream(30000);

    QVERIFY(engine.waitForWritten(int(cells.size())));
    const RawHttpClient::Response listed = RawHttpClient::fetch(engine.port(), "GET", "/api/requests?limit=100");
    QCOMPARE(listed.status, 200);
    QHash<QString, QJsonObject> rows; // by alias
    for (const QJsonValue &v : listed.json().value(u"requests"_s).toArray())
        rows.insert(v.toObject().value(u"alias"_s).toString(), v.toObject());
    QCOMPARE(rows.size(), int(cells.size()));

    for (int i = 0; i < int(cells.size()); ++i) {
        checkCell(fault, stream, i, cells[i], rows.value(u"cell"_s + QString::number(i)));
        if (QTest::currentTestFailed()) {
            qWarning("cell %s; the client got: %s", qPrintable(cells[i].name()), cells[i].response.body.left(600).constData());
            return;
        }
    }
}

QTEST_GUILESS_MAIN(TestFaultMatrix)
#include "tst_FaultMatrix.moc"
