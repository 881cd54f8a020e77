// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/routing/RoutePlanner.h"
#include "core/routing/TargetHealth.h"
#include <QDateTime>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTest>

using namespace Switchyard;

namespace {

constexpr qint64 Now = 1717243200000; // 2024-06-01T12:00:00Z

ProviderConfig provider(const QString &name, ProviderKind kind, const QString &baseUrl)
{
    ProviderConfig p;
    p.name = name;
    p.kind = kind;
    p.baseUrl = QUrl(baseUrl);
    return p;
}

TargetConfig target(const QString &providerName, const QString &model, std::optional<double> weight = std::nullopt)
{
    TargetConfig t;
    t.provider = providerName;
    t.model = model;
    t.weight = weight;
    return t;
}

AliasConfig alias(const QString &name, Strategy strategy, const QList<TargetConfig> &targets)
{
    AliasConfig a;
    a.name = name;
    a.strategy = strategy;
    a.targets = targets;
    return a;
}

const RetryPolicy globalRetry{3, 100};
const Timeouts globalTimeouts{1111, 2222, 3333, 4444};
const RetryPolicy tunedRetry{5, 1000};
const Timeouts tunedTimeouts{10, 20, 30, 40};

Config makeConfig()
{
    Config c;
    c.providers = {provider(QStringLiteral("openai"), ProviderKind::OpenAI, QStringLiteral("https://api.openai.com/v1")),
                   provider(QStringLiteral("anthropic"), ProviderKind::Anthropic, QStringLiteral("https://api.anthropic.com")),
                   provider(QStringLiteral("openrouter"), ProviderKind::OpenAI, QStringLiteral("https://openrouter.ai/api/v1")),
                   provider(QStringLiteral("local"), ProviderKind::OpenAI, QStringLiteral("http://127.0.0.1:11434/v1"))};
    TargetConfig tuned = target(QStringLiteral("anthropic"), QStringLiteral("claude-3-5-haiku-latest"));
    tuned.retry = tunedRetry;
    tuned.timeouts = tunedTimeouts;
    c.aliases = {
        alias(QStringLiteral("general"), Strategy::Fallback,
              {target(QStringLiteral("openai"), QStringLiteral("gpt-4o-mini")),
               target(QStringLiteral("anthropic"), QStringLiteral("claude-3-5-haiku-latest")),
               target(QStringLiteral("local"), QStringLiteral("llama3.1:8b"))}),
        alias(QStringLiteral("spread"), Strategy::Weighted,
              {target(QStringLiteral("openai"), QStringLiteral("gpt-4o-mini"), 1),
               target(QStringLiteral("anthropic"), QStringLiteral("claude-3-5-haiku-latest"), 3),
               target(QStringLiteral("openrouter"), QStringLiteral("meta-llama/llama-3.1-8b-instruct"), 6)}),
        alias(QStringLiteral("fast"), Strategy::LeastLatency,
              {target(QStringLiteral("openai"), QStringLiteral("gpt-4o-mini")),
               target(QStringLiteral("anthropic"), QStringLiteral("claude-3-5-haiku-latest")),
               target(QStringLiteral("local"), QStringLiteral("llama3.1:8b"))}),
        alias(QStringLiteral("tuned"), Strategy::Fallback,
              {target(QStringLiteral("openai"), QStringLiteral("gpt-4o")), tuned}),
        alias(QStringLiteral("team/general"), Strategy::Fallback,
              {target(QStringLiteral("local"), QStringLiteral("llama3.1:8b"))}),
    };
    c.retry = globalRetry;
    c.timeouts = globalTimeouts;
    c.cooldown = CooldownPolicy{3, 30};
    return c;
}

// "provider/model" of each candidate, in plan order.
QStringList order(const RoutePlan &plan)
{
    QStringList out;
    for (const RouteCandidate &c : plan.candidates)
        out << TargetHealth::key(c.provider.name, c.model);
    return out;
}

RoutePlan planFor(const Config &config, const QString &model, const TargetHealth &health, qint64 nowMs = Now)
{
    QRandomGenerator random(7);
    const Result<RoutePlan> plan = RoutePlanner::plan(config, model, health, nowMs, random);
    if (!plan.ok())
        qWarning("%s", qPrintable(plan.error().message));
    return plan.ok() ? plan.value() : RoutePlan();
}

const QString openaiMini = QStringLiteral("openai/gpt-4o-mini");
const QString haiku = QStringLiteral("anthropic/claude-3-5-haiku-latest");
const QString llama = QStringLiteral("local/llama3.1:8b");

} // namespace

