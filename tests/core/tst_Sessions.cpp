// SPDX-License-Identifier: GPL-3.0-or-later
// Agent sessions end to end: Claude Code- and Codex-shaped sessions (their real session
// headers and body fields) through the real engine to fake upstreams reporting cache use,
// grouped by the log writer, and read back through GET /api/sessions and /api/sessions/{id}.
#include "tests/support/EngineThread.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/SessionScenario.h"
#include "tests/support/TestConfigs.h"
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <memory>

using namespace Switchyard;
using namespace Switchyard::Test;
using namespace Qt::StringLiterals;
using Behaviour = FakeProvider::Behaviour;

class TestSessions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void listsTheSessions();
    void listFilters();
    void claudeCodeVerdicts_data();
    void claudeCodeVerdicts();
    void turnChangesAndContext();
    void codexExpiredCache();
    void unknownSessionIsNotFound();
    void interleavedAgentsStayApart();
    void stickySessionKeepsItsTarget();

private:
    QJsonObject sessionDetail(const QString &id);
    QTemporaryDir m_dir;
    std::unique_ptr<SessionScenario> m_scenario;
    std::unique_ptr<EngineThread> m_engine;
};

namespace {

QJsonObject getJson(quint16 port, const QByteArray &path, int expectedStatus = 200)
{
    const RawHttpClient::Response r = RawHttpClient::fetch(port, "GET", path);
    if (r.status != expectedStatus)
        qWarning("GET %s: %d %s", path.constData(), r.status, r.body.left(400).constData());
    return r.status == expectedStatus ? r.json() : QJsonObject();
}

QJsonObject byId(const QJsonArray &list, const QString &id)
{
    for (const QJsonValue &v : list) {
        if (v[u"id"_s].toString() == id)
            return v.toObject();
    }
    return {};
}

constexpr qint64 TwelveMinutes = 12 * 60 * 1000;

} // namespace

void TestSessions::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_scenario = std::make_unique<SessionScenario>();
    m_engine = std::make_unique<EngineThread>(m_scenario->config(), m_dir.filePath(u"requests.db"_s));
    QVERIFY(m_scenario->runClaudeCode(m_engine->port()));
    QVERIFY(m_scenario->runCodex(m_engine->port()));
    QVERIFY(m_engine->waitForWritten(8));
    // The third Codex turn came 12 minutes after the second, as far as the log knows.
    QVERIFY(SessionScenario::shiftStartedAt(m_dir.filePath(u"requests.db"_s), m_scenario->codexIds.at(2), TwelveMinutes));
}

QJsonObject TestSessions::sessionDetail(const QString &id)
{
    return getJson(m_engine->port(), "/api/sessions/" + QUrl::toPercentEncoding(id));
}

void TestSessions::listsTheSessions()
{
    const QJsonArray sessions = getJson(m_engine->port(), "/api/sessions?since=0")[u"sessions"_s].toArray();
    QCOMPARE(sessions.size(), 2);
    // Most recently active first: the late Codex turn.
    QCOMPARE(sessions.at(0)[u"id"_s].toString(), SessionScenario::CodexSession);
    const QJsonObject claude = byId(sessions, SessionScenario::ClaudeSession);
    for (const char *field : {"id", "client", "project", "first_call", "last_call", "turns", "tokens", "cost_usd",
                              "cache_hit_rate", "lost_usd", "subagent_turns", "missed_cache_tokens"})
        QVERIFY2(claude.contains(QLatin1String(field)), field);
    QCOMPARE(claude[u"client"_s].toString(), u"claude-cli/2.1.328 (external, cli)"_s);
    QCOMPARE(claude[u"turns"_s].toInt(), 5);
    QCOMPARE(claude[u"subagent_turns"_s].toInt(), 1);
    const QJsonObject tokens = claude[u"tokens"_s].toObject();
    QCOMPARE(tokens[u"cache_read"_s].toInteger(), SessionScenario::PromptTokens - 200);
    QCOMPARE(tokens[u"output"_s].toInteger(), 5 * 120);
    QVERIFY(tokens[u"cache_write"_s].toInteger() > 0);
    const qint64 prompt = tokens[u"input"_s].toInteger() + tokens[u"cache_read"_s].toInteger() + tokens[u"cache_write"_s].toInteger();
    QCOMPARE(prompt, qint64(4 * SessionScenario::PromptTokens + 600 + SessionScenario::SubagentPromptTokens));
    QVERIFY(qAbs(claude[u"cache_hit_rate"_s].toDouble() - double(SessionScenario::PromptTokens - 200) / double(prompt)) < 1e-9);
    QVERIFY(claude[u"cost_usd"_s].toDouble() > 0);
    // The changed tool and the fallback each missed a warm prefix: that is money lost.
    QVERIFY(claude[u"missed_cache_tokens"_s].toInteger() > 0);
    QVERIFY(claude[u"lost_usd"_s].toDouble() > 0);
    QCOMPARE(byId(sessions, SessionScenario::CodexSession)[u"turns"_s].toInt(), 3);
}

