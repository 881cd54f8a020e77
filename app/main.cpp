// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/AppWiring.h"
#include "app/UnixSignalWatcher.h"
#include "core/cli/AdminClient.h"
#include "core/cli/CommandLine.h"
#include "core/cli/KeyCommand.h"
#include "core/config/ConfigFile.h"
#include "core/util/FileLimits.h"
#include "ui/Appearance.h"
#include "ui/RemoteWindow.h"
#include "ui/SettingsDialog.h"
#include <QApplication>
#include <QCoreApplication>
#include <QFileInfo>
#include <QSettings>
#include <QSslCertificate>
#include <algorithm>
#include <QTextStream>
#include <cstdio>
#include <memory>

using namespace Switchyard;

namespace {

constexpr int ExitUsage = 2;

void printError(const QString &message)
{
    std::fprintf(stderr, "switchyard: %s\n", qPrintable(message));
}

// A clear-text key in a file others can read is worth a warning, not a refusal.
void warnIfKeysExposed(const Config &config, const QString &path)
{
    const bool hasKey = std::any_of(config.providers.cbegin(), config.providers.cend(),
                                    [](const ProviderConfig &p) { return !p.apiKey.isEmpty(); })
                        || !config.listen.token.isEmpty();
    const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::ReadOther;
    if (hasKey && (QFileInfo(path).permissions() & others))
        printError(QStringLiteral("warning: %1 holds a key in clear text and other users can read it; run: chmod 600 %1")
                       .arg(path));
}

bool hasDisplay()
{
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY")
           || qEnvironmentVariable("QT_QPA_PLATFORM").startsWith(QLatin1String("offscreen"));
}

// `--attach URL`: the window of a gateway running elsewhere; no proxy, config file or log here.
int runAttached(int argc, char **argv, const CommandLineOptions &options)
{
    if (!hasDisplay()) {
        printError(QStringLiteral("--attach shows a window, and there is no display (DISPLAY and WAYLAND_DISPLAY are unset)"));
        return ExitUsage;
    }
    AdminClient::Target gateway;
    gateway.base = QUrl(options.attachUrl);
    gateway.token = qEnvironmentVariable("SWITCHYARD_TOKEN");
    if (!options.caCertPath.isEmpty()) {
        gateway.trusted = QSslCertificate::fromPath(options.caCertPath, QSsl::Pem);
        if (gateway.trusted.isEmpty()) {
            printError(QStringLiteral("--cacert: %1 holds no PEM certificate").arg(options.caCertPath));
            return ExitUsage;
        }
    }
    QApplication app(argc, argv);
    QApplication::setQuitOnLastWindowClosed(true);
    if (const Appearance::Theme theme = Appearance::saved(); theme != Appearance::Theme::System)
        Appearance::apply(theme);
    UnixSignalWatcher signals_;
    QObject::connect(&signals_, &UnixSignalWatcher::terminationRequested, &app, &QCoreApplication::quit);
    RemoteWindow window(gateway);
    window.start();
    return app.exec();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication::setApplicationName(QStringLiteral("switchyard"));
    QCoreApplication::setOrganizationName(QStringLiteral("switchyard"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SWITCHYARD_VERSION));

    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    const Result<CommandLineOptions> parsed = CommandLine::parse(arguments);
    if (!parsed) {
        printError(parsed.error().message);
        return ExitUsage;
    }
    const CommandLineOptions &options = parsed.value();
    if (options.action == CommandLineOptions::Action::Help || options.action == CommandLineOptions::Action::Version) {
        std::fputs(qPrintable(options.text), stdout);
        return 0;
    }
    if (options.action == CommandLineOptions::Action::Run)
        FileLimits::raiseOpenFiles();
    if (options.action != CommandLineOptions::Action::Run) { // requests, replay, evaluate, key: a client, no window
        QCoreApplication app(argc, argv);
        QTextStream out(stdout);
        QTextStream err(stderr);
        if (options.action == CommandLineOptions::Action::KeySet || options.action == CommandLineOptions::Action::KeyDelete)
            return KeyCommand::run(options, out, err);
        return AdminClient::run(options, out, err);
    }

    if (!options.attachUrl.isEmpty())
        return runAttached(argc, argv, options);

    Result<Config, QStringList> loaded = ConfigFile::loadOrCreate(options.configPath);
    if (!loaded) {
        for (const QString &message : loaded.error())
            std::fprintf(stderr, "%s\n", qPrintable(message));
        return ExitUsage;
    }
    Config config = loaded.value();
    warnIfKeysExposed(config, options.configPath);
    const ListenConfig fromFile = config.listen;
    if (options.host)
        config.listen.host = *options.host;
    if (options.port)
        config.listen.port = *options.port;
    if (!isLoopbackHost(config.listen.host) && config.listen.token.isEmpty()) {
        printError(QStringLiteral("--host: %1 is not a loopback address; set listen.token in %2 first "
                                  "(anyone who can reach the port could spend your keys)")
                       .arg(config.listen.host, options.configPath));
        return ExitUsage;
    }

    const bool headless = options.headless || !hasDisplay();
    if (headless && !options.headless)
        std::fputs("switchyard: no display found (DISPLAY and WAYLAND_DISPLAY are unset); running headless\n", stdout);
    std::unique_ptr<QCoreApplication> app = headless ? std::make_unique<QCoreApplication>(argc, argv)
                                                     : std::make_unique<QApplication>(argc, argv);
    if (!headless) {
        QApplication::setQuitOnLastWindowClosed(true);
        if (const Appearance::Theme theme = Appearance::saved(); theme != Appearance::Theme::System)
            Appearance::apply(theme);
    }

    UnixSignalWatcher signals_;
    QObject::connect(&signals_, &UnixSignalWatcher::terminationRequested, app.get(), &QCoreApplication::quit);

    Config fileConfig = config;
    fileConfig.listen = fromFile;
    // --db always wins; then log.database in the config (a team's PostgreSQL); then the log
    // file the window's settings name.
    QString dbPath = options.dbPath;
    const QString preferred = QSettings().value(SettingsDialog::databasePathKey()).toString();
    if (!options.dbPathGiven && !config.log.database.isEmpty())
        dbPath = config.log.database;
    else if (!options.dbPathGiven && !preferred.isEmpty())
        dbPath = preferred;
    AppWiring wiring(fileConfig, options.configPath, dbPath, config.listen, headless);
    if (headless) // the window shows a failure to start; a terminal session ends with it
        QObject::connect(&wiring, &AppWiring::startFailed, app.get(), [] { QCoreApplication::exit(1); });
    wiring.setWorkers(options.workers.value_or(0));
    if (!wiring.start())
        return 1;
    return app->exec();
}