class TestRoutePlanner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fallbackKeepsOrder();
    void direct_data();
    void direct();
    void unknownModel_data();
    void unknownModel();
    void unknownModelWithoutAliases();
    void weightedFollowsWeights();
    void leastLatencyTriesUntriedFirst();
    void leastLatencyUsesMovingAverage();
    void cooldownAfterConsecutiveFailures_data();
    void cooldownAfterConsecutiveFailures();
    void cooldownEndsInProbeAndSuccessResets();
    void failuresMustBeConsecutive();
    void cooldownAppliesToDirectModels();
    void perTargetOverrides();
    void toJson();
};

void TestRoutePlanner::fallbackKeepsOrder()
{
    const Config config = makeConfig();
    const RoutePlan plan = planFor(config, QStringLiteral("general"), TargetHealth());
    QCOMPARE(plan.requested, QStringLiteral("general"));
    QCOMPARE(plan.alias, QStringLiteral("general"));
    QCOMPARE(plan.strategy, Strategy::Fallback);
    QCOMPARE(order(plan), (QStringList{openaiMini, haiku, llama}));
    QCOMPARE(plan.candidates.at(0).reason, QStringLiteral("first in fallback order"));
    QCOMPARE(plan.candidates.at(1).reason, QStringLiteral("fallback #2"));
    QCOMPARE(plan.candidates.at(2).reason, QStringLiteral("fallback #3"));
    for (const RouteCandidate &c : plan.candidates) {
        QCOMPARE(c.state, QStringLiteral("healthy"));
        QVERIFY(!c.skip);
        QCOMPARE(c.provider, *config.provider(c.provider.name)); // kind, base URL and key source travel along
        QCOMPARE(c.retry, globalRetry);
        QCOMPARE(c.timeouts, globalTimeouts);
        QVERIFY(!c.weight);
        QVERIFY(!c.latencyMs);
        QCOMPARE(c.cooldownUntilMs, 0);
    }
}

void TestRoutePlanner::direct_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("upstreamModel");

    QTest::newRow("provider/model") << QStringLiteral("openai/gpt-4o") << QStringLiteral("openai")
                                    << QStringLiteral("gpt-4o");
    QTest::newRow("model containing a slash")
        << QStringLiteral("openrouter/meta-llama/llama-3.1-8b-instruct") << QStringLiteral("openrouter")
        << QStringLiteral("meta-llama/llama-3.1-8b-instruct");
    QTest::newRow("model with a colon") << QStringLiteral("local/llama3.1:8b") << QStringLiteral("local")
                                        << QStringLiteral("llama3.1:8b");
    QTest::newRow("anthropic kind") << QStringLiteral("anthropic/claude-3-5-sonnet-latest")
                                    << QStringLiteral("anthropic") << QStringLiteral("claude-3-5-sonnet-latest");
}

