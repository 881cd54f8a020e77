// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/cli/CommandLine.h"
#include "core/log/PostgresLocation.h"
#include "core/config/ConfigFile.h"
#include "core/eval/Evaluations.h"
#include "core/proxy/ProxyWorker.h"
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QStandardPaths>
#include <QUrl>

namespace Switchyard {

namespace {

using Action = CommandLineOptions::Action;

// The commands an option belongs to, as bits of (1 << int(Action)).
constexpr unsigned scope(std::initializer_list<Action> actions)
{
    unsigned bits = 0;
    for (Action a : actions)
        bits |= 1u << int(a);
    return bits;
}
constexpr unsigned RunOnly = scope({Action::Run});
constexpr unsigned RequestsOnly = scope({Action::Requests});
constexpr unsigned ReplayOnly = scope({Action::Replay});
constexpr unsigned EvaluateOnly = scope({Action::Evaluate});
constexpr unsigned AdminCommands = scope({Action::Requests, Action::Replay, Action::Evaluate});
constexpr unsigned Everywhere = ~0u;

struct ScopedOption
{
    QCommandLineOption option;
    unsigned scope;
};

QString commandName(Action action)
{
    switch (action) {
    case Action::Requests: return QStringLiteral("requests");
    case Action::Replay: return QStringLiteral("replay");
    case Action::Evaluate: return QStringLiteral("evaluate");
    default: return QStringLiteral("key");
    }
}

// "the requests command", "the requests, replay or evaluate command", "the gateway (no command)".
QString describeScope(unsigned bits)
{
    if (bits == RunOnly)
        return QStringLiteral("the gateway itself (no command)");
    QStringList names;
    for (Action a : {Action::Requests, Action::Replay, Action::Evaluate}) {
        if (bits & (1u << int(a)))
            names.append(commandName(a));
    }
    const QString last = names.takeLast();
    return QStringLiteral("the %1 command").arg(names.isEmpty() ? last : names.join(QStringLiteral(", ")) + QStringLiteral(" or ") + last);
}

QString usageLines(const QString &program)
{
    return QStringLiteral("Usage: %1 [--config FILE] [--db FILE|URL] [--host H] [--port N] [--workers N] [--headless]\n"
                          "       %1 --attach URL [--cacert FILE]   (the access token in SWITCHYARD_TOKEN)\n"
                          "       %1 requests [--failed] [--limit N] [--url URL] [--config FILE]\n"
                          "       %1 replay ID [--body FILE] [--url URL] [--config FILE]\n"
                          "       %1 evaluate --baseline NAME (--target PROVIDER/MODEL | --alias-file FILE) [--concurrency N]\n"
                          "                [--url URL] [--config FILE]\n"
                          "       %1 key set|delete ENTRY\n\n")
        .arg(program);
}

const char CommandsHelp[] =
    "Commands:\n"
    "  (none)                 Run the gateway: the proxy, the admin API and (unless headless) the window.\n"
    "  requests               List the running instance's recent requests, newest first.\n"
    "  replay ID              Send a logged request again through the current routes and show the result.\n"
    "  evaluate               Replay a baseline (saved logged requests) through a candidate route and compare\n"
    "                         cost, latency, failures and answers with the original calls: --baseline NAME;\n"
    "                         the candidate --target PROVIDER/MODEL or --alias-file FILE (a JSON alias as in\n"
    "                         the config); --concurrency N calls at a time, 1 to 16 (default: 4).\n"
    "  key set ENTRY          Store the API key read from standard input in the system keychain as ENTRY;\n"
    "                         a provider uses it with \"api_key_keychain\": \"ENTRY\".\n"
    "  key delete ENTRY       Remove ENTRY from the system keychain.\n"
    "  The commands reach the running instance at --url, else at the listen address of the config file.\n\n";

// The value of --limit, --workers or --concurrency: a count from 1 to `max`.
Result<int> parseCount(const char *option, const QString &text, int max)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < 1 || value > max)
        return Error{QStringLiteral("--%1: must be an integer from 1 to %2, got \"%3\"").arg(QLatin1String(option)).arg(max).arg(text)};
    return value;
}

Result<QString> parseUrl(const QString &text, const char *option = "url")
{
    const QUrl url(text, QUrl::StrictMode);
    const bool web = url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https");
    if (!url.isValid() || !web || url.host().isEmpty() || url.hasQuery() || url.hasFragment())
        return Error{QStringLiteral("--%1: expected an address like http://127.0.0.1:4141, got \"%2\"").arg(QLatin1String(option), text)};
    return text;
}

// An evaluate option, described under Commands: listed, its long name would widen Qt's option
// column until the default paths no longer fit a line (Qt wraps at 79 columns, cutting paths).
QCommandLineOption evaluateOption(const char *name, const char *valueName)
{
    QCommandLineOption option(QLatin1String(name), QString{}, QLatin1String(valueName));
    option.setFlags(QCommandLineOption::HiddenFromHelp);
    return option;
}

