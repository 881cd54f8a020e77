// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"

namespace Switchyard::Test {

// Small configs for proxy tests: OpenAI-kind providers at loopback URLs, fast retries.
struct TestConfigs
{
    static ProviderConfig provider(const QString &name, quint16 port, const QString &apiKey = QString());
    static TargetConfig target(const QString &provider, const QString &model, std::optional<double> weight = std::nullopt);
    static AliasConfig alias(const QString &name, Strategy strategy, const QList<TargetConfig> &targets);
    // Retries: 2 attempts, 10 ms backoff; cooldown after 100 failures (effectively off);
    // timeouts short enough for tests but generous for a loaded CI machine.
    static Config base();
    // base() with one provider "a" at 127.0.0.1:`port` and the alias "general" on its "model-a".
    static Config oneUpstream(quint16 port);
    // The config file of a binary under test: one OpenAI-kind provider "fake" at `baseUrl`
    // ("http://127.0.0.1:PORT") and the alias "general" on its model "m".
    static QByteArray oneProviderFile(const QByteArray &baseUrl);
    // A log that keeps every row and body whatever its age, bodies up to 4 MiB: for tests of
    // what the writer stores rather than of what retention removes.
    static LogConfig keepingEverything();
};

} // namespace Switchyard::Test
