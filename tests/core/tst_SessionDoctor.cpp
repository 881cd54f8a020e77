// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sessions/CacheDoctor.h"
#include "core/sessions/ContextSegments.h"
#include "core/sessions/SessionKey.h"
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Switchyard;
using namespace Qt::Literals::StringLiterals;

// The pure parts of agent sessions: which session a call names, what fills each turn's context
// and what changed since the previous turn, and the prompt-cache verdict of a turn. Built on
// the requests Claude Code and Codex really sent (tests/data/agents/).
class TestSessionDoctor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sessionKey_data();
    void sessionKey();
    void claudeCodeContextInCacheOrder();
    void codexContextInCacheOrder();
    void turnChanges();
    void verdicts_data();
    void verdicts();
};

namespace {

QByteArray agentBody(const QString &name)
{
    QFile file(QStringLiteral(QT_TESTCASE_SOURCEDIR "/data/agents/") + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QByteArray withToolDescription(const QByteArray &body, const QString &tool, const QString &description)
{
    QJsonObject o = QJsonDocument::fromJson(body).object();
    QJsonArray tools = o.value("tools"_L1).toArray();
    for (qsizetype i = 0; i < tools.size(); ++i) {
        QJsonObject t = tools.at(i).toObject();
        if (t.value("name"_L1) == tool) {
            t.insert("description"_L1, description);
            tools[i] = t;
        }
    }
    o.insert("tools"_L1, tools);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

void TestSessionDoctor::sessionKey_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("source");
    QTest::newRow("Claude Code header") << QByteArray("X-Claude-Code-Session-Id") << QByteArray("cc-1") << QByteArray("{}")
                                        << u"cc-1"_s << u"x-claude-code-session-id"_s;
    QTest::newRow("Codex header") << QByteArray("session-id") << QByteArray("cx-1") << QByteArray("{}") << u"cx-1"_s
                                  << u"session-id"_s;
    QTest::newRow("Claude Code metadata.user_id, no header")
        << QByteArray() << QByteArray()
        << QByteArray(R"({"metadata":{"user_id":"{\"device_id\":\"d\",\"session_id\":\"cc-2\"}"}})") << u"cc-2"_s
        << u"metadata.user_id"_s;
    QTest::newRow("Codex client_metadata, no header")
        << QByteArray() << QByteArray()
        << QByteArray(R"({"client_metadata":{"x-codex-turn-metadata":"{\"session_id\":\"cx-2\",\"turn_id\":\"t\"}"}})")
        << u"cx-2"_s << u"client_metadata"_s;
    QTest::newRow("OpenAI prompt_cache_key") << QByteArray() << QByteArray() << QByteArray(R"({"prompt_cache_key":"k-9"})")
                                             << u"k-9"_s << u"prompt_cache_key"_s;
    QTest::newRow("nothing") << QByteArray() << QByteArray() << QByteArray(R"({"model":"x"})") << QString() << QString();
}

void TestSessionDoctor::sessionKey()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, body);
    QFETCH(QString, id);
    QFETCH(QString, source);
    CallRecord r;
    if (!header.isEmpty())
        r.requestHeaders.add(header, value);
    r.requestBody = body;
    const auto key = SessionKey::of(r);
    QCOMPARE(key.has_value(), !id.isEmpty());
    if (key) {
        QCOMPARE(key->id, id);
        QCOMPARE(key->source, source);
    }
}

void TestSessionDoctor::claudeCodeContextInCacheOrder()
{
    const QList<ContextSegment> segments = ContextSegments::of(agentBody(u"claude-code-2.1.328-first-turn.json"_s));
    QVERIFY(segments.size() > 10);
    QCOMPARE(segments.first().kind, ContextSegment::Kind::Tools); // Anthropic: tools, system, messages
    QVERIFY(segments.first().label.startsWith("tool `"_L1));
    int firstSystem = -1, firstMessage = -1;
    for (int i = 0; i < segments.size(); ++i) {
        if (firstSystem < 0 && segments.at(i).kind == ContextSegment::Kind::System)
            firstSystem = i;
        if (firstMessage < 0 && segments.at(i).kind == ContextSegment::Kind::Message)
            firstMessage = i;
    }
    QVERIFY(firstSystem > 0 && firstMessage > firstSystem);
    QCOMPARE(segments.at(firstMessage).label, u"message 1 (user)"_s);
}

void TestSessionDoctor::codexContextInCacheOrder()
{
    const QList<ContextSegment> segments = ContextSegments::of(agentBody(u"codex-0.169.0-first-turn.json"_s));
    QCOMPARE(segments.first().kind, ContextSegment::Kind::System); // OpenAI: developer messages first
    QVERIFY2(segments.first().label.startsWith("developer message"_L1), qPrintable(segments.first().label));
    bool tool = false;
    for (const ContextSegment &s : segments)
        tool = tool || s.label == "tool `exec_command`"_L1;
    QVERIFY(tool);
}

