// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/CrashProbe.h"
#include "tests/support/RawHttpClient.h"
#include <QList>
#include <chrono>

namespace Switchyard::Test {

qint64 lossWindowMs()
{
    return qEnvironmentVariableIsSet("ASAN_OPTIONS") ? 3 * LossWindowMs : LossWindowMs;
}

qint64 steadyNowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

qint64 metric(quint16 port, const QByteArray &name)
{
    const QByteArray body = RawHttpClient::fetch(port, "GET", "/metrics").body;
    const QByteArray prefix = name + ' ';
    for (const QByteArray &line : body.split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).toLongLong();
    }
    return -1;
}

} // namespace Switchyard::Test
