// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/TwoUpstreams.h"
#include "tests/support/TestConfigs.h"

namespace Switchyard::Test {

TwoUpstreams::TwoUpstreams(const Side &a, const Side &b, const std::function<void(Config &)> &adjust)
{
    fast.setReply(a.reply);
    slow.setReply(b.reply);
    Config c = TestConfigs::base();
    c.providers = {TestConfigs::provider(QStringLiteral("fast"), fast.port()), TestConfigs::provider(QStringLiteral("slow"), slow.port())};
    c.aliases = {TestConfigs::alias(QStringLiteral("general"), Strategy::Fallback,
                                    {TestConfigs::target(QStringLiteral("fast"), QStringLiteral("model-a"))})};
    c.pricing = {PriceOverride{QStringLiteral("fast"), QStringLiteral("model-a"), a.inputPerMtok, a.outputPerMtok, std::nullopt},
                 PriceOverride{QStringLiteral("slow"), QStringLiteral("model-b"), b.inputPerMtok, b.outputPerMtok, std::nullopt}};
    c.log = TestConfigs::keepingEverything();
    if (adjust)
        adjust(c);
    engine = std::make_unique<EngineThread>(c, dbPath());
}

FakeProvider::Reply TwoUpstreams::reply(const QString &text, int completionTokens)
{
    FakeProvider::Reply r;
    r.text = text;
    r.promptTokens = 10;
    r.completionTokens = completionTokens;
    return r;
}

} // namespace Switchyard::Test
