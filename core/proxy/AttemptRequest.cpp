// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/proxy/AttemptRequest.h"
#include "core/proxy/AttemptCodec.h"

namespace Switchyard {

QUrl AttemptRequest::joinUrl(const QUrl &base, const QString &path)
{
    QUrl url = base;
    QString basePath = base.path();
    while (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    url.setPath(basePath + path);
    return url;
}

UpstreamRequest AttemptRequest::build(const RouteCandidate &candidate, const AttemptCodec &codec, const HttpHeaders &inbound,
                                      const QByteArray &apiKey, bool stream)
{
    UpstreamRequest request;
    request.url = joinUrl(candidate.provider.baseUrl, codec.upstreamPath());
    request.timeouts = candidate.timeouts;
    request.body = codec.upstreamBody();
    request.headers.add("Content-Type", "application/json");
    request.headers.add("Accept", stream ? "text/event-stream" : "application/json");
    request.headers.add("Accept-Encoding", "identity");
    request.headers.add("User-Agent", inbound.value("user-agent", "switchyard"));
    if (candidate.provider.kind == ProviderKind::Anthropic) {
        if (!apiKey.isEmpty())
            request.headers.add("x-api-key", apiKey);
        request.headers.add("anthropic-version", inbound.value("anthropic-version", "2023-06-01"));
        if (inbound.contains("anthropic-beta"))
            request.headers.add("anthropic-beta", inbound.value("anthropic-beta"));
    } else {
        if (!apiKey.isEmpty())
            request.headers.add("Authorization", "Bearer " + apiKey);
        if (inbound.contains("openai-beta"))
            request.headers.add("OpenAI-Beta", inbound.value("openai-beta"));
    }
    return request;
}

} // namespace Switchyard
