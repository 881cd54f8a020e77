// SPDX-License-Identifier: GPL-3.0-or-later
// Content-addressed log bodies on real SQLite files: the segmenter covers every byte, every
// body reads back exactly (random, real, fuzz-corpus and edge-case bodies), shared segments are
// stored once, search finds text in segments and in bodies written before schema 3, and a
// file written by the schema-1 code migrates in place.
#include "core/log/BodySegmenter.h"
#include "core/log/LatencyHistogram.h"
#include "core/log/LogDatabase.h"
#include "core/log/LogQueries.h"
#include "core/log/LogWriter.h"
#include "tests/support/AgentSession.h"
#include "tests/support/SqlProbe.h"
#include "tests/support/TestConfigs.h"
#include <QDirIterator>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace Switchyard;
using Switchyard::Test::AgentSession;
using namespace Qt::StringLiterals;

namespace {

CallRecord call(const QString &id, const QByteArray &request, const QByteArray &response = "{}"_ba)
{
    CallRecord r;
    r.id = id;
    r.startedAt = QDateTime::currentDateTimeUtc();
    r.endpoint = u"/v1/chat/completions"_s;
    r.alias = u"general"_s;
    r.provider = u"openai"_s;
    r.model = u"gpt-4o-mini"_s;
    r.ok = true;
    r.status = 200;
    r.requestBody = request;
    r.responseBody = response;
    r.attempts = {Attempt{u"openai"_s, u"gpt-4o-mini"_s, 200, ErrorClass::None, {}, 0, 10, request}};
    return r;
}

// Writes the records, then reads each back through LogQueries (what the admin API, replay,
// Traces and Failures use).
QList<CallRecord> writeAndRead(const QString &path, const QList<CallRecord> &records, const LogConfig &config = Test::TestConfigs::keepingEverything())
{
    {
        LogWriter writer(path, config);
        if (!writer.open())
            qFatal("%s", qPrintable(writer.errorString()));
        writer.append(records);
        writer.flush();
    }
    LogQueries queries(path, u"tst-bodystore-read"_s);
    QList<CallRecord> read;
    for (const CallRecord &r : records)
        read << queries.request(r.id).value();
    return read;
}

} // namespace

class TestBodyStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void segmentsCoverEveryByte_data();
    void segmentsCoverEveryByte();
    void roundTrip_data();
    void roundTrip();
    void sharedSegmentsStoredOnce();
    void agentSessionSmall();
    void schema1FileMigrates();
};

void TestBodyStore::segmentsCoverEveryByte_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("shared");
    const QByteArray longText(100, 'x');
    QTest::newRow("empty") << QByteArray() << 0;
    QTest::newRow("short object stays inline") << "{\"model\":\"m\"}"_ba << 0;
    QTest::newRow("each message shared") << "{\"messages\":[{\"c\":\"" + longText + "\"} , {\"c\":\"" + longText + "\"}]}" << 2;
    QTest::newRow("top-level field shared") << " {\n \"prompt\" : \"" + longText + "\" } \n" << 1;
    QTest::newRow("truncated inside a message") << "{\"messages\":[{\"c\":\"" + longText + "\"},{\"c\":\"" + longText << 2;
    QTest::newRow("not json") << "data: " + longText << 1;
    QTest::newRow("array at top level") << "[\"" + longText + "\"]" << 1;
}

void TestBodyStore::segmentsCoverEveryByte()
{
    QFETCH(QByteArray, body);
    QFETCH(int, shared);
    const QList<BodyPiece> pieces = BodySegmenter::split(body);
    qsizetype next = 0;
    int sharedCount = 0;
    for (const BodyPiece &p : pieces) {
        QCOMPARE(p.offset, next);
        QVERIFY(p.length > 0);
        next += p.length;
        sharedCount += p.shared ? 1 : 0;
    }
    QCOMPARE(next, body.size());
    QCOMPARE(sharedCount, shared);
}

