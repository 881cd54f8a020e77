// SPDX-License-Identifier: GPL-3.0-or-later
// `switchyard evaluate`: its arguments, the tables it prints from a fixed report, and whole
// runs in-process against the real engine (on its thread, with a SQLite log) and two fake
// upstreams whose answers and usage differ.
#include "core/cli/AdminClient.h"
#include "core/cli/CommandLine.h"
#include "core/cli/EvaluateCommand.h"
#include "core/cli/EvaluationTable.h"
#include "tests/support/EngineThread.h"
#include "tests/support/FakeProvider.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include "tests/support/TwoUpstreams.h"
#include "tests/support/TestFiles.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>
#include <QTimer>
#include <memory>

using namespace Switchyard;
using namespace Switchyard::Test;
using namespace Qt::Literals::StringLiterals;

// Declared before the test data: moc reads "//" inside a raw string literal (a URL) as a comment
// and would not find a class declared after one.
class TestEvaluateCommand final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rejectsArguments_data();
    void rejectsArguments();
    void acceptsArguments();
    void helpNamesTheCommand();
    void candidateFromTarget();
    void candidateFromAliasFile();
    void badAliasFileIsUsageError_data();
    void badAliasFileIsUsageError();

    void estimateLine_data();
    void estimateLine();
    void summaryTable();
    void resultsTable();
    void resultsTableIsCut();

    void evaluatesThroughEngine();
    void missingBaselineFails();
    void cancelledEvaluationFails();
};

namespace {

// A report as GET /api/evaluations/{id} gives it: two requests; the first answered by both,
// the second failed by the candidate.
QJsonObject fixedReport()
{
    return QJsonDocument::fromJson(R"({
        "id": "eval_0123456789abcdef", "state": "done", "baseline": "b", "done": 2, "total": 2,
        "alias": {"targets": [{"provider": "slow", "model": "model-b"}]},
        "estimate": {"usd": 0.06, "requests": 2, "input_tokens": 20, "output_tokens": 10, "guessed_input": 0,
                     "basis": "priced at slow/model-b"},
        "summary": {"requests": 2,
            "original": {"cost_usd": 0.004, "unpriced": 0, "failures": 0, "prompt_tokens": 20, "completion_tokens": 10,
                         "latency_p50_ms": 120, "latency_p95_ms": 310, "ttft_p50_ms": null},
            "candidate": {"cost_usd": 0.05, "unpriced": 1, "failures": 1, "prompt_tokens": 10, "completion_tokens": 20,
                          "latency_p50_ms": 95.4, "latency_p95_ms": 1840, "ttft_p50_ms": null},
            "cost_delta_usd": 0.046, "latency_p50_delta_ms": -24.6, "latency_p95_delta_ms": 1530,
            "ttft_p50_delta_ms": null, "failures": 1, "answers_changed": 1},
        "results": [
            {"request_id": "req_1", "endpoint": "/v1/chat/completions", "stream": false,
             "original": {"request_id": "req_1", "status": 200, "outcome": "ok", "error_class": null, "latency_ms": 120,
                          "cost_usd": 0.002},
             "candidate": {"request_id": "req_9", "status": 200, "outcome": "ok", "error_class": null, "latency_ms": 1840,
                           "cost_usd": 0.05},
             "answer_changed": true, "latency_delta_ms": 1720, "cost_delta_usd": 0.048},
            {"request_id": "req_2", "endpoint": "/v1/chat/completions", "stream": true,
             "original": {"request_id": "req_2", "status": 200, "outcome": "ok", "error_class": null, "latency_ms": 310,
                          "cost_usd": 0.002},
             "candidate": {"request_id": "req_10", "status": 502, "outcome": "error", "error_class": "upstream_5xx",
                           "latency_ms": 95, "cost_usd": null},
             "answer_changed": false, "latency_delta_ms": -215, "cost_delta_usd": null}
        ]})")
        .object();
}

// The cells of one line of a table (columns are two or more spaces apart).
QStringList cells(const QString &line)
{
    static const QRegularExpression gap(u" {2,}"_s);
    return line.trimmed().split(gap);
}

