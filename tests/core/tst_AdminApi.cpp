// SPDX-License-Identifier: GPL-3.0-or-later
// The admin API end to end: real HTTP against the engine on its thread, a real SQLite log,
// fake upstreams. Field names and values are the contract of PRODUCT.md ("Admin API").
#include "core/config/ConfigFile.h"
#include "core/config/ConfigWriter.h"
#include "core/log/LatencyHistogram.h"
#include "tests/support/EngineThread.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include "tests/support/TestPrinters.h"
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <iterator>
#include <memory>

using namespace Switchyard;
using namespace Switchyard::Test;
using namespace Qt::StringLiterals;
using Behaviour = FakeProvider::Behaviour;
using Response = RawHttpClient::Response;

class TestAdminApi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();

    void listsNewestFirst();
    void listedRequestMatchesContract_data();
    void listedRequestMatchesContract();
    void filters_data();
    void filters();
    void badQueryValues_data();
    void badQueryValues();
    void detailAddsBodiesAndHeaders_data();
    void detailAddsBodiesAndHeaders();
    void unknownIdIsNotFound();
    void secretsNeverReachTheDatabase();
    void statsSumPerGroup_data();
    void statsSumPerGroup();
    void statsGroupsCoverEveryCall_data();
    void statsGroupsCoverEveryCall();
    void metricsMatchTheCalls();

    void replayFailedCall();
    void replayWithReplacementBody();
    void replayRejects_data();
    void replayRejects();

    void configGetMasksKeys();
    void configPutAppliesLiveAndSaves();
    void configPutKeepsTheLogPassword();
    void configPutRejectsInvalid_data();
    void configPutRejectsInvalid();

private:
    // The shared scenario of initTestCase: five proxied calls, each committed to the log
    // before the next starts (so their started_at values are well apart).
    QTemporaryDir m_dir;
    std::unique_ptr<FakeProvider> m_a;
    std::unique_ptr<FakeProvider> m_b;
    std::unique_ptr<EngineThread> m_engine;
    QDateTime m_scenarioStart;
    QHash<QString, QString> m_ids;           // call name → request id
    QHash<QString, QByteArray> m_sentBodies; // call name → body the client sent
    QHash<QString, QJsonObject> m_listed;    // call name → its object in GET /api/requests
};

namespace {

const QByteArray ClientSecret = "sk-client-secret";
const QByteArray KeyA = "sk-provider-a-planted-0001";
const QByteArray KeyB = "sk-provider-b-planted-0002";
const QByteArray UserAgent = "admin-test/2.1";
const QByteArray Needle = "needle-ok-7431";

// The scenario's calls, oldest first.
const QString CallOk = u"ok"_s;
const QString CallFallback = u"500 then fallback"_s;
const QString Call4xx = u"upstream 4xx"_s;
const QString CallUnknown = u"unknown model"_s;
const QString CallStream = u"stream with usage"_s;

// Prices (USD per million tokens) and the replies of the fakes give these costs.
constexpr double CostOk = 1000 * 3.0 / 1e6 + 500 * 15.0 / 1e6;    // a/model-a: 0.0105
constexpr double CostStream = 2000 * 1.0 / 1e6 + 300 * 4.0 / 1e6; // b/model-s: 0.0032

const QStringList ContractFields{
    u"id"_s, u"started_at"_s, u"duration_ms"_s, u"ttft_ms"_s, u"endpoint"_s, u"alias"_s, u"provider"_s,
    u"model"_s, u"status"_s, u"outcome"_s, u"error_class"_s, u"prompt_tokens"_s, u"completion_tokens"_s,
    u"cost_usd"_s, u"client"_s, u"client_process"_s, u"project"_s, u"stream"_s, u"replay_of"_s, u"attempts"_s};
// Additions beyond the contract (allowed: "change them only by adding"); listed so that any
// other field, a renamed one or a leaked one, fails.
const QStringList AddedFields{u"requested_model"_s, u"error_message"_s, u"cached_tokens"_s, u"client_pid"_s,
                              u"cache_write_tokens"_s, u"cache_write_1h_tokens"_s, u"reasoning_tokens"_s, u"session_id"_s, u"subagent"_s,
                              u"evaluation"_s};
const QStringList ContractAttemptFields{u"provider"_s, u"model"_s, u"status"_s, u"error_class"_s, u"duration_ms"_s};
const QStringList AddedAttemptFields{u"started_after_ms"_s, u"message"_s, u"translation_notes"_s};
const QStringList DetailFields{u"request_body"_s, u"response_body"_s, u"request_headers"_s, u"response_headers"_s};
const QStringList ErrorClasses{
    u"upstream_4xx"_s, u"rate_limited"_s, u"upstream_5xx"_s, u"timeout_connect"_s, u"timeout_first_byte"_s,
    u"timeout_idle"_s, u"connect_failed"_s, u"stream_interrupted"_s, u"bad_upstream_response"_s,
    u"bad_request"_s, u"unknown_model"_s, u"no_healthy_target"_s, u"client_cancelled"_s};

QByteArray compact(const QJsonValue &value)
{
    return QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

bool sameValue(const QJsonValue &actual, const QJsonValue &expected)
{
    if (expected.isDouble())
        return actual.isDouble() && qAbs(actual.toDouble() - expected.toDouble()) <= 1e-9 * qMax(1.0, qAbs(expected.toDouble()));
    return actual == expected;
}

Response get(quint16 port, const QByteArray &path)
{
    return RawHttpClient::fetch(port, "GET", path);
}

QJsonObject errorOf(const Response &response)
{
    return response.json().value(QLatin1String("error")).toObject();
}

// 400/404 answers of the admin API use the OpenAI error shape.
bool isOpenAiError(const Response &response)
{
    const QJsonObject error = errorOf(response);
    return !error.value(QLatin1String("message")).toString().isEmpty() && error.value(QLatin1String("type")).isString()
           && error.contains(QLatin1String("code"));
}

QJsonArray requestsOf(const Response &response)
{
    return response.json().value(QLatin1String("requests")).toArray();
}

QList<std::pair<QByteArray, QByteArray>> clientHeaders()
{
    return {{"Authorization", "Bearer " + ClientSecret}, {"User-Agent", UserAgent}};
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

namespace {

QByteArray chatBody(const QByteArray &model, const QByteArray &content, const QByteArray &extra = QByteArray())
{
    return R"({"model":")" + model + R"(","messages":[{"role":"user","content":")" + content + R"("}])" + extra + "}";
}

QJsonObject fields(const QJsonValue &alias, const QJsonValue &provider, const QJsonValue &model, int status,
                   const QJsonValue &errorClass, const QJsonValue &prompt, const QJsonValue &completion,
                   const QJsonValue &cost, bool stream)
{
    return {{u"endpoint"_s, u"/v1/chat/completions"_s},
            {u"alias"_s, alias},
            {u"provider"_s, provider},
            {u"model"_s, model},
            {u"status"_s, status},
            {u"outcome"_s, errorClass.isNull() ? u"ok"_s : u"error"_s},
            {u"error_class"_s, errorClass},
            {u"prompt_tokens"_s, prompt},
            {u"completion_tokens"_s, completion},
            {u"cost_usd"_s, cost},
            {u"client"_s, QString::fromLatin1(UserAgent)},
            {u"stream"_s, stream},
            {u"replay_of"_s, QJsonValue()}};
}

QJsonObject attempt(const QString &provider, const QString &model, int status, const QJsonValue &errorClass)
{
    return {{u"provider"_s, provider}, {u"model"_s, model}, {u"status"_s, status}, {u"error_class"_s, errorClass}};
}

// Per-group sums expected from /api/stats: requests, errors, prompt, completion, cost, unpriced.
QJsonArray sums(int requests, int errors, int prompt, int completion, double cost, int unpriced)
{
    return {requests, errors, prompt, completion, cost, unpriced};
}

// {iso:NAME}, {ms:NAME} and {iso+2:NAME} become the started_at of that call as ISO-8601
// UTC, as milliseconds since the epoch and as ISO-8601 at +02:00 (its '+' percent-encoded).
QByteArray expandTimes(QByteArray query, const QHash<QString, QJsonObject> &listed)
{
    static const QRegularExpression placeholder(QStringLiteral(R"(\{(iso|ms|iso\+2):([^}]+)\})"));
    for (;;) {
        const QRegularExpressionMatch m = placeholder.match(QString::fromUtf8(query));
        if (!m.hasMatch())
            return query;
        const QString iso = listed.value(m.captured(2)).value(QLatin1String("started_at")).toString();
        const QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs);
        QByteArray value;
        if (m.captured(1) == QLatin1String("iso"))
            value = iso.toUtf8();
        else if (m.captured(1) == QLatin1String("ms"))
            value = QByteArray::number(t.toMSecsSinceEpoch());
        else
            value = t.toOffsetFromUtc(7200).toString(Qt::ISODateWithMs).toUtf8().replace("+", "%2B");
        query.replace(m.captured(0).toUtf8(), value);
    }
}

// One sample of the Prometheus text format, its labels unescaped.
struct Sample
{
    QString name;
    QMap<QString, QString> labels;
    double value = 0;
};

// Parses the text format; every line that is neither a valid sample nor a valid comment,
// and every sample whose metric has no TYPE line before it, is a problem.
QList<Sample> parsePrometheus(const QByteArray &text, QStringList *problems)
{
    static const QString labelPair = QStringLiteral(R"([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")");
    static const QRegularExpression sample(
        QStringLiteral(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:%1(?:,%1)*,?)?)\})? )"
                       R"(([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?Inf|NaN)(?: -?[0-9]+)?$)")
            .arg(labelPair));
    static const QRegularExpression comment(QStringLiteral(
        R"(^#(?: HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*| TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)|(?! HELP| TYPE).*)$)"));
    static const QRegularExpression pair(QStringLiteral(R"re(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)")re"));
    QList<Sample> samples;
    QHash<QString, QString> types;
    if (!text.endsWith('\n'))
        problems->append(QStringLiteral("the text does not end with a newline"));
    const QList<QByteArray> lines = text.split('\n');
    for (const QByteArray &raw : lines) {
        const QString line = QString::fromUtf8(raw);
        if (line.isEmpty())
            continue;
        if (line.startsWith(QLatin1Char('#'))) {
            const QRegularExpressionMatch m = comment.match(line);
            if (!m.hasMatch())
                problems->append(QStringLiteral("bad comment: ") + line);
            else if (!m.captured(1).isEmpty())
                types.insert(m.captured(1), m.captured(2));
            continue;
        }
        const QRegularExpressionMatch m = sample.match(line);
        if (!m.hasMatch()) {
            problems->append(QStringLiteral("bad sample: ") + line);
            continue;
        }
        Sample s;
        s.name = m.captured(1);
        QString family = s.name;
        for (const char *suffix : {"_bucket", "_sum", "_count"}) {
            if (s.name.endsWith(QLatin1String(suffix)) && types.value(s.name.chopped(qstrlen(suffix))) == QLatin1String("histogram"))
                family = s.name.chopped(qstrlen(suffix));
        }
        if (!types.contains(family))
            problems->append(QStringLiteral("no TYPE before: ") + line);
        QRegularExpressionMatchIterator it = pair.globalMatch(m.captured(2));
        while (it.hasNext()) {
            const QRegularExpressionMatch p = it.next();
            QString value = p.captured(2);
            value.replace(QLatin1String("\\n"), QLatin1String("\n")).replace(QLatin1String("\\\""), QLatin1String("\"")).replace(QLatin1String("\\\\"), QLatin1String("\\"));
            s.labels.insert(p.captured(1), value);
        }
        const QString value = m.captured(3);
        s.value = value.endsWith(QLatin1String("Inf")) ? (value.startsWith(QLatin1Char('-')) ? -qInf() : qInf())
                                                         : value.toDouble();
        samples.append(s);
    }
    return samples;
}