void TestRoutePlanner::direct()
{
    QFETCH(QString, model);
    QFETCH(QString, provider);
    QFETCH(QString, upstreamModel);

    const Config config = makeConfig();
    const RoutePlan plan = planFor(config, model, TargetHealth());
    QCOMPARE(plan.requested, model);
    QCOMPARE(plan.alias, QString());
    QCOMPARE(plan.strategy, Strategy::Fallback);
    QCOMPARE(plan.candidates.size(), 1);
    const RouteCandidate &c = plan.candidates.first();
    QCOMPARE(c.provider, *config.provider(provider));
    QCOMPARE(c.model, upstreamModel);
    QCOMPARE(c.reason, QStringLiteral("named directly"));
    QCOMPARE(c.state, QStringLiteral("healthy"));
    QCOMPARE(c.retry, globalRetry);
    QCOMPARE(c.timeouts, globalTimeouts);
    QVERIFY(!c.skip);
}

void TestRoutePlanner::unknownModel_data()
{
    QTest::addColumn<QString>("model");

    QTest::newRow("no such alias") << QStringLiteral("gpt-5");
    QTest::newRow("alias in the wrong case") << QStringLiteral("General");
    QTest::newRow("unknown provider prefix") << QStringLiteral("opnai/gpt-4o");
    QTest::newRow("provider without model") << QStringLiteral("openai/");
    QTest::newRow("model without provider") << QStringLiteral("/gpt-4o");
    QTest::newRow("provider name alone") << QStringLiteral("openai");
    QTest::newRow("empty") << QString();
}

void TestRoutePlanner::unknownModel()
{
    QFETCH(QString, model);

    QRandomGenerator random(1);
    const Result<RoutePlan> plan = RoutePlanner::plan(makeConfig(), model, TargetHealth(), Now, random);
    QVERIFY(!plan.ok());
    QCOMPARE(plan.error().message,
             QStringLiteral("unknown model \"%1\". Known aliases: general, spread, fast, tuned, team/general. To reach a "
                            "model directly, use \"provider/model\" with a provider from: openai, anthropic, "
                            "openrouter, local.")
                 .arg(model));
    QCOMPARE(RoutePlanner::unknownModelMessage(makeConfig(), model), plan.error().message);
}

void TestRoutePlanner::unknownModelWithoutAliases()
{
    Config config = makeConfig();
    config.aliases.clear();
    QCOMPARE(RoutePlanner::unknownModelMessage(config, QStringLiteral("general")),
             QStringLiteral("unknown model \"general\". Known aliases: (none). To reach a model directly, use "
                            "\"provider/model\" with a provider from: openai, anthropic, openrouter, local."));
}

void TestRoutePlanner::weightedFollowsWeights()
{
    const Config config = makeConfig();
    const TargetHealth health;
    const QString router = QStringLiteral("openrouter/meta-llama/llama-3.1-8b-instruct");
    const QHash<QString, double> share{{openaiMini, 0.1}, {haiku, 0.3}, {router, 0.6}};
    QHash<QString, int> first;
    QRandomGenerator random(20240601);
    constexpr int Plans = 10000;
    for (int i = 0; i < Plans; ++i) {
        const Result<RoutePlan> plan = RoutePlanner::plan(config, QStringLiteral("spread"), health, Now, random);
        QVERIFY(plan.ok());
        QCOMPARE(plan.value().strategy, Strategy::Weighted);
        QStringList targets = order(plan.value());
        ++first[targets.first()];
        targets.sort();
        QCOMPARE(targets, (QStringList{haiku, openaiMini, router})); // every target, each once
    }
    for (auto it = share.cbegin(); it != share.cend(); ++it) {
        const double observed = double(first.value(it.key())) / Plans;
        QVERIFY2(qAbs(observed - it.value()) < 0.02,
                 qPrintable(QStringLiteral("%1 first in %2 of plans, weight share %3").arg(it.key()).arg(observed).arg(it.value())));
    }

    // Each candidate carries its weight and says where it was drawn.
    QRandomGenerator again(3);
    const RoutePlan plan = RoutePlanner::plan(config, QStringLiteral("spread"), health, Now, again).value();
    for (int i = 0; i < plan.candidates.size(); ++i) {
        const RouteCandidate &c = plan.candidates.at(i);
        QVERIFY(c.weight);
        QCOMPARE(*c.weight, share.value(TargetHealth::key(c.provider.name, c.model)) * 10);
        QCOMPARE(c.reason, QStringLiteral("weight %1 of 10 (%2% share); drawn %3 this time")
                               .arg(*c.weight)
                               .arg(qRound(*c.weight * 10))
                               .arg(i == 0 ? QStringLiteral("first") : QStringLiteral("#%1").arg(i + 1)));
    }
}