// The line of `text` that starts with `start`; empty when there is none.
QString lineStarting(const QString &text, const QString &start)
{
    for (const QString &line : text.split(u'\n')) {
        if (line.startsWith(start))
            return line;
    }
    return QString();
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

RawHttpClient::Response call(quint16 port, const QByteArray &method, const QByteArray &path, const QByteArray &body = {})
{
    return RawHttpClient::fetch(port, method, path, body, {{"Content-Type", "application/json"}});
}

// Two fake upstreams: "fast" (model-a, the live route of the alias "general") and "slow"
// (model-b), with other answers and usage. Per call, at the prices below, fast costs
// (10 × 100 + 5 × 200) / 1e6 = $0.002 and slow (10 × 1000 + 20 × 2000) / 1e6 = $0.05.
struct Gateway : TwoUpstreams
{
    Gateway()
        : TwoUpstreams({TwoUpstreams::reply(u"A short answer."_s, 5), 100.0, 200.0},
                       {TwoUpstreams::reply(u"A different, longer answer from the slow model."_s, 20), 1000.0, 2000.0})
    {
    }

    // `count` chat calls to the alias "general" through the proxy, committed to the log, then
    // the baseline "b" of them (POST /api/baselines).
    bool recordBaseline(int count)
    {
        for (int i = 0; i < count; ++i) {
            const QJsonObject chat{
                {u"model"_s, u"general"_s},
                {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"question %1"_s.arg(i)}}}}};
            const RawHttpClient::Response answer = call(engine->port(), "POST", "/v1/chat/completions", compact(chat));
            if (answer.status != 200) {
                qWarning() << "chat:" << answer.status << answer.body;
                return false;
            }
        }
        if (!engine->waitForWritten(count))
            return false;
        const RawHttpClient::Response baseline =
            call(engine->port(), "POST", "/api/baselines",
                 compact({{u"name"_s, u"b"_s}, {u"filter"_s, QJsonObject{{u"alias"_s, u"general"_s}, {u"limit"_s, 10}}}}));
        if (baseline.status != 201)
            qWarning() << "baseline:" << baseline.status << baseline.body;
        return baseline.status == 201;
    }

    // `switchyard evaluate ARGUMENTS --url <the engine>`, run in-process.
    int evaluate(const QStringList &arguments, QString &out, QString &err) const
    {
        Result<CommandLineOptions> parsed =
            CommandLine::parse(QStringList{u"switchyard"_s, u"evaluate"_s} + arguments + QStringList{u"--url"_s, engine->url()});
        if (!parsed) {
            err = parsed.error().message;
            return AdminClient::UsageError;
        }
        CommandLineOptions options = parsed.value();
        options.configPath = dir.filePath(u"no-config.json"_s); // not the machine's own config
        QTextStream outStream(&out);
        QTextStream errStream(&err);
        const int code = AdminClient::run(options, outStream, errStream);
        outStream.flush();
        errStream.flush();
        return code;
    }
};

Result<CommandLineOptions> parse(const QStringList &arguments)
{
    return CommandLine::parse(QStringList{u"switchyard"_s} + arguments);
}

} // namespace

