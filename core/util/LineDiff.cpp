// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/LineDiff.h"
#include <QJsonDocument>
#include <algorithm>
#include <vector>

namespace Switchyard::LineDiff {

namespace {

QStringList lines(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QByteArray text = doc.isNull() ? body : doc.toJson(QJsonDocument::Indented);
    return QString::fromUtf8(text).split(QLatin1Char('\n'));
}

} // namespace

QList<Line> diff(const QStringList &before, const QStringList &after)
{
    qsizetype head = 0;
    while (head < before.size() && head < after.size() && before.at(head) == after.at(head))
        ++head;
    qsizetype tail = 0;
    while (tail < before.size() - head && tail < after.size() - head
           && before.at(before.size() - 1 - tail) == after.at(after.size() - 1 - tail))
        ++tail;
    QList<Line> out;
    for (qsizetype i = 0; i < head; ++i)
        out.append({Line::Kind::Same, before.at(i)});
    const QStringList a = before.mid(head, before.size() - head - tail);
    const QStringList b = after.mid(head, after.size() - head - tail);
    if (a.size() > MaxLines || b.size() > MaxLines) {
        for (const QString &l : a)
            out.append({Line::Kind::Removed, l});
        for (const QString &l : b)
            out.append({Line::Kind::Added, l});
    } else {
        // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
        const qsizetype n = a.size(), m = b.size();
        std::vector<std::vector<int>> lcs(std::size_t(n + 1), std::vector<int>(std::size_t(m + 1), 0));
        for (qsizetype i = n - 1; i >= 0; --i)
            for (qsizetype j = m - 1; j >= 0; --j)
                lcs[i][j] = a.at(i) == b.at(j) ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
        qsizetype i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.at(i) == b.at(j)) {
                out.append({Line::Kind::Same, a.at(i)});
                ++i;
                ++j;
            } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                out.append({Line::Kind::Added, b.at(j++)});
            } else {
                out.append({Line::Kind::Removed, a.at(i++)});
            }
        }
    }
    for (qsizetype i = before.size() - tail; i < before.size(); ++i)
        out.append({Line::Kind::Same, before.at(i)});
    return out;
}

QList<Line> diffBodies(const QByteArray &before, const QByteArray &after)
{
    return diff(lines(before), lines(after));
}

} // namespace Switchyard::LineDiff
