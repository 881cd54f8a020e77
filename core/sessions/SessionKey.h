// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include <optional>

namespace Switchyard {

// Which agent session a call belongs to, when the client says so: Claude Code sends
// X-Claude-Code-Session-Id (and the same id inside metadata.user_id), Codex sends session-id /
// thread-id headers and client_metadata's turn metadata, OpenAI clients may send
// prompt_cache_key or user. Calls that say nothing are grouped by SessionGrouper's prefix rule.
struct SessionKey
{
    QString id;
    QString source; // "x-claude-code-session-id", "session-id", "metadata.user_id", "prompt_cache_key", …

    // Read off the request's (masked) headers and body; nullopt when the call names no session.
    static std::optional<SessionKey> of(const CallRecord &record);
    // The session a request's headers name (no body parsing: O(1) on the request path), or empty.
    static QByteArray headerId(const HttpHeaders &headers);
};

} // namespace Switchyard
