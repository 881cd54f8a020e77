// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/cli/CommandLine.h"
#include "core/config/ConfigFile.h"
#include "tests/support/AppProcess.h"
#include "tests/support/RawHttpClient.h"
#include "tests/support/ScopedEnvironment.h"
#include "tests/support/TestFiles.h"
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <sys/stat.h>

using namespace Switchyard;

// Declared before the test data: moc reads "//" inside a raw string literal (a URL) as a comment
// and would not find a class declared after one.
class TestCommandLine final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void rejectsArguments_data();
    void rejectsArguments();
    void attachNamesTheGateway();
    void acceptsArguments_data();
    void acceptsArguments();
    void helpAndVersion_data();
    void helpAndVersion();
    void defaultPathsFollowXdg();

    void binaryRejectsUsage_data();
    void binaryRejectsUsage();
    void binaryRejectsBrokenConfig_data();
    void binaryRejectsBrokenConfig();
    void binaryRefusesOpenHostWithoutToken();
    void binaryPrintsVersion();
    void binaryPrintsHelp();
    void binaryCreatesDefaultConfig();
    void binaryServesHealth();
    void binaryRunsHeadlessWithoutDisplay();
    void binaryReportsPortInUse();
    void binaryExitsCleanlyOnSigterm();
    void binaryWarnsAboutReadableKeys_data();
    void binaryWarnsAboutReadableKeys();
};

namespace {

constexpr int Timeout = 10000;

const QByteArray MinimalConfig = R"({"version":1,"providers":[]})";
const QByteArray OpenAiProvider = R"({"name":"openai","kind":"openai","base_url":"https://api.openai.com/v1"})";

using Test::AppProcess;
using Test::fileMode;
using Test::readAll;
using Test::writeFile;

QString defaultConfigPath(const QTemporaryDir &home)
{
    return home.filePath(QStringLiteral("config/switchyard/config.json"));
}

} // namespace

void TestCommandLine::initTestCase()
{
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
}

void TestCommandLine::init()
{
    // The binary* tests run the real executable, which CTest names.
    if (AppProcess::binary().isEmpty() && QByteArray(QTest::currentTestFunction()).startsWith("binary"))
        QSKIP("SWITCHYARD_BINARY is not set (run through ctest)");
}

