// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/remote/RemoteGateway.h"
#include "core/remote/EventStreamReader.h"
#include "core/remote/RecordJson.h"
#include "core/remote/RemoteApiClient.h"
#include "core/remote/RemoteConfigClient.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr int LoggedTries = 20; // GET /api/requests/{id} while it 404s: the log commits every 100 ms
constexpr int LoggedRetryMs = 100;

QString encoded(const QString &segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

using Reply = Result<RemoteApiClient::Reply>;

} // namespace

RemoteGateway::RemoteGateway(AdminClient::Target target, QObject *parent)
    : WindowGateway(parent)
    , m_target(std::move(target))
{
    qRegisterMetaType<Switchyard::Config>();
    qRegisterMetaType<Switchyard::CallRecord>();
    qRegisterMetaType<QList<Switchyard::CallRecord>>();
    qRegisterMetaType<QList<Switchyard::ConfigVersion>>();
}

RemoteGateway::~RemoteGateway() = default;

void RemoteGateway::createClients()
{
    m_api = new RemoteApiClient(m_target, this);
    m_configs = new RemoteConfigClient(m_api, [this](const Config &config) { Q_EMIT configApplied(config); }, this);
    m_events = new EventStreamReader(m_api, this);
    connect(m_events, &EventStreamReader::requestFinished, this, &RemoteGateway::onRequestFinished);
    connect(m_events, &EventStreamReader::configChanged, this, [this] { m_configs->fetch([](const QStringList &) {}); });
    // Calls and configs of the time the stream was down are not replayed; the config is read again.
    connect(m_events, &EventStreamReader::reconnected, this, [this] { m_configs->fetch([](const QStringList &) {}); });
    connect(m_events, &EventStreamReader::connectionChanged, this, &RemoteGateway::connectionChanged);
    m_batch = new QTimer(this);
    m_batch->setSingleShot(true);
    m_batch->setInterval(BatchIntervalMs);
    connect(m_batch, &QTimer::timeout, this, &RemoteGateway::flushCalls);
    m_evaluationPoll = new QTimer(this);
    m_evaluationPoll->setInterval(EvaluationPollMs);
    connect(m_evaluationPoll, &QTimer::timeout, this, &RemoteGateway::pollEvaluations);
}

RemoteApiClient *RemoteGateway::api()
{
    if (!m_api) // created on first use, on the gateway's thread
        createClients();
    return m_api;
}

RemoteConfigClient *RemoteGateway::configs()
{
    api();
    return m_configs;
}

void RemoteGateway::start(const Config &)
{
    if (m_running)
        return;
    m_running = true;
    api()->send("GET", u"/health"_s, QByteArray(), [this](const Reply &reply) {
        if (!reply)
            return startAnswered({reply.error().message});
        if (reply.value().status != 200)
            return startAnswered({m_api->problem(u"/health"_s, reply.value())});
        m_configs->fetch([this](const QStringList &errors) { startAnswered(errors); });
    });
}

void RemoteGateway::startAnswered(const QStringList &errors)
{
    if (!errors.isEmpty()) {
        m_running = false;
        Q_EMIT startFailed(errors.join(u'\n'));
        return;
    }
    Q_EMIT started(m_api->address());
    m_events->open();
}

void RemoteGateway::stop()
{
    if (!m_api)
        return;
    m_running = false;
    m_events->close();
    m_api->abortAll();
    m_evaluationPoll->stop();
    m_evaluations.clear();
    m_polling.clear();
    m_batch->stop();
    flushCalls();
}

void RemoteGateway::onRequestFinished(const QJsonObject &item)
{
    m_pending.append(RecordJson::fromJson(item));
    if (!m_batch->isActive())
        m_batch->start();
}

void RemoteGateway::flushCalls()
{
    if (!m_pending.isEmpty())
        Q_EMIT callsFinished(std::exchange(m_pending, {}));
}

void RemoteGateway::replayRequest(const QString &id, const QByteArray &body, quint64 ticket)
{
    const QString path = u"/api/requests/%1/replay"_s.arg(encoded(id));
    api()->send("POST", path, body, [this, path, ticket](const Reply &reply) {
        if (!reply)
            return Q_EMIT replayFinished(ticket, CallRecord(), reply.error().message);
        const QJsonObject answer = reply.value().json();
        if (reply.value().status != 200 || !answer.contains("id"_L1))
            return Q_EMIT replayFinished(ticket, CallRecord(), m_api->problem(path, reply.value()));
        Q_EMIT replayFinished(ticket, RecordJson::fromJson(answer), QString());
    });
}

void RemoteGateway::testRoute(const QString &alias, quint64 ticket)
{
    const QJsonObject body{{u"model"_s, alias},
                           {u"max_tokens"_s, 8},
                           {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"Reply with the word: ok"_s}}}}};
    const QDateTime startedAt = QDateTime::currentDateTimeUtc();
    api()->send("POST", u"/v1/chat/completions"_s, QJsonDocument(body).toJson(QJsonDocument::Compact),
                [this, alias, ticket, startedAt](const Reply &reply) {
                    // What the answer itself says, for when the gateway's log cannot tell more.
                    CallRecord answered;
                    answered.startedAt = startedAt;
                    answered.durationMs = startedAt.msecsTo(QDateTime::currentDateTimeUtc());
                    answered.endpoint = u"/v1/chat/completions"_s;
                    answered.requestedModel = alias;
                    answered.alias = alias;
                    answered.client = u"switchyard test route"_s;
                    answered.status = reply ? reply.value().status : 0;
                    answered.ok = answered.status >= 200 && answered.status < 300;
                    if (reply) {
                        answered.id = QString::fromLatin1(reply.value().headers.value("x-switchyard-request-id"));
                        answered.model = reply.value().json().value("model"_L1).toString();
                        answered.responseBody = reply.value().body;
                    }
                    if (!answered.ok) {
                        answered.errorClass = reply ? errorClassForStatus(answered.status) : ErrorClass::ConnectFailed;
                        answered.errorMessage = reply ? m_api->problem(u"/v1/chat/completions"_s, reply.value()) : reply.error().message;
                    }
                    if (answered.id.isEmpty())
                        return Q_EMIT routeTested(ticket, answered);
                    fetchLogged(answered, ticket, 0);
                },
                QByteArrayLiteral("switchyard test route"));
}

