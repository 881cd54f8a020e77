// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <optional>

namespace Switchyard {

struct RetryPolicy
{
    int maxAttempts = 2;
    int backoffMs = 250;
    bool operator==(const RetryPolicy &) const = default;
};

struct CooldownPolicy
{
    int failures = 3;
    int seconds = 30;
    bool operator==(const CooldownPolicy &) const = default;
};

struct Timeouts
{
    int connectMs = 5000;
    int firstByteMs = 60000;
    int idleMs = 30000;
    int totalMs = 600000;
    bool operator==(const Timeouts &) const = default;
};

enum class ProviderKind { OpenAI, Anthropic };

struct ProviderConfig
{
    QString name;
    ProviderKind kind = ProviderKind::OpenAI;
    QUrl baseUrl;
    QString apiKeyEnv;
    QString apiKeyKeychain; // an entry of the system keychain (service "switchyard")
    QString apiKey; // discouraged: clear text in the file
    bool operator==(const ProviderConfig &) const = default;
};

enum class Strategy { Fallback, Weighted, LeastLatency };

struct TargetConfig
{
    QString provider;
    QString model;
    std::optional<double> weight;
    std::optional<RetryPolicy> retry;      // already merged with the global policy
    std::optional<Timeouts> timeouts;      // already merged with the global timeouts
    bool operator==(const TargetConfig &) const = default;
};

struct AliasConfig
{
    QString name;
    Strategy strategy = Strategy::Fallback;
    QList<TargetConfig> targets;
    // "translation": "strict" refuses request fields a dialect translation does not know;
    // the default drops them with a note.
    bool strictTranslation = false;
    // "sticky": "session" keeps an agent session on the target that served its previous turn
    // while that target is healthy, so its prompt cache stays warm (SessionAffinity).
    bool stickySession = false;
    bool operator==(const AliasConfig &) const = default;
};

struct PriceOverride
{
    QString provider;
    QString model;
    double inputPerMtok = 0;
    double outputPerMtok = 0;
    std::optional<double> cachedInputPerMtok;
    bool operator==(const PriceOverride &) const = default;
};

struct ListenConfig
{
    QString host = QStringLiteral("127.0.0.1");
    int port = 4141;
    QString token;
    QStringList allowedOrigins;
    // PEM files (absolute paths); both set: the port speaks HTTPS only.
    QString tlsCert;
    QString tlsKey;
    bool tls() const { return !tlsCert.isEmpty(); }
    bool operator==(const ListenConfig &) const = default;
};

// Protection of the inbound server against oversized or slow clients.
struct ServerLimits
{
    qint64 maxBodyBytes = 32LL * 1024 * 1024;
    int maxHeaderBytes = 64 * 1024;
    int maxConnections = 1024;
    int requestTimeoutMs = 30000;   // a request's head and body must keep arriving within this
    int keepAliveTimeoutMs = 75000; // an idle keep-alive connection is closed after this
    bool operator==(const ServerLimits &) const = default;
};

// The request log: how long rows stay, how large the file may grow, how much of each body is kept.
struct LogConfig
{
    int retentionDays = 90;     // rows and roll-ups
    int bodyRetentionDays = 7;  // bodies and headers go sooner: they are most of the bytes
    int maxDbMib = 2048;
    int maxBodyKib = 256;
    // Where the log is: empty for the default file; a file, or a postgresql:// address shared
    // by a team's instances. --db wins over it; read at start only.
    QString database;
    bool operator==(const LogConfig &) const = default;
};

// Traces exported to an OpenTelemetry collector over OTLP/HTTP (off when the endpoint is empty).
struct TelemetryConfig
{
    QString otlpEndpoint;                          // "http://127.0.0.1:4318/v1/traces"
    QList<std::pair<QString, QString>> headers;    // sent with each export (e.g. an auth header)
    bool exportBodies = false;                     // request and response bodies as span attributes
    QString serviceName = QStringLiteral("switchyard");
    bool operator==(const TelemetryConfig &) const = default;
};

struct Config
{
    int version = 1;
    ListenConfig listen;
    QList<ProviderConfig> providers;
    QList<AliasConfig> aliases;
    RetryPolicy retry;
    CooldownPolicy cooldown;
    Timeouts timeouts;
    ServerLimits limits;
    LogConfig log;
    TelemetryConfig telemetry;
    QList<PriceOverride> pricing;
    bool operator==(const Config &) const = default;

    const ProviderConfig *provider(const QString &name) const;
    const AliasConfig *alias(const QString &name) const;
};

QString providerKindName(ProviderKind kind);
QString strategyName(Strategy strategy);
bool isLoopbackHost(const QString &host);

} // namespace Switchyard

Q_DECLARE_METATYPE(Switchyard::Config)
