// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/cli/CommandLine.h"
#include "core/cli/RequestTable.h"
#include "tests/support/AppProcess.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestFiles.h"
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace Switchyard;
using Switchyard::Test::FakeProvider;
using Switchyard::Test::writeFile;

// Declared before the test data: moc reads "//" inside a raw string literal (a URL) as a comment
// and would not find a class declared after one.
class TestAdminClient final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void table_data();
    void table();
    void tableCutsLongCells();
    void replayReport_data();
    void replayReport();
    void parsesCommands_data();
    void parsesCommands();
    void rejectsCommands_data();
    void rejectsCommands();

    void binaryRejectsUsage_data();
    void binaryRejectsUsage();
    void binaryListsRequests();
    void binaryReplaysRequest();
    void binaryFindsInstanceThroughConfig();
    void binarySendsTokenFromConfig();
    void binaryNeedsTokenOfGuardedInstance();
    void binarySaysNothingListens();
    void binaryNeverCreatesConfig();
};

namespace {

constexpr int Timeout = 10000;

// 15:00 local time, far from any daylight-saving switch, so the expected texts hold in every zone.
const QDateTime Now(QDate(2024, 5, 17), QTime(15, 0, 0));

QString startedAt(const QDateTime &local)
{
    return local.toUTC().toString(Qt::ISODateWithMs);
}

// A request as GET /api/requests gives it: a successful, priced call, with `changes` applied.
QJsonObject request(const QString &id, const QJsonObject &changes = {})
{
    QJsonObject r = QJsonDocument::fromJson(R"({
        "duration_ms": 842, "ttft_ms": 300, "endpoint": "/v1/chat/completions", "requested_model": "general",
        "alias": "general", "provider": "openai", "model": "gpt-4o-mini", "status": 200, "outcome": "ok",
        "error_class": null, "error_message": null, "prompt_tokens": 12, "completion_tokens": 7,
        "cached_tokens": null, "cost_usd": 0.0012, "client": "OpenAI/Python 1.40.0",
        "client_process": "/usr/bin/python3", "client_pid": 4242, "project": "/home/dev/app", "stream": false,
        "replay_of": null, "attempts": []})").object();
    r.insert(QStringLiteral("id"), id);
    r.insert(QStringLiteral("started_at"), startedAt(Now.addSecs(-2)));
    for (auto it = changes.begin(); it != changes.end(); ++it)
        r.insert(it.key(), it.value());
    return r;
}

QJsonObject failedChanges()
{
    return QJsonDocument::fromJson(R"({"status": 502, "outcome": "error", "error_class": "upstream_5xx",
        "error_message": "anthropic: HTTP 529 overloaded", "provider": "anthropic", "model": "claude-3-5-haiku-latest",
        "prompt_tokens": null, "completion_tokens": null, "cost_usd": null, "duration_ms": 12345,
        "client": "curl/8.1.2", "client_process": null})").object();
}

// A config whose aliases reach `fake`: "general" an unpriced model, "priced" one with a price.
QByteArray configFor(const FakeProvider &fake, quint16 listenPort, const QByteArray &token = QByteArray())
{
    QByteArray json = R"({"version": 1, "listen": {"host": "127.0.0.1", "port": LISTEN_PORT TOKEN},
        "providers": [{"name": "fake", "kind": "openai", "base_url": "FAKE_URL/v1"}],
        "aliases": [{"name": "general", "strategy": "fallback", "targets": [{"provider": "fake", "model": "fake-model"}]},
                    {"name": "priced", "strategy": "fallback", "targets": [{"provider": "fake", "model": "priced-model"}]}],
        "retry": {"max_attempts": 1, "backoff_ms": 10},
        "timeouts": {"connect_ms": 2000, "first_byte_ms": 5000, "idle_ms": 5000, "total_ms": 10000},
        "pricing": [{"provider": "fake", "model": "priced-model", "input_per_mtok": 100, "output_per_mtok": 200}]})";
    json.replace("LISTEN_PORT", QByteArray::number(listenPort));
    json.replace("TOKEN", token.isEmpty() ? QByteArray() : R"(, "token": ")" + token + '"');
    json.replace("FAKE_URL", fake.baseUrl());
    return json;
}

// What one run of the binary printed.
struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
    QStringList lines() const { return out.split(QLatin1Char('\n'), Qt::SkipEmptyParts); }
};

// A private home for switchyard runs: the instance started with startWith() and the command
// runs (each with XDG directories in home()). The instance is killed when the test ends.
class SwitchyardProcess final
{
public:
    SwitchyardProcess()
        : m_instance(m_home.path())
    {
    }

