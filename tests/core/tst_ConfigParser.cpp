// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/TestFiles.h"
#include "core/config/ConfigFile.h"
#include "core/config/ConfigParser.h"
#include "core/config/ConfigWriter.h"
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

using namespace Switchyard;

// Declared before the test data: moc reads "//" inside a raw string literal (a URL) as a comment
// and would not find a class declared after one.
class TestConfigParser final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rejectsBrokenConfig_data();
    void rejectsBrokenConfig();
    void parsesProductExample();
    void minimalConfigGetsDefaults();
    void mergesTargetOverrides();
    void acceptsListenHost_data();
    void acceptsListenHost();
    void parsesOptionalFields();
    void telemetryAndTranslationRoundTrip();
    void parsesShippedDefault();
    void defaultPathFollowsXdgConfigHome();
    void loadOrCreateWritesDefault();
    void loadOrCreateKeepsExistingFile();
    void loadOfBrokenFileNamesItAndKeepsIt();
    void loadOfMissingFileSaysSo();
    void loadOfDirectorySaysSo();
    void saveReplacesAtomically();
    void saveReportsUncreatableDirectory();
};

namespace {

const QByteArray OpenAiProvider = R"({"name":"openai","kind":"openai","base_url":"https://api.openai.com/v1"})";

// A valid file with one provider ("openai") plus the given root members.
QByteArray withOpenAi(const QByteArray &members = QByteArray())
{
    return R"({"version":1,"providers":[)" + OpenAiProvider + ']'
           + (members.isEmpty() ? QByteArray() : QByteArray(",") + members) + '}';
}

// A valid file with one provider ("openai") and the given aliases.
QByteArray withAliases(const QByteArray &aliases)
{
    return withOpenAi(R"("aliases":[)" + aliases + ']');
}

// A valid file whose only provider is the given one.
QByteArray withProvider(const QByteArray &provider)
{
    return R"({"version":1,"providers":[)" + provider + "]}";
}

// The example from PRODUCT.md, "Configuration file (JSON)".
const QByteArray ProductExample = R"({
  "version": 1,
  "listen": { "host": "127.0.0.1", "port": 4141 },
  "providers": [
    { "name": "openai",    "kind": "openai",    "base_url": "https://api.openai.com/v1",    "api_key_env": "OPENAI_API_KEY" },
    { "name": "anthropic", "kind": "anthropic", "base_url": "https://api.anthropic.com",    "api_key_env": "ANTHROPIC_API_KEY" },
    { "name": "openrouter","kind": "openai",    "base_url": "https://openrouter.ai/api/v1", "api_key_env": "OPENROUTER_API_KEY" },
    { "name": "local",     "kind": "openai",    "base_url": "http://127.0.0.1:11434/v1" }
  ],
  "aliases": [
    { "name": "general", "strategy": "fallback",
      "targets": [ { "provider": "openai", "model": "gpt-4o-mini" },
                   { "provider": "anthropic", "model": "claude-3-5-haiku-latest" } ] }
  ],
  "retry":    { "max_attempts": 2, "backoff_ms": 250 },
  "cooldown": { "failures": 3, "seconds": 30 },
  "timeouts": { "connect_ms": 5000, "first_byte_ms": 60000, "idle_ms": 30000, "total_ms": 600000 },
  "pricing":  [ { "provider": "openai", "model": "gpt-4o-mini", "input_per_mtok": 0.15, "output_per_mtok": 0.60 } ]
})";

using Test::fileMode;
using Test::readAll;
using Test::writeFile;

} // namespace

