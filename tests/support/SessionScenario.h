// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "tests/support/FakeProvider.h"
#include <QStringList>

namespace Switchyard::Test {

// Agent sessions as Claude Code and Codex send them (their real session headers and body
// fields), through the real engine to fake upstreams that report prompt-cache use:
//  - Claude Code (/v1/messages, X-Claude-Code-Session-Id and metadata.user_id): a first turn,
//    a warm turn, a turn whose tool `Bash` changed its description, a turn that falls back to
//    the second provider, and a subagent (a conversation of its own in the same session);
//  - Codex (/v1/responses, session-id / thread-id and client_metadata): a first turn, a warm
//    turn and a third turn the test makes late (expiredTurn) by moving its stored start time.
// Providers "anthropic-a" and "anthropic-b" (Anthropic kind), "openai-c" (OpenAI kind).
class SessionScenario final
{
public:
    static inline const QString ClaudeSession = QStringLiteral("5f1c2b9e-cc01-4d2a-9c3e-claude000001");
    static inline const QString CodexSession = QStringLiteral("0199a1b2-cx01-7c3d-8e4f-codex0000001");
    static constexpr int PromptTokens = 6000;
    static constexpr int SubagentPromptTokens = 3000;

    SessionScenario();
    Config config() const;

    // Each returns false (with a QWARN) when a call did not answer 200.
    bool runClaudeCode(quint16 port);
    bool runCodex(quint16 port);
    // Moves a logged call's start `ms` later in the log file (what a wait would have done).
    static bool shiftStartedAt(const QString &dbPath, const QString &id, qint64 ms);

    QStringList claudeIds; // first, warm, tool changed, fallback, subagent
    QStringList codexIds;  // first, warm, late
    FakeProvider a;
    FakeProvider b;
    FakeProvider c;

private:
    bool send(quint16 port, const QByteArray &path, const QByteArray &body,
              const QList<std::pair<QByteArray, QByteArray>> &headers, QStringList *ids);
};

} // namespace Switchyard::Test
