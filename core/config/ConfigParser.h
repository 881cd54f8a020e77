// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/util/Result.h"
#include <QByteArray>
#include <QStringList>

namespace Switchyard {

// Turns config JSON into a validated Config. Every problem is reported, each as
// "json.path: what is wrong" (the caller prefixes the file name); nothing is guessed.
class ConfigParser final
{
public:
    static Result<Config, QStringList> parse(const QByteArray &json);
};

} // namespace Switchyard
