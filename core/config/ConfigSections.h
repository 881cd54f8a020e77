// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/config/Config.h"

class QJsonObject;

namespace Switchyard {

class JsonFieldReader;

// The config file's settings sections (listen, limits, log, telemetry): each read into its
// struct, starting from the values already there; problems go to the reader with their path.
namespace ConfigSections {
void readListen(JsonFieldReader &r, const QJsonObject &o, ListenConfig &listen);
void readLimits(JsonFieldReader &r, const QJsonObject &o, ServerLimits &limits);
void readLog(JsonFieldReader &r, const QJsonObject &o, LogConfig &log);
void readTelemetry(JsonFieldReader &r, const QJsonObject &o, TelemetryConfig &telemetry);
} // namespace ConfigSections

} // namespace Switchyard