void TestEvaluateCommand::rejectsArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    const QString either = u"evaluate: give the candidate as either --target PROVIDER/MODEL or --alias-file FILE"_s;
    const QString badConcurrency = u"--concurrency: must be an integer from 1 to 16, got \"%1\""_s;
    QTest::newRow("missing --baseline") << QStringList{u"evaluate"_s, u"--target"_s, u"slow/model-b"_s}
                                        << u"evaluate: needs --baseline NAME, the baseline to replay"_s;
    QTest::newRow("empty --baseline") << QStringList{u"evaluate"_s, u"--baseline="_s, u"--target"_s, u"slow/model-b"_s}
                                      << u"evaluate: needs --baseline NAME, the baseline to replay"_s;
    QTest::newRow("both --target and --alias-file")
        << QStringList{u"evaluate"_s, u"--baseline"_s, u"b"_s, u"--target"_s, u"slow/model-b"_s, u"--alias-file"_s, u"a.json"_s} << either;
    QTest::newRow("neither --target nor --alias-file") << QStringList{u"evaluate"_s, u"--baseline"_s, u"b"_s} << either;
    QTest::newRow("--target without '/'") << QStringList{u"evaluate"_s, u"--baseline"_s, u"b"_s, u"--target"_s, u"slow"_s}
                                          << u"--target: expected PROVIDER/MODEL, got \"slow\""_s;
    QTest::newRow("--target without a model") << QStringList{u"evaluate"_s, u"--baseline"_s, u"b"_s, u"--target=slow/"_s}
                                              << u"--target: expected PROVIDER/MODEL, got \"slow/\""_s;
    QTest::newRow("--target without a provider") << QStringList{u"evaluate"_s, u"--baseline"_s, u"b"_s, u"--target=/model-b"_s}
                                                 << u"--target: expected PROVIDER/MODEL, got \"/model-b\""_s;
    QTest::newRow("empty --alias-file") << QStringList{u"evaluate"_s, u"--baseline"_s, u"b"_s, u"--alias-file="_s}
                                        << u"--alias-file: needs a file name"_s;
    const QStringList valid{u"evaluate"_s, u"--baseline"_s, u"b"_s, u"--target"_s, u"slow/model-b"_s};
    QTest::newRow("--concurrency zero") << valid + QStringList{u"--concurrency=0"_s} << badConcurrency.arg(u"0"_s);
    QTest::newRow("--concurrency above 16") << valid + QStringList{u"--concurrency"_s, u"17"_s} << badConcurrency.arg(u"17"_s);
    QTest::newRow("--concurrency not a number") << valid + QStringList{u"--concurrency=many"_s} << badConcurrency.arg(u"many"_s);
    QTest::newRow("evaluate with an argument") << valid + QStringList{u"extra"_s}
                                               << u"evaluate: unexpected argument \"extra\" (see --help)"_s;
    QTest::newRow("--target on requests") << QStringList{u"requests"_s, u"--target"_s, u"slow/model-b"_s}
                                          << u"--target: not an option of the requests command (see --help)"_s;
    QTest::newRow("--limit on evaluate") << valid + QStringList{u"--limit=5"_s}
                                         << u"--limit: not an option of the evaluate command (see --help)"_s;
    QTest::newRow("--baseline without a command")
        << QStringList{u"--baseline"_s, u"b"_s} << u"--baseline: only for the evaluate command (see --help)"_s;
}

void TestEvaluateCommand::rejectsArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Result<CommandLineOptions> parsed = parse(arguments);
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().message, message);
}

void TestEvaluateCommand::acceptsArguments()
{
    const Result<CommandLineOptions> target =
        parse({u"evaluate"_s, u"--baseline"_s, u"nightly"_s, u"--target"_s, u"router/openai/gpt-4o-mini"_s, u"--concurrency=3"_s,
               u"--url"_s, u"http://127.0.0.1:4242"_s});
    QVERIFY2(target, qPrintable(target ? QString() : target.error().message));
    QCOMPARE(target.value().action, CommandLineOptions::Action::Evaluate);
    QCOMPARE(target.value().baseline, u"nightly"_s);
    QCOMPARE(target.value().targetProvider, u"router"_s); // split at the first '/'
    QCOMPARE(target.value().targetModel, u"openai/gpt-4o-mini"_s);
    QVERIFY(target.value().aliasPath.isEmpty());
    QCOMPARE(target.value().concurrency.value_or(0), 3);
    QCOMPARE(target.value().url, u"http://127.0.0.1:4242"_s);

    const Result<CommandLineOptions> file = parse({u"evaluate"_s, u"--alias-file"_s, u"cheap.json"_s, u"--baseline=b"_s});
    QVERIFY2(file, qPrintable(file ? QString() : file.error().message));
    QCOMPARE(file.value().aliasPath, u"cheap.json"_s);
    QVERIFY(file.value().targetProvider.isEmpty());
    QVERIFY(!file.value().concurrency);
}

void TestEvaluateCommand::helpNamesTheCommand()
{
    const Result<CommandLineOptions> help = parse({u"--help"_s});
    QVERIFY(help);
    QVERIFY2(help.value().text.contains(
                 u"switchyard evaluate --baseline NAME (--target PROVIDER/MODEL | --alias-file FILE) [--concurrency N]"_s),
             qPrintable(help.value().text));
    QVERIFY(help.value().text.contains(u"\n  evaluate  "_s));
    QVERIFY(help.value().text.contains(u"--concurrency N calls at a time, 1 to 16 (default: 4)"_s));
    // Described under Commands, not in Qt's option table, which they would widen.
    QVERIFY(!help.value().text.contains(u"--alias-file <FILE>"_s));
}