// The sum of the samples of `name` whose labels include all of `labels`.
double sumOf(const QList<Sample> &samples, const QString &name, const QMap<QString, QString> &labels = {})
{
    double sum = 0;
    for (const Sample &s : samples) {
        bool match = s.name == name;
        for (auto it = labels.cbegin(); match && it != labels.cend(); ++it)
            match = s.labels.value(it.key(), u"\x01"_s) == it.value();
        if (match)
            sum += s.value;
    }
    return sum;
}

// Config of the replay and config tests: provider "a" with a clear-text key, alias "solo" → a/model-a.
Config soloConfig(quint16 port)
{
    Config c = TestConfigs::base();
    c.retry = RetryPolicy{1, 10};
    c.providers = {TestConfigs::provider(u"a"_s, port, QString::fromLatin1(KeyA))};
    c.aliases = {TestConfigs::alias(u"solo"_s, Strategy::Fallback, {TestConfigs::target(u"a"_s, u"model-a"_s)})};
    return c;
}

// A fake, an engine with its own log and its config file in a fresh directory.
struct SoloRig
{
    QTemporaryDir dir;
    FakeProvider a;
    QString configPath = dir.filePath(u"config.json"_s);
    std::unique_ptr<EngineThread> engine;

    // `logDatabase`: what the file names as the log (the engine here writes its own file).
    explicit SoloRig(const QString &logDatabase = QString())
    {
        Config config = soloConfig(a.port());
        config.log.database = logDatabase;
        if (!ConfigFile::save(configPath, ConfigWriter::toBytes(config, ConfigWriter::Keys::Clear)))
            qFatal("cannot write the test config");
        engine = std::make_unique<EngineThread>(config, dir.filePath(u"requests.db"_s), configPath);
    }
    quint16 port() const { return engine->port(); }
    Response chat(const QByteArray &model, const QByteArray &content = "Hi")
    {
        return RawHttpClient::fetch(port(), "POST", "/v1/chat/completions", chatBody(model, content), clientHeaders());
    }
};

} // namespace