void TestRoutePlanner::leastLatencyTriesUntriedFirst()
{
    const Config config = makeConfig();
    TargetHealth health;
    RoutePlan plan = planFor(config, QStringLiteral("fast"), health);
    QCOMPARE(plan.strategy, Strategy::LeastLatency);
    QCOMPARE(order(plan), (QStringList{openaiMini, haiku, llama})); // none measured: configured order
    for (const RouteCandidate &c : plan.candidates)
        QCOMPARE(c.reason, QStringLiteral("not tried yet: measuring its latency"));

    health.recordSuccess(openaiMini, 300);
    health.recordSuccess(haiku, 100);
    plan = planFor(config, QStringLiteral("fast"), health);
    QCOMPARE(order(plan), (QStringList{llama, haiku, openaiMini}));
    QCOMPARE(plan.candidates.at(0).reason, QStringLiteral("not tried yet: measuring its latency"));
    QVERIFY(!plan.candidates.at(0).latencyMs);
    QCOMPARE(plan.candidates.at(1).latencyMs, std::optional<double>(100));
    QCOMPARE(plan.candidates.at(1).reason, QStringLiteral("fastest recent latency 100 ms"));
    QCOMPARE(plan.candidates.at(2).latencyMs, std::optional<double>(300));
    QCOMPARE(plan.candidates.at(2).reason, QStringLiteral("slower: recent latency 300 ms"));

    health.recordSuccess(llama, 200);
    plan = planFor(config, QStringLiteral("fast"), health);
    QCOMPARE(order(plan), (QStringList{haiku, llama, openaiMini}));
    QCOMPARE(plan.candidates.at(0).reason, QStringLiteral("fastest recent latency 100 ms"));
}

void TestRoutePlanner::leastLatencyUsesMovingAverage()
{
    const Config config = makeConfig();
    TargetHealth health;
    health.recordSuccess(openaiMini, 100);
    health.recordSuccess(haiku, 120);
    health.recordSuccess(llama, 500);
    QCOMPARE(order(planFor(config, QStringLiteral("fast"), health)), (QStringList{openaiMini, haiku, llama}));

    // One slow answer moves the average, not all of it: 0.7 * 100 + 0.3 * 200 = 130.
    health.recordSuccess(openaiMini, 200);
    QCOMPARE(health.state(openaiMini).latencyMs, std::optional<double>(130));
    QCOMPARE(order(planFor(config, QStringLiteral("fast"), health)), (QStringList{haiku, openaiMini, llama}));
    // One fast answer from a slow target does not make it the fastest: 0.7 * 500 + 0.3 * 10 = 353.
    health.recordSuccess(llama, 10);
    QCOMPARE(health.state(llama).latencyMs, std::optional<double>(353));
    QCOMPARE(order(planFor(config, QStringLiteral("fast"), health)), (QStringList{haiku, openaiMini, llama}));
    QCOMPARE(health.state(openaiMini).successes, 2);
}

void TestRoutePlanner::cooldownAfterConsecutiveFailures_data()
{
    QTest::addColumn<QString>("alias");
    QTest::addColumn<QStringList>("expected"); // order once openai/gpt-4o-mini cools down

    QTest::newRow("fallback") << QStringLiteral("general") << QStringList{haiku, llama, openaiMini};
    QTest::newRow("least-latency") << QStringLiteral("fast") << QStringList{haiku, llama, openaiMini};
}

