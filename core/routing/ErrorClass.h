// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>

namespace Switchyard {

// Why a call or an attempt failed; the names are a contract (PRODUCT.md, error_class).
enum class ErrorClass {
    None,
    Upstream4xx,
    RateLimited,
    Upstream5xx,
    TimeoutConnect,
    TimeoutFirstByte,
    TimeoutIdle,
    ConnectFailed,
    StreamInterrupted,
    BadUpstreamResponse,
    BadRequest,
    UnknownModel,
    NoHealthyTarget,
    ClientCancelled,
};

QString errorClassName(ErrorClass errorClass);
ErrorClass errorClassFromString(const QString &name);
// Worth another attempt (same target after a backoff, or the next target).
bool isRetryable(ErrorClass errorClass);
// The class of an upstream HTTP status (None for 2xx/3xx).
ErrorClass errorClassForStatus(int status);

} // namespace Switchyard