void TestAdminApi::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_a = std::make_unique<FakeProvider>();
    m_b = std::make_unique<FakeProvider>();
    FakeProvider::Reply replyA;
    replyA.text = u"Answer from a."_s;
    replyA.promptTokens = 1000;
    replyA.completionTokens = 500;
    m_a->setReply(replyA);
    FakeProvider::Reply replyB;
    replyB.text = u"Answer from b."_s;
    replyB.chunks = 3;
    replyB.promptTokens = 2000;
    replyB.completionTokens = 300;
    m_b->setReply(replyB);

    Config c = TestConfigs::base();
    c.retry = RetryPolicy{1, 10}; // one try per target: a 500 goes straight to the fallback
    c.providers = {TestConfigs::provider(u"a"_s, m_a->port(), QString::fromLatin1(KeyA)),
                   TestConfigs::provider(u"b"_s, m_b->port(), QString::fromLatin1(KeyB))};
    c.aliases = {TestConfigs::alias(u"general"_s, Strategy::Fallback,
                                    {TestConfigs::target(u"a"_s, u"model-a"_s), TestConfigs::target(u"b"_s, u"model-b"_s)}),
                 TestConfigs::alias(u"cheap"_s, Strategy::Fallback, {TestConfigs::target(u"b"_s, u"model-s"_s)})};
    c.pricing = {PriceOverride{u"a"_s, u"model-a"_s, 3.0, 15.0, std::nullopt},
                 PriceOverride{u"b"_s, u"model-s"_s, 1.0, 4.0, std::nullopt}}; // b/model-b stays unpriced
    m_engine = std::make_unique<EngineThread>(c, m_dir.filePath(u"requests.db"_s));
    m_scenarioStart = QDateTime::currentDateTimeUtc();

    // The client pastes a provider key into its prompt; the 4xx upstream echoes it back.
    m_a->enqueue(Behaviour::answer());
    m_a->enqueue(Behaviour::httpError(500, u"a is down"_s));
    m_a->enqueue(Behaviour::httpError(401, u"Incorrect API key provided: "_s + QString::fromLatin1(KeyA)));
    const QList<std::pair<QString, QByteArray>> calls{
        {CallOk, chatBody("general", Needle + " my key is " + KeyA)},
        {CallFallback, chatBody("general", "fall back please")},
        {Call4xx, chatBody("general", "refused please")},
        {CallUnknown, chatBody("no-such-alias", "nobody home")},
        {CallStream, chatBody("cheap", "stream please", R"(,"stream":true)")},
    };
    const QList<int> statuses{200, 200, 401, 404, 200};
    for (int i = 0; i < calls.size(); ++i) {
        const auto &[name, body] = calls.at(i);
        const Response r = RawHttpClient::fetch(m_engine->port(), "POST", "/v1/chat/completions", body, clientHeaders());
        QVERIFY2(r.complete, qPrintable(name + u": "_s + r.error));
        QCOMPARE(r.status, statuses.at(i));
        m_ids.insert(name, QString::fromLatin1(r.headers.value("x-switchyard-request-id")));
        m_sentBodies.insert(name, body);
        QVERIFY2(m_engine->waitForWritten(i + 1, 20000), qPrintable(name));
    }
    QCOMPARE(m_a->pendingBehaviours(), 0);

    const Response list = get(m_engine->port(), "/api/requests");
    QCOMPARE(list.status, 200);
    QVERIFY(list.headers.value("content-type").startsWith("application/json"));
    for (const QJsonValue &v : requestsOf(list)) {
        const QJsonObject o = v.toObject();
        const QString name = m_ids.key(o.value(QLatin1String("id")).toString());
        QVERIFY2(!name.isEmpty(), compact(o).constData());
        m_listed.insert(name, o);
    }
    QCOMPARE(m_listed.size(), calls.size());
}

void TestAdminApi::listsNewestFirst()
{
    const QJsonArray requests = requestsOf(get(m_engine->port(), "/api/requests"));
    QStringList order;
    for (const QJsonValue &v : requests)
        order << m_ids.key(v.toObject().value(QLatin1String("id")).toString());
    QCOMPARE(order, (QStringList{CallStream, CallUnknown, Call4xx, CallFallback, CallOk}));
    for (int i = 1; i < requests.size(); ++i) {
        QVERIFY(requests.at(i - 1).toObject().value(QLatin1String("started_at")).toString()
                > requests.at(i).toObject().value(QLatin1String("started_at")).toString());
    }
}

void TestAdminApi::listedRequestMatchesContract_data()
{
    QTest::addColumn<QJsonObject>("expected");
    QTest::addColumn<QString>("ttft"); // "some", "none" or "any"
    QTest::addColumn<QJsonArray>("attempts");
    const QJsonValue null;
    QTest::newRow("ok") << fields(u"general"_s, u"a"_s, u"model-a"_s, 200, null, 1000, 500, CostOk, false) << u"any"_s
                        << QJsonArray{attempt(u"a"_s, u"model-a"_s, 200, null)};
    QTest::newRow("500 then fallback") << fields(u"general"_s, u"b"_s, u"model-b"_s, 200, null, 2000, 300, null, false)
                                       << u"any"_s
                                       << QJsonArray{attempt(u"a"_s, u"model-a"_s, 500, u"upstream_5xx"_s),
                                                     attempt(u"b"_s, u"model-b"_s, 200, null)};
    QTest::newRow("upstream 4xx") << fields(u"general"_s, u"a"_s, u"model-a"_s, 401, u"upstream_4xx"_s, null, null, null, false)
                                  << u"any"_s << QJsonArray{attempt(u"a"_s, u"model-a"_s, 401, u"upstream_4xx"_s)};
    QTest::newRow("unknown model") << fields(null, null, null, 404, u"unknown_model"_s, null, null, null, false) << u"none"_s
                                   << QJsonArray();
    QTest::newRow("stream with usage") << fields(u"cheap"_s, u"b"_s, u"model-s"_s, 200, null, 2000, 300, CostStream, true)
                                       << u"some"_s << QJsonArray{attempt(u"b"_s, u"model-s"_s, 200, null)};
}

void TestAdminApi::listedRequestMatchesContract()
{
    QFETCH(QJsonObject, expected);
    QFETCH(QString, ttft);
    QFETCH(QJsonArray, attempts);
    const QString name = QString::fromLatin1(QTest::currentDataTag());
    const QJsonObject o = m_listed.value(name);
    QCOMPARE(sorted(o.keys()), sorted(ContractFields + AddedFields));

    for (auto it = expected.constBegin(); it != expected.constEnd(); ++it)
        QVERIFY2(sameValue(o.value(it.key()), it.value()),
                 qPrintable(it.key() + u": got "_s + QString::fromUtf8(compact(o.value(it.key()))) + u", expected "_s
                            + QString::fromUtf8(compact(it.value()))));
    QCOMPARE(o.value(QLatin1String("id")).toString(), m_ids.value(name));

    const QString startedAt = o.value(QLatin1String("started_at")).toString();
    QVERIFY2(startedAt.endsWith(QLatin1Char('Z')), qPrintable(startedAt));
    const QDateTime started = QDateTime::fromString(startedAt, Qt::ISODateWithMs);
    QVERIFY2(started.isValid() && started.timeSpec() == Qt::UTC, qPrintable(startedAt));
    QVERIFY(started >= m_scenarioStart.addSecs(-1) && started <= QDateTime::currentDateTimeUtc().addSecs(1));

    const QJsonValue duration = o.value(QLatin1String("duration_ms"));
    QVERIFY(duration.isDouble() && duration.toDouble() >= 0 && duration.toDouble() < 30000);
    const QJsonValue ttftMs = o.value(QLatin1String("ttft_ms"));
    if (ttft == QLatin1String("none"))
        QVERIFY(ttftMs.isNull());
    if (ttft == QLatin1String("some"))
        QVERIFY(ttftMs.isDouble());
    if (ttftMs.isDouble())
        QVERIFY(ttftMs.toDouble() >= 0 && ttftMs.toDouble() <= duration.toDouble());

    // The local process behind the connection is this test, when the lookup was in time.
    const QJsonValue process = o.value(QLatin1String("client_process"));
    QVERIFY2(process.isNull() || process.toString() == QFileInfo(QCoreApplication::applicationFilePath()).fileName(),
             compact(process).constData());
    const QJsonValue project = o.value(QLatin1String("project"));
    QVERIFY2(project.isNull() || QFileInfo(project.toString()).canonicalFilePath() == QFileInfo(QDir::currentPath()).canonicalFilePath(),
             compact(project).constData());

    const QJsonArray got = o.value(QLatin1String("attempts")).toArray();
    QCOMPARE(got.size(), attempts.size());
    for (int i = 0; i < got.size(); ++i) {
        const QJsonObject a = got.at(i).toObject();
        QCOMPARE(sorted(a.keys()), sorted(ContractAttemptFields + AddedAttemptFields));
        const QJsonObject e = attempts.at(i).toObject();
        for (auto it = e.constBegin(); it != e.constEnd(); ++it)
            QVERIFY2(sameValue(a.value(it.key()), it.value()), qPrintable(u"attempts[%1]: "_s.arg(i) + QString::fromUtf8(compact(a))));
        const double d = a.value(QLatin1String("duration_ms")).toDouble(-1);
        QVERIFY(d >= 0 && d <= duration.toDouble());
    }
}

