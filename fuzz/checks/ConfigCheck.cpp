// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/config/ConfigParser.h"
#include "core/config/ConfigWriter.h"
#include "fuzz/FuzzCheckSupport.h"
#include "fuzz/FuzzChecks.h"

namespace Switchyard::FuzzChecks {

void configParser(QByteArrayView input)
{
    const auto parsed = ConfigParser::parse(input.toByteArray());
    if (!parsed) {
        FUZZ_REQUIRE(!parsed.error().isEmpty());
        // One line each, printable: the CLI prints them to a terminal.
        for (const QString &message : parsed.error()) {
            FUZZ_REQUIRE(!message.isEmpty());
            for (const QChar c : message)
                FUZZ_REQUIRE(c.unicode() >= 0x20 && c.unicode() != 0x7f);
        }
        return;
    }
    // What the UI and PUT /api/config write back must load again, unchanged.
    const QByteArray written = ConfigWriter::toBytes(parsed.value());
    const auto again = ConfigParser::parse(written);
    if (!again)
        failed("a written config parses again", __FILE__, __LINE__,
               written + '\n' + again.error().join(u'\n').toUtf8());
    FUZZ_REQUIRE(again.value() == parsed.value());
}

} // namespace Switchyard::FuzzChecks