void TestRoutePlanner::cooldownAfterConsecutiveFailures()
{
    QFETCH(QString, alias);
    QFETCH(QStringList, expected);

    Config config = makeConfig();
    config.cooldown = CooldownPolicy{3, 30};
    TargetHealth health;
    health.recordFailure(openaiMini, Now - 2000, config.cooldown);
    health.recordFailure(openaiMini, Now - 1000, config.cooldown);
    RoutePlan plan = planFor(config, alias, health);
    QCOMPARE(plan.candidates.first().state, QStringLiteral("healthy")); // two failures: not yet
    QVERIFY(!plan.candidates.first().skip);
    QVERIFY(!health.isCoolingDown(openaiMini, Now));

    health.recordFailure(openaiMini, Now, config.cooldown);
    QCOMPARE(health.state(openaiMini).cooldownUntilMs, Now + 30000);
    QCOMPARE(health.state(openaiMini).consecutiveFailures, 3);
    QVERIFY(health.isCoolingDown(openaiMini, Now + 29999));
    QVERIFY(!health.isCoolingDown(openaiMini, Now + 30000));
    QVERIFY(!health.isCoolingDown(haiku, Now));

    plan = planFor(config, alias, health, Now + 10000);
    QCOMPARE(order(plan), expected);
    const RouteCandidate &cold = plan.candidates.last();
    QCOMPARE(cold.state, QStringLiteral("cooling_down"));
    QVERIFY(cold.skip);
    QCOMPARE(cold.cooldownUntilMs, Now + 30000);
    QCOMPARE(cold.reason,
             QStringLiteral("cooling down until 2024-06-01T12:00:30Z after 3 failures in a row; skipped"));
    for (int i = 0; i + 1 < plan.candidates.size(); ++i) {
        QCOMPARE(plan.candidates.at(i).state, QStringLiteral("healthy"));
        QVERIFY(!plan.candidates.at(i).skip);
    }
}

void TestRoutePlanner::cooldownEndsInProbeAndSuccessResets()
{
    const Config config = makeConfig();
    TargetHealth health;
    for (int i = 0; i < 3; ++i)
        health.recordFailure(openaiMini, Now, config.cooldown);

    // The cooldown is over: back in its place, probed by the next call.
    RoutePlan plan = planFor(config, QStringLiteral("general"), health, Now + 30000);
    QCOMPARE(order(plan), (QStringList{openaiMini, haiku, llama}));
    QCOMPARE(plan.candidates.first().state, QStringLiteral("probing"));
    QVERIFY(!plan.candidates.first().skip);
    QCOMPARE(plan.candidates.first().reason,
             QStringLiteral("first in fallback order; cooldown over, the next call probes it"));

    // A failed probe cools it down again at once.
    health.recordFailure(openaiMini, Now + 30000, config.cooldown);
    QCOMPARE(health.state(openaiMini).cooldownUntilMs, Now + 60000);
    plan = planFor(config, QStringLiteral("general"), health, Now + 30001);
    QCOMPARE(plan.candidates.last().state, QStringLiteral("cooling_down"));
    QCOMPARE(plan.candidates.last().reason,
             QStringLiteral("cooling down until 2024-06-01T12:01:00Z after 4 failures in a row; skipped"));

    // A success resets it.
    health.recordSuccess(openaiMini, 250);
    const TargetHealth::State s = health.state(openaiMini);
    QCOMPARE(s.consecutiveFailures, 0);
    QCOMPARE(s.cooldownUntilMs, 0);
    QCOMPARE(s.failures, 4);
    QCOMPARE(s.successes, 1);
    QVERIFY(!health.isCoolingDown(openaiMini, Now + 30001));
    plan = planFor(config, QStringLiteral("general"), health, Now + 30001);
    QCOMPARE(order(plan), (QStringList{openaiMini, haiku, llama}));
    QCOMPARE(plan.candidates.first().state, QStringLiteral("healthy"));
    QCOMPARE(plan.candidates.first().reason, QStringLiteral("first in fallback order"));
}