void TestCommandLine::rejectsArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    const auto row = [](const char *name, const QStringList &arguments, const QString &message) {
        QTest::newRow(name) << arguments << message;
    };
    const QString badPort = QStringLiteral("--port: must be an integer from 0 (any free port) to 65535, got \"%1\"");
    row("unknown long option", {QStringLiteral("--bogus")}, QStringLiteral("Unknown option 'bogus'. (see --help)"));
    row("PostgreSQL URL without a database", {QStringLiteral("--db"), QStringLiteral("postgresql://sy:secret@localhost")},
        QStringLiteral("--db: postgresql://sy:***@localhost: name the database after the host (postgresql://user@host:port/dbname)"));
    row("PostgreSQL URL with an unknown option", {QStringLiteral("--db"), QStringLiteral("postgresql://sy@localhost/s?bogus=1")},
        QStringLiteral("--db: postgresql://sy@localhost/s?bogus=1: unknown option \"bogus\" (known: sslmode, sslrootcert, sslcert,"
                       " sslkey, connect_timeout, application_name, target_session_attrs)"));
    row("unknown short option", {QStringLiteral("-x")}, QStringLiteral("Unknown option 'x'. (see --help)"));
    row("port without value", {QStringLiteral("--port")}, QStringLiteral("Missing value after '--port'. (see --help)"));
    row("value given to --headless", {QStringLiteral("--headless=yes")},
        QStringLiteral("Unexpected value after '--headless'. (see --help)"));
    row("port above 65535", {QStringLiteral("--port"), QStringLiteral("65536")}, badPort.arg(QStringLiteral("65536")));
    row("port negative", {QStringLiteral("--port"), QStringLiteral("-1")}, badPort.arg(QStringLiteral("-1")));
    row("port not a number", {QStringLiteral("--port"), QStringLiteral("http")}, badPort.arg(QStringLiteral("http")));
    row("port empty", {QStringLiteral("--port=")}, badPort.arg(QString()));
    const QString badWorkers = QStringLiteral("--workers: must be an integer from 1 to 64, got \"%1\"");
    row("no workers", {QStringLiteral("--workers=0")}, badWorkers.arg(QStringLiteral("0")));
    row("too many workers", {QStringLiteral("--workers"), QStringLiteral("65")}, badWorkers.arg(QStringLiteral("65")));
    row("workers not a number", {QStringLiteral("--workers=all")}, badWorkers.arg(QStringLiteral("all")));
    row("port fractional", {QStringLiteral("--port"), QStringLiteral("80.5")}, badPort.arg(QStringLiteral("80.5")));
    row("port with trailing text", {QStringLiteral("--port=80x")}, badPort.arg(QStringLiteral("80x")));
    row("host empty", {QStringLiteral("--host=")}, QStringLiteral("--host: needs an address"));
    row("config empty", {QStringLiteral("--config"), QString()}, QStringLiteral("--config: needs a file name"));
    row("unexpected positional argument", {QStringLiteral("serve")},
        QStringLiteral("unknown command \"serve\"; the commands are requests, replay, evaluate and key (see --help)"));
    row("key without a verb", {QStringLiteral("key")}, QStringLiteral("key: expected \"key set ENTRY\" or \"key delete ENTRY\""));
    row("key with an unknown verb", {QStringLiteral("key"), QStringLiteral("show"), QStringLiteral("openai")},
        QStringLiteral("key: expected \"key set ENTRY\" or \"key delete ENTRY\""));
    row("key set without an entry", {QStringLiteral("key"), QStringLiteral("set")},
        QStringLiteral("key set: needs the name of a keychain entry (for example the provider's name)"));
    row("key given on the command line", {QStringLiteral("key"), QStringLiteral("set"), QStringLiteral("openai"), QStringLiteral("sk-123")},
        QStringLiteral("key: unexpected argument \"sk-123\" (see --help)"));
    row("key with a gateway option", {QStringLiteral("key"), QStringLiteral("delete"), QStringLiteral("openai"), QStringLiteral("--port=1")},
        QStringLiteral("--port: not an option of the key command (see --help)"));
    row("attach to no address", {QStringLiteral("--attach"), QStringLiteral("gateway")},
        QStringLiteral("--attach: expected an address like http://127.0.0.1:4141, got \"gateway\""));
    row("attach with a local log", {QStringLiteral("--attach=https://gw:4141"), QStringLiteral("--db=x.db")},
        QStringLiteral("--db: not used with --attach, which runs no gateway here"));
    row("attach headless", {QStringLiteral("--attach=https://gw:4141"), QStringLiteral("--headless")},
        QStringLiteral("--headless: not used with --attach, which runs no gateway here"));
    row("certificate without attach", {QStringLiteral("--cacert=ca.pem")}, QStringLiteral("--cacert: only with --attach"));
    row("attach with a command", {QStringLiteral("requests"), QStringLiteral("--attach=http://gw:4141")},
        QStringLiteral("--attach: not an option of the requests command (see --help)"));
    row("positional after options", {QStringLiteral("--headless"), QStringLiteral("config.json")},
        QStringLiteral("unknown command \"config.json\"; the commands are requests, replay, evaluate and key (see --help)"));
}

void TestCommandLine::rejectsArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Result<CommandLineOptions> parsed = CommandLine::parse(QStringList{QStringLiteral("switchyard")} + arguments);
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().message, message);
    QVERIFY(!message.contains(QLatin1Char('\n')));
}

