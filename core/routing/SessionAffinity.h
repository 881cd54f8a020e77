// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <QString>
#include <optional>

namespace Switchyard {

// Which target served each agent session's latest turn, for aliases with "sticky": "session".
// Thread-safe: engine workers on several threads share one map. Bounded: the least recently
// used sessions are forgotten past MaxSessions, and entries older than the cache's life are
// of no use (a cold cache gains nothing from stickiness) so lookups ignore them.
class SessionAffinity final
{
public:
    static constexpr int MaxSessions = 4096;
    static constexpr qint64 KeepMs = 60 * 60 * 1000; // Anthropic's longest cache lives an hour

    struct Target
    {
        QString provider;
        QString model;
    };

    void remember(const QByteArray &session, const QString &provider, const QString &model, qint64 nowMs);
    std::optional<Target> target(const QByteArray &session, qint64 nowMs) const;
    int size() const;

private:
    struct Entry
    {
        Target target;
        qint64 usedMs = 0;
    };
    mutable QMutex m_mutex;
    QHash<QByteArray, Entry> m_sessions;
};

} // namespace Switchyard
