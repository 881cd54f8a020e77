// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/routing/SessionAffinity.h"
#include <QMutexLocker>

namespace Switchyard {

void SessionAffinity::remember(const QByteArray &session, const QString &provider, const QString &model, qint64 nowMs)
{
    const QMutexLocker lock(&m_mutex);
    if (m_sessions.size() >= MaxSessions && !m_sessions.contains(session)) {
        // Rare (thousands of live sessions): one pass drops every entry past its use.
        m_sessions.removeIf([nowMs](const auto &it) { return nowMs - it.value().usedMs > KeepMs; });
        if (m_sessions.size() >= MaxSessions) {
            auto oldest = m_sessions.begin();
            for (auto it = m_sessions.begin(); it != m_sessions.end(); ++it)
                oldest = it.value().usedMs < oldest.value().usedMs ? it : oldest;
            m_sessions.erase(oldest);
        }
    }
    m_sessions.insert(session, {{provider, model}, nowMs});
}

std::optional<SessionAffinity::Target> SessionAffinity::target(const QByteArray &session, qint64 nowMs) const
{
    const QMutexLocker lock(&m_mutex);
    const auto it = m_sessions.constFind(session);
    if (it == m_sessions.cend() || nowMs - it->usedMs > KeepMs)
        return std::nullopt;
    return it->target;
}

int SessionAffinity::size() const
{
    const QMutexLocker lock(&m_mutex);
    return int(m_sessions.size());
}

} // namespace Switchyard
