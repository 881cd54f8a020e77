// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QList>
#include <QRandomGenerator>

namespace Switchyard::Test {

// The request bodies of one synthetic coding-agent session: a fixed prefix (system prompt and
// 20 tools) of about prefixKib, each turn adding an assistant tool call and the tool's result
// to the conversation, as Claude Code or Codex send them. Deterministic for a given seed.
class AgentSession final
{
public:
    // `resultBytes` is the size of each tool result: fixed, or drawn from [min, max] when
    // max > min (file reads vary), in words that compress about as well as source code.
    AgentSession(int prefixKib, int minResultBytes, int maxResultBytes = 0, quint32 seed = 1);

    // The body of the next turn's request (the first has the prefix and one user message).
    QByteArray next();
    // `turns` requests of a new session.
    static QList<QByteArray> requests(int turns, int prefixKib);

private:
    QByteArray text(int bytes);

    QRandomGenerator m_random;
    QByteArray m_tools;
    QByteArray m_conversation;
    int m_minResult;
    int m_maxResult;
    int m_turn = 0;
};

} // namespace Switchyard::Test