void TestConfigParser::rejectsBrokenConfig_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("messages");
    const auto row = [](const char *name, const QByteArray &json, const QStringList &messages) {
        QTest::newRow(name) << json << messages;
    };

    // Syntax: the position names the offending character (1-based line and column).
    row("invalid JSON: empty file", "", {QStringLiteral("line 1, column 1: invalid JSON: illegal value")});
    row("invalid JSON: stray comma in array", "{\n  \"version\": 1,\n  \"providers\": [,]\n}",
        {QStringLiteral("line 3, column 17: invalid JSON: illegal value")});
    row("invalid JSON: missing comma between members", "{\n  \"version\": 1\n  \"providers\": []\n}",
        {QStringLiteral("line 3, column 3: invalid JSON: unterminated object")});
    row("invalid JSON: trailing comma in object", R"({"version": 1,})",
        {QStringLiteral("line 1, column 15: invalid JSON: object is missing after a comma")});
    row("invalid JSON: bare number at root", "42", {QStringLiteral("line 1, column 1: invalid JSON: illegal value")});
    row("root is an array", "[]", {QStringLiteral("(root): expected an object, got an array")});

    // Version and unknown keys.
    row("version missing", R"({"providers":[]})", {QStringLiteral("version: missing; this file format is version 1")});
    row("version 2", R"({"version":2,"providers":[]})", {QStringLiteral("version: unsupported version 2; expected 1")});
    row("version 1.5", R"({"version":1.5,"providers":[]})", {QStringLiteral("version: unsupported version 1.5; expected 1")});
    row("version as string", R"({"version":"1","providers":[]})",
        {QStringLiteral("version: unsupported version \"1\"; expected 1")});
    row("unknown key at root", withOpenAi(R"("provider":[])"),
        {QStringLiteral("provider: unknown key; expected one of: version, listen, providers, aliases, retry, cooldown, "
                        "timeouts, limits, log, telemetry, pricing")});
    row("unknown key in listen", withOpenAi(R"("listen":{"adress":"127.0.0.1"})"),
        {QStringLiteral("listen.adress: unknown key; expected one of: host, port, token, allowed_origins, tls_cert, tls_key")});
    row("unknown key in provider",
        withProvider(R"({"name":"openai","kind":"openai","base_url":"https://api.openai.com/v1","apikey":"sk-1"})"),
        {QStringLiteral("providers[0].apikey: unknown key; expected one of: name, kind, base_url, api_key_env, api_key_keychain, api_key")});
    row("unknown key in alias", withAliases(R"({"name":"general","fallback":true,"targets":[{"provider":"openai","model":"m"}]})"),
        {QStringLiteral("aliases[0].fallback: unknown key; expected one of: name, strategy, targets, translation, sticky")});
    row("unknown key in target", withAliases(R"({"name":"general","targets":[{"provider":"openai","model":"m","wieght":2}]})"),
        {QStringLiteral("aliases[0].targets[0].wieght: unknown key; expected one of: provider, model, weight, retry, timeouts")});
    row("unknown key in target retry",
        withAliases(R"({"name":"general","targets":[{"provider":"openai","model":"m","retry":{"attempts":3}}]})"),
        {QStringLiteral("aliases[0].targets[0].retry.attempts: unknown key; expected one of: max_attempts, backoff_ms")});

    // listen
    const QString portRange = QStringLiteral("listen.port: must be an integer from 1 to 65535, got %1");
    row("port above 65535", withOpenAi(R"("listen":{"port":65536})"), {portRange.arg(QStringLiteral("65536"))});
    row("port 0 in the file", withOpenAi(R"("listen":{"port":0})"), {portRange.arg(QStringLiteral("0"))});
    row("port negative", withOpenAi(R"("listen":{"port":-80})"), {portRange.arg(QStringLiteral("-80"))});
    row("port as string", withOpenAi(R"("listen":{"port":"4141"})"), {portRange.arg(QStringLiteral("a string"))});
    row("port fractional", withOpenAi(R"("listen":{"port":4141.5})"), {portRange.arg(QStringLiteral("4141.5"))});
    row("port null", withOpenAi(R"("listen":{"port":null})"), {portRange.arg(QStringLiteral("null"))});
    row("host empty", withOpenAi(R"("listen":{"host":""})"), {QStringLiteral("listen.host: must not be empty")});
    row("host as number", withOpenAi(R"("listen":{"host":127})"), {QStringLiteral("listen.host: expected a string, got a number")});
    row("non-loopback address without token", withOpenAi(R"("listen":{"host":"0.0.0.0"})"),
        {QStringLiteral("listen.token: required when listen.host \"0.0.0.0\" is not a loopback address")});
    row("host name without token", withOpenAi(R"("listen":{"host":"gateway.example.com","token":""})"),
        {QStringLiteral("listen.token: required when listen.host \"gateway.example.com\" is not a loopback address")});
    row("listen not an object", withOpenAi(R"("listen":"127.0.0.1:4141")"),
        {QStringLiteral("listen: expected an object, got a string")});
    row("allowed_origins item not a string", withOpenAi(R"("listen":{"allowed_origins":["http://localhost:3000",3000]})"),
        {QStringLiteral("listen.allowed_origins[1]: expected a string, got a number")});

    // providers
    row("providers missing", R"({"version":1})", {QStringLiteral("providers: missing; expected an array")});
    row("providers not an array", R"({"version":1,"providers":{}})",
        {QStringLiteral("providers: expected an array, got an object")});
    row("duplicate provider name", R"({"version":1,"providers":[)" + OpenAiProvider + ',' + OpenAiProvider + "]}",
        {QStringLiteral("providers[1].name: duplicate provider \"openai\" (also providers[0])")});
    row("provider name with slash", withProvider(R"({"name":"open/ai","kind":"openai","base_url":"https://api.openai.com/v1"})"),
        {QStringLiteral("providers[0].name: must not contain '/', got \"open/ai\"")});
    row("provider name missing", withProvider(R"({"kind":"openai","base_url":"https://api.openai.com/v1"})"),
        {QStringLiteral("providers[0].name: missing; expected a string")});
    row("provider name empty", withProvider(R"({"name":"","kind":"openai","base_url":"https://api.openai.com/v1"})"),
        {QStringLiteral("providers[0].name: must not be empty")});
    row("unknown kind", withProvider(R"({"name":"g","kind":"gemini","base_url":"https://api.example.com"})"),
        {QStringLiteral("providers[0].kind: unknown kind \"gemini\"; expected \"openai\" or \"anthropic\"")});
    row("kind missing", withProvider(R"({"name":"g","base_url":"https://api.example.com"})"),
        {QStringLiteral("providers[0].kind: missing; expected a string")});
    const QString notHttp = QStringLiteral("providers[0].base_url: not an http(s) URL: \"%1\"");
    row("base_url ftp", withProvider(R"({"name":"f","kind":"openai","base_url":"ftp://files.example.com/v1"})"),
        {notHttp.arg(QStringLiteral("ftp://files.example.com/v1"))});
    row("base_url without host", withProvider(R"({"name":"f","kind":"openai","base_url":"http:///v1"})"),
        {notHttp.arg(QStringLiteral("http:///v1"))});
    row("base_url without scheme", withProvider(R"({"name":"f","kind":"openai","base_url":"api.openai.com/v1"})"),
        {notHttp.arg(QStringLiteral("api.openai.com/v1"))});
    row("base_url not a URL", withProvider(R"({"name":"f","kind":"openai","base_url":"https://api.open ai.com"})"),
        {notHttp.arg(QStringLiteral("https://api.open ai.com"))});
    row("base_url missing", withProvider(R"({"name":"f","kind":"openai"})"),
        {QStringLiteral("providers[0].base_url: missing; expected a string")});
    const QString notEnv = QStringLiteral("providers[0].api_key_env: not an environment variable name: \"%1\"");
    row("api_key_env with dashes",
        withProvider(R"({"name":"o","kind":"openai","base_url":"https://a.example","api_key_env":"OPENAI-API-KEY"})"),
        {notEnv.arg(QStringLiteral("OPENAI-API-KEY"))});
    row("api_key_env with dollar",
        withProvider(R"({"name":"o","kind":"openai","base_url":"https://a.example","api_key_env":"$OPENAI_API_KEY"})"),
        {notEnv.arg(QStringLiteral("$OPENAI_API_KEY"))});
    row("api_key_env starting with digit",
        withProvider(R"({"name":"o","kind":"openai","base_url":"https://a.example","api_key_env":"1KEY"})"),
        {notEnv.arg(QStringLiteral("1KEY"))});
    row("api_key_keychain empty",
        withProvider(R"({"name":"o","kind":"openai","base_url":"https://a.example","api_key_keychain":" "})"),
        {QStringLiteral("providers[0].api_key_keychain: must name a keychain entry, got \"\"")});
    row("api_key_keychain not a string",
        withProvider(R"({"name":"o","kind":"openai","base_url":"https://a.example","api_key_keychain":true})"),
        {QStringLiteral("providers[0].api_key_keychain: expected a string, got a boolean")});
    const QString oneSource = QStringLiteral("providers[0]: give the key one way: api_key_env, api_key_keychain or api_key, not several");
    row("key from env and keychain",
        withProvider(R"({"name":"o","kind":"openai","base_url":"https://a.example","api_key_env":"K","api_key_keychain":"o"})"),
        {oneSource});
    row("key from keychain and in clear",
        withProvider(R"({"name":"o","kind":"openai","base_url":"https://a.example","api_key_keychain":"o","api_key":"sk-1"})"),
        {oneSource});

    // aliases and targets
    const QByteArray target = R"({"provider":"openai","model":"gpt-4o"})";
    row("duplicate alias", withAliases(R"({"name":"general","targets":[)" + target + R"(]},{"name":"general","targets":[)" + target + "]}"),
        {QStringLiteral("aliases[1].name: duplicate alias \"general\" (also aliases[0])")});
    row("alias name with slash", withAliases(R"({"name":"openai/gpt-4o","targets":[)" + target + "]}"),
        {QStringLiteral("aliases[0].name: must not contain '/' (reserved for provider/model), got \"openai/gpt-4o\"")});
    row("unknown strategy", withAliases(R"({"name":"general","strategy":"round-robin","targets":[)" + target + "]}"),
        {QStringLiteral("aliases[0].strategy: unknown strategy \"round-robin\"; expected \"fallback\", \"weighted\" or \"least-latency\"")});
    row("unknown translation mode", withAliases(R"({"name":"general","translation":"loose","targets":[)" + target + "]}"),
        {QStringLiteral("aliases[0].translation: unknown translation mode \"loose\"; expected \"lenient\" or \"strict\"")});
    row("unknown sticky mode", withAliases(R"({"name":"general","sticky":"always","targets":[)" + target + "]}"),
        {QStringLiteral("aliases[0].sticky: unknown sticky mode \"always\"; expected \"session\" or \"none\"")});
    row("telemetry endpoint not a URL", withOpenAi(R"("telemetry":{"otlp_endpoint":"collector:4318"})"),
        {QStringLiteral("telemetry.otlp_endpoint: must be an http:// or https:// URL such as http://127.0.0.1:4318/v1/traces, got \"collector:4318\"")});
    row("telemetry header not a string", withOpenAi(R"("telemetry":{"otlp_endpoint":"http://127.0.0.1:4318/v1/traces","headers":{"x-n":1}})"),
        {QStringLiteral("telemetry.headers.x-n: must be a string")});
    row("log database without a database name", withOpenAi(R"("log":{"database":"postgresql://team@db.internal:5432"})"),
        {QStringLiteral("log.database: postgresql://team@db.internal:5432: name the database after the host (postgresql://user@host:port/dbname)")});
    row("log database not a string", withOpenAi(R"("log":{"database":5432})"), {QStringLiteral("log.database: expected a string, got a number")});
    row("telemetry export_bodies not a boolean", withOpenAi(R"("telemetry":{"export_bodies":"yes"})"),
        {QStringLiteral("telemetry.export_bodies: must be true or false")});
    row("empty targets", withAliases(R"({"name":"general","targets":[]})"),
        {QStringLiteral("aliases[0].targets: must list at least one target")});
    row("targets missing", withAliases(R"({"name":"general"})"), {QStringLiteral("aliases[0].targets: missing; expected an array")});
    row("targets not an array", withAliases(R"({"name":"general","targets":"openai"})"),
        {QStringLiteral("aliases[0].targets: expected an array, got a string")});
    row("aliases not an array", withOpenAi(R"("aliases":{})"), {QStringLiteral("aliases: expected an array, got an object")});
    row("unknown provider with hint", withAliases(R"({"name":"general","targets":[{"provider":"opnai","model":"gpt-4o"}]})"),
        {QStringLiteral("aliases[0].targets[0].provider: unknown provider \"opnai\" (did you mean \"openai\"?)")});
    row("unknown provider without hint", withAliases(R"({"name":"general","targets":[{"provider":"mistral","model":"m"}]})"),
        {QStringLiteral("aliases[0].targets[0].provider: unknown provider \"mistral\"")});
    row("model missing", withAliases(R"({"name":"general","targets":[{"provider":"openai"}]})"),
        {QStringLiteral("aliases[0].targets[0].model: missing; expected a string")});
    row("model empty", withAliases(R"({"name":"general","targets":[{"provider":"openai","model":""}]})"),
        {QStringLiteral("aliases[0].targets[0].model: must not be empty")});
    row("weighted target without weight",
        withAliases(R"({"name":"w","strategy":"weighted","targets":[{"provider":"openai","model":"a","weight":1},{"provider":"openai","model":"b"}]})"),
        {QStringLiteral("aliases[0].targets[1].weight: required when strategy is \"weighted\"")});
    row("weight 0", withAliases(R"({"name":"w","strategy":"weighted","targets":[{"provider":"openai","model":"a","weight":0}]})"),
        {QStringLiteral("aliases[0].targets[0].weight: must be greater than 0, got 0")});
    row("weight negative", withAliases(R"({"name":"w","strategy":"weighted","targets":[{"provider":"openai","model":"a","weight":-1.5}]})"),
        {QStringLiteral("aliases[0].targets[0].weight: must be greater than 0, got -1.5")});
    row("weight as string", withAliases(R"({"name":"w","strategy":"weighted","targets":[{"provider":"openai","model":"a","weight":"2"}]})"),
        {QStringLiteral("aliases[0].targets[0].weight: expected a number, got a string")});

    // retry, timeouts, cooldown, limits
    row("max_attempts 0", withOpenAi(R"("retry":{"max_attempts":0})"),
        {QStringLiteral("retry.max_attempts: must be an integer from 1 to 10, got 0")});
    row("max_attempts 11", withOpenAi(R"("retry":{"max_attempts":11})"),
        {QStringLiteral("retry.max_attempts: must be an integer from 1 to 10, got 11")});
    row("max_attempts as string", withOpenAi(R"("retry":{"max_attempts":"3"})"),
        {QStringLiteral("retry.max_attempts: must be an integer from 1 to 10, got a string")});
    row("backoff negative", withOpenAi(R"("retry":{"backoff_ms":-1})"),
        {QStringLiteral("retry.backoff_ms: must be an integer from 0 to 600000, got -1")});
    row("target max_attempts out of range",
        withAliases(R"({"name":"general","targets":[{"provider":"openai","model":"m","retry":{"max_attempts":20}}]})"),
        {QStringLiteral("aliases[0].targets[0].retry.max_attempts: must be an integer from 1 to 10, got 20")});
    row("total_ms below connect_ms", withOpenAi(R"("timeouts":{"connect_ms":5000,"total_ms":1000})"),
        {QStringLiteral("timeouts.total_ms: must be at least connect_ms (5000), got 1000")});
    row("target total_ms below the global connect_ms",
        withAliases(R"({"name":"general","targets":[{"provider":"openai","model":"m","timeouts":{"total_ms":1000}}]})"),
        {QStringLiteral("aliases[0].targets[0].timeouts.total_ms: must be at least connect_ms (5000), got 1000")});
    row("connect_ms 0", withOpenAi(R"("timeouts":{"connect_ms":0})"),
        {QStringLiteral("timeouts.connect_ms: must be an integer from 1 to 86400000, got 0")});
    row("timeouts not an object", withOpenAi(R"("timeouts":5000)"), {QStringLiteral("timeouts: expected an object, got a number")});
    row("cooldown failures 0", withOpenAi(R"("cooldown":{"failures":0})"),
        {QStringLiteral("cooldown.failures: must be an integer from 1 to 1000, got 0")});
    row("cooldown seconds negative", withOpenAi(R"("cooldown":{"seconds":-5})"),
        {QStringLiteral("cooldown.seconds: must be an integer from 0 to 86400, got -5")});
    row("limits body below 1 KiB", withOpenAi(R"("limits":{"max_body_bytes":10})"),
        {QStringLiteral("limits.max_body_bytes: must be an integer from 1024 to 4294967296, got 10")});

    // pricing
    const QString badPrice = QStringLiteral("pricing[0].%1: expected a price of 0 or more (USD per million tokens), got %2");
    row("negative input price", withOpenAi(R"("pricing":[{"provider":"openai","model":"m","input_per_mtok":-0.15,"output_per_mtok":0.6}])"),
        {badPrice.arg(QStringLiteral("input_per_mtok"), QStringLiteral("-0.15"))});
    row("negative cached price",
        withOpenAi(R"("pricing":[{"provider":"openai","model":"m","input_per_mtok":1,"output_per_mtok":2,"cached_input_per_mtok":-1}])"),
        {badPrice.arg(QStringLiteral("cached_input_per_mtok"), QStringLiteral("-1"))});
    row("price as string", withOpenAi(R"("pricing":[{"provider":"openai","model":"m","input_per_mtok":1,"output_per_mtok":"0.6"}])"),
        {badPrice.arg(QStringLiteral("output_per_mtok"), QStringLiteral("a string"))});
    row("price missing", withOpenAi(R"("pricing":[{"provider":"openai","model":"m","input_per_mtok":1}])"),
        {QStringLiteral("pricing[0].output_per_mtok: missing; expected a price in USD per million tokens")});

    // Every problem in the file, in document order of the checks.
    row("several errors all reported",
        R"({"version":2,"listen":{"port":70000},"retry":{"backoff_ms":-1},
            "providers":[{"name":"openai","kind":"gemini","base_url":"ftp://x.example"}],
            "aliases":[{"name":"general","targets":[{"provider":"opnai","model":"gpt-4o"}]}],
            "pricing":[{"provider":"openai","model":"m","input_per_mtok":-1,"output_per_mtok":1}]})",
        {QStringLiteral("version: unsupported version 2; expected 1"),
         portRange.arg(QStringLiteral("70000")),
         QStringLiteral("retry.backoff_ms: must be an integer from 0 to 600000, got -1"),
         QStringLiteral("providers[0].kind: unknown kind \"gemini\"; expected \"openai\" or \"anthropic\""),
         notHttp.arg(QStringLiteral("ftp://x.example")),
         QStringLiteral("aliases[0].targets[0].provider: unknown provider \"opnai\" (did you mean \"openai\"?)"),
         badPrice.arg(QStringLiteral("input_per_mtok"), QStringLiteral("-1"))});
}

void TestConfigParser::rejectsBrokenConfig()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, messages);
    const Result<Config, QStringList> parsed = ConfigParser::parse(json);
    QVERIFY(!parsed);
    QCOMPARE(parsed.error(), messages);
}

void TestConfigParser::parsesProductExample()
{
    const Result<Config, QStringList> parsed = ConfigParser::parse(ProductExample);
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().join(QLatin1Char('\n'))));
    const Config &c = parsed.value();
    QCOMPARE(c.version, 1);
    QCOMPARE(c.listen, ListenConfig());
    QCOMPARE(c.listen.host, QStringLiteral("127.0.0.1"));
    QCOMPARE(c.listen.port, 4141);

    QCOMPARE(c.providers.size(), 4);
    const QList<ProviderConfig> providers{
        {QStringLiteral("openai"), ProviderKind::OpenAI, QUrl(QStringLiteral("https://api.openai.com/v1")), QStringLiteral("OPENAI_API_KEY"), {}, {}},
        {QStringLiteral("anthropic"), ProviderKind::Anthropic, QUrl(QStringLiteral("https://api.anthropic.com")), QStringLiteral("ANTHROPIC_API_KEY"), {}, {}},
        {QStringLiteral("openrouter"), ProviderKind::OpenAI, QUrl(QStringLiteral("https://openrouter.ai/api/v1")), QStringLiteral("OPENROUTER_API_KEY"), {}, {}},
        {QStringLiteral("local"), ProviderKind::OpenAI, QUrl(QStringLiteral("http://127.0.0.1:11434/v1")), QString(), {}, {}},
    };
    for (int i = 0; i < providers.size(); ++i)
        QCOMPARE(c.providers.at(i), providers.at(i));
    QCOMPARE(c.provider(QStringLiteral("anthropic"))->baseUrl.host(), QStringLiteral("api.anthropic.com"));
    QCOMPARE(c.providers.at(3).baseUrl.port(), 11434);

    QCOMPARE(c.aliases.size(), 1);
    const AliasConfig *general = c.alias(QStringLiteral("general"));
    QVERIFY(general);
    QVERIFY(general->strategy == Strategy::Fallback);
    const QList<TargetConfig> targets{{QStringLiteral("openai"), QStringLiteral("gpt-4o-mini"), {}, {}, {}},
                                      {QStringLiteral("anthropic"), QStringLiteral("claude-3-5-haiku-latest"), {}, {}, {}}};
    QCOMPARE(general->targets, targets);

    QCOMPARE(c.retry, (RetryPolicy{2, 250}));
    QCOMPARE(c.cooldown, (CooldownPolicy{3, 30}));
    QCOMPARE(c.timeouts, (Timeouts{5000, 60000, 30000, 600000}));
    QCOMPARE(c.limits, ServerLimits());
    QCOMPARE(c.pricing.size(), 1);
    QCOMPARE(c.pricing.constFirst(),
             (PriceOverride{QStringLiteral("openai"), QStringLiteral("gpt-4o-mini"), 0.15, 0.60, std::nullopt}));
}

void TestConfigParser::minimalConfigGetsDefaults()
{
    const Result<Config, QStringList> parsed = ConfigParser::parse(R"({"version":1,"providers":[]})");
    QVERIFY(parsed);
    QCOMPARE(parsed.value(), Config());
    QCOMPARE(parsed.value().retry, (RetryPolicy{2, 250}));
    QCOMPARE(parsed.value().timeouts, (Timeouts{5000, 60000, 30000, 600000}));
}

void TestConfigParser::mergesTargetOverrides()
{
    // The global policies come after the aliases in the text; overrides still merge with them.
    const QByteArray json = withOpenAi(R"(
        "aliases":[{"name":"mix","strategy":"weighted","targets":[
            {"provider":"openai","model":"a","weight":2,"retry":{"backoff_ms":50},"timeouts":{"total_ms":9000}},
            {"provider":"openai","model":"b","weight":0.5}]},
          {"name":"fast","strategy":"least-latency","targets":[
            {"provider":"openai","model":"c","retry":{"max_attempts":7,"backoff_ms":0},"timeouts":{"connect_ms":300,"idle_ms":700}}]}],
        "retry":{"max_attempts":4,"backoff_ms":100},
        "timeouts":{"connect_ms":1000,"first_byte_ms":2000,"idle_ms":3000,"total_ms":4000})");
    const Result<Config, QStringList> parsed = ConfigParser::parse(json);
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().join(QLatin1Char('\n'))));
    const Config &c = parsed.value();
    QCOMPARE(c.retry, (RetryPolicy{4, 100}));
    QCOMPARE(c.timeouts, (Timeouts{1000, 2000, 3000, 4000}));

    const AliasConfig *mix = c.alias(QStringLiteral("mix"));
    QVERIFY(mix);
    QVERIFY(mix->strategy == Strategy::Weighted);
    QCOMPARE(mix->targets.size(), 2);
    QCOMPARE(mix->targets.at(0).weight, std::optional<double>(2));
    QCOMPARE(mix->targets.at(0).retry, std::optional<RetryPolicy>(RetryPolicy{4, 50}));
    QCOMPARE(mix->targets.at(0).timeouts, std::optional<Timeouts>(Timeouts{1000, 2000, 3000, 9000}));
    QCOMPARE(mix->targets.at(1).weight, std::optional<double>(0.5));
    QVERIFY(!mix->targets.at(1).retry);
    QVERIFY(!mix->targets.at(1).timeouts);

    const AliasConfig *fast = c.alias(QStringLiteral("fast"));
    QVERIFY(fast);
    QVERIFY(fast->strategy == Strategy::LeastLatency);
    QCOMPARE(fast->targets.at(0).retry, std::optional<RetryPolicy>(RetryPolicy{7, 0}));
    QCOMPARE(fast->targets.at(0).timeouts, std::optional<Timeouts>(Timeouts{300, 2000, 700, 4000}));
}

void TestConfigParser::acceptsListenHost_data()
{
    QTest::addColumn<QByteArray>("listen");
    QTest::newRow("IPv4 loopback without token") << QByteArray(R"({"host":"127.0.0.1"})");
    QTest::newRow("other 127/8 address without token") << QByteArray(R"({"host":"127.0.0.2"})");
    QTest::newRow("IPv6 loopback without token") << QByteArray(R"({"host":"::1"})");
    QTest::newRow("localhost in capitals without token") << QByteArray(R"({"host":"LOCALHOST"})");
    QTest::newRow("all interfaces with token") << QByteArray(R"({"host":"0.0.0.0","token":"s3cret"})");
    QTest::newRow("LAN address with token") << QByteArray(R"({"host":"192.168.1.10","token":"s3cret"})");
}

void TestConfigParser::acceptsListenHost()
{
    QFETCH(QByteArray, listen);
    const Result<Config, QStringList> parsed = ConfigParser::parse(withOpenAi(R"("listen":)" + listen));
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().join(QLatin1Char('\n'))));
    const QJsonObject expected = QJsonDocument::fromJson(listen).object();
    QCOMPARE(parsed.value().listen.host, expected.value(QLatin1String("host")).toString());
    QCOMPARE(parsed.value().listen.token, expected.value(QLatin1String("token")).toString());
    QCOMPARE(parsed.value().listen.port, 4141);
}

void TestConfigParser::parsesOptionalFields()
{
    const QByteArray json = R"({"version":1,
        "listen":{"host":"localhost","port":8080,"allowed_origins":["http://localhost:3000"]},
        "providers":[{"name":"groq","kind":"openai","base_url":"https://api.groq.com/openai/v1","api_key":"gsk-test"}],
        "cooldown":{"failures":5,"seconds":0},
        "limits":{"max_body_bytes":2048,"max_connections":8},
        "pricing":[{"provider":"groq","model":"llama","input_per_mtok":0,"output_per_mtok":0.1,"cached_input_per_mtok":0.02}]})";
    const Result<Config, QStringList> parsed = ConfigParser::parse(json);
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().join(QLatin1Char('\n'))));
    const Config &c = parsed.value();
    QCOMPARE(c.listen.port, 8080);
    QCOMPARE(c.listen.allowedOrigins, QStringList{QStringLiteral("http://localhost:3000")});
    QCOMPARE(c.providers.constFirst().apiKey, QStringLiteral("gsk-test"));
    QVERIFY(c.providers.constFirst().apiKeyEnv.isEmpty());
    QCOMPARE(c.cooldown, (CooldownPolicy{5, 0}));
    QCOMPARE(c.limits.maxBodyBytes, qint64(2048));
    QCOMPARE(c.limits.maxConnections, 8);
    QCOMPARE(c.limits.maxHeaderBytes, ServerLimits().maxHeaderBytes);
    QCOMPARE(c.pricing.constFirst(),
             (PriceOverride{QStringLiteral("groq"), QStringLiteral("llama"), 0, 0.1, std::optional<double>(0.02)}));
}

void TestConfigParser::parsesShippedDefault()
{
    const Result<Config, QStringList> parsed = ConfigParser::parse(ConfigFile::defaultJson());
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().join(QLatin1Char('\n'))));
    const Config &c = parsed.value();
    QCOMPARE(c.listen.host, QStringLiteral("127.0.0.1"));
    QCOMPARE(c.listen.port, 4141);
    QStringList providers;
    for (const ProviderConfig &p : c.providers)
        providers << p.name;
    QCOMPARE(providers, (QStringList{QStringLiteral("openai"), QStringLiteral("anthropic"), QStringLiteral("openrouter"),
                                     QStringLiteral("local")}));
    QStringList aliases;
    for (const AliasConfig &a : c.aliases)
        aliases << a.name;
    QCOMPARE(aliases, (QStringList{QStringLiteral("general"), QStringLiteral("cheap"), QStringLiteral("long-context"),
                                   QStringLiteral("embed")}));
    // Every alias reaches a provider the file defines.
    for (const AliasConfig &a : c.aliases) {
        for (const TargetConfig &t : a.targets)
            QVERIFY2(c.provider(t.provider), qPrintable(a.name + QLatin1Char(' ') + t.provider));
    }
    QVERIFY(c.pricing.isEmpty());
}

void TestConfigParser::defaultPathFollowsXdgConfigHome()
{
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QByteArray saved = qgetenv("XDG_CONFIG_HOME");
    const bool wasSet = qEnvironmentVariableIsSet("XDG_CONFIG_HOME");
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(home.path()));
    const QString path = ConfigFile::defaultPath();
    if (wasSet)
        qputenv("XDG_CONFIG_HOME", saved);
    else
        qunsetenv("XDG_CONFIG_HOME");
    QCOMPARE(path, home.path() + QStringLiteral("/switchyard/config.json"));
}

void TestConfigParser::loadOrCreateWritesDefault()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("nested/switchyard/config.json"));
    const Result<Config, QStringList> loaded = ConfigFile::loadOrCreate(path);
    QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().join(QLatin1Char('\n'))));
    QCOMPARE(readAll(path), ConfigFile::defaultJson());
    QCOMPARE(fileMode(path), mode_t(0600));
    QCOMPARE(loaded.value(), ConfigParser::parse(ConfigFile::defaultJson()).value());
}

