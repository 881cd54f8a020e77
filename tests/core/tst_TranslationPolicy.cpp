// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/ChatToMessages.h"
#include "core/dialect/ChatToResponses.h"
#include "core/dialect/MessagesToChat.h"
#include "core/dialect/ResponsesToChat.h"
#include "core/dialect/ResponsesToMessages.h"
#include "core/dialect/TranslationPolicy.h"
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Switchyard;
using namespace Qt::Literals::StringLiterals;

// The translation policy on what coding agents really send: request bodies recorded from
// Claude Code and Codex (tests/data/agents/, refreshed by `make agents-golden`) translate on
// every route with default settings, each field that does not cross is noted, unknown fields
// are dropped (or refused when strict), and the mappings the agents rely on hold.
class TestTranslationPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void agentBodies_data();
    void agentBodies();
    void unknownFieldStrictOrLenient_data();
    void unknownFieldStrictOrLenient();
    void reasoningEffort_data();
    void reasoningEffort();
    void reasoningEffortToThinking_data();
    void reasoningEffortToThinking();
    void claudeCodeMappings();
    void codexNamespaceToolsRoundTrip();
    void codexWebSearch();
    void customToolBecomesFunction();
    void summaryHeaderIsAscii();
    void refusalNamesTheTranslation();
};

