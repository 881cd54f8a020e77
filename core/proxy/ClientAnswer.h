// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/http/HttpHeaders.h"
#include "core/record/CallRecord.h"
#include "core/record/Dialect.h"
#include "core/routing/ErrorClass.h"
#include "core/routing/RoutePlanner.h"

namespace Switchyard {

// What a call answers its client with once no target will answer it: a pure function of the
// route, the attempts made and the last failure.
struct ClientAnswer
{
    // The last retryable failure of a call, kept in case every target fails.
    struct LastFailure
    {
        int status = 0; // an upstream HTTP status, or 0 when the failure was not an HTTP answer
        QByteArray body; // already in the client's dialect, secrets masked
        HttpHeaders headers;
        ErrorClass errorClass = ErrorClass::None;
        QString message;
    };

    int status = 0;
    ErrorClass errorClass = ErrorClass::None;
    QString message;
    HttpHeaders headers;
    QByteArray body;

    static ClientAnswer allTargetsFailed(const RoutePlan &plan, const QList<Attempt> &attempts, const LastFailure &last,
                                         Dialect dialect);
    // The upstream response headers a client may see (content type, request ids, rate limits).
    static HttpHeaders passedHeaders(const HttpHeaders &upstream);
    // The error message an upstream put in its body, or the start of the body.
    static QString upstreamMessage(const QByteArray &body);
};

} // namespace Switchyard
