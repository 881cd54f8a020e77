// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>

namespace Switchyard {

// The reason phrase for a status line ("Not Found" for 404).
QByteArray httpReasonPhrase(int status);

} // namespace Switchyard
