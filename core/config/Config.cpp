// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/Config.h"
#include <QHostAddress>

namespace Switchyard {

const ProviderConfig *Config::provider(const QString &name) const
{
    for (const ProviderConfig &p : providers) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

const AliasConfig *Config::alias(const QString &name) const
{
    for (const AliasConfig &a : aliases) {
        if (a.name == name)
            return &a;
    }
    return nullptr;
}

QString providerKindName(ProviderKind kind)
{
    return kind == ProviderKind::Anthropic ? QStringLiteral("anthropic") : QStringLiteral("openai");
}

QString strategyName(Strategy strategy)
{
    switch (strategy) {
    case Strategy::Weighted: return QStringLiteral("weighted");
    case Strategy::LeastLatency: return QStringLiteral("least-latency");
    case Strategy::Fallback: break;
    }
    return QStringLiteral("fallback");
}

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

} // namespace Switchyard