void TestAdminApi::filters_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QStringList>("expected"); // call names, newest first
    QTest::newRow("status=ok") << QByteArray("status=ok") << QStringList{CallStream, CallFallback, CallOk};
    QTest::newRow("status=error") << QByteArray("status=error") << QStringList{CallUnknown, Call4xx};
    QTest::newRow("alias general") << QByteArray("alias=general") << QStringList{Call4xx, CallFallback, CallOk};
    QTest::newRow("alias cheap") << QByteArray("alias=cheap") << QStringList{CallStream};
    QTest::newRow("alias unknown") << QByteArray("alias=nothing") << QStringList{};
    QTest::newRow("provider a") << QByteArray("provider=a") << QStringList{Call4xx, CallOk};
    QTest::newRow("provider b") << QByteArray("provider=b") << QStringList{CallStream, CallFallback};
    QTest::newRow("alias and status") << QByteArray("alias=general&status=error") << QStringList{Call4xx};
    QTest::newRow("q in request body") << QByteArray("q=" + Needle) << QStringList{CallOk};
    QTest::newRow("q in response body") << QByteArray("q=Incorrect%20API%20key") << QStringList{Call4xx};
    QTest::newRow("q in every body") << QByteArray("q=please") << QStringList{CallStream, Call4xx, CallFallback};
    QTest::newRow("q matches nothing") << QByteArray("q=zzz-no-such-text") << QStringList{};
    QTest::newRow("first page") << QByteArray("limit=2") << QStringList{CallStream, CallUnknown};
    QTest::newRow("second page") << QByteArray("limit=2&offset=2") << QStringList{Call4xx, CallFallback};
    QTest::newRow("last page") << QByteArray("limit=2&offset=4") << QStringList{CallOk};
    QTest::newRow("past the end") << QByteArray("offset=5") << QStringList{};
    QTest::newRow("page of a filter") << QByteArray("status=ok&limit=1&offset=1") << QStringList{CallFallback};
    QTest::newRow("since ISO") << QByteArray("since={iso:upstream 4xx}") << QStringList{CallStream, CallUnknown, Call4xx};
    QTest::newRow("since epoch ms") << QByteArray("since={ms:upstream 4xx}") << QStringList{CallStream, CallUnknown, Call4xx};
    QTest::newRow("since ISO at +02:00") << QByteArray("since={iso+2:500 then fallback}")
                                         << QStringList{CallStream, CallUnknown, Call4xx, CallFallback};
    QTest::newRow("until ISO") << QByteArray("until={iso:upstream 4xx}") << QStringList{CallFallback, CallOk};
    QTest::newRow("until epoch ms") << QByteArray("until={ms:unknown model}") << QStringList{Call4xx, CallFallback, CallOk};
    QTest::newRow("since and until") << QByteArray("since={ms:500 then fallback}&until={iso:stream with usage}")
                                     << QStringList{CallUnknown, Call4xx, CallFallback};
    QTest::newRow("since in the future") << QByteArray("since=2999-01-01T00:00:00Z") << QStringList{};
    QTest::newRow("no such session") << QByteArray("session=no-such-session") << QStringList{};
    QTest::newRow("with the total") << QByteArray("status=ok&limit=1&total=true") << QStringList{CallStream};
}

void TestAdminApi::filters()
{
    QFETCH(QByteArray, query);
    QFETCH(QStringList, expected);
    const QByteArray path = "/api/requests?" + expandTimes(query, m_listed);
    const Response r = get(m_engine->port(), path);
    QVERIFY2(r.status == 200, QByteArray(path + ' ' + r.body).constData());
    QStringList got;
    for (const QJsonValue &v : requestsOf(r))
        got << m_ids.key(v.toObject().value(QLatin1String("id")).toString(), v.toObject().value(QLatin1String("id")).toString());
    QCOMPARE(got, expected);
    // total=true counts every call of the filter, not only the page.
    const QJsonObject body = QJsonDocument::fromJson(r.body).object();
    QCOMPARE(body.contains(QLatin1String("total")), query.contains("total=true"));
    if (query.contains("total=true"))
        QCOMPARE(body.value(QLatin1String("total")).toInt(), 3);
}

void TestAdminApi::badQueryValues_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("requests limit=0") << QByteArray("requests?limit=0") << u"limit"_s;
    QTest::newRow("requests limit=1001") << QByteArray("requests?limit=1001") << u"limit"_s;
    QTest::newRow("requests limit=ten") << QByteArray("requests?limit=ten") << u"limit"_s;
    QTest::newRow("requests offset=-1") << QByteArray("requests?offset=-1") << u"offset"_s;
    QTest::newRow("requests status=maybe") << QByteArray("requests?status=maybe") << u"status"_s;
    QTest::newRow("requests since=yesterday") << QByteArray("requests?since=yesterday") << u"since"_s;
    QTest::newRow("requests until=soon") << QByteArray("requests?until=soon") << u"until"_s;
    QTest::newRow("requests total=maybe") << QByteArray("requests?total=maybe") << u"total"_s;
    QTest::newRow("stats bucket=week") << QByteArray("stats?bucket=week") << u"bucket"_s;
    QTest::newRow("stats by=colour") << QByteArray("stats?by=colour") << u"by"_s;
    QTest::newRow("stats since=yesterday") << QByteArray("stats?since=yesterday") << u"since"_s;
    QTest::newRow("stats until=soon") << QByteArray("stats?until=soon") << u"until"_s;
}

void TestAdminApi::badQueryValues()
{
    QFETCH(QByteArray, query);
    QFETCH(QString, messagePart);
    const Response r = get(m_engine->port(), "/api/" + query);
    QCOMPARE(r.status, 400);
    QVERIFY2(isOpenAiError(r), r.body.constData());
    QCOMPARE(errorOf(r).value(QLatin1String("type")).toString(), u"invalid_request_error"_s);
    QVERIFY2(errorOf(r).value(QLatin1String("message")).toString().contains(messagePart), r.body.constData());
}