    const QTemporaryDir &home() const { return m_home; }
    QString path(const char *name) const { return m_home.filePath(QLatin1String(name)); }
    QString configPath() const { return path("config.json"); }

    // Writes configFor(fake, listenPort, token) to configPath() and starts
    // `switchyard --headless --port PORT --config C --db D` (PORT 0 when listenPort is 0);
    // returns the port it reports listening on, or 0 (with the reason in failure()).
    quint16 startWith(const FakeProvider &fake, quint16 listenPort = 0, const QByteArray &token = QByteArray())
    {
        if (!m_home.isValid() || !writeFile(configPath(), configFor(fake, listenPort ? listenPort : 4141, token))) {
            m_failure = QStringLiteral("cannot write %1").arg(configPath());
            return 0;
        }
        const quint16 port = m_instance.startHeadless(configPath(), path("requests.db"), listenPort);
        m_failure = m_instance.failure();
        return port;
    }
    QString failure() const { return m_failure; }

    // One run of a command to its end (killed if it outlives Timeout and 5 s more).
    Run run(const QStringList &arguments) const
    {
        Test::AppProcess process(m_home.path(), Timeout + 5000);
        Run result;
        if (!process.run(arguments)) {
            process.finish(SIGKILL);
            result.err = QStringLiteral("(did not finish in time) ");
        }
        result.exitCode = process.process().exitStatus() == QProcess::NormalExit ? process.process().exitCode() : -1;
        result.out = QString::fromUtf8(process.standardOutput());
        result.err += QString::fromUtf8(process.standardError());
        return result;
    }

private:
    QTemporaryDir m_home;
    Test::AppProcess m_instance;
    QString m_failure;
};

QString urlOf(quint16 port)
{
    return QStringLiteral("http://127.0.0.1:%1").arg(port);
}

// One HTTP call to the instance, with a Host header that names its port.
Test::RawHttpClient::Response call(quint16 port, const QByteArray &method, const QByteArray &path, const QByteArray &body = {})
{
    Test::RawHttpClient client(port);
    client.send(Test::RawHttpClient::request(method, path, body, {{"Content-Type", "application/json"}})
                    .replace("Host: 127.0.0.1\r\n", QByteArray("Host: 127.0.0.1:" + QByteArray::number(port) + "\r\n")));
    return client.readResponse(Timeout);
}

QByteArray chat(const char *model)
{
    return R"({"model": ")" + QByteArray(model) + R"(", "messages": [{"role": "user", "content": "hi"}]})";
}

// Sends a chat request through the instance and returns its request id.
QByteArray sendChat(quint16 port, const char *model, int expectedStatus)
{
    const Test::RawHttpClient::Response response = call(port, "POST", "/v1/chat/completions", chat(model));
    if (response.status != expectedStatus)
        qWarning() << "chat through" << model << "answered" << response.status << response.body;
    return response.headers.value("x-switchyard-request-id");
}

// Waits until the request log (batched, up to a second behind) holds `count` requests.
bool waitForLogged(quint16 port, int count)
{
    return QTest::qWaitFor([&] {
        const QJsonObject list = call(port, "GET", "/api/requests?limit=100").json();
        return list.value(QLatin1String("requests")).toArray().size() >= count;
    }, Timeout);
}

// The cells of a table row: columns are separated by at least two spaces.
QStringList cells(const QString &line)
{
    return line.trimmed().split(QRegularExpression(QStringLiteral("\\s{2,}")));
}

} // namespace

void TestAdminClient::init()
{
    if (Test::AppProcess::binary().isEmpty() && QByteArray(QTest::currentTestFunction()).startsWith("binary"))
        QSKIP("SWITCHYARD_BINARY is not set (run through ctest)");
}

