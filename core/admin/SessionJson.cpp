// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/admin/SessionJson.h"
#include "core/admin/RequestJson.h"
#include <QJsonArray>
#include <algorithm>
#include <numeric>

namespace Switchyard::SessionJson {

using namespace Qt::Literals::StringLiterals;

namespace {

QJsonValue orNull(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue();
}

QString time(qint64 ms)
{
    return RequestJson::timestamp(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC));
}

// Tokens by kind, each counted once: input here is what was neither read from nor written to
// the cache (promptTokens holds all three, in OpenAI's way).
QJsonObject tokens(qint64 prompt, qint64 cacheRead, qint64 cacheWrite, qint64 output, qint64 reasoning)
{
    return {{u"input"_s, std::max<qint64>(0, prompt - cacheRead - cacheWrite)},
            {u"cache_read"_s, cacheRead},
            {u"cache_write"_s, cacheWrite},
            {u"output"_s, output},
            {u"reasoning"_s, reasoning}};
}

QJsonObject tokensOf(const Usage &u)
{
    return tokens(u.promptTokens.value_or(0), u.cachedPromptTokens.value_or(0),
                  u.cacheWriteTokens.value_or(0) + u.cacheWrite1hTokens.value_or(0), u.completionTokens.value_or(0),
                  u.reasoningTokens.value_or(0));
}

} // namespace

QString changeKindName(SegmentChange::Kind kind)
{
    switch (kind) {
    case SegmentChange::Kind::Added: return u"added"_s;
    case SegmentChange::Kind::Removed: return u"removed"_s;
    case SegmentChange::Kind::Changed: return u"changed"_s;
    }
    return u"changed"_s;
}

std::optional<double> lostUsd(const PriceTable &prices, const QString &provider, const QString &model, qint64 missedTokens)
{
    const std::optional<PriceTable::Price> price = prices.find(provider, model);
    if (!price)
        return std::nullopt;
    const double saving = price->inputPerMtok - price->cachedInputPerMtok.value_or(price->inputPerMtok);
    return double(missedTokens) * saving / 1e6;
}

QJsonObject summary(const SessionSummary &s, const PriceTable &prices)
{
    double lost = 0;
    bool lostKnown = true;
    for (const SessionSummary::Missed &m : s.missed) {
        const std::optional<double> usd = lostUsd(prices, m.provider, m.model, m.tokens);
        lost += usd.value_or(0);
        lostKnown = lostKnown && usd.has_value();
    }
    return {{u"id"_s, s.id},
            {u"client"_s, s.client},
            {u"client_process"_s, s.clientProcess},
            {u"project"_s, s.project},
            {u"first_call"_s, time(s.firstMs)},
            {u"last_call"_s, time(s.lastMs)},
            {u"turns"_s, s.turns},
            {u"subagent_turns"_s, s.subagentTurns},
            {u"tokens"_s, tokens(s.promptTokens, s.cachedTokens, s.cacheWriteTokens, s.completionTokens, s.reasoningTokens)},
            {u"cost_usd"_s, s.costUsd},
            {u"unpriced_turns"_s, s.unpriced},
            {u"cache_hit_rate"_s, s.promptTokens > 0 ? QJsonValue(double(s.cachedTokens) / double(s.promptTokens)) : QJsonValue()},
            {u"missed_cache_tokens"_s, std::accumulate(s.missed.cbegin(), s.missed.cend(), qint64(0),
                                                       [](qint64 sum, const SessionSummary::Missed &m) { return sum + m.tokens; })},
            {u"lost_usd"_s, lostKnown ? QJsonValue(lost) : QJsonValue()}};
}

QJsonObject turn(const SessionTurnReport &t, const PriceTable &prices)
{
    const CallRecord &r = t.call;
    QJsonArray changes;
    for (qsizetype i = 0; i < t.changes.size(); ++i) {
        const SegmentChange &c = t.changes.at(i);
        QJsonObject o{{u"kind"_s, changeKindName(c.kind)},
                      {u"segment"_s, c.label},
                      {u"bytes"_s, c.bytes},
                      {u"tokens"_s, t.changeTokens.value(i)}};
        if (!c.detail.isEmpty())
            o.insert(u"detail"_s, c.detail);
        changes.append(o);
    }
    const QJsonObject context{{u"system"_s, t.context.system},
                              {u"tools"_s, t.context.tools},
                              {u"history"_s, t.context.history},
                              {u"new_turn"_s, t.context.newTurn}};
    const QJsonObject cache{{u"verdict"_s, CacheDoctor::verdictName(t.cache.verdict)},
                            {u"reason"_s, t.cache.reason},
                            {u"missed_tokens"_s, t.cache.missedTokens},
                            {u"lost_usd"_s, orNull(lostUsd(prices, r.provider, r.model, t.cache.missedTokens))}};
    return {{u"request_id"_s, r.id},
            {u"started_at"_s, RequestJson::timestamp(r.startedAt)},
            {u"previous_request_id"_s, t.previousId.isEmpty() ? QJsonValue() : QJsonValue(t.previousId)},
            {u"subagent"_s, t.subagent},
            {u"line"_s, t.line},
            {u"alias"_s, r.alias},
            {u"provider"_s, r.provider},
            {u"model"_s, r.model},
            {u"status"_s, r.status},
            {u"outcome"_s, r.ok ? u"ok"_s : u"error"_s},
            {u"tokens"_s, tokensOf(r.usage)},
            {u"cost_usd"_s, orNull(r.costUsd)},
            {u"changes"_s, changes},
            {u"context"_s, context},
            {u"cache"_s, cache}};
}

QJsonObject detail(const QString &id, const QList<SessionTurnReport> &turns, const PriceTable &prices)
{
    QJsonArray list;
    for (const SessionTurnReport &t : turns)
        list.append(turn(t, prices));
    const CallRecord &first = turns.constFirst().call;
    return {{u"id"_s, id},
            {u"client"_s, first.client},
            {u"client_process"_s, first.clientProcess},
            {u"project"_s, first.project},
            {u"first_call"_s, RequestJson::timestamp(first.startedAt)},
            {u"last_call"_s, RequestJson::timestamp(turns.constLast().call.startedAt)},
            {u"turns"_s, list}};
}

} // namespace Switchyard::SessionJson
