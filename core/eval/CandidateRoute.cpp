// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/eval/CandidateRoute.h"
#include "core/config/ConfigParser.h"
#include "core/config/ConfigWriter.h"
#include "core/record/OpenAiBody.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace Switchyard {

Result<CandidateRoute, QStringList> CandidateRoute::build(const Config &live, const QJsonObject &proposed)
{
    if (proposed.isEmpty())
        return QStringList{QStringLiteral("alias: an alias object is needed ({\"targets\": [{\"provider\", \"model\"}]})")};
    QJsonObject alias = proposed;
    if (!alias.value(QLatin1String("name")).isString() || alias.value(QLatin1String("name")).toString().isEmpty())
        alias.insert(QStringLiteral("name"), DefaultName);
    const QString name = alias.value(QLatin1String("name")).toString();
    QJsonObject root = ConfigWriter::toJson(live, ConfigWriter::Keys::Clear);
    QJsonArray aliases = root.value(QLatin1String("aliases")).toArray();
    qsizetype index = aliases.size();
    for (qsizetype i = 0; i < aliases.size(); ++i) {
        if (aliases.at(i).toObject().value(QLatin1String("name")).toString() == name)
            index = i;
    }
    if (index < aliases.size())
        aliases[index] = alias;
    else
        aliases.append(alias);
    root.insert(QStringLiteral("aliases"), aliases);
    // Only routing matters to a candidate, which never listens: the gateway's own listen
    // settings (an OS-chosen port 0 in tests, a token) are not the proposal's to pass.
    root.insert(QStringLiteral("listen"), QJsonObject{{QStringLiteral("host"), QStringLiteral("127.0.0.1")}, {QStringLiteral("port"), 4141}});
    Result<Config, QStringList> parsed = ConfigParser::parse(QJsonDocument(root).toJson(QJsonDocument::Compact));
    if (!parsed) {
        // The candidate's own problems, named from the alias; anything else is the live config's.
        const QRegularExpression own(QStringLiteral("^aliases\\[%1\\]").arg(index));
        QStringList problems;
        for (const QString &message : parsed.error()) {
            if (own.match(message).hasMatch())
                problems << QString(message).replace(own, QStringLiteral("alias"));
            else if (message.contains(QStringLiteral("aliases[%1]").arg(index)))
                problems << QString(message).replace(QStringLiteral("aliases[%1]").arg(index), QLatin1String("alias"));
        }
        return problems.isEmpty() ? parsed.error() : problems;
    }
    CandidateRoute route;
    for (const AliasConfig &a : parsed.value().aliases) {
        if (a.name == name)
            route.alias = a;
    }
    route.config = std::make_shared<const Config>(std::move(parsed).value());
    return route;
}

QByteArray CandidateRoute::withModel(const QByteArray &body, const QString &model)
{
    const Result<OpenAiBody> parsed = OpenAiBody::parse(body);
    return parsed ? parsed.value().withModel(model) : QByteArray();
}

} // namespace Switchyard
