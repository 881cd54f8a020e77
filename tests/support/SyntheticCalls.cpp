// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/SyntheticCalls.h"
#include <array>

namespace Switchyard::Test {

namespace {

struct Target
{
    const char *alias;
    const char *provider;
    const char *model;
    double inputPerMtok;
    double outputPerMtok;
    int typicalMs;
};

constexpr std::array<Target, 6> s_targets{{
    {"general", "openai", "gpt-4o-mini", 0.15, 0.60, 900},
    {"general", "anthropic", "claude-3-5-haiku-latest", 0.80, 4.00, 1200},
    {"cheap", "openrouter", "meta-llama/llama-3.1-8b-instruct", 0.02, 0.03, 600},
    {"long-context", "anthropic", "claude-3-5-sonnet-latest", 3.00, 15.00, 4200},
    {"long-context", "openai", "gpt-4o", 2.50, 10.00, 3100},
    {"embed", "openai", "text-embedding-3-small", 0.02, 0.0, 150},
}};

constexpr std::array<std::pair<ErrorClass, int>, 6> s_failures{{
    {ErrorClass::RateLimited, 429},
    {ErrorClass::Upstream5xx, 503},
    {ErrorClass::TimeoutFirstByte, 504},
    {ErrorClass::ConnectFailed, 502},
    {ErrorClass::Upstream4xx, 400},
    {ErrorClass::StreamInterrupted, 200},
}};

constexpr std::array<std::pair<const char *, const char *>, 4> s_clients{{
    {"OpenAI/Python 1.54.3", "python3"},
    {"claude-cli/1.0.3", "claude"},
    {"curl/7.88.1", "curl"},
    {"OpenAI/JS 4.73.0", "node"},
}};

} // namespace

SyntheticCalls::SyntheticCalls(quint32 seed)
    : m_random(seed)
{
}

CallRecord SyntheticCalls::one(qint64 startedAtMs, bool fail)
{
    const Target &t = s_targets[m_random.bounded(int(s_targets.size()))];
    const auto &[userAgent, process] = s_clients[m_random.bounded(int(s_clients.size()))];
    const bool embedding = QByteArrayView(t.alias) == "embed";
    CallRecord r;
    r.id = QStringLiteral("req_%1%2").arg(startedAtMs, 12, 16, QLatin1Char('0')).arg(++m_serial, 6, 16, QLatin1Char('0'));
    r.startedAt = QDateTime::fromMSecsSinceEpoch(startedAtMs, Qt::UTC);
    r.endpoint = embedding ? QStringLiteral("/v1/embeddings") : QStringLiteral("/v1/chat/completions");
    r.requestedModel = QString::fromLatin1(t.alias);
    r.alias = r.requestedModel;
    r.provider = QString::fromLatin1(t.provider);
    r.model = QString::fromLatin1(t.model);
    r.stream = !embedding && m_random.bounded(2) == 0;
    r.client = QString::fromLatin1(userAgent);
    r.clientProcess = QString::fromLatin1(process);
    r.clientPid = 1000 + m_random.bounded(30000);
    r.project = QStringLiteral("/home/dev/src/%1").arg(QStringList{QStringLiteral("webapp"), QStringLiteral("agent"), QStringLiteral("notes")}.at(m_random.bounded(3)));
    r.durationMs = qMax(20, int(t.typicalMs * (0.4 + 1.4 * m_random.generateDouble())));
    const qint64 prompt = embedding ? 8 + m_random.bounded(200) : 200 + m_random.bounded(6000);
    const qint64 completion = embedding ? 0 : 20 + m_random.bounded(900);
    const QByteArray body = "{\"model\":\"" + QByteArray(t.alias) + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Summarise item "
                            + QByteArray::number(m_serial) + "\"}]" + (r.stream ? ",\"stream\":true" : "") + "}";
    r.requestBody = body;
    r.requestHeaders.add("content-type", "application/json");
    r.requestHeaders.add("authorization", "Bearer ***");
    r.requestHeaders.add("user-agent", r.client.toUtf8());
    Attempt a;
    a.provider = r.provider;
    a.model = r.model;
    a.requestBody = body;
    if (fail) {
        const auto &[errorClass, status] = s_failures[m_random.bounded(int(s_failures.size()))];
        r.ok = false;
        r.errorClass = errorClass;
        r.status = status;
        r.errorMessage = QStringLiteral("%1/%2: %3").arg(r.provider, r.model, errorClassName(errorClass));
        a.status = errorClass == ErrorClass::ConnectFailed || errorClass == ErrorClass::TimeoutFirstByte ? 0 : status;
        a.errorClass = errorClass;
        a.message = r.errorMessage;
        a.durationMs = r.durationMs;
        r.attempts = {a, a};
        r.attempts[1].startedAfterMs = r.durationMs / 2;
        r.responseBody = R"({"error":{"message":")" + r.errorMessage.toUtf8() + R"(","type":"server_error","code":")"
                         + errorClassName(errorClass).toUtf8() + "\"}}";
    } else {
        r.ok = true;
        r.status = 200;
        r.usage.promptTokens = prompt;
        r.usage.completionTokens = completion;
        if (m_random.bounded(4) == 0)
            r.usage.cachedPromptTokens = prompt / 2;
        r.costUsd = (double(prompt) * t.inputPerMtok + double(completion) * t.outputPerMtok) / 1e6;
        r.ttftMs = r.stream ? r.durationMs / 4 : r.durationMs;
        a.status = 200;
        a.durationMs = r.durationMs;
        r.attempts = {a};
        r.responseBody = R"({"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Done."},"finish_reason":"stop"}],"usage":{"prompt_tokens":)"
                         + QByteArray::number(prompt) + R"(,"completion_tokens":)" + QByteArray::number(completion) + "}}";
        r.responseHeaders.add("content-type", "application/json");
    }
    return r;
}

QList<CallRecord> SyntheticCalls::generate(int count, qint64 fromMs, qint64 toMs, double errorRate)
{
    QList<CallRecord> records;
    records.reserve(count);
    const double step = count > 1 ? double(toMs - fromMs) / (count - 1) : 0;
    for (int i = 0; i < count; ++i)
        records.append(one(fromMs + qint64(step * i), m_random.generateDouble() < errorRate));
    return records;
}

} // namespace Switchyard::Test
