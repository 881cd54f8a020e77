// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/EchoHandler.h"
#include "core/http/HttpExchange.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>
#include <QUrlQuery>

namespace Switchyard::Test {

namespace {
QByteArray describe(const HttpRequest &r)
{
    QJsonArray headers;
    for (const auto &[name, value] : r.headers)
        headers.append(QJsonArray{QString::fromLatin1(name), QString::fromLatin1(value)});
    const QJsonObject o{{QStringLiteral("method"), QString::fromLatin1(r.method)},
                        {QStringLiteral("path"), QString::fromUtf8(r.path)},
                        {QStringLiteral("query"), QString::fromUtf8(r.query)},
                        {QStringLiteral("headers"), headers},
                        {QStringLiteral("body_size"), r.body.size()},
                        {QStringLiteral("body"), QString::fromUtf8(r.body.left(4096))}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}
} // namespace

void EchoHandler::handle(HttpExchange *exchange)
{
    const HttpRequest &r = exchange->request();
    const QUrlQuery query(QString::fromUtf8(r.query));
    if (r.path == "/echo") {
        exchange->respondJson(200, describe(r));
    } else if (r.path == "/delay") {
        QPointer<HttpExchange> guard(exchange);
        QTimer::singleShot(query.queryItemValue(QStringLiteral("ms")).toInt(), this, [guard] {
            if (guard)
                guard->respondJson(200, describe(guard->request()));
        });
    } else if (r.path == "/stream") {
        const int chunks = query.queryItemValue(QStringLiteral("chunks")).toInt();
        const int interval = query.queryItemValue(QStringLiteral("interval_ms")).toInt();
        HttpHeaders headers;
        headers.add("Content-Type", "text/plain");
        exchange->startStream(200, headers);
        QPointer<HttpExchange> guard(exchange);
        for (int i = 0; i <= chunks; ++i) {
            QTimer::singleShot(interval * i, this, [guard, i, chunks] {
                if (!guard)
                    return;
                if (i == chunks)
                    guard->endStream();
                else
                    guard->writeChunk("chunk " + QByteArray::number(i) + '\n');
            });
        }
    } else {
        exchange->respondJson(404, R"({"error":"not found"})");
    }
}

} // namespace Switchyard::Test
