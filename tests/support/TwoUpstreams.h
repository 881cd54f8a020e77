// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "tests/support/EngineThread.h"
#include "tests/support/FakeProvider.h"
#include <QTemporaryDir>
#include <memory>

namespace Switchyard::Test {

// The real engine with a log, in front of two fake upstreams that answer differently:
// "fast" (model "model-a", the live route of the alias "general") and "slow" (model "model-b"),
// each with its reply and price. For evaluations, whose candidate is "slow".
struct TwoUpstreams
{
    struct Side
    {
        FakeProvider::Reply reply;
        double inputPerMtok = 0;
        double outputPerMtok = 0;
    };

    QTemporaryDir dir;
    FakeProvider fast;
    FakeProvider slow;
    std::unique_ptr<EngineThread> engine;

    // `adjust` changes the config before the engine starts (more aliases, a cooldown policy).
    TwoUpstreams(const Side &a, const Side &b, const std::function<void(Config &)> &adjust = {});
    quint16 port() const { return engine->port(); }
    // A reply of 10 prompt tokens and `completionTokens` completion tokens.
    static FakeProvider::Reply reply(const QString &text, int completionTokens);
    QString dbPath() const { return dir.filePath(QStringLiteral("requests.db")); }
};

} // namespace Switchyard::Test
