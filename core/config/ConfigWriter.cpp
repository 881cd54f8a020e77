// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/ConfigWriter.h"
#include "core/log/PostgresLocation.h"
#include <QJsonArray>
#include <QJsonDocument>

namespace Switchyard {

namespace {

QJsonObject retryJson(const RetryPolicy &r)
{
    return {{QStringLiteral("max_attempts"), r.maxAttempts}, {QStringLiteral("backoff_ms"), r.backoffMs}};
}

QJsonObject timeoutsJson(const Timeouts &t)
{
    return {{QStringLiteral("connect_ms"), t.connectMs},
            {QStringLiteral("first_byte_ms"), t.firstByteMs},
            {QStringLiteral("idle_ms"), t.idleMs},
            {QStringLiteral("total_ms"), t.totalMs}};
}

} // namespace

QJsonObject ConfigWriter::toJson(const Config &config, Keys keys)
{
    QJsonObject listen{{QStringLiteral("host"), config.listen.host}, {QStringLiteral("port"), config.listen.port}};
    if (!config.listen.token.isEmpty())
        listen.insert(QStringLiteral("token"), keys == Keys::Clear ? config.listen.token : QString(MaskedKey));
    if (config.listen.tls()) {
        listen.insert(QStringLiteral("tls_cert"), config.listen.tlsCert);
        listen.insert(QStringLiteral("tls_key"), config.listen.tlsKey);
    }
    if (!config.listen.allowedOrigins.isEmpty())
        listen.insert(QStringLiteral("allowed_origins"), QJsonArray::fromStringList(config.listen.allowedOrigins));

    QJsonArray providers;
    for (const ProviderConfig &p : config.providers) {
        QJsonObject o{{QStringLiteral("name"), p.name},
                      {QStringLiteral("kind"), providerKindName(p.kind)},
                      {QStringLiteral("base_url"), p.baseUrl.toString()}};
        if (!p.apiKeyEnv.isEmpty())
            o.insert(QStringLiteral("api_key_env"), p.apiKeyEnv);
        if (!p.apiKeyKeychain.isEmpty())
            o.insert(QStringLiteral("api_key_keychain"), p.apiKeyKeychain);
        if (!p.apiKey.isEmpty())
            o.insert(QStringLiteral("api_key"), keys == Keys::Clear ? p.apiKey : QString(MaskedKey));
        providers.append(o);
    }

    QJsonArray aliases;
    for (const AliasConfig &a : config.aliases) {
        QJsonArray targets;
        for (const TargetConfig &t : a.targets) {
            QJsonObject o{{QStringLiteral("provider"), t.provider}, {QStringLiteral("model"), t.model}};
            if (t.weight)
                o.insert(QStringLiteral("weight"), *t.weight);
            if (t.retry)
                o.insert(QStringLiteral("retry"), retryJson(*t.retry));
            if (t.timeouts)
                o.insert(QStringLiteral("timeouts"), timeoutsJson(*t.timeouts));
            targets.append(o);
        }
        QJsonObject alias{{QStringLiteral("name"), a.name},
                          {QStringLiteral("strategy"), strategyName(a.strategy)},
                          {QStringLiteral("targets"), targets}};
        if (a.strictTranslation)
            alias.insert(QStringLiteral("translation"), QStringLiteral("strict"));
        if (a.stickySession)
            alias.insert(QStringLiteral("sticky"), QStringLiteral("session"));
        aliases.append(alias);
    }

    QJsonArray pricing;
    for (const PriceOverride &p : config.pricing) {
        QJsonObject o{{QStringLiteral("provider"), p.provider},
                      {QStringLiteral("model"), p.model},
                      {QStringLiteral("input_per_mtok"), p.inputPerMtok},
                      {QStringLiteral("output_per_mtok"), p.outputPerMtok}};
        if (p.cachedInputPerMtok)
            o.insert(QStringLiteral("cached_input_per_mtok"), *p.cachedInputPerMtok);
        pricing.append(o);
    }

    const ServerLimits &l = config.limits;
    QJsonObject out{
        {QStringLiteral("version"), config.version},
        {QStringLiteral("listen"), listen},
        {QStringLiteral("providers"), providers},
        {QStringLiteral("aliases"), aliases},
        {QStringLiteral("retry"), retryJson(config.retry)},
        {QStringLiteral("cooldown"), QJsonObject{{QStringLiteral("failures"), config.cooldown.failures},
                                                 {QStringLiteral("seconds"), config.cooldown.seconds}}},
        {QStringLiteral("timeouts"), timeoutsJson(config.timeouts)},
        {QStringLiteral("limits"), QJsonObject{{QStringLiteral("max_body_bytes"), l.maxBodyBytes},
                                               {QStringLiteral("max_header_bytes"), l.maxHeaderBytes},
                                               {QStringLiteral("max_connections"), l.maxConnections},
                                               {QStringLiteral("request_timeout_ms"), l.requestTimeoutMs},
                                               {QStringLiteral("keep_alive_timeout_ms"), l.keepAliveTimeoutMs}}},
        {QStringLiteral("log"), QJsonObject{{QStringLiteral("retention_days"), config.log.retentionDays},
                                            {QStringLiteral("body_retention_days"), config.log.bodyRetentionDays},
                                            {QStringLiteral("max_db_mib"), config.log.maxDbMib},
                                            {QStringLiteral("max_body_kib"), config.log.maxBodyKib}}},
        {QStringLiteral("pricing"), pricing},
    };
    if (!config.log.database.isEmpty()) { // a password in the address is masked like a key
        QJsonObject log = out.value(QStringLiteral("log")).toObject();
        log.insert(QStringLiteral("database"),
                   keys == Keys::Clear ? config.log.database : PostgresLocation::redacted(config.log.database));
        out.insert(QStringLiteral("log"), log);
    }
    if (config.telemetry != TelemetryConfig()) {
        const TelemetryConfig &t = config.telemetry;
        QJsonObject headers;
        for (const auto &[name, value] : t.headers) // often an access token: masked like a key
            headers.insert(name, keys == Keys::Clear ? value : QString(MaskedKey));
        QJsonObject telemetry{{QStringLiteral("otlp_endpoint"), t.otlpEndpoint},
                              {QStringLiteral("export_bodies"), t.exportBodies},
                              {QStringLiteral("service_name"), t.serviceName}};
        if (!headers.isEmpty())
            telemetry.insert(QStringLiteral("headers"), headers);
        out.insert(QStringLiteral("telemetry"), telemetry);
    }
    return out;
}

QByteArray ConfigWriter::toBytes(const Config &config, Keys keys)
{
    return QJsonDocument(toJson(config, keys)).toJson(QJsonDocument::Indented);
}

} // namespace Switchyard
