// SPDX-License-Identifier: GPL-3.0-or-later
// Plants known provider keys in the real binary (one from the environment, one in the config
// file), drives traffic that tempts every path to repeat them (upstream errors echoing the
// key, the key pasted into a prompt, the client sending it as its own credential, replays,
// fallbacks, streams), then searches every output for them: the binary's stdout and stderr
// (clean stop, crash, broken config), the SQLite files with their WAL, every admin API
// response, /metrics, the CLI subcommands, and upstream error answers passed on to clients.
#include "tests/support/AppProcess.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestFiles.h"
#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace Switchyard;
using namespace Switchyard::Test;
using namespace Qt::StringLiterals;
using Behaviour = FakeProvider::Behaviour;

class TestKeyLeak : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void keysNeverLeave();
    void brokenConfigNeverEchoesKeys();
    void keyPastedAsVariableName();
};

namespace {

constexpr int Timeout = 15000;
const QByteArray EnvKey = "sk-planted-env-7Qx2Lm9Rw4Tz";
const QByteArray FileKey = "sk-ant-planted-file-3Vb8Nc6Yd1Hk";
const QByteArrayList Keys{EnvKey, FileKey};

// The key itself, or enough of its tail to give it away.
QString leakIn(const QByteArray &haystack)
{
    for (const QByteArray &key : Keys) {
        if (haystack.contains(key) || haystack.contains(key.right(12)))
            return QString::fromLatin1(key);
    }
    return QString();
}

// A run of the binary with the env key planted; 15 s for each wait, as a loaded machine needs.
class Instance final
{
public:
    explicit Instance(const QTemporaryDir &home)
        : m_app(home.path(), Timeout)
    {
        m_app.setEnvironmentVariable(u"KEYLEAK_OPENAI_KEY"_s, QString::fromLatin1(EnvKey));
    }
    quint16 start(const QString &configPath, const QString &dbPath = QString()) { return m_app.startHeadless(configPath, dbPath); }
    // Runs to the end (or stops it with `signal`) and returns everything it printed.
    QByteArray finish(int signal = 0)
    {
        m_app.finish(signal);
        return m_app.standardOutput() + m_app.standardError();
    }
    QProcess &process() { return m_app.process(); }

private:
    AppProcess m_app;
};

QByteArray configJson(quint16 openAiPort, quint16 anthropicPort, const QByteArray &extra = QByteArray())
{
    return R"({"version":1,
  "providers":[
    {"name":"oa","kind":"openai","base_url":"http://127.0.0.1:)" + QByteArray::number(openAiPort) + R"(/v1","api_key_env":"KEYLEAK_OPENAI_KEY"},
    {"name":"an","kind":"anthropic","base_url":"http://127.0.0.1:)" + QByteArray::number(anthropicPort) + R"(","api_key":")" + FileKey + R"("}],
  "aliases":[
    {"name":"general","strategy":"fallback","targets":[{"provider":"oa","model":"gpt-x"},{"provider":"an","model":"claude-x"}]},
    {"name":"claude","strategy":"fallback","targets":[{"provider":"an","model":"claude-x"}]})" + extra + R"(],
  "retry":{"max_attempts":1,"backoff_ms":10}})";
}

// Every byte of the log files as they are now (main file, WAL, shared memory).
QByteArray databaseBytes(const QString &dbPath)
{
    QByteArray all;
    for (const QString &suffix : {QString(), u"-wal"_s, u"-shm"_s})
        all += readAll(dbPath + suffix);
    return all;
}

QByteArray chat(const QByteArray &model, const QByteArray &content, bool stream = false)
{
    return R"({"model":")" + model + R"(","stream":)" + (stream ? "true" : "false")
           + R"(,"max_tokens":32,"messages":[{"role":"user","content":")" + content + R"("}]})";
}

} // namespace

void TestKeyLeak::initTestCase()
{
    if (AppProcess::binary().isEmpty())
        QSKIP("SWITCHYARD_BINARY is not set (run through ctest)");
}

