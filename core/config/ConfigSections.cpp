// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/ConfigSections.h"
#include "core/log/PostgresLocation.h"
#include "core/config/JsonFieldReader.h"
#include <QDir>
#include <QJsonObject>
#include <QUrl>
#include <utility>

namespace Switchyard::ConfigSections {

void readListen(JsonFieldReader &r, const QJsonObject &o, ListenConfig &listen)
{
    const QString path = QStringLiteral("listen");
    r.onlyKeys(o, path, {QStringLiteral("host"), QStringLiteral("port"), QStringLiteral("token"),
                         QStringLiteral("allowed_origins"), QStringLiteral("tls_cert"), QStringLiteral("tls_key")});
    listen.host = r.string(o, path, QStringLiteral("host"), JsonFieldReader::Optional, listen.host);
    if (listen.host.isEmpty())
        r.fail(QStringLiteral("listen.host"), QStringLiteral("must not be empty"));
    listen.port = int(r.integer(o, path, QStringLiteral("port"), 1, 65535, listen.port));
    listen.token = r.string(o, path, QStringLiteral("token"), JsonFieldReader::Optional);
    listen.allowedOrigins = r.stringList(o, path, QStringLiteral("allowed_origins"));
    if (!listen.host.isEmpty() && !isLoopbackHost(listen.host) && listen.token.isEmpty())
        r.fail(QStringLiteral("listen.token"),
               QStringLiteral("required when listen.host \"%1\" is not a loopback address").arg(listen.host));
    listen.tlsCert = r.string(o, path, QStringLiteral("tls_cert"), JsonFieldReader::Optional);
    listen.tlsKey = r.string(o, path, QStringLiteral("tls_key"), JsonFieldReader::Optional);
    if (listen.tlsCert.isEmpty() != listen.tlsKey.isEmpty())
        r.fail(listen.tlsCert.isEmpty() ? QStringLiteral("listen.tls_cert") : QStringLiteral("listen.tls_key"),
               QStringLiteral("TLS needs both listen.tls_cert and listen.tls_key (PEM files)"));
    for (const auto &[field, file] : {std::pair{QStringLiteral("listen.tls_cert"), listen.tlsCert},
                                      std::pair{QStringLiteral("listen.tls_key"), listen.tlsKey}})
        if (!file.isEmpty() && !QDir::isAbsolutePath(file))
            r.fail(field, QStringLiteral("must be an absolute path, got \"%1\"").arg(file));
}

void readLimits(JsonFieldReader &r, const QJsonObject &o, ServerLimits &limits)
{
    const QString path = QStringLiteral("limits");
    r.onlyKeys(o, path, {QStringLiteral("max_body_bytes"), QStringLiteral("max_header_bytes"),
                         QStringLiteral("max_connections"), QStringLiteral("request_timeout_ms"),
                         QStringLiteral("keep_alive_timeout_ms")});
    limits.maxBodyBytes = r.integer(o, path, QStringLiteral("max_body_bytes"), 1024, 1LL << 32, limits.maxBodyBytes);
    limits.maxHeaderBytes = int(r.integer(o, path, QStringLiteral("max_header_bytes"), 1024, 1 << 20, limits.maxHeaderBytes));
    limits.maxConnections = int(r.integer(o, path, QStringLiteral("max_connections"), 1, 100000, limits.maxConnections));
    limits.requestTimeoutMs = int(r.integer(o, path, QStringLiteral("request_timeout_ms"), 100, 3600000, limits.requestTimeoutMs));
    limits.keepAliveTimeoutMs = int(r.integer(o, path, QStringLiteral("keep_alive_timeout_ms"), 100, 3600000, limits.keepAliveTimeoutMs));
}

void readLog(JsonFieldReader &r, const QJsonObject &o, LogConfig &log)
{
    const QString path = QStringLiteral("log");
    r.onlyKeys(o, path, {QStringLiteral("retention_days"), QStringLiteral("body_retention_days"), QStringLiteral("max_db_mib"),
                         QStringLiteral("max_body_kib"), QStringLiteral("database")});
    log.database = r.string(o, path, QStringLiteral("database"), JsonFieldReader::Optional);
    if (PostgresLocation::isPostgres(log.database)) {
        if (const Result<PostgresLocation> parsed = PostgresLocation::parse(log.database); !parsed)
            r.fail(path + QStringLiteral(".database"), parsed.error().message);
    }
    log.retentionDays = int(r.integer(o, path, QStringLiteral("retention_days"), 1, 36500, log.retentionDays));
    log.bodyRetentionDays = int(r.integer(o, path, QStringLiteral("body_retention_days"), 1, 36500, log.bodyRetentionDays));
    log.maxDbMib = int(r.integer(o, path, QStringLiteral("max_db_mib"), 16, 1024 * 1024, log.maxDbMib));
    log.maxBodyKib = int(r.integer(o, path, QStringLiteral("max_body_kib"), 0, 1024 * 1024, log.maxBodyKib));
}

void readTelemetry(JsonFieldReader &r, const QJsonObject &o, TelemetryConfig &telemetry)
{
    const QString path = QStringLiteral("telemetry");
    r.onlyKeys(o, path, {QStringLiteral("otlp_endpoint"), QStringLiteral("headers"), QStringLiteral("export_bodies"),
                         QStringLiteral("service_name")});
    telemetry.otlpEndpoint = r.string(o, path, QStringLiteral("otlp_endpoint"), JsonFieldReader::Optional);
    const QUrl url(telemetry.otlpEndpoint);
    if (!telemetry.otlpEndpoint.isEmpty() && (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
                                              || url.host().isEmpty()))
        r.fail(path + QStringLiteral(".otlp_endpoint"),
               QStringLiteral("must be an http:// or https:// URL such as http://127.0.0.1:4318/v1/traces, got \"%1\"").arg(telemetry.otlpEndpoint));
    if (o.contains(QLatin1String("headers"))) {
        const QJsonObject headers = r.object(o.value(QLatin1String("headers")), path + QStringLiteral(".headers"));
        for (auto it = headers.constBegin(); it != headers.constEnd(); ++it) {
            if (!it.value().isString())
                r.fail(path + QStringLiteral(".headers.") + it.key(), QStringLiteral("must be a string"));
            else
                telemetry.headers.append({it.key(), it.value().toString()});
        }
    }
    if (o.contains(QLatin1String("export_bodies"))) {
        if (!o.value(QLatin1String("export_bodies")).isBool())
            r.fail(path + QStringLiteral(".export_bodies"), QStringLiteral("must be true or false"));
        telemetry.exportBodies = o.value(QLatin1String("export_bodies")).toBool();
    }
    telemetry.serviceName = r.string(o, path, QStringLiteral("service_name"), JsonFieldReader::Optional, telemetry.serviceName);
}

} // namespace Switchyard::ConfigSections
