// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"
#include "core/record/CallRecord.h"
#include <QByteArray>
#include <QList>

namespace Switchyard {

// Finished calls as an OTLP/HTTP JSON ExportTraceServiceRequest: one SERVER span per request
// and a CLIENT child span per attempt, with the OpenTelemetry GenAI semantic conventions
// (gen_ai.operation.name, gen_ai.provider.name, gen_ai.request.model, gen_ai.response.model,
// gen_ai.usage.input_tokens / output_tokens, error.type and an ERROR status on failures) and
// Switchyard's own attributes (switchyard.alias, switchyard.error_class, switchyard.cost_usd,
// switchyard.request_id, …). Trace and span ids derive from the request id, so a call exported
// twice is one trace. Bodies are attributes only when `exportBodies` is set. Pure.
class OtlpTraceEncoder final
{
public:
    static QByteArray encode(const QList<CallRecord> &records, const TelemetryConfig &config);

    // "chat" for chat completions, Messages and Responses; "embeddings"; else the endpoint.
    static QString operationName(const QString &endpoint);
    static QByteArray traceId(const QString &requestId);             // 32 hex digits
    static QByteArray spanId(const QString &requestId, int attempt); // 16 hex digits; -1: the request

    static constexpr qsizetype MaxBodyChars = 16 * 1024; // per exported body attribute
};

} // namespace Switchyard