void TestCommandLine::attachNamesTheGateway()
{
    const Result<CommandLineOptions> parsed = CommandLine::parse(
        {QStringLiteral("switchyard"), QStringLiteral("--attach"), QStringLiteral("https://gw.internal:4141"), QStringLiteral("--cacert"), QStringLiteral("/etc/gw.pem")});
    QVERIFY(parsed);
    QCOMPARE(parsed.value().action, CommandLineOptions::Action::Run);
    QCOMPARE(parsed.value().attachUrl, QStringLiteral("https://gw.internal:4141"));
    QCOMPARE(parsed.value().caCertPath, QStringLiteral("/etc/gw.pem"));
}

void TestCommandLine::acceptsArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("configPath"); // empty: the default
    QTest::addColumn<QString>("dbPath");     // empty: the default
    QTest::addColumn<QString>("host");       // empty: not given
    QTest::addColumn<int>("port");           // -1: not given
    QTest::addColumn<bool>("headless");
    QTest::newRow("no arguments") << QStringList() << QString() << QString() << QString() << -1 << false;
    QTest::newRow("port 0 picks any free port") << QStringList{QStringLiteral("--port"), QStringLiteral("0")} << QString()
                                                << QString() << QString() << 0 << false;
    QTest::newRow("port 65535") << QStringList{QStringLiteral("--port=65535")} << QString() << QString() << QString() << 65535
                                << false;
    QTest::newRow("headless only") << QStringList{QStringLiteral("--headless")} << QString() << QString() << QString() << -1
                                   << true;
    QTest::newRow("every option")
        << QStringList{QStringLiteral("--config"), QStringLiteral("/etc/switchyard.json"), QStringLiteral("--db"),
                       QStringLiteral("/var/lib/requests.db"), QStringLiteral("--host"), QStringLiteral("0.0.0.0"),
                       QStringLiteral("--port"), QStringLiteral("4242"), QStringLiteral("--headless")}
        << QStringLiteral("/etc/switchyard.json") << QStringLiteral("/var/lib/requests.db") << QStringLiteral("0.0.0.0") << 4242
        << true;
    QTest::newRow("PostgreSQL log")
        << QStringList{QStringLiteral("--db"), QStringLiteral("postgresql://sy@db.internal:5433/switchyard?sslmode=require"),
                       QStringLiteral("--headless")}
        << QString() << QStringLiteral("postgresql://sy@db.internal:5433/switchyard?sslmode=require") << QString() << -1 << true;
    QTest::newRow("relative config path kept as given")
        << QStringList{QStringLiteral("--config=my.json")} << QStringLiteral("my.json") << QString() << QString() << -1 << false;
}

void TestCommandLine::acceptsArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, configPath);
    QFETCH(QString, dbPath);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(bool, headless);
    const Result<CommandLineOptions> parsed = CommandLine::parse(QStringList{QStringLiteral("switchyard")} + arguments);
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
    const CommandLineOptions &o = parsed.value();
    QVERIFY(o.action == CommandLineOptions::Action::Run);
    QCOMPARE(o.configPath, configPath.isEmpty() ? ConfigFile::defaultPath() : configPath);
    QCOMPARE(o.dbPath, dbPath.isEmpty() ? CommandLine::defaultDbPath() : dbPath);
    QCOMPARE(o.host, host.isEmpty() ? std::nullopt : std::optional<QString>(host));
    QCOMPARE(o.port, port < 0 ? std::nullopt : std::optional<int>(port));
    QCOMPARE(o.headless, headless);
    QVERIFY(!o.workers); // the default: one per core
    const Result<CommandLineOptions> three = CommandLine::parse({QStringLiteral("switchyard"), QStringLiteral("--workers=3")});
    QVERIFY(three);
    QVERIFY(three.value().workers == 3);
}

void TestCommandLine::helpAndVersion_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("help");
    QTest::newRow("--help") << QStringList{QStringLiteral("--help")} << true;
    QTest::newRow("-h") << QStringList{QStringLiteral("-h")} << true;
    QTest::newRow("--help wins over a bad port") << QStringList{QStringLiteral("--port=x"), QStringLiteral("--help")} << true;
    QTest::newRow("--version") << QStringList{QStringLiteral("--version")} << false;
    QTest::newRow("-v") << QStringList{QStringLiteral("-v")} << false;
}

