// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/AgentSession.h"

namespace Switchyard::Test {

namespace {

QByteArray message(int turn, const char *role, const QByteArray &content)
{
    return "{\"role\":\"" + QByteArray(role) + "\",\"content\":\"turn " + QByteArray::number(turn) + ' ' + content + "\"}";
}

} // namespace

AgentSession::AgentSession(int prefixKib, int minResultBytes, int maxResultBytes, quint32 seed)
    : m_random(seed)
    , m_minResult(minResultBytes)
    , m_maxResult(qMax(minResultBytes, maxResultBytes))
{
    for (int t = 0; t < 20; ++t)
        m_tools += (t ? "," : "") + QByteArray("{\"type\":\"function\",\"function\":{\"name\":\"tool") + QByteArray::number(t)
            + "\",\"description\":\"" + QByteArray(prefixKib * 1024 / 40, char('k' + t % 5)) + "\"}}";
    const QByteArray system = "{\"role\":\"system\",\"content\":\"" + QByteArray(prefixKib * 1024 / 2, 's') + "\"}";
    m_conversation = system + ',' + message(0, "user", QByteArray(400, 'a'));
}

QByteArray AgentSession::text(int bytes)
{
    if (m_maxResult == m_minResult) // the fixed filler of the first measurements (1.28 % at 200 turns)
        return QByteArray(bytes, char('a' + m_turn % 26));
    static const QByteArrayList words{"int", "return", "const", "auto", "QString", "if", "for", "value", "m_state",
                                      "std::move", "nullptr", "else", "result", "error", "{", "}", "(", ");", "=", "->"};
    QByteArray out;
    out.reserve(bytes + 16);
    while (out.size() < bytes)
        out += words.at(int(m_random.bounded(quint32(words.size())))) + (m_random.bounded(8) ? " " : "\\n");
    out.truncate(bytes);
    if (out.endsWith('\\'))
        out.chop(1);
    return out;
}

QByteArray AgentSession::next()
{
    ++m_turn;
    const QByteArray body = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[" + m_conversation + "],\"tools\":[" + m_tools + "]}";
    const int resultBytes = m_maxResult > m_minResult ? int(m_random.bounded(m_minResult, m_maxResult + 1))
                                                      : m_minResult + m_turn % 300;
    m_conversation += ",{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_" + QByteArray::number(m_turn)
        + "\",\"type\":\"function\",\"function\":{\"name\":\"tool3\",\"arguments\":\"{\\\"path\\\":\\\"src/file"
        + QByteArray::number(m_turn) + ".cpp\\\"}\"}}]}," + message(m_turn, "tool", text(resultBytes));
    return body;
}

QList<QByteArray> AgentSession::requests(int turns, int prefixKib)
{
    AgentSession session(prefixKib, 700);
    QList<QByteArray> bodies;
    for (int i = 0; i < turns; ++i)
        bodies << session.next();
    return bodies;
}

} // namespace Switchyard::Test
