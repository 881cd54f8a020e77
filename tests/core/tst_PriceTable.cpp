// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/ConfigParser.h"
#include "core/pricing/PriceTable.h"
#include <QDate>
#include <QFile>
#include <QTest>

using namespace Switchyard;

// Declared before the JSON below: moc would read the "//" of its URLs as a comment start.
class TestPriceTable : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shippedTableIsComplete();
    void defaultConfigTargetsArePriced();
    void cost_data();
    void cost();
    void matching_data();
    void matching();
    void emptyTablePricesNothing();
    void overridesReplaceAndAdd();
    void malformed_data();
    void malformed();
};

namespace {

constexpr qint64 absent = -1; // a token count the upstream did not report

std::optional<qint64> tokens(qint64 count)
{
    return count == absent ? std::nullopt : std::optional<qint64>(count);
}

QByteArray document(const QByteArray &models)
{
    return R"({"version":1,"updated":"2026-11-24","models":[)" + models + "]}";
}

QByteArray entry(const char *provider, const char *model, const char *input, const char *output,
                 const char *cached = nullptr)
{
    QByteArray json = R"({"provider":")" + QByteArray(provider) + R"(","model":")" + model
                      + R"(","input_per_mtok":)" + input + R"(,"output_per_mtok":)" + output;
    if (cached)
        json += R"(,"cached_input_per_mtok":)" + QByteArray(cached);
    return json + R"(,"source":"https://example.com/pricing","date":"2026-11-24"})";
}

// A small hand-made table, so that the matching rules do not move with list prices.
PriceTable rulesTable()
{
    const QList<QByteArray> models{
        entry("openai", "gpt-4o-mini", "0.15", "0.60", "0.075"),
        entry("openai", "gpt-4o", "2.50", "10.00", "1.25"),
        entry("openai", "gpt-4o-2024-05-13", "5.00", "15.00"),
        entry("openai", "o3", "2.00", "8.00", "0.50"),
        entry("azure", "o3", "2.00", "8.00", "0.50"),
        entry("anthropic", "claude-3-5-haiku-latest", "0.80", "4.00", "0.08"),
        entry("mistral", "mistral-large-latest", "2.00", "6.00"),
        entry("google", "gemini-2.0-flash", "0.10", "0.40", "0.025"),
        entry("groq", "llama-3.3-70b", "0.59", "0.79"),
        entry("together", "llama-3.3-70b", "0.88", "0.88"),
        entry("openrouter", "meta-llama/llama-3.1-8b-instruct", "0.02", "0.03"),
    };
    const Result<PriceTable> table = PriceTable::fromJson(document(models.join(',')));
    if (!table)
        qFatal("rules table: %s", qPrintable(table.error().message));
    return table.value();
}

const QByteArray validEntry = entry("openai", "gpt-4o", "2.5", "10");

QStringList texts(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *item : items)
        out.append(QString::fromUtf8(item));
    return out;
}

} // namespace