void TestCommandLine::helpAndVersion()
{
    QFETCH(QStringList, arguments);
    QFETCH(bool, help);
    const Result<CommandLineOptions> parsed = CommandLine::parse(QStringList{QStringLiteral("switchyard")} + arguments);
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
    if (help) {
        QVERIFY(parsed.value().action == CommandLineOptions::Action::Help);
        for (const char *option : {"--config <FILE>", "--db <FILE|URL>", "--host <H>", "--port <N>", "--headless", "--version"})
            QVERIFY2(parsed.value().text.contains(QLatin1String(option)), option);
        QVERIFY(parsed.value().text.contains(ConfigFile::defaultPath()));
    } else {
        QVERIFY(parsed.value().action == CommandLineOptions::Action::Version);
        QCOMPARE(parsed.value().text, QStringLiteral("switchyard 0.1.0\n"));
    }
}

void TestCommandLine::defaultPathsFollowXdg()
{
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const Test::ScopedEnvironment config("XDG_CONFIG_HOME", QFile::encodeName(home.filePath(QStringLiteral("config"))));
    const Test::ScopedEnvironment data("XDG_DATA_HOME", QFile::encodeName(home.filePath(QStringLiteral("data"))));
    const Result<CommandLineOptions> parsed = CommandLine::parse({QStringLiteral("switchyard")});
    QVERIFY(parsed);
    QCOMPARE(parsed.value().configPath, home.filePath(QStringLiteral("config/switchyard/config.json")));
    QCOMPARE(parsed.value().dbPath, home.filePath(QStringLiteral("data/switchyard/requests.db")));
}

void TestCommandLine::binaryRejectsUsage_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("standardError");
    QTest::newRow("unknown flag") << QStringList{QStringLiteral("--bogus")}
                                  << QByteArray("switchyard: Unknown option 'bogus'. (see --help)\n");
    QTest::newRow("port out of range") << QStringList{QStringLiteral("--port"), QStringLiteral("70000")}
                                       << QByteArray("switchyard: --port: must be an integer from 0 (any free port) to 65535, got \"70000\"\n");
    QTest::newRow("port not a number") << QStringList{QStringLiteral("--port"), QStringLiteral("http")}
                                       << QByteArray("switchyard: --port: must be an integer from 0 (any free port) to 65535, got \"http\"\n");
    QTest::newRow("port without value") << QStringList{QStringLiteral("--headless"), QStringLiteral("--port")}
                                        << QByteArray("switchyard: Missing value after '--port'. (see --help)\n");
    QTest::newRow("positional argument") << QStringList{QStringLiteral("serve")}
                                         << QByteArray("switchyard: unknown command \"serve\"; the commands are requests, replay, evaluate and key (see --help)\n");
    QTest::newRow("attach without a display")
        << QStringList{QStringLiteral("--attach"), QStringLiteral("http://127.0.0.1:1")}
        << QByteArray("switchyard: --attach shows a window, and there is no display (DISPLAY and WAYLAND_DISPLAY are unset)\n");
}

void TestCommandLine::binaryRejectsUsage()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, standardError);
    QTemporaryDir home;
    QVERIFY(home.isValid());
    AppProcess app(home.path());
    QVERIFY(app.run(arguments));
    QCOMPARE(app.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.process().exitCode(), 2);
    QCOMPARE(app.standardError(), standardError);
    QCOMPARE(app.standardOutput(), QByteArray());
    QVERIFY(!QFileInfo::exists(defaultConfigPath(home))); // flags are checked before any file is touched
}