void TestBodyStore::roundTrip_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("whitespace, key order and escapes kept")
        << " {\n\t\"z\" : 1 ,\"a\":\"\\u00e9\\n\\\"" + QByteArray(80, 'q') + "\",\"messages\" : [ {\"x\":\"" + QByteArray(90, 'm')
            + "\"} ,\n{\"x\":\"\\ud83d\\ude00" + QByteArray(90, 'n') + "\"} ] }\n";
    QTest::newRow("duplicate keys") << "{\"model\":\"" + QByteArray(70, 'a') + "\",\"model\":\"" + QByteArray(70, 'a') + "\"}";
    QTest::newRow("invalid UTF-8") << "{\"messages\":[\"\xff\xfe\xc3\x28" + QByteArray(100, '\x80') + "\"]}";
    QTest::newRow("nested arrays") << "{\"messages\":[[[[\"" + QByteArray(100, 'n') + "\"]]],{\"a\":[{}]}]}";
    QTest::newRow("huge") << AgentSession::requests(40, 80).constLast();
    QTest::newRow("truncated") << AgentSession::requests(3, 8).constLast().chopped(517);
    QTest::newRow("SSE") << "data: {\"x\":1}\n\ndata: [DONE]\n\n"_ba.repeated(30);
    QRandomGenerator rng(14);
    for (int i = 0; i < 20; ++i) {
        // Random cuts of a real-shaped body, and random bytes.
        const QByteArray whole = AgentSession::requests(2 + i % 3, 4).constLast();
        QTest::addRow("random slice %d", i) << whole.mid(rng.bounded(whole.size() / 2), rng.bounded(whole.size()));
        QByteArray noise(rng.bounded(1, 4000), Qt::Uninitialized);
        for (char &c : noise)
            c = "{}[],:\" \\ax\n"[rng.bounded(13)];
        QTest::addRow("random json-ish bytes %d", i) << noise;
    }
    for (const QString &dir : {QStringLiteral(QT_TESTCASE_SOURCEDIR "/data/dialect"), QStringLiteral(QT_TESTCASE_SOURCEDIR "/../fuzz/corpus")}) {
        QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            if (file.open(QIODevice::ReadOnly))
                QTest::addRow("%s", qPrintable(QDir(dir).relativeFilePath(file.fileName()))) << file.readAll();
        }
    }
}

void TestBodyStore::roundTrip()
{
    QFETCH(QByteArray, body);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"requests.db"_s);
    // Twice, so the second copy is built from segments the first one stored.
    const QList<CallRecord> read = writeAndRead(path, {call(u"a"_s, body, body), call(u"b"_s, body, body.left(10))});
    QCOMPARE(read.size(), 2);
    QCOMPARE(read.at(0).requestBody, body);
    QCOMPARE(read.at(0).responseBody, body);
    QCOMPARE(read.at(0).attempts.value(0).requestBody, body);
    QCOMPARE(read.at(1).requestBody, body);
    QCOMPARE(read.at(1).responseBody, body.left(10));
}

void TestBodyStore::sharedSegmentsStoredOnce()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"requests.db"_s);
    const QList<QByteArray> session = AgentSession::requests(10, 8);
    QList<CallRecord> records;
    for (int i = 0; i < session.size(); ++i)
        records << call(u"turn-%1"_s.arg(i), session.at(i));
    const QList<CallRecord> read = writeAndRead(path, records);
    for (int i = 0; i < session.size(); ++i)
        QCOMPARE(read.at(i).requestBody, session.at(i));
    // System, user, 20 tools, then two messages a turn (none after the last request): and "{}".
    QCOMPARE(Test::sqlValue(path, u"SELECT COUNT(*) FROM segments"_s).toLongLong(), 1 + 1 + 20 + 2 * 9);
}

void TestBodyStore::agentSessionSmall()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"requests.db"_s);
    const QList<QByteArray> session = AgentSession::requests(200, 80);
    qint64 raw = 0;
    QList<CallRecord> records;
    for (int i = 0; i < session.size(); ++i) {
        records << call(u"turn-%1"_s.arg(i, 3, 10, QLatin1Char('0')), session.at(i));
        raw += 2 * session.at(i).size(); // the client's body and the attempt's upstream body
    }
    writeAndRead(path, {});
    for (qsizetype i = 0; i < records.size(); i += 50)
        writeAndRead(path, records.mid(i, 50));
    const qint64 used = Test::sqlValue(path, u"SELECT (page_count - freelist_count) * page_size FROM pragma_page_count, pragma_freelist_count, pragma_page_size"_s).toLongLong();
    qInfo("200-turn session: %lld raw body bytes, %lld database bytes (%.2f %%)", raw, used, 100.0 * double(used) / double(raw));
    QVERIFY2(used * 20 <= raw, "the goal: database bytes at most 5 % of the raw bodies");
}