void TestRoutePlanner::failuresMustBeConsecutive()
{
    const Config config = makeConfig();
    TargetHealth health;
    health.recordFailure(openaiMini, Now, config.cooldown);
    health.recordFailure(openaiMini, Now, config.cooldown);
    health.recordSuccess(openaiMini, 100);
    health.recordFailure(openaiMini, Now, config.cooldown);
    health.recordFailure(openaiMini, Now, config.cooldown);
    QVERIFY(!health.isCoolingDown(openaiMini, Now));
    QCOMPARE(planFor(config, QStringLiteral("general"), health).candidates.first().state, QStringLiteral("healthy"));
    // Failures of one target do not count against another.
    health.recordFailure(haiku, Now, config.cooldown);
    QVERIFY(!health.isCoolingDown(openaiMini, Now));
    health.recordFailure(openaiMini, Now, config.cooldown);
    QVERIFY(health.isCoolingDown(openaiMini, Now));
    QVERIFY(!health.isCoolingDown(haiku, Now));
}

void TestRoutePlanner::cooldownAppliesToDirectModels()
{
    const Config config = makeConfig();
    TargetHealth health;
    for (int i = 0; i < 3; ++i)
        health.recordFailure(openaiMini, Now, config.cooldown);
    RoutePlan plan = planFor(config, QStringLiteral("openai/gpt-4o-mini"), health);
    QCOMPARE(plan.candidates.size(), 1);
    QVERIFY(plan.candidates.first().skip);
    QCOMPARE(plan.candidates.first().state, QStringLiteral("cooling_down"));
    // Another model of the same provider is a different target.
    plan = planFor(config, QStringLiteral("openai/gpt-4o"), health);
    QVERIFY(!plan.candidates.first().skip);
}

void TestRoutePlanner::perTargetOverrides()
{
    const Config config = makeConfig();
    const RoutePlan plan = planFor(config, QStringLiteral("tuned"), TargetHealth());
    QCOMPARE(order(plan), (QStringList{QStringLiteral("openai/gpt-4o"), haiku}));
    QCOMPARE(plan.candidates.at(0).retry, globalRetry);
    QCOMPARE(plan.candidates.at(0).timeouts, globalTimeouts);
    QCOMPARE(plan.candidates.at(1).retry, tunedRetry);
    QCOMPARE(plan.candidates.at(1).timeouts, tunedTimeouts);

    // An alias whose name contains '/' is still an alias.
    const RoutePlan team = planFor(config, QStringLiteral("team/general"), TargetHealth());
    QCOMPARE(team.alias, QStringLiteral("team/general"));
    QCOMPARE(order(team), QStringList{llama});
}

