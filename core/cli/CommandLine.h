// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/util/Result.h"
#include <QStringList>
#include <optional>

namespace Switchyard {

struct CommandLineOptions
{
    enum class Action { Run, Help, Version, Requests, Replay, KeySet, KeyDelete, Evaluate };
    Action action = Action::Run;
    QString configPath;          // as given, or the default path
    bool configGiven = false;    // --config was on the command line
    QString dbPath;              // as given, or the default path
    bool dbPathGiven = false;    // --db was on the command line
    std::optional<QString> host; // overrides listen.host
    std::optional<int> port;     // overrides listen.port
    std::optional<int> workers;  // proxy threads; default: one per core
    bool headless = false;
    QString attachUrl;           // --attach: the window of a remote gateway, no local proxy
    QString caCertPath;          // --cacert: a certificate to trust for an https --attach
    QString text;                // what Help and Version print

    // The requests, replay and evaluate commands, which talk to a running instance.
    QString url;                 // --url; empty: the config file's listen address
    bool failedOnly = false;     // requests --failed
    int limit = 20;              // requests --limit
    QString requestId;           // replay ID
    QString bodyPath;            // replay --body; empty: replay the recorded body
    QString keyEntry;            // key set|delete ENTRY: a system keychain entry

    // The evaluate command: a baseline replayed through a candidate, --target or --alias-file.
    QString baseline;               // --baseline NAME
    QString targetProvider;         // --target PROVIDER/MODEL, split at the first '/'
    QString targetModel;
    QString aliasPath;              // --alias-file: a JSON alias object as in the config
    std::optional<int> concurrency; // --concurrency; default: the gateway's
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
