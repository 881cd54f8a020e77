// SPDX-License-Identifier: GPL-3.0-or-later
// Sessions in the log store: the writer's grouping (SessionGrouper) and the schema 3 → 4
// migration that gave each row its session.
#include "core/log/LatencyHistogram.h"
#include "core/log/LogDatabase.h"
#include "core/log/LogQueries.h"
#include "core/log/LogWriter.h"
#include "core/log/SessionQueries.h"
#include "core/sessions/SessionGrouper.h"
#include "core/sessions/SessionTimeline.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Switchyard;
using namespace Qt::StringLiterals;

class TestSessionStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void interleavedAgentsStayApart();
    void namedSessionsAndSideLines();
    void notAConversation();
    void schema3FileMigratesInPlace();
    void longSessionsAreReadFromTheirLatestCalls();
};

namespace {

// A chat call of `agent` after `turns` turns, from one program in one project.
CallRecord chat(const QString &id, const QString &agent, int turns, qint64 ms, const QString &project = u"/src/app"_s)
{
    QJsonArray messages{QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"You are a coding agent."_s}},
                        QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"Task of %1"_s.arg(agent)}}};
    for (int i = 1; i < turns; ++i) {
        messages.append(QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, u"%1 did step %2"_s.arg(agent).arg(i)}});
        messages.append(QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"next"_s}});
    }
    CallRecord r;
    r.id = id;
    r.startedAt = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    r.endpoint = u"/v1/chat/completions"_s;
    r.provider = u"openai"_s;
    r.model = u"gpt-4.1"_s;
    r.ok = true;
    r.status = 200;
    r.client = u"agent/1.0"_s;
    r.clientProcess = u"/usr/bin/agent"_s;
    r.project = project;
    r.usage.promptTokens = 4000;
    r.usage.cachedPromptTokens = turns > 1 ? 3000 : 0;
    r.requestBody = QJsonDocument(QJsonObject{{u"model"_s, u"x"_s}, {u"messages"_s, messages}}).toJson(QJsonDocument::Compact);
    return r;
}

} // namespace

void TestSessionStore::interleavedAgentsStayApart()
{
    SessionGrouper grouper;
    const qint64 t0 = 1'760'000'000'000;
    QHash<QString, QString> sessionOf;
    const QList<CallRecord> calls{chat(u"a1"_s, u"A"_s, 1, t0),          chat(u"b1"_s, u"B"_s, 1, t0 + 1000),
                                  chat(u"a2"_s, u"A"_s, 2, t0 + 2000),   chat(u"b2"_s, u"B"_s, 2, t0 + 3000),
                                  chat(u"b3"_s, u"B"_s, 3, t0 + 4000),   chat(u"a3"_s, u"A"_s, 3, t0 + 5000),
                                  // The same conversation as A's, in another project: another session.
                                  chat(u"x2"_s, u"A"_s, 2, t0 + 6000, u"/src/other"_s)};
    for (const CallRecord &r : calls) {
        const std::optional<SessionGrouper::Assignment> a = grouper.assign(r);
        QVERIFY(a);
        QVERIFY(!a->subagent);
        sessionOf.insert(r.id, a->sessionId);
        if (r.id == "a2"_L1 || r.id == "b3"_L1)
            QCOMPARE(CacheDoctor::verdictName(a->diagnosis.verdict), u"hit"_s);
    }
    QCOMPARE(sessionOf.value(u"a1"_s), u"auto-a1"_s);
    QCOMPARE(sessionOf.value(u"a2"_s), u"auto-a1"_s);
    QCOMPARE(sessionOf.value(u"a3"_s), u"auto-a1"_s);
    QCOMPARE(sessionOf.value(u"b1"_s), u"auto-b1"_s);
    QCOMPARE(sessionOf.value(u"b2"_s), u"auto-b1"_s);
    QCOMPARE(sessionOf.value(u"b3"_s), u"auto-b1"_s);
    QCOMPARE(sessionOf.value(u"x2"_s), u"auto-x2"_s);
}