// A file as schema 1 wrote it (DDL and rows as today's code before this change), migrated in
// place: its bodies read and are found as before, new ones go to segments.
void TestBodyStore::schema1FileMigrates()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"requests.db"_s);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tst-bodystore-v1"_s);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QStringList h;
        for (int i = 0; i < LatencyHistogram::BucketCount; ++i)
            h << u"h%1 INTEGER NOT NULL DEFAULT 0"_s.arg(i);
        for (const QString &sql : {
                 u"CREATE TABLE requests (id TEXT PRIMARY KEY, started_at INTEGER NOT NULL, duration_ms INTEGER NOT NULL, ttft_ms INTEGER, endpoint TEXT NOT NULL, requested_model TEXT, alias TEXT NOT NULL DEFAULT '', provider TEXT NOT NULL DEFAULT '', model TEXT NOT NULL DEFAULT '', status INTEGER NOT NULL, ok INTEGER NOT NULL, error_class TEXT NOT NULL DEFAULT '', error_message TEXT, prompt_tokens INTEGER, completion_tokens INTEGER, cached_tokens INTEGER, cost_usd REAL, stream INTEGER NOT NULL, client TEXT NOT NULL DEFAULT '', client_process TEXT NOT NULL DEFAULT '', client_pid INTEGER, project TEXT NOT NULL DEFAULT '', replay_of TEXT)"_s,
                 u"CREATE INDEX requests_started ON requests(started_at)"_s,
                 u"CREATE TABLE attempts (request_id TEXT NOT NULL, seq INTEGER NOT NULL, provider TEXT, model TEXT, status INTEGER, error_class TEXT, message TEXT, started_after_ms INTEGER, duration_ms INTEGER, request_body BLOB, PRIMARY KEY (request_id, seq)) WITHOUT ROWID"_s,
                 u"CREATE TABLE bodies (request_id TEXT PRIMARY KEY, request_body BLOB, response_body BLOB, request_truncated INTEGER NOT NULL DEFAULT 0, response_truncated INTEGER NOT NULL DEFAULT 0, request_headers TEXT, response_headers TEXT) WITHOUT ROWID"_s,
                 u"CREATE TABLE rollup_hour (hour INTEGER NOT NULL, alias TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL, client TEXT NOT NULL, project TEXT NOT NULL, requests INTEGER NOT NULL, errors INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL, cost_usd REAL NOT NULL, unpriced INTEGER NOT NULL, %1, PRIMARY KEY (hour, alias, provider, model, client, project)) WITHOUT ROWID"_s.arg(h.join(u", "_s)),
                 u"INSERT INTO requests (id, started_at, duration_ms, endpoint, status, ok, stream) VALUES ('old', %1, 5, '/v1/chat/completions', 200, 1, 0)"_s.arg(QDateTime::currentMSecsSinceEpoch()),
                 u"INSERT INTO attempts (request_id, seq, provider, request_body) VALUES ('old', 0, 'openai', X'7B226F6C64223A317D')"_s,
                 u"INSERT INTO bodies (request_id, request_body, response_body, request_headers) VALUES ('old', X'7B226F6C642D6E65656460C3A9223A317D', X'6F6B', '[]')"_s,
                 u"PRAGMA user_version=1"_s}) {
            QVERIFY2(q.exec(sql), qPrintable(sql));
        }
    }
    QSqlDatabase::removeDatabase(u"tst-bodystore-v1"_s);
    const QByteArray fresh = "{\"messages\":[\"new-needle " + QByteArray(100, 'n') + "\"]}";
    const QList<CallRecord> read = writeAndRead(path, {call(u"new"_s, fresh)});
    QCOMPARE(read.value(0).requestBody, fresh);
    QCOMPARE(Test::sqlValue(path, u"PRAGMA user_version"_s).toLongLong(), qint64(LogDatabase::SchemaVersion));
    QCOMPARE(Test::sqlValue(path, u"PRAGMA auto_vacuum"_s).toLongLong(), qint64(2));
    LogQueries queries(path, u"tst-bodystore-migrated"_s);
    const CallRecord old = queries.request(u"old"_s).value();
    QCOMPARE(old.requestBody, "{\"old-need`\xc3\xa9\":1}"_ba);
    QCOMPARE(old.responseBody, "ok"_ba);
    QCOMPARE(old.attempts.value(0).requestBody, "{\"old\":1}"_ba);
    for (const auto &[text, id] : {std::pair{u"old-need"_s, u"old"_s}, std::pair{u"new-needle"_s, u"new"_s}}) {
        RequestFilter filter;
        filter.text = text;
        const QList<CallRecord> found = queries.requests(filter).value();
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.at(0).id, id);
    }
}

QTEST_GUILESS_MAIN(TestBodyStore)
#include "tst_BodyStore.moc"