void TestSessionDoctor::turnChanges()
{
    const auto first = ContextSegments::of(agentBody(u"codex-0.169.0-first-turn.json"_s));
    const auto second = ContextSegments::of(agentBody(u"codex-0.169.0-tool-result-turn.json"_s));
    const QList<SegmentChange> changes = ContextSegments::changes(first, second);
    QStringList added;
    for (const SegmentChange &c : changes) {
        QVERIFY2(c.kind == SegmentChange::Kind::Added, qPrintable(c.label)); // a turn only adds
        added << c.label;
    }
    QCOMPARE(added.size(), 3); // what the assistant said, the function call and its output
    QCOMPARE(ContextSegments::firstDifference(first, second), -1); // the whole first turn is a prefix
    // A changed tool description is named.
    const QByteArray claude = agentBody(u"claude-code-2.1.328-first-turn.json"_s);
    const auto before = ContextSegments::of(claude);
    const auto after = ContextSegments::of(withToolDescription(claude, u"Bash"_s, u"Run a command."_s));
    const QList<SegmentChange> toolChange = ContextSegments::changes(before, after);
    QCOMPARE(toolChange.size(), 1);
    QCOMPARE(toolChange.first().kind, SegmentChange::Kind::Changed);
    QCOMPARE(toolChange.first().label, u"tool `Bash`"_s);
    QCOMPARE(ContextSegments::whereTextsDiffer(u"You are a helpful agent."_s, u"You are a careful agent."_s), u"at character 11"_s);
}

void TestSessionDoctor::verdicts_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("verdict");
    QTest::addColumn<QString>("reasonContains");
    QTest::newRow("warm") << u"warm"_s << u"hit"_s << u"read from the cache"_s;
    QTest::newRow("first turn") << u"first"_s << u"first_turn"_s << u"first turn"_s;
    QTest::newRow("tool description changed") << u"tool"_s << u"prefix_changed"_s << u"tool `Bash` changed"_s;
    QTest::newRow("expired") << u"expired"_s << u"expired"_s << u"7 min since the previous turn"_s;
    QTest::newRow("fallback to another provider") << u"route"_s << u"route_changed"_s << u"to fallback/gpt-5"_s;
    QTest::newRow("short prompt") << u"short"_s << u"below_minimum"_s << u"below the 2048"_s;
    QTest::newRow("no cache mark") << u"unmarked"_s << u"not_marked"_s << u"cache_control"_s;
}

void TestSessionDoctor::verdicts()
{
    QFETCH(QString, scenario);
    QFETCH(QString, verdict);
    QFETCH(QString, reasonContains);
    const QByteArray body = agentBody(u"claude-code-2.1.328-first-turn.json"_s);
    CacheDoctor::Turn previous{QDateTime::fromSecsSinceEpoch(1796400000, Qt::UTC), u"anthropic"_s, u"anthropic"_s,
                               u"claude-sonnet-4-5"_s, 20000, 0, true, ContextSegments::of(body)};
    CacheDoctor::Turn turn = previous;
    turn.startedAt = previous.startedAt.addSecs(40);
    turn.cachedTokens = 0;
    if (scenario == "warm"_L1)
        turn.cachedTokens = 18000;
    else if (scenario == "tool"_L1)
        turn.segments = ContextSegments::of(withToolDescription(body, u"Bash"_s, u"Run a command."_s));
    else if (scenario == "expired"_L1)
        turn.startedAt = previous.startedAt.addSecs(7 * 60 + 5);
    else if (scenario == "route"_L1)
        turn.provider = u"fallback"_s, turn.providerKind = u"openai"_s, turn.model = u"gpt-5"_s;
    else if (scenario == "short"_L1)
        turn.model = u"claude-haiku-4-5"_s, previous.model = turn.model, turn.promptTokens = 1500;
    else if (scenario == "unmarked"_L1)
        turn.cacheMarks = false;
    const CacheDoctor::Diagnosis d = CacheDoctor::diagnose(turn, scenario == "first"_L1 ? nullptr : &previous);
    QCOMPARE(CacheDoctor::verdictName(d.verdict), verdict);
    QVERIFY2(d.reason.contains(reasonContains), qPrintable(d.reason));
    if (verdict == "prefix_changed"_L1 || verdict == "expired"_L1)
        QVERIFY(d.missedTokens > 0); // what the miss cost, in tokens the cache could have served
}

QTEST_GUILESS_MAIN(TestSessionDoctor)
#include "tst_SessionDoctor.moc"