namespace {

QJsonObject agentBody(const QString &name)
{
    QFile file(QStringLiteral(QT_TESTCASE_SOURCEDIR "/data/agents/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(file.fileName()));
    return QJsonDocument::fromJson(file.readAll()).object();
}

QStringList noteFields(const TranslationPolicy &policy, TranslationNote::Action action)
{
    QStringList out;
    for (const TranslationNote &n : policy.notes()) {
        if (n.action == action)
            out << n.field;
    }
    return out;
}

// Top-level fields each API documents (the fake upstream of tests/agents refuses others, as
// the real APIs do).
const QStringList s_chatFields{u"model"_s, u"messages"_s, u"max_tokens"_s, u"max_completion_tokens"_s, u"temperature"_s,
                               u"top_p"_s, u"stop"_s, u"stream"_s, u"stream_options"_s, u"tools"_s, u"tool_choice"_s,
                               u"parallel_tool_calls"_s, u"user"_s, u"reasoning_effort"_s, u"response_format"_s};
const QStringList s_messagesFields{u"model"_s, u"messages"_s, u"system"_s, u"max_tokens"_s, u"temperature"_s,
                                   u"top_p"_s, u"top_k"_s, u"stop_sequences"_s, u"stream"_s, u"tools"_s,
                                   u"tool_choice"_s, u"metadata"_s, u"thinking"_s};

} // namespace

void TestTranslationPolicy::agentBodies_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("targetModel");
    QTest::addColumn<QStringList>("mustDrop");
    QTest::addColumn<QStringList>("mustMap");
    const QStringList claudeDrops{u"context_management"_s, u"cache_control"_s, u"tools[].defer_loading"_s};
    QTest::newRow("Claude Code first turn → gpt-5-mini")
        << u"claude-code-2.1.328-first-turn.json"_s << u"gpt-5-mini"_s << claudeDrops
        << QStringList{u"output_config.effort"_s, u"max_tokens"_s, u"metadata.user_id"_s, u"messages[].role \"system\""_s};
    QTest::newRow("Claude Code tool result → gpt-4o-mini (no reasoning)")
        << u"claude-code-2.1.328-tool-result-turn.json"_s << u"gpt-4o-mini"_s
        << (claudeDrops + QStringList{u"output_config.effort"_s}) << QStringList{u"metadata.user_id"_s};
    const QStringList codexDrops{u"client_metadata"_s, u"store"_s, u"include"_s, u"reasoning.summary"_s,
                                 u"prompt_cache_key"_s};
    QTest::newRow("Codex first turn → claude-sonnet-4-5")
        << u"codex-0.169.0-first-turn.json"_s << u"claude-sonnet-4-5"_s << codexDrops << QStringList{};
    QTest::newRow("Codex tool result → claude-3-5-haiku")
        << u"codex-0.169.0-tool-result-turn.json"_s << u"claude-3-5-haiku-latest"_s << codexDrops << QStringList{};
}

void TestTranslationPolicy::agentBodies()
{
    QFETCH(QString, file);
    QFETCH(QString, targetModel);
    QFETCH(QStringList, mustDrop);
    QFETCH(QStringList, mustMap);
    const QJsonObject body = agentBody(file);
    const bool codex = file.startsWith("codex"_L1);
    TranslationPolicy policy(codex ? u"Responses → Messages"_s : u"Messages → Chat Completions"_s,
                             TranslationPolicy::Mode::Lenient, targetModel);
    const Result<QJsonObject> out = codex ? ResponsesToMessages::translate(body, targetModel, policy)
                                          : MessagesToChat::translate(body, targetModel, policy);
    QVERIFY2(out.ok(), qPrintable(out.ok() ? QString() : out.error().message));
    const QStringList dropped = noteFields(policy, TranslationNote::Action::Dropped);
    for (const QString &field : mustDrop)
        QVERIFY2(dropped.contains(field), qPrintable(field + " not among "_L1 + dropped.join(", "_L1)));
    const QStringList mapped = noteFields(policy, TranslationNote::Action::Mapped);
    for (const QString &field : mustMap)
        QVERIFY2(mapped.contains(field), qPrintable(field + " not among "_L1 + mapped.join(", "_L1)));
    // Nothing the target's API would refuse as unknown goes upstream.
    const QStringList allowed = codex ? s_messagesFields : s_chatFields;
    for (const QString &key : out.value().keys())
        QVERIFY2(allowed.contains(key), qPrintable(key));
    QCOMPARE(out.value().value("model"_L1).toString(), targetModel);
    QVERIFY(!out.value().value("messages"_L1).toArray().isEmpty());
    // The target gets every tool the agent offered (deferred ones and namespaced ones too).
    if (!codex)
        QCOMPARE(out.value().value("tools"_L1).toArray().size(), body.value("tools"_L1).toArray().size());
}

void TestTranslationPolicy::unknownFieldStrictOrLenient_data()
{
    QTest::addColumn<int>("direction");
    QTest::addColumn<bool>("strict");
    for (int d = 0; d < 3; ++d) {
        QTest::addRow("direction %d lenient", d) << d << false;
        QTest::addRow("direction %d strict", d) << d << true;
    }
}

void TestTranslationPolicy::unknownFieldStrictOrLenient()
{
    QFETCH(int, direction);
    QFETCH(bool, strict);
    const auto mode = strict ? TranslationPolicy::Mode::Strict : TranslationPolicy::Mode::Lenient;
    TranslationPolicy policy(u"test"_s, mode, u"m"_s);
    QJsonObject request{{u"model"_s, u"x"_s}, {u"future_hint_2027"_s, QJsonObject{{u"a"_s, 1}}}};
    bool ok = false;
    if (direction == 0) {
        request.insert("messages"_L1, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"hi"_s}}});
        request.insert("max_tokens"_L1, 10);
        ok = MessagesToChat::translate(request, u"m"_s, policy).ok();
    } else if (direction == 1) {
        request.insert("messages"_L1, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"hi"_s}}});
        ok = ChatToMessages::translate(request, u"m"_s, policy).ok();
    } else {
        request.insert("input"_L1, u"hi"_s);
        ok = ResponsesToMessages::translate(request, u"m"_s, policy).ok();
    }
    QCOMPARE(ok, !strict);
    if (!strict)
        QVERIFY(noteFields(policy, TranslationNote::Action::Dropped).contains(u"future_hint_2027"_s));
}

