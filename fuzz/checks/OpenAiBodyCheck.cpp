// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/json/JsonSpan.h"
#include "core/record/OpenAiBody.h"
#include "fuzz/FuzzCheckSupport.h"
#include "fuzz/FuzzChecks.h"
#include <QJsonArray>
#include <QJsonDocument>

namespace Switchyard::FuzzChecks {
namespace {

using namespace Qt::Literals::StringLiterals;

// A span JsonSpan finds lies inside the text and holds one JSON value.
void checkSpan(const QByteArray &json, QByteArrayView key)
{
    const auto span = JsonSpan::find(json, key);
    if (!span)
        return;
    FUZZ_REQUIRE(span->offset >= 0 && span->length > 0 && span->offset + span->length <= json.size());
    FUZZ_REQUIRE(isJson('[' + json.mid(span->offset, span->length) + ']'));
}

} // namespace

void openAiBody(QByteArrayView input)
{
    const QByteArray bytes = input.toByteArray();
    const auto object = jsonObject(input); // JsonSpan and forUpstream assume checked JSON
    const auto body = OpenAiBody::parse(bytes);
    FUZZ_REQUIRE(body.ok() == (object && (*object)["model"_L1].isString() && !(*object)["model"_L1].toString().isEmpty()
                               && ((*object)["stream"_L1].isBool() || (*object)["stream"_L1].isNull()
                                   || (*object)["stream"_L1].isUndefined())));
    if (!object)
        return;
    for (const QByteArrayView key : {"model", "stream", "stream_options", "messages", "\u00e9"})
        checkSpan(bytes, key);
    if (!body)
        return;
    for (const QString &model : {u"gpt-4o"_s, u"a \"quoted\" \\ model \u00e9/\u2028"_s}) {
        const QByteArray upstream = body.value().forUpstream(model);
        const auto out = jsonObject(upstream);
        if (!out)
            failed("forUpstream gives valid JSON", __FILE__, __LINE__, upstream);
        // Also with a repeated key: the upstream must read the model that routing read.
        FUZZ_REQUIRE((*out)["model"_L1] == model);
        // Usage is asked for unless the client's stream_options is not an object (the
        // upstream's 400 then tells the client, as it would without the proxy).
        const QJsonValue options = (*object)["stream_options"_L1];
        if (body.value().stream() && (options.isObject() || options.isNull() || options.isUndefined()))
            FUZZ_REQUIRE((*out)["stream_options"_L1]["include_usage"_L1] == true);
        FUZZ_REQUIRE(out->size() >= object->size());
    }
}

} // namespace Switchyard::FuzzChecks
