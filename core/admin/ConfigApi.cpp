// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/admin/ConfigApi.h"
#include "core/admin/AdminApi.h"
#include "core/admin/RequestJson.h"
#include "core/attribution/ProcessLookup.h"
#include "core/config/ConfigHistory.h"
#include "core/config/ConfigWriter.h"
#include "core/http/HttpExchange.h"
#include "core/util/LineDiff.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

namespace Switchyard {

using namespace Qt::Literals::StringLiterals;

namespace {

// Who sent a change through the API: the local process when it can be found (a rare request,
// so the blocking /proc scan is acceptable here), and the user agent.
QString describeClient(const HttpRequest &request)
{
    QStringList parts;
    if (ProcessLookup::isLoopback(request.peerAddress)) {
        if (const auto process = ProcessLookup::find(request.peerAddress, request.peerPort, request.peerAddress, request.localPort))
            parts << u"%1 (pid %2)"_s.arg(process->executable).arg(process->pid);
    }
    const QByteArray agent = request.headers.value("user-agent");
    if (!agent.isEmpty())
        parts << QString::fromUtf8(agent.left(120));
    parts << request.peerAddress.toString();
    return parts.join(u", "_s);
}

QStringList linesOf(const QByteArray &config)
{
    QStringList lines = QString::fromUtf8(config).split(QLatin1Char('\n'));
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    return lines;
}

QList<LineDiff::Line> diffToPrevious(ConfigHistory &history, const ConfigVersion &v)
{
    const std::optional<ConfigVersion> before = history.version(v.number - 1);
    return LineDiff::diff(before ? linesOf(before->config) : QStringList(), linesOf(v.config));
}

QJsonObject versionSummary(const ConfigVersion &v, const QList<LineDiff::Line> &diff)
{
    int added = 0;
    int removed = 0;
    for (const LineDiff::Line &l : diff) {
        added += l.kind == LineDiff::Line::Kind::Added;
        removed += l.kind == LineDiff::Line::Kind::Removed;
    }
    return QJsonObject{{u"version"_s, v.number},
                       {u"at"_s, RequestJson::timestamp(v.at)},
                       {u"source"_s, v.source},
                       {u"client"_s, v.client.isEmpty() ? QJsonValue() : QJsonValue(v.client)},
                       {u"lines_added"_s, added},
                       {u"lines_removed"_s, removed}};
}

void answerInvalid(HttpExchange *exchange, const QStringList &errors)
{
    const QJsonObject error{{u"message"_s, errors.join(QLatin1Char('\n'))},
                            {u"type"_s, u"invalid_request_error"_s},
                            {u"code"_s, u"invalid_config"_s},
                            {u"errors"_s, QJsonArray::fromStringList(errors)}};
    AdminApi::reply(exchange, 400, {{u"error"_s, error}});
}

} // namespace

ConfigApi::ConfigApi(AdminBackend *backend)
    : m_backend(backend)
{
}

bool ConfigApi::handle(HttpExchange *exchange)
{
    const HttpRequest &request = exchange->request();
    const QString path = QString::fromUtf8(request.path);
    const bool get = request.method == "GET" || request.method == "HEAD";
    static const QString history = u"/api/config/history"_s;
    if (path == "/api/config"_L1) {
        if (get)
            AdminApi::reply(exchange, 200, ConfigWriter::toJson(m_backend->currentConfig()));
        else if (request.method == "PUT")
            put(exchange);
        else
            AdminApi::fail(exchange, 405, u"/api/config accepts GET and PUT"_s);
        return true;
    }
    if (path == history) {
        if (get)
            list(exchange);
        else
            AdminApi::fail(exchange, 405, u"%1 accepts GET"_s.arg(path));
        return true;
    }
    if (!path.startsWith(history + QLatin1Char('/')))
        return false;
    QString rest = path.mid(history.size() + 1);
    const bool restoring = rest.endsWith("/restore"_L1);
    if (restoring)
        rest.chop(8);
    bool isNumber = false;
    const int number = rest.toInt(&isNumber);
    if (!isNumber || number < 1) {
        AdminApi::fail(exchange, 404, u"no config version \"%1\"; versions are numbered from 1 (GET %2)"_s.arg(rest, history), u"not_found"_s);
    } else if (restoring) {
        if (request.method == "POST")
            restore(exchange, number);
        else
            AdminApi::fail(exchange, 405, u"%1 accepts POST"_s.arg(path));
    } else if (get) {
        show(exchange, number);
    } else {
        AdminApi::fail(exchange, 405, u"%1 accepts GET"_s.arg(path));
    }
    return true;
}

void ConfigApi::put(HttpExchange *exchange)
{
    const Result<Config, QStringList> replaced =
        m_backend->replaceConfig(exchange->request().body, u"admin API"_s, describeClient(exchange->request()));
    if (!replaced)
        return answerInvalid(exchange, replaced.error());
    AdminApi::reply(exchange, 200, ConfigWriter::toJson(replaced.value()));
}

void ConfigApi::list(HttpExchange *exchange)
{
    const QUrlQuery query(QString::fromUtf8(exchange->request().query));
    const int limit = query.hasQueryItem(u"limit"_s) ? qBound(1, query.queryItemValue(u"limit"_s).toInt(), 1000) : 100;
    ConfigHistory &history = m_backend->configHistory();
    const QList<ConfigVersion> &versions = history.versions();
    QJsonArray out;
    for (qsizetype i = versions.size() - 1; i >= 0 && out.size() < limit; --i)
        out.append(versionSummary(versions.at(i), diffToPrevious(history, versions.at(i))));
    AdminApi::reply(exchange, 200, {{u"versions"_s, out}, {u"total"_s, int(versions.size())}});
}

void ConfigApi::show(HttpExchange *exchange, int number)
{
    ConfigHistory &history = m_backend->configHistory();
    const std::optional<ConfigVersion> v = history.version(number);
    if (!v)
        return AdminApi::fail(exchange, 404, u"no config version %1 (GET /api/config/history lists them)"_s.arg(number), u"not_found"_s);
    const QList<LineDiff::Line> diff = diffToPrevious(history, *v);
    QJsonArray lines;
    for (const LineDiff::Line &l : diff) {
        const QString op = l.kind == LineDiff::Line::Kind::Added ? u"added"_s
                           : l.kind == LineDiff::Line::Kind::Removed ? u"removed"_s
                                                                      : u"same"_s;
        lines.append(QJsonObject{{u"op"_s, op}, {u"line"_s, l.text}});
    }
    QJsonObject o = versionSummary(*v, diff);
    o.insert(u"config"_s, QJsonDocument::fromJson(v->config).object());
    o.insert(u"diff"_s, lines);
    AdminApi::reply(exchange, 200, o);
}

void ConfigApi::restore(HttpExchange *exchange, int number)
{
    if (!m_backend->configHistory().version(number))
        return AdminApi::fail(exchange, 404, u"no config version %1 (GET /api/config/history lists them)"_s.arg(number), u"not_found"_s);
    const Result<Config, QStringList> replaced = m_backend->restoreConfig(number, describeClient(exchange->request()));
    if (!replaced)
        return answerInvalid(exchange, replaced.error());
    const QList<ConfigVersion> &versions = m_backend->configHistory().versions();
    AdminApi::reply(exchange, 200, {{u"version"_s, versions.isEmpty() ? 0 : versions.constLast().number},
                                     {u"restored"_s, number},
                                     {u"config"_s, ConfigWriter::toJson(replaced.value())}});
}

} // namespace Switchyard