void TestAdminClient::table_data()
{
    QTest::addColumn<QJsonArray>("requests");
    QTest::addColumn<bool>("failedOnly");
    QTest::addColumn<int>("limit");
    QTest::addColumn<QString>("expected");

    QTest::newRow("ok and error rows")
        << QJsonArray{request(QStringLiteral("req_b")), request(QStringLiteral("req_a"), failedChanges())} << false << 20
        << QStringLiteral("TIME      ID     STATUS  OUTCOME       ROUTE                                        DURATION  TOKENS     COST  CLIENT\n"
                          "14:59:58  req_b     200  ok            general → openai/gpt-4o-mini                   842 ms    12/7  $0.0012  python3\n"
                          "14:59:58  req_a     502  upstream_5xx  general → anthropic/claude-3-5-haiku-latest    12.3 s       -        -  curl/8.1.2\n"
                          "2 requests\n");
    QTest::newRow("unpriced, direct provider/model, unknown client")
        << QJsonArray{request(QStringLiteral("req_c"), {{QStringLiteral("cost_usd"), QJsonValue()},
                                                         {QStringLiteral("alias"), QJsonValue()},
                                                         {QStringLiteral("client_process"), QJsonValue()},
                                                         {QStringLiteral("client"), QJsonValue()},
                                                         {QStringLiteral("duration_ms"), 65432}})}
        << false << 20
        << QStringLiteral("TIME      ID     STATUS  OUTCOME  ROUTE               DURATION  TOKENS      COST  CLIENT\n"
                          "14:59:58  req_c     200  ok       openai/gpt-4o-mini    1m 05s    12/7  unpriced  -\n"
                          "1 request\n");
    QTest::newRow("unknown model, tiny cost, older than today")
        << QJsonArray{request(QStringLiteral("req_d"), {{QStringLiteral("started_at"), startedAt(Now.addDays(-1))},
                                                         {QStringLiteral("cost_usd"), 0.00001}}),
                      request(QStringLiteral("req_e"), {{QStringLiteral("started_at"), startedAt(Now.addDays(-1).addSecs(-1))},
                                                         {QStringLiteral("status"), 404},
                                                         {QStringLiteral("outcome"), QStringLiteral("error")},
                                                         {QStringLiteral("error_class"), QStringLiteral("unknown_model")},
                                                         {QStringLiteral("requested_model"), QStringLiteral("gtp-4o")},
                                                         {QStringLiteral("alias"), QJsonValue()},
                                                         {QStringLiteral("provider"), QJsonValue()},
                                                         {QStringLiteral("model"), QJsonValue()},
                                                         {QStringLiteral("prompt_tokens"), QJsonValue()},
                                                         {QStringLiteral("cost_usd"), QJsonValue()},
                                                         {QStringLiteral("duration_ms"), 3}})}
        << false << 20
        << QStringLiteral("TIME                 ID     STATUS  OUTCOME        ROUTE                         DURATION  TOKENS      COST  CLIENT\n"
                          "2024-05-16 15:00:00  req_d     200  ok             general → openai/gpt-4o-mini    842 ms    12/7  <$0.0001  python3\n"
                          "2024-05-16 14:59:59  req_e     404  unknown_model  gtp-4o                            3 ms     ?/7         -  python3\n"
                          "2 requests\n");
    QTest::newRow("failed only, as many as the limit")
        << QJsonArray{request(QStringLiteral("req_f"), failedChanges())} << true << 1
        << QStringLiteral("TIME      ID     STATUS  OUTCOME       ROUTE                                        DURATION  TOKENS  COST  CLIENT\n"
                          "14:59:58  req_f     502  upstream_5xx  general → anthropic/claude-3-5-haiku-latest    12.3 s       -     -  curl/8.1.2\n"
                          "1 failed request, the newest (--limit 1; raise it to see more)\n");
    QTest::newRow("no rows") << QJsonArray() << false << 20
                             << QStringLiteral("No requests in the log yet: point a client at switchyard and they appear here.\n");
    QTest::newRow("no failed rows") << QJsonArray() << true << 20 << QStringLiteral("No failed requests in the log.\n");
}

void TestAdminClient::table()
{
    QFETCH(QJsonArray, requests);
    QFETCH(bool, failedOnly);
    QFETCH(int, limit);
    QFETCH(QString, expected);
    QCOMPARE(RequestTable::render(requests, Now, failedOnly, limit), expected);
}

void TestAdminClient::tableCutsLongCells()
{
    const QString longModel = QStringLiteral("meta-llama/llama-3.1-405b-instruct-turbo-with-a-very-long-suffix");
    const QString longAgent = QStringLiteral("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)");
    const QJsonArray requests{request(QStringLiteral("req_long"), {{QStringLiteral("provider"), QStringLiteral("openrouter")},
                                                                   {QStringLiteral("model"), longModel},
                                                                   {QStringLiteral("client_process"), QJsonValue()},
                                                                   {QStringLiteral("client"), longAgent}}),
                              request(QStringLiteral("req_short"))};
    const QStringList lines = RequestTable::render(requests, Now, false, 20).split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 5); // header, two rows, count, and the empty rest after the last newline
    const QStringList row = cells(lines.at(1));
    QCOMPARE(row.size(), 9);
    QCOMPARE(row.at(4), QString(QStringLiteral("general → openrouter/") + longModel).left(RequestTable::MaxRouteWidth - 1) + QStringLiteral("…"));
    QCOMPARE(row.at(4).size(), RequestTable::MaxRouteWidth);
    QCOMPARE(row.at(8), longAgent.left(RequestTable::MaxClientWidth - 1) + QStringLiteral("…"));
    // Every row's columns start where the header's do.
    for (const char *title : {"ID", "ROUTE", "CLIENT"}) {
        const qsizetype column = lines.at(0).indexOf(QLatin1String(title));
        QCOMPARE(lines.at(1).at(column - 1), QLatin1Char(' '));
        QVERIFY2(lines.at(1).at(column) != QLatin1Char(' '), title);
        QVERIFY2(lines.at(2).at(column) != QLatin1Char(' '), title);
    }
}

