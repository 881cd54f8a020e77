// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/http/HttpHeaders.h"
#include <QByteArrayList>

namespace Switchyard {

// Hides credentials before anything is stored or shown: credential headers keep a short
// recognisable prefix, and known key values are replaced wherever they appear.
class SecretMasker final
{
public:
    explicit SecretMasker(QByteArrayList secrets = {});

    static bool isCredentialHeader(QByteArrayView name);
    HttpHeaders masked(const HttpHeaders &headers) const;
    QByteArray masked(const QByteArray &text) const;

private:
    QByteArrayList m_secrets;
};

} // namespace Switchyard