void TestEvaluateCommand::candidateFromTarget()
{
    CommandLineOptions options;
    options.targetProvider = u"slow"_s;
    options.targetModel = u"model-b"_s;
    const Result<QJsonObject> alias = EvaluateCommand::candidate(options);
    QVERIFY(alias);
    QCOMPARE(compact(alias.value()), QByteArray(R"({"name":"candidate","targets":[{"model":"model-b","provider":"slow"}]})"));
}

void TestEvaluateCommand::candidateFromAliasFile()
{
    QTemporaryDir dir;
    CommandLineOptions options;
    options.aliasPath = dir.filePath(u"alias.json"_s);
    const QByteArray alias = R"({"name":"cheap","strategy":"weighted","targets":[{"provider":"a","model":"m","weight":1}]})";
    QVERIFY(writeFile(options.aliasPath, alias));
    const Result<QJsonObject> read = EvaluateCommand::candidate(options);
    QVERIFY(read);
    QCOMPARE(read.value(), QJsonDocument::fromJson(alias).object());
}

void TestEvaluateCommand::badAliasFileIsUsageError_data()
{
    QTest::addColumn<QByteArray>("content"); // empty: no file
    QTest::addColumn<QString>("message");
    QTest::newRow("missing file") << QByteArray() << u"--alias-file: cannot read "_s;
    QTest::newRow("broken JSON") << QByteArray("{\"targets\": [") << u"(expected an alias as in the config"_s;
    QTest::newRow("an array") << QByteArray("[]") << u": not a JSON object (expected an alias as in the config"_s;
}

void TestEvaluateCommand::badAliasFileIsUsageError()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"alias.json"_s);
    if (!content.isEmpty())
        QVERIFY(writeFile(path, content));
    // Nothing listens at the URL: the file is read before any call.
    Result<CommandLineOptions> parsed = parse(
        {u"evaluate"_s, u"--baseline=b"_s, u"--alias-file"_s, path, u"--url"_s, u"http://127.0.0.1:%1"_s.arg(FakeProvider::unusedPort())});
    QVERIFY(parsed);
    CommandLineOptions options = parsed.value();
    options.configPath = dir.filePath(u"no-config.json"_s);
    QString out, err;
    QTextStream outStream(&out), errStream(&err);
    QCOMPARE(AdminClient::run(options, outStream, errStream), int(AdminClient::UsageError));
    errStream.flush();
    QVERIFY2(err.startsWith(u"switchyard: "_s) && err.contains(message), qPrintable(err));
    QVERIFY(out.isEmpty());
}

void TestEvaluateCommand::estimateLine_data()
{
    QTest::addColumn<QByteArray>("estimate");
    QTest::addColumn<QString>("line");
    QTest::newRow("priced") << QByteArray(R"({"usd": 0.06, "requests": 40, "guessed_input": 0, "basis": "priced at slow/model-b"})")
                            << u"Estimate: $0.0600 for 40 requests (priced at slow/model-b)\n"_s;
    QTest::newRow("fractions of a cent") << QByteArray(R"({"usd": 0.0000625, "requests": 1, "basis": "priced at a/m"})")
                                         << u"Estimate: $0.000063 for 1 request (priced at a/m)\n"_s;
    QTest::newRow("unpriced") << QByteArray(R"({"usd": null, "requests": 3, "basis": "x/y has no known price"})")
                              << u"Estimate: unknown for 3 requests (x/y has no known price)\n"_s;
    QTest::newRow("input guessed")
        << QByteArray(R"({"usd": 1.5, "requests": 3, "guessed_input": 2, "basis": "priced at a/m"})")
        << u"Estimate: $1.5000 for 3 requests (priced at a/m); input tokens guessed from the body for 2 of them\n"_s;
}

void TestEvaluateCommand::estimateLine()
{
    QFETCH(QByteArray, estimate);
    QFETCH(QString, line);
    QCOMPARE(EvaluationTable::estimate(QJsonDocument::fromJson(estimate).object()), line);
}