void TestAdminApi::detailAddsBodiesAndHeaders_data()
{
    QTest::addColumn<QString>("responsePart");
    QTest::newRow("ok") << u"Answer from a."_s;
    QTest::newRow("500 then fallback") << u"Answer from b."_s;
    QTest::newRow("upstream 4xx") << u"Incorrect API key provided: ***"_s; // the echoed key, masked
    QTest::newRow("unknown model") << u"unknown_model"_s;
    QTest::newRow("stream with usage") << u"[DONE]"_s;
}

void TestAdminApi::detailAddsBodiesAndHeaders()
{
    QFETCH(QString, responsePart);
    const QString name = QString::fromLatin1(QTest::currentDataTag());
    const Response r = get(m_engine->port(), "/api/requests/" + m_ids.value(name).toLatin1());
    QCOMPARE(r.status, 200);
    for (const QByteArray &secret : {ClientSecret, KeyA, KeyB})
        QVERIFY2(!r.body.contains(secret), r.body.constData());
    const QJsonObject detail = r.json();
    const QJsonObject summary = m_listed.value(name);
    QCOMPARE(sorted(detail.keys()), sorted(summary.keys() + DetailFields + QStringList{u"request_body_truncated"_s, u"response_body_truncated"_s, u"body_stored"_s}));
    QCOMPARE(detail.value(QLatin1String("body_stored")), QJsonValue(true)); // the writer kept up
    for (const QString &key : summary.keys()) {
        if (key != QLatin1String("attempts"))
            QVERIFY2(detail.value(key) == summary.value(key), qPrintable(key));
    }
    const QJsonArray attempts = detail.value(QLatin1String("attempts")).toArray();
    const QJsonArray listedAttempts = summary.value(QLatin1String("attempts")).toArray();
    QCOMPARE(attempts.size(), listedAttempts.size());
    for (int i = 0; i < attempts.size(); ++i) {
        const QJsonObject a = attempts.at(i).toObject();
        for (const QString &key : listedAttempts.at(i).toObject().keys())
            QVERIFY2(a.value(key) == listedAttempts.at(i).toObject().value(key), qPrintable(key));
    }

    QByteArray sent = m_sentBodies.value(name);
    sent.replace(KeyA, "***");
    QCOMPARE(detail.value(QLatin1String("request_body")).toString().toUtf8(), sent);
    const QString response = detail.value(QLatin1String("response_body")).toString();
    QVERIFY2(response.contains(responsePart), qPrintable(response));
    const QJsonObject requestHeaders = detail.value(QLatin1String("request_headers")).toObject();
    QCOMPARE(requestHeaders.value(QLatin1String("user-agent")).toString().toLatin1(), UserAgent);
    QCOMPARE(requestHeaders.value(QLatin1String("authorization")).toString(), u"Bearer ***"_s);
    QVERIFY(detail.value(QLatin1String("response_headers")).isObject());
}

void TestAdminApi::unknownIdIsNotFound()
{
    const Response r = get(m_engine->port(), "/api/requests/req_000000000000dead");
    QCOMPARE(r.status, 404);
    QVERIFY2(isOpenAiError(r), r.body.constData());
    QCOMPARE(errorOf(r).value(QLatin1String("code")).toString(), u"not_found"_s);
    QVERIFY(errorOf(r).value(QLatin1String("message")).toString().contains(QLatin1String("req_000000000000dead")));
}

void TestAdminApi::secretsNeverReachTheDatabase()
{
    const QStringList files = QDir(m_dir.path()).entryList({u"requests.db*"_s}, QDir::Files);
    QVERIFY2(files.contains(u"requests.db"_s), qPrintable(files.join(u", "_s)));
    QByteArray all;
    for (const QString &file : files) {
        const QByteArray bytes = fileBytes(m_dir.filePath(file));
        for (const QByteArray &secret : {ClientSecret, KeyA, KeyB})
            QVERIFY2(!bytes.contains(secret), qPrintable(file + u" contains "_s + QString::fromLatin1(secret)));
        all += bytes;
    }
    QVERIFY2(all.contains(Needle), "the grep does not see the logged bodies"); // the search itself works
}

void TestAdminApi::statsSumPerGroup_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QJsonObject>("expected"); // group → sums()
    const QJsonObject byAlias{{u"general"_s, sums(3, 1, 3000, 800, CostOk, 1)},
                              {u"cheap"_s, sums(1, 0, 2000, 300, CostStream, 0)},
                              {u""_s, sums(1, 1, 0, 0, 0, 0)}};
    const QJsonObject byProvider{{u"a"_s, sums(2, 1, 1000, 500, CostOk, 0)},
                                 {u"b"_s, sums(2, 0, 4000, 600, CostStream, 1)},
                                 {u""_s, sums(1, 1, 0, 0, 0, 0)}};
    const QJsonObject byModel{{u"model-a"_s, sums(2, 1, 1000, 500, CostOk, 0)},
                              {u"model-b"_s, sums(1, 0, 2000, 300, 0, 1)},
                              {u"model-s"_s, sums(1, 0, 2000, 300, CostStream, 0)},
                              {u""_s, sums(1, 1, 0, 0, 0, 0)}};
    QTest::newRow("hour by alias") << QByteArray("bucket=hour&by=alias") << byAlias;
    QTest::newRow("hour by provider") << QByteArray("bucket=hour&by=provider") << byProvider;
    QTest::newRow("hour by model") << QByteArray("bucket=hour&by=model") << byModel;
    QTest::newRow("day by alias") << QByteArray("bucket=day&by=alias") << byAlias;
    QTest::newRow("day by model") << QByteArray("bucket=day&by=model") << byModel;
    QTest::newRow("defaults: hour by alias") << QByteArray() << byAlias;
}