void TestKeyLeak::keysNeverLeave()
{
    FakeProvider openAi;
    FakeProvider anthropic;
    QTemporaryDir home;
    const QString configPath = home.filePath(u"config.json"_s);
    const QString dbPath = home.filePath(u"requests.db"_s);
    QVERIFY(writeFile(configPath, configJson(openAi.port(), anthropic.port())));
    QFile::setPermissions(configPath, QFileDevice::ReadOwner | QFileDevice::WriteOwner);

    Instance app(home);
    const quint16 port = app.start(configPath, dbPath);
    if (!port)
        QFAIL(app.finish().constData());
    const QByteArray url = "http://127.0.0.1:" + QByteArray::number(port);
    QByteArrayList outputs; // every admin and metrics answer, searched at the end

    // Traffic that tempts each path to repeat a key.
    auto post = [port](const QByteArray &path, const QByteArray &body, const QList<std::pair<QByteArray, QByteArray>> &headers = {}) {
        return RawHttpClient::fetch(port, "POST", path, body, headers);
    };
    QCOMPARE(post("/v1/chat/completions", chat("general", "hello")).status, 200);
    QCOMPARE(post("/v1/chat/completions", chat("general", "hello", true)).status, 200);
    QCOMPARE(post("/v1/chat/completions", chat("general", "my key is " + EnvKey + " and " + FileKey)).status, 200);
    QCOMPARE(post("/v1/messages", chat("claude", "hi"), {{"x-api-key", FileKey}, {"Authorization", "Bearer " + EnvKey}}).status, 200);
    openAi.enqueue(Behaviour::httpError(401, u"Incorrect API key provided: "_s + QString::fromLatin1(EnvKey)));
    const RawHttpClient::Response echoed = post("/v1/chat/completions", chat("general", "hello"));
    QCOMPARE(echoed.status, 401);
    outputs << echoed.body; // what the client gets of an upstream's echo, too
    anthropic.enqueue(Behaviour::httpError(401, u"invalid x-api-key "_s + QString::fromLatin1(FileKey)));
    const RawHttpClient::Response echoedToo = post("/v1/messages", chat("claude", "hello"));
    QCOMPARE(echoedToo.status, 401);
    outputs << echoedToo.body;
    openAi.enqueue(Behaviour::httpError(500, u"upstream trace: Authorization: Bearer "_s + QString::fromLatin1(EnvKey)));
    QCOMPARE(post("/v1/chat/completions", chat("general", "fall back", true)).status, 200);
    anthropic.enqueue(Behaviour::cut(2));
    QCOMPARE(post("/v1/messages", chat("claude", "cut", true)).status, 200);

    // The keys did reach the upstreams: the search below looks for something real.
    QCOMPARE(openAi.requests().constFirst().headers.value("authorization"), "Bearer " + EnvKey);
    QCOMPARE(anthropic.requests().constLast().headers.value("x-api-key"), FileKey);

    // Every admin API answer, and the metrics.
    QDeadlineTimer logged(Timeout);
    RawHttpClient::Response list;
    do {
        QTest::qWait(100);
        list = RawHttpClient::fetch(port, "GET", "/api/requests?limit=100");
    } while (list.json().value(u"requests"_s).toArray().size() < 8 && !logged.hasExpired());
    const QJsonArray requests = list.json().value(u"requests"_s).toArray();
    QCOMPARE(requests.size(), 8);
    outputs << list.body;
    const QString firstId = requests.last().toObject().value(u"id"_s).toString();
    for (const QJsonValue &r : requests) {
        const RawHttpClient::Response detail = RawHttpClient::fetch(port, "GET", "/api/requests/" + r.toObject().value(u"id"_s).toString().toLatin1());
        QCOMPARE(detail.status, 200);
        outputs << detail.body;
    }
    const RawHttpClient::Response replay = post("/api/requests/" + firstId.toLatin1() + "/replay", QByteArray());
    QCOMPARE(replay.status, 200);
    outputs << replay.body;
    for (const char *path : {"/api/requests?status=error", "/api/requests?q=sk-", "/api/stats?by=provider",
                                   "/api/stats?by=alias&bucket=hour", "/api/stats?by=client", "/api/config",
                                   "/api/route?model=general", "/v1/models", "/health", "/metrics"}) {
        const RawHttpClient::Response r = RawHttpClient::fetch(port, "GET", path);
        QVERIFY2(r.status == 200, path);
        outputs << r.body + r.headers.value("content-type");
    }
    QVERIFY(outputs.join().contains("\"***\"") || outputs.join().contains("Bearer ***")); // masked, not missing
    // A config sent back as shown keeps its key without the key ever being shown.
    const RawHttpClient::Response config = RawHttpClient::fetch(port, "GET", "/api/config");
    QJsonObject shown = config.json();
    QJsonObject listen = shown.value(u"listen"_s).toObject();
    listen.insert(u"port"_s, port); // GET shows the --port 0 it was started with, which PUT refuses
    shown.insert(u"listen"_s, listen);
    const RawHttpClient::Response put = RawHttpClient::fetch(port, "PUT", "/api/config", QJsonDocument(shown).toJson());
    QVERIFY2(put.status == 200, put.body.constData());
    outputs << put.body;

    // The CLI subcommands print what the admin API gave them.
    for (const QStringList &cli : {QStringList{u"requests"_s, u"--limit"_s, u"50"_s, u"--url"_s, QString::fromLatin1(url)},
                                   QStringList{u"requests"_s, u"--failed"_s, u"--url"_s, QString::fromLatin1(url)},
                                   QStringList{u"replay"_s, firstId, u"--url"_s, QString::fromLatin1(url)}}) {
        AppProcess run(home.path(), Timeout);
        QVERIFY(run.run(cli));
        QCOMPARE(run.process().exitCode(), 0);
        outputs << run.standardOutput() + run.standardError();
    }

    const QByteArray whileRunning = databaseBytes(dbPath);
    QVERIFY(QFile::exists(dbPath + u"-wal"_s));
    const QByteArray printed = app.finish(SIGTERM);
    QCOMPARE(app.process().exitStatus(), QProcess::NormalExit);
    const QByteArray afterStop = databaseBytes(dbPath);

    // A crash: the next run on the same log is killed hard in the middle of its work.
    Instance crashed(home);
    const quint16 crashPort = crashed.start(configPath, dbPath);
    QVERIFY(crashPort);
    QCOMPARE(RawHttpClient::fetch(crashPort, "POST", "/v1/chat/completions", chat("general", "again " + EnvKey)).status, 200);
    const QByteArray crashOutput = crashed.finish(SIGSEGV);
    QCOMPARE(crashed.process().exitStatus(), QProcess::CrashExit);

    const QList<std::pair<QString, QByteArray>> searched{
        {u"stdout and stderr"_s, printed},
        {u"crash output"_s, crashOutput},
        {u"the database files while running"_s, whileRunning},
        {u"the database files after a clean stop"_s, afterStop},
        {u"the database files after a crash"_s, databaseBytes(dbPath)},
    };
    for (const auto &[where, bytes] : searched)
        QVERIFY2(leakIn(bytes).isEmpty(), qPrintable(where + u" hold "_s + leakIn(bytes)));
    for (const QByteArray &output : std::as_const(outputs))
        QVERIFY2(leakIn(output).isEmpty(), output.left(2000).constData());
    QVERIFY2(whileRunning.contains("fall back"), "the search must see the logged bodies"); // the search itself works
}