void TestTranslationPolicy::reasoningEffort_data()
{
    QTest::addColumn<QJsonObject>("extra");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("expected"); // reasoning_effort sent, empty: none
    const QJsonObject adaptiveHigh{{u"thinking"_s, QJsonObject{{u"type"_s, u"adaptive"_s}}},
                                   {u"output_config"_s, QJsonObject{{u"effort"_s, u"high"_s}}}};
    QTest::newRow("adaptive + effort high → gpt-5") << adaptiveHigh << u"gpt-5"_s << u"high"_s;
    QTest::newRow("adaptive + effort high → o3") << adaptiveHigh << u"o3"_s << u"high"_s;
    QTest::newRow("adaptive + effort high → gpt-4o-mini: dropped") << adaptiveHigh << u"gpt-4o-mini"_s << QString();
    QTest::newRow("effort max → gpt-5: high")
        << QJsonObject{{u"output_config"_s, QJsonObject{{u"effort"_s, u"max"_s}}}} << u"gpt-5"_s << u"high"_s;
    QTest::newRow("enabled budget 2000 → low")
        << QJsonObject{{u"thinking"_s, QJsonObject{{u"type"_s, u"enabled"_s}, {u"budget_tokens"_s, 2000}}}}
        << u"gpt-5-mini"_s << u"low"_s;
    QTest::newRow("enabled budget 10000 → medium")
        << QJsonObject{{u"thinking"_s, QJsonObject{{u"type"_s, u"enabled"_s}, {u"budget_tokens"_s, 10000}}}}
        << u"openrouter/openai/o4-mini"_s << u"medium"_s;
    QTest::newRow("adaptive alone: dropped")
        << QJsonObject{{u"thinking"_s, QJsonObject{{u"type"_s, u"adaptive"_s}}}} << u"gpt-5"_s << QString();
    QTest::newRow("disabled: dropped")
        << QJsonObject{{u"thinking"_s, QJsonObject{{u"type"_s, u"disabled"_s}}}} << u"gpt-5"_s << QString();
}

void TestTranslationPolicy::reasoningEffort()
{
    QFETCH(QJsonObject, extra);
    QFETCH(QString, model);
    QFETCH(QString, expected);
    QJsonObject request{{u"model"_s, u"alias"_s},
                        {u"max_tokens"_s, 1000},
                        {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"hi"_s}}}}};
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
        request.insert(it.key(), it.value());
    TranslationPolicy policy(u"Messages → Chat Completions"_s, TranslationPolicy::Mode::Strict, model);
    const auto out = MessagesToChat::translate(request, model, policy);
    QVERIFY2(out.ok(), qPrintable(out.ok() ? QString() : out.error().message));
    QCOMPARE(out.value().value("reasoning_effort"_L1).toString(), expected);
    // Reasoning models take max_completion_tokens and refuse max_tokens.
    const bool reasoning = TranslationPolicy::isOpenAiReasoningModel(model);
    QCOMPARE(out.value().contains("max_completion_tokens"_L1), reasoning);
    QCOMPARE(out.value().contains("max_tokens"_L1), !reasoning);
    QCOMPARE(policy.notes().isEmpty(), false); // either mapped or dropped, never silent
}

void TestTranslationPolicy::reasoningEffortToThinking_data()
{
    QTest::addColumn<QString>("effort");
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("budget"); // 0: no thinking
    QTest::newRow("low → 2048") << u"low"_s << u"claude-sonnet-4-5"_s << 2048;
    QTest::newRow("medium → 8192") << u"medium"_s << u"claude-opus-4-1"_s << 8192;
    QTest::newRow("high → 16384") << u"high"_s << u"claude-3-7-sonnet-latest"_s << 16384;
    QTest::newRow("minimal: none") << u"minimal"_s << u"claude-sonnet-4-5"_s << 0;
    QTest::newRow("3.5 haiku cannot think") << u"high"_s << u"claude-3-5-haiku-latest"_s << 0;
}

void TestTranslationPolicy::reasoningEffortToThinking()
{
    QFETCH(QString, effort);
    QFETCH(QString, model);
    QFETCH(int, budget);
    const QJsonObject request{{u"model"_s, u"alias"_s},
                              {u"max_tokens"_s, 1000},
                              {u"reasoning_effort"_s, effort},
                              {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"hi"_s}}}}};
    TranslationPolicy policy(u"Chat Completions → Messages"_s, TranslationPolicy::Mode::Strict, model);
    const auto out = ChatToMessages::translate(request, model, policy);
    QVERIFY(out.ok());
    const QJsonObject thinking = out.value().value("thinking"_L1).toObject();
    QCOMPARE(thinking.value("budget_tokens"_L1).toInt(), budget);
    if (budget) // Anthropic wants max_tokens above the budget
        QVERIFY(out.value().value("max_tokens"_L1).toInt() > budget);
    QCOMPARE(policy.notes().size(), 1);
}

