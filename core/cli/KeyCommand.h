// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>

class QTextStream;

namespace Switchyard {

struct CommandLineOptions;

// `switchyard key set|delete ENTRY`: stores or removes a provider's API key in the system
// keychain without the window (a server, a terminal-only machine). The key is read from
// standard input, never from the command line, which other local users can read in /proc;
// on a terminal it is typed without echo. Needs a running QCoreApplication.
class KeyCommand final
{
public:
    static int run(const CommandLineOptions &options, QTextStream &out, QTextStream &err);

private:
    static QString readKey(QTextStream &out);
};

} // namespace Switchyard
