// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

namespace Switchyard {

// Terminal text for the admin API's request objects (RequestJson): the aligned table that
// `switchyard requests` prints and the report of `switchyard replay`.
class RequestTable final
{
public:
    // Widest text of the columns that are cut with "…"; time, id and numbers never are.
    static constexpr int MaxOutcomeWidth = 22;
    static constexpr int MaxRouteWidth = 48;
    static constexpr int MaxClientWidth = 32;
    static constexpr int ResponsePreviewChars = 500;

    // One row per request in the order given (the API's: newest first), then a line counting
    // them; a single friendly line when there are none. Times are local, with the date when
    // it is not `now`'s. `limit` is what was asked for, to say when there may be more.
    static QString render(const QJsonArray &requests, const QDateTime &now, bool failedOnly, int limit);
    // The replayed request: ids, status, outcome, route, duration, tokens, cost and the start
    // of the response body.
    static QString describeReplay(const QJsonObject &request);

    // Cells, also used by describeReplay.
    static QString time(const QJsonObject &request, const QDateTime &now);
    static QString outcome(const QJsonObject &request);
    static QString route(const QJsonObject &request);
    static QString duration(const QJsonObject &request);
    static QString tokens(const QJsonObject &request);
    static QString cost(const QJsonObject &request);
    static QString client(const QJsonObject &request);
    static QString elide(const QString &text, int width);
};

} // namespace Switchyard
