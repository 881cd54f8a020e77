// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/remote/RemoteConfigClient.h"
#include "core/config/ConfigParser.h"
#include "core/config/ConfigWriter.h"
#include "core/remote/RemoteApiClient.h"
#include <QJsonArray>
#include <QJsonDocument>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

namespace {

// A refused change: the validation messages of a 400 (ConfigApi's "error.errors"), else the
// gateway's message.
QStringList problems(RemoteApiClient *api, const QString &path, const RemoteApiClient::Reply &reply)
{
    QStringList out;
    const QJsonArray errors = reply.json().value("error"_L1).toObject().value("errors"_L1).toArray();
    for (const QJsonValue &e : errors)
        out << e.toString();
    out.removeAll(QString());
    return out.isEmpty() ? QStringList{api->problem(path, reply)} : out;
}

} // namespace

// One GET /api/config/history being completed with each version's config.
struct RemoteConfigClient::Listing
{
    QList<ConfigVersion> versions;
    qsizetype next = 0;
    int inFlight = 0;
    std::function<void(const QList<ConfigVersion> &)> done;
};

RemoteConfigClient::RemoteConfigClient(RemoteApiClient *api, Applied applied, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_applied(std::move(applied))
{
}

Result<Config, QStringList> RemoteConfigClient::parse(QJsonObject json) const
{
    QJsonObject listen = json.value("listen"_L1).toObject();
    if (listen.value("port"_L1).toInt() <= 0) {
        const QUrl &base = m_api->base();
        listen.insert(u"port"_s, base.port(base.scheme() == "https"_L1 ? 443 : 80));
        json.insert(u"listen"_s, listen);
    }
    const Result<Config, QStringList> parsed = ConfigParser::parse(QJsonDocument(json).toJson(QJsonDocument::Compact));
    if (parsed)
        return parsed;
    QStringList messages;
    for (const QString &m : parsed.error())
        messages << u"%1/api/config: %2"_s.arg(m_api->address(), m);
    return messages;
}

QStringList RemoteConfigClient::applyAnswer(quint64 sequence, const QJsonObject &config)
{
    const Result<Config, QStringList> parsed = parse(config);
    if (!parsed)
        return parsed.error();
    if (sequence > m_latest) {
        m_latest = sequence;
        m_applied(parsed.value());
    }
    return {};
}

void RemoteConfigClient::change(const QByteArray &method, const QString &path, const QByteArray &body,
                                const QString &configField, Done done)
{
    const quint64 sequence = ++m_issued;
    m_api->send(method, path, body, [this, sequence, path, configField, done](const Result<RemoteApiClient::Reply> &reply) {
        if (!reply)
            return done({reply.error().message});
        if (reply.value().status != 200)
            return done(problems(m_api, path, reply.value()));
        const QJsonObject answer = reply.value().json();
        done(applyAnswer(sequence, configField.isEmpty() ? answer : answer.value(configField).toObject()));
    });
}

void RemoteConfigClient::fetch(Done done)
{
    change("GET", u"/api/config"_s, QByteArray(), QString(), std::move(done));
}

void RemoteConfigClient::save(const Config &config, Done done)
{
    // Keys go masked: "***" keeps the key the gateway holds.
    const QByteArray body = QJsonDocument(ConfigWriter::toJson(config)).toJson(QJsonDocument::Compact);
    change("PUT", u"/api/config"_s, body, QString(), std::move(done));
}

void RemoteConfigClient::restore(int number, Done done)
{
    change("POST", u"/api/config/history/%1/restore"_s.arg(number), QByteArray(), u"config"_s, std::move(done));
}

void RemoteConfigClient::listHistory(std::function<void(const QList<ConfigVersion> &)> done)
{
    const QString path = u"/api/config/history?limit=%1"_s.arg(HistoryLimit);
    m_api->send("GET", path, QByteArray(), [this, path, done](const Result<RemoteApiClient::Reply> &reply) {
        if (!reply || reply.value().status != 200) {
            qWarning("switchyard: cannot list the config history: %s",
                     qPrintable(reply ? m_api->problem(path, reply.value()) : reply.error().message));
            return done({});
        }
        auto listing = std::make_shared<Listing>();
        listing->done = done;
        const QJsonArray versions = reply.value().json().value("versions"_L1).toArray(); // newest first
        for (qsizetype i = versions.size() - 1; i >= 0; --i) {
            const QJsonObject o = versions.at(i).toObject();
            ConfigVersion v;
            v.number = o.value("version"_L1).toInt();
            v.at = QDateTime::fromString(o.value("at"_L1).toString(), Qt::ISODateWithMs).toUTC();
            v.source = o.value("source"_L1).toString();
            v.client = o.value("client"_L1).toString();
            listing->versions.append(v);
        }
        if (listing->versions.isEmpty())
            return done({});
        for (int i = 0; i < ParallelFetches; ++i)
            fetchNextVersion(listing);
    });
}

void RemoteConfigClient::fetchNextVersion(const std::shared_ptr<Listing> &listing)
{
    if (listing->next >= listing->versions.size()) {
        if (listing->inFlight == 0)
            listing->done(listing->versions);
        return;
    }
    const qsizetype index = listing->next++;
    ++listing->inFlight;
    const QString path = u"/api/config/history/%1"_s.arg(listing->versions.at(index).number);
    m_api->send("GET", path, QByteArray(), [this, listing, index](const Result<RemoteApiClient::Reply> &reply) {
        --listing->inFlight;
        // As the history keeps it (ConfigWriter::toBytes): the window diffs these bytes.
        if (reply && reply.value().status == 200)
            listing->versions[index].config =
                QJsonDocument(reply.value().json().value("config"_L1).toObject()).toJson(QJsonDocument::Indented);
        fetchNextVersion(listing);
    });
}

} // namespace Switchyard
