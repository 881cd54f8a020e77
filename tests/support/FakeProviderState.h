// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "tests/support/FakeProvider.h"
#include <QMutex>
#include <QMutexLocker>
#include <QQueue>

namespace Switchyard::Test {

// What FakeProvider's test-thread API and its connections on the server thread share,
// behind one mutex.
struct FakeProviderState
{
    struct Assignment
    {
        FakeProvider::Behaviour behaviour;
        FakeProvider::Reply reply;
    };

    // A request arrived: record it, count it in flight, hand out the next scripted behaviour.
    Assignment accept(const HttpRequest &request)
    {
        const QMutexLocker lock(&mutex);
        requests.append(request);
        maxInFlight = qMax(maxInFlight, ++inFlight);
        return {script.isEmpty() ? FakeProvider::Behaviour() : script.dequeue(), reply};
    }

    // A reply ended, written out or abandoned because the client went away.
    void finish(bool clientGone)
    {
        const QMutexLocker lock(&mutex);
        --inFlight;
        if (clientGone)
            ++clientDisconnects;
    }

    mutable QMutex mutex;
    QQueue<FakeProvider::Behaviour> script;
    FakeProvider::Reply reply;
    QList<HttpRequest> requests;
    int inFlight = 0;
    int maxInFlight = 0;
    int clientDisconnects = 0;
};

} // namespace Switchyard::Test
