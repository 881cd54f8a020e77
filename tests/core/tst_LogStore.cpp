// SPDX-License-Identifier: GPL-3.0-or-later
// The request log on real SQLite files: schema and migration, the batching writer, the read
// queries, body cap, retention, roll-up statistics, the reader thread, and a kill -9 test in
// which this same binary, started as a child, is the writer that gets killed.
#include "core/log/LatencyHistogram.h"
#include "core/log/LogDatabase.h"
#include "core/log/LogQueries.h"
#include "core/log/LogReader.h"
#include "core/log/LogWriter.h"
#include "core/secrets/SecretMasker.h"
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>

using namespace Switchyard;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(Switchyard::RequestFilter)
Q_DECLARE_METATYPE(Switchyard::StatsQuery)

class TestLogStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void schemaCreated_data();
    void schemaCreated();
    void schemaNewerRefused_data();
    void schemaNewerRefused();
    void schemaReopenKeepsRows();

    void batching_data();
    void batching();
    void requestsNewestFirst();
    void roundTrip_data();
    void roundTrip();
    void filters_data();
    void filters();
    void bodyCap_data();
    void bodyCap();
    void secretsNeverStored();

    void retentionByAge_data();
    void retentionByAge();
    void retentionBySize();

    void stats_data();
    void stats();
    void statsPercentiles_data();
    void statsPercentiles();
    void statsUnknownGroup_data();
    void statsUnknownGroup();

    void histogramBucketFor_data();
    void histogramBucketFor();
    void histogramEveryBound();
    void histogramQuantile_data();
    void histogramQuantile();

    void readerDeliversOnContextThread_data();
    void readerDeliversOnContextThread();
    void readerDropsResultForDeletedContext_data();
    void readerDropsResultForDeletedContext();
    void writerOnItsOwnThread();

    void crashDurability();
};

