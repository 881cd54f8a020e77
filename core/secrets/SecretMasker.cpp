// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/secrets/SecretMasker.h"
#include <algorithm>
#include <cctype>

namespace Switchyard {

namespace {
const QByteArray Mask = QByteArrayLiteral("***");

// The scheme word of an Authorization value ("Bearer "), kept so a person can tell what kind
// of credential it was; empty for other headers (a cookie's first pair is itself a secret).
QByteArray authScheme(QByteArrayView name, const QByteArray &value)
{
    if (name.compare(QByteArrayView("authorization"), Qt::CaseInsensitive) != 0
        && name.compare(QByteArrayView("proxy-authorization"), Qt::CaseInsensitive) != 0)
        return {};
    const qsizetype space = value.indexOf(' ');
    if (space <= 0 || space >= 16)
        return {};
    const QByteArray scheme = value.left(space);
    const bool letters = std::all_of(scheme.cbegin(), scheme.cend(), [](char c) { return std::isalpha(uchar(c)); });
    return letters ? scheme + ' ' : QByteArray();
}
} // namespace

SecretMasker::SecretMasker(QByteArrayList secrets)
{
    for (const QByteArray &s : secrets) {
        if (s.size() >= 8) // shorter values would mask ordinary words
            m_secrets.append(s);
    }
    // Longest first: a key that begins with another key must not be left half masked.
    std::stable_sort(m_secrets.begin(), m_secrets.end(),
                     [](const QByteArray &a, const QByteArray &b) { return a.size() > b.size(); });
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
        out.add(name, authScheme(name, value) + Mask);
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
