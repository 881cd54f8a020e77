// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace Switchyard {

// The API a client speaks to Switchyard.
enum class Dialect { OpenAi, Anthropic };

} // namespace Switchyard
