// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/metrics/Metrics.h"
#include "core/pricing/PriceTable.h"
#include "core/routing/SessionAffinity.h"
#include "core/routing/TargetHealth.h"
#include "core/util/SecretMasker.h"
#include <QHash>
#include <QRandomGenerator>
#include <memory>

namespace Switchyard {

// What the engine's parts share, all on the engine thread: the config in force (each call
// keeps the snapshot it started with), the provider keys and the masker built from them once
// per change (not per call), prices, target health, metrics and the routing draw.
struct EngineState
{
    std::shared_ptr<const Config> config = std::make_shared<const Config>();
    QHash<QString, QByteArray> apiKeys; // provider name → key
    std::shared_ptr<const SecretMasker> masker = std::make_shared<const SecretMasker>();
    PriceTable builtInPrices = PriceTable::builtIn();
    PriceTable prices;
    TargetHealth health;
    // Shared by every engine worker: which target served each sticky session last.
    std::shared_ptr<SessionAffinity> affinity = std::make_shared<SessionAffinity>();
    Metrics metrics;
    QRandomGenerator random = QRandomGenerator::securelySeeded();
    int inFlight = 0;

    void setKeys(const QHash<QString, QByteArray> &keys)
    {
        apiKeys = keys;
        masker = std::make_shared<const SecretMasker>(keys.values());
    }
};

} // namespace Switchyard
