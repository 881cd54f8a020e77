// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/ResponsesToMessages.h"
#include "core/dialect/ChatToMessages.h"
#include "core/dialect/ResponsesToChat.h"

namespace Switchyard {

Result<QJsonObject> ResponsesToMessages::translate(const QJsonObject &responsesRequest, const QString &model)
{
    TranslationPolicy strict(QStringLiteral("Responses → Messages"), TranslationPolicy::Mode::Strict, model);
    return translate(responsesRequest, model, strict);
}

Result<QJsonObject> ResponsesToMessages::translate(const QJsonObject &responsesRequest, const QString &model,
                                                   TranslationPolicy &policy)
{
    const auto chat = ResponsesToChat::translate(responsesRequest, model, policy);
    if (!chat)
        return chat.error();
    // The chat request is Switchyard's own: every field of it is one the second step knows.
    auto messages = ChatToMessages::translate(chat.value().chat, model, policy);
    if (!messages)
        return ResponsesToChat::inResponsesTerms(messages.error(), chat.value().origins);
    return messages;
}

} // namespace Switchyard
