// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/cli/AdminClient.h"
#include "core/cli/EvaluateCommand.h"
#include "core/cli/RequestTable.h"
#include "core/config/ConfigFile.h"
#include "core/upstream/UpstreamCall.h"
#include "core/upstream/UpstreamClient.h"
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

namespace Switchyard {

namespace {

// Where a client reaches a server that listens on `host`: a wildcard address means this machine.
QString reachableHost(const QString &host)
{
    if (host.isEmpty() || host == QLatin1String("0.0.0.0"))
        return QStringLiteral("127.0.0.1");
    if (host == QLatin1String("::") || host == QLatin1String("[::]"))
        return QStringLiteral("::1");
    return host;
}

} // namespace

Result<AdminClient::Target, QStringList> AdminClient::locate(const CommandLineOptions &options)
{
    Target target;
    ListenConfig listen; // the default address, for a config file that was never created
    if (options.configGiven || QFileInfo::exists(options.configPath)) {
        const Result<Config, QStringList> loaded = ConfigFile::load(options.configPath);
        if (!loaded)
            return loaded.error();
        listen = loaded.value().listen;
        target.token = listen.token;
        if (listen.tls()) // the gateway's own certificate, self-signed or not
            target.trusted = QSslCertificate::fromPath(listen.tlsCert, QSsl::Pem);
    }
    if (!options.url.isEmpty()) {
        target.base = QUrl(options.url);
        if (!options.configGiven) // the default config's token is not sent to an address it does not name
            target.token.clear();
    } else {
        target.base.setScheme(listen.tls() ? QStringLiteral("https") : QStringLiteral("http"));
        target.base.setHost(reachableHost(listen.host));
        target.base.setPort(listen.port);
    }
    QString path = target.base.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    target.base.setPath(path);
    return target;
}

void AdminClient::report(QTextStream &err, const QString &message)
{
    err << "switchyard: " << message << '\n';
}

AdminClient::AdminClient(Target target)
    : m_target(std::move(target))
{
}

QString AdminClient::address() const
{
    return m_target.base.toString(QUrl::RemoveUserInfo);
}

UpstreamRequest AdminClient::request(const Target &target, const QByteArray &method, const QString &path, const QString &query,
                                     const QByteArray &body, const QByteArray &userAgent)
{
    UpstreamRequest request;
    request.url = target.base;
    request.url.setPath(target.base.path(QUrl::FullyEncoded) + path, QUrl::TolerantMode);
    if (!query.isEmpty())
        request.url.setQuery(query, QUrl::TolerantMode);
    request.method = method;
    request.headers.add("Accept", path == QLatin1String("/api/events") ? "text/event-stream" : "application/json");
    request.headers.add("User-Agent", userAgent);
    if (!body.isEmpty())
        request.headers.add("Content-Type", "application/json");
    if (!target.token.isEmpty())
        request.headers.add("Authorization", "Bearer " + target.token.toUtf8());
    request.body = body;
    return request;
}

Result<AdminClient::Reply> AdminClient::send(const QByteArray &method, const QString &path, const QString &query,
                                             const QByteArray &body)
{
    UpstreamRequest request = AdminClient::request(m_target, method, path, query, body, "switchyard-cli");
    request.timeouts = Timeouts{TimeoutMs, TimeoutMs, TimeoutMs, TimeoutMs};

    UpstreamClient client;
    client.trustCertificates(m_target.trusted);
    UpstreamCall *call = client.createCall(request);
    QEventLoop loop;
    Reply reply;
    std::optional<Result<Reply>> outcome;
    QObject::connect(call, &UpstreamCall::responseData, &loop, [&reply](const QByteArray &data) { reply.body += data; });
    QObject::connect(call, &UpstreamCall::finished, &loop, [&] {
        reply.status = call->status();
        reply.json = QJsonDocument::fromJson(reply.body).object();
        outcome = reply;
        loop.quit();
    });
    QObject::connect(call, &UpstreamCall::failed, &loop, [&](ErrorClass errorClass, const QString &message) {
        if (errorClass == ErrorClass::ConnectFailed || errorClass == ErrorClass::TimeoutConnect)
            outcome = Error{QStringLiteral("nothing is listening at %1 (start switchyard, or give --url)").arg(address())};
        else if (errorClass == ErrorClass::TimeoutFirstByte || errorClass == ErrorClass::TimeoutIdle)
            outcome = Error{QStringLiteral("%1 did not answer within %2 s").arg(address()).arg(TimeoutMs / 1000)};
        else
            outcome = Error{QStringLiteral("%1 did not answer like switchyard: %2").arg(address(), message)};
        loop.quit();
    });
    call->start();
    if (!outcome)
        loop.exec();
    delete call;
    // The loop can also end from outside (its thread told to quit while it waited).
    return outcome.value_or(Result<Reply>(Error{QStringLiteral("the call to %1 was abandoned").arg(address())}));
}

QString AdminClient::problem(const QString &path, const Reply &reply) const
{
    QString message = reply.json.value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString();
    if (message.isEmpty())
        return QStringLiteral("%1%2 answered HTTP %3; is switchyard listening there?").arg(address(), path).arg(reply.status);
    if (reply.status == 401 && m_target.token.isEmpty())
        message += QStringLiteral(" (give --config with the file that sets listen.token)");
    return message;
}

int AdminClient::listRequests(const CommandLineOptions &options, QTextStream &out, QTextStream &err)
{
    const QString path = QStringLiteral("/api/requests");
    QString query = QStringLiteral("limit=%1").arg(options.limit);
    if (options.failedOnly)
        query += QLatin1String("&status=error");
    const Result<Reply> reply = send("GET", path, query, QByteArray());
    if (!reply) {
        report(err, reply.error().message);
        return Failure;
    }
    const QJsonValue requests = reply.value().json.value(QLatin1String("requests"));
    if (reply.value().status != 200 || !requests.isArray()) {
        report(err, problem(path, reply.value()));
        return Failure;
    }
    out << RequestTable::render(requests.toArray(), QDateTime::currentDateTime(), options.failedOnly, options.limit);
    return Success;
}

int AdminClient::replay(const CommandLineOptions &options, QTextStream &out, QTextStream &err)
{
    QByteArray body;
    if (!options.bodyPath.isEmpty()) {
        QFile file(options.bodyPath);
        if (!file.open(QIODevice::ReadOnly)) {
            report(err, QStringLiteral("--body: cannot read %1: %2").arg(options.bodyPath, file.errorString()));
            return UsageError;
        }
        body = file.readAll();
        QJsonParseError parseError;
        if (!QJsonDocument::fromJson(body, &parseError).isObject()) {
            const QString why = parseError.error == QJsonParseError::NoError ? QStringLiteral("not a JSON object")
                                                                             : parseError.errorString();
            report(err, QStringLiteral("--body: %1: %2").arg(options.bodyPath, why));
            return UsageError;
        }
    }
    const QString path = QStringLiteral("/api/requests/%1/replay")
                             .arg(QString::fromLatin1(QUrl::toPercentEncoding(options.requestId)));
    const Result<Reply> reply = send("POST", path, QString(), body);
    if (!reply) {
        report(err, reply.error().message);
        return Failure;
    }
    const QJsonObject &record = reply.value().json;
    if (reply.value().status != 200 || !record.contains(QLatin1String("id"))) {
        report(err, problem(path, reply.value()));
        return Failure;
    }
    out << RequestTable::describeReplay(record);
    return record.value(QLatin1String("outcome")).toString() == QLatin1String("ok") ? Success : Failure;
}

int AdminClient::run(const CommandLineOptions &options, QTextStream &out, QTextStream &err)
{
    const Result<Target, QStringList> target = locate(options);
    if (!target) {
        for (const QString &message : target.error())
            err << message << '\n';
        return UsageError;
    }
    AdminClient client(target.value());
    switch (options.action) {
    case CommandLineOptions::Action::Replay: return client.replay(options, out, err);
    case CommandLineOptions::Action::Evaluate: return EvaluateCommand(client, out, err).run(options);
    default: return client.listRequests(options, out, err);
    }
}

} // namespace Switchyard