void TestAdminApi::statsSumPerGroup()
{
    QFETCH(QByteArray, query);
    QFETCH(QJsonObject, expected);
    const Response r = get(m_engine->port(), "/api/stats?" + query);
    QVERIFY2(r.status == 200, r.body.constData());
    const QJsonObject stats = r.json();
    const bool byDay = query.contains("bucket=day");
    const QString by = query.contains("by=") ? QString::fromLatin1(query.mid(query.indexOf("by=") + 3)) : u"alias"_s;
    QCOMPARE(stats.value(QLatin1String("bucket")).toString(), byDay ? u"day"_s : u"hour"_s);
    QCOMPARE(stats.value(QLatin1String("by")).toString(), by);
    for (const char *key : {"since", "until"})
        QVERIFY(stats.value(QLatin1String(key)).toString().endsWith(QLatin1Char('Z')));

    // The slowest call of each group bounds its p95 (the estimate stays inside that call's bucket).
    QHash<QString, qint64> slowest;
    for (const QJsonObject &o : std::as_const(m_listed)) {
        qint64 &max = slowest[o.value(by).toString()];
        max = qMax(max, qint64(o.value(QLatin1String("duration_ms")).toDouble()));
    }
    const auto &bounds = LatencyHistogram::upperBoundsMs();
    const char *sumKeys[] = {"requests", "errors", "prompt_tokens", "completion_tokens", "cost_usd", "unpriced_requests"};
    QHash<QString, QList<double>> got;
    for (const QJsonValue &v : stats.value(QLatin1String("rows")).toArray()) {
        const QJsonObject row = v.toObject();
        const QString group = row.value(QLatin1String("group")).toString();
        const QDateTime bucket = QDateTime::fromString(row.value(QLatin1String("bucket_start")).toString(), Qt::ISODateWithMs);
        QVERIFY(bucket.isValid() && bucket.time().minute() == 0 && bucket.time().second() == 0 && bucket.time().msec() == 0);
        if (byDay)
            QCOMPARE(bucket.time().hour(), 0);
        QList<double> &sum = got[group];
        sum.resize(std::size(sumKeys));
        for (size_t i = 0; i < std::size(sumKeys); ++i)
            sum[i] += row.value(QLatin1String(sumKeys[i])).toDouble();
        const QJsonValue p50 = row.value(QLatin1String("latency_p50_ms"));
        const QJsonValue p95 = row.value(QLatin1String("latency_p95_ms"));
        QVERIFY2(p50.isDouble() && p95.isDouble(), compact(row).constData());
        const int slowBucket = LatencyHistogram::bucketFor(slowest.value(group));
        const double ceiling = slowBucket < int(bounds.size()) ? double(bounds[slowBucket]) : 1e9;
        QVERIFY2(p50.toDouble() > 0 && p50.toDouble() <= p95.toDouble() && p95.toDouble() <= ceiling, compact(row).constData());
    }
    QCOMPARE(sorted(got.keys()), sorted(expected.keys()));
    for (auto it = expected.constBegin(); it != expected.constEnd(); ++it) {
        const QJsonArray e = it.value().toArray();
        for (size_t i = 0; i < std::size(sumKeys); ++i)
            QVERIFY2(qAbs(got.value(it.key()).at(i) - e.at(i).toDouble()) < 1e-9,
                     qPrintable(it.key() + u"."_s + QLatin1String(sumKeys[i]) + u": got "_s + QString::number(got.value(it.key()).at(i))));
    }
    const QJsonObject totals = stats.value(QLatin1String("totals")).toObject();
    const QList<double> expectedTotals{5, 2, 5000, 1100, CostOk + CostStream, 1};
    for (size_t i = 0; i < std::size(sumKeys); ++i)
        QVERIFY2(qAbs(totals.value(QLatin1String(sumKeys[i])).toDouble(-1) - expectedTotals.at(i)) < 1e-9, compact(totals).constData());
}

void TestAdminApi::statsGroupsCoverEveryCall_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::newRow("by client") << QByteArray("by=client");
    QTest::newRow("by project") << QByteArray("by=project&bucket=day");
    QTest::newRow("epoch ms window") << QByteArray("since=" + QByteArray::number(QDateTime::currentMSecsSinceEpoch() - 3600000)
                                                   + "&until=" + QByteArray::number(QDateTime::currentMSecsSinceEpoch() + 60000));
}

void TestAdminApi::statsGroupsCoverEveryCall()
{
    QFETCH(QByteArray, query);
    const Response r = get(m_engine->port(), "/api/stats?" + query);
    QVERIFY2(r.status == 200, r.body.constData());
    double requests = 0;
    for (const QJsonValue &v : r.json().value(QLatin1String("rows")).toArray())
        requests += v.toObject().value(QLatin1String("requests")).toDouble();
    QCOMPARE(requests, 5.0);
    QCOMPARE(r.json().value(QLatin1String("totals")).toObject().value(QLatin1String("requests")).toDouble(), 5.0);
}

void TestAdminApi::metricsMatchTheCalls()
{
    const Response r = get(m_engine->port(), "/metrics");
    QCOMPARE(r.status, 200);
    QVERIFY2(r.headers.value("content-type").startsWith("text/plain; version=0.0.4"), r.headers.value("content-type").constData());
    QStringList problems;
    const QList<Sample> samples = parsePrometheus(r.body, &problems);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));

    const QString requests = u"switchyard_requests_total"_s;
    QCOMPARE(sumOf(samples, requests, {{u"outcome"_s, u"ok"_s}}), 3.0);
    QCOMPARE(sumOf(samples, requests, {{u"outcome"_s, u"error"_s}}), 2.0);
    QCOMPARE(sumOf(samples, requests, {{u"alias"_s, u"general"_s}, {u"provider"_s, u"a"_s}, {u"outcome"_s, u"ok"_s}}), 1.0);
    QCOMPARE(sumOf(samples, requests, {{u"alias"_s, u"general"_s}, {u"provider"_s, u"b"_s}, {u"outcome"_s, u"ok"_s}}), 1.0);
    QCOMPARE(sumOf(samples, requests, {{u"alias"_s, u"general"_s}, {u"provider"_s, u"a"_s}, {u"outcome"_s, u"error"_s}}), 1.0);
    QCOMPARE(sumOf(samples, requests, {{u"alias"_s, u""_s}, {u"provider"_s, u""_s}, {u"outcome"_s, u"error"_s}}), 1.0);
    QCOMPARE(sumOf(samples, requests, {{u"alias"_s, u"cheap"_s}, {u"provider"_s, u"b"_s}, {u"outcome"_s, u"ok"_s}}), 1.0);

    const QString errors = u"switchyard_errors_total"_s;
    for (const QString &errorClass : ErrorClasses) {
        const bool present = std::any_of(samples.cbegin(), samples.cend(), [&](const Sample &s) {
            return s.name == errors && s.labels.value(u"error_class"_s) == errorClass;
        });
        QVERIFY2(present, qPrintable(errorClass));
        const double expected = errorClass == QLatin1String("upstream_4xx") || errorClass == QLatin1String("unknown_model") ? 1 : 0;
        QVERIFY2(sumOf(samples, errors, {{u"error_class"_s, errorClass}}) == expected, qPrintable(errorClass));
    }
    QCOMPARE(sumOf(samples, errors), 2.0);

    const QString tokens = u"switchyard_tokens_total"_s;
    auto tokenCount = [&](const QString &alias, const QString &provider, const QString &model, const QString &kind) {
        return sumOf(samples, tokens, {{u"alias"_s, alias}, {u"provider"_s, provider}, {u"model"_s, model}, {u"kind"_s, kind}});
    };
    QCOMPARE(tokenCount(u"general"_s, u"a"_s, u"model-a"_s, u"prompt"_s), 1000.0);
    QCOMPARE(tokenCount(u"general"_s, u"a"_s, u"model-a"_s, u"completion"_s), 500.0);
    QCOMPARE(tokenCount(u"general"_s, u"b"_s, u"model-b"_s, u"prompt"_s), 2000.0);
    QCOMPARE(tokenCount(u"general"_s, u"b"_s, u"model-b"_s, u"completion"_s), 300.0);
    QCOMPARE(tokenCount(u"cheap"_s, u"b"_s, u"model-s"_s, u"prompt"_s), 2000.0);
    QCOMPARE(tokenCount(u"cheap"_s, u"b"_s, u"model-s"_s, u"completion"_s), 300.0);
    QCOMPARE(sumOf(samples, tokens), 6100.0);

    const QString cost = u"switchyard_cost_usd_total"_s;
    QVERIFY(qAbs(sumOf(samples, cost, {{u"provider"_s, u"a"_s}, {u"model"_s, u"model-a"_s}}) - CostOk) < 1e-9);
    QVERIFY(qAbs(sumOf(samples, cost, {{u"provider"_s, u"b"_s}, {u"model"_s, u"model-s"_s}}) - CostStream) < 1e-9);
    QCOMPARE(sumOf(samples, u"switchyard_requests_in_flight"_s), 0.0);
}

