// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/http/HttpHeaders.h"
#include "core/routing/RoutePlanner.h"
#include "core/upstream/UpstreamRequest.h"

namespace Switchyard {

class AttemptCodec;

// The upstream request of one attempt: the target's URL, the codec's body, the provider's key
// and the version headers the client chose. The client's own credentials are never passed on.
struct AttemptRequest
{
    static UpstreamRequest build(const RouteCandidate &candidate, const AttemptCodec &codec, const HttpHeaders &inbound,
                                 const QByteArray &apiKey, bool stream);
    // `base` with `path` appended to its path ("https://h/v1" + "/chat/completions").
    static QUrl joinUrl(const QUrl &base, const QString &path);
};

} // namespace Switchyard