void TestSessions::listFilters()
{
    const QByteArray codexAgent = QUrl::toPercentEncoding(u"codex_cli_rs/0.169.0 (Debian 12; x86_64) xterm"_s);
    QJsonArray sessions = getJson(m_engine->port(), "/api/sessions?since=0&client=" + codexAgent)[u"sessions"_s].toArray();
    QCOMPARE(sessions.size(), 1);
    QCOMPARE(sessions.at(0)[u"id"_s].toString(), SessionScenario::CodexSession);
    sessions = getJson(m_engine->port(), "/api/sessions?since=0&project=/nowhere")[u"sessions"_s].toArray();
    QCOMPARE(sessions.size(), 0);
    // The default range is the last day, which holds both.
    QCOMPARE(getJson(m_engine->port(), "/api/sessions")[u"sessions"_s].toArray().size(), 2);
    const QJsonObject bad = getJson(m_engine->port(), "/api/sessions?since=yesterday", 400);
    QVERIFY(bad[u"error"_s][u"message"_s].toString().contains(u"since"_s));
}

void TestSessions::claudeCodeVerdicts_data()
{
    QTest::addColumn<int>("turn");
    QTest::addColumn<QString>("verdict");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<bool>("subagent");
    QTest::addColumn<QString>("provider");
    QTest::newRow("first turn writes the cache") << 0 << u"first_turn"_s << u"the first turn of the session"_s << false << u"anthropic-a"_s;
    QTest::newRow("warm turn reads it") << 1 << u"hit"_s << u"5800 of 6100 prompt tokens read from the cache"_s << false << u"anthropic-a"_s;
    QTest::newRow("changed tool description") << 2 << u"prefix_changed"_s << u"the prefix changed: tool `Bash` changed"_s << false
                                              << u"anthropic-a"_s;
    QTest::newRow("fallback to another provider") << 3 << u"route_changed"_s
                                                  << u"routing moved the session from anthropic-a/claude-sonnet-4-5 to anthropic-b/claude-sonnet-4-5"_s
                                                  << false << u"anthropic-b"_s;
    QTest::newRow("subagent") << 4 << u"first_turn"_s << u"the first turn of the session"_s << true << u"anthropic-a"_s;
}

void TestSessions::claudeCodeVerdicts()
{
    QFETCH(int, turn);
    QFETCH(QString, verdict);
    QFETCH(QString, reason);
    QFETCH(bool, subagent);
    QFETCH(QString, provider);
    const QJsonObject detail = sessionDetail(SessionScenario::ClaudeSession);
    const QJsonArray turns = detail[u"turns"_s].toArray();
    QCOMPARE(turns.size(), 5);
    const QJsonObject t = turns.at(turn).toObject();
    QCOMPARE(t[u"request_id"_s].toString(), m_scenario->claudeIds.at(turn));
    QCOMPARE(t[u"cache"_s][u"verdict"_s].toString(), verdict);
    QVERIFY2(t[u"cache"_s][u"reason"_s].toString().startsWith(reason), qPrintable(t[u"cache"_s][u"reason"_s].toString()));
    QCOMPARE(t[u"subagent"_s].toBool(), subagent);
    QCOMPARE(t[u"provider"_s].toString(), provider);
    // What the cache could have served: the prefix before the changed tool, or all of it.
    if (verdict == "prefix_changed"_L1 || verdict == "route_changed"_L1) {
        QVERIFY(t[u"cache"_s][u"missed_tokens"_s].toInteger() > 0);
        QVERIFY(t[u"cache"_s][u"lost_usd"_s].toDouble() > 0);
    }
}

