// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/cli/KeyCommand.h"
#include "core/cli/CommandLine.h"
#include "core/secrets/KeychainStore.h"
#include <QEventLoop>
#include <QFile>
#include <QTextStream>
#include <termios.h>
#include <unistd.h>

namespace Switchyard {

QString KeyCommand::readKey(QTextStream &out)
{
    const bool terminal = isatty(STDIN_FILENO);
    termios saved{};
    if (terminal && tcgetattr(STDIN_FILENO, &saved) == 0) {
        out << "API key (not shown): " << Qt::flush;
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    QFile in;
    (void)in.open(stdin, QIODevice::ReadOnly);
    const QString key = QString::fromUtf8(in.readLine()).trimmed();
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        out << "\n";
    }
    return key;
}

int KeyCommand::run(const CommandLineOptions &options, QTextStream &out, QTextStream &err)
{
    const bool set = options.action == CommandLineOptions::Action::KeySet;
    QByteArray key;
    if (set) {
        key = readKey(out).toUtf8();
        if (key.isEmpty()) {
            err << "switchyard: key set: no key on standard input (type it, or pipe it in)\n";
            return 2;
        }
    }
    KeychainStore store;
    QEventLoop loop;
    QString failure;
    QObject::connect(&store, &KeychainStore::keyWritten, &loop, &QEventLoop::quit);
    QObject::connect(&store, &KeychainStore::keyRemoved, &loop, &QEventLoop::quit);
    QObject::connect(&store, &KeychainStore::failed, &loop, [&loop, &failure](const QString &, const QString &message) {
        failure = message;
        loop.quit();
    });
    if (set)
        store.write(options.keyEntry, key);
    else
        store.remove(options.keyEntry);
    loop.exec();
    key.fill('\0');
    if (!failure.isEmpty()) {
        err << "switchyard: key " << (set ? "set" : "delete") << ": " << failure << "\n";
        return 1;
    }
    if (set)
        out << "Stored in the system keychain as \"" << options.keyEntry << "\" (service \"" << KeychainStore::service()
            << "\"). Use it in a provider with: \"api_key_keychain\": \"" << options.keyEntry << "\"\n";
    else
        out << "Removed \"" << options.keyEntry << "\" from the system keychain.\n";
    return 0;
}

} // namespace Switchyard
