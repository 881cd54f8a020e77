// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/util/Result.h"
#include <QJsonObject>
#include <memory>

namespace Switchyard {

// A proposed alias made routable without applying it: the config in force with the alias
// added (or put in place of the one of the same name), checked as the config file is.
struct CandidateRoute
{
    static inline const QString DefaultName = QStringLiteral("candidate");

    std::shared_ptr<const Config> config;
    AliasConfig alias;

    // Problems are named from the alias ("alias.targets[0].provider: unknown provider …").
    static Result<CandidateRoute, QStringList> build(const Config &live, const QJsonObject &alias);
    // `body` (a JSON request) asking for `model` instead, every other byte as recorded (the
    // proxy's own rewrite); empty when it is not a JSON object with a model.
    static QByteArray withModel(const QByteArray &body, const QString &model);
};

} // namespace Switchyard
