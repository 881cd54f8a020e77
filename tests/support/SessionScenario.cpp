// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/SessionScenario.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/TestConfigs.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

namespace Switchyard::Test {

using namespace Qt::Literals::StringLiterals;
using Behaviour = FakeProvider::Behaviour;

namespace {

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject tool(const QString &name, const QString &description)
{
    const QJsonObject schema{{u"type"_s, u"object"_s},
                             {u"properties"_s, QJsonObject{{u"command"_s, QJsonObject{{u"type"_s, u"string"_s}}}}}};
    return {{u"name"_s, name}, {u"description"_s, description}, {u"input_schema"_s, schema}};
}

QJsonObject text(const QString &role, const QString &body)
{
    return {{u"role"_s, role}, {u"content"_s, QJsonArray{QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, body}}}}};
}

// A Claude Code request: tools, a marked system prompt, the conversation so far.
QByteArray claudeBody(const QString &model, const QString &bashDescription, const QJsonArray &messages)
{
    const QString system = u"You are Claude Code, Anthropic's official CLI for Claude. "_s.repeated(60);
    const QJsonObject block{{u"type"_s, u"text"_s}, {u"text"_s, system},
                            {u"cache_control"_s, QJsonObject{{u"type"_s, u"ephemeral"_s}}}};
    const QString userId = u"{\"device_id\":\"d3v1c3\",\"account_uuid\":\"\",\"session_id\":\"%1\"}"_s.arg(SessionScenario::ClaudeSession);
    return compact({{u"model"_s, model},
                    {u"max_tokens"_s, 32000},
                    {u"metadata"_s, QJsonObject{{u"user_id"_s, userId}}},
                    {u"system"_s, QJsonArray{block}},
                    {u"tools"_s, QJsonArray{tool(u"Task"_s, u"Launch a new agent to handle complex, multi-step tasks autonomously."_s),
                                            tool(u"Bash"_s, bashDescription), tool(u"Read"_s, u"Reads a file from the local filesystem."_s)}},
                    {u"messages"_s, messages}});
}

QJsonObject codexMessage(const QString &role, const QString &body)
{
    const QString type = role == "user"_L1 ? u"input_text"_s : u"output_text"_s;
    return {{u"type"_s, u"message"_s}, {u"role"_s, role}, {u"content"_s, QJsonArray{QJsonObject{{u"type"_s, type}, {u"text"_s, body}}}}};
}

QByteArray codexBody(const QJsonArray &input, int turn)
{
    const QJsonObject shell{{u"type"_s, u"function"_s}, {u"name"_s, u"shell"_s}, {u"description"_s, u"Runs a shell command and returns its output."_s},
                            {u"parameters"_s, QJsonObject{{u"type"_s, u"object"_s}}}};
    const QString meta = u"{\"session_id\":\"%1\",\"turn_id\":\"turn-%2\"}"_s.arg(SessionScenario::CodexSession).arg(turn);
    return compact({{u"model"_s, u"codex"_s},
                    {u"instructions"_s, u"You are Codex, based on GPT-5. You are running as a coding agent. "_s.repeated(60)},
                    {u"input"_s, input},
                    {u"tools"_s, QJsonArray{shell}},
                    {u"prompt_cache_key"_s, SessionScenario::CodexSession},
                    {u"client_metadata"_s, QJsonObject{{u"x-codex-turn-metadata"_s, meta}}},
                    {u"store"_s, false},
                    {u"stream"_s, false}});
}

FakeProvider::Reply usage(int prompt, int cached, int written)
{
    FakeProvider::Reply r;
    r.promptTokens = prompt;
    r.completionTokens = 120;
    r.cachedTokens = cached;
    r.cacheWriteTokens = written;
    return r;
}

} // namespace

SessionScenario::SessionScenario() = default;

Config SessionScenario::config() const
{
    Config config = TestConfigs::base();
    auto anthropic = [](const QString &name, quint16 port) {
        ProviderConfig p = TestConfigs::provider(name, port);
        p.kind = ProviderKind::Anthropic;
        p.baseUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
        return p;
    };
    config.providers = {anthropic(u"anthropic-a"_s, a.port()), anthropic(u"anthropic-b"_s, b.port()),
                        TestConfigs::provider(u"openai-c"_s, c.port())};
    config.aliases = {TestConfigs::alias(u"claude"_s, Strategy::Fallback,
                                         {TestConfigs::target(u"anthropic-a"_s, u"claude-sonnet-4-5"_s),
                                          TestConfigs::target(u"anthropic-b"_s, u"claude-sonnet-4-5"_s)}),
                      TestConfigs::alias(u"haiku"_s, Strategy::Fallback, {TestConfigs::target(u"anthropic-a"_s, u"claude-haiku-4-5"_s)}),
                      TestConfigs::alias(u"codex"_s, Strategy::Fallback, {TestConfigs::target(u"openai-c"_s, u"gpt-4.1"_s)})};
    return config;
}

