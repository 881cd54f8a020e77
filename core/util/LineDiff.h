// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QList>
#include <QString>

namespace Switchyard::LineDiff {

struct Line
{
    enum class Kind { Same, Removed, Added };
    Kind kind = Kind::Same;
    QString text;
    bool operator==(const Line &) const = default;
};

// The lines of `before` and `after` as one list: kept, removed and added, in order (a
// longest common subsequence; past MaxLines changed lines in the middle, the whole middle
// counts as changed rather than costing seconds).
QList<Line> diff(const QStringList &before, const QStringList &after);
// JSON bodies are pretty-printed (keys sorted) first, so the diff is of content, not layout.
QList<Line> diffBodies(const QByteArray &before, const QByteArray &after);
constexpr int MaxLines = 3000;

} // namespace Switchyard::LineDiff
