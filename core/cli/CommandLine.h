// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/util/Result.h"
#include <QStringList>
#include <optional>

namespace Switchyard {

struct CommandLineOptions
{
    enum class Action { Run, Help, Version };
    Action action = Action::Run;
    QString configPath;          // as given, or the default path
    QString dbPath;              // as given, or the default path
    std::optional<QString> host; // overrides listen.host
    std::optional<int> port;     // overrides listen.port
    bool headless = false;
    QString text;                // what Help and Version print
};

// Parses switchyard's arguments (arguments[0] is the program). Errors are one line each,
// and the caller exits with code 2 on them.
class CommandLine final
{
public:
    static Result<CommandLineOptions> parse(const QStringList &arguments);
    static QString defaultDbPath();
};

} // namespace Switchyard
