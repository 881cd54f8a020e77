// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/dialect/TranslationPolicy.h"
#include "core/util/Result.h"
#include <QJsonObject>

namespace Switchyard {

// Turns an OpenAI Responses request into an Anthropic Messages request through the chat
// form: ResponsesToChat, then ChatToMessages. An error of the second step names the field as
// the Responses request has it ("input[4].content[1].image_url", "text.format", …).
class ResponsesToMessages final
{
public:
    // `model` is the Anthropic model to ask for (the caller resolves aliases).
    // Notes of both steps go to `policy`.
    static Result<QJsonObject> translate(const QJsonObject &responsesRequest, const QString &model,
                                         TranslationPolicy &policy);
    // The same with a strict policy whose notes are not kept.
    static Result<QJsonObject> translate(const QJsonObject &responsesRequest, const QString &model);
};

} // namespace Switchyard
