// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/util/Result.h"
#include <QSslConfiguration>
#include <memory>

namespace Switchyard {

// The server side of TLS on the listening port: the certificate chain of listen.tls_cert and
// the key of listen.tls_key, read once per config and shared by every proxy worker.
using TlsServerConfig = std::shared_ptr<const QSslConfiguration>;

namespace TlsContext {
// Reads both PEM files and checks that the key belongs to the certificate; an error names the
// config field, the file and what is wrong with it.
Result<TlsServerConfig> load(const QString &certPath, const QString &keyPath);
} // namespace TlsContext

} // namespace Switchyard
