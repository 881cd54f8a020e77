// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "tests/support/FakeProvider.h"
#include <QByteArray>
#include <QList>

namespace Switchyard::Test {

// Bytes to write after waiting delayMs (counted from the previous step).
struct ReplyStep
{
    int delayMs = 0;
    QByteArray bytes;
};

// How a fake provider connection answers one request, sans I/O.
struct ReplyPlan
{
    enum class Ending {
        Finish, // the reply is complete; keep the connection unless closeAfter
        Abort,  // close the socket abruptly after the steps
        Hold,   // write nothing more and wait for the client to go away
    };
    QList<ReplyStep> steps; // the head first, then one step per body piece
    Ending ending = Ending::Finish;
    bool reset = false; // an Abort ending resets the connection (RST) instead of closing it (FIN)
    bool closeAfter = false;
};

namespace FakeProviderReplies {
// The wire bytes (and pauses) that answer `request` under `behaviour`.
ReplyPlan plan(const HttpRequest &request, const FakeProvider::Behaviour &behaviour, const FakeProvider::Reply &reply);
} // namespace FakeProviderReplies

} // namespace Switchyard::Test
