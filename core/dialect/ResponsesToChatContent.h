// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/util/Result.h"
#include <QJsonValue>
#include <QString>

namespace Switchyard::ResponsesToChatContent {

// Responses content parts (input_text, output_text, refusal, input_image) → chat content parts,
// one for one, so indexes keep their meaning; a string stays a string. Images only where
// `imagesAllowed`; other part types are refused naming `field`[i].
Result<QJsonValue> chatContent(const QJsonValue &content, const QString &field, bool imagesAllowed);

} // namespace Switchyard::ResponsesToChatContent
