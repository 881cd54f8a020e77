// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/dialect/TranslationPolicy.h"
#include <QJsonObject>
#include <optional>

namespace Switchyard {

// The top-level fields of an Anthropic Messages request on their way to OpenAI chat: which are
// known, and the mappings that are not about the conversation itself (MessagesToChat).
namespace MessagesToChatFields {

// Every top-level field checked against the direction's table (dropped ones noted, unknown
// ones dropped or, when strict, refused); top_k, container and mcp_servers refused.
std::optional<Error> check(const QJsonObject &request, TranslationPolicy &policy);
// thinking / output_config.effort → reasoning_effort when the target reasons (else a note);
// output_config.format → response_format json_schema. Written into `out`.
std::optional<Error> mapOutputOptions(const QJsonObject &request, TranslationPolicy &policy, QJsonObject &out);
// metadata.user_id → `user` (hashed to "sy-" and 32 hex digits when longer than OpenAI's 64
// characters, as Claude Code's is); other metadata dropped.
void mapMetadata(const QJsonObject &metadata, TranslationPolicy &policy, QJsonObject &out);

} // namespace MessagesToChatFields

} // namespace Switchyard