void TestTranslationPolicy::claudeCodeMappings()
{
    const QJsonObject body = agentBody(u"claude-code-2.1.328-first-turn.json"_s);
    TranslationPolicy policy(u"Messages → Chat Completions"_s, TranslationPolicy::Mode::Lenient, u"gpt-5"_s);
    const auto out = MessagesToChat::translate(body, u"gpt-5"_s, policy);
    QVERIFY(out.ok());
    // metadata.user_id (a ~150-character JSON string) → a short, stable `user`.
    const QString user = out.value().value("user"_L1).toString();
    QVERIFY(user.startsWith("sy-"_L1));
    QVERIFY(user.size() <= 64);
    TranslationPolicy again(u"x"_s, TranslationPolicy::Mode::Lenient, u"gpt-5"_s);
    QCOMPARE(MessagesToChat::translate(body, u"gpt-5"_s, again).value().value("user"_L1).toString(), user);
    // The mid-conversation system turn stays where it was, as a system message.
    const QJsonArray messages = out.value().value("messages"_L1).toArray();
    QCOMPARE(messages.first().toObject().value("role"_L1).toString(), u"system"_s);
    int systemMessages = 0;
    for (const QJsonValue &m : messages)
        systemMessages += m.toObject().value("role"_L1) == "system"_L1 ? 1 : 0;
    QVERIFY(systemMessages >= 2);
    QCOMPARE(out.value().value("reasoning_effort"_L1).toString(), u"high"_s);
    QVERIFY(!out.value().contains("context_management"_L1));
}

void TestTranslationPolicy::codexNamespaceToolsRoundTrip()
{
    const QJsonObject body = agentBody(u"codex-0.169.0-first-turn.json"_s);
    TranslationPolicy policy(u"Responses → Messages"_s, TranslationPolicy::Mode::Lenient, u"claude-sonnet-4-5"_s);
    const auto out = ResponsesToMessages::translate(body, u"claude-sonnet-4-5"_s, policy);
    QVERIFY(out.ok());
    QStringList names;
    for (const QJsonValue &t : out.value().value("tools"_L1).toArray())
        names << t.toObject().value("name"_L1).toString();
    QVERIFY2(names.contains(u"exec_command"_s), qPrintable(names.join(u',')));
    QString namespaced;
    for (const QString &n : std::as_const(names)) {
        if (n.startsWith("multi_agent_v1__"_L1))
            namespaced = n;
    }
    QVERIFY2(!namespaced.isEmpty(), qPrintable(names.join(u',')));
    // The target calls the flattened name; Codex gets its namespace and name back.
    const QJsonObject item = ChatToResponses::functionCallItem(u"fc_1"_s, u"call_1"_s, namespaced, u"{}"_s, u"completed"_s, body);
    QCOMPARE(item.value("namespace"_L1).toString(), u"multi_agent_v1"_s);
    QCOMPARE(u"multi_agent_v1__"_s + item.value("name"_L1).toString(), namespaced);
    const QJsonObject plain = ChatToResponses::functionCallItem(u"fc_2"_s, u"call_2"_s, u"exec_command"_s, u"{}"_s, u"completed"_s, body);
    QVERIFY(!plain.contains("namespace"_L1));
    QCOMPARE(plain.value("name"_L1).toString(), u"exec_command"_s);
    // A namespaced call in the history goes back under its flattened name.
    QJsonObject history = body;
    QJsonArray input = history.value("input"_L1).toArray();
    input.append(QJsonObject{{u"type"_s, u"function_call"_s}, {u"call_id"_s, u"call_9"_s}, {u"namespace"_s, u"multi_agent_v1"_s},
                             {u"name"_s, u"close_agent"_s}, {u"arguments"_s, u"{}"_s}});
    input.append(QJsonObject{{u"type"_s, u"function_call_output"_s}, {u"call_id"_s, u"call_9"_s}, {u"output"_s, u"ok"_s}});
    history.insert("input"_L1, input);
    TranslationPolicy second(u"Responses → Messages"_s, TranslationPolicy::Mode::Lenient, u"claude-sonnet-4-5"_s);
    const QByteArray sent = QJsonDocument(ResponsesToMessages::translate(history, u"claude-sonnet-4-5"_s, second).value()).toJson();
    QVERIFY(sent.contains("\"multi_agent_v1__close_agent\""));
}