// evaluate's candidate: exactly one of --target (PROVIDER/MODEL, split at the first '/', as a
// model id may hold more) and --alias-file; each nullopt when not given.
Result<bool> parseCandidate(const std::optional<QString> &target, const std::optional<QString> &aliasFile,
                            CommandLineOptions &options)
{
    if (target.has_value() == aliasFile.has_value())
        return Error{QStringLiteral("evaluate: give the candidate as either --target PROVIDER/MODEL or --alias-file FILE")};
    if (aliasFile && aliasFile->isEmpty())
        return Error{QStringLiteral("--alias-file: needs a file name")};
    options.aliasPath = aliasFile.value_or(QString());
    const qsizetype slash = target.value_or(QString()).indexOf(QLatin1Char('/'));
    if (target && (slash <= 0 || slash == target->size() - 1))
        return Error{QStringLiteral("--target: expected PROVIDER/MODEL, got \"%1\"").arg(*target)};
    options.targetProvider = target.value_or(QString()).left(slash);
    options.targetModel = target.value_or(QString()).mid(slash + 1);
    return true;
}

// The command named by the first positional argument, and its own arguments.
Result<bool> parseCommand(const QStringList &positional, CommandLineOptions &options)
{
    if (positional.isEmpty())
        return true;
    const QString &command = positional.constFirst();
    if (command == QLatin1String("requests")) {
        options.action = Action::Requests;
    } else if (command == QLatin1String("replay")) {
        options.action = Action::Replay;
        if (positional.size() < 2 || positional.at(1).isEmpty())
            return Error{QStringLiteral("replay: needs the ID of a request (switchyard requests lists them)")};
        options.requestId = positional.at(1);
    } else if (command == QLatin1String("evaluate")) {
        options.action = Action::Evaluate;
    } else if (command == QLatin1String("key")) {
        const QString verb = positional.value(1);
        if (verb != QLatin1String("set") && verb != QLatin1String("delete"))
            return Error{QStringLiteral("key: expected \"key set ENTRY\" or \"key delete ENTRY\"")};
        options.action = verb == QLatin1String("set") ? Action::KeySet : Action::KeyDelete;
        if (positional.value(2).trimmed().isEmpty())
            return Error{QStringLiteral("key %1: needs the name of a keychain entry (for example the provider's name)").arg(verb)};
        options.keyEntry = positional.at(2);
    } else {
        return Error{
            QStringLiteral("unknown command \"%1\"; the commands are requests, replay, evaluate and key (see --help)").arg(command)};
    }
    const bool key = options.action == Action::KeySet || options.action == Action::KeyDelete;
    const qsizetype used = options.action == Action::Replay ? 2 : key ? 3 : 1;
    if (positional.size() > used)
        return Error{QStringLiteral("%1: unexpected argument \"%2\" (see --help)").arg(command, positional.at(used))};
    return true;
}

} // namespace

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
                                QStringLiteral("Request log: a SQLite file (default: %1), or postgresql://user@host:port/dbname"
                                               " shared by a team's instances.").arg(defaultDbPath()),
                                QStringLiteral("FILE|URL"));
    const QCommandLineOption host(QStringLiteral("host"), QStringLiteral("Address to listen on (overrides listen.host)."),
                                  QStringLiteral("H"));
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("Port to listen on (overrides listen.port)."),
                                  QStringLiteral("N"));
    const QCommandLineOption workers(QStringLiteral("workers"),
                                     QStringLiteral("Proxy threads, 1 to 64 (default: one per core)."),
                                     QStringLiteral("N"));
    const QCommandLineOption headless(QStringLiteral("headless"), QStringLiteral("Run the proxy without any window."));
    const QCommandLineOption attach(QStringLiteral("attach"),
                                    QStringLiteral("Show the window of the gateway at URL instead of running one here."),
                                    QStringLiteral("URL"));
    const QCommandLineOption cacert(QStringLiteral("cacert"), QStringLiteral("--attach: trust this certificate (PEM)."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption url(QStringLiteral("url"),
                                 QStringLiteral("requests, replay, evaluate: the running instance (default: the config's listen address)."),
                                 QStringLiteral("URL"));
    const QCommandLineOption failed(QStringLiteral("failed"), QStringLiteral("requests: only the failed ones."));
    const QCommandLineOption limit(QStringLiteral("limit"), QStringLiteral("requests: how many, 1 to 1000 (default: 20)."),
                                   QStringLiteral("N"));
    const QCommandLineOption body(QStringLiteral("body"),
                                  QStringLiteral("replay: send this JSON file as the request body instead of the logged one."),
                                  QStringLiteral("FILE"));
    const QCommandLineOption baseline = evaluateOption("baseline", "NAME"), target = evaluateOption("target", "PROVIDER/MODEL"),
                             aliasFile = evaluateOption("alias-file", "FILE"), concurrency = evaluateOption("concurrency", "N");
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")}, QStringLiteral("Show the version."));
    const QList<ScopedOption> scoped{{config, Everywhere}, {db, RunOnly},           {host, RunOnly},
                                     {port, RunOnly},     {workers, RunOnly},       {headless, RunOnly},      {url, AdminCommands},
                                     {attach, RunOnly},   {cacert, RunOnly},
                                     {failed, RequestsOnly}, {limit, RequestsOnly}, {body, ReplayOnly},
                                     {baseline, EvaluateOnly}, {target, EvaluateOnly}, {aliasFile, EvaluateOnly},
                                     {concurrency, EvaluateOnly},
                                     {help, Everywhere},  {version, Everywhere}};
    for (const ScopedOption &s : scoped)
        parser.addOption(s.option);

    if (!parser.parse(arguments))
        return Error{parser.errorText() + QStringLiteral(" (see --help)")};

    CommandLineOptions options;
    if (parser.isSet(help)) {
        options.action = Action::Help;
        // Parsed before any QCoreApplication exists, Qt cannot name the program itself.
        const QString program = QFileInfo(arguments.value(0, QStringLiteral("switchyard"))).fileName();
        QString text = parser.helpText();
        text.remove(0, text.indexOf(QLatin1Char('\n')) + 1); // Qt's one-line usage
        text.insert(text.indexOf(QLatin1String("Options:")), QLatin1String(CommandsHelp));
        options.text = usageLines(program) + text;
        return options;
    }
    if (parser.isSet(version)) {
        options.action = Action::Version;
        options.text = QStringLiteral("switchyard %1\n").arg(QCoreApplication::applicationVersion());
        return options;
    }
    if (const Result<bool> command = parseCommand(parser.positionalArguments(), options); !command)
        return command.error();
    for (const ScopedOption &s : scoped) {
        if (!(s.scope & (1u << int(options.action))) && parser.isSet(s.option)) {
            const QString name = QStringLiteral("--") + s.option.names().constLast();
            if (options.action == Action::Run)
                return Error{QStringLiteral("%1: only for %2 (see --help)").arg(name, describeScope(s.scope))};
            return Error{QStringLiteral("%1: not an option of the %2 command (see --help)").arg(name, commandName(options.action))};
        }
    }

    options.configGiven = parser.isSet(config);
    options.configPath = options.configGiven ? parser.value(config) : ConfigFile::defaultPath();
    if (options.configGiven && options.configPath.isEmpty())
        return Error{QStringLiteral("--config: needs a file name")};
    if (options.action != Action::Run) {
        if (parser.isSet(url)) {
            const Result<QString> parsed = parseUrl(parser.value(url));
            if (!parsed)
                return parsed.error();
            options.url = parsed.value();
        }
        options.failedOnly = parser.isSet(failed);
        if (parser.isSet(limit)) {
            const Result<int> parsed = parseCount("limit", parser.value(limit), 1000);
            if (!parsed)
                return parsed.error();
            options.limit = parsed.value();
        }
        if (parser.isSet(body) && parser.value(body).isEmpty())
            return Error{QStringLiteral("--body: needs a file name")};
        options.bodyPath = parser.value(body);
        if (options.action != Action::Evaluate)
            return options;
        options.baseline = parser.value(baseline);
        if (options.baseline.isEmpty())
            return Error{QStringLiteral("evaluate: needs --baseline NAME, the baseline to replay")};
        const auto given = [&parser](const QCommandLineOption &o) {
            return parser.isSet(o) ? std::optional(parser.value(o)) : std::nullopt;
        };
        if (const Result<bool> candidate = parseCandidate(given(target), given(aliasFile), options); !candidate)
            return candidate.error();
        const Result<int> count = parseCount("concurrency", parser.value(concurrency), EvaluationProposal::MaxConcurrency);
        if (parser.isSet(concurrency) && !count)
            return count.error();
        options.concurrency = parser.isSet(concurrency) ? std::optional(count.value()) : std::nullopt;
        return options;
    }

    if (parser.isSet(attach)) {
        const Result<QString> parsed = parseUrl(parser.value(attach), "attach");
        if (!parsed)
            return parsed.error();
        options.attachUrl = parsed.value();
        for (const QCommandLineOption &local : {db, host, port, workers, headless}) {
            if (parser.isSet(local))
                return Error{QStringLiteral("--%1: not used with --attach, which runs no gateway here").arg(local.names().constLast())};
        }
        options.caCertPath = parser.value(cacert);
        return options;
    }
    if (parser.isSet(cacert))
        return Error{QStringLiteral("--cacert: only with --attach")};
    options.dbPath = parser.isSet(db) ? parser.value(db) : defaultDbPath();
    options.dbPathGiven = parser.isSet(db);
    if (PostgresLocation::isPostgres(options.dbPath)) {
        if (const Result<PostgresLocation> parsed = PostgresLocation::parse(options.dbPath); !parsed)
            return Error{QStringLiteral("--db: ") + parsed.error().message};
    }
    if (options.dbPath.isEmpty())
        return Error{QStringLiteral("--db: needs a file name")};
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
    if (parser.isSet(workers)) {
        const Result<int> parsed = parseCount("workers", parser.value(workers), ProxyWorker::MaxCount);
        if (!parsed)
            return parsed.error();
        options.workers = parsed.value();
    }
    options.headless = parser.isSet(headless);
    return options;
}

} // namespace Switchyard
