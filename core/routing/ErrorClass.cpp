// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/routing/ErrorClass.h"
#include <array>
#include <utility>

namespace Switchyard {

namespace {
constexpr std::array<std::pair<ErrorClass, const char *>, 14> s_names{{
    {ErrorClass::None, ""},
    {ErrorClass::Upstream4xx, "upstream_4xx"},
    {ErrorClass::RateLimited, "rate_limited"},
    {ErrorClass::Upstream5xx, "upstream_5xx"},
    {ErrorClass::TimeoutConnect, "timeout_connect"},
    {ErrorClass::TimeoutFirstByte, "timeout_first_byte"},
    {ErrorClass::TimeoutIdle, "timeout_idle"},
    {ErrorClass::ConnectFailed, "connect_failed"},
    {ErrorClass::StreamInterrupted, "stream_interrupted"},
    {ErrorClass::BadUpstreamResponse, "bad_upstream_response"},
    {ErrorClass::BadRequest, "bad_request"},
    {ErrorClass::UnknownModel, "unknown_model"},
    {ErrorClass::NoHealthyTarget, "no_healthy_target"},
    {ErrorClass::ClientCancelled, "client_cancelled"},
}};
} // namespace

QString errorClassName(ErrorClass errorClass)
{
    for (const auto &[value, name] : s_names) {
        if (value == errorClass)
            return QString::fromLatin1(name);
    }
    return QString();
}

ErrorClass errorClassFromString(const QString &name)
{
    for (const auto &[value, text] : s_names) {
        if (name == QLatin1String(text))
            return value;
    }
    return ErrorClass::None;
}

bool isRetryable(ErrorClass errorClass)
{
    switch (errorClass) {
    case ErrorClass::RateLimited:
    case ErrorClass::Upstream5xx:
    case ErrorClass::TimeoutConnect:
    case ErrorClass::TimeoutFirstByte:
    case ErrorClass::TimeoutIdle:
    case ErrorClass::ConnectFailed:
    case ErrorClass::BadUpstreamResponse:
        return true;
    default:
        break;
    }
    return false;
}

ErrorClass errorClassForStatus(int status)
{
    if (status == 429)
        return ErrorClass::RateLimited;
    if (status >= 500)
        return ErrorClass::Upstream5xx;
    if (status >= 400)
        return ErrorClass::Upstream4xx;
    return ErrorClass::None;
}

} // namespace Switchyard