void TestPriceTable::shippedTableIsComplete()
{
    QFile file(QStringLiteral(":/switchyard/pricing.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const Result<PriceTable> parsed = PriceTable::fromJson(file.readAll());
    QVERIFY2(parsed.ok(), qPrintable(parsed ? QString() : parsed.error().message));
    const PriceTable table = PriceTable::builtIn();
    QCOMPARE(table.entries().size(), parsed.value().entries().size());
    QVERIFY(table.entries().size() >= 40);
    QVERIFY(QDate::fromString(table.updated(), Qt::ISODate).isValid());

    for (const PriceTable::Entry &e : table.entries()) {
        const QByteArray what = QString(e.provider + QLatin1Char(' ') + e.model).toUtf8();
        const bool embedding = e.model.contains(QLatin1String("embed"));
        QVERIFY2(e.listed, what.constData());
        QVERIFY2(e.price.inputPerMtok > 0, what.constData());
        // Embedding models produce no output tokens; their output price is 0 on every list.
        QVERIFY2(embedding ? e.price.outputPerMtok == 0 : e.price.outputPerMtok > 0, what.constData());
        if (e.price.cachedInputPerMtok) {
            QVERIFY2(*e.price.cachedInputPerMtok > 0, what.constData());
            QVERIFY2(*e.price.cachedInputPerMtok < e.price.inputPerMtok, what.constData());
        }
        QVERIFY2(e.price.source.startsWith(QLatin1String("https://")), what.constData());
        QVERIFY2(QDate::fromString(e.price.date, Qt::ISODate).isValid(), what.constData());
        QCOMPARE(table.find(e.provider, e.model), std::optional(e.price));
    }
}

void TestPriceTable::defaultConfigTargetsArePriced()
{
    QFile file(QStringLiteral(":/switchyard/default-config.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const Result<Config, QStringList> config = ConfigParser::parse(file.readAll());
    QVERIFY(config.ok());
    const PriceTable table = PriceTable::builtIn();
    int targets = 0;
    for (const AliasConfig &alias : config.value().aliases) {
        for (const TargetConfig &target : alias.targets) {
            const QByteArray what = QString(alias.name + QLatin1String(": ") + target.provider + QLatin1Char('/') + target.model).toUtf8();
            QVERIFY2(table.find(target.provider, target.model), what.constData());
            ++targets;
        }
    }
    QVERIFY(targets > 0);
}

void TestPriceTable::cost_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("model");
    QTest::addColumn<qint64>("prompt");
    QTest::addColumn<qint64>("cached");
    QTest::addColumn<qint64>("completion");
    QTest::addColumn<bool>("priced");
    QTest::addColumn<double>("usd");

    // usd = (uncached prompt * input + cached * cached rate + completion * output) / 1e6
    QTest::newRow("gpt-4o-mini plain") << "openai" << "gpt-4o-mini" << 1000LL << absent << 500LL << true << 0.00045;
    QTest::newRow("gpt-4o-mini with cached tokens") << "openai" << "gpt-4o-mini" << 10000LL << 4000LL << 1000LL << true << 0.0018;
    QTest::newRow("gpt-4.1 a million each") << "openai" << "gpt-4.1" << 1000000LL << 0LL << 1000000LL << true << 10.0;
    QTest::newRow("o3 completion only") << "openai" << "o3" << absent << absent << 2500LL << true << 0.02;
    QTest::newRow("embedding prompt only") << "openai" << "text-embedding-3-small" << 1234567LL << absent << absent << true << 0.02469134;
    QTest::newRow("cached count above prompt is clamped") << "openai" << "gpt-4o" << 1000LL << 5000LL << 0LL << true << 0.00125;
    QTest::newRow("claude-3-5-haiku alias with cache reads") << "anthropic" << "claude-3-5-haiku-latest" << 2000LL << 1500LL << 300LL << true << 0.00172;
    QTest::newRow("claude-opus-4-5") << "anthropic" << "claude-opus-4-5" << 100000LL << 0LL << 20000LL << true << 1.0;
    QTest::newRow("gemini-2.5-pro with cached tokens") << "google" << "gemini-2.5-pro" << 200000LL << 50000LL << 10000LL << true << 0.29375;
    QTest::newRow("deepseek-chat mostly cache hits") << "deepseek" << "deepseek-chat" << 1000000LL << 900000LL << 100000LL << true << 0.0952;
    QTest::newRow("mistral-large has no cached rate") << "mistral" << "mistral-large-latest" << 3000LL << 1000LL << 2000LL << true << 0.018;
    QTest::newRow("llama on openrouter: cached billed as input") << "openrouter" << "meta-llama/llama-3.1-8b-instruct" << 1000000LL << 400000LL << 1000000LL << true << 0.05;
    QTest::newRow("groq odd counts") << "groq" << "llama-3.3-70b-versatile" << 12345LL << absent << 678LL << true << 0.00781917;
    QTest::newRow("zero tokens cost zero") << "openai" << "gpt-4o" << 0LL << absent << 0LL << true << 0.0;
    QTest::newRow("unpriced model") << "openai" << "gpt-99-ultra" << 1000LL << absent << 100LL << false << 0.0;
    QTest::newRow("unpriced local model") << "local" << "llama3.2:3b" << 1000LL << absent << 100LL << false << 0.0;
    QTest::newRow("empty usage") << "openai" << "gpt-4o-mini" << absent << absent << absent << false << 0.0;
    QTest::newRow("cached count alone is empty usage") << "openai" << "gpt-4o-mini" << absent << 100LL << absent << false << 0.0;
}

void TestPriceTable::cost()
{
    QFETCH(QString, provider);
    QFETCH(QString, model);
    QFETCH(qint64, prompt);
    QFETCH(qint64, cached);
    QFETCH(qint64, completion);
    QFETCH(bool, priced);
    QFETCH(double, usd);

    const Usage usage{tokens(prompt), tokens(completion), tokens(cached)};
    const std::optional<double> result = PriceTable::builtIn().cost(provider, model, usage);
    QCOMPARE(result.has_value(), priced);
    if (priced)
        QCOMPARE(*result, usd); // QCOMPARE on double is qFuzzyCompare (and exact for 0)
}

void TestPriceTable::matching_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("model");
    QTest::addColumn<double>("input"); // -1: unpriced

    QTest::newRow("1 exact") << "openai" << "gpt-4o-mini" << 0.15;
    QTest::newRow("1 exact, any case") << "OpenAI" << "GPT-4o-Mini" << 0.15;
    QTest::newRow("1 exact beats an ambiguous model") << "groq" << "llama-3.3-70b" << 0.59;
    QTest::newRow("1 exact id with a slash") << "openrouter" << "meta-llama/llama-3.1-8b-instruct" << 0.02;
    QTest::newRow("1 exact snapshot beats its base") << "openai" << "gpt-4o-2024-05-13" << 5.0;
    QTest::newRow("2 user-named provider") << "work-openai" << "gpt-4o-mini" << 0.15;
    QTest::newRow("2 several providers, one price") << "work" << "o3" << 2.0;
    QTest::newRow("2 several providers, different prices") << "work" << "llama-3.3-70b" << -1.0;
    QTest::newRow("2 slash id under another provider") << "my-router" << "meta-llama/llama-3.1-8b-instruct" << 0.02;
    QTest::newRow("3 vendor prefix on openrouter") << "openrouter" << "openai/gpt-4o-mini" << 0.15;
    QTest::newRow("3 vendor prefix, exact provider") << "google" << "models/gemini-2.0-flash" << 0.10;
    QTest::newRow("4 OpenAI dated snapshot") << "openai" << "gpt-4o-mini-2024-07-18" << 0.15;
    QTest::newRow("4 other snapshot falls back to base") << "openai" << "gpt-4o-2024-11-20" << 2.50;
    QTest::newRow("4 Anthropic snapshot to -latest") << "anthropic" << "claude-3-5-haiku-20241022" << 0.80;
    QTest::newRow("4 Mistral YYMM snapshot") << "mistral" << "mistral-large-2411" << 2.0;
    QTest::newRow("4 Gemini version suffix") << "google" << "gemini-2.0-flash-001" << 0.10;
    QTest::newRow("3+4 prefixed and dated") << "openrouter" << "openai/gpt-4o-mini-2024-07-18" << 0.15;
    QTest::newRow("unknown model") << "openai" << "gpt-5-turbo-9000" << -1.0;
    QTest::newRow("unknown prefixed model") << "openrouter" << "acme/unknown-1" << -1.0;
    QTest::newRow("prefix of a known name") << "openai" << "gpt-4o-min" << -1.0;
    QTest::newRow("known name with a suffix") << "openai" << "gpt-4o-mini-high" << -1.0;
    QTest::newRow("empty model") << "openai" << "" << -1.0;
}

void TestPriceTable::matching()
{
    QFETCH(QString, provider);
    QFETCH(QString, model);
    QFETCH(double, input);

    const std::optional<PriceTable::Price> price = rulesTable().find(provider, model);
    QCOMPARE(price.has_value(), input >= 0);
    if (price)
        QCOMPARE(price->inputPerMtok, input);
}

void TestPriceTable::emptyTablePricesNothing()
{
    const PriceTable empty;
    QVERIFY(!empty.find(QStringLiteral("openai"), QStringLiteral("gpt-4o-mini")));
    QVERIFY(!empty.cost(QStringLiteral("openai"), QStringLiteral("gpt-4o-mini"), Usage{1000, 100, std::nullopt}));
}

void TestPriceTable::overridesReplaceAndAdd()
{
    PriceTable table = PriceTable::builtIn();
    const qsizetype builtInCount = table.entries().size();
    table.applyOverrides({
        {QStringLiteral("OpenAI"), QStringLiteral("gpt-4o-mini"), 0.10, 0.40, 0.05},
        {QStringLiteral("anthropic"), QStringLiteral("claude-3-5-haiku-latest"), 1.00, 5.00, std::nullopt},
        {QStringLiteral("local"), QStringLiteral("llama3.2:3b"), 0, 0, std::nullopt},
        {QStringLiteral("work-openai"), QStringLiteral("team-model"), 1.00, 2.00, std::nullopt},
    });
    QCOMPARE(table.entries().size(), builtInCount + 2); // two replaced, two added

    const std::optional<PriceTable::Price> mini = table.find(QStringLiteral("openai"), QStringLiteral("gpt-4o-mini"));
    QVERIFY(mini);
    QCOMPARE(mini->inputPerMtok, 0.10);
    QCOMPARE(mini->outputPerMtok, 0.40);
    QCOMPARE(mini->cachedInputPerMtok, std::optional(0.05));
    QCOMPARE(mini->source, QStringLiteral("config"));
    // The replaced entry is still the table's, so other providers of the model get the new price.
    QCOMPARE(table.find(QStringLiteral("work-openai"), QStringLiteral("gpt-4o-mini"))->inputPerMtok, 0.10);
    // An override without a cached rate removes the shipped one: cached tokens bill as input.
    const Usage cachedHaiku{1000, 0, 1000};
    QCOMPARE(table.cost(QStringLiteral("anthropic"), QStringLiteral("claude-3-5-haiku-latest"), cachedHaiku), std::optional(0.001));

    // A free local model is priced at 0, which is not "unknown".
    QCOMPARE(table.cost(QStringLiteral("local"), QStringLiteral("llama3.2:3b"), Usage{5000, 500, std::nullopt}), std::optional(0.0));
    QCOMPARE(table.cost(QStringLiteral("work-openai"), QStringLiteral("team-model"), Usage{1000000, 500000, std::nullopt}), std::optional(2.0));
    // Models that only a config entry names are not lent to other providers.
    QVERIFY(!table.find(QStringLiteral("other"), QStringLiteral("team-model")));
    QVERIFY(!table.find(QStringLiteral("other"), QStringLiteral("llama3.2:3b")));
    // The shipped table itself is unchanged.
    QCOMPARE(PriceTable::builtIn().find(QStringLiteral("openai"), QStringLiteral("gpt-4o-mini"))->inputPerMtok, 0.15);
}

void TestPriceTable::malformed_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("messages");

    const QByteArray other = entry("openai", "gpt-4o-mini", "0.15", "0.6");
    QTest::newRow("not JSON") << QByteArray(R"({"version":1,)") << texts({"(root): invalid JSON at offset"});
    QTest::newRow("array root") << QByteArray("[]") << texts({"(root): expected an object, got an array"});
    QTest::newRow("missing version") << QByteArray(R"({"updated":"2026-11-24","models":[]})") << texts({"version: missing; this file format is version 1"});
    QTest::newRow("version 2") << QByteArray(R"({"version":2,"updated":"2026-11-24","models":[]})") << texts({"version: unsupported version 2; expected 1"});
    QTest::newRow("bad updated") << QByteArray(R"({"version":1,"updated":"yesterday","models":[]})") << texts({R"(updated: expected an ISO date (YYYY-MM-DD), got "yesterday")"});
    QTest::newRow("missing models") << QByteArray(R"({"version":1,"updated":"2026-11-24"})") << texts({"models: missing; expected an array"});
    QTest::newRow("models not an array") << QByteArray(R"({"version":1,"updated":"2026-11-24","models":{}})") << texts({"models: expected an array, got an object"});
    QTest::newRow("unknown top-level key") << QByteArray(R"({"version":1,"updated":"2026-11-24","models":[],"currency":"EUR"})") << texts({"currency: unknown key; expected one of: version, updated, models"});
    QTest::newRow("entry not an object") << document(validEntry + ",7") << texts({"models[1]: expected an object, got a number"});
    QTest::newRow("negative input") << document(validEntry + ',' + entry("openai", "o3", "-1", "8"))
                                    << texts({"models[1].input_per_mtok: expected a price of 0 or more (USD per million tokens), got -1"});
    QTest::newRow("output as a string") << document(entry("openai", "o3", "2", R"("8")"))
                                        << texts({"models[0].output_per_mtok: expected a price of 0 or more (USD per million tokens), got a string"});
    QTest::newRow("negative cached rate") << document(entry("openai", "o3", "2", "8", "-0.5"))
                                          << texts({"models[0].cached_input_per_mtok: expected a price of 0 or more (USD per million tokens), got -0.5"});
    QTest::newRow("missing output") << document(R"({"provider":"openai","model":"o3","input_per_mtok":2,"source":"https://x.example/p","date":"2026-11-24"})")
                                    << texts({"models[0].output_per_mtok: missing; expected a price in USD per million tokens"});
    QTest::newRow("missing provider") << document(R"({"model":"o3","input_per_mtok":2,"output_per_mtok":8,"source":"https://x.example/p","date":"2026-11-24"})")
                                      << texts({"models[0].provider: missing; expected a string"});
    QTest::newRow("empty model") << document(entry("openai", "", "2", "8")) << texts({"models[0].model: must not be empty"});
    QTest::newRow("unknown entry key") << document(R"({"provider":"openai","model":"o3","input_per_mtok":2,"output_per_mtok":8,"cache_read":0.5,"source":"https://x.example/p","date":"2026-11-24"})")
                                       << texts({"models[0].cache_read: unknown key; expected one of: provider, model, input_per_mtok"});
    QTest::newRow("source not a URL") << document(R"({"provider":"openai","model":"o3","input_per_mtok":2,"output_per_mtok":8,"source":"openai.com","date":"2026-11-24"})")
                                      << texts({R"(models[0].source: expected an http(s) URL of the pricing page, got "openai.com")"});
    QTest::newRow("missing source") << document(R"({"provider":"openai","model":"o3","input_per_mtok":2,"output_per_mtok":8,"date":"2026-11-24"})")
                                    << texts({"models[0].source: missing; expected a string"});
    QTest::newRow("date not ISO") << document(R"({"provider":"openai","model":"o3","input_per_mtok":2,"output_per_mtok":8,"source":"https://x.example/p","date":"24.11.2026"})")
                                  << texts({R"(models[0].date: expected an ISO date (YYYY-MM-DD), got "24.11.2026")"});
    QTest::newRow("duplicate in another case") << document(validEntry + ',' + entry("OpenAI", "GPT-4o", "3", "12"))
                                               << texts({"models[1]: duplicate of models[0] (OpenAI GPT-4o)"});
    QTest::newRow("every problem is reported") << document(entry("openai", "o3", "-2", "8") + ',' + other + ",true")
                                               << texts({"models[0].input_per_mtok: expected a price", "models[2]: expected an object, got a boolean"});
}

void TestPriceTable::malformed()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, messages);

    const Result<PriceTable> result = PriceTable::fromJson(json);
    QVERIFY(!result.ok());
    for (const QString &message : messages)
        QVERIFY2(result.error().message.contains(message), qPrintable(result.error().message));
}

QTEST_GUILESS_MAIN(TestPriceTable)
#include "tst_PriceTable.moc"
