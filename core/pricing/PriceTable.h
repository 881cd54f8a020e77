// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/record/CallRecord.h"
#include "core/util/Result.h"
#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <optional>

namespace Switchyard {

// List prices in USD per million tokens, keyed by provider and model, and the cost of a call.
//
// find() tries, in order, and returns the first hit:
//   1. the exact provider and model;
//   2. the same model under any provider of the pricing table (not of config overrides), when
//      every table entry for that model charges the same price ("work-openai" serving gpt-4o-mini);
//   3. for a model id with a vendor prefix ("openai/gpt-4o-mini" on OpenRouter), its last
//      segment, by rules 1 and 2;
//   4. for a dated or versioned snapshot ("gpt-4o-mini-2024-07-18", "claude-3-5-haiku-20241022",
//      "mistral-large-2411", "gemini-2.0-flash-001"), its undated base and then the base's
//      "-latest" alias, by rules 1 and 2.
// Provider and model names compare case-insensitively. Anything else is unpriced (nullopt).
class PriceTable final
{
public:
    struct Price
    {
        double inputPerMtok = 0;
        double outputPerMtok = 0;
        std::optional<double> cachedInputPerMtok; // cache reads; nullopt: billed as input
        std::optional<double> cacheWritePerMtok;  // cache writes (Anthropic 5-minute); nullopt: billed as input
        std::optional<double> cacheWrite1hPerMtok; // Anthropic 1-hour cache writes; nullopt: as 5-minute writes
        std::optional<double> reasoningPerMtok;   // reasoning tokens; nullopt: billed as output
        QString source;                           // pricing page URL, or "config"
        QString date;                             // ISO date the price was read
        bool operator==(const Price &) const = default;
    };

    struct Entry
    {
        QString provider;
        QString model;
        Price price;
        bool listed = true; // from the pricing table; false: added by a config override
    };

    // Parses {"version":1,"updated":"YYYY-MM-DD","models":[...]}; every problem is reported,
    // each naming its place ("models[3].input_per_mtok: ...").
    static Result<PriceTable> fromJson(const QByteArray &json);
    // The table shipped in the resources (:/switchyard/pricing.json).
    static PriceTable builtIn();

    // Config entries win: they replace the price of the same provider and model, or add one.
    void applyOverrides(const QList<PriceOverride> &overrides);

    std::optional<Price> find(const QString &provider, const QString &model) const;

    // USD for one call. Cache reads and writes are part of promptTokens (OpenAI semantics) and are
    // billed at their own rates when the model has them; reasoning tokens, part of
    // completionTokens, likewise. nullopt when the model is unpriced or
    // the usage is empty; never 0 for "unknown".
    std::optional<double> cost(const QString &provider, const QString &model, const Usage &usage) const;

    const QList<Entry> &entries() const { return m_entries; }
    QString updated() const { return m_updated; }

private:
    void insert(const Entry &entry);
    const Entry *exact(const QString &provider, const QString &model) const;
    const Entry *anyListed(const QString &model) const;

    QList<Entry> m_entries;                   // in table order
    QHash<QString, qsizetype> m_byKey;        // "provider\nmodel", lower case -> index
    QHash<QString, QList<qsizetype>> m_byModel; // model, lower case -> listed indexes
    QString m_updated;
};

} // namespace Switchyard