void TestSessionStore::namedSessionsAndSideLines()
{
    SessionGrouper grouper;
    const qint64 t0 = 1'760'000'000'000;
    CallRecord main1 = chat(u"m1"_s, u"A"_s, 1, t0);
    main1.requestHeaders.add("X-Claude-Code-Session-Id", "cc-42");
    CallRecord title = chat(u"t1"_s, u"title"_s, 1, t0 + 500);
    title.requestHeaders.add("X-Claude-Code-Session-Id", "cc-42");
    CallRecord main2 = chat(u"m2"_s, u"A"_s, 2, t0 + 1000);
    main2.requestHeaders.add("X-Claude-Code-Session-Id", "cc-42");
    main2.usage.cachedPromptTokens = 0;
    const auto first = grouper.assign(main1);
    const auto side = grouper.assign(title);
    const auto second = grouper.assign(main2);
    QVERIFY(first && side && second);
    QCOMPARE(first->sessionId, u"cc-42"_s);
    QCOMPARE(side->sessionId, u"cc-42"_s);
    QCOMPARE(second->sessionId, u"cc-42"_s);
    QVERIFY(!first->subagent);
    QVERIFY(side->subagent);
    QVERIFY(!second->subagent);
    // The side call does not count as the main line's previous turn.
    QCOMPARE(CacheDoctor::verdictName(second->diagnosis.verdict), u"missed"_s);
    QVERIFY(second->diagnosis.reason.contains(u"the prefix was the same"_s));
}

void TestSessionStore::notAConversation()
{
    SessionGrouper grouper;
    CallRecord embedding = chat(u"e1"_s, u"A"_s, 1, 1'760'000'000'000);
    embedding.endpoint = u"/v1/embeddings"_s;
    QVERIFY(!grouper.assign(embedding));
    CallRecord notJson = chat(u"n1"_s, u"A"_s, 1, 1'760'000'000'000);
    notJson.requestBody = "not json";
    QVERIFY(!grouper.assign(notJson));
}

// A file of schema 3 (as the previous release left it) is migrated in place: its rows stay,
// belonging to no session; new rows get theirs.
void TestSessionStore::schema3FileMigratesInPlace()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"requests.db"_s);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tst-v3"_s);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QStringList h;
        for (int i = 0; i < LatencyHistogram::BucketCount; ++i)
            h << u"h%1 INTEGER NOT NULL DEFAULT 0"_s.arg(i);
        for (const QString &sql : {
                 u"PRAGMA auto_vacuum=INCREMENTAL"_s,
                 u"CREATE TABLE requests (id TEXT PRIMARY KEY, started_at INTEGER NOT NULL, duration_ms INTEGER NOT NULL, ttft_ms INTEGER, endpoint TEXT NOT NULL, requested_model TEXT, alias TEXT NOT NULL DEFAULT '', provider TEXT NOT NULL DEFAULT '', model TEXT NOT NULL DEFAULT '', status INTEGER NOT NULL, ok INTEGER NOT NULL, error_class TEXT NOT NULL DEFAULT '', error_message TEXT, prompt_tokens INTEGER, completion_tokens INTEGER, cached_tokens INTEGER, cost_usd REAL, stream INTEGER NOT NULL, client TEXT NOT NULL DEFAULT '', client_process TEXT NOT NULL DEFAULT '', client_pid INTEGER, project TEXT NOT NULL DEFAULT '', replay_of TEXT)"_s,
                 u"CREATE INDEX requests_started ON requests(started_at)"_s,
                 u"CREATE INDEX requests_ok_started ON requests(ok, started_at)"_s,
                 u"CREATE INDEX requests_alias_started ON requests(alias, started_at)"_s,
                 u"CREATE INDEX requests_provider_started ON requests(provider, started_at)"_s,
                 u"CREATE TABLE attempts (request_id TEXT NOT NULL, seq INTEGER NOT NULL, provider TEXT, model TEXT, status INTEGER, error_class TEXT, message TEXT, started_after_ms INTEGER, duration_ms INTEGER, request_body BLOB, translation_notes TEXT, request_recipe BLOB, PRIMARY KEY (request_id, seq)) WITHOUT ROWID"_s,
                 u"CREATE TABLE bodies (request_id TEXT PRIMARY KEY, request_body BLOB, response_body BLOB, request_truncated INTEGER NOT NULL DEFAULT 0, response_truncated INTEGER NOT NULL DEFAULT 0, request_headers TEXT, response_headers TEXT, request_recipe BLOB, response_recipe BLOB, stored INTEGER NOT NULL DEFAULT 1) WITHOUT ROWID"_s,
                 u"CREATE TABLE segments (id INTEGER PRIMARY KEY, hash BLOB NOT NULL, size INTEGER NOT NULL, encoding INTEGER NOT NULL, last_used INTEGER NOT NULL, data BLOB NOT NULL)"_s,
                 u"CREATE UNIQUE INDEX segments_hash ON segments(hash)"_s,
                 u"CREATE INDEX segments_last_used ON segments(last_used)"_s,
                 u"CREATE TABLE rollup_hour (hour INTEGER NOT NULL, alias TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL, client TEXT NOT NULL, project TEXT NOT NULL, requests INTEGER NOT NULL, errors INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL, cost_usd REAL NOT NULL, unpriced INTEGER NOT NULL, %1, PRIMARY KEY (hour, alias, provider, model, client, project)) WITHOUT ROWID"_s.arg(h.join(u", "_s)),
                 u"INSERT INTO requests (id, started_at, duration_ms, endpoint, status, ok, stream, prompt_tokens) VALUES ('old', %1, 5, '/v1/chat/completions', 200, 1, 0, 77)"_s.arg(QDateTime::currentMSecsSinceEpoch()),
                 u"PRAGMA user_version=3"_s}) {
            QVERIFY2(q.exec(sql), qPrintable(sql));
        }
    }
    QSqlDatabase::removeDatabase(u"tst-v3"_s);
    {
        LogWriter writer(path, LogConfig());
        QVERIFY2(writer.open(), qPrintable(writer.errorString()));
        CallRecord fresh = chat(u"new"_s, u"A"_s, 1, QDateTime::currentMSecsSinceEpoch());
        fresh.requestHeaders.add("session-id", "cx-7");
        fresh.usage.cacheWriteTokens = 900;
        fresh.usage.reasoningTokens = 40;
        writer.append({fresh});
        writer.flush();
    }
    LogQueries queries(path, u"tst-v3-read"_s);
    const CallRecord old = queries.request(u"old"_s).value();
    QCOMPARE(old.usage.promptTokens, std::optional<qint64>(77));
    QVERIFY(old.sessionId.isEmpty());
    const CallRecord fresh = queries.request(u"new"_s).value();
    QCOMPARE(fresh.sessionId, u"cx-7"_s);
    QCOMPARE(fresh.cacheVerdict, u"first_turn"_s);
    QCOMPARE(fresh.usage.cacheWriteTokens, std::optional<qint64>(900));
    QCOMPARE(fresh.usage.reasoningTokens, std::optional<qint64>(40));
    QSqlDatabase check = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tst-v3-check"_s);
    check.setDatabaseName(path);
    QVERIFY(check.open());
    {
        QSqlQuery q(check);
        QVERIFY(q.exec(u"PRAGMA user_version"_s) && q.next());
        QCOMPARE(q.value(0).toInt(), LogDatabase::SchemaVersion);
        QCOMPARE(LogDatabase::SchemaVersion, 5);
        QVERIFY(q.exec(u"SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'requests_session'"_s) && q.next());
        QCOMPARE(q.value(0).toInt(), 1);
    }
    check.close();
    check = QSqlDatabase();
    QSqlDatabase::removeDatabase(u"tst-v3-check"_s);
}