void TestAdminApi::replayFailedCall()
{
    SoloRig rig;
    rig.a.enqueue(Behaviour::httpError(503, u"overloaded"_s));
    const Response failed = rig.chat("solo");
    QCOMPARE(failed.status, 503);
    const QString originalId = QString::fromLatin1(failed.headers.value("x-switchyard-request-id"));
    QVERIFY(rig.engine->waitForWritten(1));

    const Response r = RawHttpClient::fetch(rig.port(), "POST", "/api/requests/" + originalId.toLatin1() + "/replay");
    QVERIFY2(r.status == 200, r.body.constData());
    const QJsonObject replayed = r.json();
    const QString newId = replayed.value(QLatin1String("id")).toString();
    QVERIFY(newId.startsWith(QLatin1String("req_")));
    QVERIFY(newId != originalId);
    QCOMPARE(replayed.value(QLatin1String("replay_of")).toString(), originalId);
    QCOMPARE(replayed.value(QLatin1String("outcome")).toString(), u"ok"_s);
    QCOMPARE(replayed.value(QLatin1String("status")).toInt(), 200);
    QCOMPARE(replayed.value(QLatin1String("alias")).toString(), u"solo"_s);
    QCOMPARE(replayed.value(QLatin1String("client")).toString().toLatin1(), UserAgent);
    QCOMPARE(replayed.value(QLatin1String("attempts")).toArray().size(), 1);
    for (const QString &key : ContractFields + DetailFields)
        QVERIFY2(replayed.contains(key), qPrintable(key));
    QVERIFY(!r.body.contains(KeyA) && !r.body.contains(ClientSecret));

    // The same body went upstream again, with the provider's key and not the client's.
    QCOMPARE(rig.a.requestCount(), 2);
    QCOMPARE(rig.a.requests().at(1).body, rig.a.requests().at(0).body);
    QCOMPARE(rig.a.requests().at(1).headers.value("authorization"), "Bearer " + KeyA);

    QVERIFY(rig.engine->waitForWritten(2));
    const QJsonArray list = requestsOf(get(rig.port(), "/api/requests"));
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.at(0).toObject().value(QLatin1String("id")).toString(), newId);
    QCOMPARE(list.at(0).toObject().value(QLatin1String("replay_of")).toString(), originalId);
    QCOMPARE(list.at(1).toObject().value(QLatin1String("id")).toString(), originalId);
    QVERIFY(list.at(1).toObject().value(QLatin1String("replay_of")).isNull());
    QCOMPARE(list.at(1).toObject().value(QLatin1String("outcome")).toString(), u"error"_s);
    const Response detail = get(rig.port(), "/api/requests/" + newId.toLatin1());
    QCOMPARE(detail.status, 200);
    QCOMPARE(detail.json().value(QLatin1String("replay_of")).toString(), originalId);
}

void TestAdminApi::replayWithReplacementBody()
{
    SoloRig rig;
    rig.a.enqueue(Behaviour::httpError(500, u"broken"_s));
    const Response failed = rig.chat("solo", "the original prompt");
    QCOMPARE(failed.status, 500);
    const QByteArray originalId = failed.headers.value("x-switchyard-request-id");
    QVERIFY(rig.engine->waitForWritten(1));

    const QByteArray replacement = chatBody("solo", "edited and replayed", R"(,"temperature":0.25)");
    const Response r = RawHttpClient::fetch(rig.port(), "POST", "/api/requests/" + originalId + "/replay", replacement,
                                            {{"Content-Type", "application/json"}});
    QVERIFY2(r.status == 200, r.body.constData());
    QCOMPARE(r.json().value(QLatin1String("replay_of")).toString().toLatin1(), originalId);
    QCOMPARE(r.json().value(QLatin1String("request_body")).toString().toUtf8(), replacement);
    QCOMPARE(rig.a.requestCount(), 2);
    const QJsonObject sent = QJsonDocument::fromJson(rig.a.requests().at(1).body).object();
    QCOMPARE(sent.value(QLatin1String("model")).toString(), u"model-a"_s);
    QCOMPARE(sent.value(QLatin1String("messages")).toArray().at(0).toObject().value(QLatin1String("content")).toString(),
             u"edited and replayed"_s);
    QCOMPARE(sent.value(QLatin1String("temperature")).toDouble(), 0.25);
    QVERIFY(rig.engine->waitForWritten(2));
    const QJsonArray list = requestsOf(get(rig.port(), "/api/requests?status=ok"));
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.at(0).toObject().value(QLatin1String("replay_of")).toString().toLatin1(), originalId);
}

void TestAdminApi::replayRejects_data()
{
    QTest::addColumn<bool>("knownId");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::newRow("array body") << true << QByteArray("[1,2]") << 400;
    QTest::newRow("string body") << true << QByteArray(R"("hello")") << 400;
    QTest::newRow("not JSON") << true << QByteArray(R"({"model":)") << 400;
    QTest::newRow("unknown id") << false << QByteArray() << 404;
    QTest::newRow("unknown id with a body") << false << chatBody("solo", "hi") << 404;
}

void TestAdminApi::replayRejects()
{
    QFETCH(bool, knownId);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    SoloRig rig;
    const Response original = rig.chat("solo");
    QCOMPARE(original.status, 200);
    QVERIFY(rig.engine->waitForWritten(1));
    const QByteArray id = knownId ? original.headers.value("x-switchyard-request-id") : QByteArray("req_000000000000beef");
    const Response r = RawHttpClient::fetch(rig.port(), "POST", "/api/requests/" + id + "/replay", body);
    QCOMPARE(r.status, status);
    QVERIFY2(isOpenAiError(r), r.body.constData());
    QCOMPARE(rig.a.requestCount(), 1); // nothing was sent upstream
}

void TestAdminApi::configGetMasksKeys()
{
    SoloRig rig;
    const Response r = get(rig.port(), "/api/config");
    QCOMPARE(r.status, 200);
    QVERIFY2(!r.body.contains(KeyA), r.body.constData());
    const QJsonObject config = r.json();
    QCOMPARE(config.value(QLatin1String("version")).toInt(), 1);
    const QJsonObject provider = config.value(QLatin1String("providers")).toArray().at(0).toObject();
    QCOMPARE(provider.value(QLatin1String("name")).toString(), u"a"_s);
    QCOMPARE(provider.value(QLatin1String("api_key")).toString(), u"***"_s);
    QCOMPARE(config.value(QLatin1String("aliases")).toArray().at(0).toObject().value(QLatin1String("name")).toString(), u"solo"_s);
}

