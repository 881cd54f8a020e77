// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pricing/PriceTable.h"
#include "core/config/JsonFieldReader.h"
#include <QDate>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>
#include <algorithm>
#include <tuple>

namespace Switchyard {

namespace {

QString keyOf(const QString &provider, const QString &model)
{
    return provider.toLower() + QLatin1Char('\n') + model.toLower();
}

bool samePrice(const PriceTable::Price &a, const PriceTable::Price &b)
{
    return std::tie(a.inputPerMtok, a.outputPerMtok, a.cachedInputPerMtok, a.cacheWritePerMtok, a.cacheWrite1hPerMtok,
                    a.reasoningPerMtok)
           == std::tie(b.inputPerMtok, b.outputPerMtok, b.cachedInputPerMtok, b.cacheWritePerMtok, b.cacheWrite1hPerMtok,
                       b.reasoningPerMtok);
}

// "gpt-4o-mini-2024-07-18", "claude-3-5-haiku-20241022", "mistral-large-2411", "gpt-4-0613",
// "gemini-2.0-flash-001" lose their stamp; anything else comes back unchanged.
QString undated(const QString &model)
{
    static const QRegularExpression stamp(QStringLiteral("-(\\d{4}-\\d{2}-\\d{2}|\\d{8}|\\d{4}|\\d{3})$"));
    QString base = model;
    base.remove(stamp);
    return base;
}

// The names find() tries, in the order of its rules 1+2, 3 and 4.
QStringList candidates(const QString &model)
{
    QStringList names{model};
    const QString last = model.section(QLatin1Char('/'), -1);
    if (!last.isEmpty() && last != model)
        names.append(last);
    const QString base = undated(last);
    if (!base.isEmpty() && base != last) {
        names.append(base);
        names.append(base + QStringLiteral("-latest"));
    }
    return names;
}

QString isoDate(JsonFieldReader &r, const QJsonObject &object, const QString &path, const QString &key)
{
    QString text = r.string(object, path, key, JsonFieldReader::Required);
    if (!text.isEmpty() && (text.size() != 10 || !QDate::fromString(text, Qt::ISODate).isValid()))
        r.fail(JsonFieldReader::join(path, key), QStringLiteral("expected an ISO date (YYYY-MM-DD), got \"%1\"").arg(text));
    return text;
}

QString pageUrl(JsonFieldReader &r, const QJsonObject &object, const QString &path, const QString &key)
{
    QString text = r.string(object, path, key, JsonFieldReader::Required);
    const QUrl url(text, QUrl::StrictMode);
    const bool web = url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("http");
    if (!text.isEmpty() && (!url.isValid() || !web || url.host().isEmpty()))
        r.fail(JsonFieldReader::join(path, key), QStringLiteral("expected an http(s) URL of the pricing page, got \"%1\"").arg(text));
    return text;
}

PriceTable::Entry readEntry(JsonFieldReader &r, const QJsonValue &value, const QString &path)
{
    const QJsonObject o = r.object(value, path);
    if (!value.isObject())
        return {};
    r.onlyKeys(o, path, {QStringLiteral("provider"), QStringLiteral("model"), QStringLiteral("input_per_mtok"),
                         QStringLiteral("output_per_mtok"), QStringLiteral("cached_input_per_mtok"),
                         QStringLiteral("cache_write_per_mtok"), QStringLiteral("cache_write_1h_per_mtok"),
                         QStringLiteral("reasoning_per_mtok"), QStringLiteral("source"), QStringLiteral("date")});
    PriceTable::Entry entry;
    entry.provider = r.string(o, path, QStringLiteral("provider"), JsonFieldReader::Required);
    entry.model = r.string(o, path, QStringLiteral("model"), JsonFieldReader::Required);
    entry.price.inputPerMtok = r.price(o, path, QStringLiteral("input_per_mtok"), JsonFieldReader::Required).value_or(0);
    entry.price.outputPerMtok = r.price(o, path, QStringLiteral("output_per_mtok"), JsonFieldReader::Required).value_or(0);
    entry.price.cachedInputPerMtok = r.price(o, path, QStringLiteral("cached_input_per_mtok"), JsonFieldReader::Optional);
    entry.price.cacheWritePerMtok = r.price(o, path, QStringLiteral("cache_write_per_mtok"), JsonFieldReader::Optional);
    entry.price.cacheWrite1hPerMtok = r.price(o, path, QStringLiteral("cache_write_1h_per_mtok"), JsonFieldReader::Optional);
    entry.price.reasoningPerMtok = r.price(o, path, QStringLiteral("reasoning_per_mtok"), JsonFieldReader::Optional);
    entry.price.source = pageUrl(r, o, path, QStringLiteral("source"));
    entry.price.date = isoDate(r, o, path, QStringLiteral("date"));
    return entry;
}

void checkVersion(JsonFieldReader &r, const QJsonObject &root)
{
    const QJsonValue version = root.value(QLatin1String("version"));
    if (version.isUndefined())
        r.fail(QStringLiteral("version"), QStringLiteral("missing; this file format is version 1"));
    else if (version != QJsonValue(1))
        r.fail(QStringLiteral("version"), QStringLiteral("unsupported version %1; expected 1")
                                              .arg(version.isDouble() ? QString::number(version.toDouble())
                                                                      : JsonFieldReader::typeName(version)));
}

} // namespace

Result<PriceTable> PriceTable::fromJson(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{QStringLiteral("(root): invalid JSON at offset %1: %2").arg(parseError.offset).arg(parseError.errorString())};
    if (!doc.isObject())
        return Error{QStringLiteral("(root): expected an object, got %1").arg(doc.isArray() ? QStringLiteral("an array") : QStringLiteral("a scalar"))};

    JsonFieldReader r;
    const QJsonObject root = doc.object();
    r.onlyKeys(root, QString(), {QStringLiteral("version"), QStringLiteral("updated"), QStringLiteral("models")});
    checkVersion(r, root);
    PriceTable table;
    table.m_updated = isoDate(r, root, QString(), QStringLiteral("updated"));
    const QJsonArray models = r.array(root, QString(), QStringLiteral("models"), JsonFieldReader::Required);
    QHash<QString, qsizetype> seen; // key -> index in "models"
    for (qsizetype i = 0; i < models.size(); ++i) {
        const QString path = QStringLiteral("models[%1]").arg(i);
        const Entry entry = readEntry(r, models.at(i), path);
        if (entry.provider.isEmpty() || entry.model.isEmpty())
            continue;
        const QString key = keyOf(entry.provider, entry.model);
        if (const auto first = seen.constFind(key); first != seen.cend()) {
            r.fail(path, QStringLiteral("duplicate of models[%1] (%2 %3)").arg(*first).arg(entry.provider, entry.model));
            continue;
        }
        seen.insert(key, i);
        table.insert(entry);
    }
    if (!r.errors().isEmpty())
        return Error{r.errors().join(QStringLiteral("; "))};
    return table;
}

PriceTable PriceTable::builtIn()
{
    // Parsed once; copies share the containers. A broken resource is a packaging bug: it is
    // logged and leaves every cost unknown rather than stopping the gateway.
    static const PriceTable table = [] {
        QFile file(QStringLiteral(":/switchyard/pricing.json"));
        if (!file.open(QIODevice::ReadOnly)) {
            qWarning("pricing.json is missing from the resources; costs stay unknown");
            return PriceTable();
        }
        Result<PriceTable> parsed = fromJson(file.readAll());
        if (!parsed) {
            qWarning("pricing.json: %s; costs stay unknown", qPrintable(parsed.error().message));
            return PriceTable();
        }
        return std::move(parsed).value();
    }();
    return table;
}

void PriceTable::applyOverrides(const QList<PriceOverride> &overrides)
{
    for (const PriceOverride &o : overrides) {
        Price price;
        price.inputPerMtok = o.inputPerMtok;
        price.outputPerMtok = o.outputPerMtok;
        price.cachedInputPerMtok = o.cachedInputPerMtok;
        price.source = QStringLiteral("config");
        // An override of a table entry keeps its place in the table (rule 2) with the new price.
        if (const auto it = m_byKey.constFind(keyOf(o.provider, o.model)); it != m_byKey.cend())
            m_entries[*it].price = price;
        else
            insert(Entry{o.provider, o.model, price, false});
    }
}

std::optional<PriceTable::Price> PriceTable::find(const QString &provider, const QString &model) const
{
    for (const QString &name : candidates(model)) {
        if (const Entry *entry = exact(provider, name))
            return entry->price;
        if (const Entry *entry = anyListed(name))
            return entry->price;
    }
    return std::nullopt;
}

std::optional<double> PriceTable::cost(const QString &provider, const QString &model, const Usage &usage) const
{
    if (usage.isEmpty())
        return std::nullopt;
    const std::optional<Price> price = find(provider, model);
    if (!price)
        return std::nullopt;
    const qint64 prompt = std::max<qint64>(0, usage.promptTokens.value_or(0));
    const qint64 cached = std::clamp<qint64>(usage.cachedPromptTokens.value_or(0), 0, prompt);
    const qint64 write5m = std::clamp<qint64>(usage.cacheWriteTokens.value_or(0), 0, prompt - cached);
    const qint64 write1h = std::clamp<qint64>(usage.cacheWrite1hTokens.value_or(0), 0, prompt - cached - write5m);
    const qint64 completion = std::max<qint64>(0, usage.completionTokens.value_or(0));
    const qint64 reasoning = std::clamp<qint64>(usage.reasoningTokens.value_or(0), 0, completion);
    const double cachedRate = price->cachedInputPerMtok.value_or(price->inputPerMtok);
    const double writeRate = price->cacheWritePerMtok.value_or(price->inputPerMtok);
    const double write1hRate = price->cacheWrite1hPerMtok.value_or(writeRate);
    const double reasoningRate = price->reasoningPerMtok.value_or(price->outputPerMtok);
    // One division at the end keeps the sum as exact as the per-token products allow.
    return (double(prompt - cached - write5m - write1h) * price->inputPerMtok + double(cached) * cachedRate
            + double(write5m) * writeRate + double(write1h) * write1hRate
            + double(completion - reasoning) * price->outputPerMtok + double(reasoning) * reasoningRate)
           / 1e6;
}

void PriceTable::insert(const Entry &entry)
{
    const qsizetype index = m_entries.size();
    m_entries.append(entry);
    m_byKey.insert(keyOf(entry.provider, entry.model), index);
    if (entry.listed)
        m_byModel[entry.model.toLower()].append(index);
}

const PriceTable::Entry *PriceTable::exact(const QString &provider, const QString &model) const
{
    const auto it = m_byKey.constFind(keyOf(provider, model));
    return it == m_byKey.cend() ? nullptr : &m_entries.at(*it);
}

// The table's entry for a model under any provider, when all of them charge the same.
const PriceTable::Entry *PriceTable::anyListed(const QString &model) const
{
    const auto it = m_byModel.constFind(model.toLower());
    if (it == m_byModel.cend() || it->isEmpty())
        return nullptr;
    const Entry &first = m_entries.at(it->constFirst());
    const bool agree = std::all_of(it->cbegin(), it->cend(),
                                   [&](qsizetype i) { return samePrice(m_entries.at(i).price, first.price); });
    return agree ? &first : nullptr;
}

} // namespace Switchyard