void TestCommandLine::binaryRejectsBrokenConfig_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("messages");
    const QByteArray target = R"({"provider":"openai","model":"gpt-4o-mini"})";
    QTest::newRow("unknown provider (the PRODUCT.md example)")
        << QByteArray(R"({"version":1,"providers":[)" + OpenAiProvider + R"(],"aliases":[{"name":"general","targets":[)"
                      + target + R"(]},{"name":"cheap","targets":[{"provider":"opnai","model":"gpt-4o-mini"}]}]})")
        << QStringList{QStringLiteral("aliases[1].targets[0].provider: unknown provider \"opnai\" (did you mean \"openai\"?)")};
    QTest::newRow("invalid JSON") << QByteArray("{\"version\": 1,}")
                                  << QStringList{QStringLiteral("line 1, column 15: invalid JSON: object is missing after a comma")};
    QTest::newRow("two problems, one line each")
        << QByteArray(R"({"version":1,"listen":{"port":0},"providers":[{"name":"x","kind":"gemini","base_url":"https://x.example"}]})")
        << QStringList{QStringLiteral("listen.port: must be an integer from 1 to 65535, got 0"),
                       QStringLiteral("providers[0].kind: unknown kind \"gemini\"; expected \"openai\" or \"anthropic\"")};
}

