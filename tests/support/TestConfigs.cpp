// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/TestConfigs.h"

namespace Switchyard::Test {

ProviderConfig TestConfigs::provider(const QString &name, quint16 port, const QString &apiKey)
{
    ProviderConfig p;
    p.name = name;
    p.kind = ProviderKind::OpenAI;
    p.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(port));
    p.apiKey = apiKey;
    return p;
}

TargetConfig TestConfigs::target(const QString &provider, const QString &model, std::optional<double> weight)
{
    TargetConfig t;
    t.provider = provider;
    t.model = model;
    t.weight = weight;
    return t;
}

AliasConfig TestConfigs::alias(const QString &name, Strategy strategy, const QList<TargetConfig> &targets)
{
    AliasConfig a;
    a.name = name;
    a.strategy = strategy;
    a.targets = targets;
    return a;
}

Config TestConfigs::base()
{
    Config c;
    c.retry = RetryPolicy{2, 10};
    c.cooldown = CooldownPolicy{100, 30};
    c.timeouts = Timeouts{2000, 5000, 5000, 20000};
    return c;
}

Config TestConfigs::oneUpstream(quint16 port)
{
    Config c = base();
    c.providers = {provider(QStringLiteral("a"), port)};
    c.aliases = {alias(QStringLiteral("general"), Strategy::Fallback, {target(QStringLiteral("a"), QStringLiteral("model-a"))})};
    return c;
}

QByteArray TestConfigs::oneProviderFile(const QByteArray &baseUrl)
{
    return R"({"version":1,"providers":[{"name":"fake","kind":"openai","base_url":")" + baseUrl
           + R"(/v1"}],"aliases":[{"name":"general","strategy":"fallback","targets":[{"provider":"fake","model":"m"}]}]})";
}

LogConfig TestConfigs::keepingEverything()
{
    LogConfig config;
    config.retentionDays = 36500;
    config.bodyRetentionDays = 36500;
    config.maxBodyKib = 4096;
    return config;
}

} // namespace Switchyard::Test