void RemoteGateway::fetchLogged(const CallRecord &answered, quint64 ticket, int attempt)
{
    const QString path = u"/api/requests/%1"_s.arg(encoded(answered.id));
    m_api->send("GET", path, QByteArray(), [this, answered, ticket, attempt](const Reply &reply) {
        if (reply && reply.value().status == 200)
            return Q_EMIT routeTested(ticket, RecordJson::fromJson(reply.value().json()));
        if (reply && reply.value().status == 404 && attempt + 1 < LoggedTries) {
            QTimer::singleShot(LoggedRetryMs, this, [this, answered, ticket, attempt] { fetchLogged(answered, ticket, attempt + 1); });
            return;
        }
        Q_EMIT routeTested(ticket, answered); // a gateway without a log, or a log that is behind
    });
}

void RemoteGateway::explainRoute(const QString &model, quint64 ticket)
{
    const QString path = u"/api/route?model=%1"_s.arg(encoded(model));
    api()->send("GET", path, QByteArray(), [this, path, ticket](const Reply &reply) {
        if (!reply)
            return Q_EMIT routeExplained(ticket, QJsonObject(), reply.error().message);
        if (reply.value().status != 200)
            return Q_EMIT routeExplained(ticket, QJsonObject(), m_api->problem(path, reply.value()));
        Q_EMIT routeExplained(ticket, reply.value().json(), QString());
    });
}

void RemoteGateway::saveConfig(const Config &config, quint64 ticket)
{
    configs()->save(config, [this, ticket](const QStringList &errors) { Q_EMIT configSaved(ticket, errors); });
}

void RemoteGateway::listConfigHistory(quint64 ticket)
{
    configs()->listHistory([this, ticket](const QList<ConfigVersion> &versions) { Q_EMIT configHistoryListed(ticket, versions); });
}

void RemoteGateway::restoreConfigVersion(int number, quint64 ticket)
{
    configs()->restore(number, [this, ticket](const QStringList &errors) { Q_EMIT configSaved(ticket, errors); });
}

void RemoteGateway::estimateEvaluation(const QString &baseline, const QJsonObject &alias, quint64 ticket)
{
    const QString path = u"/api/evaluations/estimate"_s;
    const QJsonObject proposal{{u"baseline"_s, baseline}, {u"alias"_s, alias}};
    api()->send("POST", path, QJsonDocument(proposal).toJson(QJsonDocument::Compact), [this, path, ticket](const Reply &reply) {
        if (!reply)
            return Q_EMIT evaluationEstimated(ticket, QJsonObject(), {reply.error().message});
        if (reply.value().status != 200)
            return Q_EMIT evaluationEstimated(ticket, QJsonObject(), {m_api->problem(path, reply.value())});
        Q_EMIT evaluationEstimated(ticket, reply.value().json().value("estimate"_L1).toObject(), {});
    });
}

void RemoteGateway::startEvaluation(const QString &baseline, const QJsonObject &alias, quint64 ticket)
{
    const QString path = u"/api/evaluations"_s;
    const QJsonObject proposal{{u"baseline"_s, baseline}, {u"alias"_s, alias}};
    api()->send("POST", path, QJsonDocument(proposal).toJson(QJsonDocument::Compact), [this, path, ticket](const Reply &reply) {
        if (!reply)
            return Q_EMIT evaluationStarted(ticket, QString(), {reply.error().message});
        const QString id = reply.value().json().value("id"_L1).toString();
        if ((reply.value().status != 202 && reply.value().status != 200) || id.isEmpty())
            return Q_EMIT evaluationStarted(ticket, QString(), {m_api->problem(path, reply.value())});
        Q_EMIT evaluationStarted(ticket, id, {});
        m_evaluations.insert(id);
        if (!m_evaluationPoll->isActive())
            m_evaluationPoll->start();
    });
}

void RemoteGateway::cancelEvaluation(const QString &id)
{
    // The next poll reports it cancelled (and stops polling it).
    const QString path = u"/api/evaluations/%1"_s.arg(encoded(id));
    api()->send("DELETE", path, QByteArray(), [this, path](const Reply &reply) {
        if (!reply || reply.value().status >= 300)
            qWarning("switchyard: cancel: %s", qPrintable(reply ? m_api->problem(path, reply.value()) : reply.error().message));
    });
}

void RemoteGateway::pollEvaluations()
{
    for (const QString &id : std::as_const(m_evaluations)) {
        if (m_polling.contains(id))
            continue;
        m_polling.insert(id);
        m_api->send("GET", u"/api/evaluations/%1"_s.arg(encoded(id)), QByteArray(), [this, id](const Reply &reply) {
            m_polling.remove(id);
            const bool answered = reply && reply.value().status == 200;
            const QJsonObject report = answered ? reply.value().json() : QJsonObject();
            // Ended, or gone from the gateway (restarted without it); anything else is tried again.
            if ((answered && report.value("state"_L1).toString() != "running"_L1) || (reply && reply.value().status == 404))
                m_evaluations.remove(id);
            if (m_evaluations.isEmpty())
                m_evaluationPoll->stop();
            if (answered)
                Q_EMIT evaluationChanged(report);
        });
    }
}

} // namespace Switchyard
