// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QJsonObject>

namespace Switchyard::StreamAssembler {

// The reply a client put together from a streamed body, as one object: "text", "tool_calls"
// ([{id, name, arguments}], arguments parsed when they are JSON), "finish_reason", "usage",
// "model", "events". Reads the OpenAI chat chunks, Anthropic Messages events and OpenAI
// Responses events; an empty object when the body is not an event stream of those.
QJsonObject assemble(const QByteArray &body);

} // namespace Switchyard::StreamAssembler
