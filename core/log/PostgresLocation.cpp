// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/log/PostgresLocation.h"
#include <QSqlDatabase>
#include <QStringList>
#include <QUrl>
#include <QUrlQuery>

namespace Switchyard {

namespace {
// The libpq keywords a URL may set; others (host, user, …) belong in the address itself.
const QStringList AllowedOptions{QStringLiteral("sslmode"),        QStringLiteral("sslrootcert"),
                                 QStringLiteral("sslcert"),        QStringLiteral("sslkey"),
                                 QStringLiteral("connect_timeout"), QStringLiteral("application_name"),
                                 QStringLiteral("target_session_attrs")};
// Connecting gives up after this long unless the URL says otherwise: the writer retries.
constexpr int DefaultConnectTimeoutS = 5;
} // namespace

bool PostgresLocation::isPostgres(const QString &location)
{
    return location.startsWith(QLatin1String("postgresql://")) || location.startsWith(QLatin1String("postgres://"));
}

Result<PostgresLocation> PostgresLocation::parse(const QString &location)
{
    const QUrl url(location, QUrl::StrictMode);
    if (!isPostgres(location) || !url.isValid())
        return Error{QStringLiteral("%1: not a PostgreSQL address (postgresql://user@host:port/dbname)").arg(redacted(location))};
    PostgresLocation l;
    if (!url.host().isEmpty())
        l.host = url.host();
    l.port = url.port(5432);
    l.user = url.userName();
    l.password = url.password();
    l.database = url.path().mid(1);
    if (l.database.isEmpty() || l.database.contains(QLatin1Char('/')))
        return Error{QStringLiteral("%1: name the database after the host (postgresql://user@host:port/dbname)").arg(redacted(location))};
    QStringList options;
    bool timeoutGiven = false;
    for (const auto &[key, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded)) {
        if (!AllowedOptions.contains(key))
            return Error{QStringLiteral("%1: unknown option \"%2\" (known: %3)").arg(redacted(location), key, AllowedOptions.join(QStringLiteral(", ")))};
        if (value.contains(QLatin1Char(';')) || value.contains(QLatin1Char(' ')))
            return Error{QStringLiteral("%1: option \"%2\" has a space or ';' in its value").arg(redacted(location), key)};
        timeoutGiven = timeoutGiven || key == QLatin1String("connect_timeout");
        options << key + QLatin1Char('=') + value;
    }
    if (!timeoutGiven)
        options << QStringLiteral("connect_timeout=%1").arg(DefaultConnectTimeoutS);
    if (!options.join(QString()).contains(QLatin1String("application_name=")))
        options << QStringLiteral("application_name=switchyard");
    l.options = options.join(QLatin1Char(';'));
    return l;
}

QString PostgresLocation::redacted(const QString &location)
{
    QUrl url(location);
    if (!url.isValid() || url.password().isEmpty())
        return location;
    url.setPassword(QStringLiteral("***"));
    return url.toString();
}

void PostgresLocation::configure(QSqlDatabase &db) const
{
    db.setHostName(host);
    db.setPort(port);
    db.setUserName(user);
    db.setPassword(password);
    db.setDatabaseName(database);
    db.setConnectOptions(options);
}

} // namespace Switchyard
