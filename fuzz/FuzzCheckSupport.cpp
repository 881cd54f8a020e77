// SPDX-License-Identifier: GPL-3.0-or-later
#include "fuzz/FuzzCheckSupport.h"
#include "fuzz/FuzzChecks.h"
#include <QJsonDocument>
#include <cstdio>
#include <cstdlib>

namespace Switchyard::FuzzChecks {

void failed(const char *what, const char *file, int line, const QByteArray &detail)
{
    std::fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", what, file, line);
    if (!detail.isEmpty())
        std::fprintf(stderr, "%s\n", detail.constData());
    std::fflush(stderr);
    std::abort();
}

ByteChunks::ByteChunks(QByteArrayView data, quint32 plan)
    : m_data(data)
    , m_plan(plan)
    , m_state(plan | 1)
{}

QByteArrayView ByteChunks::next()
{
    qsizetype size = m_data.size() - m_offset;
    if (m_plan == 1) {
        size = 1;
    } else if (m_plan != 0) {
        m_state ^= m_state << 13; // xorshift32
        m_state ^= m_state >> 17;
        m_state ^= m_state << 5;
        size = qMin<qsizetype>(size, 1 + m_state % 64);
    }
    const QByteArrayView chunk = m_data.sliced(m_offset, qMin(size, m_data.size() - m_offset));
    m_offset += chunk.size();
    return chunk;
}

quint32 planFor(QByteArrayView input)
{
    quint32 h = 2166136261u;
    for (const char c : input)
        h = (h ^ quint8(c)) * 16777619u;
    return h < 2 ? h + 2 : h;
}

std::optional<QJsonObject> jsonObject(QByteArrayView input)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(input.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

bool isJson(const QByteArray &bytes)
{
    QJsonParseError error;
    QJsonDocument::fromJson(bytes, &error);
    return error.error == QJsonParseError::NoError;
}

QList<Target> targets()
{
    return {{"fuzz_HttpRequestParser", httpRequestParser}, {"fuzz_SseParser", sseParser},
            {"fuzz_DialectRequest", dialectRequest},       {"fuzz_DialectResponse", dialectResponse},
            {"fuzz_DialectStream", dialectStream},         {"fuzz_ConfigParser", configParser},
            {"fuzz_OpenAiBody", openAiBody},               {"fuzz_ResponsesDialect", responsesDialect}};
}

} // namespace Switchyard::FuzzChecks
