// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/util/SecretMasker.h"

namespace Switchyard {

namespace {
const QByteArray Mask = QByteArrayLiteral("***");
}

SecretMasker::SecretMasker(QByteArrayList secrets)
{
    for (const QByteArray &s : secrets) {
        if (s.size() >= 8) // shorter values would mask ordinary words
            m_secrets.append(s);
    }
}

bool SecretMasker::isCredentialHeader(QByteArrayView name)
{
    static const char *const names[] = {"authorization", "proxy-authorization", "x-api-key", "api-key",
                                        "cookie", "set-cookie", "x-goog-api-key"};
    for (const char *n : names) {
        if (name.compare(QByteArrayView(n), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

HttpHeaders SecretMasker::masked(const HttpHeaders &headers) const
{
    HttpHeaders out;
    for (const auto &[name, value] : headers) {
        if (!isCredentialHeader(name)) {
            out.add(name, masked(value));
            continue;
        }
        // Keep the scheme word ("Bearer") so a person can tell what kind of credential it was.
        const qsizetype space = value.indexOf(' ');
        out.add(name, space > 0 && space < 16 ? value.left(space + 1) + Mask : Mask);
    }
    return out;
}

QByteArray SecretMasker::masked(const QByteArray &text) const
{
    QByteArray out = text;
    for (const QByteArray &secret : m_secrets) {
        if (out.contains(secret))
            out.replace(secret, Mask);
    }
    return out;
}

} // namespace Switchyard