void TestConfigParser::loadOrCreateKeepsExistingFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("config.json"));
    const QByteArray mine = withOpenAi(R"("listen":{"port":5151})");
    QVERIFY(writeFile(path, mine));
    const Result<Config, QStringList> loaded = ConfigFile::loadOrCreate(path);
    QVERIFY(loaded);
    QCOMPARE(loaded.value().listen.port, 5151);
    QCOMPARE(readAll(path), mine);
}

void TestConfigParser::loadOfBrokenFileNamesItAndKeepsIt()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("config.json"));
    const QByteArray broken =
        withAliases(R"({"name":"general","targets":[{"provider":"opnai","model":"gpt-4o"}]},{"name":"a/b","targets":[]})");
    QVERIFY(writeFile(path, broken));
    const QDateTime modified = QFileInfo(path).lastModified();
    const QStringList expected{
        path + QStringLiteral(": aliases[0].targets[0].provider: unknown provider \"opnai\" (did you mean \"openai\"?)"),
        path + QStringLiteral(": aliases[1].name: must not contain '/' (reserved for provider/model), got \"a/b\""),
        path + QStringLiteral(": aliases[1].targets: must list at least one target")};

    const Result<Config, QStringList> loaded = ConfigFile::load(path);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error(), expected);
    // loadOrCreate() must not "repair" an existing file with the default either.
    const Result<Config, QStringList> created = ConfigFile::loadOrCreate(path);
    QVERIFY(!created);
    QCOMPARE(created.error(), expected);

    QCOMPARE(readAll(path), broken);
    QCOMPARE(QFileInfo(path).lastModified(), modified);
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
             QStringList{QStringLiteral("config.json")});
}