// Codex asks for cached search only (external_web_access false): the target's search is live,
// so none is offered. With external access, web_search becomes Anthropic's web search tool.
void TestTranslationPolicy::codexWebSearch()
{
    QJsonObject body = agentBody(u"codex-0.169.0-first-turn.json"_s);
    auto searchTools = [](const QJsonObject &messages) {
        int n = 0;
        for (const QJsonValue &t : messages.value("tools"_L1).toArray())
            n += t.toObject().value("type"_L1) == "web_search_20250305"_L1 ? 1 : 0;
        return n;
    };
    TranslationPolicy cached(u"Responses → Messages"_s, TranslationPolicy::Mode::Lenient, u"claude-sonnet-4-5"_s);
    const auto out = ResponsesToMessages::translate(body, u"claude-sonnet-4-5"_s, cached);
    QVERIFY(out.ok());
    QCOMPARE(searchTools(out.value()), 0);
    QVERIFY(cached.summary().contains("dropped: "));
    QJsonArray tools = body.value("tools"_L1).toArray();
    for (qsizetype i = 0; i < tools.size(); ++i) {
        if (tools.at(i).toObject().value("type"_L1) == "web_search"_L1)
            tools[i] = QJsonObject{{u"type"_s, u"web_search"_s}};
    }
    body.insert("tools"_L1, tools);
    TranslationPolicy live(u"Responses → Messages"_s, TranslationPolicy::Mode::Lenient, u"claude-sonnet-4-5"_s);
    const auto withSearch = ResponsesToMessages::translate(body, u"claude-sonnet-4-5"_s, live);
    QVERIFY(withSearch.ok());
    QCOMPARE(searchTools(withSearch.value()), 1);
}

void TestTranslationPolicy::customToolBecomesFunction()
{
    const QJsonObject request{
        {u"model"_s, u"m"_s},
        {u"input"_s, u"patch it"_s},
        {u"tools"_s, QJsonArray{QJsonObject{{u"type"_s, u"custom"_s}, {u"name"_s, u"apply_patch"_s},
                                            {u"description"_s, u"Apply a patch"_s},
                                            {u"format"_s, QJsonObject{{u"type"_s, u"grammar"_s}, {u"syntax"_s, u"lark"_s},
                                                                      {u"definition"_s, u"start: \"x\""_s}}}}}}};
    TranslationPolicy policy(u"Responses → Messages"_s, TranslationPolicy::Mode::Strict, u"claude-sonnet-4-5"_s);
    const auto out = ResponsesToMessages::translate(request, u"claude-sonnet-4-5"_s, policy);
    QVERIFY(out.ok());
    const QJsonObject tool = out.value().value("tools"_L1).toArray().first().toObject();
    QCOMPARE(tool.value("name"_L1).toString(), u"apply_patch"_s);
    QVERIFY(tool.value("description"_L1).toString().contains("lark"_L1));
    QCOMPARE(tool.value("input_schema"_L1).toObject().value("required"_L1).toArray(), QJsonArray{u"input"_s});
}

void TestTranslationPolicy::summaryHeaderIsAscii()
{
    const QJsonObject body = agentBody(u"claude-code-2.1.328-first-turn.json"_s);
    TranslationPolicy policy(u"Messages → Chat Completions"_s, TranslationPolicy::Mode::Lenient, u"gpt-5"_s);
    QVERIFY(MessagesToChat::translate(body, u"gpt-5"_s, policy).ok());
    const QByteArray header = policy.summary();
    QVERIFY(header.startsWith("Messages -> Chat Completions; dropped: "));
    QVERIFY(header.contains("context_management"));
    QVERIFY(header.contains("mapped: "));
    for (const char c : header)
        QVERIFY(uchar(c) >= 0x20 && uchar(c) < 0x7f);
}

void TestTranslationPolicy::refusalNamesTheTranslation()
{
    const QJsonObject request{{u"model"_s, u"m"_s},
                              {u"n"_s, 3},
                              {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"hi"_s}}}}};
    TranslationPolicy policy(u"Chat Completions → Messages"_s, TranslationPolicy::Mode::Lenient, u"claude"_s);
    const auto out = ChatToMessages::translate(request, u"claude"_s, policy);
    QVERIFY(!out.ok()); // n > 1 changes the answer and has no equivalent: refused even when lenient
    const QString message = policy.refusal(out.error()).message;
    QVERIFY2(message.startsWith("\"n\": "_L1), qPrintable(message));
    QVERIFY2(message.endsWith(u"(Chat Completions → Messages)"_s), qPrintable(message));
}

QTEST_GUILESS_MAIN(TestTranslationPolicy)
#include "tst_TranslationPolicy.moc"
