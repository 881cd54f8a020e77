// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/cli/EvaluateCommand.h"
#include "core/cli/AdminClient.h"
#include "core/cli/EvaluationTable.h"
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>
#include <QTimer>

namespace Switchyard {

namespace {

QString state(const QJsonObject &report)
{
    return report.value(QLatin1String("state")).toString();
}

} // namespace

EvaluateCommand::EvaluateCommand(AdminClient &client, QTextStream &out, QTextStream &err)
    : m_client(client)
    , m_out(out)
    , m_err(err)
{
}

Result<QJsonObject> EvaluateCommand::candidate(const CommandLineOptions &options)
{
    if (options.aliasPath.isEmpty()) {
        const QJsonObject target{{QStringLiteral("provider"), options.targetProvider}, {QStringLiteral("model"), options.targetModel}};
        return QJsonObject{{QStringLiteral("name"), QStringLiteral("candidate")}, {QStringLiteral("targets"), QJsonArray{target}}};
    }
    QFile file(options.aliasPath);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("--alias-file: cannot read %1: %2").arg(options.aliasPath, file.errorString())};
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject()) {
        const QString why = parseError.error == QJsonParseError::NoError ? QStringLiteral("not a JSON object") : parseError.errorString();
        return Error{
            QStringLiteral("--alias-file: %1: %2 (expected an alias as in the config: {\"targets\": [...]})").arg(options.aliasPath, why)};
    }
    return doc.object();
}

std::optional<QJsonObject> EvaluateCommand::call(const QByteArray &method, const QString &path, const QString &query,
                                                 const QJsonObject &body, int expected)
{
    const QByteArray bytes = body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
    const Result<AdminClient::Reply> reply = m_client.send(method, path, query, bytes);
    if (!reply) {
        AdminClient::report(m_err, reply.error().message);
        return std::nullopt;
    }
    if (reply.value().status != expected || reply.value().json.isEmpty()) {
        AdminClient::report(m_err, m_client.problem(path, reply.value()));
        return std::nullopt;
    }
    return reply.value().json;
}

std::optional<QJsonObject> EvaluateCommand::waitForEnd(const QString &path, const QJsonObject &started)
{
    QJsonObject status = started;
    QString shown;
    while (true) {
        if (const QString progress = EvaluationTable::progress(status); progress != shown) {
            m_err << progress << '\n' << Qt::flush;
            shown = progress;
        }
        if (state(status) != QLatin1String("running"))
            return status;
        QEventLoop pause;
        QTimer::singleShot(PollIntervalMs, &pause, &QEventLoop::quit);
        pause.exec();
        const std::optional<QJsonObject> polled = call("GET", path, QStringLiteral("results=false"), {}, 200);
        if (!polled)
            return std::nullopt;
        status = *polled;
    }
}

int EvaluateCommand::run(const CommandLineOptions &options)
{
    const Result<QJsonObject> alias = candidate(options);
    if (!alias) {
        AdminClient::report(m_err, alias.error().message);
        return AdminClient::UsageError;
    }
    QJsonObject proposal{{QStringLiteral("baseline"), options.baseline}, {QStringLiteral("alias"), alias.value()}};
    if (options.concurrency)
        proposal.insert(QStringLiteral("concurrency"), *options.concurrency);

    const std::optional<QJsonObject> estimated = call("POST", QStringLiteral("/api/evaluations/estimate"), QString(), proposal, 200);
    if (!estimated)
        return AdminClient::Failure;
    m_out << EvaluationTable::estimate(estimated->value(QLatin1String("estimate")).toObject()) << Qt::flush;

    const std::optional<QJsonObject> started = call("POST", QStringLiteral("/api/evaluations"), QString(), proposal, 202);
    if (!started)
        return AdminClient::Failure;
    const QString id = started->value(QLatin1String("id")).toString();
    const QString path = QStringLiteral("/api/evaluations/") + QString::fromLatin1(QUrl::toPercentEncoding(id));
    const std::optional<QJsonObject> ended = waitForEnd(path, *started);
    if (!ended)
        return AdminClient::Failure;
    const std::optional<QJsonObject> report = call("GET", path, QString(), {}, 200);
    if (!report)
        return AdminClient::Failure;
    m_out << EvaluationTable::render(*report);

    const QString end = state(*report);
    if (end == QLatin1String("done"))
        return AdminClient::Success;
    if (end == QLatin1String("cancelled"))
        AdminClient::report(m_err, QStringLiteral("evaluation %1 was cancelled; the figures cover the requests that finished").arg(id));
    else
        AdminClient::report(m_err, QStringLiteral("evaluation %1 %2: %3")
                                       .arg(id, end, report->value(QLatin1String("error")).toString(QStringLiteral("no reason given"))));
    return AdminClient::Failure;
}

} // namespace Switchyard