void TestAdminClient::replayReport_data()
{
    QTest::addColumn<QJsonObject>("request");
    QTest::addColumn<QString>("expected");
    QJsonObject ok = request(QStringLiteral("req_new"), {{QStringLiteral("replay_of"), QStringLiteral("req_old")},
                                                          {QStringLiteral("response_body"), QStringLiteral(R"({"choices":[]})")}});
    QTest::newRow("succeeded") << ok
                               << QStringLiteral("id         req_new\n"
                                                 "replay_of  req_old\n"
                                                 "status     200\n"
                                                 "outcome    ok\n"
                                                 "route      general → openai/gpt-4o-mini\n"
                                                 "duration   842 ms\n"
                                                 "tokens     12/7\n"
                                                 "cost       $0.0012\n"
                                                 "response   14 characters\n"
                                                 "{\"choices\":[]}\n");
    QJsonObject failed = request(QStringLiteral("req_new"), failedChanges());
    failed.insert(QStringLiteral("replay_of"), QStringLiteral("req_old"));
    failed.insert(QStringLiteral("response_body"), QString(600, QLatin1Char('x')));
    QTest::newRow("failed, long body cut")
        << failed
        << QStringLiteral("id         req_new\n"
                          "replay_of  req_old\n"
                          "status     502\n"
                          "outcome    upstream_5xx\n"
                          "error      anthropic: HTTP 529 overloaded\n"
                          "route      general → anthropic/claude-3-5-haiku-latest\n"
                          "duration   12.3 s\n"
                          "tokens     -\n"
                          "cost       -\n"
                          "response   the first 500 of 600 characters\n")
               + QString(500, QLatin1Char('x')) + QStringLiteral("…\n");
    QJsonObject empty = ok;
    empty.insert(QStringLiteral("response_body"), QString());
    QTest::newRow("empty body") << empty
                                << QStringLiteral("id         req_new\nreplay_of  req_old\nstatus     200\noutcome    ok\n"
                                                  "route      general → openai/gpt-4o-mini\nduration   842 ms\n"
                                                  "tokens     12/7\ncost       $0.0012\nresponse   (empty)\n");
}

void TestAdminClient::replayReport()
{
    QFETCH(QJsonObject, request);
    QFETCH(QString, expected);
    QCOMPARE(RequestTable::describeReplay(request), expected);
}

void TestAdminClient::parsesCommands_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("action");
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("failedOnly");
    QTest::addColumn<int>("limit");
    QTest::addColumn<QString>("requestId");
    QTest::addColumn<QString>("bodyPath");
    const int requests = int(CommandLineOptions::Action::Requests);
    const int replay = int(CommandLineOptions::Action::Replay);
    QTest::newRow("requests, defaults") << QStringList{QStringLiteral("requests")} << requests << QString() << false << 20
                                        << QString() << QString();
    QTest::newRow("requests, every option")
        << QStringList{QStringLiteral("requests"), QStringLiteral("--failed"), QStringLiteral("--limit"), QStringLiteral("1000"),
                       QStringLiteral("--url=http://127.0.0.1:5000")}
        << requests << QStringLiteral("http://127.0.0.1:5000") << true << 1000 << QString() << QString();
    QTest::newRow("options before the command") << QStringList{QStringLiteral("--limit=1"), QStringLiteral("requests")}
                                                << requests << QString() << false << 1 << QString() << QString();
    QTest::newRow("replay with a body")
        << QStringList{QStringLiteral("replay"), QStringLiteral("req_0190"), QStringLiteral("--body"), QStringLiteral("fix.json")}
        << replay << QString() << false << 20 << QStringLiteral("req_0190") << QStringLiteral("fix.json");
}