void TestCommandLine::binaryRejectsBrokenConfig()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, messages);
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QString path = home.filePath(QStringLiteral("config.json"));
    QVERIFY(writeFile(path, json));
    const QDateTime modified = QFileInfo(path).lastModified();

    AppProcess app(home.path());
    QVERIFY(app.run({QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--config"), path}));
    QCOMPARE(app.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.process().exitCode(), 2);
    QByteArray expected;
    for (const QString &message : std::as_const(messages))
        expected += (path + QStringLiteral(": ") + message + QLatin1Char('\n')).toUtf8();
    QCOMPARE(app.standardError(), expected);
    QCOMPARE(app.standardOutput(), QByteArray());
    QCOMPARE(readAll(path), json);
    QCOMPARE(QFileInfo(path).lastModified(), modified);
    QCOMPARE(QDir(home.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
             QStringList{QStringLiteral("config.json")});
}

void TestCommandLine::binaryRefusesOpenHostWithoutToken()
{
    QTemporaryDir home;
    const QString path = home.filePath(QStringLiteral("config.json"));
    QVERIFY(home.isValid() && writeFile(path, MinimalConfig));
    AppProcess app(home.path());
    QVERIFY(app.run({QStringLiteral("--headless"), QStringLiteral("--host"), QStringLiteral("0.0.0.0"), QStringLiteral("--port"),
                     QStringLiteral("0"), QStringLiteral("--config"), path}));
    QCOMPARE(app.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.process().exitCode(), 2);
    QCOMPARE(QString::fromUtf8(app.standardError()),
             QStringLiteral("switchyard: --host: 0.0.0.0 is not a loopback address; set listen.token in %1 first "
                            "(anyone who can reach the port could spend your keys)\n")
                 .arg(path));
    QCOMPARE(app.standardOutput(), QByteArray());
    QCOMPARE(readAll(path), MinimalConfig);
}

void TestCommandLine::binaryPrintsVersion()
{
    QTemporaryDir home;
    QVERIFY(home.isValid());
    AppProcess app(home.path());
    QVERIFY(app.run({QStringLiteral("--version")}));
    QCOMPARE(app.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.process().exitCode(), 0);
    QCOMPARE(app.standardOutput(), QByteArray("switchyard 0.1.0\n"));
    QCOMPARE(app.standardError(), QByteArray());
}

void TestCommandLine::binaryPrintsHelp()
{
    QTemporaryDir home;
    QVERIFY(home.isValid());
    AppProcess app(home.path());
    QVERIFY(app.run({QStringLiteral("--help")}));
    QCOMPARE(app.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.process().exitCode(), 0);
    const QString help = QString::fromUtf8(app.standardOutput());
    QVERIFY2(help.contains(QStringLiteral("--config <FILE>")), qPrintable(help));
    QVERIFY2(help.contains(defaultConfigPath(home)), qPrintable(help));
    QVERIFY2(help.contains(home.filePath(QStringLiteral("data/switchyard/requests.db"))), qPrintable(help));
    QVERIFY(!QFileInfo::exists(defaultConfigPath(home)));
    const QString usage = help.section(QLatin1Char('\n'), 0, 0);
    QVERIFY2(usage.startsWith(QLatin1String("Usage: ")) && usage.contains(QLatin1String("switchyard")), qPrintable(usage));
}

void TestCommandLine::binaryCreatesDefaultConfig()
{
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QString path = defaultConfigPath(home);
    QVERIFY(!QFileInfo::exists(path));
    AppProcess app(home.path());
    QVERIFY(app.start({QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("0")}));
    const quint16 port = app.waitUntilListening(path);
    QVERIFY2(port != 0, qPrintable(app.failure()));
    QCOMPARE(readAll(path), ConfigFile::defaultJson());
    QCOMPARE(fileMode(path), mode_t(0600));
    QCOMPARE(Test::RawHttpClient::fetch(port, "GET", "/health").status, 200);
}

void TestCommandLine::binaryServesHealth()
{
    QTemporaryDir home;
    const QString path = home.filePath(QStringLiteral("config.json"));
    QVERIFY(home.isValid() && writeFile(path, MinimalConfig));
    AppProcess app(home.path());
    const quint16 port = app.startHeadless(path);
    QVERIFY2(port != 0, qPrintable(app.failure()));

    const Test::RawHttpClient::Response health = Test::RawHttpClient::fetch(port, "GET", "/health");
    QVERIFY2(health.complete, qPrintable(health.error));
    QCOMPARE(health.status, 200);
    QCOMPARE(health.headers.value("content-type"), QByteArray("application/json"));
    const QJsonObject log{{QStringLiteral("store"), QStringLiteral("sqlite")}, {QStringLiteral("state"), QStringLiteral("ok")},
                          {QStringLiteral("queued_rows"), 0}, {QStringLiteral("rows_dropped"), 0}};
    QCOMPARE(health.json(), (QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}, {QStringLiteral("log"), log}}));

    const Test::RawHttpClient::Response missing = Test::RawHttpClient::fetch(port, "GET", "/no/such/endpoint");
    QVERIFY2(missing.complete, qPrintable(missing.error));
    QCOMPARE(missing.status, 404);
    const QJsonObject body = missing.json();
    QCOMPARE(body.keys(), QStringList{QStringLiteral("error")});
    const QJsonObject error = body.value(QLatin1String("error")).toObject();
    QCOMPARE(error.keys(), (QStringList{QStringLiteral("code"), QStringLiteral("message"), QStringLiteral("type")}));
    QVERIFY(error.value(QLatin1String("message")).toString().contains(QLatin1String("/no/such/endpoint")));
    QCOMPARE(error.value(QLatin1String("type")).toString(), QStringLiteral("not_found_error"));
    QCOMPARE(error.value(QLatin1String("code")).toString(), QStringLiteral("unknown_endpoint"));
    QCOMPARE(readAll(path), MinimalConfig); // starting never rewrites a valid file
}

void TestCommandLine::binaryRunsHeadlessWithoutDisplay()
{
    QTemporaryDir home;
    const QString path = home.filePath(QStringLiteral("config.json"));
    QVERIFY(home.isValid() && writeFile(path, MinimalConfig));
    AppProcess app(home.path());
    QVERIFY(app.start({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--config"), path}));
    QCOMPARE(app.readLine(),
             QStringLiteral("switchyard: no display found (DISPLAY and WAYLAND_DISPLAY are unset); running headless"));
    const quint16 port = app.waitUntilListening(path);
    QVERIFY2(port != 0, qPrintable(app.failure()));
    QCOMPARE(Test::RawHttpClient::fetch(port, "GET", "/health").status, 200);
}

void TestCommandLine::binaryReportsPortInUse()
{
    QTemporaryDir home;
    const QString path = home.filePath(QStringLiteral("config.json"));
    QVERIFY(home.isValid() && writeFile(path, MinimalConfig));
    AppProcess first(home.path());
    const quint16 port = first.startHeadless(path);
    QVERIFY2(port != 0, qPrintable(first.failure()));

    AppProcess second(home.path());
    QVERIFY(second.run({QStringLiteral("--headless"), QStringLiteral("--port"), QString::number(port), QStringLiteral("--config"), path}));
    QCOMPARE(second.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(second.process().exitCode(), 1);
    const QString standardError = QString::fromUtf8(second.standardError());
    QVERIFY2(standardError.startsWith(QStringLiteral("switchyard: cannot listen on 127.0.0.1:%1: ").arg(port)),
             qPrintable(standardError));
    QVERIFY2(standardError.endsWith(QLatin1Char('\n')) && standardError.count(QLatin1Char('\n')) == 1, qPrintable(standardError));
    QCOMPARE(second.standardOutput(), QByteArray());
    QCOMPARE(Test::RawHttpClient::fetch(port, "GET", "/health").status, 200); // the first one is undisturbed
}

void TestCommandLine::binaryExitsCleanlyOnSigterm()
{
    QTemporaryDir home;
    const QString path = home.filePath(QStringLiteral("config.json"));
    QVERIFY(home.isValid() && writeFile(path, MinimalConfig));
    AppProcess app(home.path());
    const quint16 port = app.startHeadless(path);
    QVERIFY2(port != 0, qPrintable(app.failure()));

    QVERIFY(app.finish(SIGTERM));
    QCOMPARE(app.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.process().exitCode(), 0);
    QCOMPARE(app.standardError(), QByteArray());

    QTcpSocket socket; // the port is closed with the process
    socket.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(!socket.waitForConnected(Timeout));
    QCOMPARE(socket.error(), QAbstractSocket::ConnectionRefusedError);
}

void TestCommandLine::binaryWarnsAboutReadableKeys_data()
{
    QTest::addColumn<bool>("withKey");
    QTest::addColumn<int>("mode");
    QTest::addColumn<bool>("warned");
    QTest::newRow("key, readable by others") << true << 0644 << true;
    QTest::newRow("key, owner only") << true << 0600 << false;
    QTest::newRow("no key, readable by others") << false << 0644 << false;
}

void TestCommandLine::binaryWarnsAboutReadableKeys()
{
    QFETCH(bool, withKey);
    QFETCH(int, mode);
    QFETCH(bool, warned);
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QString path = home.filePath(QStringLiteral("config.json"));
    // Plain literals: moc misreads raw strings that contain a URL.
    const QByteArray key = withKey ? QByteArray(",\"api_key\":\"sk-planted-0123456789\"") : QByteArray();
    QVERIFY(writeFile(path, "{\"version\":1,\"providers\":[{\"name\":\"p\",\"kind\":\"openai\",\"base_url\":\"http:/"
                            "/127.0.0.1:9/v1\"" + key + "}]}"));
    QVERIFY(QFile::setPermissions(path, QFileDevice::Permissions(
                                            (mode & 0400 ? QFileDevice::ReadOwner : QFileDevice::Permissions()) | QFileDevice::WriteOwner
                                            | (mode & 0044 ? QFileDevice::ReadGroup | QFileDevice::ReadOther : QFileDevice::Permissions()))));
    AppProcess app(home.path());
    QVERIFY(app.start({QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--config"), path,
                       QStringLiteral("--db"), home.filePath(QStringLiteral("log.db"))}));
    QVERIFY(app.readLine().startsWith(QLatin1String("switchyard: listening on ")));
    QVERIFY(app.finish(SIGTERM));
    const QByteArray errors = app.standardError();
    QCOMPARE(errors.contains("holds a key in clear text and other users can read it"), warned);
    if (warned)
        QVERIFY(errors.contains(path.toUtf8()));
    QVERIFY(!errors.contains("sk-planted-0123456789")); // the warning names the file, never the key
}

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_CommandLine.moc"
