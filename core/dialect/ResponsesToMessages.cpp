// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/dialect/ResponsesToMessages.h"
#include "core/dialect/ChatToMessages.h"
#include "core/dialect/ResponsesToChat.h"

namespace Switchyard {

Result<QJsonObject> ResponsesToMessages::translate(const QJsonObject &responsesRequest, const QString &model)
{
    const auto chat = ResponsesToChat::translate(responsesRequest, model);
    if (!chat)
        return chat.error();
    auto messages = ChatToMessages::translate(chat.value().chat, model);
    if (!messages)
        return ResponsesToChat::inResponsesTerms(messages.error(), chat.value().origins);
    return messages;
}

} // namespace Switchyard
