// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/json/JsonSpan.h"
#include <QByteArray>
#include <QList>
#include <initializer_list>
#include <optional>

namespace Switchyard {

// Checks and reads JSON text without building a Qt tree, through simdjson (Debian's
// libsimdjson-dev): the proxy path needs a few members of bodies of up to megabytes, and on a
// 400 KB agent request simdjson validates in ~47 µs where QJsonDocument::fromJson takes ~524 µs
// (docs/STACK.md). Thread-safe: each thread keeps its own parsers.
class JsonReader final
{
public:
    enum class Kind {
        Invalid, // not JSON (or not UTF-8)
        Object,
        Other, // valid JSON that is not an object
    };

    // Validates the whole text.
    static Kind check(QByteArrayView json);
    // Where each of `keys` sits among the top-level members of `json` (the last value of a
    // repeated key, as QJsonObject reads it); nullopt for a missing key. `json` must be an
    // object that check() accepted.
    static QList<std::optional<JsonSpan>> members(QByteArrayView json, std::initializer_list<QByteArrayView> keys);
    // The text of a span.
    static QByteArrayView text(QByteArrayView json, const JsonSpan &span) { return json.sliced(span.offset, span.length); }
};

} // namespace Switchyard