void TestSessions::turnChangesAndContext()
{
    const QJsonObject detail = sessionDetail(SessionScenario::ClaudeSession);
    // For the README and the report: the answer as it is, when asked for.
    if (const QString sample = qEnvironmentVariable("SWITCHYARD_SESSION_SAMPLE"); !sample.isEmpty()) {
        QFile file(sample);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(detail).toJson(QJsonDocument::Indented));
    }
    const QJsonArray turns = detail[u"turns"_s].toArray();
    QCOMPARE(turns.size(), 5);
    // Turn 2 adds the assistant's answer and the next user message.
    QJsonArray changes = turns.at(1)[u"changes"_s].toArray();
    QCOMPARE(changes.size(), 2);
    QCOMPARE(changes.at(0)[u"kind"_s].toString(), u"added"_s);
    QCOMPARE(changes.at(0)[u"segment"_s].toString(), u"message 2 (assistant)"_s);
    QCOMPARE(changes.at(1)[u"segment"_s].toString(), u"message 3 (user)"_s);
    QVERIFY(changes.at(1)[u"tokens"_s].toInteger() > 0);
    QCOMPARE(turns.at(1)[u"previous_request_id"_s].toString(), m_scenario->claudeIds.at(0));
    // Turn 3: the tool changed, and two messages arrived.
    changes = turns.at(2)[u"changes"_s].toArray();
    QCOMPARE(changes.size(), 3);
    QCOMPARE(changes.at(0)[u"kind"_s].toString(), u"changed"_s);
    QCOMPARE(changes.at(0)[u"segment"_s].toString(), u"tool `Bash`"_s);
    QVERIFY(changes.at(0)[u"bytes"_s].toInteger() > 0);
    const QJsonObject context = turns.at(2)[u"context"_s].toObject();
    QVERIFY(context[u"system"_s].toInteger() > 500); // the long system prompt
    QVERIFY(context[u"tools"_s].toInteger() > 0);
    QVERIFY(context[u"history"_s].toInteger() > 0);
    QVERIFY(context[u"new_turn"_s].toInteger() > 0);
    // The subagent is compared with nothing: its line starts there.
    QCOMPARE(turns.at(4)[u"previous_request_id"_s], QJsonValue());
    QCOMPARE(turns.at(4)[u"context"_s][u"history"_s].toInteger(), 0);
}

void TestSessions::codexExpiredCache()
{
    const QJsonObject detail = sessionDetail(SessionScenario::CodexSession);
    QCOMPARE(detail[u"client"_s].toString(), u"codex_cli_rs/0.169.0 (Debian 12; x86_64) xterm"_s);
    const QJsonArray turns = detail[u"turns"_s].toArray();
    QCOMPARE(turns.size(), 3);
    QCOMPARE(turns.at(0)[u"cache"_s][u"verdict"_s].toString(), u"first_turn"_s);
    QCOMPARE(turns.at(1)[u"cache"_s][u"verdict"_s].toString(), u"hit"_s);
    QCOMPARE(turns.at(1)[u"tokens"_s][u"cache_read"_s].toInteger(), SessionScenario::PromptTokens - 256);
    QCOMPARE(turns.at(2)[u"cache"_s][u"verdict"_s].toString(), u"expired"_s);
    QVERIFY2(turns.at(2)[u"cache"_s][u"reason"_s].toString().startsWith(u"the cache expired: 12 min since the previous turn"_s),
             qPrintable(turns.at(2)[u"cache"_s][u"reason"_s].toString()));
    QCOMPARE(turns.at(2)[u"provider"_s].toString(), u"openai-c"_s);
}

void TestSessions::unknownSessionIsNotFound()
{
    const QJsonObject answer = getJson(m_engine->port(), "/api/sessions/no-such-session", 404);
    QCOMPARE(answer[u"error"_s][u"code"_s].toString(), u"not_found"_s);
    QCOMPARE(RawHttpClient::fetch(m_engine->port(), "POST", "/api/sessions").status, 405);
}

