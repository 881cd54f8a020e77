// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>

namespace Switchyard::JsonScan {

// Byte-level steps over JSON text that is not parsed into a tree: JsonSpan finds members by
// them, BodySegmenter cuts bodies into segments. They check no more than they need to find
// where a value ends; a body that reaches them has been parsed (or is stored whole) anyway.

constexpr qsizetype Incomplete = -1; // the text ends inside the string or value

inline bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

inline qsizetype skipSpace(const QByteArray &s, qsizetype i)
{
    while (i < s.size() && isSpace(s.at(i)))
        ++i;
    return i;
}

// Index just past the string whose opening quote is at i, or Incomplete.
qsizetype skipString(const QByteArray &s, qsizetype i);
// Index just past the value starting at i, or Incomplete (also for an empty scalar).
qsizetype skipValue(const QByteArray &s, qsizetype i);

} // namespace Switchyard::JsonScan
