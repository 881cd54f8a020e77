// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/record/CallRecord.h"
#include <QString>

namespace Switchyard::CurlCommand {

// The call as a curl command against the gateway (`gatewayUrl` + its endpoint), with the
// client's content headers and body, never a credential: the gateway holds the keys, and
// a token (when listen.token is set) is left as $SWITCHYARD_TOKEN for the shell to fill.
QString build(const QString &gatewayUrl, const CallRecord &record, bool needsToken = false);

} // namespace Switchyard::CurlCommand
