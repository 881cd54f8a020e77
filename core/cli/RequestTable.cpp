// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/cli/RequestTable.h"
#include <QFileInfo>
#include <array>

namespace Switchyard {

namespace {

QString string(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

struct Column
{
    const char *title;
    int maxWidth; // 0: never cut
    bool alignRight;
};

enum { TimeColumn, IdColumn, StatusColumn, OutcomeColumn, RouteColumn, DurationColumn, TokensColumn, CostColumn,
       ClientColumn, ColumnCount };

const std::array<Column, ColumnCount> Columns{{
    {"TIME", 0, false},
    {"ID", 0, false},
    {"STATUS", 0, true},
    {"OUTCOME", RequestTable::MaxOutcomeWidth, false},
    {"ROUTE", RequestTable::MaxRouteWidth, false},
    {"DURATION", 0, true},
    {"TOKENS", 0, true},
    {"COST", 0, true},
    {"CLIENT", RequestTable::MaxClientWidth, false},
}};

using Row = std::array<QString, ColumnCount>;

QString status(const QJsonObject &request)
{
    const int code = request.value(QLatin1String("status")).toInt();
    return code > 0 ? QString::number(code) : QStringLiteral("-");
}

QString joinRow(const Row &row, const std::array<qsizetype, ColumnCount> &widths)
{
    QString line;
    for (int c = 0; c < ColumnCount; ++c) {
        if (c > 0)
            line += QLatin1String("  ");
        line += Columns[c].alignRight ? row[c].rightJustified(widths[c]) : row[c].leftJustified(widths[c]);
    }
    while (line.endsWith(QLatin1Char(' '))) // the last column is not padded
        line.chop(1);
    return line + QLatin1Char('\n');
}

QString countLine(qsizetype count, bool failedOnly, int limit)
{
    const QString what = QLatin1String(failedOnly ? "failed request" : "request") + QLatin1String(count == 1 ? "" : "s");
    if (count >= limit)
        return QStringLiteral("%1 %2, the newest (--limit %3; raise it to see more)\n").arg(count).arg(what).arg(limit);
    return QStringLiteral("%1 %2\n").arg(count).arg(what);
}

} // namespace

QString RequestTable::elide(const QString &text, int width)
{
    if (width <= 0 || text.size() <= width)
        return text;
    return text.left(width - 1) + QStringLiteral("…");
}

QString RequestTable::time(const QJsonObject &request, const QDateTime &now)
{
    const QDateTime started = QDateTime::fromString(string(request, "started_at"), Qt::ISODateWithMs).toLocalTime();
    if (!started.isValid())
        return QStringLiteral("?");
    if (started.date() == now.toLocalTime().date())
        return started.toString(QStringLiteral("HH:mm:ss"));
    return started.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString RequestTable::outcome(const QJsonObject &request)
{
    if (string(request, "outcome") == QLatin1String("ok"))
        return QStringLiteral("ok");
    const QString errorClass = string(request, "error_class");
    return errorClass.isEmpty() ? QStringLiteral("error") : errorClass;
}

QString RequestTable::route(const QJsonObject &request)
{
    const QString alias = string(request, "alias");
    const QString provider = string(request, "provider");
    const QString target = provider.isEmpty() ? QString() : provider + QLatin1Char('/') + string(request, "model");
    if (!alias.isEmpty() && !target.isEmpty())
        return alias + QStringLiteral(" → ") + target;
    if (!alias.isEmpty() || !target.isEmpty())
        return alias + target;
    const QString requested = string(request, "requested_model");
    return requested.isEmpty() ? QStringLiteral("-") : requested;
}

QString RequestTable::duration(const QJsonObject &request)
{
    const qint64 ms = request.value(QLatin1String("duration_ms")).toInteger();
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    if (ms < 60000)
        return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
    return QStringLiteral("%1m %2s").arg(ms / 60000).arg((ms / 1000) % 60, 2, 10, QLatin1Char('0'));
}

QString RequestTable::tokens(const QJsonObject &request)
{
    const QJsonValue prompt = request.value(QLatin1String("prompt_tokens"));
    const QJsonValue completion = request.value(QLatin1String("completion_tokens"));
    if (!prompt.isDouble() && !completion.isDouble())
        return QStringLiteral("-");
    const auto count = [](const QJsonValue &v) { return v.isDouble() ? QString::number(v.toInteger()) : QStringLiteral("?"); };
    return count(prompt) + QLatin1Char('/') + count(completion);
}

QString RequestTable::cost(const QJsonObject &request)
{
    const QJsonValue usd = request.value(QLatin1String("cost_usd"));
    if (!usd.isDouble()) // no price is looked up for a failed call
        return string(request, "outcome") == QLatin1String("ok") ? QStringLiteral("unpriced") : QStringLiteral("-");
    const double value = usd.toDouble();
    if (value > 0 && value < 0.00005)
        return QStringLiteral("<$0.0001");
    return QStringLiteral("$%1").arg(value, 0, 'f', 4);
}

QString RequestTable::client(const QJsonObject &request)
{
    const QString process = string(request, "client_process");
    if (!process.isEmpty())
        return QFileInfo(process).fileName();
    const QString userAgent = string(request, "client");
    return userAgent.isEmpty() ? QStringLiteral("-") : userAgent;
}

QString RequestTable::render(const QJsonArray &requests, const QDateTime &now, bool failedOnly, int limit)
{
    if (requests.isEmpty())
        return failedOnly ? QStringLiteral("No failed requests in the log.\n")
                          : QStringLiteral("No requests in the log yet: point a client at switchyard and they appear here.\n");
    QList<Row> rows;
    Row header;
    for (int c = 0; c < ColumnCount; ++c)
        header[c] = QLatin1String(Columns[c].title);
    rows.append(header);
    for (const QJsonValue &value : requests) {
        const QJsonObject r = value.toObject();
        rows.append(Row{time(r, now), string(r, "id"), status(r), outcome(r), route(r), duration(r), tokens(r), cost(r),
                        client(r)});
    }
    std::array<qsizetype, ColumnCount> widths{};
    for (Row &row : rows) {
        for (int c = 0; c < ColumnCount; ++c) {
            row[c] = elide(row[c].simplified(), Columns[c].maxWidth); // no line breaks from user agents
            widths[c] = qMax(widths[c], row[c].size());
        }
    }
    QString text;
    for (const Row &row : std::as_const(rows))
        text += joinRow(row, widths);
    return text + countLine(requests.size(), failedOnly, limit);
}

QString RequestTable::describeReplay(const QJsonObject &request)
{
    QString text;
    const auto line = [&text](const char *key, const QString &value) {
        text += QString::fromLatin1(key).leftJustified(11) + value + QLatin1Char('\n');
    };
    line("id", string(request, "id"));
    line("replay_of", string(request, "replay_of"));
    line("status", status(request));
    line("outcome", outcome(request));
    if (!string(request, "error_message").isEmpty())
        line("error", string(request, "error_message"));
    line("route", route(request));
    line("duration", duration(request));
    line("tokens", tokens(request));
    line("cost", cost(request));
    const QString body = string(request, "response_body");
    if (body.isEmpty()) {
        line("response", QStringLiteral("(empty)"));
        return text;
    }
    if (body.size() <= ResponsePreviewChars) {
        line("response", QStringLiteral("%1 characters").arg(body.size()));
        return text + body + (body.endsWith(QLatin1Char('\n')) ? QString() : QStringLiteral("\n"));
    }
    line("response", QStringLiteral("the first %1 of %2 characters").arg(ResponsePreviewChars).arg(body.size()));
    return text + body.left(ResponsePreviewChars) + QStringLiteral("…\n");
}

} // namespace Switchyard