void TestAdminClient::parsesCommands()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, action);
    QFETCH(QString, url);
    QFETCH(bool, failedOnly);
    QFETCH(int, limit);
    QFETCH(QString, requestId);
    QFETCH(QString, bodyPath);
    const Result<CommandLineOptions> parsed = CommandLine::parse(QStringList{QStringLiteral("switchyard")} + arguments);
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
    const CommandLineOptions &o = parsed.value();
    QCOMPARE(int(o.action), action);
    QCOMPARE(o.url, url);
    QCOMPARE(o.failedOnly, failedOnly);
    QCOMPARE(o.limit, limit);
    QCOMPARE(o.requestId, requestId);
    QCOMPARE(o.bodyPath, bodyPath);
    QVERIFY(!o.configGiven);
}

void TestAdminClient::rejectsCommands_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    const auto row = [](const char *name, const QStringList &arguments, const QString &message) {
        QTest::newRow(name) << arguments << message;
    };
    const QString badLimit = QStringLiteral("--limit: must be an integer from 1 to 1000, got \"%1\"");
    const QString requests = QStringLiteral("requests");
    row("limit 0", {requests, QStringLiteral("--limit"), QStringLiteral("0")}, badLimit.arg(QStringLiteral("0")));
    row("limit above 1000", {requests, QStringLiteral("--limit=1001")}, badLimit.arg(QStringLiteral("1001")));
    row("limit not a number", {requests, QStringLiteral("--limit"), QStringLiteral("ten")}, badLimit.arg(QStringLiteral("ten")));
    row("limit empty", {requests, QStringLiteral("--limit=")}, badLimit.arg(QString()));
    row("limit without value", {requests, QStringLiteral("--limit")}, QStringLiteral("Missing value after '--limit'. (see --help)"));
    row("replay without id", {QStringLiteral("replay")}, QStringLiteral("replay: needs the ID of a request (switchyard requests lists them)"));
    row("replay with empty id", {QStringLiteral("replay"), QString()},
        QStringLiteral("replay: needs the ID of a request (switchyard requests lists them)"));
    row("replay with two ids", {QStringLiteral("replay"), QStringLiteral("a"), QStringLiteral("b")},
        QStringLiteral("replay: unexpected argument \"b\" (see --help)"));
    row("requests with an argument", {requests, QStringLiteral("all")}, QStringLiteral("requests: unexpected argument \"all\" (see --help)"));
    row("unknown flag", {requests, QStringLiteral("--since=1h")}, QStringLiteral("Unknown option 'since'. (see --help)"));
    row("server flag on requests", {requests, QStringLiteral("--port"), QStringLiteral("4141")},
        QStringLiteral("--port: not an option of the requests command (see --help)"));
    row("requests flag on replay", {QStringLiteral("replay"), QStringLiteral("a"), QStringLiteral("--failed")},
        QStringLiteral("--failed: not an option of the replay command (see --help)"));
    row("requests flag without command", {QStringLiteral("--limit=5")}, QStringLiteral("--limit: only for the requests command (see --help)"));
    row("url without command", {QStringLiteral("--url=http://127.0.0.1:4141")},
        QStringLiteral("--url: only for the requests, replay or evaluate command (see --help)"));
    row("url not http", {requests, QStringLiteral("--url"), QStringLiteral("ftp://127.0.0.1:4141")},
        QStringLiteral("--url: expected an address like http://127.0.0.1:4141, got \"ftp://127.0.0.1:4141\""));
    row("url without scheme", {requests, QStringLiteral("--url=127.0.0.1:4141")},
        QStringLiteral("--url: expected an address like http://127.0.0.1:4141, got \"127.0.0.1:4141\""));
    row("body empty", {QStringLiteral("replay"), QStringLiteral("a"), QStringLiteral("--body=")}, QStringLiteral("--body: needs a file name"));
    row("config empty", {requests, QStringLiteral("--config"), QString()}, QStringLiteral("--config: needs a file name"));
    row("unknown command", {QStringLiteral("request")},
        QStringLiteral("unknown command \"request\"; the commands are requests, replay, evaluate and key (see --help)"));
}

void TestAdminClient::rejectsCommands()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Result<CommandLineOptions> parsed = CommandLine::parse(QStringList{QStringLiteral("switchyard")} + arguments);
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().message, message);
}

