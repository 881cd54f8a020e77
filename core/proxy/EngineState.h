// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/pricing/PriceTable.h"
#include "core/proxy/ProxyWorker.h"
#include "core/routing/SessionAffinity.h"
#include "core/routing/TargetHealth.h"
#include "core/secrets/SecretMasker.h"
#include <QHash>
#include <array>
#include <atomic>
#include <memory>
#include <mutex>

namespace Switchyard {

// What a call reads and the coordinator replaces whole: the config in force, the provider
// keys, the masker built from them once per change (not per call) and the prices. Immutable
// once published, so a call keeps the snapshot it started with on any thread.
struct EngineSnapshot
{
    std::shared_ptr<const Config> config = std::make_shared<const Config>();
    QHash<QString, QByteArray> apiKeys; // provider name → key
    std::shared_ptr<const SecretMasker> masker = std::make_shared<const SecretMasker>();
    PriceTable prices;
};

// What the coordinator and every proxy worker share. The snapshot is swapped under a short
// lock (held for a pointer copy, never across I/O); health locks per call; the counters are
// atomics.
class EngineState final
{
public:
    std::shared_ptr<const EngineSnapshot> snapshot() const
    {
        const std::lock_guard lock(m_mutex);
        return m_snapshot;
    }
    // On the coordinator's thread: every worker's next request sees `next`.
    void publish(std::shared_ptr<const EngineSnapshot> next)
    {
        const std::lock_guard lock(m_mutex);
        m_snapshot.swap(next); // the old one is released with `next`, after the lock
    }

    TargetHealth health;
    // Which target served each sticky session last (thread-safe itself).
    std::shared_ptr<SessionAffinity> affinity = std::make_shared<SessionAffinity>();
    std::atomic<int> inFlight{0};
    // Proxied calls each worker took on, for /metrics (and tests) to show the load is spread.
    std::array<std::atomic<quint64>, ProxyWorker::MaxCount> callsByWorker{};
    std::atomic<int> workers{0};

private:
    mutable std::mutex m_mutex;
    std::shared_ptr<const EngineSnapshot> m_snapshot = std::make_shared<const EngineSnapshot>();
};

} // namespace Switchyard
