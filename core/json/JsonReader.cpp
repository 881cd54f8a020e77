// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/json/JsonReader.h"
#include <simdjson.h>
#include <string>

namespace Switchyard {

namespace {

// simdjson reads up to SIMDJSON_PADDING bytes past the end of its input; a QByteArray gives no
// such promise, so the text is copied into a padded buffer kept per thread (~20 µs for 400 KB).
simdjson::padded_string_view padded(QByteArrayView json)
{
    thread_local std::string buffer;
    buffer.reserve(size_t(json.size()) + simdjson::SIMDJSON_PADDING);
    buffer.assign(json.data(), size_t(json.size()));
    return simdjson::padded_string_view(buffer.data(), buffer.size(), buffer.capacity());
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

JsonReader::Kind JsonReader::check(QByteArrayView json)
{
    thread_local simdjson::dom::parser parser;
    const simdjson::padded_string_view input = padded(json);
    simdjson::dom::element root;
    if (parser.parse(input.data(), input.length(), false).get(root) != simdjson::SUCCESS)
        return Kind::Invalid;
    return root.is_object() ? Kind::Object : Kind::Other;
}

QList<std::optional<JsonSpan>> JsonReader::members(QByteArrayView json, std::initializer_list<QByteArrayView> keys)
{
    QList<std::optional<JsonSpan>> found(qsizetype(keys.size()));
    thread_local simdjson::ondemand::parser parser;
    const simdjson::padded_string_view input = padded(json);
    const char *const base = input.data();
    simdjson::ondemand::document doc;
    simdjson::ondemand::object object;
    if (parser.iterate(input).get(doc) != simdjson::SUCCESS || doc.get_object().get(object) != simdjson::SUCCESS)
        return found;
    for (auto field : object) {
        std::string_view key;
        if (field.unescaped_key().get(key) != simdjson::SUCCESS)
            return found;
        qsizetype index = 0;
        for (const QByteArrayView wanted : keys) {
            if (wanted == QByteArrayView(key.data(), qsizetype(key.size())))
                break;
            ++index;
        }
        if (index == qsizetype(keys.size()))
            continue; // not wanted: ondemand skips it without reading it
        simdjson::ondemand::value value = field.value();
        simdjson::ondemand::json_type type;
        if (value.type().get(type) != simdjson::SUCCESS)
            return found;
        std::string_view raw;
        simdjson::error_code error = simdjson::SUCCESS;
        if (type == simdjson::ondemand::json_type::object) {
            simdjson::ondemand::object inner;
            error = value.get_object().get(inner);
            if (error == simdjson::SUCCESS)
                error = inner.raw_json().get(raw);
        } else if (type == simdjson::ondemand::json_type::array) {
            simdjson::ondemand::array inner;
            error = value.get_array().get(inner);
            if (error == simdjson::SUCCESS)
                error = inner.raw_json().get(raw);
        } else {
            raw = value.raw_json_token();
        }
        if (error != simdjson::SUCCESS)
            return found;
        qsizetype length = qsizetype(raw.size());
        while (length > 0 && isSpace(raw[size_t(length - 1)]))
            --length; // a scalar's token runs on to the next structural character
        found[index] = JsonSpan{qsizetype(raw.data() - base), length};
    }
    return found;
}

} // namespace Switchyard