// Two agents in one project at once, neither naming its session: each call continues the
// conversation of its own agent, so the two sessions stay apart however the calls interleave.
void TestSessions::interleavedAgentsStayApart()
{
    const QList<std::pair<QByteArray, QByteArray>> headers{{"Content-Type", "application/json"}, {"User-Agent", "my-agent/1.0"}};
    auto body = [](const QString &agent, int turns) {
        QJsonArray messages{QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"You are a careful coding agent."_s}},
                            QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"Task for agent %1"_s.arg(agent)}}};
        for (int i = 1; i < turns; ++i) {
            messages.append(QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, u"%1 step %2"_s.arg(agent).arg(i)}});
            messages.append(QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"continue"_s}});
        }
        return QJsonDocument(QJsonObject{{u"model"_s, u"codex"_s}, {u"messages"_s, messages}}).toJson(QJsonDocument::Compact);
    };
    QHash<QString, QStringList> ids;
    const QList<std::pair<QString, int>> order{{u"A"_s, 1}, {u"B"_s, 1}, {u"A"_s, 2}, {u"B"_s, 2}, {u"A"_s, 3}};
    for (const auto &[agent, turn] : order) {
        const RawHttpClient::Response r = RawHttpClient::fetch(m_engine->port(), "POST", "/v1/chat/completions", body(agent, turn), headers);
        QCOMPARE(r.status, 200);
        ids[agent] << QString::fromLatin1(r.headers.value("x-switchyard-request-id"));
    }
    QVERIFY(m_engine->waitForWritten(8 + 5));
    // (The late Codex turn, moved 12 minutes on, is newer than these.)
    const QJsonArray requests = getJson(m_engine->port(), "/api/requests?limit=50")[u"requests"_s].toArray();
    QHash<QString, QString> sessionOf;
    for (const QJsonValue &r : requests)
        sessionOf.insert(r[u"id"_s].toString(), r[u"session_id"_s].toString());
    for (const QString &agent : {u"A"_s, u"B"_s}) {
        const QString first = sessionOf.value(ids[agent].constFirst());
        QVERIFY(!first.isEmpty());
        for (const QString &id : ids[agent])
            QCOMPARE(sessionOf.value(id), first);
    }
    QVERIFY(sessionOf.value(ids[u"A"_s].constFirst()) != sessionOf.value(ids[u"B"_s].constFirst()));
    const QJsonObject a = sessionDetail(sessionOf.value(ids[u"A"_s].constFirst()));
    QCOMPARE(a[u"turns"_s].toArray().size(), 3);
}

// "sticky": "session" keeps a weighted alias on the target that served the previous turn, and
// still falls back when that target fails; the session then sticks to where it went.
void TestSessions::stickySessionKeepsItsTarget()
{
    SessionScenario scenario;
    Config config = scenario.config();
    AliasConfig spread = TestConfigs::alias(u"spread"_s, Strategy::Weighted,
                                            {TestConfigs::target(u"anthropic-a"_s, u"claude-sonnet-4-5"_s, 1.0),
                                             TestConfigs::target(u"anthropic-b"_s, u"claude-sonnet-4-5"_s, 1.0)});
    spread.stickySession = true;
    config.aliases.append(spread);
    EngineThread engine(config);
    const QByteArray body = R"({"model":"spread","max_tokens":100,"messages":[{"role":"user","content":"hi"}]})";
    auto call = [&](const QByteArray &session) {
        const RawHttpClient::Response r = RawHttpClient::fetch(
            engine.port(), "POST", "/v1/messages", body, {{"Content-Type", "application/json"}, {"X-Claude-Code-Session-Id", session}});
        return r.status == 200 ? r.headers.value("x-switchyard-provider") : QByteArray("status " + QByteArray::number(r.status));
    };
    const QByteArray first = call("sticky-1");
    QVERIFY(first == "anthropic-a" || first == "anthropic-b");
    for (int i = 0; i < 8; ++i)
        QCOMPARE(call("sticky-1"), first);
    FakeProvider &served = first == "anthropic-a" ? scenario.a : scenario.b;
    served.enqueue(Behaviour::httpError(529, u"Overloaded"_s));
    served.enqueue(Behaviour::httpError(529, u"Overloaded"_s));
    const QByteArray other = first == "anthropic-a" ? "anthropic-b" : "anthropic-a";
    QCOMPARE(call("sticky-1"), other); // fallback still applies
    for (int i = 0; i < 4; ++i)
        QCOMPARE(call("sticky-1"), other);
    // Other sessions are spread by weight as before: over 40 new sessions both targets serve.
    QSet<QByteArray> seen;
    for (int i = 0; i < 40; ++i)
        seen.insert(call("fresh-" + QByteArray::number(i)));
    QCOMPARE(seen.size(), 2);
}

QTEST_GUILESS_MAIN(TestSessions)
#include "tst_Sessions.moc"
