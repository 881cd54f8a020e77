// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/cli/CommandLine.h"
#include "core/config/ConfigFile.h"
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QStandardPaths>

namespace Switchyard {

QString CommandLine::defaultDbPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
           + QStringLiteral("/switchyard/requests.db");
}

Result<CommandLineOptions> CommandLine::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Switchyard: a local LLM gateway. Point OpenAI and Anthropic clients at it; "
                       "it routes aliases to provider models with fallback, retries and timeouts, "
                       "and logs every call."));
    const QCommandLineOption config(QStringLiteral("config"),
                                    QStringLiteral("Config file (default: %1).").arg(ConfigFile::defaultPath()),
                                    QStringLiteral("FILE"));
    const QCommandLineOption db(QStringLiteral("db"),
                                QStringLiteral("Request log database (default: %1).").arg(defaultDbPath()),
                                QStringLiteral("FILE"));
    const QCommandLineOption host(QStringLiteral("host"), QStringLiteral("Address to listen on (overrides listen.host)."),
                                  QStringLiteral("H"));
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("Port to listen on (overrides listen.port)."),
                                  QStringLiteral("N"));
    const QCommandLineOption headless(QStringLiteral("headless"), QStringLiteral("Run the proxy without any window."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")}, QStringLiteral("Show the version."));
    parser.addOptions({config, db, host, port, headless, help, version});

    if (!parser.parse(arguments))
        return Error{parser.errorText() + QStringLiteral(" (see --help)")};

    CommandLineOptions options;
    if (parser.isSet(help)) {
        options.action = CommandLineOptions::Action::Help;
        // Parsed before any QCoreApplication exists, Qt cannot name the program itself.
        options.text = parser.helpText().replace(QStringLiteral("<executable_name>"),
                                                 QFileInfo(arguments.value(0, QStringLiteral("switchyard"))).fileName());
        return options;
    }
    if (parser.isSet(version)) {
        options.action = CommandLineOptions::Action::Version;
        options.text = QStringLiteral("switchyard %1\n").arg(QCoreApplication::applicationVersion());
        return options;
    }
    if (!parser.positionalArguments().isEmpty())
        return Error{QStringLiteral("unexpected argument \"%1\" (see --help)").arg(parser.positionalArguments().constFirst())};

    options.configPath = parser.isSet(config) ? parser.value(config) : ConfigFile::defaultPath();
    options.dbPath = parser.isSet(db) ? parser.value(db) : defaultDbPath();
    if (options.dbPath.startsWith(QLatin1String("postgresql://")) || options.dbPath.startsWith(QLatin1String("postgres://")))
        return Error{QStringLiteral("--db: logging to PostgreSQL is not available in this build; give a SQLite file")};
    if (options.dbPath.isEmpty())
        return Error{QStringLiteral("--db: needs a file name")};
    if (parser.isSet(config) && options.configPath.isEmpty())
        return Error{QStringLiteral("--config: needs a file name")};
    if (parser.isSet(host)) {
        if (parser.value(host).isEmpty())
            return Error{QStringLiteral("--host: needs an address")};
        options.host = parser.value(host);
    }
    if (parser.isSet(port)) {
        bool ok = false;
        const int value = parser.value(port).toInt(&ok);
        if (!ok || value < 0 || value > 65535)
            return Error{QStringLiteral("--port: must be an integer from 0 (any free port) to 65535, got \"%1\"").arg(parser.value(port))};
        options.port = value;
    }
    options.headless = parser.isSet(headless);
    return options;
}

} // namespace Switchyard
