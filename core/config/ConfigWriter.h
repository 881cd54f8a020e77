// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include <QJsonObject>

namespace Switchyard {

// A Config as the JSON of the config file (the inverse of ConfigParser). Clear-text keys
// are replaced by "***" unless asked for, so the result is safe to show.
class ConfigWriter final
{
public:
    enum class Keys { Masked, Clear };
    static constexpr QLatin1StringView MaskedKey{"***"};

    static QJsonObject toJson(const Config &config, Keys keys = Keys::Masked);
    static QByteArray toBytes(const Config &config, Keys keys = Keys::Clear);
};

} // namespace Switchyard
