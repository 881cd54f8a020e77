// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <optional>

namespace Switchyard {

// Where a top-level member's value sits in a JSON object's bytes, so a proxy can read or
// replace one field without re-serialising (and perhaps altering) the rest of the body.
struct JsonSpan
{
    qsizetype offset = 0;
    qsizetype length = 0;

    // The value of `key` in the top-level object of `json` (its last value when the key repeats,
    // the one QJsonDocument and upstream parsers read); nullopt when absent or when `json` is
    // not an object. Assumes `json` is valid JSON (check that first).
    static std::optional<JsonSpan> find(const QByteArray &json, QByteArrayView key);
    // `json` with the value at `span` replaced by `value` (valid JSON text).
    static QByteArray replaced(const QByteArray &json, const JsonSpan &span, const QByteArray &value);
    // `json` with `"key":value` added as the first member of the top-level object; `json`
    // unchanged when it is not an object.
    static QByteArray withMember(const QByteArray &json, QByteArrayView key, const QByteArray &value);
};

} // namespace Switchyard
