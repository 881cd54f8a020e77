// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>

namespace Switchyard {

// A documented estimate for count_tokens when the target is not Anthropic: about four
// characters of text per token, the usual rule of thumb for English prose and code.
struct TokenEstimate
{
    // The estimate for a Messages request's system prompt, messages and tools.
    static qint64 ofMessages(const QByteArray &body);
};

} // namespace Switchyard