bool SessionScenario::send(quint16 port, const QByteArray &path, const QByteArray &body,
                           const QList<std::pair<QByteArray, QByteArray>> &headers, QStringList *ids)
{
    const RawHttpClient::Response r = RawHttpClient::fetch(port, "POST", path, body, headers);
    if (r.status != 200) {
        qWarning("SessionScenario: %s answered %d: %s", path.constData(), r.status, r.body.left(300).constData());
        return false;
    }
    ids->append(QString::fromLatin1(r.headers.value("x-switchyard-request-id")));
    return true;
}

bool SessionScenario::runClaudeCode(quint16 port)
{
    const QList<std::pair<QByteArray, QByteArray>> headers{
        {"Content-Type", "application/json"}, {"anthropic-version", "2023-06-01"},
        {"User-Agent", "claude-cli/2.1.328 (external, cli)"}, {"x-api-key", "sk-ant-client-key"},
        {"X-Claude-Code-Session-Id", ClaudeSession.toUtf8()}};
    const QString bash = u"Executes a given bash command in a persistent shell session."_s;
    QJsonArray conversation{text(u"user"_s, u"Fix the failing test in tst_Parser."_s)};
    auto grow = [&](int turn) {
        conversation.append(text(u"assistant"_s, u"Running the tests (step %1)."_s.arg(turn)));
        conversation.append(text(u"user"_s, u"Output of step %1: 3 passed, 1 failed."_s.arg(turn)));
    };
    a.setReply(usage(PromptTokens, 0, PromptTokens - 200)); // writes the cache
    bool ok = send(port, "/v1/messages", claudeBody(u"claude"_s, bash, conversation), headers, &claudeIds);
    grow(1);
    a.setReply(usage(PromptTokens + 100, PromptTokens - 200, 250)); // reads it
    ok = ok && send(port, "/v1/messages", claudeBody(u"claude"_s, bash, conversation), headers, &claudeIds);
    grow(2);
    a.setReply(usage(PromptTokens + 200, 0, PromptTokens + 100)); // a tool changed: nothing read
    ok = ok && send(port, "/v1/messages", claudeBody(u"claude"_s, bash + u" Quote paths with spaces."_s, conversation), headers, &claudeIds);
    grow(3);
    a.enqueue(Behaviour::httpError(529, u"Overloaded"_s));
    a.enqueue(Behaviour::httpError(529, u"Overloaded"_s));
    b.setReply(usage(PromptTokens + 300, 0, PromptTokens + 200)); // the other provider's cache is cold
    ok = ok && send(port, "/v1/messages", claudeBody(u"claude"_s, bash + u" Quote paths with spaces."_s, conversation), headers, &claudeIds);
    // A subagent: the same session, a conversation of its own, a smaller model.
    a.setReply(usage(SubagentPromptTokens, 0, SubagentPromptTokens - 100));
    const QJsonArray task{text(u"user"_s, u"Search the repository for every caller of parseHeader()."_s)};
    ok = ok && send(port, "/v1/messages", claudeBody(u"haiku"_s, bash, task), headers, &claudeIds);
    return ok;
}

bool SessionScenario::runCodex(quint16 port)
{
    const QList<std::pair<QByteArray, QByteArray>> headers{
        {"Content-Type", "application/json"}, {"User-Agent", "codex_cli_rs/0.169.0 (Debian 12; x86_64) xterm"},
        {"Authorization", "Bearer sk-codex-client"}, {"session-id", CodexSession.toUtf8()},
        {"thread-id", CodexSession.toUtf8()}, {"originator", "codex_cli_rs"}};
    QJsonArray input{codexMessage(u"user"_s, u"Add a --verbose flag to the CLI."_s)};
    c.setReply(usage(PromptTokens, 0, -1)); // OpenAI caches by itself and reports reads only
    bool ok = send(port, "/v1/responses", codexBody(input, 1), headers, &codexIds);
    input.append(codexMessage(u"assistant"_s, u"I'll look at the argument parser first."_s));
    input.append(codexMessage(u"user"_s, u"Go ahead."_s));
    c.setReply(usage(PromptTokens + 80, PromptTokens - 256, -1));
    ok = ok && send(port, "/v1/responses", codexBody(input, 2), headers, &codexIds);
    input.append(codexMessage(u"assistant"_s, u"Done: the flag is parsed in main.rs."_s));
    input.append(codexMessage(u"user"_s, u"Now document it."_s));
    c.setReply(usage(PromptTokens + 160, 0, -1)); // the test moves this turn 12 minutes later
    ok = ok && send(port, "/v1/responses", codexBody(input, 3), headers, &codexIds);
    return ok;
}

bool SessionScenario::shiftStartedAt(const QString &dbPath, const QString &id, qint64 ms)
{
    const QString name = u"session-scenario-shift"_s;
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(dbPath);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (db.open()) {
            QSqlQuery q(db);
            q.prepare(u"UPDATE requests SET started_at = started_at + ? WHERE id = ?"_s);
            q.addBindValue(ms);
            q.addBindValue(id);
            ok = q.exec() && q.numRowsAffected() == 1;
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

} // namespace Switchyard::Test
