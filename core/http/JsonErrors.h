// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QString>

namespace Switchyard {

// Error bodies in each dialect's own shape.
namespace JsonErrors {
// {"error":{"message","type","code"}}; code is null when empty.
QByteArray openAi(int status, const QString &message, const QString &code = QString());
// {"type":"error","error":{"type","message"}}
QByteArray anthropic(int status, const QString &message);
QString openAiType(int status);
QString anthropicType(int status);
} // namespace JsonErrors

} // namespace Switchyard
