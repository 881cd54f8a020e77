// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/TokenEstimate.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Switchyard {

namespace {

qint64 estimate(const QJsonValue &value)
{
    if (value.isString())
        return (value.toString().size() + 3) / 4;
    qint64 sum = 0;
    if (value.isArray()) {
        for (const QJsonValue &v : value.toArray())
            sum += estimate(v);
    } else if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (it.key() != QLatin1String("model") && it.key() != QLatin1String("type"))
                sum += estimate(it.value());
        }
    }
    return sum;
}

} // namespace

qint64 TokenEstimate::ofMessages(const QByteArray &body)
{
    const QJsonObject request = QJsonDocument::fromJson(body).object();
    return estimate(request.value(QLatin1String("system"))) + estimate(request.value(QLatin1String("messages")))
           + estimate(request.value(QLatin1String("tools")));
}

} // namespace Switchyard