void TestConfigParser::loadOfMissingFileSaysSo()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("missing.json"));
    const Result<Config, QStringList> loaded = ConfigFile::load(path);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error(), QStringList{path + QStringLiteral(": cannot read: No such file or directory")});
    QVERIFY(!QFileInfo::exists(path)); // load() never creates
}

void TestConfigParser::loadOfDirectorySaysSo()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("config.json"));
    QVERIFY(QDir().mkpath(path));
    QCOMPARE(ConfigFile::load(path).error(), QStringList{path + QStringLiteral(": cannot read: file to open is a directory")});
    QCOMPARE(ConfigFile::loadOrCreate(path).error(), QStringList{path + QStringLiteral(": cannot read: file to open is a directory")});
    QVERIFY(QFileInfo(path).isDir());
}

void TestConfigParser::saveReplacesAtomically()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("config.json"));
    const QByteArray before = withOpenAi(R"("listen":{"port":1111})");
    const QByteArray after = withOpenAi(R"("listen":{"port":2222})");
    QVERIFY(writeFile(path, before));
    QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup
                                            | QFileDevice::ReadOther));

    // A reader that opened the file before the save keeps reading the complete old content:
    // the new content arrives by renaming a finished file over the old one, not by rewriting it.
    QFile reader(path);
    QVERIFY(reader.open(QIODevice::ReadOnly));

    const Result<bool> saved = ConfigFile::save(path, after);
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().message));
    QCOMPARE(readAll(path), after);
    QCOMPARE(reader.readAll(), before);
    QCOMPARE(fileMode(path), mode_t(0600));
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot),
             QStringList{QStringLiteral("config.json")});
    QCOMPARE(ConfigFile::load(path).value().listen.port, 2222);
}