void TestAdminClient::binaryRejectsUsage_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("standardError"); // "DIR" stands for the temporary directory
    QTest::newRow("bad limit") << QStringList{QStringLiteral("requests"), QStringLiteral("--limit"), QStringLiteral("0")}
                               << QStringLiteral("switchyard: --limit: must be an integer from 1 to 1000, got \"0\"\n");
    QTest::newRow("missing id") << QStringList{QStringLiteral("replay")}
                                << QStringLiteral("switchyard: replay: needs the ID of a request (switchyard requests lists them)\n");
    QTest::newRow("unknown flag") << QStringList{QStringLiteral("requests"), QStringLiteral("--all")}
                                  << QStringLiteral("switchyard: Unknown option 'all'. (see --help)\n");
    QTest::newRow("unreadable body file")
        << QStringList{QStringLiteral("replay"), QStringLiteral("req_1"), QStringLiteral("--body"), QStringLiteral("DIR/none.json")}
        << QStringLiteral("switchyard: --body: cannot read DIR/none.json: No such file or directory\n");
    QTest::newRow("body file not an object")
        << QStringList{QStringLiteral("replay"), QStringLiteral("req_1"), QStringLiteral("--body"), QStringLiteral("DIR/list.json")}
        << QStringLiteral("switchyard: --body: DIR/list.json: not a JSON object\n");
    QTest::newRow("broken config") << QStringList{QStringLiteral("requests"), QStringLiteral("--config"), QStringLiteral("DIR/broken.json")}
                                   << QStringLiteral("DIR/broken.json: listen.port: must be an integer from 1 to 65535, got 0\n");
}

void TestAdminClient::binaryRejectsUsage()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, standardError);
    const SwitchyardProcess app;
    QVERIFY(app.home().isValid());
    QVERIFY(writeFile(app.path("list.json"), "[1, 2]"));
    QVERIFY(writeFile(app.path("broken.json"), R"({"version": 1, "listen": {"port": 0}, "providers": []})"));
    arguments.replaceInStrings(QStringLiteral("DIR"), app.home().path());
    const Run run = app.run(arguments);
    QCOMPARE(run.err, QString(standardError).replace(QStringLiteral("DIR"), app.home().path()));
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(run.out, QString());
}

void TestAdminClient::binaryListsRequests()
{
    FakeProvider fake;
    SwitchyardProcess app;
    const quint16 port = app.startWith(fake);
    QVERIFY2(port != 0, qPrintable(app.failure()));

    const QByteArray first = sendChat(port, "general", 200);
    QTest::qWait(5); // distinct start times keep the order "newest first" unambiguous
    const QByteArray second = sendChat(port, "priced", 200);
    QTest::qWait(5);
    fake.enqueue(FakeProvider::Behaviour::httpError(400, QStringLiteral("bad tool schema")));
    const QByteArray failed = sendChat(port, "general", 400);
    QVERIFY(!first.isEmpty() && !second.isEmpty() && !failed.isEmpty());
    QVERIFY(waitForLogged(port, 3));

    const Run all = app.run({QStringLiteral("requests"), QStringLiteral("--url"), urlOf(port)});
    QCOMPARE(all.err, QString());
    QCOMPARE(all.exitCode, 0);
    QStringList lines = all.lines();
    QCOMPARE(lines.size(), 5);
    QCOMPARE(cells(lines.at(0)), (QStringList{QStringLiteral("TIME"), QStringLiteral("ID"), QStringLiteral("STATUS"),
                                              QStringLiteral("OUTCOME"), QStringLiteral("ROUTE"), QStringLiteral("DURATION"),
                                              QStringLiteral("TOKENS"), QStringLiteral("COST"), QStringLiteral("CLIENT")}));
    const QStringList newest = cells(lines.at(1));
    QCOMPARE(newest.size(), 9);
    QCOMPARE(newest.mid(1, 4), (QStringList{QString::fromLatin1(failed), QStringLiteral("400"), QStringLiteral("upstream_4xx"),
                                            QStringLiteral("general → fake/fake-model")}));
    QCOMPARE(newest.at(7), QStringLiteral("-"));
    const QStringList priced = cells(lines.at(2));
    QCOMPARE(priced.mid(1, 4), (QStringList{QString::fromLatin1(second), QStringLiteral("200"), QStringLiteral("ok"),
                                            QStringLiteral("priced → fake/priced-model")}));
    QCOMPARE(priced.mid(6, 2), (QStringList{QStringLiteral("12/7"), QStringLiteral("$0.0026")}));
    const QStringList unpriced = cells(lines.at(3));
    QCOMPARE(unpriced.at(1), QString::fromLatin1(first));
    QCOMPARE(unpriced.mid(6, 2), (QStringList{QStringLiteral("12/7"), QStringLiteral("unpriced")}));
    QVERIFY2(QRegularExpression(QStringLiteral("^\\d+ ms$")).match(unpriced.at(5)).hasMatch(), qPrintable(unpriced.at(5)));
    QVERIFY2(QRegularExpression(QStringLiteral("^(\\d{4}-\\d\\d-\\d\\d )?\\d\\d:\\d\\d:\\d\\d$")).match(unpriced.at(0)).hasMatch(),
             qPrintable(unpriced.at(0)));
    QCOMPARE(lines.at(4), QStringLiteral("3 requests"));

    const Run failedOnly = app.run({QStringLiteral("requests"), QStringLiteral("--failed"), QStringLiteral("--url"), urlOf(port)});
    QCOMPARE(failedOnly.err, QString());
    QCOMPARE(failedOnly.exitCode, 0);
    lines = failedOnly.lines();
    QCOMPARE(lines.size(), 3);
    QCOMPARE(cells(lines.at(1)).at(1), QString::fromLatin1(failed));
    QCOMPARE(lines.at(2), QStringLiteral("1 failed request"));

    const Run limited = app.run({QStringLiteral("requests"), QStringLiteral("--limit=2"), QStringLiteral("--url"), urlOf(port) + QLatin1Char('/')});
    QCOMPARE(limited.exitCode, 0);
    lines = limited.lines();
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines.at(3), QStringLiteral("2 requests, the newest (--limit 2; raise it to see more)"));
}