void TestEvaluateCommand::summaryTable()
{
    const QString text = EvaluationTable::summary(fixedReport().value("summary"_L1).toObject());
    const QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 8);
    QCOMPARE(cells(lines.at(0)), (QStringList{u"ORIGINAL"_s, u"CANDIDATE"_s, u"DELTA"_s}));
    QCOMPARE(lines.at(1), u"requests                   2                     2"_s);
    QCOMPARE(cells(lines.at(2)), (QStringList{u"cost USD"_s, u"$0.0040"_s, u"$0.0500 (1 unpriced)"_s, u"+$0.0460"_s}));
    QCOMPARE(cells(lines.at(3)), (QStringList{u"latency p50 ms"_s, u"120"_s, u"95"_s, u"-25"_s}));
    QCOMPARE(cells(lines.at(4)), (QStringList{u"latency p95 ms"_s, u"310"_s, u"1840"_s, u"+1530"_s}));
    QCOMPARE(cells(lines.at(5)), (QStringList{u"first token p50 ms"_s, u"-"_s, u"-"_s, u"-"_s}));
    QCOMPARE(cells(lines.at(6)), (QStringList{u"failures"_s, u"0"_s, u"1"_s, u"+1"_s}));
    QCOMPARE(lines.at(7), u"answers changed: 1 of 2"_s);
    // Numbers are right-aligned: every delta ends in the same column.
    QCOMPARE(lines.at(2).size(), lines.at(0).size());
    QCOMPARE(lines.at(6).size(), lines.at(0).size());
}

void TestEvaluateCommand::resultsTable()
{
    const QString text = EvaluationTable::render(fixedReport());
    QVERIFY2(text.startsWith(u"Evaluation eval_0123456789abcdef of baseline \"b\": done (2 of 2 requests)\n\n"_s), qPrintable(text));
    QVERIFY(text.contains(u"answers changed: 1 of 2\n\n"_s));
    QCOMPARE(cells(lineStarting(text, u"REQUEST"_s)),
             (QStringList{u"REQUEST"_s, u"ORIGINAL"_s, u"LATENCY"_s, u"COST"_s, u"CANDIDATE"_s, u"LATENCY"_s, u"COST"_s, u"CHANGED"_s}));
    QCOMPARE(cells(lineStarting(text, u"req_1 "_s)),
             (QStringList{u"req_1"_s, u"200"_s, u"120 ms"_s, u"$0.0020"_s, u"200"_s, u"1.8 s"_s, u"$0.0500"_s, u"yes"_s}));
    QCOMPARE(cells(lineStarting(text, u"req_2 "_s)),
             (QStringList{u"req_2"_s, u"200"_s, u"310 ms"_s, u"$0.0020"_s, u"502 upstream_5xx"_s, u"95 ms"_s, u"-"_s, u"no"_s}));
    QVERIFY(!text.contains(u"more"_s));
}

void TestEvaluateCommand::resultsTableIsCut()
{
    QJsonObject unfinished{{u"request_id"_s, u"req_3"_s},
                           {u"original"_s, QJsonObject{{u"status"_s, 200}, {u"outcome"_s, u"ok"_s}, {u"latency_ms"_s, 50}}},
                           {u"candidate"_s, QJsonValue()}};
    QJsonArray results = fixedReport().value("results"_L1).toArray();
    results.prepend(unfinished);
    const QString text = EvaluationTable::results(results, 1);
    const QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(cells(lines.at(1)), (QStringList{u"req_3"_s, u"200"_s, u"50 ms"_s, u"unpriced"_s, u"-"_s, u"-"_s, u"-"_s, u"-"_s}));
    QCOMPARE(lines.at(2), u"… and 2 more"_s);
    QCOMPARE(EvaluationTable::results(results).count(u'\n'), 4); // the default: up to 50 rows
}