void TestKeyLeak::brokenConfigNeverEchoesKeys()
{
    QTemporaryDir home;
    const QString configPath = home.filePath(u"config.json"_s);
    // Mistakes next to a key, and in the key's own field: the messages name places, not values.
    QByteArray broken = configJson(1, 2, R"(,{"name":"bad","targets":[{"provider":"opnai","model":"m"}]})");
    broken.replace(QByteArray(R"("api_key":")" + FileKey + '"'), QByteArray(R"("api_key":[")" + FileKey + R"("])"));
    QVERIFY(writeFile(configPath, broken));
    Instance app(home);
    QCOMPARE(app.start(configPath), quint16(0));
    const QByteArray printed = app.finish();
    QCOMPARE(app.process().exitCode(), 2);
    QVERIFY2(printed.contains("opnai") && printed.contains("api_key"), printed.constData());
    QVERIFY2(leakIn(printed).isEmpty(), printed.constData());
}

void TestKeyLeak::keyPastedAsVariableName()
{
    // A common slip: the key itself where the name of its environment variable belongs.
    QTemporaryDir home;
    const QString configPath = home.filePath(u"config.json"_s);
    QByteArray config = configJson(1, 2);
    config.replace("\"KEYLEAK_OPENAI_KEY\"", QByteArray('"' + EnvKey + '"'));
    QVERIFY(writeFile(configPath, config));
    Instance app(home);
    QCOMPARE(app.start(configPath), quint16(0));
    const QByteArray printed = app.finish();
    QCOMPARE(app.process().exitCode(), 2);
    QVERIFY2(printed.contains("providers[0].api_key_env"), printed.constData());
    QVERIFY2(leakIn(printed).isEmpty(), printed.constData());
}

QTEST_GUILESS_MAIN(TestKeyLeak)
#include "tst_KeyLeak.moc"