// A session of thousands of calls is read a call at a time, its latest ones only: the window
// and GET /api/sessions/{id} never hold every body of a long agent session at once.
void TestSessionStore::longSessionsAreReadFromTheirLatestCalls()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"requests.db"_s);
    {
        LogWriter writer(path, LogConfig());
        QVERIFY2(writer.open(), qPrintable(writer.errorString()));
        QList<CallRecord> calls;
        for (int i = 1; i <= 8; ++i) {
            CallRecord r = chat(u"c%1"_s.arg(i), u"A"_s, i, 1'760'000'000'000 + i * 1000);
            r.requestHeaders.add("X-Claude-Code-Session-Id", "long-one");
            calls << r;
        }
        writer.append(calls);
        writer.flush();
    }
    LogQueries queries(path, u"tst-long-read"_s);
    QStringList visited;
    SessionTimeline::Builder timeline;
    const Result<qint64> total = SessionQueries::forEachCall(queries, u"long-one"_s, 3, [&](const CallRecord &c) {
        QVERIFY(!c.requestBody.isEmpty()); // each with its body, one at a time
        visited << c.id;
        timeline.add(c);
    });
    QVERIFY(total);
    QCOMPARE(total.value(), 8);
    QCOMPARE(visited, (QStringList{u"c6"_s, u"c7"_s, u"c8"_s})); // the latest three, oldest first
    const QList<SessionTurnReport> turns = timeline.take();
    QCOMPARE(turns.size(), 3);
    QVERIFY(turns.at(0).previousId.isEmpty()); // the first turn read has nothing before it
    QCOMPARE(turns.at(2).previousId, u"c7"_s);
    QVERIFY(turns.at(2).call.requestBody.isEmpty()); // turns keep no bodies
    const Result<qint64> none = SessionQueries::forEachCall(queries, u"no-such"_s, 3, [](const CallRecord &) {});
    QVERIFY(none);
    QCOMPARE(none.value(), 0);
}

QTEST_GUILESS_MAIN(TestSessionStore)
#include "tst_SessionStore.moc"