void TestAdminClient::binaryReplaysRequest()
{
    FakeProvider fake;
    SwitchyardProcess app;
    const quint16 port = app.startWith(fake);
    QVERIFY2(port != 0, qPrintable(app.failure()));
    const QByteArray original = sendChat(port, "priced", 200);
    QVERIFY(!original.isEmpty());
    QVERIFY(waitForLogged(port, 1));

    const Run replayed = app.run({QStringLiteral("replay"), QString::fromLatin1(original), QStringLiteral("--url"), urlOf(port)});
    QCOMPARE(replayed.err, QString());
    QVERIFY2(replayed.exitCode == 0, qPrintable(replayed.out));
    QCOMPARE(fake.requestCount(), 2);
    const QStringList lines = replayed.lines();
    QVERIFY2(lines.size() >= 10, qPrintable(replayed.out));
    QVERIFY(lines.at(0).startsWith(QLatin1String("id         req_")));
    QVERIFY(!lines.at(0).endsWith(QString::fromLatin1(original)));
    QCOMPARE(lines.mid(1, 4), (QStringList{QStringLiteral("replay_of  ") + QString::fromLatin1(original), QStringLiteral("status     200"),
                                           QStringLiteral("outcome    ok"), QStringLiteral("route      priced → fake/priced-model")}));
    QVERIFY(lines.at(5).startsWith(QLatin1String("duration   ")));
    QCOMPARE(lines.mid(6, 2), (QStringList{QStringLiteral("tokens     12/7"), QStringLiteral("cost       $0.0026")}));
    QVERIFY(lines.at(8).startsWith(QLatin1String("response   ")));
    QVERIFY2(replayed.out.contains(QLatin1String("Hello from the fake provider.")), qPrintable(replayed.out));

    // An edited body goes upstream instead of the logged one.
    const QString body = app.path("body.json");
    QVERIFY(writeFile(body, R"({"model": "priced", "messages": [{"role": "user", "content": "edited"}]})"));
    fake.enqueue(FakeProvider::Behaviour::httpError(400, QStringLiteral("still wrong")));
    const Run failed = app.run({QStringLiteral("replay"), QString::fromLatin1(original), QStringLiteral("--body"), body,
                                QStringLiteral("--url"), urlOf(port)});
    QCOMPARE(failed.err, QString());
    QCOMPARE(failed.exitCode, 1);
    QVERIFY(fake.requests().constLast().body.contains("edited"));
    QVERIFY2(failed.out.contains(QLatin1String("\noutcome    upstream_4xx\n")), qPrintable(failed.out));
    QVERIFY2(failed.out.contains(QLatin1String("still wrong")), qPrintable(failed.out));

    const Run unknown = app.run({QStringLiteral("replay"), QStringLiteral("req_nope"), QStringLiteral("--url"), urlOf(port)});
    QCOMPARE(unknown.err, QStringLiteral("switchyard: no request req_nope in the log\n"));
    QCOMPARE(unknown.exitCode, 1);
    QCOMPARE(unknown.out, QString());
    QCOMPARE(fake.requestCount(), 3);
}