void TestRoutePlanner::toJson()
{
    const Config config = makeConfig();
    TargetHealth health;
    for (int i = 0; i < 3; ++i)
        health.recordFailure(openaiMini, Now, config.cooldown);
    health.recordSuccess(haiku, 123.4);
    health.recordFailure(TargetHealth::key(QStringLiteral("openrouter"), QStringLiteral("meta-llama/llama-3.1-8b-instruct")),
                         Now, config.cooldown);

    QRandomGenerator random(11);
    const RoutePlan plan = RoutePlanner::plan(config, QStringLiteral("spread"), health, Now + 1500, random).value();
    const QJsonObject json = plan.toJson();
    QCOMPARE(json.value(QStringLiteral("model")).toString(), QStringLiteral("spread"));
    QCOMPARE(json.value(QStringLiteral("alias")).toString(), QStringLiteral("spread"));
    QCOMPARE(json.value(QStringLiteral("strategy")).toString(), QStringLiteral("weighted"));
    const QJsonArray candidates = json.value(QStringLiteral("candidates")).toArray();
    QCOMPARE(candidates.size(), plan.candidates.size());
    QCOMPARE(candidates.size(), 3);
    const QStringList keys{QStringLiteral("cooldown_until"), QStringLiteral("latency_ms"), QStringLiteral("model"),
                           QStringLiteral("provider"),       QStringLiteral("reason"),     QStringLiteral("skip"),
                           QStringLiteral("state"),          QStringLiteral("weight")};
    for (int i = 0; i < candidates.size(); ++i) {
        const QJsonObject c = candidates.at(i).toObject();
        QCOMPARE(c.keys(), keys);
        QCOMPARE(c.value(QStringLiteral("provider")).toString(), plan.candidates.at(i).provider.name);
        QCOMPARE(c.value(QStringLiteral("model")).toString(), plan.candidates.at(i).model);
        QCOMPARE(c.value(QStringLiteral("reason")).toString(), plan.candidates.at(i).reason);
        QVERIFY(!c.value(QStringLiteral("reason")).toString().isEmpty());
    }
    // The cooling-down target is last, with when its cooldown ends.
    const QJsonObject cold = candidates.at(2).toObject();
    QCOMPARE(cold.value(QStringLiteral("provider")).toString(), QStringLiteral("openai"));
    QCOMPARE(cold.value(QStringLiteral("model")).toString(), QStringLiteral("gpt-4o-mini"));
    QCOMPARE(cold.value(QStringLiteral("state")).toString(), QStringLiteral("cooling_down"));
    QCOMPARE(cold.value(QStringLiteral("skip")), QJsonValue(true));
    QCOMPARE(cold.value(QStringLiteral("cooldown_until")).toString(), QStringLiteral("2024-06-01T12:00:30.000Z"));
    QCOMPARE(cold.value(QStringLiteral("weight")), QJsonValue(1.0));
    QVERIFY(cold.value(QStringLiteral("latency_ms")).isNull());
    for (int i = 0; i < 2; ++i) {
        const QJsonObject c = candidates.at(i).toObject();
        QCOMPARE(c.value(QStringLiteral("state")).toString(), QStringLiteral("healthy"));
        QCOMPARE(c.value(QStringLiteral("skip")), QJsonValue(false));
        QVERIFY(c.value(QStringLiteral("cooldown_until")).isNull());
        if (c.value(QStringLiteral("provider")).toString() == QLatin1String("anthropic")) {
            QCOMPARE(c.value(QStringLiteral("latency_ms")), QJsonValue(123)); // rounded
            QCOMPARE(c.value(QStringLiteral("weight")), QJsonValue(3.0));
        } else {
            QVERIFY(c.value(QStringLiteral("latency_ms")).isNull());
            QCOMPARE(c.value(QStringLiteral("weight")), QJsonValue(6.0));
        }
    }

    // A direct model: no alias, fallback, no weight.
    const QJsonObject direct = planFor(config, QStringLiteral("local/llama3.1:8b"), health).toJson();
    QCOMPARE(direct.value(QStringLiteral("model")).toString(), QStringLiteral("local/llama3.1:8b"));
    QVERIFY(direct.value(QStringLiteral("alias")).isNull());
    QCOMPARE(direct.value(QStringLiteral("strategy")).toString(), QStringLiteral("fallback"));
    const QJsonObject only = direct.value(QStringLiteral("candidates")).toArray().at(0).toObject();
    QCOMPARE(only.value(QStringLiteral("model")).toString(), QStringLiteral("llama3.1:8b"));
    QVERIFY(only.value(QStringLiteral("weight")).isNull());
    QCOMPARE(only.value(QStringLiteral("reason")).toString(), QStringLiteral("named directly"));

    // Least-latency names its strategy the way the config file does.
    QCOMPARE(planFor(config, QStringLiteral("fast"), health).toJson().value(QStringLiteral("strategy")).toString(),
             QStringLiteral("least-latency"));
}

QTEST_GUILESS_MAIN(TestRoutePlanner)
#include "tst_RoutePlanner.moc"
