// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/json/JsonSpan.h"
#include "core/record/CallRecord.h"
#include "core/util/Result.h"
#include <QJsonObject>
#include <memory>

namespace Switchyard {

// An inbound request body: checked once without building a tree, read for the few fields
// routing needs, and rewritten for each target by editing bytes in place (unknown fields
// untouched). A translation gets the tree, parsed at most once per request.
class OpenAiBody final
{
public:
    static Result<OpenAiBody> parse(const QByteArray &body);

    const QString &model() const { return m_model; }
    bool stream() const { return m_stream; }
    // The client asked for the usage chunk itself (stream_options.include_usage).
    bool clientWantsUsage() const { return m_clientWantsUsage; }
    const QByteArray &raw() const { return m_raw; }
    // The body as a tree, for translations: parsed on first use, then kept.
    const QJsonObject &object() const;

    // The body for one OpenAI-kind target: `model` replaced; for streams, usage requested upstream.
    QByteArray forUpstream(const QString &upstreamModel) const;
    // The body with only `model` replaced.
    QByteArray withModel(const QString &upstreamModel) const;

    // usage {prompt_tokens, completion_tokens, prompt_tokens_details.cached_tokens}
    static Usage usageFrom(const QJsonObject &usage);

private:
    QByteArray m_raw;
    QString m_model;
    JsonSpan m_modelSpan;
    std::optional<JsonSpan> m_streamOptionsSpan;
    bool m_stream = false;
    bool m_clientWantsUsage = false;
    bool m_hasStreamOptions = false;
    mutable std::shared_ptr<const QJsonObject> m_object;
};

} // namespace Switchyard