void TestEvaluateCommand::evaluatesThroughEngine()
{
    Gateway gateway;
    QVERIFY2(gateway.engine->startFailure().isEmpty(), qPrintable(gateway.engine->startFailure()));
    QVERIFY(gateway.recordBaseline(3));

    QString out, err;
    const int code = gateway.evaluate({u"--baseline"_s, u"b"_s, u"--target"_s, u"slow/model-b"_s}, out, err);
    QVERIFY2(code == AdminClient::Success, qPrintable(out + err));
    QCOMPARE(gateway.slow.requestCount(), 3);

    // Estimated from the recorded usage (30 in, 15 out) at slow's price: (30 × 1000 + 15 × 2000) / 1e6.
    QVERIFY2(out.startsWith(u"Estimate: $0.0600 for 3 requests (priced at slow/model-b)\n"_s), qPrintable(out));
    QVERIFY2(err.contains(u"3/3 done\n"_s), qPrintable(err));
    QVERIFY2(!err.contains(u"switchyard:"_s), qPrintable(err));
    QVERIFY2(out.contains(u"of baseline \"b\": done (3 of 3 requests)"_s), qPrintable(out));
    QCOMPARE(cells(lineStarting(out, u"requests "_s)), (QStringList{u"requests"_s, u"3"_s, u"3"_s}));
    // Three calls each side: fast $0.002, slow $0.05.
    QCOMPARE(cells(lineStarting(out, u"cost USD"_s)), (QStringList{u"cost USD"_s, u"$0.0060"_s, u"$0.1500"_s, u"+$0.1440"_s}));
    QCOMPARE(cells(lineStarting(out, u"failures"_s)), (QStringList{u"failures"_s, u"0"_s, u"0"_s, u"0"_s}));
    QVERIFY(out.contains(u"\nanswers changed: 3 of 3\n"_s));
    int rows = 0;
    for (const QString &line : out.split(u'\n')) {
        const QStringList c = cells(line);
        if (c.size() == 8 && c.first() != "REQUEST"_L1) {
            ++rows;
            QCOMPARE(c.at(1), u"200"_s);
            QCOMPARE(c.at(3), u"$0.0020"_s);
            QCOMPARE(c.at(4), u"200"_s);
            QCOMPARE(c.at(6), u"$0.0500"_s);
            QCOMPARE(c.at(7), u"yes"_s);
        }
    }
    QCOMPARE(rows, 3);
}

void TestEvaluateCommand::missingBaselineFails()
{
    Gateway gateway;
    QVERIFY2(gateway.engine->startFailure().isEmpty(), qPrintable(gateway.engine->startFailure()));
    QString out, err;
    const int code = gateway.evaluate({u"--baseline"_s, u"nightly"_s, u"--target"_s, u"slow/model-b"_s}, out, err);
    QCOMPARE(code, int(AdminClient::Failure));
    QCOMPARE(err, u"switchyard: no baseline named \"nightly\"\n"_s);
    QVERIFY(out.isEmpty());
    QCOMPARE(gateway.slow.requestCount(), 0);
}

void TestEvaluateCommand::cancelledEvaluationFails()
{
    Gateway gateway;
    QVERIFY2(gateway.engine->startFailure().isEmpty(), qPrintable(gateway.engine->startFailure()));
    QVERIFY(gateway.recordBaseline(2));
    for (int i = 0; i < 2; ++i) // far longer than the test takes: the cancel comes first
        gateway.slow.enqueue(FakeProvider::Behaviour::slowFirstByte(20000));
    // Once both replays are under way, cancel the evaluation as another client would (checked
    // between the command's own calls: it runs in this thread's event loop, so nothing here waits).
    int cancelStatus = 0;
    QTimer watch;
    connect(&watch, &QTimer::timeout, this, [&] {
        if (gateway.slow.requestCount() < 2 || cancelStatus != 0)
            return;
        const quint16 port = gateway.engine->port();
        const QJsonArray listed = call(port, "GET", "/api/evaluations").json().value("evaluations"_L1).toArray();
        const QByteArray id = listed.isEmpty() ? QByteArray() : listed.first().toObject().value("id"_L1).toString().toUtf8();
        cancelStatus = call(port, "DELETE", "/api/evaluations/" + id).status;
    });
    watch.start(20);
    QString out, err;
    const int code = gateway.evaluate({u"--baseline"_s, u"b"_s, u"--target"_s, u"slow/model-b"_s}, out, err);
    QCOMPARE(cancelStatus, 200);
    QCOMPARE(code, int(AdminClient::Failure));
    QVERIFY2(out.contains(u"\": cancelled (0 of 2 requests)\n"_s), qPrintable(out));
    QVERIFY(out.contains(u"\nanswers changed: 0 of 0\n"_s));
    QVERIFY2(err.contains(u" was cancelled; the figures cover the requests that finished\n"_s), qPrintable(err));
}

QTEST_GUILESS_MAIN(TestEvaluateCommand)
#include "tst_EvaluateCommand.moc"