void TestAdminClient::binaryFindsInstanceThroughConfig()
{
    FakeProvider fake;
    SwitchyardProcess app;
    const quint16 listenPort = FakeProvider::unusedPort();
    QCOMPARE(app.startWith(fake, listenPort), listenPort); // the port is in the config file too

    const Run run = app.run({QStringLiteral("requests"), QStringLiteral("--config"), app.configPath()});
    QCOMPARE(run.err, QString());
    QCOMPARE(run.out, QStringLiteral("No requests in the log yet: point a client at switchyard and they appear here.\n"));
    QCOMPARE(run.exitCode, 0);

    // The default config file is the one of XDG_CONFIG_HOME.
    const QString defaultConfig = app.path("config/switchyard/config.json");
    QVERIFY(QDir().mkpath(QFileInfo(defaultConfig).absolutePath()));
    QVERIFY(QFile::copy(app.configPath(), defaultConfig));
    const Run byDefault = app.run({QStringLiteral("requests"), QStringLiteral("--failed")});
    QCOMPARE(byDefault.err, QString());
    QCOMPARE(byDefault.out, QStringLiteral("No failed requests in the log.\n"));
    QCOMPARE(byDefault.exitCode, 0);
}

void TestAdminClient::binarySendsTokenFromConfig()
{
    FakeProvider notSwitchyard; // answers 404 to /api/requests
    const SwitchyardProcess app;
    QVERIFY(writeFile(app.configPath(), configFor(notSwitchyard, notSwitchyard.port(), "s3cret-token")));
    const Run run = app.run({QStringLiteral("requests"), QStringLiteral("--config"), app.configPath()});
    QCOMPARE(run.err, QStringLiteral("switchyard: fake provider: no route for GET /api/requests\n"));
    QCOMPARE(run.exitCode, 1);
    QCOMPARE(notSwitchyard.requestCount(), 1);
    const HttpRequest sent = notSwitchyard.requests().constFirst();
    QCOMPARE(sent.target, QByteArray("/api/requests?limit=20"));
    QCOMPARE(sent.headers.value("authorization"), QByteArray("Bearer s3cret-token"));
    QCOMPARE(sent.headers.value("host"), "127.0.0.1:" + QByteArray::number(notSwitchyard.port()));
}

void TestAdminClient::binaryNeedsTokenOfGuardedInstance()
{
    FakeProvider fake;
    SwitchyardProcess app;
    const quint16 port = app.startWith(fake, 0, "s3cret-token");
    QVERIFY2(port != 0, qPrintable(app.failure()));

    const Run withConfig = app.run({QStringLiteral("requests"), QStringLiteral("--url"), urlOf(port), QStringLiteral("--config"), app.configPath()});
    QCOMPARE(withConfig.err, QString());
    QCOMPARE(withConfig.exitCode, 0);

    // --url alone does not send the token of the default config (there is none here).
    const Run withoutToken = app.run({QStringLiteral("requests"), QStringLiteral("--url"), urlOf(port)});
    QVERIFY2(withoutToken.err.startsWith(QLatin1String("switchyard: ")), qPrintable(withoutToken.err));
    QVERIFY2(withoutToken.err.endsWith(QLatin1String(" (give --config with the file that sets listen.token)\n")), qPrintable(withoutToken.err));
    QCOMPARE(withoutToken.err.count(QLatin1Char('\n')), 1);
    QCOMPARE(withoutToken.exitCode, 1);
    QCOMPARE(withoutToken.out, QString());
}

void TestAdminClient::binarySaysNothingListens()
{
    const SwitchyardProcess app;
    const quint16 unused = FakeProvider::unusedPort();
    const QString expected = QStringLiteral("switchyard: nothing is listening at http://127.0.0.1:%1 (start switchyard, or give --url)\n").arg(unused);

    const Run byUrl = app.run({QStringLiteral("requests"), QStringLiteral("--url"), urlOf(unused)});
    QCOMPARE(byUrl.err, expected);
    QCOMPARE(byUrl.exitCode, 1);
    QCOMPARE(byUrl.out, QString());

    FakeProvider fake;
    QVERIFY(writeFile(app.configPath(), configFor(fake, unused)));
    const Run byConfig = app.run({QStringLiteral("replay"), QStringLiteral("req_1"), QStringLiteral("--config"), app.configPath()});
    QCOMPARE(byConfig.err, expected);
    QCOMPARE(byConfig.exitCode, 1);
    QCOMPARE(byConfig.out, QString());
}

void TestAdminClient::binaryNeverCreatesConfig()
{
    const SwitchyardProcess app;
    QVERIFY(app.home().isValid());
    // Without a config file the default address is tried; whatever answers there, no file appears.
    const Run run = app.run({QStringLiteral("requests")});
    QVERIFY2(run.exitCode == 0 || run.exitCode == 1, qPrintable(run.err));
    QVERIFY(!QFileInfo::exists(app.path("config/switchyard/config.json")));
    QVERIFY(!QFileInfo::exists(app.path("data")));
}

QTEST_GUILESS_MAIN(TestAdminClient)
#include "tst_AdminClient.moc"