void TestConfigParser::saveReportsUncreatableDirectory()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString blocker = dir.filePath(QStringLiteral("not-a-dir"));
    QVERIFY(writeFile(blocker, "x"));
    const QString path = blocker + QStringLiteral("/config.json");
    const Result<bool> saved = ConfigFile::save(path, ConfigFile::defaultJson());
    QVERIFY(!saved);
    QCOMPARE(saved.error().message, path + QStringLiteral(": cannot create the directory ") + blocker);
    QCOMPARE(readAll(blocker), QByteArray("x"));
}

// The second wave's keys survive a write and a read, and the collector's header is masked
// like a key when shown.
void TestConfigParser::telemetryAndTranslationRoundTrip()
{
    const QByteArray json = withOpenAi(
        R"("aliases":[{"name":"general","translation":"strict","sticky":"session","targets":[{"provider":"openai","model":"gpt-4o"}]}],)"
        R"("telemetry":{"otlp_endpoint":"https://otel.example/v1/traces","headers":{"Authorization":"Bearer otel-secret"},)"
        R"("export_bodies":true,"service_name":"team-gateway"},)"
        R"("log":{"database":"postgresql://team:pg-secret@db.internal:5433/switchyard?sslmode=require"})");
    const auto parsed = ConfigParser::parse(json);
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : qPrintable(parsed.error().join(u'\n')));
    const Config &c = parsed.value();
    QVERIFY(c.aliases.first().strictTranslation);
    QVERIFY(c.aliases.first().stickySession);
    QCOMPARE(c.telemetry.otlpEndpoint, QStringLiteral("https://otel.example/v1/traces"));
    QCOMPARE(c.telemetry.headers.first().second, QStringLiteral("Bearer otel-secret"));
    QVERIFY(c.telemetry.exportBodies);
    QCOMPARE(c.telemetry.serviceName, QStringLiteral("team-gateway"));
    const auto again = ConfigParser::parse(ConfigWriter::toBytes(c, ConfigWriter::Keys::Clear));
    QVERIFY(again.ok());
    QCOMPARE(again.value(), c);
    QCOMPARE(c.log.database, QStringLiteral("postgresql://team:pg-secret@db.internal:5433/switchyard?sslmode=require"));
    QVERIFY(!ConfigWriter::toBytes(c, ConfigWriter::Keys::Masked).contains("otel-secret"));
    QVERIFY(!ConfigWriter::toBytes(c, ConfigWriter::Keys::Masked).contains("pg-secret"));
    QVERIFY(ConfigWriter::toBytes(c, ConfigWriter::Keys::Masked).contains("postgresql://team:***@db.internal:5433/switchyard"));
    QVERIFY(!ConfigWriter::toBytes(ConfigParser::parse(withOpenAi()).value()).contains("telemetry")); // off: not written
}

QTEST_GUILESS_MAIN(TestConfigParser)
#include "tst_ConfigParser.moc"
