// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>

namespace Switchyard::Bench {

// The request log under agent traffic, through LogWriter (see LogStoreBench.cpp for the verbs).
// `agent FILE`: one 200-turn session (about 80 KB of fixed prefix), a commit per turn as the
// engine makes them when turns are seconds apart; prints raw and database bytes and CPU per row.
int agentSession(const QString &path, int turns);
// `capped FILE SECONDS MAX_MIB RATE`: agent-sized calls (90–400 KB bodies, sessions of 20 turns
// with 4–24 KB tool results) handed to a writer on its own thread at RATE calls a second for
// SECONDS, every 100 ms as the engine does, with log.max_db_mib = MAX_MIB; prints the largest the
// file (and its WAL) got, what was shed, and the writer thread's CPU per row.
int cappedLoad(const QString &path, int seconds, int maxMib, int rate);

} // namespace Switchyard::Bench