namespace {

// GET /api/config, ready to be sent back: the engine under test listens on port 0 (picked by
// the OS), which a config file may not name, so the listen port is set to a valid one.
QJsonObject configForPut(quint16 port)
{
    QJsonObject config = get(port, "/api/config").json();
    QJsonObject listen = config.value(QLatin1String("listen")).toObject();
    listen.insert(u"port"_s, 4141);
    config.insert(u"listen"_s, listen);
    return config;
}

QJsonObject alias(const QString &name, const QString &provider, const QString &model, const QString &strategy = u"fallback"_s)
{
    return {{u"name"_s, name}, {u"strategy"_s, strategy},
            {u"targets"_s, QJsonArray{QJsonObject{{u"provider"_s, provider}, {u"model"_s, model}}}}};
}

} // namespace

void TestAdminApi::configPutAppliesLiveAndSaves()
{
    SoloRig rig;
    QJsonObject config = configForPut(rig.port());
    QCOMPARE(config.value(QLatin1String("providers")).toArray().at(0).toObject().value(QLatin1String("api_key")).toString(), u"***"_s);
    config.insert(u"aliases"_s, QJsonArray{alias(u"solo"_s, u"a"_s, u"model-a"_s), alias(u"fresh"_s, u"a"_s, u"model-fresh"_s)});
    const Response put = RawHttpClient::fetch(rig.port(), "PUT", "/api/config", QJsonDocument(config).toJson(),
                                              {{"Content-Type", "application/json"}});
    QVERIFY2(put.status == 200, put.body.constData());
    QVERIFY(!put.body.contains(KeyA));

    // Live at once, with the old key still in force.
    const Response fresh = rig.chat("fresh");
    QCOMPARE(fresh.status, 200);
    const HttpRequest sent = rig.a.requests().constLast();
    QCOMPARE(QJsonDocument::fromJson(sent.body).object().value(QLatin1String("model")).toString(), u"model-fresh"_s);
    QCOMPARE(sent.headers.value("authorization"), "Bearer " + KeyA);
    QCOMPARE(rig.chat("solo").status, 200);

    // Saved: the file parses, has the change and the real key; no temporary file is left.
    const Result<Config, QStringList> saved = ConfigFile::load(rig.configPath);
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().join(QLatin1Char('\n'))));
    QVERIFY(saved.value().alias(u"fresh"_s));
    QCOMPARE(saved.value().alias(u"fresh"_s)->targets.at(0).model, u"model-fresh"_s);
    QCOMPARE(saved.value().provider(u"a"_s)->apiKey.toLatin1(), KeyA);
    const QStringList leftovers = QDir(rig.dir.path()).entryList({u"config.json?*"_s}, QDir::Files | QDir::Hidden);
    QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(u", "_s)));
    const QJsonObject shown = get(rig.port(), "/api/config").json();
    QCOMPARE(shown.value(QLatin1String("aliases")).toArray().size(), 2);
}

void TestAdminApi::configPutKeepsTheLogPassword()
{
    const QString database = u"postgresql://team:pg-secret@db.internal:5432/switchyard"_s;
    SoloRig rig(database);
    QJsonObject config = configForPut(rig.port());
    QVERIFY(!QJsonDocument(config).toJson().contains("pg-secret"));
    QCOMPARE(config.value(QLatin1String("log")).toObject().value(QLatin1String("database")).toString(),
             u"postgresql://team:***@db.internal:5432/switchyard"_s);
    config.insert(u"aliases"_s, QJsonArray{alias(u"solo"_s, u"a"_s, u"model-b"_s)});
    const Response put = RawHttpClient::fetch(rig.port(), "PUT", "/api/config", QJsonDocument(config).toJson(),
                                              {{"Content-Type", "application/json"}});
    QVERIFY2(put.status == 200, put.body.constData());
    const Result<Config, QStringList> saved = ConfigFile::load(rig.configPath);
    QVERIFY(saved);
    QCOMPARE(saved.value().log.database, database); // the next start still reaches the database
    QCOMPARE(saved.value().alias(u"solo"_s)->targets.at(0).model, u"model-b"_s);
}

void TestAdminApi::configPutRejectsInvalid_data()
{
    QTest::addColumn<QJsonObject>("patch"); // top-level members replaced in a valid config
    QTest::addColumn<QByteArray>("rawBody"); // sent instead, when not empty
    QTest::addColumn<QStringList>("problems"); // "path: problem" starts, in order
    QTest::newRow("unknown provider")
        << QJsonObject{{u"aliases"_s, QJsonArray{alias(u"solo"_s, u"a"_s, u"model-a"_s), alias(u"broken"_s, u"opnai"_s, u"x"_s)}}}
        << QByteArray() << QStringList{uR"(aliases[1].targets[0].provider: unknown provider "opnai")"_s};
    QTest::newRow("two problems")
        << QJsonObject{{u"listen"_s, QJsonObject{{u"host"_s, u"127.0.0.1"_s}, {u"port"_s, 0}}},
                       {u"aliases"_s, QJsonArray{alias(u"broken"_s, u"a"_s, u"model-a"_s, u"fastest"_s)}}}
        << QByteArray()
        << QStringList{u"listen.port: must be an integer from 1 to 65535"_s, uR"(aliases[0].strategy: unknown strategy "fastest")"_s};
    QTest::newRow("not JSON") << QJsonObject() << QByteArray(R"({"version": 1, "providers": [)")
                              << QStringList{u"line 1, column "_s};
    QTest::newRow("not an object") << QJsonObject() << QByteArray("[]") << QStringList{u"(root): expected an object"_s};
}

void TestAdminApi::configPutRejectsInvalid()
{
    QFETCH(QJsonObject, patch);
    QFETCH(QByteArray, rawBody);
    QFETCH(QStringList, problems);
    SoloRig rig;
    const QByteArray fileBefore = fileBytes(rig.configPath);
    QVERIFY(!fileBefore.isEmpty());
    const QByteArray shownBefore = get(rig.port(), "/api/config").body;
    QJsonObject config = configForPut(rig.port());
    for (auto it = patch.constBegin(); it != patch.constEnd(); ++it)
        config.insert(it.key(), it.value());
    const QByteArray body = rawBody.isEmpty() ? QJsonDocument(config).toJson() : rawBody;

    const Response r = RawHttpClient::fetch(rig.port(), "PUT", "/api/config", body, {{"Content-Type", "application/json"}});
    QCOMPARE(r.status, 400);
    QVERIFY2(isOpenAiError(r), r.body.constData());
    const QJsonObject error = errorOf(r);
    QCOMPARE(error.value(QLatin1String("code")).toString(), u"invalid_config"_s);
    const QJsonArray errors = error.value(QLatin1String("errors")).toArray();
    QVERIFY2(errors.size() == problems.size(), r.body.constData());
    QStringList messages;
    for (int i = 0; i < errors.size(); ++i) {
        messages << errors.at(i).toString();
        // The CLI's form: FILE: path: problem.
        QVERIFY2(messages.last().startsWith(rig.configPath + u": "_s + problems.at(i)), qPrintable(messages.last()));
    }
    QCOMPARE(error.value(QLatin1String("message")).toString(), messages.join(QLatin1Char('\n')));

    // Nothing changed: the file, the config shown, the routes.
    QCOMPARE(fileBytes(rig.configPath), fileBefore);
    QCOMPARE(get(rig.port(), "/api/config").body, shownBefore);
    QCOMPARE(rig.chat("solo").status, 200);
    QCOMPARE(rig.chat("broken").status, 404);
}

QTEST_GUILESS_MAIN(TestAdminApi)
#include "tst_AdminApi.moc"
