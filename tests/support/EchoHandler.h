// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/http/HttpHandler.h"
#include <QObject>

namespace Switchyard::Test {

// Answers test requests by describing them; see ServerThread for the paths.
class EchoHandler final : public QObject, public HttpHandler
{
    Q_OBJECT
public:
    using QObject::QObject;
    void handle(HttpExchange *exchange) override;
};

} // namespace Switchyard::Test
