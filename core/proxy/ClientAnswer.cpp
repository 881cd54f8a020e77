// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/ClientAnswer.h"
#include "core/http/JsonErrors.h"
#include <QJsonDocument>
#include <QJsonObject>

namespace Switchyard {

ClientAnswer ClientAnswer::allTargetsFailed(const RoutePlan &plan, const QList<Attempt> &attempts, const LastFailure &last,
                                            Dialect dialect)
{
    ClientAnswer a;
    a.errorClass = last.errorClass;
    if (attempts.isEmpty()) {
        a.errorClass = ErrorClass::NoHealthyTarget;
        a.status = 503;
        QStringList cooling;
        for (const RouteCandidate &c : plan.candidates)
            cooling << c.provider.name + QLatin1Char('/') + c.model + QStringLiteral(" (") + c.reason + QLatin1Char(')');
        a.message = QStringLiteral("no target of \"%1\" is available: %2").arg(plan.requested, cooling.join(QStringLiteral("; ")));
    } else if (last.status >= 400) {
        // Every target failed; the client sees the last upstream answer as it was.
        a.status = last.status;
        a.body = last.body;
        a.headers = passedHeaders(last.headers);
        a.message = last.message;
    } else {
        const bool timedOut = a.errorClass == ErrorClass::TimeoutConnect || a.errorClass == ErrorClass::TimeoutFirstByte
                              || a.errorClass == ErrorClass::TimeoutIdle;
        a.status = timedOut ? 504 : 502;
        QStringList tried;
        for (const Attempt &t : attempts)
            tried << QStringLiteral("%1/%2: %3 (%4)").arg(t.provider, t.model, errorClassName(t.errorClass), t.message);
        a.message = QStringLiteral("all %1 attempts for \"%2\" failed: %3")
                        .arg(attempts.size()).arg(plan.requested, tried.join(QStringLiteral("; ")));
    }
    if (a.errorClass == ErrorClass::BadRequest && last.status < 400)
        a.status = 400; // no target could take the request as it is: the client's to fix
    if (a.body.isEmpty()) {
        a.body = dialect == Dialect::Anthropic ? JsonErrors::anthropic(a.status, a.message)
                                               : JsonErrors::openAi(a.status, a.message, errorClassName(a.errorClass));
        a.headers.set("Content-Type", "application/json");
    }
    return a;
}

HttpHeaders ClientAnswer::passedHeaders(const HttpHeaders &upstream)
{
    static const char *const passed[] = {"content-type", "x-request-id", "openai-processing-ms", "openai-version",
                                         "retry-after", "request-id"};
    HttpHeaders out;
    for (const auto &[name, value] : upstream) {
        const QByteArray lower = name.toLower();
        bool keep = lower.startsWith("x-ratelimit-") || lower.startsWith("anthropic-ratelimit-");
        for (const char *p : passed)
            keep = keep || name.compare(QByteArrayView(p), Qt::CaseInsensitive) == 0;
        if (keep)
            out.add(name, value);
    }
    if (!out.contains("content-type"))
        out.add("Content-Type", "application/json");
    return out;
}

QString ClientAnswer::upstreamMessage(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    const QString message = o.value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString();
    if (!message.isEmpty())
        return message;
    return QString::fromUtf8(body.left(300)).simplified();
}

} // namespace Switchyard
