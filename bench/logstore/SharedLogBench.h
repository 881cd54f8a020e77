// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace Switchyard::Bench {

// `shared COUNT`: the request log on PostgreSQL (team mode). Starts a private PostgreSQL 15
// (tests/support/PostgresServer), then for one writer and for two writers at once (two
// instances' LogWriters, each on its own thread and connection, into one database) hands
// COUNT chat-sized synthetic calls to each and times until every row is committed; then the
// same with agent-sized calls (sessions of 20 turns, 90–400 KB bodies sharing their prefix).
// Prints one line of key=value pairs per case.
int sharedLog(int count);

} // namespace Switchyard::Bench
