// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/stream/SseParser.h"
#include "fuzz/FuzzCheckSupport.h"
#include "fuzz/FuzzChecks.h"

namespace Switchyard::FuzzChecks {
namespace {

struct Outcome
{
    QList<QByteArray> events; // event and data of each, serialised
    QByteArray pending;       // not compared: a CR ending an event may leave its LF for later
};

Outcome run(QByteArrayView input, quint32 plan)
{
    Outcome outcome;
    SseParser parser;
    QByteArray raws;
    ByteChunks chunks(input, plan);
    while (!chunks.atEnd()) {
        for (const SseEvent &e : parser.feed(chunks.next().toByteArray())) {
            FUZZ_REQUIRE(!e.event.contains('\n') && !e.event.contains('\r'));
            FUZZ_REQUIRE(!e.data.contains('\r'));
            FUZZ_REQUIRE(e.raw.endsWith('\n') || e.raw.endsWith('\r'));
            raws += e.raw;
            outcome.events.append(e.event + '\0' + e.data);
        }
    }
    outcome.pending = parser.pending();
    // Nothing is lost or invented: the events' bytes and what is pending are the input.
    FUZZ_REQUIRE(QByteArray(raws + outcome.pending) == input);
    return outcome;
}

} // namespace

void sseParser(QByteArrayView input)
{
    const Outcome whole = run(input, 0);
    FUZZ_REQUIRE(whole.events == run(input, 1).events);
    FUZZ_REQUIRE(whole.events == run(input, planFor(input)).events);
}

} // namespace Switchyard::FuzzChecks