namespace {

// The crash test's child reads these; when the first is set, main() runs the writer loop.
constexpr char ChildDbEnv[] = "SWITCHYARD_TST_LOGSTORE_CHILD_DB";
constexpr char ChildRunEnv[] = "SWITCHYARD_TST_LOGSTORE_CHILD_RUN";
constexpr quint32 CrashSeed = 20240501;
constexpr int CrashKills = 10;
constexpr int CrashMaxChunk = 60;

const QDateTime &base()
{
    static const QDateTime t(QDate(2024, 3, 10), QTime(10, 0), Qt::UTC);
    return t;
}

// Fixed-date rows must not meet age retention (the writer also applies it 5 s after open).
LogConfig keepEverything()
{
    LogConfig config;
    config.retentionDays = 100 * 365;
    config.bodyRetentionDays = 100 * 365;
    return config;
}

QString nextConnectionName()
{
    static int n = 0;
    return u"tst-logstore-%1"_s.arg(++n);
}

QString dbPath(const QTemporaryDir &dir)
{
    return dir.filePath(u"requests.db"_s);
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A finished call with one attempt at its target; tests change the fields they need.
CallRecord call(const QString &id, const QDateTime &startedAt, const QString &alias = u"general"_s,
                const QString &provider = u"openai"_s, const QString &model = u"gpt-4o-mini"_s, bool ok = true)
{
    CallRecord r;
    r.id = id;
    r.startedAt = startedAt;
    r.durationMs = 250;
    r.endpoint = u"/v1/chat/completions"_s;
    r.requestedModel = alias.isEmpty() ? provider + u'/' + model : alias;
    r.alias = alias;
    r.provider = provider;
    r.model = model;
    r.ok = ok;
    r.status = ok ? 200 : 502;
    r.errorClass = ok ? ErrorClass::None : ErrorClass::Upstream5xx;
    r.attempts = {Attempt{provider, model, r.status, r.errorClass, {}, 0, 250, "{}"_ba}};
    return r;
}

QStringList idsOf(const QList<CallRecord> &records)
{
    QStringList ids;
    for (const CallRecord &r : records)
        ids << r.id;
    return ids;
}

// A writer driven on the test thread.
std::unique_ptr<LogWriter> openWriter(const QString &path, const LogConfig &config = keepEverything())
{
    auto writer = std::make_unique<LogWriter>(path, config);
    if (!writer->open()) {
        qWarning("%s", qPrintable(writer->errorString()));
        return {};
    }
    return writer;
}

bool writeAll(const QString &path, const QList<CallRecord> &records, const LogConfig &config = keepEverything())
{
    const auto writer = openWriter(path, config);
    if (!writer)
        return false;
    QSignalSpy failed(writer.get(), &LogWriter::failed);
    writer->append(records);
    writer->flush();
    return failed.isEmpty();
}

RequestFilter where(const std::function<void(RequestFilter &)> &set)
{
    RequestFilter filter;
    set(filter);
    return filter;
}

qint64 countOf(LogQueries &queries, const RequestFilter &filter = {})
{
    const Result<qint64> n = queries.count(filter);
    if (!n)
        qWarning("count: %s", qPrintable(n.error().message));
    return n ? n.value() : -1;
}

// A plain SQLite connection, to look at the file from outside the log classes.
class RawDb final
{
public:
    explicit RawDb(const QString &path)
        : m_name(nextConnectionName())
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
        db.setDatabaseName(path);
        m_open = db.open();
    }
    ~RawDb()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    RawDb(const RawDb &) = delete;
    RawDb &operator=(const RawDb &) = delete;

    bool isOpen() const { return m_open; }
    bool exec(const QString &sql) const
    {
        QSqlQuery q(QSqlDatabase::database(m_name));
        if (q.exec(sql))
            return true;
        qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
        return false;
    }
    QVariantList column(const QString &sql) const
    {
        QSqlQuery q(QSqlDatabase::database(m_name));
        QVariantList values;
        if (!q.exec(sql))
            qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
        while (q.next())
            values << q.value(0);
        return values;
    }
    QVariant value(const QString &sql) const
    {
        const QVariantList values = column(sql);
        return values.isEmpty() ? QVariant() : values.first();
    }
    qint64 number(const QString &sql) const { return value(sql).toLongLong(); }
    QStringList names(const QString &sql) const
    {
        QStringList out;
        for (const QVariant &v : column(sql))
            out << v.toString();
        return out;
    }
    qint64 usedBytes() const
    {
        return (number(u"PRAGMA page_count"_s) - number(u"PRAGMA freelist_count"_s)) * number(u"PRAGMA page_size"_s);
    }

private:
    QString m_name;
    bool m_open = false;
};

QString show(const std::optional<qint64> &v)
{
    return v ? QString::number(*v) : u"null"_s;
}

QString show(const std::optional<double> &v)
{
    return v ? QString::number(*v, 'g', 17) : u"null"_s;
}

QByteArrayList headerLines(const HttpHeaders &headers)
{
    QByteArrayList lines;
    for (const auto &[name, value] : headers)
        lines << name + ": " + value;
    return lines;
}

// Compares every stored field; without bodies (as requests() returns them) those must be empty.
void compareRecords(const CallRecord &actual, const CallRecord &expected, bool withBodies)
{
    QCOMPARE(actual.id, expected.id);
    QCOMPARE(actual.startedAt.timeSpec(), Qt::UTC);
    QCOMPARE(actual.startedAt.toMSecsSinceEpoch(), expected.startedAt.toMSecsSinceEpoch());
    QCOMPARE(actual.durationMs, expected.durationMs);
    QCOMPARE(show(actual.ttftMs), show(expected.ttftMs));
    QCOMPARE(actual.endpoint, expected.endpoint);
    QCOMPARE(actual.requestedModel, expected.requestedModel);
    QCOMPARE(actual.alias, expected.alias);
    QCOMPARE(actual.provider, expected.provider);
    QCOMPARE(actual.model, expected.model);
    QCOMPARE(actual.status, expected.status);
    QCOMPARE(actual.ok, expected.ok);
    QCOMPARE(errorClassName(actual.errorClass), errorClassName(expected.errorClass));
    QCOMPARE(actual.errorMessage, expected.errorMessage);
    QCOMPARE(show(actual.usage.promptTokens), show(expected.usage.promptTokens));
    QCOMPARE(show(actual.usage.completionTokens), show(expected.usage.completionTokens));
    QCOMPARE(show(actual.usage.cachedPromptTokens), show(expected.usage.cachedPromptTokens));
    QCOMPARE(show(actual.costUsd), show(expected.costUsd));
    QCOMPARE(actual.stream, expected.stream);
    QCOMPARE(actual.client, expected.client);
    QCOMPARE(actual.clientProcess, expected.clientProcess);
    QCOMPARE(actual.clientPid, expected.clientPid);
    QCOMPARE(actual.project, expected.project);
    QCOMPARE(actual.replayOf, expected.replayOf);
    QCOMPARE(actual.attempts.size(), expected.attempts.size());
    for (qsizetype i = 0; i < expected.attempts.size(); ++i) {
        const Attempt &a = actual.attempts.at(i);
        const Attempt &e = expected.attempts.at(i);
        QCOMPARE(a.provider, e.provider);
        QCOMPARE(a.model, e.model);
        QCOMPARE(a.status, e.status);
        QCOMPARE(errorClassName(a.errorClass), errorClassName(e.errorClass));
        QCOMPARE(a.message, e.message);
        QCOMPARE(a.startedAfterMs, e.startedAfterMs);
        QCOMPARE(a.durationMs, e.durationMs);
        QCOMPARE(a.requestBody, withBodies ? e.requestBody : QByteArray());
    }
    QCOMPARE(actual.requestBody, withBodies ? expected.requestBody : QByteArray());
    QCOMPARE(actual.responseBody, withBodies ? expected.responseBody : QByteArray());
    QCOMPARE(actual.requestBodyTruncated, withBodies && expected.requestBodyTruncated);
    QCOMPARE(actual.responseBodyTruncated, withBodies && expected.responseBodyTruncated);
    QCOMPARE(headerLines(actual.requestHeaders), withBodies ? headerLines(expected.requestHeaders) : QByteArrayList());
    QCOMPARE(headerLines(actual.responseHeaders), withBodies ? headerLines(expected.responseHeaders) : QByteArrayList());
}

QString statsLine(const QString &bucketIso, const QString &group, qint64 requests, qint64 errors, qint64 prompt,
                  qint64 completion, qint64 cached, double cost, qint64 unpriced)
{
    return u"%1 [%2] requests=%3 errors=%4 prompt=%5 completion=%6 cached=%7 cost=%8 unpriced=%9"_s
        .arg(bucketIso, group)
        .arg(requests)
        .arg(errors)
        .arg(prompt)
        .arg(completion)
        .arg(cached)
        .arg(QString::number(cost, 'f', 4))
        .arg(unpriced);
}

QString describe(const StatsRow &r)
{
    return statsLine(QDateTime::fromMSecsSinceEpoch(r.bucketStartMs, Qt::UTC).toString(Qt::ISODate), r.group, r.requests,
                     r.errors, r.promptTokens, r.completionTokens, r.cachedTokens, r.costUsd, r.unpriced);
}

// The range an estimate may take for a value in bucket b (the open last bucket reaches 1.5x).
std::pair<double, double> bucketRange(int b)
{
    const auto &bounds = LatencyHistogram::upperBoundsMs();
    const double lower = b == 0 ? 0.0 : double(bounds[b - 1]);
    const double upper = b < LatencyHistogram::BucketCount - 1 ? double(bounds[b]) : lower * 1.5;
    return {lower, upper};
}

QByteArray patterned(qsizetype size, char seed)
{
    QByteArray out(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        out[i] = char(seed + i % 23);
    return out;
}

// ---- the crash test's child ------------------------------------------------------------

void emitLine(const char *kind, const QString &id)
{
    std::printf("%s %s\n", kind, qPrintable(id));
    std::fflush(stdout);
}

QString crashId(int run, int seq)
{
    return u"r%1-%2"_s.arg(run, 2, 10, QLatin1Char('0')).arg(seq, 8, 10, QLatin1Char('0'));
}

CallRecord crashRecord(int run, int seq, QRandomGenerator &rng)
{
    static const QByteArray filler = patterned(16 * 1024, 'a');
    CallRecord r = call(crashId(run, seq), QDateTime::currentDateTimeUtc());
    r.durationMs = rng.bounded(5, 5000);
    r.usage = Usage{rng.bounded(1, 4000), rng.bounded(1, 800), std::nullopt};
    r.costUsd = double(rng.bounded(1, 1000)) / 1e5;
    r.client = u"crash-test/1.0"_s;
    // Mostly small bodies, now and then one that spills into overflow pages.
    const qsizetype size = seq % 25 == 0 ? filler.size() : rng.bounded(0, 1500);
    r.requestBody = r.id.toLatin1() + ' ' + filler.left(size);
    r.responseBody = filler.left(size / 2);
    r.requestHeaders.add("content-type", "application/json");
    r.attempts.first().requestBody = r.requestBody.left(200);
    return r;
}

// Writes call records as fast as the writer takes them until it is killed. Prints
// "A <id>" before each append (the chunk's last id) and "C <id>" after each commit.
int runCrashChild()
{
    const QString path = qEnvironmentVariable(ChildDbEnv);
    const int run = qEnvironmentVariableIntValue(ChildRunEnv);
    LogWriter writer(path, LogConfig());
    if (!writer.open()) {
        std::fprintf(stderr, "child: %s\n", qPrintable(writer.errorString()));
        return 3;
    }
    QObject::connect(&writer, &LogWriter::written, &writer, [](const QStringList &ids) { emitLine("C", ids.constLast()); });
    QObject::connect(&writer, &LogWriter::failed, &writer, [](const QString &message) {
        std::fprintf(stderr, "child: %s\n", qPrintable(message));
        QCoreApplication::exit(4);
    });
    QRandomGenerator rng(CrashSeed + quint32(run));
    int next = 0;
    QTimer pump;
    QObject::connect(&pump, &QTimer::timeout, &writer, [&] {
        const int chunk = int(rng.bounded(1, CrashMaxChunk + 1));
        QList<CallRecord> batch;
        for (int i = 0; i < chunk; ++i)
            batch.append(crashRecord(run, next++, rng));
        emitLine("A", batch.constLast().id);
        writer.append(batch);
    });
    pump.start(0);
    emitLine("READY", QString());
    return QCoreApplication::exec();
}

} // namespace

// ---- schema ---------------------------------------------------------------------------------

void TestLogStore::schemaCreated_data()
{
    QTest::addColumn<QString>("setup");
    QTest::newRow("missing file") << u"none"_s;
    QTest::newRow("missing directory") << u"dir"_s;
    QTest::newRow("zero-byte file") << u"empty"_s;
    QTest::newRow("database at user_version 0 without tables") << u"v0"_s;
}

void TestLogStore::schemaCreated()
{
    QFETCH(QString, setup);
    QTemporaryDir dir;
    QString path = dbPath(dir);
    if (setup == u"dir"_s)
        path = dir.filePath(u"a/b/requests.db"_s);
    if (setup == u"empty"_s) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
    }
    if (setup == u"v0"_s) {
        RawDb raw(path);
        QVERIFY(raw.exec(u"CREATE TABLE scratch (x)"_s) && raw.exec(u"DROP TABLE scratch"_s));
        QCOMPARE(raw.number(u"PRAGMA user_version"_s), 0);
    }
    {
        const auto writer = openWriter(path);
        QVERIFY(writer);
        RawDb raw(path);
        QCOMPARE(raw.number(u"PRAGMA user_version"_s), LogDatabase::SchemaVersion);
        QCOMPARE(raw.value(u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
        QCOMPARE(raw.names(u"SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"_s),
                 (QStringList{u"attempts"_s, u"baseline_requests"_s, u"baselines"_s, u"bodies"_s, u"evaluation_rollup_hour"_s,
                              u"evaluations"_s, u"requests"_s, u"rollup_hour"_s, u"segments"_s}));
        QCOMPARE(raw.names(u"SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name"_s),
                 (QStringList{u"requests_alias_started"_s, u"requests_ok_started"_s, u"requests_provider_started"_s,
                              u"requests_session"_s, u"requests_started"_s, u"segments_hash"_s, u"segments_last_used"_s}));
        QCOMPARE(raw.number(u"PRAGMA auto_vacuum"_s), 2); // incremental
        QCOMPARE(raw.number(u"SELECT COUNT(*) FROM pragma_table_info('rollup_hour') WHERE name GLOB 'h[0-9]*'"_s),
                 LatencyHistogram::BucketCount);
    }
    // The new schema takes rows.
    QVERIFY(writeAll(path, {call(u"first"_s, base())}));
    LogQueries queries(path, nextConnectionName());
    QCOMPARE(countOf(queries), 1);
}

void TestLogStore::schemaNewerRefused_data()
{
    QTest::addColumn<bool>("wal");
    QTest::newRow("newer file in WAL mode") << true;
    QTest::newRow("newer file with a rollback journal") << false;
}

void TestLogStore::schemaNewerRefused()
{
    QFETCH(bool, wal);
    QTemporaryDir dir;
    const QString path = dbPath(dir);
    const int newer = LogDatabase::SchemaVersion + 1;
    {
        RawDb raw(path);
        QVERIFY(!wal || raw.exec(u"PRAGMA journal_mode=WAL"_s));
        QVERIFY(raw.exec(u"CREATE TABLE future (note TEXT)"_s));
        QVERIFY(raw.exec(u"INSERT INTO future VALUES ('from a newer Switchyard')"_s));
        QVERIFY(raw.exec(u"PRAGMA user_version=%1"_s.arg(newer)));
    }
    const QByteArray before = readFile(path);
    QVERIFY(!before.isEmpty());
    {
        LogWriter writer(path, keepEverything());
        QVERIFY(!writer.open());
        const QString error = writer.errorString();
        QVERIFY2(error.startsWith(path), qPrintable(error));
        QVERIFY2(error.contains(u"newer Switchyard"_s), qPrintable(error));
        QVERIFY2(error.contains(u"schema %1"_s.arg(newer)), qPrintable(error));
    }
    QVERIFY2(readFile(path) == before, "the refused file was modified");
    QVERIFY2(!QFile::exists(path + u"-wal"_s), "the refused file is still held open");
    RawDb raw(path);
    QCOMPARE(raw.number(u"PRAGMA user_version"_s), newer);
    QCOMPARE(raw.names(u"SELECT name FROM sqlite_master"_s), QStringList{u"future"_s});
    QCOMPARE(raw.number(u"SELECT COUNT(*) FROM future"_s), 1);
}

void TestLogStore::schemaReopenKeepsRows()
{
    QTemporaryDir dir;
    const QString path = dbPath(dir);
    QVERIFY(writeAll(path, {call(u"a"_s, base()), call(u"b"_s, base().addSecs(1)), call(u"c"_s, base().addSecs(2))}));
    QVERIFY(writeAll(path, {call(u"d"_s, base().addSecs(3))}));
    RawDb raw(path);
    QCOMPARE(raw.number(u"PRAGMA user_version"_s), LogDatabase::SchemaVersion);
    LogQueries queries(path, nextConnectionName());
    const Result<QList<CallRecord>> all = queries.requests({});
    QVERIFY(all);
    QCOMPARE(idsOf(all.value()), (QStringList{u"d"_s, u"c"_s, u"b"_s, u"a"_s}));
    QCOMPARE(raw.number(u"SELECT SUM(requests) FROM rollup_hour"_s), 4);
}

// ---- the writer and the queries -------------------------------------------------------

void TestLogStore::batching_data()
{
    QTest::addColumn<QList<int>>("chunks");
    QTest::addColumn<int>("immediateCommits");
    QTest::addColumn<QList<int>>("commitSizes");
    const int max = LogWriter::MaxBatchRows;
    QTest::newRow("one record waits for the timer") << QList<int>{1} << 0 << QList<int>{1};
    QTest::newRow("three calls, one commit") << QList<int>{3, 2, 4} << 0 << QList<int>{9};
    QTest::newRow("exactly MaxBatchRows commits at once") << QList<int>{max} << 1 << QList<int>{max};
    QTest::newRow("the call that reaches MaxBatchRows commits") << QList<int>{max - 1, 1} << 1 << QList<int>{max};
    QTest::newRow("over MaxBatchRows in one call") << QList<int>{max + 7} << 1 << QList<int>{max + 7};
    QTest::newRow("MaxBatchRows, then a few by timer") << QList<int>{max, 3} << 1 << QList<int>{max, 3};
}

void TestLogStore::batching()
{
    QFETCH(QList<int>, chunks);
    QFETCH(int, immediateCommits);
    QFETCH(QList<int>, commitSizes);
    QTemporaryDir dir;
    const QString path = dbPath(dir);
    const auto writer = openWriter(path);
    QVERIFY(writer);
    QSignalSpy written(writer.get(), &LogWriter::written);
    LogQueries queries(path, nextConnectionName());
    QStringList sent;
    for (int chunk : std::as_const(chunks)) {
        QList<CallRecord> batch;
        for (int i = 0; i < chunk; ++i) {
            batch << call(u"b%1"_s.arg(int(sent.size()), 5, 10, QLatin1Char('0')), base().addMSecs(sent.size()));
            sent << batch.constLast().id;
        }
        writer->append(batch);
    }
    // No event loop has run yet: only MaxBatchRows commits, and nothing else is visible.
    QCOMPARE(written.size(), immediateCommits);
    qint64 committed = 0;
    for (int i = 0; i < immediateCommits; ++i)
        committed += commitSizes.at(i);
    QCOMPARE(countOf(queries), committed);
    if (written.size() < commitSizes.size())
        QVERIFY(written.wait(1000)); // the rest within the commit interval, well under a second
    QVERIFY(!written.wait(LogWriter::CommitIntervalMs * 3));
    QList<int> sizes;
    QStringList ids;
    for (const QList<QVariant> &args : std::as_const(written)) {
        sizes << int(args.at(0).toStringList().size());
        ids += args.at(0).toStringList();
    }
    QCOMPARE(sizes, commitSizes);
    QCOMPARE(ids, sent);
    QCOMPARE(countOf(queries), sent.size());
}

void TestLogStore::requestsNewestFirst()
{
    QTemporaryDir dir;
    const QString path = dbPath(dir);
    auto withAttempts = [](CallRecord r) {
        r.attempts.clear();
        for (int i = 0; i < 3; ++i)
            r.attempts << Attempt{u"p%1"_s.arg(i), u"m%1"_s.arg(i), 500 + i, ErrorClass::Upstream5xx, u"try %1"_s.arg(i),
                                  i * 100, 50, "body"_ba};
        return r;
    };
    const auto writer = openWriter(path);
    QVERIFY(writer);
    writer->append({withAttempts(call(u"b"_s, base().addSecs(2))), withAttempts(call(u"a"_s, base().addSecs(1)))});
    writer->append({withAttempts(call(u"d"_s, base().addSecs(4)))});
    writer->append({withAttempts(call(u"tie-a"_s, base().addSecs(3))), withAttempts(call(u"tie-b"_s, base().addSecs(3)))});
    writer->flush();
    LogQueries queries(path, nextConnectionName());
    const Result<QList<CallRecord>> all = queries.requests({});
    QVERIFY(all);
    QCOMPARE(idsOf(all.value()), (QStringList{u"d"_s, u"tie-b"_s, u"tie-a"_s, u"b"_s, u"a"_s}));
    for (const CallRecord &r : all.value()) {
        QCOMPARE(r.attempts.size(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(r.attempts.at(i).provider, u"p%1"_s.arg(i));
            QCOMPARE(r.attempts.at(i).startedAfterMs, i * 100);
            QVERIFY(r.attempts.at(i).requestBody.isEmpty()); // lists carry no bodies
        }
        QVERIFY(r.requestBody.isEmpty() && r.requestHeaders.isEmpty());
    }
}

void TestLogStore::roundTrip_data()
{
    QTest::addColumn<CallRecord>("record");

    CallRecord full = call(u"rt-full"_s, QDateTime(QDate(2024, 5, 6), QTime(7, 8, 9, 123), Qt::UTC), u"general"_s,
                           u"anthropic"_s, u"claude-3-5-haiku-latest"_s);
    full.durationMs = 1834;
    full.ttftMs = 412;
    full.endpoint = u"/v1/messages"_s;
    full.requestedModel = u"general"_s;
    full.usage = Usage{1200, 345, 800};
    full.costUsd = 0.001234;
    full.stream = true;
    full.client = u"OpenAI/Python 1.40.0"_s;
    full.clientProcess = u"python3"_s;
    full.clientPid = 48213;
    full.project = u"/home/dev/alpha"_s;
    full.connectionId = 77; // not stored
    full.attempts = {
        Attempt{u"openai"_s, u"gpt-4o-mini"_s, 429, ErrorClass::RateLimited, u"rate limited; retry after 1 s"_s, 0, 120,
                "{\"model\":\"gpt-4o-mini\",\"stream\":true}"_ba},
        Attempt{u"anthropic"_s, u"claude-3-5-haiku-latest"_s, 200, ErrorClass::None, {}, 1120, 700,
                "{\"model\":\"claude-3-5-haiku-latest\",\"stream\":true}"_ba},
    };
    full.requestBody = "{\"model\":\"general\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"_ba;
    full.responseBody = "event: message_start\ndata: {}\n\n"_ba;
    full.requestHeaders.add("Content-Type", "application/json");
    full.requestHeaders.add("authorization", "Bearer ***");
    full.requestHeaders.add("x-trace", "second");
    full.requestHeaders.add("x-trace", "first");
    full.requestHeaders.add("User-Agent", "OpenAI/Python 1.40.0");
    full.responseHeaders.add("content-type", "text/event-stream");
    full.responseHeaders.add("x-request-id", "req_123");
    QTest::newRow("every field set") << full;

    CallRecord nulls;
    nulls.id = u"rt-nulls"_s;
    nulls.startedAt = QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC);
    nulls.endpoint = u"/v1/embeddings"_s;
    nulls.provider = u"local"_s;
    nulls.model = u"nomic-embed"_s;
    nulls.status = 200;
    nulls.ok = true;
    QTest::newRow("optional fields null") << nulls;

    CallRecord zeros = call(u"rt-zeros"_s, base());
    zeros.ttftMs = 0;
    zeros.usage = Usage{0, 0, 0};
    zeros.costUsd = 0.0;
    QTest::newRow("zero values are not null") << zeros;

    CallRecord failed = call(u"rt-failed"_s, base(), u"general"_s, u"openai"_s, u"gpt-4o"_s, false);
    failed.status = 502;
    failed.errorClass = ErrorClass::ConnectFailed;
    failed.errorMessage = u"every target failed: connection refused"_s;
    failed.attempts = {
        Attempt{u"openai"_s, u"gpt-4o"_s, 0, ErrorClass::ConnectFailed, u"connection refused"_s, 0, 3, "{\"a\":1}"_ba},
        Attempt{u"openai"_s, u"gpt-4o"_s, 503, ErrorClass::Upstream5xx, u"overloaded"_s, 250, 40, "{\"a\":2}"_ba},
        Attempt{u"openrouter"_s, u"openai/gpt-4o"_s, 0, ErrorClass::TimeoutFirstByte, u"no first byte in 60 s"_s, 600,
                60000, "{\"a\":3}"_ba},
    };
    QTest::newRow("failed after three attempts") << failed;

    CallRecord replay = call(u"rt-replay"_s, base().addSecs(60));
    replay.replayOf = u"rt-original"_s;
    QTest::newRow("replay of another call") << replay;

    CallRecord offset = call(u"rt-offset"_s, QDateTime(QDate(2024, 6, 1), QTime(12, 0, 0, 5), Qt::OffsetFromUTC, 7200));
    QTest::newRow("time with an offset comes back as UTC") << offset;

    CallRecord binary = call(u"rt-binary"_s, base());
    binary.requestBody = QByteArray("\x00\x01\xff{\"x\":\"\xc3\xa9\"}\x00", 14);
    binary.responseBody = QByteArray("\xfe\xfd\x00tail", 7);
    binary.project = u"/home/d\u00e9v/\u30d7\u30ed\u30b8\u30a7\u30af\u30c8"_s;
    binary.errorMessage = u"\u00dcberlastet \u2713"_s;
    binary.requestHeaders.add("x-note", "caf\xc3\xa9");
    QTest::newRow("binary bodies and non-ASCII text") << binary;

    CallRecord cut = call(u"rt-cut"_s, base());
    cut.requestBody = "{\"cut by the engine"_ba;
    cut.responseBody = "data: partial"_ba;
    cut.requestBodyTruncated = true;
    cut.responseBodyTruncated = true;
    QTest::newRow("truncated flags from the engine kept") << cut;
}

void TestLogStore::roundTrip()
{
    QFETCH(CallRecord, record);
    QTemporaryDir dir;
    const QString path = dbPath(dir);
    CallRecord neighbour = call(u"zz-neighbour"_s, record.startedAt.addSecs(-5));
    neighbour.requestBody = "other"_ba;
    QVERIFY(writeAll(path, {neighbour, record}));
    LogQueries queries(path, nextConnectionName());
    const Result<CallRecord> one = queries.request(record.id);
    QVERIFY(one);
    compareRecords(one.value(), record, true);
    if (QTest::currentTestFailed())
        return;
    const Result<QList<CallRecord>> listed = queries.requests({});
    QVERIFY(listed);
    QCOMPARE(idsOf(listed.value()), (QStringList{record.id, neighbour.id}));
    compareRecords(listed.value().first(), record, false);
    if (QTest::currentTestFailed())
        return;
    const Result<CallRecord> missing = queries.request(u"no-such-id"_s);
    QVERIFY(missing);
    QVERIFY(missing.value().id.isEmpty());
}

void TestLogStore::filters_data()
{
    QTest::addColumn<RequestFilter>("filter");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<qint64>("total");
    const qint64 t = base().toMSecsSinceEpoch();
    const qint64 minute = 60 * 1000;
    const QStringList all{u"f10"_s, u"f09"_s, u"f08"_s, u"f07"_s, u"f06"_s, u"f05"_s, u"f04"_s, u"f03"_s, u"f02"_s, u"f01"_s};
    QTest::newRow("no filter") << RequestFilter{} << all << qint64(10);
    QTest::newRow("ok only") << where([=](RequestFilter &f) { f.ok = true; })
                             << QStringList{u"f10"_s, u"f09"_s, u"f07"_s, u"f06"_s, u"f05"_s, u"f02"_s, u"f01"_s} << qint64(7);
    QTest::newRow("errors only") << where([=](RequestFilter &f) { f.ok = false; }) << QStringList{u"f08"_s, u"f04"_s, u"f03"_s} << qint64(3);
    QTest::newRow("alias") << where([=](RequestFilter &f) { f.alias = u"general"_s; })
                           << QStringList{u"f10"_s, u"f08"_s, u"f07"_s, u"f04"_s, u"f02"_s, u"f01"_s} << qint64(6);
    QTest::newRow("alias and ok") << where([=](RequestFilter &f) { f.ok = true; f.alias = u"cheap"_s; }) << QStringList{u"f09"_s, u"f06"_s}
                                  << qint64(2);
    QTest::newRow("provider") << where([=](RequestFilter &f) { f.provider = u"anthropic"_s; }) << QStringList{u"f08"_s, u"f02"_s} << qint64(2);
    QTest::newRow("model") << where([=](RequestFilter &f) { f.model = u"gpt-4o-mini"_s; })
                           << QStringList{u"f10"_s, u"f07"_s, u"f04"_s, u"f01"_s} << qint64(4);
    QTest::newRow("model is matched whole, not as a prefix") << where([=](RequestFilter &f) { f.model = u"gpt-4o"_s; })
                                                             << QStringList{u"f05"_s} << qint64(1);
    QTest::newRow("since is inclusive") << where([=](RequestFilter &f) { f.sinceMs = t + 8 * minute; })
                                        << QStringList{u"f10"_s, u"f09"_s, u"f08"_s} << qint64(3);
    QTest::newRow("until is exclusive") << where([=](RequestFilter &f) { f.untilMs = t + 3 * minute; }) << QStringList{u"f02"_s, u"f01"_s}
                                        << qint64(2);
    QTest::newRow("since and until") << where([=](RequestFilter &f) { f.sinceMs = t + 4 * minute; f.untilMs = t + 7 * minute; })
                                     << QStringList{u"f06"_s, u"f05"_s, u"f04"_s} << qint64(3);
    QTest::newRow("text in a request body") << where([=](RequestFilter &f) { f.text = u"needle-in-request"_s; }) << QStringList{u"f03"_s}
                                            << qint64(1);
    QTest::newRow("text in a response body") << where([=](RequestFilter &f) { f.text = u"needle-in-response"_s; }) << QStringList{u"f02"_s}
                                             << qint64(1);
    QTest::newRow("text in either body") << where([=](RequestFilter &f) { f.text = u"needle"_s; }) << QStringList{u"f03"_s, u"f02"_s}
                                         << qint64(2);
    QTest::newRow("text only in a header is no match") << where([=](RequestFilter &f) { f.text = u"header-only-word"_s; }) << QStringList{}
                                                       << qint64(0);
    QTest::newRow("limit") << where([=](RequestFilter &f) { f.limit = 3; }) << QStringList{u"f10"_s, u"f09"_s, u"f08"_s} << qint64(10);
    QTest::newRow("limit and offset") << where([=](RequestFilter &f) { f.limit = 3; f.offset = 3; })
                                      << QStringList{u"f07"_s, u"f06"_s, u"f05"_s} << qint64(10);
    QTest::newRow("offset past the end") << where([=](RequestFilter &f) { f.offset = 20; }) << QStringList{} << qint64(10);
    QTest::newRow("second page of general errors") << where([=](RequestFilter &f) { f.limit = 1; f.offset = 1; f.ok = false; f.alias = u"general"_s; })
                                                   << QStringList{u"f04"_s} << qint64(2);
}

void TestLogStore::filters()
{
    QFETCH(RequestFilter, filter);
    QFETCH(QStringList, expected);
    QFETCH(qint64, total);
    QTemporaryDir dir;
    const QString path = dbPath(dir);
    const QString general = u"general"_s, cheap = u"cheap"_s, openai = u"openai"_s, anthropic = u"anthropic"_s,
                  local = u"local"_s, mini = u"gpt-4o-mini"_s, claude = u"claude"_s, llama = u"llama3"_s;
    auto at = [](int minutes) { return base().addSecs(60 * minutes); };
    QList<CallRecord> records{
        call(u"f01"_s, at(1), general, openai, mini),           call(u"f02"_s, at(2), general, anthropic, claude),
        call(u"f03"_s, at(3), cheap, local, llama, false),      call(u"f04"_s, at(4), general, openai, mini, false),
        call(u"f05"_s, at(5), QString(), openai, u"gpt-4o"_s),  call(u"f06"_s, at(6), cheap, local, llama),
        call(u"f07"_s, at(7), general, openai, mini),           call(u"f08"_s, at(8), general, anthropic, claude, false),
        call(u"f09"_s, at(9), cheap, local, llama),             call(u"f10"_s, at(10), general, openai, mini),
    };
    for (CallRecord &r : records)
        r.requestBody = "{\"messages\":[\"" + r.id.toLatin1() + "\"]}";
    records[0].requestBody = "hello alpha"_ba;
    records[1].responseBody = "{\"text\":\"needle-in-response\"}"_ba;
    records[2].requestBody = "{\"text\":\"charlie needle-in-request\"}"_ba;
    records[8].requestHeaders.add("x-note", "header-only-word");
    QVERIFY(writeAll(path, records));
    LogQueries queries(path, nextConnectionName());
    const Result<QList<CallRecord>> found = queries.requests(filter);
    QVERIFY2(found, qPrintable(found ? QString() : found.error().message));
    QCOMPARE(idsOf(found.value()), expected);
    QCOMPARE(countOf(queries, filter), total);
}

void TestLogStore::bodyCap_data()
{
    QTest::addColumn<int>("maxBodyKib");
    QTest::addColumn<bool>("setLive");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("storedSize");
    QTest::addColumn<bool>("truncated");
    QTest::newRow("empty body") << 1 << false << 0 << 0 << false;
    QTest::newRow("under the cap") << 1 << false << 1000 << 1000 << false;
    QTest::newRow("exactly the cap") << 1 << false << 1024 << 1024 << false;
    QTest::newRow("one byte over") << 1 << false << 1025 << 1024 << true;
    QTest::newRow("far over") << 1 << false << 300 * 1024 << 1024 << true;
    QTest::newRow("2 KiB cap") << 2 << false << 3000 << 2048 << true;
    QTest::newRow("cap lowered by setLogConfig") << 1 << true << 3000 << 1024 << true;
}

void TestLogStore::bodyCap()
{
    QFETCH(int, maxBodyKib);
    QFETCH(bool, setLive);
    QFETCH(int, size);
    QFETCH(int, storedSize);
    QFETCH(bool, truncated);
    QTemporaryDir dir;
    const QString path = dbPath(dir);
    LogConfig config = keepEverything();
    config.maxBodyKib = maxBodyKib;
    CallRecord r = call(u"capped"_s, base());
    r.requestBody = patterned(size, 'A');
    r.responseBody = patterned(size, 'a');
    r.attempts = {Attempt{u"openai"_s, u"m"_s, 500, ErrorClass::Upstream5xx, {}, 0, 10, patterned(size, '0')},
                  Attempt{u"openai"_s, u"m"_s, 200, ErrorClass::None, {}, 20, 10, patterned(size, 'K')}};
    {
        const auto writer = openWriter(path, setLive ? keepEverything() : config);
        QVERIFY(writer);
        if (setLive)
            writer->setLogConfig(config);
        writer->append({r});
        writer->flush();
    }
    LogQueries queries(path, nextConnectionName());
    const Result<CallRecord> stored = queries.request(r.id);
    QVERIFY(stored);
    QCOMPARE(stored.value().requestBody, r.requestBody.left(storedSize));
    QCOMPARE(stored.value().responseBody, r.responseBody.left(storedSize));
    QCOMPARE(stored.value().requestBodyTruncated, truncated);
    QCOMPARE(stored.value().responseBodyTruncated, truncated);
    QCOMPARE(stored.value().attempts.size(), 2);
    QCOMPARE(stored.value().attempts.at(0).requestBody, r.attempts.at(0).requestBody.left(storedSize));
    QCOMPARE(stored.value().attempts.at(1).requestBody, r.attempts.at(1).requestBody.left(storedSize));
}

void TestLogStore::secretsNeverStored()
{
    // The engine masks records before they reach the writer; this follows the same path and
    // then looks at every byte SQLite wrote, while the rows sit in the WAL and after checkpoint.
    const QByteArray key = "sk-proj-PLANTED0123456789abcdefXYZ"_ba;
    const QByteArray keyTail = key.mid(8);
    const QByteArray marker = "visible-marker-7f3a"_ba;
    const SecretMasker masker(QByteArrayList{key});
    HttpHeaders requestHeaders;
    requestHeaders.add("Authorization", "Bearer " + key);
    requestHeaders.add("x-api-key", key);
    requestHeaders.add("Content-Type", "application/json");
    requestHeaders.add("X-Debug", "forwarded " + key + " by mistake");
    HttpHeaders responseHeaders;
    responseHeaders.add("set-cookie", "session=" + key);
    responseHeaders.add("x-echo", key);
    const QByteArray body = "{\"api_key\":\"" + key + "\",\"marker\":\"" + marker + "\"}";
    const QString message = QString::fromUtf8(masker.masked("upstream said: bad key " + key));

    CallRecord r = call(u"masked"_s, QDateTime::currentDateTimeUtc());
    r.requestHeaders = masker.masked(requestHeaders);
    r.responseHeaders = masker.masked(responseHeaders);
    r.requestBody = masker.masked(body);
    r.responseBody = masker.masked("{\"error\":\"invalid key " + key + "\"}");
    r.errorMessage = message;
    r.attempts.first().message = message;
    r.attempts.first().requestBody = masker.masked(body);

    QTemporaryDir dir;
    const QString path = dbPath(dir);
    auto checkFiles = [&](bool expectWal) {
        QByteArray everything;
        for (const QString &file : QStringList{path, path + u"-wal"_s, path + u"-shm"_s}) {
            const QByteArray bytes = readFile(file);
            QVERIFY2(!bytes.contains(key) && !bytes.contains(keyTail), qPrintable(file + u" holds the key"_s));
            everything += bytes;
        }
        QCOMPARE(QFile::exists(path + u"-wal"_s), expectWal);
        QVERIFY2(everything.contains(marker), "the files were read before the row reached them");
    };
    auto writer = openWriter(path);
    QVERIFY(writer);
    writer->append({r});
    writer->flush();
    checkFiles(true);
    if (QTest::currentTestFailed())
        return;
    {
        LogQueries queries(path, nextConnectionName());
        const Result<CallRecord> stored = queries.request(r.id);
        QVERIFY(stored);
        QCOMPARE(stored.value().requestHeaders.value("authorization"), "Bearer ***"_ba);
        QCOMPARE(stored.value().requestHeaders.value("x-api-key"), "***"_ba);
        QVERIFY(stored.value().requestBody.contains(marker));
    }
    writer.reset(); // the last connection: checkpointed into the main file, WAL removed
    checkFiles(false);
}

// ---- retention --------------------------------------------------------------------------

void TestLogStore::retentionByAge_data()
{
    QTest::addColumn<int>("retentionDays");
    QTest::addColumn<QStringList>("survivors");
    QTest::newRow("30 days") << 30 << QStringList{u"age-1h"_s, u"age-696h"_s};
    QTest::newRow("1 day") << 1 << QStringList{u"age-1h"_s};
    QTest::newRow("nothing that old") << 365 << QStringList{u"age-1h"_s, u"age-696h"_s, u"age-744h"_s, u"age-960h"_s};
}

void TestLogStore::retentionByAge()
{
    QFETCH(int, retentionDays);
    QFETCH(QStringList, survivors);
    QTemporaryDir dir;
    const QString path = dbPath(dir);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<CallRecord> records;
    for (int hours : {960, 744, 696, 1}) {
        CallRecord r = call(u"age-%1h"_s.arg(hours), now.addSecs(-qint64(hours) * 3600));
        r.attempts << Attempt{u"anthropic"_s, u"claude"_s, 200, ErrorClass::None, {}, 300, 20, "{}"_ba};
        r.requestBody = "body"_ba;
        records << r;
    }
    LogConfig config;
    config.retentionDays = retentionDays;
    config.bodyRetentionDays = 36500; // bodies have their own test below
    const auto writer = openWriter(path, config);
    QVERIFY(writer);
    writer->append(records);
    writer->flush();
    writer->applyRetention();
    RawDb raw(path);
    QCOMPARE(raw.names(u"SELECT id FROM requests ORDER BY id"_s), survivors);
    const qint64 n = survivors.size();
    QCOMPARE(raw.number(u"SELECT COUNT(*) FROM attempts"_s), 2 * n);
    QCOMPARE(raw.number(u"SELECT COUNT(*) FROM attempts WHERE request_id NOT IN (SELECT id FROM requests)"_s), 0);
    QCOMPARE(raw.number(u"SELECT COUNT(*) FROM bodies"_s), n);
    QCOMPARE(raw.number(u"SELECT COUNT(*) FROM bodies WHERE request_id NOT IN (SELECT id FROM requests)"_s), 0);
    // One roll-up row per surviving hour; none older than the cut-off.
    const qint64 cutoffHour = (now.toMSecsSinceEpoch() - qint64(retentionDays) * 24 * 3600 * 1000) / 3600000;
    QCOMPARE(raw.number(u"SELECT COUNT(*) FROM rollup_hour"_s), n);
    QCOMPARE(raw.number(u"SELECT COUNT(*) FROM rollup_hour WHERE hour < %1"_s.arg(cutoffHour)), 0);
}

void TestLogStore::retentionBySize()
{
    QTemporaryDir dir;
    const QString path = dbPath(dir);
    LogConfig config;
    config.maxDbMib = 1;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QRandomGenerator rng(7);
    QList<CallRecord> records;
    for (int i = 0; i < 60; ++i) {
        CallRecord r = call(u"size-%1"_s.arg(i, 2, 10, QLatin1Char('0')), now.addSecs(-3600 + i * 30));
        // Bodies that neither repeat nor compress, so the file really grows.
        r.requestBody = QByteArray(48 * 1024, Qt::Uninitialized);
        rng.fillRange(reinterpret_cast<quint32 *>(r.requestBody.data()), r.requestBody.size() / 4);
        r.responseBody = "{}"_ba;
        records << r;
    }
    const auto writer = openWriter(path, config);
    QVERIFY(writer);
    writer->append(records);
    writer->flush();
    RawDb raw(path);
    // ~2.9 MB of bodies went in; the cap held at the commit itself, not only at the next run.
    QVERIFY2(raw.usedBytes() <= 1024 * 1024, qPrintable(u"%1 bytes in use after the commit"_s.arg(raw.usedBytes())));
    writer->applyRetention();
    const qint64 used = raw.usedBytes();
    QVERIFY2(used <= 1024 * 1024, qPrintable(u"%1 bytes in use"_s.arg(used)));
    const QStringList left = raw.names(u"SELECT id FROM requests ORDER BY started_at"_s);
    QVERIFY(!left.isEmpty());
    QVERIFY(raw.number(u"SELECT COUNT(*) FROM bodies"_s) < records.size()); // bodies go before rows
    // The survivors are the newest rows, all of them.
    QCOMPARE(left, idsOf(records).mid(records.size() - left.size()));
    QCOMPARE(raw.number(u"SELECT COUNT(*) FROM attempts WHERE request_id NOT IN (SELECT id FROM requests)"_s), 0);
    QCOMPARE(raw.number(u"SELECT COUNT(*) FROM bodies WHERE request_id NOT IN (SELECT id FROM requests)"_s), 0);
    // Bodies went first: the newest rows keep theirs, older survivors are rows only.
    QVERIFY(raw.number(u"SELECT COUNT(*) FROM bodies"_s) <= left.size());
    QCOMPARE(raw.names(u"SELECT request_id FROM bodies ORDER BY request_id"_s),
             left.mid(left.size() - raw.number(u"SELECT COUNT(*) FROM bodies"_s)));
}

// ---- statistics ---------------------------------------------------------------------------

void TestLogStore::stats_data()
{
    QTest::addColumn<StatsQuery>("query");
    QTest::addColumn<QStringList>("expected");
    const qint64 from = base().toMSecsSinceEpoch();
    const qint64 until = base().addDays(2).toMSecsSinceEpoch();
    const QString h10 = u"2024-03-10T10:00:00Z"_s, h11 = u"2024-03-10T11:00:00Z"_s, next9 = u"2024-03-11T09:00:00Z"_s;
    const QString day1 = u"2024-03-10T00:00:00Z"_s, day2 = u"2024-03-11T00:00:00Z"_s;
    const QStringList hoursByAlias{
        statsLine(h10, u"cheap"_s, 1, 0, 50, 10, 0, 0, 1),
        statsLine(h10, u"general"_s, 3, 1, 300, 60, 30, 0.03, 0),
        statsLine(h11, u"general"_s, 1, 0, 300, 60, 100, 0.03, 0),
        statsLine(next9, u"cheap"_s, 1, 0, 10, 5, 0, 0, 0),
    };
    QTest::newRow("hours by alias") << StatsQuery{from, until, false, u"alias"_s} << hoursByAlias;
    QTest::newRow("days by alias") << StatsQuery{from, until, true, u"alias"_s}
                                   << QStringList{statsLine(day1, u"cheap"_s, 1, 0, 50, 10, 0, 0, 1),
                                                  statsLine(day1, u"general"_s, 4, 1, 600, 120, 130, 0.06, 0),
                                                  statsLine(day2, u"cheap"_s, 1, 0, 10, 5, 0, 0, 0)};
    QTest::newRow("days by provider") << StatsQuery{from, until, true, u"provider"_s}
                                      << QStringList{statsLine(day1, u"anthropic"_s, 1, 1, 0, 0, 0, 0, 0),
                                                     statsLine(day1, u"local"_s, 1, 0, 50, 10, 0, 0, 1),
                                                     statsLine(day1, u"openai"_s, 3, 0, 600, 120, 130, 0.06, 0),
                                                     statsLine(day2, u"local"_s, 1, 0, 10, 5, 0, 0, 0)};
    QTest::newRow("hours by model") << StatsQuery{from, until, false, u"model"_s}
                                    << QStringList{statsLine(h10, u"claude-3-5-haiku"_s, 1, 1, 0, 0, 0, 0, 0),
                                                   statsLine(h10, u"gpt-4o-mini"_s, 2, 0, 300, 60, 30, 0.03, 0),
                                                   statsLine(h10, u"llama3"_s, 1, 0, 50, 10, 0, 0, 1),
                                                   statsLine(h11, u"gpt-4o-mini"_s, 1, 0, 300, 60, 100, 0.03, 0),
                                                   statsLine(next9, u"llama3"_s, 1, 0, 10, 5, 0, 0, 0)};
    QTest::newRow("days by client") << StatsQuery{from, until, true, u"client"_s}
                                    << QStringList{statsLine(day1, u"OpenAI/Python"_s, 1, 0, 200, 40, 0, 0.02, 0),
                                                   statsLine(day1, u"curl"_s, 1, 1, 0, 0, 0, 0, 0),
                                                   statsLine(day1, u"node"_s, 1, 0, 50, 10, 0, 0, 1),
                                                   statsLine(day1, u"python3"_s, 2, 0, 400, 80, 130, 0.04, 0),
                                                   statsLine(day2, u"node"_s, 1, 0, 10, 5, 0, 0, 0)};
    QTest::newRow("days by project") << StatsQuery{from, until, true, u"project"_s}
                                     << QStringList{statsLine(day1, QString(), 1, 1, 0, 0, 0, 0, 0),
                                                    statsLine(day1, u"/home/dev/alpha"_s, 3, 0, 600, 120, 130, 0.06, 0),
                                                    statsLine(day1, u"/home/dev/beta"_s, 1, 0, 50, 10, 0, 0, 1),
                                                    statsLine(day2, u"/home/dev/beta"_s, 1, 0, 10, 5, 0, 0, 0)};
    QTest::newRow("until leaves out the next day") << StatsQuery{from, from + 2 * 3600000, false, u"alias"_s}
                                                   << hoursByAlias.mid(0, 3);
    QTest::newRow("since leaves out the first hour") << StatsQuery{from + 3600000, until, false, u"alias"_s}
                                                     << hoursByAlias.mid(2);
}

void TestLogStore::stats()
{
    QFETCH(StatsQuery, query);
    QFETCH(QStringList, expected);
    QTemporaryDir dir;
    const QString path = dbPath(dir);
    auto make = [](const QString &id, int minutes, const QString &alias, const QString &provider, const QString &model,
                   qint64 durationMs, Usage usage, std::optional<double> cost, const QString &process,
                   const QString &project) {
        CallRecord r = call(id, base().addSecs(60 * minutes), alias, provider, model);
        r.durationMs = durationMs;
        r.usage = usage;
        r.costUsd = cost;
        r.clientProcess = process;
        r.project = project;
        return r;
    };
    const QString alpha = u"/home/dev/alpha"_s, beta = u"/home/dev/beta"_s;
    CallRecord s2 = make(u"s2"_s, 10, u"general"_s, u"openai"_s, u"gpt-4o-mini"_s, 180, Usage{200, 40, {}}, 0.02, {}, alpha);
    s2.client = u"OpenAI/Python 1.40.0"_s;
    CallRecord s3 = make(u"s3"_s, 20, u"general"_s, u"anthropic"_s, u"claude-3-5-haiku"_s, 900, Usage{}, {}, {}, {});
    s3.ok = false;
    s3.status = 502;
    s3.errorClass = ErrorClass::Upstream5xx;
    s3.client = u"curl/8.1.2"_s;
    const QList<CallRecord> records{
        make(u"s1"_s, 5, u"general"_s, u"openai"_s, u"gpt-4o-mini"_s, 120, Usage{100, 20, 30}, 0.01, u"python3"_s, alpha),
        s2,
        s3,
        make(u"s4"_s, 30, u"cheap"_s, u"local"_s, u"llama3"_s, 450, Usage{50, 10, {}}, {}, u"node"_s, beta),
        make(u"s5"_s, 70, u"general"_s, u"openai"_s, u"gpt-4o-mini"_s, 2500, Usage{300, 60, 100}, 0.03, u"python3"_s, alpha),
        make(u"s6"_s, 23 * 60, u"cheap"_s, u"local"_s, u"llama3"_s, 60, Usage{10, 5, {}}, 0.0, u"node"_s, beta),
    };
    QVERIFY(writeAll(path, records.mid(0, 3)));
    QVERIFY(writeAll(path, records.mid(3))); // roll-ups add up across commits and sessions
    LogQueries queries(path, nextConnectionName());
    const Result<QList<StatsRow>> rows = queries.stats(query);
    QVERIFY2(rows, qPrintable(rows ? QString() : rows.error().message));
    QStringList actual;
    for (const StatsRow &row : rows.value())
        actual << describe(row);
    QCOMPARE(actual, expected);
}

void TestLogStore::statsPercentiles_data()
{
    QTest::addColumn<QList<int>>("latencies");
    QList<int> uniform;
    for (int ms = 1; ms <= 1000; ++ms)
        uniform << ms;
    QTest::newRow("uniform 1 to 1000 ms") << uniform;
    QTest::newRow("all 420 ms") << QList<int>(50, 420);
    QTest::newRow("90 fast, 10 slow") << QList<int>(90, 80) + QList<int>(10, 8000);
    QTest::newRow("slow tail past p95") << QList<int>(95, 30) + QList<int>(5, 200000);
    QTest::newRow("one call") << QList<int>{1234};
    QTest::newRow("beyond the last bound") << QList<int>{400000, 500000};
}

void TestLogStore::statsPercentiles()
{
    QFETCH(QList<int>, latencies);
    QTemporaryDir dir;
    const QString path = dbPath(dir);
    QList<CallRecord> records;
    for (int i = 0; i < latencies.size(); ++i) {
        records << call(u"p%1"_s.arg(i, 5, 10, QLatin1Char('0')), base().addMSecs(i));
        records.last().durationMs = latencies.at(i);
    }
    QVERIFY(writeAll(path, records));
    LogQueries queries(path, nextConnectionName());
    const qint64 from = base().toMSecsSinceEpoch();
    const Result<QList<StatsRow>> rows = queries.stats(StatsQuery{from, from + 3600000, false, u"alias"_s});
    QVERIFY(rows);
    QCOMPARE(rows.value().size(), 1);
    const StatsRow &row = rows.value().first();
    QCOMPARE(row.requests, latencies.size());
    QList<int> sorted = latencies;
    std::sort(sorted.begin(), sorted.end());
    for (double q : {0.5, 0.95}) {
        const int truth = sorted.at(int(std::ceil(q * double(sorted.size()))) - 1); // nearest rank
        const auto [lower, upper] = bucketRange(LatencyHistogram::bucketFor(truth));
        const std::optional<double> estimate = q == 0.5 ? row.p50Ms : row.p95Ms;
        QVERIFY(estimate);
        QVERIFY2(*estimate >= lower && *estimate <= upper,
                 qPrintable(u"p%1: %2 ms estimated, true %3 ms in (%4, %5]"_s.arg(q * 100).arg(*estimate).arg(truth).arg(lower).arg(upper)));
    }
}

void TestLogStore::statsUnknownGroup_data()
{
    QTest::addColumn<QString>("by");
    QTest::newRow("unknown name") << u"user"_s;
    QTest::newRow("empty") << QString();
    QTest::newRow("SQL instead of a name") << u"alias; DROP TABLE requests"_s;
}

void TestLogStore::statsUnknownGroup()
{
    QFETCH(QString, by);
    QTemporaryDir dir;
    const QString path = dbPath(dir);
    QVERIFY(writeAll(path, {call(u"one"_s, base())}));
    LogQueries queries(path, nextConnectionName());
    const Result<QList<StatsRow>> rows = queries.stats(StatsQuery{0, base().addDays(1).toMSecsSinceEpoch(), false, by});
    QVERIFY(!rows);
    QVERIFY2(rows.error().message.contains(u"by must be one of: alias, provider, model, client, project"_s),
             qPrintable(rows.error().message));
    QCOMPARE(countOf(queries), 1);
}

// ---- LatencyHistogram -----------------------------------------------------------------------

void TestLogStore::histogramBucketFor_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<int>("bucket");
    QTest::newRow("0 ms") << qint64(0) << 0;
    QTest::newRow("negative") << qint64(-5) << 0;
    QTest::newRow("25 ms tops the first bucket") << qint64(25) << 0;
    QTest::newRow("26 ms") << qint64(26) << 1;
    QTest::newRow("100 ms") << qint64(100) << 2;
    QTest::newRow("101 ms") << qint64(101) << 3;
    QTest::newRow("300000 ms tops the last bounded bucket") << qint64(300000) << 23;
    QTest::newRow("300001 ms is open-ended") << qint64(300001) << 24;
    QTest::newRow("a day") << qint64(86400000) << 24;
}

void TestLogStore::histogramBucketFor()
{
    QFETCH(qint64, ms);
    QFETCH(int, bucket);
    QCOMPARE(LatencyHistogram::bucketFor(ms), bucket);
}

void TestLogStore::histogramEveryBound()
{
    const auto &bounds = LatencyHistogram::upperBoundsMs();
    for (int i = 0; i < int(bounds.size()); ++i) {
        QCOMPARE(LatencyHistogram::bucketFor(bounds[i]), i);
        QCOMPARE(LatencyHistogram::bucketFor(bounds[i] + 1), i + 1);
        if (i > 0) // rising, and never more than 2x apart
            QVERIFY(bounds[i] > bounds[i - 1] && double(bounds[i]) <= 2.0 * double(bounds[i - 1]));
    }
}

void TestLogStore::histogramQuantile_data()
{
    QTest::addColumn<QList<qint64>>("counts"); // by bucket, the rest zero
    QTest::addColumn<double>("q");
    QTest::addColumn<double>("expected"); // negative: no estimate
    auto at = [](std::initializer_list<std::pair<int, qint64>> cells) {
        QList<qint64> counts(LatencyHistogram::BucketCount, 0);
        for (const auto &[bucket, count] : cells)
            counts[bucket] = count;
        return counts;
    };
    QTest::newRow("empty") << at({}) << 0.5 << -1.0;
    QTest::newRow("one value in the first bucket") << at({{0, 1}}) << 0.5 << 12.5;
    QTest::newRow("one bucket, median") << at({{3, 10}}) << 0.5 << 150.0;
    QTest::newRow("one bucket, p95") << at({{3, 10}}) << 0.95 << 195.0;
    QTest::newRow("one bucket, q=0 is its lower edge") << at({{3, 10}}) << 0.0 << 100.0;
    QTest::newRow("spread, p50 tops the lower half") << at({{0, 50}, {10, 50}}) << 0.5 << 25.0;
    QTest::newRow("spread, p95 inside the upper bucket") << at({{0, 50}, {10, 50}}) << 0.95 << 2900.0;
    QTest::newRow("q=1 tops the highest used bucket") << at({{2, 3}, {5, 1}}) << 1.0 << 500.0;
    QTest::newRow("open-ended last bucket") << at({{24, 2}}) << 0.5 << 375000.0;
}

void TestLogStore::histogramQuantile()
{
    QFETCH(QList<qint64>, counts);
    QFETCH(double, q);
    QFETCH(double, expected);
    LatencyHistogram::Counts c{};
    std::copy(counts.cbegin(), counts.cend(), c.begin());
    const std::optional<double> value = LatencyHistogram::quantile(c, q);
    if (expected < 0) {
        QVERIFY(!value);
        return;
    }
    QVERIFY(value);
    QCOMPARE(*value, expected);
}

// ---- threads ------------------------------------------------------------------------------

void TestLogStore::readerDeliversOnContextThread_data()
{
    QTest::addColumn<bool>("otherThread");
    QTest::newRow("context on the test thread") << false;
    QTest::newRow("context on another thread") << true;
}

void TestLogStore::readerDeliversOnContextThread()
{
    QFETCH(bool, otherThread);
    QTemporaryDir dir;
    const QString path = dbPath(dir);
    QVERIFY(writeAll(path, {call(u"a"_s, base()), call(u"b"_s, base().addSecs(1))}));
    QThread contextThread;
    auto *context = new QObject;
    if (otherThread) {
        context->moveToThread(&contextThread);
        contextThread.start();
    }
    std::atomic<QThread *> workThread = nullptr;
    std::atomic<QThread *> doneThread = nullptr;
    std::atomic<qint64> delivered = -1;
    {
        LogReader reader(path);
        reader.query<qint64>(
            context,
            [&](LogQueries &queries) {
                workThread = QThread::currentThread();
                return countOf(queries);
            },
            [&](const qint64 &n) {
                doneThread = QThread::currentThread();
                delivered = n;
            });
        QTRY_COMPARE(delivered.load(), qint64(2));
        QCOMPARE(doneThread.load(), context->thread());
        QVERIFY(workThread.load() != QThread::currentThread());
        QVERIFY(workThread.load() != &contextThread);
        QCOMPARE(workThread.load()->objectName(), u"log-reader"_s);
    }
    if (!otherThread) {
        delete context;
        return;
    }
    context->deleteLater(); // on its own thread, before that thread finishes
    contextThread.quit();
    QVERIFY(contextThread.wait(5000));
}

void TestLogStore::readerDropsResultForDeletedContext_data()
{
    QTest::addColumn<bool>("afterPosted");
    QTest::newRow("deleted while the query runs") << false;
    QTest::newRow("deleted after the result was posted") << true;
}

void TestLogStore::readerDropsResultForDeletedContext()
{
    QFETCH(bool, afterPosted);
    QTemporaryDir dir;
    const QString path = dbPath(dir);
    QVERIFY(writeAll(path, {call(u"a"_s, base()), call(u"b"_s, base().addSecs(1))}));
    LogReader reader(path);
    QSemaphore running, release, second;
    bool staleDelivered = false;
    auto *doomed = new QObject;
    reader.query<qint64>(
        doomed,
        [&](LogQueries &queries) {
            running.release();
            if (!afterPosted)
                release.tryAcquire(1, 5000);
            return countOf(queries);
        },
        [&](const qint64 &) { staleDelivered = true; });
    // The reader runs queries in order: once the second one starts, the first result was posted.
    QObject live;
    std::optional<qint64> fresh;
    reader.query<qint64>(
        &live,
        [&](LogQueries &queries) {
            second.release();
            return countOf(queries);
        },
        [&](const qint64 &n) { fresh = n; });
    QVERIFY(running.tryAcquire(1, 5000));
    if (afterPosted)
        QVERIFY(second.tryAcquire(1, 5000)); // this thread has run no events since
    delete doomed;
    if (!afterPosted)
        release.release();
    QTRY_VERIFY(fresh.has_value());
    QCoreApplication::processEvents();
    QVERIFY(!staleDelivered);
    QCOMPARE(*fresh, 2);
}

void TestLogStore::writerOnItsOwnThread()
{
    // As the application runs it: the writer on "log-writer", records and results queued.
    QTemporaryDir dir;
    const QString path = dbPath(dir);
    QThread thread;
    thread.setObjectName(u"log-writer"_s);
    auto *writer = new LogWriter(path, keepEverything());
    writer->moveToThread(&thread);
    thread.start();
    bool opened = false;
    QMetaObject::invokeMethod(writer, &LogWriter::open, Qt::BlockingQueuedConnection, &opened);
    QVERIFY(opened);
    LogQueries queries(path, nextConnectionName());
    QObject receiver;
    QStringList written;
    QList<qint64> visibleAtSignal;
    connect(
        writer, &LogWriter::written, &receiver,
        [&](const QStringList &ids) {
            QCOMPARE(QThread::currentThread(), receiver.thread());
            written += ids;
            visibleAtSignal << countOf(queries);
        },
        Qt::QueuedConnection);
    QStringList sent;
    for (int b = 0; b < 20; ++b) {
        QList<CallRecord> batch;
        for (int i = 0; i < 25; ++i) {
            batch << call(u"t%1"_s.arg(int(sent.size()), 4, 10, QLatin1Char('0')), base().addMSecs(sent.size()));
            sent << batch.constLast().id;
        }
        QMetaObject::invokeMethod(writer, [writer, batch] { writer->append(batch); }, Qt::QueuedConnection);
    }
    QTRY_COMPARE_WITH_TIMEOUT(written.size(), sent.size(), 10000);
    QCOMPARE(written, sent);
    // Each commit is visible to another connection by the time its signal arrives.
    qint64 signalled = 0;
    for (qsizetype i = 0; i < visibleAtSignal.size(); ++i) {
        QVERIFY(visibleAtSignal.at(i) >= signalled);
        signalled = visibleAtSignal.at(i);
    }
    QCOMPARE(countOf(queries), sent.size());
    QMetaObject::invokeMethod(writer, [writer] { delete writer; }, Qt::BlockingQueuedConnection);
    thread.quit();
    QVERIFY(thread.wait(5000));
    LogQueries after(path, nextConnectionName());
    QCOMPARE(countOf(after), sent.size());
}

// ---- crash durability -----------------------------------------------------------------------

void TestLogStore::crashDurability()
{
    QTemporaryDir dir;
    const QString path = dbPath(dir);
    QRandomGenerator rng(CrashSeed);
    qint64 totalRows = 0;
    int totalCommits = 0;
    int maxLost = 0;
    int maxUnreported = 0;
    QElapsedTimer clock;
    clock.start();
    for (int run = 0; run < CrashKills; ++run) {
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(ChildDbEnv), path);
        env.insert(QString::fromLatin1(ChildRunEnv), QString::number(run));
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY2(child.waitForStarted(5000), qPrintable(child.errorString()));
        QByteArray out;
        while (!out.contains("READY") && child.waitForReadyRead(10000))
            out += child.readAllStandardOutput();
        QVERIFY2(out.contains("READY"), child.readAllStandardError().constData());
        // Kill it after 100–600 ms of writing, draining its output so it never blocks.
        const int delayMs = int(rng.bounded(100, 601));
        QElapsedTimer writing;
        writing.start();
        while (writing.elapsed() < delayMs && child.state() == QProcess::Running) {
            child.waitForReadyRead(int(qMax<qint64>(1, delayMs - writing.elapsed())));
            out += child.readAllStandardOutput();
        }
        QVERIFY2(child.state() == QProcess::Running, child.readAllStandardError().constData());
        child.kill(); // SIGKILL on Unix
        QVERIFY(child.waitForFinished(5000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        out += child.readAllStandardOutput();

        int appended = -1, committed = -1;
        for (const QByteArray &line : out.split('\n')) {
            const int seq = line.mid(line.indexOf('-') + 1).toInt();
            if (line.startsWith("A r"))
                appended = seq;
            if (line.startsWith("C r")) {
                committed = seq;
                ++totalCommits;
            }
        }
        const QString prefix = u"r%1-"_s.arg(run, 2, 10, QLatin1Char('0'));
        RawDb raw(path);
        QVERIFY2(raw.isOpen(), qPrintable(u"run %1: the log does not open"_s.arg(run)));
        QCOMPARE(raw.names(u"PRAGMA integrity_check"_s), QStringList{u"ok"_s});
        QCOMPARE(raw.value(u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
        const qint64 present = raw.number(u"SELECT COUNT(*) FROM requests WHERE substr(id, 1, 4) = '%1'"_s.arg(prefix));
        const QString last = raw.value(u"SELECT MAX(id) FROM requests WHERE substr(id, 1, 4) = '%1'"_s.arg(prefix)).toString();
        // A prefix: ids 0..present-1 of this run, no gaps.
        if (present > 0)
            QCOMPARE(last, crashId(run, int(present - 1)));
        QVERIFY2(present >= committed + 1,
                 qPrintable(u"run %1: %2 rows reported committed, %3 present"_s.arg(run).arg(committed + 1).arg(present)));
        const int lost = appended + 1 - int(present);
        QVERIFY2(lost >= 0, qPrintable(u"run %1: more rows than were appended"_s.arg(run)));
        QVERIFY2(lost < LogWriter::MaxBatchRows + CrashMaxChunk,
                 qPrintable(u"run %1: %2 rows lost, more than one batch"_s.arg(run).arg(lost)));
        maxLost = qMax(maxLost, lost);
        // A kill between a commit and its report leaves at most that one batch unreported.
        const int unreported = int(present) - (committed + 1);
        QVERIFY2(unreported < LogWriter::MaxBatchRows + CrashMaxChunk,
                 qPrintable(u"run %1: %2 rows committed but never reported"_s.arg(run).arg(unreported)));
        maxUnreported = qMax(maxUnreported, unreported);
        totalRows += present;
        // Whole transactions only: every request with its attempt, body and roll-up.
        QCOMPARE(raw.number(u"SELECT COUNT(*) FROM requests"_s), totalRows);
        QCOMPARE(raw.number(u"SELECT COUNT(*) FROM attempts"_s), totalRows);
        QCOMPARE(raw.number(u"SELECT COUNT(*) FROM bodies"_s), totalRows);
        QCOMPARE(raw.number(u"SELECT SUM(requests) FROM rollup_hour"_s), totalRows);
    }
    QVERIFY2(totalCommits > 0, "no child ever committed; the test proved nothing");
    // The file takes new rows after all that.
    QVERIFY(writeAll(path, {call(u"after-crashes"_s, QDateTime::currentDateTimeUtc())}, LogConfig()));
    LogQueries queries(path, nextConnectionName());
    QCOMPARE(countOf(queries), totalRows + 1);
    qInfo("crash durability: %d kills, %lld rows committed, %d commits reported, at most %d rows lost per kill, "
          "at most %d rows committed but not yet reported, %lld ms",
          CrashKills, totalRows, totalCommits, maxLost, maxUnreported, clock.elapsed());
}

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(ChildDbEnv))
        return runCrashChild();
    TestLogStore tc;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&tc, argc, argv);
}

#include "tst_LogStore.moc"
